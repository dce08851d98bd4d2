#include "candor/journal/shared_journal.hpp"

#include <algorithm>
#include <span>

namespace candor::journal {

shared_journal::shared_journal(journal j) : journal_(std::move(j)) {}

result<stamped> shared_journal::submit(card const& c) {
    waiter me{&c, std::nullopt, nullptr};
    std::unique_lock lock(mutex_);
    waiting_.push_back(&me);
    while (!me.out && !me.thrown) {
        if (writing_)
            done_.wait(lock);
        else
            lead(lock);
    }
    if (me.thrown) std::rethrow_exception(me.thrown);
    return std::move(*me.out);
}

// Called with the lock held; writes one batch without it. The waiters' answers are set
// under the lock again: they read them under it.
void shared_journal::lead(std::unique_lock<std::mutex>& lock) {
    writing_ = true;
    auto const n = std::min(waiting_.size(), max_batch_cards);
    std::vector<waiter*> batch(waiting_.begin(), waiting_.begin() + static_cast<long>(n));
    waiting_.erase(waiting_.begin(), waiting_.begin() + static_cast<long>(n));
    lock.unlock();
    std::vector<card> cards;
    cards.reserve(batch.size());
    for (auto const* w : batch) cards.push_back(*w->c);
    std::vector<result<stamped>> out;
    out.reserve(batch.size());
    std::exception_ptr thrown;
    try {
        auto kept = journal_.submit(cards);
        if (!kept && kept.error().front().code == "too-large" && batch.size() > 1) {
            // One card over the limits: the others go alone, so that it fails by itself.
            for (auto const& c : cards) {
                auto one = journal_.submit(std::span(&c, 1));
                if (one)
                    out.emplace_back(std::move(one->front()));
                else
                    out.emplace_back(unexpected(std::move(one).error()));
            }
        } else {
            for (std::size_t i = 0; i < batch.size(); ++i) {
                if (kept)
                    out.emplace_back(std::move((*kept)[i]));
                else
                    out.emplace_back(unexpected(kept.error()));
            }
        }
    } catch (...) {
        thrown = std::current_exception();
    }
    lock.lock();
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (i < out.size())
            batch[i]->out = std::move(out[i]);
        else
            batch[i]->thrown = thrown;
    }
    writing_ = false;
    done_.notify_all();
}

std::string const& shared_journal::device() const noexcept {
    return journal_.device();
}

}  // namespace candor::journal
