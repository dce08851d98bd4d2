// A journal many threads submit to at once (a server's guests): group commit. A thread that
// finds no write under way leads: it takes every card waiting, submits them as one batch
// (one fdatasync for the cards, one for the mark) and wakes the others; cards arriving
// meanwhile wait for the next batch. Each caller gets its receipt only once the batch holding
// its card is durable, and an error when it is not (then nothing of that batch was kept).
// Thread safety: submit() may be called from any number of threads at once.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <mutex>
#include <optional>
#include <vector>

#include "candor/error.hpp"
#include "candor/journal/journal.hpp"

namespace candor::journal {

// The most cards one batch takes: the rest wait for the next (a bound on one write).
inline constexpr std::size_t max_batch_cards = 256;

class shared_journal {
  public:
    explicit shared_journal(journal j);
    shared_journal(shared_journal const&) = delete;
    shared_journal& operator=(shared_journal const&) = delete;

    // As journal::submit for one card, in a batch with the cards submitted at the same time.
    // A card too large for the journal fails alone, not its batch. Rethrows what
    // journal::submit throws, to every caller of the batch.
    result<stamped> submit(card const& c);

    std::string const& device() const noexcept;

  private:
    struct waiter {
        card const* c;
        std::optional<result<stamped>> out;
        std::exception_ptr thrown;
    };
    void lead(std::unique_lock<std::mutex>& lock);

    journal journal_;
    std::mutex mutex_;
    std::condition_variable done_;
    std::vector<waiter*> waiting_;
    bool writing_ = false;
};

}  // namespace candor::journal
