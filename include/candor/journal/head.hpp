// Signed heads: a device's statement, under its key, that its chain has reached card `seq`
// whose record hash is `hash`, made at `time` by its clock. The receipt a guest takes home is
// one (the head as their card made it), and so is what the device announces to head office.
// Head office keeps every head it is shown: a record or a later head that disagrees with
// one proves that cards were cut from the device's journal (docs/journal.md).
// Thread safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "candor/error.hpp"
#include "candor/seal/bytes.hpp"
#include "candor/seal/keys.hpp"

namespace candor::journal {

struct signed_head {
    std::string device;
    std::uint64_t seq = 0;  // 0: no card yet
    seal::digest hash{};    // record_hash() of card `seq`; zeros for seq 0
    std::int64_t time = 0;  // when it was signed, Unix seconds by the device's clock
    seal::signature sig{};
    friend bool operator==(signed_head const&, signed_head const&) = default;
};

signed_head sign_head(seal::device_secret const& key, std::uint64_t seq, seal::digest const& hash,
                      std::int64_t time);
bool head_signature_ok(signed_head const& h, seal::public_key const& device_key);

// Binary form (docs/journal-format.md): version byte 1, device (u8 length + bytes), seq
// (u64), time (i64), hash, signature; 121 bytes for a 7-letter device id.
seal::bytes head_bytes(signed_head const& h);
result<signed_head> head_from_bytes(seal::byte_view b);

// Text form: the binary form in base64url without padding (about 160 characters), for a
// link, a QR code or a head file. parse_head ignores surrounding whitespace and takes a link
// ending in `#TEXT` as TEXT; anything else gives "bad-head".
std::string format_head(signed_head const& h);
result<signed_head> parse_head(std::string_view text);

}  // namespace candor::journal
