// The /d/ routes (candor/serve/devices.hpp), registered by server.cpp. Private to lib/serve.
// Beside the store, the cards received: each pushed card's device, number, receipt code and
// when it came, in an event log of the server's state (STATE/received), for the guests'
// status pages (/r/), which may not scan the store.
// Thread safety: the routes may run on every thread of the server; the store is used under
// one mutex, the cards received under another (received() may run during a push).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "candor/error.hpp"
#include "candor/serve/devices.hpp"
#include "kiosk/http.hpp"

namespace candor::serve::detail {

class device_routes {
  public:
    // Opens the store and the cards received in `received` (fails as journal::store::open,
    // util::event_log::open). Cards the store holds that are not there yet (a crash between
    // the two writes, cards brought by `candor hq import`) are added, received now.
    static result<std::unique_ptr<device_routes>> open(device_intake in,
                                                       std::filesystem::path const& received,
                                                       std::function<std::int64_t()> clock);
    ~device_routes();

    // Card `seq` of `device` when it has reached head office: its receipt code and when.
    struct received_card {
        std::string receipt;
        std::int64_t time = 0;
    };
    std::optional<received_card> received(std::string_view device, std::uint64_t seq) const;
    // Whether `device` is one of those that may push.
    bool knows(std::string_view device) const noexcept;

    // The method a /d/ path is served for, or empty when it is none of them.
    static std::string_view method_of(std::string_view path) noexcept;
    // The body a push may have, and the request bytes it may need, headers included (each
    // guest route still reads no more than its own limit).
    static std::size_t body_bytes() noexcept;
    static std::size_t request_bytes() noexcept;
    void add(kiosk::http::hardened_server& http);

  private:
    struct impl;
    explicit device_routes(std::unique_ptr<impl> p);
    std::unique_ptr<impl> p_;
};

}  // namespace candor::serve::detail
