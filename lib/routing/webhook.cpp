// The webhook sink: a JSON POST per delivery, signed with HMAC-SHA256 (libsodium), over
// one kept-alive connection per receiver (cpp-httplib).
#include <httplib.h>
#include <sodium.h>

#include <array>
#include <charconv>
#include <map>
#include <mutex>
#include <stdexcept>

#include "candor/routing/delivery.hpp"
#include "candor/seal/bytes.hpp"

namespace candor::routing {

std::string webhook_signature(std::string_view secret, timestamp time, std::string_view body) {
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<unsigned char const*>(secret.data()),
                                secret.size());
    auto const t = std::to_string(time) + ".";
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<unsigned char const*>(t.data()),
                                  t.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<unsigned char const*>(body.data()),
                                  body.size());
    std::array<std::uint8_t, crypto_auth_hmacsha256_BYTES> mac{};
    crypto_auth_hmacsha256_final(&state, mac.data());
    seal::wipe(&state, sizeof state);
    return "v1=" + seal::to_hex(mac);
}

bool verify_webhook(std::string_view secret, std::string_view time, std::string_view body,
                    std::string_view signature, timestamp now, timestamp tolerance) {
    timestamp t = 0;
    auto [end, ec] = std::from_chars(time.data(), time.data() + time.size(), t);
    if (ec != std::errc{} || end != time.data() + time.size()) return false;
    if (t < now - tolerance || t > now + tolerance) return false;
    auto const expected = webhook_signature(secret, t, body);
    return expected.size() == signature.size() &&
           sodium_memcmp(expected.data(), signature.data(), expected.size()) == 0;
}

struct webhook_sink::impl {
    webhook_options options;
    clock_fn clock;
    std::mutex mutex;
    std::map<std::string, std::unique_ptr<httplib::Client>> clients;  // by scheme://host:port

    httplib::Client& client(std::string const& origin) {
        auto& c = clients[origin];
        if (!c) {
            c = std::make_unique<httplib::Client>(origin);
            c->set_keep_alive(true);
            c->set_tcp_nodelay(true);  // headers and body go out in two writes: no Nagle wait
            c->set_connection_timeout(options.timeout_seconds, 0);
            c->set_read_timeout(options.timeout_seconds, 0);
            c->set_write_timeout(options.timeout_seconds, 0);
        }
        return *c;
    }
};

webhook_sink::webhook_sink(webhook_options options, clock_fn clock) : p_(std::make_unique<impl>()) {
    if (options.secret.size() < 16)
        throw std::invalid_argument("webhook secret: at least 16 bytes");
    p_->options = std::move(options);
    p_->clock = std::move(clock);
}
webhook_sink::~webhook_sink() = default;

result<void> webhook_sink::send(delivery const& d) {
    // http://host:port/path → origin and path; nothing else is accepted.
    std::string_view url = d.address;
    auto const scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos ||
        (url.substr(0, scheme_end) != "http" && url.substr(0, scheme_end) != "https"))
        return fail("bad-address", "not an http(s) URL: " + d.address);
    auto const path_start = url.find('/', scheme_end + 3);
    std::string const origin(url.substr(0, path_start));
    std::string const path =
        path_start == std::string_view::npos ? "/" : std::string(url.substr(path_start));
    auto const now = p_->clock();
    httplib::Headers headers{
        {"Candor-Idempotency-Key", d.key},
        {"Candor-Timestamp", std::to_string(now)},
        {"Candor-Signature", webhook_signature(p_->options.secret, now, d.body)}};
    std::lock_guard lock(p_->mutex);
    auto res = p_->client(origin).Post(path, headers, d.body, "application/json");
    if (!res) return fail("unreachable", d.address + ": " + httplib::to_string(res.error()));
    if (res->status < 200 || res->status >= 300)
        return fail("http-status", d.address + ": HTTP " + std::to_string(res->status));
    return {};
}

}  // namespace candor::routing
