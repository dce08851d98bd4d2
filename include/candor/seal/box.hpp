// Sealing a card to head office (libsodium sealed box: X25519 + XSalsa20-Poly1305).
// Only the holder of head office's secret key can open it; the sealer cannot.
// Thread safety: pure functions; they may be called from many threads at once (the first
// call initialises libsodium, once and thread-safely).
#pragma once

#include <optional>

#include "candor/seal/bytes.hpp"
#include "candor/seal/keys.hpp"

namespace candor::seal {

inline constexpr std::size_t seal_overhead = 48;  // crypto_box_SEALBYTES

bytes seal_to(hq_public const& hq, byte_view plain);
// nullopt when the box was not sealed to this key or was altered.
std::optional<bytes> open_sealed(hq_secret const& hq, byte_view sealed);

}  // namespace candor::seal
