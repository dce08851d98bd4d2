#include "candor/seal/bytes.hpp"

#include <sodium.h>

#include <stdexcept>

#include "sodium_init.hpp"

namespace candor::seal {

namespace detail {
void ensure_sodium() {
    static int const ready = sodium_init();
    if (ready < 0) throw std::runtime_error("libsodium could not be initialised");
}
}  // namespace detail

std::string to_hex(byte_view b) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(b.size() * 2, '\0');
    for (std::size_t i = 0; i < b.size(); ++i) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    return out;
}

bool from_hex(std::string_view hex, std::span<std::uint8_t> out) noexcept {
    if (hex.size() != out.size() * 2) return false;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < out.size(); ++i) {
        int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return false;
        out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
    }
    return true;
}

namespace {
int sodium_variant(base64 v) {
    return v == base64::url ? sodium_base64_VARIANT_URLSAFE_NO_PADDING
                            : sodium_base64_VARIANT_ORIGINAL;
}
}  // namespace

std::string to_base64(byte_view b, base64 variant) {
    detail::ensure_sodium();
    int const v = sodium_variant(variant);
    std::string out(sodium_base64_ENCODED_LEN(b.size(), v), '\0');
    sodium_bin2base64(out.data(), out.size(), b.data(), b.size(), v);
    out.pop_back();  // the terminating NUL sodium writes
    return out;
}

std::optional<bytes> from_base64(std::string_view text, base64 variant) {
    detail::ensure_sodium();
    bytes out(text.size() / 4 * 3 + 3);
    std::size_t n = 0;
    char const* end = nullptr;
    if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &n, &end,
                          sodium_variant(variant)) != 0 ||
        end != text.data() + text.size())
        return std::nullopt;
    out.resize(n);
    return out;
}

void wipe(void* p, std::size_t n) noexcept { sodium_memzero(p, n); }

digest hash(byte_view data) noexcept {
    detail::ensure_sodium();  // the first init swaps BLAKE2b's implementation under readers
    digest d;
    crypto_generichash(d.data(), d.size(), data.data(), data.size(), nullptr, 0);
    return d;
}

}  // namespace candor::seal
