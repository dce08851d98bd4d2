// The kiosk's cards pushed to head office in the background (candor::sync::push, the call
// `candor sync` makes): after each card, and again every push_interval while the last push
// failed. The guest's receipt never waits for it: the keeper only wakes the pusher's thread.
// Thread safety: poke() may be called from any thread; the destructor stops the thread (a
// pause between attempts ends at once; a request under way runs to its timeout at most).
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "candor/error.hpp"
#include "candor/kiosk/desk.hpp"
#include "candor/seal/keys.hpp"
#include "candor/sync/push.hpp"

namespace candor::kiosk {

// While the last push failed, how long before the next try without a new card.
inline constexpr std::chrono::minutes push_interval{5};

class pusher {
  public:
    // Pushes the journal in DIR of `key`'s device to `settings.server` (its sleep is the
    // pusher's own, which stop cuts short).
    pusher(std::filesystem::path dir, seal::device_secret key, sync::push_settings settings);
    ~pusher();
    pusher(pusher const&) = delete;
    pusher& operator=(pusher const&) = delete;

    // A card was kept: push soon. Never blocks.
    void poke();
    // The last push's outcome; nullopt before the first ended.
    std::optional<result<sync::push_report>> last() const;

  private:
    void run();

    std::filesystem::path dir_;
    seal::device_secret key_;
    sync::push_settings settings_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool poked_ = false, stopping_ = false;
    std::optional<result<sync::push_report>> last_;
    std::thread thread_;
};

// `keep`, then a poke of `p` once a card is durable.
card_keeper pushing(card_keeper keep, pusher& p);

}  // namespace candor::kiosk
