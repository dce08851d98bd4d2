// The webhook sink: a JSON POST per delivery, signed with HMAC-SHA256 (libsodium) as
// Standard Webhooks says, over one kept-alive connection per receiver (cpp-httplib).
#include <httplib.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <initializer_list>
#include <map>
#include <mutex>
#include <stdexcept>

#include "candor/routing/delivery.hpp"
#include "candor/seal/bytes.hpp"
#include "candor/seal/keys.hpp"

namespace candor::routing {

namespace {

constexpr std::string_view secret_prefix = "whsec_";
constexpr timestamp longest_retry_after = 24 * 3600;  // a receiver asking for more is capped

using mac = std::array<std::uint8_t, crypto_auth_hmacsha256_BYTES>;

mac hmac(std::string_view key, std::initializer_list<std::string_view> parts) {
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<unsigned char const*>(key.data()),
                                key.size());
    for (auto part : parts)
        crypto_auth_hmacsha256_update(&state, reinterpret_cast<unsigned char const*>(part.data()),
                                      part.size());
    mac out{};
    crypto_auth_hmacsha256_final(&state, out.data());
    seal::wipe(&state, sizeof state);
    return out;
}

std::optional<timestamp> whole_seconds(std::string_view text) {
    timestamp t = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), t);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return t;
}

}  // namespace

result<std::vector<webhook_secret>> parse_webhook_secrets(std::string_view text,
                                                          std::string_view file_name) {
    std::vector<webhook_secret> out;
    errors found;
    std::uint32_t line_no = 0;
    for (std::size_t start = 0; start < text.size();) {
        auto const end = std::min(text.find('\n', start), text.size());
        auto line = text.substr(start, end - start);
        start = end + 1;
        ++line_no;
        auto const first = line.find_first_not_of(" \t\r");
        if (first == std::string_view::npos) continue;
        line = line.substr(first, line.find_last_not_of(" \t\r") - first + 1);
        location const at{.file = std::string(file_name), .line = line_no};
        webhook_secret s{std::string(line), std::string(line)};
        if (line.substr(0, secret_prefix.size()) == secret_prefix) {
            auto key = seal::from_base64(line.substr(secret_prefix.size()));
            if (!key) {
                found.push_back(
                    {severity::error, "bad-secret", "whsec_ is not followed by base64", at});
                continue;
            }
            s.key.assign(key->begin(), key->end());
            seal::wipe(key->data(), key->size());
        }
        if (s.key.size() < min_webhook_secret_bytes) {
            found.push_back({severity::error, "bad-secret",
                             "a webhook secret holds at least " +
                                 std::to_string(min_webhook_secret_bytes) + " bytes",
                             at});
            continue;
        }
        out.push_back(std::move(s));
    }
    if (out.empty() && found.empty())
        found.push_back(
            {severity::error, "no-secret", "no webhook secret", {.file = std::string(file_name)}});
    if (!found.empty()) return fail(std::move(found));
    return out;
}

result<std::vector<webhook_secret>> read_webhook_secrets(std::filesystem::path const& file) {
    auto text = seal::read_secret_file(file);
    if (!text) return unexpected(std::move(text).error());
    auto secrets = parse_webhook_secrets(*text, file.string());
    seal::wipe(text->data(), text->size());
    return secrets;
}

std::string webhook_id(std::string_view key) {
    std::string out;
    // `~` escapes, not `%`: cpp-httplib percent-decodes header values, so a receiver built
    // on it saw %2E as the dot its check refuses.
    for (char c : key) {
        if (c == '~')
            out += "~7E";
        else if (c == '%')
            out += "~25";
        else if (c == '.')
            out += "~2E";
        else
            out += c;
    }
    return out;
}

std::string webhook_signature(std::string_view key, std::string_view id, timestamp time,
                              std::string_view body) {
    auto const t = std::to_string(time);
    auto const m = hmac(key, {id, ".", t, ".", body});
    return "v1," + seal::to_base64(m);
}

bool verify_webhook(std::span<webhook_secret const> secrets, std::string_view id,
                    std::string_view time, std::string_view body, std::string_view signatures,
                    timestamp now, timestamp tolerance) {
    auto t = whole_seconds(time);
    if (!t || *t < now - tolerance || *t > now + tolerance) return false;
    if (id.empty() || id.find('.') != std::string_view::npos) return false;
    bool good = false;
    for (auto const& s : secrets) {
        auto const expected = webhook_signature(s.key, id, *t, body);
        std::string_view rest = signatures;
        while (!rest.empty()) {
            auto space = rest.find(' ');
            auto one = rest.substr(0, space);
            rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
            // Every candidate is compared in full: no early exit on a match either.
            if (one.size() == expected.size() &&
                sodium_memcmp(one.data(), expected.data(), expected.size()) == 0)
                good = true;
        }
    }
    return good;
}

std::string legacy_webhook_signature(std::string_view secret, timestamp time,
                                     std::string_view body) {
    auto const t = std::to_string(time);
    return "v1=" + seal::to_hex(hmac(secret, {t, ".", body}));
}

struct webhook_sink::impl {
    webhook_options options;
    clock_fn clock;
    std::mutex mutex;  // the pools and quiet_until; never held across a POST
    // Idle keep-alive connections, by scheme://host:port: a send takes one (or opens one)
    // and gives it back.
    std::map<std::string, std::vector<std::unique_ptr<httplib::Client>>> idle;
    std::map<std::string, timestamp> quiet_until;  // receivers that asked for a pause

    std::unique_ptr<httplib::Client> take(std::string const& origin) {
        {
            std::lock_guard lock(mutex);
            if (auto& pool = idle[origin]; !pool.empty()) {
                auto c = std::move(pool.back());
                pool.pop_back();
                return c;
            }
        }
        auto c = std::make_unique<httplib::Client>(origin);
        c->set_keep_alive(true);
        c->set_tcp_nodelay(true);  // headers and body go out in two writes: no Nagle wait
        c->set_connection_timeout(options.timeout_seconds, 0);
        c->set_read_timeout(options.timeout_seconds, 0);
        c->set_write_timeout(options.timeout_seconds, 0);
        return c;
    }
    void give_back(std::string const& origin, std::unique_ptr<httplib::Client> c) {
        std::lock_guard lock(mutex);
        auto& pool = idle[origin];
        if (pool.size() < options.connections) pool.push_back(std::move(c));
    }
};

webhook_sink::webhook_sink(webhook_options options, clock_fn clock) : p_(std::make_unique<impl>()) {
    if (options.secrets.empty()) throw std::invalid_argument("webhook sink: no secret");
    for (auto const& s : options.secrets)
        if (s.key.size() < min_webhook_secret_bytes)
            throw std::invalid_argument("webhook secret: at least 16 bytes");
    p_->options = std::move(options);
    p_->clock = std::move(clock);
}
webhook_sink::~webhook_sink() = default;
std::size_t webhook_sink::parallel() const noexcept {
    return std::max<std::size_t>(1, p_->options.connections);
}

namespace {
// http://host:port/path → origin and path; nothing else is accepted.
std::optional<std::pair<std::string, std::string>> origin_and_path(std::string_view url) {
    auto const scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos ||
        (url.substr(0, scheme_end) != "http" && url.substr(0, scheme_end) != "https"))
        return std::nullopt;
    auto const path_start = url.find('/', scheme_end + 3);
    return std::pair{
        std::string(url.substr(0, path_start)),
        path_start == std::string_view::npos ? "/" : std::string(url.substr(path_start))};
}
}  // namespace

timestamp webhook_sink::retry_after(delivery const& d) const {
    auto where = origin_and_path(d.address);
    std::lock_guard lock(p_->mutex);
    auto q = where ? p_->quiet_until.find(where->first) : p_->quiet_until.end();
    return q == p_->quiet_until.end() ? 0 : std::max<timestamp>(0, q->second - p_->clock());
}

result<void> webhook_sink::send(delivery const& d) {
    auto where = origin_and_path(d.address);
    if (!where) return fail("bad-address", "not an http(s) URL: " + d.address);
    auto const& [origin, path] = *where;
    auto const now = p_->clock();
    {
        std::lock_guard lock(p_->mutex);
        if (auto q = p_->quiet_until.find(origin); q != p_->quiet_until.end()) {
            if (now < q->second)
                return fail("throttled", d.address + ": asked not to be sent anything before " +
                                             std::to_string(q->second));
            p_->quiet_until.erase(q);
        }
    }
    auto const id = webhook_id(d.key);
    std::string signatures;
    for (auto const& s : p_->options.secrets) {
        if (!signatures.empty()) signatures += ' ';
        signatures += webhook_signature(s.key, id, now, d.body);
    }
    httplib::Headers headers{
        {"webhook-id", id},
        {"webhook-timestamp", std::to_string(now)},
        {"webhook-signature", signatures},
        {"Candor-Idempotency-Key", d.key},
        {"Candor-Timestamp", std::to_string(now)},
        {"Candor-Signature",
         legacy_webhook_signature(p_->options.secrets.front().text, now, d.body)}};
    auto client = p_->take(origin);
    auto res = client->Post(path, headers, d.body, "application/json");
    if (!res) return fail("unreachable", d.address + ": " + httplib::to_string(res.error()));
    p_->give_back(origin, std::move(client));
    if (res->status >= 200 && res->status < 300) return {};
    if (res->status == 410)
        return fail("gone", d.address + ": HTTP 410: the receiver wants no more deliveries");
    if (res->status == 429 || res->status == 503) {
        if (auto wait = whole_seconds(res->get_header_value("Retry-After")); wait && *wait > 0) {
            std::lock_guard lock(p_->mutex);
            p_->quiet_until[origin] = now + std::min(*wait, longest_retry_after);
            return fail("http-status", d.address + ": HTTP " + std::to_string(res->status) +
                                           ", retry after " + std::to_string(*wait) + " s");
        }
    }
    return fail("http-status", d.address + ": HTTP " + std::to_string(res->status));
}

}  // namespace candor::routing
