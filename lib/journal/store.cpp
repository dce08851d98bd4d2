#include "candor/journal/store.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <system_error>
#include <tuple>

#include "candor/journal/bundle.hpp"
#include "candor/journal/inspect.hpp"
#include "candor/journal/opening.hpp"
#include "candor/seal/split.hpp"
#include "candor/time.hpp"
#include "guest_index.hpp"
#include "journal/file_store.hpp"
#include "util/event_log.hpp"
#include "util/frame.hpp"
#include "util/segments.hpp"

namespace candor::journal {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::string_view to_string(receipt_status s) noexcept {
    switch (s) {
        case receipt_status::reached:
            return "reached";
        case receipt_status::not_yet:
            return "not-yet";
        case receipt_status::suppressed:
            return "suppressed";
    }
    return "?";
}

namespace {

// The highest sequence number a store keeps (PostgreSQL's bigint).
inline constexpr std::uint64_t max_sequence = std::numeric_limits<std::int64_t>::max();

std::string card_range(std::uint64_t from, std::uint64_t to) {
    return from == to ? "card " + std::to_string(from)
                      : "cards " + std::to_string(from) + "-" + std::to_string(to);
}

// The ranges of [from, to] that `ch` does not hold, walking only what it holds.
std::vector<std::pair<std::uint64_t, std::uint64_t>> absent(chain_links const& ch,
                                                            std::uint64_t from, std::uint64_t to) {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
    auto next = from;
    for (auto it = ch.lower_bound(from); it != ch.end() && it->first <= to; ++it) {
        if (it->first > next) out.emplace_back(next, it->first - 1);
        next = it->first + 1;
    }
    if (next <= to && next != 0) out.emplace_back(next, to);
    return out;
}

std::string head_said(signed_head const& h) {
    return "card " + std::to_string(h.seq) + " on " + format_timestamp(h.time);
}

// Problems of a bundle that cost a record: counted as refused.
bool loses_a_record(std::string_view code) {
    return code == "bad-record" || code == "damaged-frame" || code == "truncated";
}

// The listed key that signs `device`'s records and heads; null, after `fail(code, message)`,
// when the device is not listed or revoked.
template <class Fail>
seal::device_public const* signer(seal::device_list const& devices, std::string const& device,
                                  Fail&& fail) {
    auto const* key = devices.find(device);
    if (key == nullptr)
        fail("unknown-device", "not in the device list");
    else if (key->revoked)
        fail("revoked-device", "the device is revoked");
    return key == nullptr || key->revoked ? nullptr : key;
}

bool is_bundle(seal::byte_view data) {
    return data.size() >= util::bundle_magic.size() &&
           seal::as_chars(data.first(util::bundle_magic.size())) == util::bundle_magic;
}

}  // namespace

std::string alert_key(error const& e) {
    return e.code + "/" + e.where.device + "/" + std::to_string(e.where.seq);
}

store::store(std::unique_ptr<store_backend> backend, std::optional<card_keys> keys)
    : b_(std::move(backend)), keys_(std::move(keys)), recovery_(b_->recovery()) {
    if (keys_)
        recovery_.insert(recovery_.end(), keys_->recovery().begin(), keys_->recovery().end());
}
store::store(store&&) noexcept = default;
store& store::operator=(store&&) noexcept = default;
store::~store() = default;

result<store> store::open(fs::path const& dir, segment_options options) {
    auto b = detail::open_file_backend(dir, options);
    if (!b) return unexpected(std::move(b).error());
    auto keys = card_keys::open(dir / "keys", options);
    if (!keys) return unexpected(std::move(keys).error());
    return store(std::move(*b), std::move(*keys));
}

namespace {

struct candidate {
    record r;
    seal::digest hash;
    std::string const* file;
    std::uint64_t offset;
    std::optional<card_key> key;  // format 2: kept in card_keys, not in the records
};

// A head as it came in, and where from.
struct announced {
    known_head k;
    std::string const* file;
    std::uint64_t offset;
};

}  // namespace

import_report store::import(std::span<bundle_input const> bundles, seal::device_list const& devices,
                            seal::hq_secret const& hq, progress_fn const& progress) {
    return take(bundles, devices, hq, progress, std::nullopt);
}

import_report store::import_whole(bundle_input const& bundle, std::string_view device,
                                  seal::device_list const& devices, seal::hq_secret const& hq) {
    return take(std::span(&bundle, 1), devices, hq, {}, device);
}

held_chain store::held(std::string_view device) const {
    return b_->shape(device).held;
}

namespace {

// A bundle or head file as read, before the change that checks it begins.
struct read_input {
    bundle_input const* in;
    std::optional<signed_head> head_file;
    bundle_contents contents;
};

// The cards of each device a change asks its backend for: around every record read, and the
// ranges the heads speak of.
class wanted_ranges {
  public:
    void want(std::string const& device, std::uint64_t from, std::uint64_t to) {
        auto [it, fresh] = ranges_.try_emplace(device, from, to);
        if (fresh) return;
        auto& [lo, hi] = it->second;
        if (from > to) return;
        if (lo > hi) {
            lo = from, hi = to;
            return;
        }
        lo = std::min(lo, from), hi = std::max(hi, to);
    }
    void around(std::string const& device, std::uint64_t seq) {
        want(device, seq == 0 ? 0 : seq - 1, seq == max_sequence ? seq : seq + 1);
    }
    void device(std::string const& device) { want(device, 1, 0); }
    std::vector<wanted_cards> list() const {
        std::vector<wanted_cards> out;
        for (auto const& [device, r] : ranges_) out.push_back({device, r.first, r.second});
        return out;
    }

  private:
    std::map<std::string, std::pair<std::uint64_t, std::uint64_t>, std::less<>> ranges_;
};

}  // namespace

import_report store::take(std::span<bundle_input const> bundles, seal::device_list const& devices,
                          seal::hq_secret const& hq, progress_fn const& progress,
                          std::optional<std::string_view> whole) {
    import_report report;
    auto const now = unix_now();
    std::map<std::string, device_summary, std::less<>> summary;
    // A record refused or lost to damage is counted for its device and in the total alike.
    auto refuse = [&](error e) {
        if (!e.where.device.empty()) {
            ++summary[e.where.device].refused;
            ++report.refused;
        }
        report.found.push_back(std::move(e));
    };

    // Everything read first: the devices it names are what the change locks and asks for.
    std::vector<read_input> inputs;
    wanted_ranges wanted;
    for (auto const& bundle : bundles) {
        if (!is_bundle(bundle.data)) {
            if (auto h = parse_head(seal::as_chars(bundle.data))) {
                wanted.want(h->device, h->seq, h->seq);
                inputs.push_back({&bundle, std::move(*h), {}});
                continue;
            }
        }
        auto contents = decode_bundle(bundle.data, bundle.name);
        if (contents.header) wanted.device(contents.header->device);
        if (contents.head)
            wanted.want(contents.head->device,
                        std::min(contents.header->after + 1, contents.head->seq),
                        contents.head->seq);
        for (auto const& in_bundle : contents.records)
            wanted.around(in_bundle.value.device, std::min(in_bundle.value.seq, max_sequence));
        inputs.push_back({&bundle, std::nullopt, std::move(contents)});
    }

    auto views = b_->begin(wanted.list());
    try {
        std::vector<known_head> new_heads;
        std::vector<alert> new_alerts;
        // Records `e` as an alert unless the same was raised before; true when it is new.
        auto raise = [&](error const& e) {
            if (!views[e.where.device].alert_keys.insert(alert_key(e)).second) return false;
            new_alerts.push_back({e, now});
            return true;
        };
        // Keeps a head; false when it was known already.
        auto remember = [&](known_head k) {
            auto& known = views[k.head.device].heads;
            for (auto const& h : known)
                if (h.head == k.head) return false;
            k.received = now;
            known.push_back(k);
            new_heads.push_back(std::move(k));
            return true;
        };
        // A head of `device` that names card `seq` with another hash than `hash`, when none
        // names it with `hash`.
        auto contradicting = [&](std::string const& device, std::uint64_t seq,
                                 seal::digest const& hash) -> signed_head const* {
            signed_head const* other = nullptr;
            for (auto const& k : views[device].heads) {
                if (k.head.seq != seq) continue;
                if (k.head.hash == hash) return nullptr;
                other = &k.head;
            }
            return other;
        };

        std::vector<announced> heads;
        std::vector<candidate> candidates;
        auto const guest_key = seal::guest_index_key(hq);
        std::uint64_t checked = 0;  // records read, for `progress`
        for (auto& input : inputs) {
            auto const& bundle = *input.in;
            if (input.head_file) {
                heads.push_back({{std::move(*input.head_file), std::nullopt}, &bundle.name, 0});
                continue;
            }
            auto& contents = input.contents;
            for (auto& p : contents.found) {
                if (loses_a_record(p.code))
                    refuse(std::move(p));
                else
                    report.found.push_back(std::move(p));
            }
            if (whole && (!contents.header || contents.header->device != *whole))
                report.found.push_back({severity::error,
                                        "foreign-bundle",
                                        "not a bundle of device " + std::string(*whole) +
                                            ", the device that pushed it",
                                        {.file = bundle.name, .device = std::string(*whole)}});
            else if (whole && !contents.head)
                report.found.push_back({severity::error,
                                        "no-head",
                                        "a push carries its device's head (a bundle of format 2)",
                                        {.file = bundle.name, .device = std::string(*whole)}});
            if (contents.head)
                heads.push_back({{std::move(*contents.head), contents.header->after},
                                 &bundle.name,
                                 util::file_header_size});
            else if (contents.header && !views[contents.header->device].heads.empty())
                report.found.push_back(
                    {severity::warning,
                     "no-head",
                     "a bundle without its device's head, from a device that announces heads: "
                     "it may have been taken out (what the bundle should hold cannot be checked)",
                     {.file = bundle.name, .device = contents.header->device}});
            std::map<std::string, std::uint64_t, std::less<>> last_seen;
            for (auto& in_bundle : contents.records) {
                if (progress && ++checked % progress_every == 0) progress({"import", checked, 0});
                auto& r = in_bundle.value;
                auto const offset = in_bundle.offset;
                auto fail = [&](std::string code, std::string message) {
                    refuse({severity::error,
                            std::move(code),
                            std::move(message),
                            {.file = bundle.name,
                             .offset = offset,
                             .device = r.device,
                             .seq = r.seq}});
                };
                if (contents.header && r.device != contents.header->device) {
                    fail("foreign-record", "a record of this device in a bundle of device " +
                                               contents.header->device);
                    continue;
                }
                auto const* key = signer(devices, r.device, fail);
                if (key == nullptr) continue;
                if (!signature_ok(r, key->key)) {
                    fail("bad-signature", "signature does not verify: the record was altered");
                    continue;
                }
                if (!key->site.empty() && !r.site.empty() && r.site != key->site) {
                    fail("wrong-site", "filed under site " + r.site + " by a device of site " +
                                           key->site + " (the device list's)");
                    continue;
                }
                auto opened = open_parts(r, hq);
                if (!opened) {
                    auto const& why = opened.error().front();
                    fail(why.code, why.code == "unreadable"
                                       ? "signed, but sealed to another key or not sealed at all"
                                       : why.message);
                    continue;
                }
                for (auto& w : opened->found)
                    report.found.push_back({w.level,
                                            w.code,
                                            w.message,
                                            {.file = bundle.name,
                                             .offset = offset,
                                             .device = r.device,
                                             .seq = r.seq}});
                auto& seen = last_seen[r.device];
                if (r.seq <= seen)
                    report.found.push_back(
                        {severity::warning,
                         "out-of-order",
                         "comes after card " + std::to_string(seen) + " in the bundle",
                         {.file = bundle.name,
                          .offset = offset,
                          .device = r.device,
                          .seq = r.seq}});
                seen = std::max(seen, r.seq);
                auto h = record_hash(r);
                std::optional<card_key> kept;
                if (keys_) {
                    kept = detail::card_key_of(r, h, *opened, guest_key);
                    r.key_box.clear();
                }
                candidates.push_back({std::move(r), h, &bundle.name, offset, std::move(kept)});
            }
        }

        // The heads first, so that the records are checked against them too.
        std::vector<announced> fresh;
        for (auto& a : heads) {
            auto const& h = a.k.head;
            auto fail = [&](std::string code, std::string message) {
                report.found.push_back(
                    {severity::error,
                     std::move(code),
                     std::move(message),
                     {.file = *a.file, .offset = a.offset, .device = h.device, .seq = h.seq}});
            };
            auto const* key = signer(devices, h.device, fail);
            if (key == nullptr) continue;
            if (!head_signature_ok(h, key->key)) {
                fail("bad-signature", "the head's signature does not verify: it was altered");
                continue;
            }
            if (!remember(a.k)) continue;  // known: it adds nothing
            ++report.heads;
            fresh.push_back(std::move(a));
        }

        std::stable_sort(candidates.begin(), candidates.end(), [](auto const& a, auto const& b) {
            return std::tie(a.r.device, a.r.seq) < std::tie(b.r.device, b.r.seq);
        });
        std::vector<accepted_record> accepted;
        std::vector<card_key> keys;
        for (auto& c : candidates) {
            auto const& r = c.r;
            location const at{
                .file = *c.file, .offset = c.offset, .device = r.device, .seq = r.seq};
            auto fail = [&](std::string code, std::string message) {
                refuse({severity::error, std::move(code), std::move(message), at});
            };
            auto& ch = views[r.device].links;
            auto& sum = summary[r.device];
            if (auto same = ch.find(r.seq); same != ch.end()) {
                if (same->second.hash == c.hash) {
                    ++sum.duplicates, ++report.duplicates;
                } else {
                    fail("fork",
                         "two different records with this sequence number; the first "
                         "received is kept");
                    if (raise(report.found.back())) ++report.alerts;
                }
                continue;
            }
            if (auto const* h = contradicting(r.device, r.seq, c.hash)) {
                fail("head-fork", "not the card the device announced as card " +
                                      std::to_string(h->seq) + " (" + head_said(*h) +
                                      "): the number was given again after its cards were cut");
                if (raise(report.found.back())) ++report.alerts;
                continue;
            }
            if (r.seq == 0) {
                fail("chain-break", "sequence numbers start at 1");
                continue;
            }
            if (r.seq > max_sequence) {
                fail("chain-break", "a sequence number beyond any a device reaches");
                continue;
            }
            if (r.seq == 1 && r.prev != seal::digest{}) {
                fail("chain-break", "the first record links to a record before it");
                continue;
            }
            if (auto pred = ch.find(r.seq - 1); pred != ch.end() && pred->second.hash != r.prev) {
                fail("chain-break", "does not link to card " + std::to_string(r.seq - 1));
                continue;
            }
            if (auto succ = ch.find(r.seq + 1); succ != ch.end() && succ->second.prev != c.hash) {
                fail("chain-break", "card " + std::to_string(r.seq + 1) + " does not link to it");
                continue;
            }
            if (whole && r.seq != 1 && !ch.count(r.seq - 1)) {
                fail("gap", "card " + std::to_string(r.seq - 1) +
                                " has not reached head office: a push follows the cards it holds");
                continue;
            }
            ch[r.seq] = {c.hash, r.prev, 0};
            if (c.key) keys.push_back(std::move(*c.key));
            accepted.push_back({std::move(c.r), c.hash});
            ++sum.accepted, ++report.accepted;
        }
        if (whole && has_errors(report.found)) {
            // Refused: none of it is kept, but what it proved stays raised.
            for (auto const& a : accepted) views[a.r.device].links.erase(a.r.seq);
            accepted.clear();
            keys.clear();
            fresh.clear();
            new_heads.clear();
            report.heads = 0;
            for (auto& [device, sum] : summary) {
                sum.refused += sum.accepted;
                report.refused += sum.accepted;
                sum.accepted = 0;
            }
            report.accepted = 0;
        }
        if (keys_) keys_->add(keys);  // durable before the records that need them
        b_->add(accepted);
        if (progress) progress({"import", checked, checked});

        // What each new head says, against the cards held and the heads known.
        for (auto const& a : fresh) {
            auto const& h = a.k.head;
            auto const& ch = views[h.device].links;
            location const at{
                .file = *a.file, .offset = a.offset, .device = h.device, .seq = h.seq};
            auto alert_at = [&](std::string code, std::string message, std::uint64_t seq) {
                error e{severity::error, std::move(code), std::move(message), at};
                e.where.seq = seq;
                if (!raise(e)) return;  // raised before, or twice by this import's heads
                ++report.alerts;
                report.found.push_back(std::move(e));
            };
            if (auto it = ch.find(h.seq); h.seq != 0 && it != ch.end() && it->second.hash != h.hash)
                alert_at("head-fork",
                         "the device's head (" + head_said(h) +
                             ") names another card than the one head office holds",
                         h.seq);
            for (auto const& k : views[h.device].heads) {
                if (k.head == h) continue;
                if (k.head.seq == h.seq && k.head.hash != h.hash)
                    alert_at("head-fork",
                             "two heads name two different cards " + std::to_string(h.seq) + " (" +
                                 format_timestamp(k.head.time) + " and " +
                                 format_timestamp(h.time) + ")",
                             h.seq);
                auto const& earlier = k.head.time < h.time ? k.head : h;
                auto const& later = k.head.time < h.time ? h : k.head;
                if (later.time > earlier.time && later.seq < earlier.seq)
                    alert_at("rewound",
                             "the device announced " + head_said(earlier) + ", then only " +
                                 head_said(later) + ": " + card_range(later.seq + 1, earlier.seq) +
                                 " were cut from its journal",
                             later.seq + 1);
            }
            if (a.k.after) {
                for (auto const& [from, to] : absent(ch, *a.k.after + 1, h.seq))
                    alert_at("missing-acknowledged",
                             "the bundle's head acknowledges " + head_said(h) + ", but " +
                                 card_range(from, to) + " of its range did not arrive",
                             from);
            } else if (auto highest = b_->shape(h.device).highest; highest < h.seq) {
                report.found.push_back({severity::warning, "not-received",
                                        "the device announced " + head_said(h) + "; " +
                                            card_range(highest + 1, h.seq) + " not received yet",
                                        at});
            }
        }
        b_->add(new_heads, new_alerts);

        for (auto& [device, sum] : summary) {
            sum.device = device;
            auto shape = b_->shape(device);
            sum.missing = std::move(shape.missing);
            sum.highest = shape.highest;
            for (auto const& [from, to] : sum.missing)
                report.found.push_back({severity::warning,
                                        "gap",
                                        card_range(from, to) + " not received (missing so far)",
                                        {.device = device, .seq = from}});
            report.devices.push_back(std::move(sum));
        }
        b_->commit();
    } catch (...) {
        b_->rollback();
        throw;
    }
    return report;
}

result<receipt_check> store::check_receipt(std::string_view text,
                                           seal::device_list const& devices) {
    auto parsed = parse_head(text);
    if (!parsed) return unexpected(std::move(parsed).error());
    auto const& h = *parsed;
    location const at{.device = h.device, .seq = h.seq};
    auto const* key = devices.find(h.device);
    if (key == nullptr)
        return fail("unknown-device", "a receipt of a device not in the device list", at);
    if (!head_signature_ok(h, key->key))
        return fail("bad-signature", "the receipt's signature does not verify: not the device's",
                    at);
    if (h.seq == 0) return fail("bad-head", "a head before the first card is no receipt", at);

    auto const now = unix_now();
    receipt_check out;
    out.receipt = h;
    auto views = b_->begin({{h.device, h.seq, h.seq}});
    try {
        auto& view = views[h.device];
        std::optional<std::string> proof;
        if (auto card = view.links.find(h.seq); card != view.links.end()) {
            out.card = b_->find(h.device, h.seq);
            if (card->second.hash == h.hash)
                out.status = receipt_status::reached;
            else
                proof = "head office holds another card " + std::to_string(h.seq) +
                        ": the guest's card was cut from the journal and its number given again";
        } else {
            std::optional<std::uint64_t> past;
            for (auto const& k : view.heads) {
                if (k.head.time > h.time && k.head.seq < h.seq) {
                    proof = "after acknowledging it on " + format_timestamp(h.time) +
                            ", the device announced " + head_said(k.head) +
                            " as the end of its journal";
                    break;
                }
                if (k.after && *k.after < h.seq && h.seq <= k.head.seq) {
                    proof = "the device's bundle of cards " + std::to_string(*k.after + 1) + "-" +
                            std::to_string(k.head.seq) + " (" + head_said(k.head) +
                            ") did not carry it";
                    break;
                }
                if (k.head.seq >= h.seq) past = k.head.seq;
            }
            if (!proof)
                out.found.push_back(
                    {severity::note, "not-received",
                     past ? "not received yet, though the device is past it (card " +
                                std::to_string(*past) + "): its next bundle must carry it"
                          : "not received yet",
                     at});
        }
        std::vector<alert> raised;
        if (proof) {
            out.status = receipt_status::suppressed;
            error e{severity::error, "suppressed",
                    "the guest's receipt for card " + std::to_string(h.seq) + ": " + *proof, at};
            if (view.alert_keys.insert(alert_key(e)).second) raised.push_back({e, now});
            out.found.push_back(std::move(e));
        }
        std::vector<known_head> kept;
        if (std::none_of(view.heads.begin(), view.heads.end(),
                         [&](known_head const& k) { return k.head == h; }))
            kept.push_back({h, std::nullopt, now});
        b_->add(kept, raised);
        b_->commit();
    } catch (...) {
        b_->rollback();
        throw;
    }
    return out;
}

std::vector<alert> store::alerts() const {
    return b_->alerts();
}

// A format 2 record as read, with its key box from the key store (none once erased).
void store::join(record& r) const {
    if (!keys_ || r.format == 1) return;
    if (auto const* box = keys_->key_box({r.device, r.seq})) r.key_box = *box;
}

void store::for_each(std::function<void(record const&)> const& visit) const {
    for_each_after(0, [&](std::uint64_t, record const& r) { visit(r); });
}

std::uint64_t store::for_each_after(
    std::uint64_t position,
    std::function<void(std::uint64_t position, record const&)> const& visit) const {
    return b_->for_each_after(position, [&](std::uint64_t at, record& r) {
        join(r);
        visit(at, r);
    });
}

std::optional<record> store::find(std::string_view device, std::uint64_t seq) const {
    auto r = b_->find(device, seq);
    if (r) join(*r);
    return r;
}

std::vector<record> store::find_receipt(std::string_view code) const {
    auto found = b_->find_receipt(code);
    for (auto& r : found) join(r);
    return found;
}

card_keys* store::keys() noexcept {
    return keys_ ? &*keys_ : nullptr;
}
card_keys const* store::keys() const noexcept {
    return keys_ ? &*keys_ : nullptr;
}

std::uint64_t store::size() const {
    return b_->size();
}
errors const& store::recovery() const noexcept {
    return recovery_;
}

}  // namespace candor::journal
