// The kiosk's HTTP face: the page's files (/, /kiosk.js, ...), the card model (/card.json)
// and POST /submit, each answer with a strict Content-Security-Policy and no caching, so
// nothing of one guest's card stays in the browser for the next.
//
// It answers only what the page asks, and holds against what else may reach it:
//   403  a Host that is not the kiosk's (the address the connection came in on, localhost
//        forms on loopback, or a name in server_settings::host_names): DNS rebinding
//   403  a submit whose Origin is not the kiosk's own (another page in the device's browser)
//   415  a submit that is not Content-Type application/json
//   413  a body over max_submit_bytes, whatever its transfer encoding; nothing is read past it
//        (and a connection sending more than max_request_bytes for one request is dropped)
//   408  a request not whole within the deadline (a client sending a byte now and then)
//   404, 405  any other path or method; no body is ever read for them
// and desk::submit's 200, 422, 400 and 503; its 200 carries the card's status link and its
// QR code when server_settings::status is set (with_status).
// Thread safety: listen() serves on a pool of threads of its own and blocks the calling
// thread until stop(), which may be called from any thread. bind() before listen(), from
// one thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "candor/error.hpp"
#include "candor/kiosk/desk.hpp"
#include "candor/receipt/status.hpp"

namespace candor::kiosk {

// Far above any card the page can build (a text answer is at most 4000 bytes), far
// below what could hurt the device.
inline constexpr std::size_t max_submit_bytes = 256 * 1024;
// All one request may send, its line, headers and chunked framing included (a browser's
// head is under 2 KiB): past it the connection is dropped, so no line grows without end.
inline constexpr std::size_t max_request_bytes = 2 * max_submit_bytes + 16 * 1024;
// From a request's first byte to its last. A connection idle before its request is closed
// after io_timeout, as is one where any single read or write waits longer.
inline constexpr std::chrono::seconds request_deadline{10};
inline constexpr std::chrono::seconds io_timeout{5};
// Connections served at once; more wait, each for at most the time above.
inline constexpr std::size_t server_threads = 16;

// A certificate chain and its private key, both PEM files, for HTTPS served directly
// (candor::serve; a kiosk's page is served to the device's own browser).
struct tls_files {
    std::filesystem::path certificate;
    std::filesystem::path key;
};

// A module of the thank-you screen's QR code, in CSS pixels: a code of a status link
// (about 41 modules) some 200 px wide, scanned from a phone held near the screen.
inline constexpr unsigned status_qr_module_px = 4;

// Where the guest follows their card (receipt/status.hpp): head office's server as guests
// reach it ("https://feedback.example.com") and the status key of the device the cards are
// journaled by (head office's own for its server, the one head office issued for a kiosk).
struct status_links {
    std::string base;
    receipt::status_key key;
};

// `r`, desk::submit's answer for a card of `device`, with, on a receipt (200), "status": the
// card's status link and "status_qr": the link as a QR code (SVG). Other answers unchanged.
reply with_status(reply r, std::string_view device, status_links const& links);

struct server_settings {
    std::chrono::milliseconds deadline = request_deadline;
    // Names besides the address the kiosk is reached at, for Host (e.g. "kiosk-3.lan").
    std::vector<std::string> host_names{};
    // Status links on the thank-you screen; none when empty.
    std::optional<status_links> status{};
};

class server {
  public:
    // Serves `d`'s card, `card_json` being page_model() for it; `d` must outlive the server.
    explicit server(desk& d, std::string card_json, server_settings settings = {});
    ~server();
    server(server const&) = delete;
    server& operator=(server const&) = delete;

    // Listens on `host`:`port` (0: a free port); the port, or "cannot-listen".
    result<int> bind(std::string const& host, int port);
    // Serves until stop(); false when it could not.
    bool listen();
    void stop();

  private:
    struct impl;
    std::unique_ptr<impl> p_;
};

}  // namespace candor::kiosk
