// Where head office's store (store.hpp) keeps what passed its checks. The store checks every
// record, head and receipt (written once, in lib/journal/store.cpp); a backend persists what
// passed and answers what the checks ask, from what it holds itself, not from a picture
// another writer could have made stale. The file backend is store::open's (segments and
// STORE/integrity); candor::pg implements one on PostgreSQL.
// Thread safety: a backend is used by one thread at a time, as the store over it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "candor/error.hpp"
#include "candor/journal/head.hpp"
#include "candor/journal/record.hpp"

namespace candor::journal {

// What someone at head office must look into: proof that cards were cut from a device's
// journal after it acknowledged them. Codes: "fork" (two records with one number),
// "head-fork" (a record or head that disagrees with an announced head), "rewound" (a head
// below one the device announced earlier), "missing-acknowledged" (an export that lacks
// cards its own head acknowledges), "suppressed" (a guest's receipt that head office's
// cards contradict). Raised once each, kept for good.
struct alert {
    error problem;
    std::int64_t raised = 0;  // when head office raised it, Unix seconds
};

// The key an alert is raised once under: its code, device and card.
std::string alert_key(error const& problem);

// What head office holds of a device's chain without a gap: its cards 1 to `seq`, card
// `seq`'s record_hash (zeros for seq 0). A device pushes what follows.
struct held_chain {
    std::uint64_t seq = 0;
    seal::digest hash{};
    friend bool operator==(held_chain const&, held_chain const&) = default;
};

// A stored record's place in its device's chain.
struct chain_link {
    seal::digest hash;           // its record_hash
    seal::digest prev;           // what it links to
    std::uint64_t position = 0;  // in the order accepted, from 1 (the file backend's own)
};
using chain_links = std::map<std::uint64_t, chain_link>;  // by sequence number

// A head a device announced: in a bundle (which holds the cards after `after`), in a head
// file, or as a guest's receipt.
struct known_head {
    signed_head head;
    std::optional<std::uint64_t> after;
    std::int64_t received = 0;  // Unix seconds
};

// A change asks for the cards of `device` numbered `from` to `to`.
struct wanted_cards {
    std::string device;
    std::uint64_t from = 0;
    std::uint64_t to = 0;
};

// What a change may rely on of one device while it runs.
struct device_view {
    chain_links links;                 // the cards held in the range asked for
    std::vector<known_head> heads;     // every head the device announced, oldest first
    std::set<std::string> alert_keys;  // of every alert raised about the device
};
using device_views = std::map<std::string, device_view, std::less<>>;

// A device's chain as a whole.
struct chain_shape {
    std::uint64_t highest = 0;                                     // 0 when none is held
    std::vector<std::pair<std::uint64_t, std::uint64_t>> missing;  // [from, to] below highest
    held_chain held;
};

struct accepted_record {
    record r;
    seal::digest hash;  // record_hash(r)
};

// The record is the visitor's to change (the store joins a key box to it in place).
using position_visit = std::function<void(std::uint64_t position, record&)>;

class store_backend {
  public:
    virtual ~store_backend() = default;

    // Begins a change of the devices named (a device may be named more than once): until
    // commit() or rollback(), no other writer, in this process or another, changes their
    // records, heads or alerts. Returns what is held of each, as of now.
    virtual device_views begin(std::vector<wanted_cards> const& wanted) = 0;
    // Within a change: keeps records that passed (in the order accepted), then the heads and
    // alerts the change added. Each call may be its own write.
    virtual void add(std::vector<accepted_record> const& records) = 0;
    virtual void add(std::vector<known_head> const& heads, std::vector<alert> const& alerts) = 0;
    // Within a change or not: `device`'s chain, with what the change added.
    virtual chain_shape shape(std::string_view device) const = 0;
    // Ends the change: what it added is kept (durable when commit returns), or dropped.
    virtual void commit() = 0;
    virtual void rollback() noexcept = 0;

    // Reads; each throws std::runtime_error (std::system_error for files) when the store
    // cannot be read.
    virtual std::optional<record> find(std::string_view device, std::uint64_t seq) const = 0;
    // Every record after `position` (1-based, in the order accepted); the last position seen.
    virtual std::uint64_t for_each_after(std::uint64_t position,
                                         position_visit const& visit) const = 0;
    virtual std::vector<record> find_receipt(std::string_view code) const = 0;
    virtual std::vector<alert> alerts() const = 0;
    virtual std::uint64_t size() const = 0;
    virtual errors const& recovery() const noexcept = 0;
};

}  // namespace candor::journal
