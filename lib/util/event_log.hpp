// An append-only log of JSON events in journal segments (CRC-checked frames, fdatasync on
// every write): the storage of the case log and of the outbox. Opening replays every
// event of the log's active generation; a torn last frame from a crash is cut off first.
// Generations: compact() starts a new one, DIR/gen-NNNNNN/ (segments like DIR's own, which
// are generation 0), whose first frames are a checkpoint (its "checkpoint" event, then the
// caller's snapshot of its state) and later frames the events after it. The new generation
// is written in DIR/gen-NNNNNN.tmp/ and made active by renaming it: a crash at any point
// leaves either the old or the new generation active, whole. The older ones stay as
// history (read_history) or are removed.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include "candor/error.hpp"
#include "util/segments.hpp"

namespace candor::util {

// A log is worth compacting once the events after its checkpoint weigh more than this and
// than the checkpoint itself: each compaction then costs at most what was written since.
inline constexpr std::uint64_t compact_after_bytes = 1u << 20;

class event_log {
  public:
    using replay_fn = std::function<void(nlohmann::json const&)>;
    // Creates DIR if needed and calls `replay` for every event of the active generation in
    // order (the snapshot of its checkpoint first). An error names the damage; an exception
    // `replay` throws for a malformed event becomes one too. Leftovers of an interrupted
    // compact() are removed.
    static result<event_log> open(std::filesystem::path const& dir, segment_options options,
                                  replay_fn const& replay);
    // Calls `replay` for every whole event of the active generation, in order, as another
    // process writes it: no lock taken, nothing cut or written; a frame still being written
    // (a torn tail) is left for the next read. A missing DIR holds no event.
    static result<void> read(std::filesystem::path const& dir, replay_fn const& replay);
    // The same over every generation kept, oldest first (the active one last, unless not
    // `with_active`): each later one's snapshot restates the state the ones before it left.
    static result<void> read_history(std::filesystem::path const& dir, replay_fn const& replay,
                                     bool with_active = true);
    // Whether generations before the active one are kept.
    bool has_history() const noexcept { return generation_ != 0; }

    // Writes the events with one write and one fdatasync.
    void append_all(std::span<nlohmann::json const> events);
    void append(nlohmann::json const& event) { append_all(std::span(&event, 1)); }

    // Whether the events since the checkpoint outweigh it (compact_after_bytes).
    bool worth_compacting() const noexcept;
    // Starts a new generation whose checkpoint holds `snapshot` (events replayed as any
    // other), durably, then removes the older generations unless `keep_history`. Throws
    // std::system_error when it cannot be written; the log stays as it was then.
    void compact(std::span<nlohmann::json const> snapshot, bool keep_history);

  private:
    event_log(dir_lock lock, std::filesystem::path dir, std::uint32_t generation, segment_writer w,
              segment_options options)
        : lock_(std::move(lock)),
          dir_(std::move(dir)),
          generation_(generation),
          writer_(std::move(w)),
          options_(options) {}
    dir_lock lock_;
    std::filesystem::path dir_;
    std::uint32_t generation_ = 0;
    segment_writer writer_;
    segment_options options_;
    std::uint64_t checkpoint_bytes_ = 0;  // of the active generation's checkpoint
    std::uint64_t bytes_ = 0;             // of all its events, the checkpoint's among them
};

}  // namespace candor::util
