#include "candor/journal/journal.hpp"

#include <optional>
#include <system_error>

#include "util/frame.hpp"
#include "candor/journal/inspect.hpp"
#include "candor/journal/record.hpp"
#include "candor/seal/box.hpp"
#include "candor/seal/receipt.hpp"
#include "util/file_io.hpp"
#include "util/segments.hpp"

namespace candor::journal {

namespace fs = std::filesystem;

struct journal::impl {
    util::dir_lock lock;
    seal::device_secret key;
    seal::hq_public hq;
    util::segment_writer writer;
    std::uint64_t last_seq = 0;
    seal::digest last_hash{};
    errors recovery;
};

journal::journal(std::unique_ptr<impl> p) : p_(std::move(p)) {}
journal::journal(journal&&) noexcept = default;
journal& journal::operator=(journal&&) noexcept = default;
journal::~journal() = default;

namespace {

location in(fs::path const& file) { return {.file = file.string()}; }

// Creates device.pub for a new journal, or checks that an existing one is this device's.
result<void> claim_directory(fs::path const& dir, seal::device_secret const& key) {
    auto device_file = dir / device_file_name;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        return fail("io", "cannot create: " + ec.message(), in(dir));
    if (!fs::exists(device_file)) {
        if (fs::exists(dir / "seg-000001.cnj"))
            return fail("not-a-journal", "segments without a device.pub: not a journal to append to",
                        in(dir));
        auto line = seal::format_device_public(key.public_part()) + '\n';
        util::write_file_durably(device_file, seal::as_bytes(line));
        return {};
    }
    auto text = util::read_file(device_file);
    auto pub = seal::parse_device_public(seal::as_chars(text));
    if (!pub)
        return fail("bad-device-file", pub.error().front().message, in(device_file));
    if (pub->id != key.id || pub->key != key.pub)
        return fail("wrong-device", "this journal belongs to device " + pub->id + ", not " + key.id, in(device_file));
    return {};
}

}  // namespace

result<journal> journal::open(fs::path const& dir, seal::device_secret key,
                                        seal::hq_public hq, segment_options options) {
    if (auto claimed = claim_directory(dir, key); !claimed) return unexpected(claimed.error());
    std::optional<util::dir_lock> lock;
    try {
        lock.emplace(dir);
    } catch (std::system_error const& e) {
        return fail("in-use", e.what(), in(dir));
    }

    // Appending needs only the newest record; inspect_journal does the full check.
    errors recovery;
    std::optional<record> last;
    auto scanned = util::scan_segments(
        dir, [&](fs::path const& file, std::uint64_t offset, seal::byte_view payload) {
            auto r = from_payload(payload);
            if (!r) {
                recovery.push_back({severity::error, "bad-record", r.error().front().message,
                                    {.file = file.string(), .offset = offset, .device = key.id}});
            } else if (r->device == key.id && (!last || r->seq > last->seq)) {
                last = std::move(*r);
            }
        });
    recovery.insert(recovery.begin(), scanned.found.begin(), scanned.found.end());
    if (scanned.torn) {
        auto const& t = *scanned.torn;
        util::cut_torn_tail(t);
        recovery.push_back({severity::warning, "torn-tail-cut",
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

    auto p = std::make_unique<impl>(impl{std::move(*lock),
                                         std::move(key),
                                         hq,
                                         util::segment_writer(dir, scanned, options),
                                         0,
                                         {},
                                         std::move(recovery)});
    if (last) {
        p->last_seq = last->seq;
        p->last_hash = record_hash(*last);
    }
    return journal(std::move(p));
}

result<std::vector<stamped>> journal::submit(std::span<card const> cards) {
    seal::bytes frames;
    std::vector<stamped> out;
    out.reserve(cards.size());
    auto seq = p_->last_seq;
    auto prev = p_->last_hash;
    for (auto const& c : cards) {
        if (c.survey.size() > max_name_bytes || c.site.size() > max_name_bytes ||
            c.content.size() + seal::seal_overhead > max_sealed_bytes)
            return fail("too-large", "card over the journal's field limits",
                        {.device = p_->key.id, .seq = seq + 1});
        record r{p_->key.id, ++seq,  c.survey, c.survey_version,
                 c.site,     c.time, prev,     seal::seal_to(p_->hq, seal::as_bytes(c.content)),
                 {}};
        sign_record(r, p_->key);
        prev = record_hash(r);
        util::append_frame(frames, to_payload(r));
        out.push_back({seq, seal::receipt_code(prev)});
    }
    if (auto written = p_->writer.try_append(frames); !written)
        return unexpected(std::move(written.error()));
    p_->last_seq = seq;
    p_->last_hash = prev;
    return out;
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
