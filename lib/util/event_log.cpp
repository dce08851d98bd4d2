#include "util/event_log.hpp"

#include "util/file_io.hpp"
#include "util/frame.hpp"
#include "util/json_text.hpp"

namespace candor::util {

namespace {

// Every event of the segments in DIR, parsed; the damage named when a frame is no event.
result<segments_scan> scan_events(std::filesystem::path const& dir,
                                  std::vector<nlohmann::json>& events) {
    errors bad;
    auto scan =
        scan_segments(dir, [&](auto const& file, std::uint64_t offset, seal::byte_view payload) {
            location where{.file = file.string(), .offset = offset};
            auto j = parse_json(seal::as_chars(payload), max_event_depth, where);
            if (!j || !j->is_object() || !j->contains("t"))
                bad.push_back(
                    {severity::error, "bad-event",
                     "a frame that is no event" + (j ? std::string() : ": " + j.error()[0].message),
                     std::move(where)});
            else
                events.push_back(std::move(*j));
        });
    for (auto& e : scan.found)
        if (e.level == severity::error) bad.push_back(std::move(e));
    if (!bad.empty()) return fail(std::move(bad));
    return scan;
}

// An exception `replay` throws for a malformed event becomes an error.
result<void> replay_all(std::vector<nlohmann::json> const& events,
                        event_log::replay_fn const& replay, location const& here) {
    try {
        for (auto const& e : events) replay(e);
    } catch (nlohmann::json::exception const& e) {
        return fail("bad-event", e.what(), here);
    }
    return {};
}

}  // namespace

result<event_log> event_log::open(std::filesystem::path const& dir, segment_options options,
                                  replay_fn const& replay) {
    location const here{.file = dir.string()};
    // The case log and the outbox hold opened cards: their folder is 0700.
    try {
        make_private_directory(dir);
    } catch (std::system_error const& e) {
        return fail("io", e.what(), here);
    }
    std::optional<dir_lock> lock;
    try {
        lock.emplace(dir);
    } catch (std::system_error const& e) {
        return fail("in-use", e.what(), here);
    }
    std::vector<nlohmann::json> events;
    auto scan = scan_events(dir, events);
    if (!scan) return unexpected(std::move(scan).error());
    if (scan->torn) cut_torn_tail(*scan->torn);
    event_log log(std::move(*lock), segment_writer(dir, *scan, options));
    if (auto r = replay_all(events, replay, here); !r) return unexpected(std::move(r).error());
    return log;
}

result<void> event_log::read(std::filesystem::path const& dir, replay_fn const& replay) {
    std::error_code ec;
    if (!std::filesystem::exists(dir, ec)) return {};
    std::vector<nlohmann::json> events;
    auto scan = scan_events(dir, events);
    if (!scan) return unexpected(std::move(scan).error());
    return replay_all(events, replay, location{.file = dir.string()});
}

void event_log::append_all(std::span<nlohmann::json const> events) {
    seal::bytes frames;
    for (auto const& e : events) append_frame(frames, seal::as_bytes(e.dump()));
    writer_.append(frames);
}

}  // namespace candor::util
