#include "candor/journal/bundle.hpp"
#include "candor/time.hpp"

#include <boost/serialization/split_free.hpp>
#include <boost/serialization/version.hpp>
#include <exception>

#include "archive_io.hpp"
#include "candor/journal/inspect.hpp"
#include "util/file_io.hpp"
#include "util/frame.hpp"

namespace candor::journal::detail {
constexpr std::size_t max_head_text = 512;  // a head's text is about 160 characters
}

namespace boost::serialization {

// Version 2 adds the device's head; version 1 bundles have none.
template <class Ar>
void save(Ar& ar, candor::journal::bundle_header const& h, unsigned /*version*/) {
    candor::journal::detail::save_sized(ar, h.device);
    ar << h.after << h.count << h.created;
    candor::journal::detail::save_sized(ar, h.head);
}

template <class Ar>
void load(Ar& ar, candor::journal::bundle_header& h, unsigned version) {
    if (version != 1 && version != 2)
        throw archive::archive_exception(archive::archive_exception::unsupported_class_version,
                                         "bundle_header");
    candor::journal::detail::load_sized(ar, h.device, candor::journal::max_name_bytes);
    ar >> h.after >> h.count >> h.created;
    if (version >= 2)
        candor::journal::detail::load_sized(ar, h.head, candor::journal::detail::max_head_text);
}

}  // namespace boost::serialization

BOOST_SERIALIZATION_SPLIT_FREE(candor::journal::bundle_header)
BOOST_CLASS_VERSION(candor::journal::bundle_header, 2)
BOOST_CLASS_TRACKING(candor::journal::bundle_header, boost::serialization::track_never)

namespace candor::journal {

seal::bytes encode_bundle(bundle_header const& h, std::span<record const> records) {
    auto out = util::file_header(util::bundle_magic);
    util::append_frame(out, detail::save_archive(h));
    for (auto const& r : records) util::append_frame(out, to_payload(r));
    return out;
}

bundle_contents decode_bundle(seal::byte_view data, std::string const& file_name) {
    bundle_contents out;
    auto fail = [&](std::string code, std::string message, std::uint64_t offset) {
        out.found.push_back({severity::error,
                             std::move(code),
                             std::move(message),
                             {.file = file_name,
                              .offset = offset,
                              .device = out.header ? out.header->device : std::string()}});
    };
    auto version = util::read_file_header(data, util::bundle_magic);
    if (!version) {
        fail("bad-bundle-header", "not a Candor bundle header", 0);
    } else if (*version > util::format_version) {
        fail("newer-format",
             "bundle format " + std::to_string(*version) +
                 " is newer than this Candor reads; upgrade Candor",
             0);
        return out;
    }
    if (data.size() < util::file_header_size) return out;
    auto scan = util::scan_frames(data.subspan(util::file_header_size), util::file_header_size);
    for (std::size_t i = 0; i < scan.frames.size(); ++i) {
        auto const& f = scan.frames[i];
        if (i == 0 && f.offset == util::file_header_size) {
            try {
                out.header = detail::load_archive<bundle_header>(f.payload);
                continue;
            } catch (std::exception const&) {
                // Not a header: report it below as whatever it is.
            }
        }
        auto r = from_payload(f.payload);
        if (r)
            out.records.push_back({f.offset, std::move(*r)});
        else
            fail("bad-record", r.error().front().message, f.offset);
    }
    if (!out.header)
        fail("bad-bundle-header", "the bundle header frame is missing or damaged",
             util::file_header_size);
    if (out.header && !out.header->head.empty()) {
        auto head = parse_head(out.header->head);
        if (!head)
            fail("bad-head", head.error().front().message, util::file_header_size);
        else if (head->device != out.header->device)
            fail("bad-head", "the bundle's head is device " + head->device + "'s",
                 util::file_header_size);
        else
            out.head = std::move(*head);
    }
    // Damage names the card read before it, so that the report says where to look.
    auto after_card = [&](std::uint64_t offset) {
        std::uint64_t seq = out.header ? out.header->after : 0;
        for (auto const& r : out.records)
            if (r.offset < offset) seq = r.value.seq;
        return " after card " + std::to_string(seq);
    };
    for (auto const& d : scan.damaged)
        fail("damaged-frame",
             std::to_string(d.length) + " damaged bytes (bad length or CRC)" + after_card(d.offset),
             d.offset);
    if (scan.torn_at)
        fail("truncated", "cut short: an unfinished frame" + after_card(*scan.torn_at),
             *scan.torn_at);
    // Without a header, the records still tell whose bundle it was.
    if (!out.header && !out.records.empty())
        for (auto& p : out.found)
            if (p.where.device.empty()) p.where.device = out.records.front().value.device;
    if (out.header && out.header->count != scan.frames.size() - 1)
        fail("count-mismatch",
             "the header announces " + std::to_string(out.header->count) +
                 " records, the bundle has " + std::to_string(scan.frames.size() - 1),
             util::file_header_size);
    return out;
}

namespace {

// How far the journal reached: its mark, or its newest record when that is past the mark.
// Both are checked against `key` first.
result<signed_head> head_of(journal_contents const& contents, seal::device_secret const& key,
                            std::filesystem::path const& dir, std::int64_t now) {
    location const at{.file = dir.string(), .device = key.id};
    if (contents.device != key.id)
        return fail("wrong-device",
                    "the journal is device " + contents.device + "'s, not " + key.id, at);
    record const* newest = nullptr;
    for (auto const& r : contents.records)
        if (r.device == key.id && (!newest || r.seq > newest->seq)) newest = &r;
    auto const& mark = contents.acknowledged;
    if ((mark && !head_signature_ok(*mark, key.pub)) || (newest && !signature_ok(*newest, key.pub)))
        return fail("wrong-device", "the journal is not signed by this key", at);
    for (auto const& p : contents.found)
        if (p.code == "bad-mark") return fail(p);
    if (newest && (!mark || newest->seq > mark->seq))
        return sign_head(key, newest->seq, record_hash(*newest), now);
    if (mark) return sign_head(key, mark->seq, mark->hash, now);
    return sign_head(key, 0, {}, now);
}

// The bundle of the records after `after`, with the head `key` signs at `now` (the mark's
// without a key).
result<made_bundle> bundle_of(std::filesystem::path const& dir, std::uint64_t after,
                              seal::device_secret const* key, std::int64_t now) {
    auto contents = inspect_journal(dir);
    if (contents.device.empty()) return unexpected(std::move(contents.found));
    made_bundle out;
    std::string head;
    if (key) {
        auto signed_now = head_of(contents, *key, dir, now);
        if (!signed_now) return unexpected(std::move(signed_now).error());
        out.head = *signed_now;
        head = format_head(*signed_now);
    } else if (contents.acknowledged) {
        out.head = *contents.acknowledged;
        head = format_head(*contents.acknowledged);
    }
    std::vector<record> chosen;
    for (auto& r : contents.records)
        if (r.device == contents.device && r.seq > after) chosen.push_back(std::move(r));
    bundle_header h{contents.device, after, chosen.size(), unix_now(), std::move(head)};
    out.data = encode_bundle(h, chosen);
    out.summary.count = chosen.size();
    if (!chosen.empty()) {
        out.summary.first = chosen.front().seq;
        out.summary.last = chosen.back().seq;
    }
    out.summary.found = std::move(contents.found);
    return out;
}

result<export_summary> export_with(std::filesystem::path const& dir, std::uint64_t after,
                                   std::filesystem::path const& out, seal::device_secret const* key,
                                   std::int64_t now) {
    auto made = bundle_of(dir, after, key, now);
    if (!made) return unexpected(std::move(made).error());
    util::write_file_durably(out, made->data);
    return std::move(made->summary);
}

}  // namespace

result<export_summary> export_bundle(std::filesystem::path const& dir, std::uint64_t after,
                                     std::filesystem::path const& out) {
    return export_with(dir, after, out, nullptr, 0);
}

result<export_summary> export_bundle(std::filesystem::path const& dir, std::uint64_t after,
                                     std::filesystem::path const& out,
                                     seal::device_secret const& key, std::int64_t now) {
    return export_with(dir, after, out, &key, now);
}

result<made_bundle> make_bundle(std::filesystem::path const& dir, std::uint64_t after,
                                seal::device_secret const& key, std::int64_t now) {
    return bundle_of(dir, after, &key, now);
}

result<signed_head> journal_head(std::filesystem::path const& dir, seal::device_secret const& key,
                                 std::int64_t now) {
    auto contents = inspect_journal(dir);
    if (contents.device.empty()) return unexpected(std::move(contents.found));
    return head_of(contents, key, dir, now);
}

void write_head_file(std::filesystem::path const& file, signed_head const& h) {
    util::write_file_durably(file, seal::as_bytes(format_head(h) + "\n"));
}

}  // namespace candor::journal
