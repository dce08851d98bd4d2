#include "util/event_log.hpp"

#include <algorithm>
#include <cstdio>

#include "util/file_io.hpp"
#include "util/frame.hpp"
#include "util/json_text.hpp"

namespace candor::util {

namespace {

namespace fs = std::filesystem;

std::string generation_name(std::uint32_t n) {
    char name[16];
    std::snprintf(name, sizeof name, "gen-%06u", n);
    return name;
}

std::optional<std::uint32_t> generation_of(std::string const& name) {
    unsigned n = 0;
    int used = 0;
    if (name.size() != 10 || std::sscanf(name.c_str(), "gen-%6u%n", &n, &used) != 1 || used != 10 ||
        n == 0)
        return std::nullopt;
    return n;
}

// The generations in DIR, oldest first: 0 (DIR's own segments), then each gen-NNNNNN/.
std::vector<std::uint32_t> generations(fs::path const& dir) {
    std::vector<std::uint32_t> out{0};
    std::error_code ec;
    for (auto const& entry : fs::directory_iterator(dir, ec))
        if (auto n = generation_of(entry.path().filename().string()); n && entry.is_directory())
            out.push_back(*n);
    std::sort(out.begin(), out.end());
    return out;
}

fs::path generation_dir(fs::path const& dir, std::uint32_t n) {
    return n == 0 ? dir : dir / generation_name(n);
}

bool is_checkpoint(nlohmann::json const& e) {
    return e.at("t") == "checkpoint";
}

// Every event of the segments in DIR, parsed; the damage named when a frame is no event.
result<segments_scan> scan_events(std::filesystem::path const& dir,
                                  std::vector<nlohmann::json>& events,
                                  std::uint64_t* bytes = nullptr) {
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
            else {
                events.push_back(std::move(*j));
                if (bytes) *bytes += payload.size();
            }
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
        for (auto const& e : events)
            if (!is_checkpoint(e)) replay(e);
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
    std::error_code ec;
    for (auto const& entry : fs::directory_iterator(dir, ec)) {
        auto const name = entry.path().filename().string();
        // What an interrupted compact() left: a generation not made active, or one removed.
        if (name.size() == 14 && generation_of(name.substr(0, 10)) &&
            (name.ends_with(".tmp") || name.ends_with(".del")))
            fs::remove_all(entry.path(), ec);
    }
    auto const generation = generations(dir).back();
    auto const active = generation_dir(dir, generation);
    std::vector<nlohmann::json> events;
    std::uint64_t bytes = 0;
    auto scan = scan_events(active, events, &bytes);
    if (!scan) return unexpected(std::move(scan).error());
    if (scan->torn) cut_torn_tail(*scan->torn);
    event_log log(std::move(*lock), dir, generation, segment_writer(active, *scan, options),
                  options);
    log.bytes_ = bytes;
    if (!events.empty() && is_checkpoint(events.front()))
        log.checkpoint_bytes_ = events.front().at("bytes").get<std::uint64_t>();
    if (auto r = replay_all(events, replay, here); !r) return unexpected(std::move(r).error());
    return log;
}

result<void> event_log::read(std::filesystem::path const& dir, replay_fn const& replay) {
    std::error_code ec;
    if (!std::filesystem::exists(dir, ec)) return {};
    auto const active = generation_dir(dir, generations(dir).back());
    std::vector<nlohmann::json> events;
    auto scan = scan_events(active, events);
    if (!scan) return unexpected(std::move(scan).error());
    return replay_all(events, replay, location{.file = active.string()});
}

result<void> event_log::read_history(std::filesystem::path const& dir, replay_fn const& replay,
                                     bool with_active) {
    std::error_code ec;
    if (!std::filesystem::exists(dir, ec)) return {};
    auto all = generations(dir);
    if (!with_active) all.pop_back();
    for (auto const n : all) {
        auto const at = generation_dir(dir, n);
        std::vector<nlohmann::json> events;
        auto scan = scan_events(at, events);
        if (!scan) return unexpected(std::move(scan).error());
        if (auto r = replay_all(events, replay, location{.file = at.string()}); !r) return r;
    }
    return {};
}

void event_log::append_all(std::span<nlohmann::json const> events) {
    seal::bytes frames;
    for (auto const& e : events) append_frame(frames, seal::as_bytes(e.dump()));
    writer_.append(frames);
    bytes_ += frames.size();
}

bool event_log::worth_compacting() const noexcept {
    auto const since = bytes_ - std::min(bytes_, checkpoint_bytes_);
    return since > compact_after_bytes && since > checkpoint_bytes_;
}

void event_log::compact(std::span<nlohmann::json const> snapshot, bool keep_history) {
    auto const next = generation_ + 1;
    auto const name = generation_name(next);
    auto const tmp = dir_ / (name + ".tmp");
    std::error_code ec;
    fs::remove_all(tmp, ec);
    make_private_directory(tmp);
    seal::bytes frames;
    for (auto const& e : snapshot) append_frame(frames, seal::as_bytes(e.dump()));
    seal::bytes file = file_header(segment_magic);
    nlohmann::json const checkpoint{
        {"t", "checkpoint"}, {"bytes", frames.size()}, {"generation", next}};
    append_frame(file, seal::as_bytes(checkpoint.dump()));
    file.insert(file.end(), frames.begin(), frames.end());
    write_file_durably(tmp / "seg-000001.cnj", file, {}, 0600);
    fs::rename(tmp, dir_ / name);  // the new generation is the active one from here
    sync_directory(dir_);
    auto const active = dir_ / name;
    auto const scanned = scan_segments(active, [](auto const&, std::uint64_t, seal::byte_view) {});
    writer_ = segment_writer(active, scanned, options_);
    auto const before = generation_;
    generation_ = next;
    checkpoint_bytes_ = frames.size();
    bytes_ = file.size() - file_header_size;
    if (keep_history) return;
    for (std::uint32_t n = before; n > 0; --n) {
        auto const old = dir_ / generation_name(n);
        if (!fs::exists(old, ec)) continue;
        auto gone = old;
        gone += ".del";
        fs::rename(old, gone);  // out of sight whole, then removed
        fs::remove_all(gone);
    }
    auto own = segment_files(dir_, ec);
    // Last first: what a crash leaves of generation 0 is still segments 1, 2... k.
    for (auto it = own.rbegin(); it != own.rend(); ++it) fs::remove(*it);
    sync_directory(dir_);
}

}  // namespace candor::util
