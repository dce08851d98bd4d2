#include "candor/kiosk/pusher.hpp"

namespace candor::kiosk {

pusher::pusher(std::filesystem::path dir, seal::device_secret key, sync::push_settings settings)
    : dir_(std::move(dir)), key_(std::move(key)), settings_(std::move(settings)) {
    settings_.sleep = [this](std::chrono::milliseconds d) {
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, d, [this] { return stopping_; });
    };
    thread_ = std::thread([this] { run(); });
}

pusher::~pusher() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void pusher::poke() {
    {
        std::lock_guard lock(mutex_);
        poked_ = true;
    }
    wake_.notify_all();
}

std::optional<result<sync::push_report>> pusher::last() const {
    std::lock_guard lock(mutex_);
    return last_;
}

void pusher::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        bool const failed = last_ && !*last_;
        if (failed)
            wake_.wait_for(lock, push_interval, [this] { return poked_ || stopping_; });
        else
            wake_.wait(lock, [this] { return poked_ || stopping_; });
        if (stopping_) return;
        poked_ = false;
        lock.unlock();
        auto outcome = sync::push(dir_, key_, settings_);
        lock.lock();
        last_ = std::move(outcome);
    }
}

card_keeper pushing(card_keeper keep, pusher& p) {
    return [keep = std::move(keep), &p](journal::card const& c) {
        auto kept = keep(c);
        if (kept) p.poke();
        return kept;
    };
}

}  // namespace candor::kiosk
