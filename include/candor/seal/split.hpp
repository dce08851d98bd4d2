// The split seal of a card with personal answers (journal format version 2): the card's
// answers sealed to head office as seal_to() seals them, and its personal answers under a
// fresh per-card key K; K itself sealed to head office in a detachable key box. Destroying
// the key box leaves the personal part unopenable for good (crypto-shredding), while the
// bytes a device signs (the sealed part, the personal part's hash) stay as they were.
// One X25519 exchange serves both boxes, at sealing and at opening: the sealed part is
// byte for byte a crypto_box_seal, the key box is K under the same shared key with a nonce
// of its own (docs/journal-format.md).
// Thread safety: pure functions; they may be called from many threads at once.
#pragma once

#include <cstdint>
#include <optional>

#include "candor/seal/bytes.hpp"
#include "candor/seal/keys.hpp"

namespace candor::seal {

inline constexpr std::size_t key_box_bytes = 48;      // K (32) and its MAC (16)
inline constexpr std::size_t personal_overhead = 40;  // nonce (24) and MAC (16)

struct split_sealed {
    bytes sealed;    // the non-personal content, a crypto_box_seal to head office
    bytes personal;  // nonce, then the personal content under K (crypto_secretbox)
    bytes key_box;   // K under the sealed part's shared key
};
split_sealed seal_split(hq_public const& hq, byte_view content, byte_view personal);

enum class personal_state : std::uint8_t {
    opened,     // the personal part opened
    erased,     // no key box: it was destroyed (or never given to this reader)
    unopenable  // a key box that does not open the personal part: altered or misplaced
};

struct split_opened {
    std::optional<bytes> content;   // nullopt: the sealed part is not sealed to this key
    std::optional<bytes> personal;  // set when `state` is opened
    personal_state state = personal_state::erased;
};
// Opens the sealed part and, when `key_box` is not empty, the personal part with it.
split_opened open_split(hq_secret const& hq, byte_view sealed, byte_view personal,
                        byte_view key_box);

// BLAKE2b-256 of `data` keyed with `key` (the guest index's hashes of e-mail addresses).
digest keyed_hash(digest const& key, byte_view data) noexcept;
// The guest index's key: BLAKE2b-256 keyed with head office's secret key, of a fixed domain.
digest guest_index_key(hq_secret const& hq) noexcept;

}  // namespace candor::seal
