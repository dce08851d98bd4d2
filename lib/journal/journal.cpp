#include "candor/journal/journal.hpp"
#include "candor/time.hpp"

#include <optional>
#include <stdexcept>
#include <system_error>

#include "candor/journal/inspect.hpp"
#include "candor/journal/record.hpp"
#include "candor/seal/box.hpp"
#include "candor/seal/receipt.hpp"
#include "candor/seal/split.hpp"
#include "mark.hpp"
#include "util/file_io.hpp"
#include "util/frame.hpp"
#include "util/segments.hpp"

namespace candor::journal {

namespace fs = std::filesystem;

struct journal::impl {
    util::dir_lock lock;
    seal::device_secret key;
    seal::hq_public hq;
    util::segment_writer writer;
    detail::mark_writer mark;
    std::uint64_t last_seq = 0;
    seal::digest last_hash{};
    errors recovery;
};

journal::journal(std::unique_ptr<impl> p) : p_(std::move(p)) {}
journal::journal(journal&&) noexcept = default;
journal& journal::operator=(journal&&) noexcept = default;
journal::~journal() = default;

namespace {

location in(fs::path const& file) {
    return {.file = file.string()};
}

std::string cards(std::uint64_t from, std::uint64_t to) {
    return from == to ? "card " + std::to_string(from)
                      : "cards " + std::to_string(from) + "-" + std::to_string(to);
}

// Creates device.pub for a new journal, or checks that an existing one is this device's.
// The caller holds the directory's lock.
result<void> claim_directory(fs::path const& dir, seal::device_secret const& key) {
    auto device_file = dir / device_file_name;
    if (!fs::exists(device_file)) {
        if (fs::exists(dir / "seg-000001.cnj"))
            return fail("not-a-journal",
                        "segments without a device.pub: not a journal to append to", in(dir));
        auto line = seal::format_device_public(key.public_part()) + '\n';
        util::write_file_durably(device_file, seal::as_bytes(line));
        return {};
    }
    auto text = util::read_file(device_file);
    auto pub = seal::parse_device_public(seal::as_chars(text));
    if (!pub) return fail("bad-device-file", pub.error().front().message, in(device_file));
    if (pub->id != key.id || pub->key != key.pub)
        return fail("wrong-device", "this journal belongs to device " + pub->id + ", not " + key.id,
                    in(device_file));
    return {};
}

}  // namespace

result<journal> journal::open(fs::path const& dir, seal::device_secret key, seal::hq_public hq,
                              segment_options options) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return fail("io", "cannot create: " + ec.message(), in(dir));
    // The lock before anything is read or written: two processes creating one journal must
    // not both claim it.
    std::optional<util::dir_lock> lock;
    try {
        lock.emplace(dir);
    } catch (std::system_error const& e) {
        return fail("in-use", e.what(), in(dir));
    }
    if (auto claimed = claim_directory(dir, key); !claimed) return unexpected(claimed.error());
    auto const mark_file = dir / detail::mark_file_name;
    auto const mark = detail::read_mark(dir);
    if (mark.exists &&
        (!mark.head || mark.head->device != key.id || !head_signature_ok(*mark.head, key.pub)))
        return fail("bad-mark",
                    "the head file holds no head signed by this device's key; the journal "
                    "cannot tell which cards it acknowledged (run `candor journal verify`)",
                    {.file = mark_file.string(), .device = key.id});

    // Appending needs only the newest record, and the one the mark names; inspect_journal
    // does the full check.
    errors recovery;
    std::optional<record> last;
    std::optional<seal::digest> at_mark;
    auto scanned = util::scan_segments(
        dir, [&](fs::path const& file, std::uint64_t offset, seal::byte_view payload) {
            auto r = from_payload(payload);
            if (!r) {
                recovery.push_back({severity::error,
                                    "bad-record",
                                    r.error().front().message,
                                    {.file = file.string(), .offset = offset, .device = key.id}});
                return;
            }
            if (r->device != key.id) return;
            if (mark.head && r->seq == mark.head->seq) at_mark = record_hash(*r);
            if (!last || r->seq > last->seq) last = std::move(*r);
        });
    recovery.insert(recovery.begin(), scanned.found.begin(), scanned.found.end());
    if (scanned.torn) {
        auto const& t = *scanned.torn;
        util::cut_torn_tail(t);
        recovery.push_back({severity::warning,
                            "torn-tail-cut",
                            "cut off an unfinished last write of " +
                                std::to_string(t.size - t.offset) + " bytes (kept in " +
                                t.file.filename().string() + ".torn-" + std::to_string(t.offset) +
                                ")",
                            {.file = t.file.string(),
                             .offset = t.offset,
                             .device = key.id,
                             .seq = last ? last->seq + 1 : 1}});
    }
    if (last && !signature_ok(*last, key.pub))
        return fail("bad-signature",
                    "the newest record is not signed by this device's key; "
                    "run `candor journal verify`",
                    {.file = dir.string(), .device = key.id, .seq = last->seq});

    std::uint64_t seq = last ? last->seq : 0;
    seal::digest hash = last ? record_hash(*last) : seal::digest{};
    bool rewrite_mark = !mark.exists;
    if (mark.head) {
        auto const& m = *mark.head;
        if (m.seq > seq) {
            recovery.push_back(
                {severity::error,
                 "rewound",
                 "the journal ends at card " + std::to_string(seq) + " but acknowledged card " +
                     std::to_string(m.seq) + ": " + cards(seq + 1, m.seq) +
                     " were cut from it. Numbering goes on after card " + std::to_string(m.seq) +
                     "; head office sees the cut as cards that never arrive",
                 {.file = mark_file.string(), .device = key.id, .seq = seq + 1}});
            seq = m.seq;
            hash = m.hash;
        } else if (m.seq != 0 && at_mark && *at_mark != m.hash) {
            return fail("forked",
                        "card " + std::to_string(m.seq) +
                            " of the journal is not the card it acknowledged (the head file "
                            "names another): its records were replaced",
                        {.file = mark_file.string(), .device = key.id, .seq = m.seq});
        } else {
            rewrite_mark = m.seq < seq;  // a crash between the segment's sync and the mark's
        }
    } else if (last) {
        recovery.push_back(
            {severity::warning,
             "no-mark",
             "no head file: a journal from before Candor kept one, or it was removed; one is "
             "written now from card " +
                 std::to_string(seq) + ", and numbering goes on from there",
             {.file = mark_file.string(), .device = key.id, .seq = seq}});
    }

    auto head = sign_head(key, seq, hash, unix_now());
    auto marker = mark.exists ? detail::mark_writer::open(dir, mark.newest_slot, options.sync)
                              : detail::mark_writer::create(dir, head, options.sync);
    if (rewrite_mark && mark.exists) marker.write(head);
    auto p = std::make_unique<impl>(impl{std::move(*lock), std::move(key), hq,
                                         util::segment_writer(dir, scanned, options),
                                         std::move(marker), seq, hash, std::move(recovery)});
    return journal(std::move(p));
}

result<std::vector<stamped>> journal::submit(std::span<card const> cards) {
    seal::bytes frames;
    std::vector<stamped> out;
    out.reserve(cards.size());
    auto seq = p_->last_seq;
    auto prev = p_->last_hash;
    auto const now = unix_now();
    std::optional<signed_head> head;
    for (auto const& c : cards) {
        if (c.survey.size() > max_name_bytes || c.site.size() > max_name_bytes ||
            c.content.size() + c.personal.size() + seal::seal_overhead +
                    (c.personal.empty() ? 0 : seal::personal_overhead) >
                max_sealed_bytes)
            return fail("too-large", "card over the journal's field limits",
                        {.device = p_->key.id, .seq = seq + 1});
        if (!p_->key.site.empty() && !c.site.empty() && c.site != p_->key.site)
            throw std::invalid_argument("a card of site " + c.site + " on a device of site " +
                                        p_->key.site);
        record r{p_->key.id, ++seq, c.survey, c.survey_version, c.site, c.time, prev, {}, {}};
        if (c.personal.empty()) {
            r.sealed = seal::seal_to(p_->hq, seal::as_bytes(c.content));
        } else {
            auto split =
                seal::seal_split(p_->hq, seal::as_bytes(c.content), seal::as_bytes(c.personal));
            r.format = 2;
            r.sealed = std::move(split.sealed);
            r.personal = std::move(split.personal);
            r.key_box = std::move(split.key_box);
        }
        sign_record(r, p_->key);
        prev = record_hash(r);
        util::append_frame(frames, to_payload(r));
        head = sign_head(p_->key, seq, prev, now);
        out.push_back({seq, seal::receipt_code(prev), format_head(*head)});
    }
    if (!head) return out;
    p_->mark.check();
    if (auto written = p_->writer.try_append(frames); !written)
        return unexpected(std::move(written.error()));
    // The cards are in the journal now: a failed mark must not let their numbers be reused.
    p_->last_seq = seq;
    p_->last_hash = prev;
    p_->mark.post(*head);
    return out;
}

signed_head journal::head(std::int64_t now) const {
    return sign_head(p_->key, p_->last_seq, p_->last_hash, now);
}

std::uint64_t journal::last_seq() const noexcept {
    return p_->last_seq;
}
std::string const& journal::device() const noexcept {
    return p_->key.id;
}
errors const& journal::recovery() const noexcept {
    return p_->recovery;
}

}  // namespace candor::journal
