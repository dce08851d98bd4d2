// The /d/ routes (candor/serve/devices.hpp), registered by server.cpp. Private to lib/serve.
// Thread safety: the routes may run on every thread of the server; the store is used under
// one mutex.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "candor/error.hpp"
#include "candor/serve/devices.hpp"
#include "kiosk/http.hpp"

namespace candor::serve::detail {

class device_routes {
  public:
    // Opens the store (fails as journal::store::open).
    static result<std::unique_ptr<device_routes>> open(device_intake in,
                                                       std::function<std::int64_t()> clock);
    ~device_routes();

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
