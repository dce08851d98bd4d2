#include "candor/kiosk/server.hpp"

#include <chrono>

#include "candor/kiosk/assets.hpp"

namespace candor::kiosk {

namespace {

constexpr char json_type[] = "application/json; charset=utf-8";

std::int64_t unix_now() {
    using namespace std::chrono;
    return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

void route(httplib::Server& http, desk& d, std::string card_json) {
    http.set_default_headers({
        {"Content-Security-Policy",
         "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"},
        {"Cache-Control", "no-store"},
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "no-referrer"},
    });
    http.set_payload_max_length(max_submit_bytes);
    // Headers and body go out in separate writes: with Nagle's algorithm the body would wait
    // for the browser's delayed ACK (tens of ms) before the receipt reached the screen.
    http.set_tcp_nodelay(true);

    for (auto const& a : page_assets())
        http.Get(std::string(a.path), [&a](httplib::Request const&, httplib::Response& res) {
            res.set_content(a.body.data(), a.body.size(), std::string(a.type).c_str());
        });
    http.Get("/card.json",
             [model = std::move(card_json)](httplib::Request const&, httplib::Response& res) {
                 res.set_content(model, json_type);
             });
    http.Post("/submit", [&d](httplib::Request const& req, httplib::Response& res) {
        auto r = d.submit(req.body, unix_now());
        res.status = r.status;
        res.set_content(r.body, json_type);
    });
}

}  // namespace candor::kiosk
