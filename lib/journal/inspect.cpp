#include "candor/journal/inspect.hpp"

#include <system_error>

#include "candor/journal/segment.hpp"
#include "mark.hpp"
#include "util/file_io.hpp"
#include "util/segments.hpp"

namespace candor::journal {

namespace fs = std::filesystem;

namespace {

// The device and key the journal's records must carry, from device.pub and, when given,
// head office's list.
std::optional<seal::device_public> journal_device(fs::path const& dir,
                                                  seal::device_list const* devices,
                                                  errors& found) {
    auto file = dir / device_file_name;
    auto fail = [&](std::string code, std::string message, std::string device = {}) {
        found.push_back({severity::error, std::move(code), std::move(message),
                         {.file = file.string(), .device = std::move(device)}});
    };
    std::error_code ec;
    if (!fs::exists(file, ec)) {
        fail("no-device-file", "missing: signatures cannot be checked");
        return std::nullopt;
    }
    auto text = util::read_file(file);
    auto pub = seal::parse_device_public(seal::as_chars(text));
    if (!pub) {
        fail("bad-device-file", pub.error().front().message);
        return std::nullopt;
    }
    if (devices == nullptr) return *pub;
    auto const* listed = devices->find(pub->id);
    if (listed == nullptr) {
        fail("unknown-device", "not in head office's device list", pub->id);
        return std::nullopt;
    }
    if (listed->key != pub->key)
        fail("key-mismatch", "device.pub differs from the key head office lists", pub->id);
    if (listed->revoked) fail("revoked-device", "revoked in head office's device list", pub->id);
    if (!pub->site.empty() && !listed->site.empty() && pub->site != listed->site)
        fail("wrong-site",
             "device.pub binds the device to site " + pub->site + ", head office's list to " +
                 listed->site,
             pub->id);
    return *listed;
}

std::string seq_range(std::uint64_t from, std::uint64_t to) {
    return from == to ? "card " + std::to_string(from) + " is"
                      : "cards " + std::to_string(from) + "-" + std::to_string(to) + " are";
}

// The journal's records against its mark: they must reach it, and the one it names must be
// the one it acknowledged. `last` is the highest card read.
void check_mark(fs::path const& dir, std::optional<seal::device_public> const& device,
                journal_contents& out, std::uint64_t last) {
    auto mark = detail::read_mark(dir);
    if (!mark.exists) return;
    auto const file = (dir / detail::mark_file_name).string();
    auto report = [&](std::string code, std::string message, std::uint64_t seq) {
        out.found.push_back({severity::error,
                             std::move(code),
                             std::move(message),
                             {.file = file, .device = out.device, .seq = seq}});
    };
    if (!mark.head) {
        report("bad-mark", "the head file holds no readable head", 0);
        return;
    }
    auto const& m = *mark.head;
    if (device && (m.device != device->id || !head_signature_ok(m, device->key))) {
        report("bad-mark", "the head file is not signed by the journal's device", m.seq);
        return;
    }
    out.acknowledged = m;
    if (m.seq > last) {
        report("rewound",
               "the journal acknowledged card " + std::to_string(m.seq) +
                   " but its records end at card " + std::to_string(last) + ": " +
                   seq_range(last + 1, m.seq) + " gone",
               last + 1);
        return;
    }
    for (auto const& r : out.records)
        if (r.seq == m.seq && r.device == m.device && record_hash(r) != m.hash) {
            report("forked",
                   "card " + std::to_string(m.seq) +
                       " is not the card the journal acknowledged (the head file names another)",
                   m.seq);
            return;
        }
}

}  // namespace

journal_contents inspect_journal(fs::path const& dir, seal::device_list const* devices) {
    journal_contents out;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        out.found.push_back({severity::error, "io", "not a directory", {.file = dir.string()}});
        return out;
    }
    auto device = journal_device(dir, devices, out.found);
    if (device) {
        out.device = device->id;
        out.site = device->site;
    }

    struct located {
        std::string file;
        std::uint64_t offset;
    };
    std::vector<located> where;
    auto scanned = util::scan_segments(dir, [&](fs::path const& file, std::uint64_t offset,
                                          seal::byte_view payload) {
        auto r = from_payload(payload);
        if (!r) {
            out.found.push_back(
                {severity::error, "bad-record", r.error().front().message,
                 {.file = file.string(), .offset = offset, .device = out.device}});
            return;
        }
        out.records.push_back(std::move(*r));
        where.push_back({file.string(), offset});
    });
    out.found.insert(out.found.end(), scanned.found.begin(), scanned.found.end());

    std::uint64_t expected = 1;
    seal::digest prev{};
    for (std::size_t i = 0; i < out.records.size(); ++i) {
        auto const& r = out.records[i];
        auto report = [&](std::string code, std::string message) {
            out.found.push_back(
                {severity::error, std::move(code), std::move(message),
                 {.file = where[i].file, .offset = where[i].offset, .device = r.device, .seq = r.seq}});
        };
        if (device && r.device != device->id) {
            report("foreign-record", "a record of another device in the journal of " + device->id);
            continue;
        }
        if (device && !signature_ok(r, device->key))
            report("bad-signature", "signature does not verify: the record was altered");
        if (device && !device->site.empty() && !r.site.empty() && r.site != device->site)
            report("wrong-site",
                   "filed under site " + r.site + " by a device of site " + device->site);
        if (r.seq > expected) {
            report("gap", seq_range(expected, r.seq - 1) + " missing before this one");
        } else if (r.seq < expected) {
            report("out-of-order", "sequence number " + std::to_string(r.seq) + " after " +
                                       std::to_string(expected - 1));
            continue;
        } else if (r.prev != prev) {
            report("chain-break", "does not link to the record before it");
        }
        expected = r.seq + 1;
        prev = record_hash(r);
    }
    check_mark(dir, device, out, expected - 1);
    if (scanned.torn) {
        auto const& t = *scanned.torn;
        out.found.push_back({severity::error, "torn-tail",
                             "ends in an unfinished frame of " + std::to_string(t.size - t.offset) +
                                 " bytes after card " + std::to_string(expected - 1) +
                                 " (a write cut short; the next submit cuts it off)",
                             {.file = t.file.string(),
                              .offset = t.offset,
                              .device = out.device,
                              .seq = expected - 1}});
    }
    return out;
}

}  // namespace candor::journal
