#include "candor/kiosk/server.hpp"

#include <nlohmann/json.hpp>

#include "candor/kiosk/assets.hpp"
#include "candor/receipt/qr.hpp"
#include "candor/time.hpp"
#include "kiosk/http.hpp"

namespace candor::kiosk {

using namespace http;

reply with_status(reply r, std::string_view device, status_links const& links) {
    if (r.status != 200) return r;
    auto body = nlohmann::json::parse(r.body);
    auto const link = receipt::status_link(links.base, links.key,
                                           {std::string(device), body["seq"].get<std::uint64_t>(),
                                            body["receipt"].get<std::string>()});
    body["status"] = link;
    // The same link as a QR code, for the guest to take it to their phone.
    if (auto qr = receipt::qr_svg(link, status_qr_module_px)) body["status_qr"] = *qr;
    r.body = body.dump();
    return r;
}

struct server::impl {
    impl(desk& d, std::string card_json, server_settings settings)
        : d(d),
          card_json(std::move(card_json)),
          settings(std::move(settings)),
          http({max_submit_bytes, max_request_bytes, this->settings.deadline, server_threads}) {}

    desk& d;
    std::string card_json;
    server_settings settings;
    hardened_server http;

    bool is_page(std::string const& path) const {
        return path == "/card.json" || find_asset(path) != nullptr;
    }

    // Before routing, so that nothing is read of a body no route takes.
    httplib::Server::HandlerResponse screen(httplib::Request const& req, httplib::Response& res) {
        using handled = httplib::Server::HandlerResponse;
        if (!host_ok(req, settings.host_names)) {
            refuse(res, 403, "this kiosk is not `" + req.get_header_value("Host") + "`");
            return handled::Handled;
        }
        bool const reading = req.method == "GET" || req.method == "HEAD";
        if (req.path == "/submit" ? req.method == "POST" : (is_page(req.path) && reading))
            return handled::Unhandled;
        if (req.path == "/submit" || is_page(req.path)) {
            refuse(res, 405, req.method + " is not served here");
            res.set_header("Allow", req.path == "/submit" ? "POST" : "GET, HEAD");
        } else {
            refuse(res, 404, "no " + req.path + " here");
        }
        return handled::Handled;
    }

    void submit(httplib::Request const& req, httplib::Response& res,
                httplib::ContentReader const& read) {
        auto body = read_json_body(req, res, read, max_submit_bytes, "a card");
        if (!body) return;
        auto r = d.submit(*body, unix_now());
        if (settings.status) r = with_status(std::move(r), d.device().device, *settings.status);
        res.status = r.status;
        res.set_content(r.body, json_type);
    }
};

server::server(desk& d, std::string card_json, server_settings settings)
    : p_(std::make_unique<impl>(d, std::move(card_json), std::move(settings))) {
    auto& http = p_->http;
    harden(http);
    http.set_pre_routing_handler(
        [p = p_.get()](httplib::Request const& req, httplib::Response& res) {
            return p->screen(req, res);
        });
    for (auto const& a : page_assets())
        http.Get(std::string(a.path), [&a](httplib::Request const& req, httplib::Response& res) {
            send_asset(req, res, a);
        });
    http.Get("/card.json", [p = p_.get()](httplib::Request const&, httplib::Response& res) {
        res.set_content(p->card_json, json_type);
    });
    http.Post("/submit",
              [p = p_.get()](httplib::Request const& req, httplib::Response& res,
                             httplib::ContentReader const& read) { p->submit(req, res, read); });
}

server::~server() = default;

result<int> server::bind(std::string const& host, int port) {
    return bind_to(p_->http, host, port);
}

bool server::listen() {
    return p_->http.listen_after_bind();
}

void server::stop() {
    p_->http.halt();
}

}  // namespace candor::kiosk
