#include "candor/journal/bundle.hpp"

#include <boost/serialization/split_free.hpp>
#include <boost/serialization/version.hpp>
#include <chrono>
#include <exception>

#include "archive_io.hpp"
#include "util/frame.hpp"
#include "candor/journal/inspect.hpp"
#include "util/file_io.hpp"

namespace boost::serialization {

template <class Ar>
void save(Ar& ar, candor::journal::bundle_header const& h, unsigned /*version*/) {
    candor::journal::detail::save_sized(ar, h.device);
    ar << h.after << h.count << h.created;
}

template <class Ar>
void load(Ar& ar, candor::journal::bundle_header& h, unsigned version) {
    if (version != 1)
        throw archive::archive_exception(archive::archive_exception::unsupported_class_version,
                                         "bundle_header");
    candor::journal::detail::load_sized(ar, h.device, candor::journal::max_name_bytes);
    ar >> h.after >> h.count >> h.created;
}

}  // namespace boost::serialization

BOOST_SERIALIZATION_SPLIT_FREE(candor::journal::bundle_header)
BOOST_CLASS_VERSION(candor::journal::bundle_header, 1)
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
        out.found.push_back(
            {severity::error, std::move(code), std::move(message),
             {.file = file_name, .offset = offset,
              .device = out.header ? out.header->device : std::string()}});
    };
    auto version = util::read_file_header(data, util::bundle_magic);
    if (!version) {
        fail("bad-bundle-header", "not a Candor bundle header", 0);
    } else if (*version > util::format_version) {
        fail("newer-format", "bundle format " + std::to_string(*version) +
                                 " is newer than this Candor reads; upgrade Candor", 0);
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
    if (!out.header) fail("bad-bundle-header", "the bundle header frame is missing or damaged",
                          util::file_header_size);
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
             "the header announces " + std::to_string(out.header->count) + " records, the bundle has " +
                 std::to_string(scan.frames.size() - 1),
             util::file_header_size);
    return out;
}

result<export_summary> export_bundle(std::filesystem::path const& dir,
                                               std::uint64_t after,
                                               std::filesystem::path const& out) {
    auto contents = inspect_journal(dir);
    if (contents.device.empty())
        return unexpected(std::move(contents.found));
    std::vector<record> chosen;
    for (auto& r : contents.records)
        if (r.device == contents.device && r.seq > after) chosen.push_back(std::move(r));
    auto now = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    bundle_header h{contents.device, after, chosen.size(), now};
    util::write_file_durably(out, encode_bundle(h, chosen));
    export_summary summary;
    summary.count = chosen.size();
    if (!chosen.empty()) {
        summary.first = chosen.front().seq;
        summary.last = chosen.back().seq;
    }
    summary.found = std::move(contents.found);
    return summary;
}

}  // namespace candor::journal
