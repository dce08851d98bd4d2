// Byte strings, digests and hex: the vocabulary of candor::seal and candor::journal.
// Thread safety: value types and pure functions; they may be called from many threads at
// once (libsodium is initialised on first use, once and thread-safely).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace candor::seal {

using bytes = std::vector<std::uint8_t>;
using byte_view = std::span<std::uint8_t const>;

using public_key = std::array<std::uint8_t, 32>;  // X25519 (head office) or Ed25519 (device)
using digest = std::array<std::uint8_t, 32>;      // BLAKE2b-256
using signature = std::array<std::uint8_t, 64>;   // Ed25519

inline byte_view as_bytes(std::string_view s) noexcept {
    return {reinterpret_cast<std::uint8_t const*>(s.data()), s.size()};
}
inline std::string_view as_chars(byte_view b) noexcept {
    return {reinterpret_cast<char const*>(b.data()), b.size()};
}

std::string to_hex(byte_view b);
// False unless `hex` is exactly 2 * out.size() hex digits.
bool from_hex(std::string_view hex, std::span<std::uint8_t> out) noexcept;

// Base64 (RFC 4648): the standard alphabet with padding, or the URL-safe one without padding
// (for links and QR codes). from_base64 is nullopt for anything else, whitespace included.
enum class base64 : std::uint8_t { standard, url };
std::string to_base64(byte_view b, base64 variant = base64::standard);
std::optional<bytes> from_base64(std::string_view text, base64 variant = base64::standard);

// Overwrites memory the compiler may not optimise the write away (sodium_memzero).
void wipe(void* p, std::size_t n) noexcept;

// BLAKE2b-256 of `data`.
digest hash(byte_view data) noexcept;

}  // namespace candor::seal
