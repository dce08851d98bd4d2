// Head office's card keys: the key boxes of format 2 cards, kept apart from the records (in
// STORE/keys, docs/journal-format.md), so that erasing a guest destroys the key boxes of
// their cards and nothing else: every record still verifies and counts, and their personal
// answers can never be opened again. Beside each key box, the keyed hashes of the card's
// e-mail addresses (the guest index) and its record hash (the receipt index), so that
// erasure is a lookup, not a scan of the store. The erasure log (STORE/keys/erased) says
// what was erased, when and by whom, never what it held; an erased card stays erased.
// Thread safety: used by one thread at a time (add and erase write; the const members only
// read, and may run together while nothing writes). Its directory lock keeps a second
// opener out.
#pragma once

#include <compare>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "candor/error.hpp"
#include "candor/journal/segment.hpp"
#include "candor/seal/bytes.hpp"

namespace candor::journal {

struct card_id {
    std::string device;
    std::uint64_t seq = 0;
    friend auto operator<=>(card_id const&, card_id const&) = default;
};

// What head office keeps of a format 2 card apart from its record.
struct card_key {
    card_id card;
    seal::digest hash{};  // the record's record_hash
    seal::bytes key_box;
    std::vector<seal::digest> guests;  // keyed hashes of its e-mail addresses (guest_hash)
};

// One card erased, as the erasure log keeps it.
struct erasure {
    card_id card;
    std::string receipt;      // the card's receipt code
    std::int64_t erased = 0;  // Unix seconds
    std::string by;           // who asked for it (the operator's name), as given
    std::string asked;        // how the guest was named: "receipt" or "email"
};

inline constexpr std::uint64_t max_key_segment_bytes = 1u << 20;  // what one erasure rewrites
inline constexpr std::size_t max_guests_per_card = 64;

class card_keys {
  public:
    // Opens (creating, 0700) the key store in DIR. A torn last write (an import the crash
    // interrupted, never acknowledged) is cut off and not kept; an erasure the crash
    // interrupted is finished.
    static result<card_keys> open(std::filesystem::path const& dir, segment_options options = {});
    card_keys(card_keys&&) noexcept;
    card_keys& operator=(card_keys&&) noexcept;
    ~card_keys();

    // Writes `keys` durably (one write, one fdatasync). A card erased before is skipped: a
    // bundle imported again does not bring its key box back. Throws std::system_error.
    void add(std::span<card_key const> keys);
    // The key box held for a card, or null (erased, or none given).
    seal::bytes const* key_box(card_id const& card) const;
    // The cards whose key holds this guest hash, or whose receipt code is `code` (normalized).
    std::vector<card_id> guest_cards(seal::digest const& guest) const;
    std::vector<card_id> receipt_cards(std::string_view code) const;
    // Erasures of cards with this receipt code, from the log.
    std::vector<erasure> erased_receipt(std::string_view code) const;
    bool erased(card_id const& card) const;

    // Destroys the key boxes and index entries of `cards`: the log's records written first
    // (one fdatasync), then every key segment holding one rewritten without it (a temporary
    // file, fdatasync, rename, directory sync), so that its bytes are gone from the disk.
    // Cards without a key are skipped. Returns what was erased. Throws std::system_error.
    std::vector<erasure> erase(std::span<card_id const> cards, std::string_view asked,
                               std::string_view by, std::int64_t now);
    // Every erasure, oldest first.
    std::vector<erasure> const& erasures() const noexcept;

    std::uint64_t size() const noexcept;  // key boxes held
    errors const& recovery() const noexcept;

  private:
    struct impl;
    explicit card_keys(std::unique_ptr<impl> p);
    std::unique_ptr<impl> p_;
};

// The key box held for `card` in the key store DIR (STORE/keys), read without its lock, as
// a reader beside the store's writer reads the segments; empty when none is held.
seal::bytes read_key_box(std::filesystem::path const& dir, card_id const& card);

// A guest's e-mail address as the guest index knows it: trimmed, lower case, hashed with a
// key derived from head office's secret key. Fails ("bad-email") for text that is no e-mail
// address: empty, over max_email_bytes, no `@` between other characters, control
// characters or spaces inside.
inline constexpr std::size_t max_email_bytes = 254;
result<seal::digest> guest_hash(seal::digest const& index_key, std::string_view email);

}  // namespace candor::journal
