// Head office's store: every record forwarded from every device, each accepted once, after
// its signature, its chain and its seal were checked. The checks are the store's; what passed
// is kept by a backend (store_backend.hpp). The file backend (store::open): segments like a
// journal's, holding records of all devices in the order they were accepted, and beside them,
// in STORE/integrity, every head the devices announced and every alert raised
// (docs/journal.md). candor::pg keeps them in PostgreSQL (docs/postgresql.md).
// Thread safety: a store is used by one thread at a time (import and check_receipt write; the
// const members only read, and may run together while nothing writes). The file backend's
// directory lock keeps a second opener, in this process or another, out; on PostgreSQL,
// several stores write at once, each change locking the devices it touches.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "candor/error.hpp"
#include "candor/journal/card_keys.hpp"
#include "candor/journal/head.hpp"
#include "candor/journal/record.hpp"
#include "candor/journal/segment.hpp"
#include "candor/journal/store_backend.hpp"
#include "candor/progress.hpp"
#include "candor/seal/keys.hpp"

namespace candor::journal {

struct bundle_input {
    std::string name;  // names the bundle in problems, usually its path
    seal::bytes data;  // a bundle, or a head file (`candor journal head`)
};

enum class receipt_status : std::uint8_t { reached, not_yet, suppressed };
std::string_view to_string(receipt_status s) noexcept;

// What head office says of a signed receipt a guest handed in.
struct receipt_check {
    receipt_status status = receipt_status::not_yet;
    signed_head receipt;
    std::optional<record> card;  // the card head office holds at the receipt's number
    errors found;                // the alert when suppressed; why not, when not yet
};

struct device_summary {
    std::string device;
    std::uint64_t accepted = 0;
    std::uint64_t duplicates = 0;  // already in the store: imported before, added nothing
    std::uint64_t refused = 0;
    std::uint64_t highest = 0;  // highest sequence number in the store after the import
    std::vector<std::pair<std::uint64_t, std::uint64_t>> missing;  // [from, to] not received
};

struct import_report {
    std::vector<device_summary> devices;  // by device id
    errors found;  // refusals and alerts are errors; gaps and reordering are warnings
    std::uint64_t accepted = 0;
    std::uint64_t duplicates = 0;
    std::uint64_t refused = 0;  // records refused or unreadable: the devices' refused, summed
    std::uint64_t heads = 0;    // heads announced that head office did not know
    std::uint64_t alerts = 0;   // alerts raised by this import
    bool refused_any() const noexcept { return has_errors(found); }
};

// How many records apart the file store keeps a mark (segment file and offset) in memory:
// a read after a position starts at most this many records before it.
inline constexpr std::uint64_t store_mark_every = 256;

class store {
  public:
    // Opens the store in DIR, creating it if needed; a torn last frame is cut off.
    static result<store> open(std::filesystem::path const& dir, segment_options options = {});
    // A store over another backend (candor::pg's); `keys`, when given, keeps the key boxes
    // of format 2 cards apart from the records.
    explicit store(std::unique_ptr<store_backend> backend, std::optional<card_keys> keys = {});
    store(store&&) noexcept;
    store& operator=(store&&) noexcept;
    ~store();

    // Checks every record of every bundle and stores those that pass, all with one
    // fdatasync. Records from a bundle are accepted even when others in it are refused;
    // a device's site in the list binds its records to it ("wrong-site"). The heads the
    // bundles and head files carry are checked against the records and every head known
    // before, kept, and what they prove raised as alerts (with a second fdatasync).
    // `progress` hears of the records checked ("import"; their total is not known before
    // the last bundle is read). A record counts as accepted once the backend kept it (on
    // PostgreSQL: after its transaction committed). Throws std::system_error when the store
    // cannot be written (std::runtime_error from candor::pg, "store-unreachable: ..."); reopen
    // it then.
    import_report import(std::span<bundle_input const> bundles, seal::device_list const& devices,
                         seal::hq_secret const& hq, progress_fn const& progress = {});

    // A push by `device` (candor::sync): `bundle` checked as import() checks it, but stored
    // whole or not at all. Nothing of it is kept (its records, its head) when anything in it
    // is refused or damaged, it is not a bundle of `device` carrying its head ("foreign-bundle",
    // "no-head"), or a record does not follow a card head office holds ("gap"); the alerts it
    // proves are raised all the same. Throws as import().
    import_report import_whole(bundle_input const& bundle, std::string_view device,
                               seal::device_list const& devices, seal::hq_secret const& hq);

    // The device's chain as held: what its next push follows.
    held_chain held(std::string_view device) const;

    // Checks a signed receipt (format_head text, or a link ending in `#TEXT`) against the
    // cards held: "reached" when the card at its number is the receipt's; "suppressed",
    // raised as an alert, when another card holds the number, or when the device announced
    // after the receipt a head below it or exported the range without the card; "not_yet"
    // otherwise. The receipt is kept as a head the device announced. Fails when the text is
    // no receipt ("bad-head"), its device is not listed, or its signature does not verify.
    result<receipt_check> check_receipt(std::string_view text, seal::device_list const& devices);

    // Every alert raised, oldest first.
    std::vector<alert> alerts() const;

    // Every stored record, in the order accepted, a format 2 card with its key box from
    // keys() (none once erased). Throws std::system_error on I/O failure.
    void for_each(std::function<void(record const&)> const& visit) const;
    // The records accepted after `position` (1-based order of acceptance: the first record
    // stored is 1), in order, each with its position; those before it are not read (the
    // store keeps where every store_mark_every-th record starts). Returns the last position
    // visited, `position` when none was. Throws as for_each.
    std::uint64_t for_each_after(
        std::uint64_t position,
        std::function<void(std::uint64_t position, record const&)> const& visit) const;
    // The record of `device` numbered `seq`, read without a scan; nullopt when not held.
    std::optional<record> find(std::string_view device, std::uint64_t seq) const;
    // Records whose receipt code is `code` (normalized, "7KQ-4M2").
    std::vector<record> find_receipt(std::string_view code) const;

    // The key boxes of format 2 cards, kept apart from the records (the file store's in
    // STORE/keys): import writes them there, never into the records, before it returns.
    // Null for a backend that keeps them inside its records (PostgreSQL, for now): its cards
    // cannot be erased by shredding yet.
    card_keys* keys() noexcept;
    card_keys const* keys() const noexcept;

    std::uint64_t size() const;
    errors const& recovery() const noexcept;

  private:
    import_report take(std::span<bundle_input const> bundles, seal::device_list const& devices,
                       seal::hq_secret const& hq, progress_fn const& progress,
                       std::optional<std::string_view> whole);
    void join(record& r) const;
    std::unique_ptr<store_backend> b_;
    std::optional<card_keys> keys_;
    errors recovery_;  // the backend's, then the key store's
};

}  // namespace candor::journal
