#include "candor/receipt/status.hpp"

#include <sodium.h>

#include <stdexcept>
#include <system_error>

#include "util/file_io.hpp"

namespace candor::receipt {

namespace {

constexpr std::size_t check_bytes = 16;
constexpr std::string_view base32 = "0123456789abcdefghjkmnpqrstvwxyz";  // Crockford's

// BLAKE2b of `parts` under `key`, N bytes of it (the length is a parameter of the hash, so
// outputs of two lengths share nothing).
template <std::size_t N>
std::array<unsigned char, N> mac(status_key const& key,
                                 std::initializer_list<std::string_view> parts) {
    // Length-prefixed, so that no two links' fields run together into the same bytes.
    std::string msg;
    for (auto const& part : parts) {
        msg += std::to_string(part.size());
        msg += ':';
        msg += part;
    }
    std::array<unsigned char, N> out{};
    crypto_generichash(out.data(), out.size(), reinterpret_cast<unsigned char const*>(msg.data()),
                       msg.size(), key.bytes.data(), key.bytes.size());
    return out;
}

std::string encode(std::array<unsigned char, check_bytes> const& b) {
    std::string out;
    unsigned bits = 0, value = 0;
    for (auto byte : b) {
        value = (value << 8) | byte;
        bits += 8;
        while (bits >= 5) {
            out += base32[(value >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0) out += base32[(value << (5 - bits)) & 31];
    return out;
}

}  // namespace

std::string percent(std::string_view s) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += digits[c >> 4];
            out += digits[c & 15];
        }
    }
    return out;
}

status_key make_status_key() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
    status_key k;
    randombytes_buf(k.bytes.data(), k.bytes.size());
    return k;
}

result<status_key> read_status_key(std::filesystem::path const& file) {
    try {
        auto raw = util::read_file(file);
        status_key k;
        if (raw.size() != k.bytes.size())
            return fail("bad-key", file.string() + " is not a status key (32 bytes)");
        std::copy(raw.begin(), raw.end(), k.bytes.begin());
        return k;
    } catch (std::system_error const& e) {
        return fail("io", "cannot read the status key " + file.string() + ": " + e.what());
    }
}

result<void> write_status_key(std::filesystem::path const& file, status_key const& key) {
    try {
        util::write_file_durably(file, {key.bytes.data(), key.bytes.size()}, {}, 0600);
        return {};
    } catch (std::system_error const& e) {
        return fail("io", "cannot write the status key " + file.string() + ": " + e.what());
    }
}

result<status_key> load_status_key(std::filesystem::path const& file) {
    std::error_code ec;
    if (std::filesystem::exists(file, ec)) return read_status_key(file);
    auto k = make_status_key();
    if (auto written = write_status_key(file, k); !written)
        return unexpected(std::move(written).error());
    return k;
}

status_key device_status_key(status_key const& head_office, std::string_view device) {
    // 32 bytes where a check has 16: no check is ever a device's key.
    return {mac<sizeof(status_key::bytes)>(head_office, {"device-status", device})};
}

std::string keyed_check(status_key const& key, std::initializer_list<std::string_view> parts) {
    return encode(mac<check_bytes>(key, parts));
}

bool keyed_check_ok(status_key const& key, std::initializer_list<std::string_view> parts,
                    std::string_view check) {
    auto const want = keyed_check(key, parts);
    return check.size() == want.size() &&
           sodium_memcmp(want.data(), check.data(), want.size()) == 0;
}

std::string status_check(status_key const& key, card_ref const& card) {
    return keyed_check(key, {card.device, std::to_string(card.seq), card.receipt});
}

bool status_check_ok(status_key const& key, card_ref const& card, std::string_view check) {
    return keyed_check_ok(key, {card.device, std::to_string(card.seq), card.receipt}, check);
}

std::string status_link(std::string_view base, status_key const& key, card_ref const& card) {
    while (base.ends_with('/')) base.remove_suffix(1);
    return std::string(base) + "/r/" + percent(card.receipt) + "?d=" + percent(card.device) +
           "&n=" + std::to_string(card.seq) + "&c=" + status_check(key, card);
}

}  // namespace candor::receipt
