// An append-only log of JSON events in journal segments (CRC-checked frames, fdatasync on
// every write): the storage of the case log and of the outbox. Opening replays every
// event; a torn last frame from a crash is cut off first.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include "candor/error.hpp"
#include "util/segments.hpp"

namespace candor::util {

class event_log {
  public:
    using replay_fn = std::function<void(nlohmann::json const&)>;
    // Creates DIR if needed and calls `replay` for every event in order. An error names
    // the damage; an exception `replay` throws for a malformed event becomes one too.
    static result<event_log> open(std::filesystem::path const& dir, segment_options options,
                                  replay_fn const& replay);
    // Calls `replay` for every whole event in DIR, in order, as another process writes it:
    // no lock taken, nothing cut or written; a frame still being written (a torn tail) is
    // left for the next read. A missing DIR holds no event.
    static result<void> read(std::filesystem::path const& dir, replay_fn const& replay);
    // Writes the events with one write and one fdatasync.
    void append_all(std::span<nlohmann::json const> events);
    void append(nlohmann::json const& event) { append_all(std::span(&event, 1)); }

  private:
    event_log(dir_lock lock, segment_writer w) : lock_(std::move(lock)), writer_(std::move(w)) {}
    dir_lock lock_;
    segment_writer writer_;
};

}  // namespace candor::util
