// The guest's status link: /r/CODE?d=DEVICE&n=SEQ&c=CHECK follows one card (received at head
// office, read by management, answered) without showing anything of its content. The check
// is a keyed MAC of the device, number and code under the device's status key, so that
// links cannot be made up or enumerated from receipt codes. Head office holds the status key
// (STATE/status.key of `candor serve`) that its own server's links are made with, and gives
// each other device (a kiosk) a key of its own derived from it (device_status_key): head
// office checks every device's links, a device makes links only for its own cards.
// Thread safety: status_key is a value; the functions are pure.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "candor/error.hpp"

namespace candor::receipt {

struct status_key {
    std::array<unsigned char, 32> bytes{};
};

// The key in FILE, made (random, 0600) when there is none yet. Fails "io", or "bad-key"
// for a file that is not one.
result<status_key> load_status_key(std::filesystem::path const& file);
// The key in FILE, which must be there (a device's, issued by head office). Fails "io" (none
// or unreadable), "bad-key" (not a key).
result<status_key> read_status_key(std::filesystem::path const& file);
// Writes `key` to FILE (0600, durably), replacing what was there. Fails "io".
result<void> write_status_key(std::filesystem::path const& file, status_key const& key);
status_key make_status_key();

// The status key of `device`, derived from head office's: a keyed BLAKE2b of
// ("device-status", device), so that head office needs no record of the keys it issued
// and a device's key tells nothing of another's.
status_key device_status_key(status_key const& head_office, std::string_view device);

// Which card a link names.
struct card_ref {
    std::string device;
    std::uint64_t seq = 0;
    std::string receipt;  // its receipt code, "7KQ-4M2"
};

// The check string of `card` (base32, 26 characters: 128 bits of a BLAKE2b MAC).
std::string status_check(status_key const& key, card_ref const& card);
// Whether `check` is `card`'s, compared in constant time.
bool status_check_ok(status_key const& key, card_ref const& card, std::string_view check);

// The same check over any fields (length-prefixed): the managers' one-click links.
std::string keyed_check(status_key const& key, std::initializer_list<std::string_view> parts);
bool keyed_check_ok(status_key const& key, std::initializer_list<std::string_view> parts,
                    std::string_view check);
// `s` percent-encoded for a link's path or query (unreserved characters kept).
std::string percent(std::string_view s);

// The link to put in the guest's acknowledgement: BASE/r/CODE?d=DEVICE&n=SEQ&c=CHECK, BASE
// being where head office's server is reached ("https://feedback.example.com", a trailing
// slash ignored).
std::string status_link(std::string_view base, status_key const& key, card_ref const& card);

// What the status page says of a card; the times are Unix seconds.
struct card_progress {
    std::int64_t received = 0;             // at head office
    std::optional<std::int64_t> read;      // by management
    std::optional<std::int64_t> answered;  // a reply sent to the guest
};

}  // namespace candor::receipt
