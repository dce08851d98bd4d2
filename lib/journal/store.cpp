#include "candor/journal/store.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
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

struct link {
    seal::digest hash;
    seal::digest prev;
};
using chain = std::map<std::uint64_t, link>;  // by sequence number

// A head a device announced: in a bundle (which holds the cards after `after`), in a head
// file, or as a guest's receipt.
struct known_head {
    signed_head head;
    std::optional<std::uint64_t> after;
};

std::string card_range(std::uint64_t from, std::uint64_t to) {
    return from == to ? "card " + std::to_string(from)
                      : "cards " + std::to_string(from) + "-" + std::to_string(to);
}

// The ranges of [from, to] that `ch` does not hold, walking only what it holds.
std::vector<std::pair<std::uint64_t, std::uint64_t>> absent(chain const& ch, std::uint64_t from,
                                                            std::uint64_t to) {
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

struct store::impl {
    impl(util::dir_lock l, fs::path d, util::segment_writer w, card_keys k,
         std::map<std::string, chain, std::less<>> by_device, std::uint64_t n, errors r)
        : lock(std::move(l)),
          dir(std::move(d)),
          writer(std::move(w)),
          keys(std::move(k)),
          devices(std::move(by_device)),
          size(n),
          recovery(std::move(r)) {}

    util::dir_lock lock;
    fs::path dir;
    util::segment_writer writer;
    card_keys keys;
    std::map<std::string, chain, std::less<>> devices;
    std::uint64_t size = 0;
    errors recovery;
    std::optional<util::event_log> integrity;
    std::map<std::string, std::vector<known_head>, std::less<>> heads;  // by device
    std::set<std::string, std::less<>> head_texts;
    std::vector<alert> alerts;
    std::set<std::string, std::less<>> alert_keys;
    std::vector<json> pending;  // integrity events not written yet

    void apply(json const& e) {
        auto const t = e.at("t").get<std::string>();
        if (t == "head") {
            auto h = parse_head(e.at("head").get<std::string>());
            if (!h) throw json::other_error::create(501, "a head event without a head", nullptr);
            std::optional<std::uint64_t> after;
            if (!e.at("after").is_null()) after = e.at("after").get<std::uint64_t>();
            head_texts.insert(e.at("head").get<std::string>());
            heads[h->device].push_back({std::move(*h), after});
        } else if (t == "alert") {
            alert a{{severity::error,
                     e.at("code"),
                     e.at("message"),
                     {.file = e.at("file"), .device = e.at("device"), .seq = e.at("seq")}},
                    e.at("raised")};
            alert_keys.insert(key_of(a.problem));
            alerts.push_back(std::move(a));
        }
    }

    static std::string key_of(error const& e) {
        return e.code + "/" + e.where.device + "/" + std::to_string(e.where.seq);
    }

    // Records `e` as an alert unless the same was raised before; true when it is new.
    bool raise(error const& e, std::int64_t now) {
        if (alert_keys.count(key_of(e))) return false;
        json event{{"t", "alert"},         {"code", e.code},           {"message", e.message},
                   {"file", e.where.file}, {"device", e.where.device}, {"seq", e.where.seq},
                   {"raised", now}};
        apply(event);
        pending.push_back(std::move(event));
        return true;
    }

    // Keeps a head; false when it was known already.
    bool remember(known_head const& k, std::int64_t now) {
        auto text = format_head(k.head);
        if (head_texts.count(text)) return false;
        json event{{"t", "head"}, {"head", text}, {"after", nullptr}, {"received", now}};
        if (k.after) event["after"] = *k.after;
        apply(event);
        pending.push_back(std::move(event));
        return true;
    }

    // Takes back heads remembered but not written yet (a refused push).
    void forget(std::set<std::string, std::less<>> const& texts) {
        if (texts.empty()) return;
        std::erase_if(pending, [&](json const& e) {
            return e.at("t") == "head" && texts.count(e.at("head").get<std::string>());
        });
        for (auto& [device, known] : heads)
            std::erase_if(known,
                          [&](known_head const& k) { return texts.count(format_head(k.head)); });
        for (auto const& t : texts) head_texts.erase(t);
    }

    void flush() {
        if (pending.empty()) return;
        integrity->append_all(pending);
        pending.clear();
    }

    // A head of `device` that names card `seq` with another hash than `hash`, when none
    // names it with `hash`.
    signed_head const* contradicting(std::string const& device, std::uint64_t seq,
                                     seal::digest const& hash) const {
        auto it = heads.find(device);
        if (it == heads.end()) return nullptr;
        signed_head const* other = nullptr;
        for (auto const& k : it->second) {
            if (k.head.seq != seq) continue;
            if (k.head.hash == hash) return nullptr;
            other = &k.head;
        }
        return other;
    }
};

store::store(std::unique_ptr<impl> p) : p_(std::move(p)) {}
store::store(store&&) noexcept = default;
store& store::operator=(store&&) noexcept = default;
store::~store() = default;

result<store> store::open(fs::path const& dir, segment_options options) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || fs::exists(dir / device_file_name))
        return fail(
            "not-a-store",
            ec ? "cannot create: " + ec.message() : "a device journal, not head office's store",
            {.file = dir.string()});
    std::optional<util::dir_lock> lock;
    try {
        lock.emplace(dir);
    } catch (std::system_error const& e) {
        return fail("in-use", e.what(), {.file = dir.string()});
    }
    std::map<std::string, chain, std::less<>> devices;
    std::uint64_t size = 0;
    errors recovery;
    auto scanned = util::scan_segments(
        dir, [&](fs::path const& file, std::uint64_t offset, seal::byte_view payload) {
            auto r = from_payload(payload);
            if (!r) {
                recovery.push_back({severity::error,
                                    "bad-record",
                                    r.error().front().message,
                                    {.file = file.string(), .offset = offset}});
                return;
            }
            devices[r->device][r->seq] = {record_hash(*r), r->prev};
            ++size;
        });
    recovery.insert(recovery.begin(), scanned.found.begin(), scanned.found.end());
    if (scanned.torn) {
        util::cut_torn_tail(*scanned.torn);
        recovery.push_back({severity::warning,
                            "torn-tail-cut",
                            "cut off an unfinished last write (an import the crash interrupted; "
                            "import its bundles again)",
                            {.file = scanned.torn->file.string(), .offset = scanned.torn->offset}});
    }
    auto keys = card_keys::open(dir / "keys", options);
    if (!keys) return unexpected(std::move(keys).error());
    recovery.insert(recovery.end(), keys->recovery().begin(), keys->recovery().end());
    std::vector<json> events;
    auto integrity = util::event_log::open(dir / "integrity", options,
                                           [&](json const& e) { events.push_back(e); });
    if (!integrity) return unexpected(std::move(integrity).error());
    auto p =
        std::make_unique<impl>(std::move(*lock), dir, util::segment_writer(dir, scanned, options),
                               std::move(*keys), std::move(devices), size, std::move(recovery));
    p->integrity.emplace(std::move(*integrity));
    try {
        for (auto const& e : events) p->apply(e);
    } catch (json::exception const& e) {
        return fail("bad-event", e.what(), {.file = (dir / "integrity").string()});
    }
    return store(std::move(p));
}

namespace {

struct candidate {
    record r;
    seal::digest hash;
    std::string const* file;
    std::uint64_t offset;
    std::optional<card_key> key;  // format 2: kept in card_keys, not in the segments
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
    held_chain out;
    auto it = p_->devices.find(device);
    if (it == p_->devices.end()) return out;
    for (auto const& [seq, l] : it->second) {
        if (seq != out.seq + 1) break;
        out = {seq, l.hash};
    }
    return out;
}

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
    auto raise = [&](error const& e) {
        if (p_->raise(e, now)) ++report.alerts;
    };

    std::vector<announced> heads;
    std::vector<candidate> candidates;
    auto const guest_key = seal::guest_index_key(hq);
    std::uint64_t checked = 0;  // records read, for `progress`
    for (auto const& bundle : bundles) {
        if (!is_bundle(bundle.data)) {
            if (auto h = parse_head(seal::as_chars(bundle.data))) {
                heads.push_back({{std::move(*h), std::nullopt}, &bundle.name, 0});
                continue;
            }
        }
        auto contents = decode_bundle(bundle.data, bundle.name);
        for (auto& p : contents.found) {
            if (loses_a_record(p.code))
                refuse(std::move(p));
            else
                report.found.push_back(std::move(p));
        }
        if (whole && (!contents.header || contents.header->device != *whole))
            report.found.push_back(
                {severity::error,
                 "foreign-bundle",
                 "not a bundle of device " + std::string(*whole) + ", the device that pushed it",
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
        else if (contents.header && p_->heads.count(contents.header->device))
            report.found.push_back(
                {severity::warning,
                 "no-head",
                 "a bundle without its device's head, from a device that announces heads: it "
                 "may have been taken out (what the bundle should hold cannot be checked)",
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
                        {.file = bundle.name, .offset = offset, .device = r.device, .seq = r.seq}});
            };
            if (contents.header && r.device != contents.header->device) {
                fail("foreign-record",
                     "a record of this device in a bundle of device " + contents.header->device);
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
                report.found.push_back(
                    {w.level,
                     w.code,
                     w.message,
                     {.file = bundle.name, .offset = offset, .device = r.device, .seq = r.seq}});
            auto& seen = last_seen[r.device];
            if (r.seq <= seen)
                report.found.push_back(
                    {severity::warning,
                     "out-of-order",
                     "comes after card " + std::to_string(seen) + " in the bundle",
                     {.file = bundle.name, .offset = offset, .device = r.device, .seq = r.seq}});
            seen = std::max(seen, r.seq);
            auto h = record_hash(r);
            auto kept = detail::card_key_of(r, h, *opened, guest_key);
            r.key_box.clear();
            candidates.push_back({std::move(r), h, &bundle.name, offset, std::move(kept)});
        }
    }

    // The heads first, so that the records are checked against them too.
    std::vector<announced> fresh;
    std::set<std::string, std::less<>> remembered;  // head texts this import added
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
        if (!p_->remember(a.k, now)) continue;  // known: it adds nothing
        remembered.insert(format_head(h));
        ++report.heads;
        fresh.push_back(std::move(a));
    }

    std::stable_sort(candidates.begin(), candidates.end(), [](auto const& a, auto const& b) {
        return std::tie(a.r.device, a.r.seq) < std::tie(b.r.device, b.r.seq);
    });
    seal::bytes frames;
    std::vector<card_key> keys;
    std::vector<std::pair<chain*, std::uint64_t>> added;
    for (auto const& c : candidates) {
        auto const& r = c.r;
        location const at{.file = *c.file, .offset = c.offset, .device = r.device, .seq = r.seq};
        auto fail = [&](std::string code, std::string message) {
            refuse({severity::error, std::move(code), std::move(message), at});
        };
        auto& ch = p_->devices[r.device];
        auto& sum = summary[r.device];
        if (auto same = ch.find(r.seq); same != ch.end()) {
            if (same->second.hash == c.hash) {
                ++sum.duplicates, ++report.duplicates;
            } else {
                fail("fork",
                     "two different records with this sequence number; the first "
                     "received is kept");
                raise(report.found.back());
            }
            continue;
        }
        if (auto const* h = p_->contradicting(r.device, r.seq, c.hash)) {
            fail("head-fork", "not the card the device announced as card " +
                                  std::to_string(h->seq) + " (" + head_said(*h) +
                                  "): the number was given again after its cards were cut");
            raise(report.found.back());
            continue;
        }
        if (r.seq == 0) {
            fail("chain-break", "sequence numbers start at 1");
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
        ch[r.seq] = {c.hash, r.prev};
        added.emplace_back(&ch, r.seq);
        util::append_frame(frames, to_payload(r));
        if (c.key) keys.push_back(*c.key);
        ++sum.accepted, ++report.accepted;
    }
    if (whole && has_errors(report.found)) {
        // Refused: none of it is kept, but what it proved stays raised.
        for (auto const& [ch, seq] : added) ch->erase(seq);
        frames.clear();
        keys.clear();
        fresh.clear();
        p_->forget(remembered);
        report.heads = 0;
        for (auto& [device, sum] : summary) {
            sum.refused += sum.accepted;
            report.refused += sum.accepted;
            sum.accepted = 0;
        }
        report.accepted = 0;
    }
    p_->keys.add(keys);  // durable before the records that need them
    if (!frames.empty()) p_->writer.append(frames);
    p_->size += report.accepted;
    if (progress) progress({"import", checked, checked});

    // What each new head says, against the cards held and the heads known.
    for (auto const& a : fresh) {
        auto const& h = a.k.head;
        auto const& ch = p_->devices[h.device];
        location const at{.file = *a.file, .offset = a.offset, .device = h.device, .seq = h.seq};
        auto alert_at = [&](std::string code, std::string message, std::uint64_t seq) {
            error e{severity::error, std::move(code), std::move(message), at};
            e.where.seq = seq;
            if (!p_->raise(e, now)) return;  // raised before, or twice by this import's heads
            ++report.alerts;
            report.found.push_back(std::move(e));
        };
        if (auto it = ch.find(h.seq); h.seq != 0 && it != ch.end() && it->second.hash != h.hash)
            alert_at("head-fork",
                     "the device's head (" + head_said(h) +
                         ") names another card than the one head office holds",
                     h.seq);
        for (auto const& k : p_->heads[h.device]) {
            if (k.head == h) continue;
            if (k.head.seq == h.seq && k.head.hash != h.hash)
                alert_at("head-fork",
                         "two heads name two different cards " + std::to_string(h.seq) + " (" +
                             format_timestamp(k.head.time) + " and " + format_timestamp(h.time) +
                             ")",
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
        } else if (auto highest = ch.empty() ? 0 : ch.rbegin()->first; highest < h.seq) {
            report.found.push_back({severity::warning, "not-received",
                                    "the device announced " + head_said(h) + "; " +
                                        card_range(highest + 1, h.seq) + " not received yet",
                                    at});
        }
    }
    p_->flush();

    for (auto& [device, sum] : summary) {
        sum.device = device;
        std::uint64_t next = 1;
        for (auto const& [seq, l] : p_->devices[device]) {
            if (seq > next) sum.missing.emplace_back(next, seq - 1);
            next = seq + 1;
        }
        sum.highest = next - 1;
        for (auto const& [from, to] : sum.missing)
            report.found.push_back({severity::warning,
                                    "gap",
                                    card_range(from, to) + " not received (missing so far)",
                                    {.device = device, .seq = from}});
        report.devices.push_back(std::move(sum));
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
    std::optional<std::string> proof;
    auto const held = p_->devices.find(h.device);
    auto const* card = held == p_->devices.end() ? nullptr : [&]() -> link const* {
        auto it = held->second.find(h.seq);
        return it == held->second.end() ? nullptr : &it->second;
    }();
    if (card) {
        for_each([&](record const& r) {
            if (r.device == h.device && r.seq == h.seq) out.card = r;
        });
        if (card->hash == h.hash)
            out.status = receipt_status::reached;
        else
            proof = "head office holds another card " + std::to_string(h.seq) +
                    ": the guest's card was cut from the journal and its number given again";
    } else {
        std::optional<std::uint64_t> past;
        for (auto const& k : p_->heads[h.device]) {
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
            out.found.push_back({severity::note, "not-received",
                                 past ? "not received yet, though the device is past it (card " +
                                            std::to_string(*past) +
                                            "): its next bundle must carry it"
                                      : "not received yet",
                                 at});
    }
    if (proof) {
        out.status = receipt_status::suppressed;
        error e{severity::error, "suppressed",
                "the guest's receipt for card " + std::to_string(h.seq) + ": " + *proof, at};
        p_->raise(e, now);
        out.found.push_back(std::move(e));
    }
    p_->remember({h, std::nullopt}, now);
    p_->flush();
    return out;
}

std::vector<alert> const& store::alerts() const noexcept {
    return p_->alerts;
}

void store::for_each(std::function<void(record const&)> const& visit) const {
    (void)util::scan_segments(p_->dir,
                              [&](fs::path const&, std::uint64_t, seal::byte_view payload) {
                                  auto r = from_payload(payload);
                                  if (!r) return;  // open() reported the unreadable
                                  if (r->format != 1)
                                      if (auto const* box = p_->keys.key_box({r->device, r->seq}))
                                          r->key_box = *box;
                                  visit(*r);
                              });
}

std::vector<record> store::find_receipt(std::string_view code) const {
    std::vector<record> found;
    for_each([&](record const& r) {
        if (receipt(r) == code) found.push_back(r);
    });
    return found;
}

card_keys& store::keys() noexcept {
    return p_->keys;
}
card_keys const& store::keys() const noexcept {
    return p_->keys;
}

std::uint64_t store::size() const noexcept {
    return p_->size;
}
errors const& store::recovery() const noexcept {
    return p_->recovery;
}

}  // namespace candor::journal
