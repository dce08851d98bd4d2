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

// Called with the lock held; writes one batch without it.
void shared_journal::lead(std::unique_lock<std::mutex>& lock) {
    writing_ = true;
    auto const n = std::min(waiting_.size(), max_batch_cards);
    std::vector<waiter*> batch(waiting_.begin(), waiting_.begin() + static_cast<long>(n));
    waiting_.erase(waiting_.begin(), waiting_.begin() + static_cast<long>(n));
    lock.unlock();
    std::vector<card> cards;
    cards.reserve(batch.size());
    for (auto const* w : batch) cards.push_back(*w->c);
    try {
        auto kept = journal_.submit(cards);
        if (!kept && kept.error().front().code == "too-large" && batch.size() > 1) {
            // One card over the limits: the others go alone, so that it fails by itself.
            for (auto* w : batch) {
                auto one = journal_.submit(std::span(w->c, 1));
                w->out = one ? result<stamped>(std::move(one->front()))
                             : result<stamped>(unexpected(std::move(one).error()));
            }
        } else {
            for (std::size_t i = 0; i < batch.size(); ++i)
                batch[i]->out = kept ? result<stamped>(std::move((*kept)[i]))
                                     : result<stamped>(unexpected(kept.error()));
        }
    } catch (...) {
        for (auto* w : batch)
            if (!w->out) w->thrown = std::current_exception();
    }
    lock.lock();
    writing_ = false;
    done_.notify_all();
}

std::string const& shared_journal::device() const noexcept {
    return journal_.device();
}

}  // namespace candor::journal
