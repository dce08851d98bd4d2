// What every Candor web server shares (the kiosk's, head office's candor::serve): cpp-httplib
// with a connection loop that gives each request a deadline and a byte budget, and the
// small answers and checks each route makes. Private to lib/ (not installed).
// Thread safety: hardened_server as httplib::Server; the functions are pure or act on the
// request and response they are given.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <httplib.h>

#include "candor/error.hpp"
#include "candor/kiosk/assets.hpp"
#include "candor/kiosk/server.hpp"

namespace candor::kiosk::http {

// Connections waiting to be accepted (the kernel caps it at net.core.somaxconn).
inline constexpr int listen_backlog = 1024;

struct limits {
    std::size_t body_bytes;     // the largest body a route reads
    std::size_t request_bytes;  // all one request may send; past it the connection is dropped
    std::chrono::milliseconds deadline;  // from a request's first byte to its last
    std::size_t threads;                 // connections served at once
};

// cpp-httplib's server with a connection loop of its own: httplib's gives a request no
// deadline (only one per read) and no bound on a line's length. The same loop serves TLS
// (OpenSSL), the handshake within the request deadline: httplib's SSLServer would wait on a
// client that stops halfway through it.
class hardened_server final : public httplib::Server {
  public:
    explicit hardened_server(limits l);
    ~hardened_server() override;
    std::size_t body_limit() const noexcept { return limits_.body_bytes; }
    // After binding: httplib listens with a backlog of 5, and guests arriving at once past
    // it would see their connections reset.
    bool widen_backlog();
    // Ends listen(), or makes it return at once when it has not begun yet: httplib's stop()
    // does nothing before listen has started, and a thread joined then would wait forever.
    void halt();
    // Serves HTTPS only (TLS 1.2 or later) from now on; before listening. Fails "bad-tls"
    // when the files cannot be read, are not PEM, or the key is not the certificate's.
    result<void> use_tls(tls_files const& files);

  private:
    struct tls;
    bool process_and_close_socket(socket_t sock) override;
    limits limits_;
    std::unique_ptr<tls> tls_;
};

// The headers of every answer: a strict Content-Security-Policy, no caching, no sniffing,
// no referrer; the body limit; a 500 without details for an exception.
void harden(hardened_server& s);

inline constexpr char json_type[] = "application/json; charset=utf-8";

// A JSON {"error": message}; `message` may quote the request, which need not be UTF-8.
void answer(httplib::Response& res, int status, std::string const& message);
// The same, given before the body was read: the connection ends with it.
void refuse(httplib::Response& res, int status, std::string const& message);
bool is_json(std::string const& content_type);
// One of the page's files: gzipped as built when the client takes gzip, else as it is.
void send_asset(httplib::Request const& req, httplib::Response& res, asset const& a);
// Whether the Host a request names is where it came in (the address the connection
// reached, localhost forms on loopback) or one of `names`, with its port: DNS rebinding.
bool host_ok(httplib::Request const& req, std::vector<std::string> const& names);
// Whether a POST comes from a page of this server: its Origin, when sent, is http(s)://HOST.
bool same_origin(httplib::Request const& req);
// The body, at most `max` bytes, as application/json; nullopt when the request was
// refused (403 foreign Origin, 415, 413, 400), the answer then set on `res`.
std::optional<std::string> read_json_body(httplib::Request const& req, httplib::Response& res,
                                          httplib::ContentReader const& read, std::size_t max,
                                          std::string const& what);
// The body, at most `max` bytes, whatever its type; nullopt after 413 or 400 as above.
std::optional<std::string> read_body(httplib::Request const& req, httplib::Response& res,
                                     httplib::ContentReader const& read, std::size_t max,
                                     std::string const& what);
// Listens on `host`:`port` (0: a free port); the port, or "cannot-listen".
result<int> bind_to(hardened_server& s, std::string const& host, int port);

}  // namespace candor::kiosk::http
