#include "event_log.hpp"

#include "candor/journal/frame.hpp"

namespace candor::routing {

result<event_log, std::string> event_log::open(std::filesystem::path const& dir,
                                               journal::segment_options options,
                                               replay_fn const& replay) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return unexpected("cannot create " + dir.string() + ": " + ec.message());
    std::optional<journal::dir_lock> lock;
    try {
        lock.emplace(dir);
    } catch (std::system_error const& e) {
        return unexpected(std::string(e.what()));
    }
    std::vector<nlohmann::json> events;
    std::string bad;
    auto scan = journal::scan_segments(
        dir, [&](auto const&, std::uint64_t offset, seal::byte_view payload) {
            auto j = nlohmann::json::parse(seal::as_chars(payload), nullptr, false);
            if (j.is_discarded() || !j.is_object() || !j.contains("t"))
                bad = dir.string() + ": frame at " + std::to_string(offset) + " is no event";
            else
                events.push_back(std::move(j));
        });
    if (!bad.empty()) return unexpected(bad);
    if (journal::has_errors(scan.found)) return unexpected(journal::render(scan.found));
    if (scan.torn) journal::cut_torn_tail(*scan.torn);
    event_log log(std::move(*lock), journal::segment_writer(dir, scan, options));
    try {
        for (auto const& e : events) replay(e);
    } catch (nlohmann::json::exception const& e) {
        return unexpected(dir.string() + ": " + e.what());
    }
    return log;
}

void event_log::append_all(std::span<nlohmann::json const> events) {
    seal::bytes frames;
    for (auto const& e : events) journal::append_frame(frames, seal::as_bytes(e.dump()));
    writer_.append(frames);
}

}  // namespace candor::routing
