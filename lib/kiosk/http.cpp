#include "kiosk/http.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstring>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <nlohmann/json.hpp>

#include "candor/kiosk/server.hpp"
#include "util/ascii.hpp"

namespace candor::kiosk::http {

namespace {

using clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// After the last answer on a connection, how long (and how much) of what the client still
// sends is read and dropped, so that closing does not reset the connection before the
// client has read that answer (a 413 sent before its body was read).
constexpr milliseconds linger_time{1000};
// How often a connection waiting for its next request looks whether the server stops.
constexpr milliseconds stop_poll{50};

// Set by a handler that answers without reading the request's whole body: what is left of
// it must not be read as the next request. The connection's thread runs its handlers.
thread_local bool close_after_answer = false;

// "1.2.3.4" or "::1", an IPv4 address reached over an IPv6 socket as itself.
void ip_and_port(sockaddr_storage const& a, std::string& ip, int& port) {
    char text[INET6_ADDRSTRLEN] = {};
    if (a.ss_family == AF_INET) {
        sockaddr_in v4{};
        std::memcpy(&v4, &a, sizeof v4);
        ::inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
        port = ntohs(v4.sin_port);
    } else if (a.ss_family == AF_INET6) {
        sockaddr_in6 v6{};
        std::memcpy(&v6, &a, sizeof v6);
        if (IN6_IS_ADDR_V4MAPPED(&v6.sin6_addr))
            ::inet_ntop(AF_INET, &v6.sin6_addr.s6_addr[12], text, sizeof text);
        else
            ::inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
        port = ntohs(v6.sin6_port);
    }
    ip = text;
}

// One connection, read through a buffer. Each request has a deadline (a client sending a
// byte now and then cannot hold the connection longer) and a byte budget (a line without
// its end cannot grow without bound: httplib's line reader has none).
class connection final : public httplib::Stream {
  public:
    connection(int sock, std::size_t request_bytes) : sock_(sock), request_bytes_(request_bytes) {}
    ~connection() override {
        if (ssl_) ::SSL_free(ssl_);
    }
    connection(connection const&) = delete;
    connection& operator=(connection const&) = delete;

    // The TLS handshake, by the request deadline already started. The socket turns
    // non-blocking: OpenSSL reads whole records, and a blocking read of one a client sends
    // a byte at a time would outlast every deadline.
    bool accept_tls(SSL_CTX* ctx) {
        // OpenSSL writes with write(2), not send(MSG_NOSIGNAL): a client gone away would
        // raise SIGPIPE. Blocked in this thread, it stays pending and the write fails EPIPE.
        sigset_t pipe;
        ::sigemptyset(&pipe);
        ::sigaddset(&pipe, SIGPIPE);
        ::pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
        ssl_ = ::SSL_new(ctx);
        if (!ssl_ || ::SSL_set_fd(ssl_, sock_) != 1) return false;
        int const flags = ::fcntl(sock_, F_GETFL);
        if (flags < 0 || ::fcntl(sock_, F_SETFL, flags | O_NONBLOCK) < 0) return false;
        for (;;) {
            int const n = ::SSL_accept(ssl_);
            if (n == 1) return true;
            if (!wait_tls(::SSL_get_error(ssl_, n))) return false;
        }
    }
    // Tells a TLS client the connection ends (close_notify), not waiting for its answer.
    void close_tls() {
        if (ssl_) (void)::SSL_shutdown(ssl_);
        ::ERR_clear_error();
    }

    void start_request(clock::time_point deadline) {
        deadline_ = deadline;
        budget_ = request_bytes_;
        timed_out_ = false;
    }
    // Until the next request's first byte; false when the client stays idle for
    // io_timeout, hangs up, or the server stops.
    bool wait_for_request(std::atomic<socket_t> const& listening) const {
        if (pos_ < end_ || (ssl_ && ::SSL_pending(ssl_) > 0)) return true;
        for (auto until = clock::now() + io_timeout; clock::now() < until;) {
            if (listening == INVALID_SOCKET) return false;
            pollfd p{sock_, POLLIN, 0};
            int const n = ::poll(&p, 1, static_cast<int>(stop_poll.count()));
            if (n > 0) return true;
            if (n < 0 && errno != EINTR) return false;
        }
        return false;
    }
    // Whether a read of this request waited too long (io_timeout, or past the deadline).
    bool timed_out() const noexcept { return timed_out_; }
    // Then the only answer is this one (httplib's would be a 400, or none).
    void answer_timeout() {
        constexpr std::string_view timeout =
            "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
        if (!wait(POLLOUT, false)) return;
        if (ssl_)  // one try: a client too slow for its request is not waited for again
            (void)::SSL_write(ssl_, timeout.data(), static_cast<int>(timeout.size()));
        else
            (void)::send(sock_, timeout.data(), timeout.size(), MSG_NOSIGNAL);
    }

    bool is_readable() const override {
        return pos_ < end_ || (ssl_ && ::SSL_pending(ssl_) > 0) || wait(POLLIN, true);
    }
    bool is_writable() const override { return wait(POLLOUT, false); }

    ssize_t read(char* ptr, size_t size) override {
        if (budget_ == 0) return -1;
        if (pos_ == end_) {
            auto const n = fill();
            if (n <= 0) return n;
            pos_ = 0;
            end_ = static_cast<std::size_t>(n);
        }
        auto const n = std::min({size, end_ - pos_, budget_});
        std::memcpy(ptr, buffer_ + pos_, n);
        pos_ += n;
        budget_ -= n;
        return static_cast<ssize_t>(n);
    }
    ssize_t write(char const* ptr, size_t size) override {
        if (timed_out_) return -1;
        if (ssl_) {
            if (size == 0) return 0;
            int const len = static_cast<int>(std::min<size_t>(size, INT_MAX));
            for (;;) {
                int const n = ::SSL_write(ssl_, ptr, len);
                if (n > 0) return n;
                if (!wait_tls(::SSL_get_error(ssl_, n))) return -1;
            }
        }
        if (!is_writable()) return -1;
        ssize_t n;
        do n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
        while (n < 0 && errno == EINTR);
        return n;
    }
    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        sockaddr_storage a{};
        socklen_t len = sizeof a;
        if (::getpeername(sock_, reinterpret_cast<sockaddr*>(&a), &len) == 0)
            ip_and_port(a, ip, port);
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override {
        sockaddr_storage a{};
        socklen_t len = sizeof a;
        if (::getsockname(sock_, reinterpret_cast<sockaddr*>(&a), &len) == 0)
            ip_and_port(a, ip, port);
    }
    socket_t socket() const override { return sock_; }

  private:
    // The next bytes into buffer_: 0 when the client has closed, -1 on an error or timeout.
    ssize_t fill() {
        if (ssl_) {
            for (;;) {
                int const n = ::SSL_read(ssl_, buffer_, sizeof buffer_);
                if (n > 0) return n;
                int const e = ::SSL_get_error(ssl_, n);
                if (e == SSL_ERROR_ZERO_RETURN) return 0;
                if (!wait_tls(e)) return -1;
            }
        }
        if (!wait(POLLIN, true)) return -1;
        ssize_t n;
        do n = ::recv(sock_, buffer_, sizeof buffer_, 0);
        while (n < 0 && errno == EINTR);
        return n;
    }
    // After an OpenSSL call failed with `e`: waits for what it wants (reads by the request
    // deadline); false when that is not a wait, or it did not come.
    bool wait_tls(int e) const {
        ::ERR_clear_error();
        if (e == SSL_ERROR_WANT_READ) return wait(POLLIN, true);
        if (e == SSL_ERROR_WANT_WRITE) return wait(POLLOUT, false);
        return false;
    }
    // Waits at most io_timeout, and a read never past the request's deadline.
    bool wait(short events, bool reading) const {
        auto wait_for = std::chrono::duration_cast<milliseconds>(io_timeout);
        if (reading) {
            auto const left = std::chrono::duration_cast<milliseconds>(deadline_ - clock::now());
            if (left.count() <= 0) {
                timed_out_ = true;
                return false;
            }
            wait_for = std::min(wait_for, left);
        }
        for (;;) {
            pollfd p{sock_, events, 0};
            int const n = ::poll(&p, 1, static_cast<int>(wait_for.count()));
            if (n > 0) return true;
            if (n == 0) {
                timed_out_ = timed_out_ || reading;
                return false;
            }
            if (errno != EINTR) return false;
        }
    }

    int sock_;
    std::size_t request_bytes_;
    char buffer_[4096];
    std::size_t pos_ = 0, end_ = 0;
    clock::time_point deadline_{};
    std::size_t budget_ = 0;
    mutable bool timed_out_ = false;
    SSL* ssl_ = nullptr;
};

void linger_and_close(socket_t sock, std::size_t linger_bytes) {
    ::shutdown(sock, SHUT_WR);
    char sink[4096];
    std::size_t dropped = 0;
    for (auto until = clock::now() + linger_time; dropped < linger_bytes;) {
        auto const left = std::chrono::duration_cast<milliseconds>(until - clock::now());
        pollfd p{sock, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
        ssize_t const n = ::recv(sock, sink, sizeof sink, 0);
        if (n <= 0) break;
        dropped += static_cast<std::size_t>(n);
    }
    ::close(sock);
}

}  // namespace

struct hardened_server::tls {
    std::unique_ptr<SSL_CTX, decltype(&::SSL_CTX_free)> ctx{nullptr, &::SSL_CTX_free};
};

hardened_server::hardened_server(limits l) : limits_(l) {
    new_task_queue = [n = l.threads] { return new httplib::ThreadPool(n); };
}
hardened_server::~hardened_server() = default;

result<void> hardened_server::use_tls(tls_files const& files) {
    auto const bad = [](std::string what) {
        unsigned long const e = ::ERR_get_error();
        char reason[256] = {};
        if (e) ::ERR_error_string_n(e, reason, sizeof reason);
        ::ERR_clear_error();
        return fail("bad-tls", what + (e ? std::string(" (") + reason + ")" : std::string()));
    };
    auto t = std::make_unique<tls>();
    t->ctx.reset(::SSL_CTX_new(::TLS_server_method()));
    if (!t->ctx) return bad("OpenSSL could not make a TLS context");
    ::SSL_CTX_set_min_proto_version(t->ctx.get(), TLS1_2_VERSION);
    auto const cert = files.certificate.string(), key = files.key.string();
    if (::SSL_CTX_use_certificate_chain_file(t->ctx.get(), cert.c_str()) != 1)
        return bad("cannot read the certificate chain " + cert);
    // OpenSSL 3 refuses a key that is not the certificate's here already.
    if (::SSL_CTX_use_PrivateKey_file(t->ctx.get(), key.c_str(), SSL_FILETYPE_PEM) != 1)
        return bad("cannot use the private key " + key + " (not PEM, or not the certificate's)");
    if (::SSL_CTX_check_private_key(t->ctx.get()) != 1)
        return bad("the private key " + key + " is not the certificate's");
    tls_ = std::move(t);
    return {};
}

bool hardened_server::process_and_close_socket(socket_t sock) {
    int const on = 1;
    // Headers and body go out in separate writes: with Nagle's algorithm the body would
    // wait for the browser's delayed ACK (tens of ms) before the receipt reached it.
    ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    connection c(sock, limits_.request_bytes);
    if (tls_) {
        c.start_request(clock::now() + limits_.deadline);
        if (!c.accept_tls(tls_->ctx.get())) {
            ::ERR_clear_error();
            ::close(sock);
            return false;
        }
    }
    bool ok = true;
    for (auto left = keep_alive_max_count_; ok && left > 0; --left) {
        if (!c.wait_for_request(svr_sock_)) break;
        c.start_request(clock::now() + limits_.deadline);
        close_after_answer = false;
        bool closed = false;
        ok = process_request(c, left == 1, closed, nullptr);
        if (c.timed_out()) c.answer_timeout();
        if (closed || close_after_answer || c.timed_out()) break;
    }
    c.close_tls();
    linger_and_close(sock, 2 * limits_.body_bytes);
    return ok;
}

bool hardened_server::widen_backlog() {
    return ::listen(svr_sock_, listen_backlog) == 0;
}

void hardened_server::halt() {
    auto const sock = svr_sock_.exchange(INVALID_SOCKET);
    if (sock == INVALID_SOCKET) return;
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
}

void harden(hardened_server& s) {
    s.set_default_headers({
        {"Content-Security-Policy",
         "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"},
        {"Cache-Control", "no-store"},
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "no-referrer"},
    });
    s.set_payload_max_length(s.body_limit());
    // An exception is a bug: answered without telling the client what it says.
    s.set_exception_handler([](httplib::Request const&, httplib::Response& res,
                               std::exception_ptr) { answer(res, 500, "internal error"); });
}

void answer(httplib::Response& res, int status, std::string const& message) {
    res.status = status;
    res.set_content(nlohmann::json{{"error", message}}.dump(
                        -1, ' ', false, nlohmann::json::error_handler_t::replace),
                    json_type);
}

void refuse(httplib::Response& res, int status, std::string const& message) {
    answer(res, status, message);
    res.set_header("Connection", "close");
    close_after_answer = true;
}

bool is_json(std::string const& content_type) {
    auto type = util::ascii_lower(content_type.substr(0, content_type.find(';')));
    auto const first = type.find_first_not_of(" \t");
    auto const last = type.find_last_not_of(" \t");
    return first != std::string::npos && type.substr(first, last - first + 1) == "application/json";
}

void send_asset(httplib::Request const& req, httplib::Response& res, asset const& a) {
    res.set_header("Vary", "Accept-Encoding");
    if (util::ascii_lower(req.get_header_value("Accept-Encoding")).find("gzip") ==
        std::string::npos) {
        res.set_content(a.body.data(), a.body.size(), std::string(a.type).c_str());
        return;
    }
    res.set_header("Content-Encoding", "gzip");
    // A content provider of known length: httplib sends it as it is, not compressed again.
    res.set_content_provider(
        a.gzip.size(), std::string(a.type).c_str(),
        [body = a.gzip](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
            return sink.write(body.data() + offset, length);
        });
}

bool host_ok(httplib::Request const& req, std::vector<std::string> const& names) {
    auto const host = util::ascii_lower(req.get_header_value("Host"));
    std::string name = host, port;
    if (host.starts_with('[')) {
        auto const end = host.find(']');
        if (end == std::string::npos) return false;
        name = host.substr(0, end + 1);
        if (end + 1 < host.size()) {
            if (host[end + 1] != ':') return false;
            port = host.substr(end + 2);
        }
    } else if (auto const colon = host.rfind(':'); colon != std::string::npos) {
        name = host.substr(0, colon);
        port = host.substr(colon + 1);
    }
    if (port.empty() ? req.local_port != 80 : port != std::to_string(req.local_port)) return false;
    auto const& local = req.local_addr;
    bool const v6 = local.find(':') != std::string::npos;
    if (name.empty()) return false;
    if (name == (v6 ? "[" + local + "]" : local)) return true;
    bool const loopback = local.starts_with("127.") || local == "::1";
    if (loopback && (name == "localhost" || name == "127.0.0.1" || name == "[::1]")) return true;
    return std::any_of(names.begin(), names.end(),
                       [&](std::string const& n) { return util::ascii_lower(n) == name; });
}

bool same_origin(httplib::Request const& req) {
    // A page of the server's own sends its origin, or (some browsers) none.
    if (!req.has_header("Origin")) return true;
    auto const origin = util::ascii_lower(req.get_header_value("Origin"));
    auto const host = util::ascii_lower(req.get_header_value("Host"));
    return origin == "http://" + host || origin == "https://" + host;
}

std::optional<std::string> read_json_body(httplib::Request const& req, httplib::Response& res,
                                          httplib::ContentReader const& read, std::size_t max,
                                          std::string const& what) {
    if (!same_origin(req)) {
        refuse(res, 403, what + " is taken from this server's own page only");
        return std::nullopt;
    }
    if (!is_json(req.get_header_value("Content-Type"))) {
        refuse(res, 415, what + " is sent as application/json");
        return std::nullopt;
    }
    return read_body(req, res, read, max, what);
}

std::optional<std::string> read_body(httplib::Request const& req, httplib::Response& res,
                                     httplib::ContentReader const& read, std::size_t max,
                                     std::string const& what) {
    auto const too_large = [&] {
        refuse(res, 413, what + " is at most " + std::to_string(max) + " bytes");
        return std::nullopt;
    };
    if (req.has_header("Content-Length")) {
        auto const text = req.get_header_value("Content-Length");
        std::size_t length = 0;
        auto const [end, ec] = std::from_chars(text.data(), text.data() + text.size(), length);
        if (ec != std::errc() || end != text.data() + text.size()) {
            refuse(res, 400, "Content-Length is not a number");
            return std::nullopt;
        }
        if (length > max) return too_large();
    }
    std::string body;
    bool over = false;
    bool const whole = read([&](char const* data, std::size_t size) {
        over = body.size() + size > max;
        if (!over) body.append(data, size);
        return !over;
    });
    if (over) return too_large();
    if (!whole) {
        refuse(res, 400, what + " did not arrive whole, or not in time");
        return std::nullopt;
    }
    return body;
}

result<int> bind_to(hardened_server& s, std::string const& host, int port) {
    int const bound =
        port == 0 ? s.bind_to_any_port(host) : (s.bind_to_port(host, port) ? port : -1);
    if (bound < 0 || !s.widen_backlog())
        return fail("cannot-listen", "cannot listen on " + host + ":" + std::to_string(port) +
                                         " (in use, or not an address of this device)");
    return bound;
}

}  // namespace candor::kiosk::http
