// A record: one sealed card as the device wrote it. Outside the seal only what forwarding
// and checking need; the response itself is in `sealed`, readable by head office alone.
// Thread safety: a value type and pure functions (sign_record writes only the record it is
// given; each payload call uses an archive of its own).
#pragma once

#include <cstdint>
#include <string>

#include "candor/error.hpp"
#include "candor/seal/bytes.hpp"
#include "candor/seal/keys.hpp"

namespace candor::journal {

struct record {
    std::string device;
    std::uint64_t seq = 0;  // the device's sequence number: 1, 2, 3... with no gaps
    std::string survey;
    std::uint32_t survey_version = 0;
    std::string site;
    std::int64_t time = 0;  // when the card was submitted, Unix seconds
    seal::digest prev{};    // hash of the device's record seq - 1; zeros for seq 1
    seal::bytes sealed;     // the response as JSON, sealed to head office
    seal::signature sig{};  // by the device, over signed_bytes()
    // Format 2 (a card with personal answers, docs/journal-format.md): the personal answers
    // under the card's own key, signed by their hash; and that key sealed to head office in
    // a key box the signature does not cover, so that destroying it (erasure) leaves the
    // record verifiable and its personal answers unreadable for good. Empty in format 1;
    // the key box is empty too once removed (head office keeps it in its card_keys).
    std::uint32_t format = 1;
    seal::bytes personal{};
    seal::bytes key_box{};
    friend bool operator==(record const&, record const&) = default;
};

// Limits enforced on every field read from a file.
inline constexpr std::size_t max_name_bytes = 256;           // device, survey, site
inline constexpr std::size_t max_sealed_bytes = 512 * 1024;  // sealed and personal together
inline constexpr std::size_t max_key_box_bytes = 64;

// The canonical bytes the signature covers: everything but the signature and the key box,
// in a fixed little-endian layout (docs/journal-format.md), independent of the archive
// format; the personal part by its BLAKE2b-256.
seal::bytes signed_bytes(record const& r);
// BLAKE2b-256 of signed_bytes() followed by the signature: what the next record chains to
// and what receipts are made of.
seal::digest record_hash(record const& r);
void sign_record(record& r, seal::device_secret const& key);
bool signature_ok(record const& r, seal::public_key const& device_key);
std::string receipt(record const& r);

// The frame payload: a Boost.Serialization binary archive of the record (class version 1
// for format 1, 2 for format 2, which adds the personal part and the key box).
seal::bytes to_payload(record const& r);
result<record> from_payload(seal::byte_view payload);

}  // namespace candor::journal
