#include "tokens.hpp"

#include <stdexcept>

namespace candor::serve::tokens {

namespace {

constexpr std::size_t token_chars = (token_bytes * 4 + 2) / 3;  // base64 without padding
constexpr auto base64_variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
constexpr std::size_t name_bytes = 12;

digest hash_raw(std::array<unsigned char, token_bytes> const& raw) {
    digest d{};
    crypto_generichash(d.data(), d.size(), raw.data(), raw.size(), nullptr, 0);
    return d;
}

}  // namespace

made make() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
    std::array<unsigned char, token_bytes> raw{};
    randombytes_buf(raw.data(), raw.size());
    std::string text(sodium_base64_ENCODED_LEN(token_bytes, base64_variant), '\0');
    sodium_bin2base64(text.data(), text.size(), raw.data(), raw.size(), base64_variant);
    text.resize(token_chars);
    return {std::move(text), hash_raw(raw)};
}

std::optional<digest> hash_of(std::string_view text) {
    if (text.size() != token_chars) return std::nullopt;
    std::array<unsigned char, token_bytes> raw{};
    std::size_t len = 0;
    if (sodium_base642bin(raw.data(), raw.size(), text.data(), text.size(), nullptr, &len, nullptr,
                          base64_variant) != 0 ||
        len != token_bytes)
        return std::nullopt;
    return hash_raw(raw);
}

bool same(digest const& a, digest const& b) noexcept {
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string hex(unsigned char const* data, std::size_t size) {
    std::string out(size * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), data, size);
    out.pop_back();
    return out;
}

std::string name_of(digest const& d) {
    return hex(d.data(), name_bytes);
}

}  // namespace candor::serve::tokens
