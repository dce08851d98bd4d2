// The managers' desk's routes in head office's server (candor/serve/desk.hpp says what they
// are). Private to lib/serve: the server opens one when its settings name a store, screens
// /m/ requests through it and lets it register its routes.
// Thread safety: every member may be called from the server's threads at once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>

#include <httplib.h>

#include "candor/error.hpp"
#include "candor/serve/desk.hpp"
#include "kiosk/http.hpp"

namespace candor::serve {

class desk {
  public:
    // Opens STATE/desk (0700: the views log) and STATE/desk.key. Fails "bad-settings" (no
    // mail sink or base), or as event_log::open and load_status_key.
    static result<std::unique_ptr<desk>> open(std::filesystem::path const& state,
                                              std::shared_ptr<desk_settings const> settings,
                                              std::function<std::int64_t()> clock);
    ~desk();
    desk(desk const&) = delete;
    desk& operator=(desk const&) = delete;

    // Before routing, for a path under /m/: a path or method the desk does not serve, a
    // foreign Origin, a form of another type or too large are answered here (Handled).
    httplib::Server::HandlerResponse screen(httplib::Request const& req, httplib::Response& res);
    void routes(kiosk::http::hardened_server& http);

  private:
    struct impl;
    explicit desk(std::unique_ptr<impl> p);
    std::unique_ptr<impl> p_;
};

}  // namespace candor::serve
