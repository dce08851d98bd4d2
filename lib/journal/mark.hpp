// The journal's high-water mark: DIR/head holds the signed head of the last card the journal
// acknowledged, kept apart from the segments so that cutting them does not lower it. Two
// slots written in turn, each a CRC-checked frame, so that a torn write leaves the previous
// head readable (docs/journal-format.md).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>

#include "candor/journal/head.hpp"

namespace candor::journal::detail {

inline constexpr std::string_view mark_file_name = "head";

struct mark_state {
    bool exists = false;
    std::optional<signed_head> head;  // the newest readable slot's
    int newest_slot = 0;
};
// Throws std::system_error when the file exists but cannot be read.
mark_state read_mark(std::filesystem::path const& dir);

// Writes the mark. I/O failures throw std::system_error.
// Thread safety: one thread writes; the writer's own thread only syncs.
class mark_writer {
  public:
    // Creates DIR/head holding `h`, whole or not at all.
    static mark_writer create(std::filesystem::path const& dir, signed_head const& h, bool sync);
    // Opens the existing file; the next write goes to the slot that is not `newest_slot`.
    static mark_writer open(std::filesystem::path const& dir, int newest_slot, bool sync);
    mark_writer(mark_writer&& o) noexcept;
    mark_writer& operator=(mark_writer&& o) noexcept;
    mark_writer(mark_writer const&) = delete;
    mark_writer& operator=(mark_writer const&) = delete;
    // Waits for the last post() to be durable.
    ~mark_writer();

    // One pwrite into the older slot and, with sync, one fdatasync: when this returns, `h`
    // is the mark.
    void write(signed_head const& h);

    // One pwrite into the older slot; the fdatasync follows on the writer's own thread, so
    // that a submit waits for one sync (its cards'), not two. A mark may so lag the cards
    // acknowledged by one sync after a power cut: open() then raises it to the newest card
    // (the cards are durable before their mark is written). Throws when the write, or the
    // sync of an earlier post, failed.
    void post(signed_head const& h);
    // Throws when the sync of an earlier post failed: checked before cards are written.
    void check() const;

  private:
    struct state;
    explicit mark_writer(std::unique_ptr<state> s);
    void put(signed_head const& h);
    std::unique_ptr<state> s_;
};

}  // namespace candor::journal::detail
