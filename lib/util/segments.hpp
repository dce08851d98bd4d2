// A directory of segment files seg-000001.cnj, seg-000002.cnj...: append-only, each a file
// header and frames. Used by the device journal, head office's store and the event logs.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "candor/error.hpp"
#include "candor/journal/segment.hpp"
#include "candor/seal/bytes.hpp"

namespace candor::util {

using journal::segment_options;

inline constexpr std::uint64_t preallocate_bytes = 1u << 20;

// An unfinished frame at the end of the last segment: a write the crash interrupted.
struct torn_tail {
    std::filesystem::path file;
    std::uint64_t offset = 0;  // where the good part ends
    std::uint64_t size = 0;  // where the torn bytes end: the file's size, less any zeros after them
};

struct segments_scan {
    errors found;  // damaged frames, bad headers, unfinished frames before the last segment
    std::optional<torn_tail> torn;
    std::vector<std::filesystem::path> files;
    std::uint64_t end = 0;  // where the last segment's frames end (zeros may follow)
};

using frame_visitor = std::function<void(std::filesystem::path const& file, std::uint64_t offset,
                                         seal::byte_view payload)>;

// Calls `visit` for every good frame of every segment in `dir`, in order.
segments_scan scan_segments(std::filesystem::path const& dir, frame_visitor const& visit);

// The segment files of `dir`, in order.
std::vector<std::filesystem::path> segment_files(std::filesystem::path const& dir,
                                                 std::error_code& ec);

// Where a frame starts: a segment's file name and an offset in it.
struct segment_position {
    std::string file;
    std::uint64_t offset = 0;
};
// Calls `visit` for every good frame from `from` on (from the first segment when its file is
// empty), in order, until it returns false; damage is skipped, as scan_segments reported it
// when the directory was opened. Reads none of the frames before `from`.
void read_segments_from(std::filesystem::path const& dir, segment_position const& from,
                        std::function<bool(std::filesystem::path const& file, std::uint64_t offset,
                                           seal::byte_view payload)> const& visit);

// Cuts the torn tail off, first copying the cut bytes to FILE.torn-OFFSET beside it.
void cut_torn_tail(torn_tail const& t);

// Appends frames to the last segment of a directory (after any torn tail was cut).
// A write that fails leaves the segments as they were: what it half wrote is cut off again
// (and, if even that fails, before the next write), so the writer goes on once the disk
// has room again and no frame stays that its caller was told failed.
// With sync on, a segment grows by `preallocate_bytes` at a time (fallocate): a frame then
// lands in space the file already has, and its fdatasync need not also commit a new size.
// The zeros beyond the frames are cut off when the writer closes or moves to a new segment.
class segment_writer {
  public:
    segment_writer(std::filesystem::path dir, segments_scan const& scanned,
                   segment_options options);
    segment_writer(segment_writer&& o) noexcept;
    segment_writer& operator=(segment_writer&& o) noexcept;
    segment_writer(segment_writer const&) = delete;
    segment_writer& operator=(segment_writer const&) = delete;
    ~segment_writer();

    // Writes `frames` (whole frames) with one write and, unless sync is off, one
    // fdatasync: when this returns a value, they are durable. Fails with "disk-full"
    // (ENOSPC, EDQUOT) or "io", having written nothing.
    [[nodiscard]] result<void> try_append(seal::byte_view frames);
    // try_append() for callers that cannot go on without it: throws std::system_error.
    void append(seal::byte_view frames);
    // The segment the last append wrote to (the one the next one writes to, when it fits).
    std::filesystem::path file() const;

  private:
    void start_segment(std::uint32_t index);
    bool cut_back() noexcept;
    std::filesystem::path dir_;
    segment_options options_;
    int fd_ = -1;
    std::uint32_t index_ = 0;
    void trim() noexcept;
    std::uint64_t size_ = 0;       // of the segment's good part
    std::uint64_t allocated_ = 0;  // of the file: size_ and the zeros preallocated after it
    bool cut_pending_ = false;     // a failed write's bytes could not be cut off yet
};

// An exclusive lock (flock) on a directory of segments, taken before it is scanned and held
// while it is open for writing. Without it a second process (`candor submit` beside a
// kiosk, `candor cases ack` during `candor route run`) would cut the first one's unfinished
// frame as a torn tail, or write over it. A second opener waits up to `wait`, then gets
// std::system_error.
class dir_lock {
  public:
    explicit dir_lock(std::filesystem::path const& dir,
                      std::chrono::milliseconds wait = std::chrono::seconds(30));
    dir_lock(dir_lock&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    dir_lock& operator=(dir_lock&& o) noexcept;
    dir_lock(dir_lock const&) = delete;
    dir_lock& operator=(dir_lock const&) = delete;
    ~dir_lock();

  private:
    int fd_ = -1;
};

// Syncs a directory, so that a new file's name is as durable as its contents.
void sync_directory(std::filesystem::path const& dir);

}  // namespace candor::util
