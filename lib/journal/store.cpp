#include "candor/journal/store.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <system_error>
#include <tuple>

#include "candor/journal/bundle.hpp"
#include "util/frame.hpp"
#include "candor/journal/inspect.hpp"
#include "candor/journal/opening.hpp"
#include "util/segments.hpp"

namespace candor::journal {

namespace fs = std::filesystem;

namespace {
struct link {
    seal::digest hash;
    seal::digest prev;
};
using chain = std::map<std::uint64_t, link>;  // by sequence number
}  // namespace

struct store::impl {
    util::dir_lock lock;
    fs::path dir;
    util::segment_writer writer;
    std::map<std::string, chain, std::less<>> devices;
    std::uint64_t size = 0;
    errors recovery;
};

store::store(std::unique_ptr<impl> p) : p_(std::move(p)) {}
store::store(store&&) noexcept = default;
store& store::operator=(store&&) noexcept = default;
store::~store() = default;

result<store> store::open(fs::path const& dir, segment_options options) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || fs::exists(dir / device_file_name))
        return fail("not-a-store",
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
                recovery.push_back({severity::error, "bad-record", r.error().front().message,
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
    return store(
        std::make_unique<impl>(impl{std::move(*lock), dir, util::segment_writer(dir, scanned, options),
                                    std::move(devices), size, std::move(recovery)}));
}

namespace {

struct candidate {
    record r;
    seal::digest hash;
    std::string const* file;
    std::uint64_t offset;
};

std::string card_range(std::uint64_t from, std::uint64_t to) {
    return from == to ? "card " + std::to_string(from)
                      : "cards " + std::to_string(from) + "-" + std::to_string(to);
}

}  // namespace

import_report store::import(std::span<bundle_input const> bundles, seal::device_list const& devices,
                            seal::hq_secret const& hq) {
    import_report report;
    std::map<std::string, device_summary, std::less<>> summary;
    auto refuse = [&](std::string const& device, std::uint64_t seq, std::string code,
                      std::string message, std::string const& file, std::uint64_t offset) {
        report.found.push_back({severity::error, std::move(code), std::move(message),
                                {.file = file, .offset = offset, .device = device, .seq = seq}});
        if (!device.empty()) ++summary[device].refused;
        ++report.refused;
    };

    std::vector<candidate> candidates;
    for (auto const& bundle : bundles) {
        auto contents = decode_bundle(bundle.data, bundle.name);
        for (auto& p : contents.found) {
            if (!p.where.device.empty()) ++summary[p.where.device].refused;
            report.found.push_back(std::move(p));
        }
        std::map<std::string, std::uint64_t, std::less<>> last_seen;
        for (auto& in_bundle : contents.records) {
            auto& r = in_bundle.value;
            auto const offset = in_bundle.offset;
            auto fail = [&](std::string code, std::string message) {
                refuse(r.device, r.seq, std::move(code), std::move(message), bundle.name, offset);
            };
            if (contents.header && r.device != contents.header->device) {
                fail("foreign-record",
                     "a record of this device in a bundle of device " + contents.header->device);
                continue;
            }
            auto const* key = devices.find(r.device);
            if (key == nullptr) {
                fail("unknown-device", "not in the device list");
                continue;
            }
            if (key->revoked) {
                fail("revoked-device", "the device is revoked");
                continue;
            }
            if (!signature_ok(r, key->key)) {
                fail("bad-signature", "signature does not verify: the record was altered");
                continue;
            }
            if (auto opened = open_card(r, hq); !opened) {
                auto const& why = opened.error().front();
                fail(why.code, why.code == "unreadable"
                                   ? "signed, but sealed to another key or not sealed at all"
                                   : why.message);
                continue;
            }
            auto& seen = last_seen[r.device];
            if (r.seq <= seen)
                report.found.push_back(
                    {severity::warning, "out-of-order",
                     "comes after card " + std::to_string(seen) + " in the bundle",
                     {.file = bundle.name, .offset = offset, .device = r.device, .seq = r.seq}});
            seen = std::max(seen, r.seq);
            auto h = record_hash(r);
            candidates.push_back({std::move(r), h, &bundle.name, offset});
        }
    }

    std::stable_sort(candidates.begin(), candidates.end(), [](auto const& a, auto const& b) {
        return std::tie(a.r.device, a.r.seq) < std::tie(b.r.device, b.r.seq);
    });
    seal::bytes frames;
    for (auto const& c : candidates) {
        auto const& r = c.r;
        auto fail = [&](std::string code, std::string message) {
            refuse(r.device, r.seq, std::move(code), std::move(message), *c.file, c.offset);
        };
        auto& ch = p_->devices[r.device];
        auto& sum = summary[r.device];
        if (auto same = ch.find(r.seq); same != ch.end()) {
            if (same->second.hash == c.hash)
                ++sum.duplicates, ++report.duplicates;
            else
                fail("fork",
                     "two different records with this sequence number; the first "
                     "received is kept");
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
        ch[r.seq] = {c.hash, r.prev};
        util::append_frame(frames, to_payload(r));
        ++sum.accepted, ++report.accepted;
    }
    if (!frames.empty()) p_->writer.append(frames);
    p_->size += report.accepted;

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

void store::for_each(std::function<void(record const&)> const& visit) const {
    (void)util::scan_segments(p_->dir, [&](fs::path const&, std::uint64_t, seal::byte_view payload) {
        if (auto r = from_payload(payload)) visit(*r);  // open() reported the unreadable
    });
}

std::vector<record> store::find_receipt(std::string_view code) const {
    std::vector<record> found;
    for_each([&](record const& r) {
        if (receipt(r) == code) found.push_back(r);
    });
    return found;
}

std::uint64_t store::size() const noexcept {
    return p_->size;
}
errors const& store::recovery() const noexcept {
    return p_->recovery;
}

}  // namespace candor::journal
