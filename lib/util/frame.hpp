// Frames: how records sit in segment and bundle files.
//   u32 length (little-endian, 1..max_payload)
//   u32 CRC32C of the four length bytes and the payload
//   payload
// A file starts with a 16-byte header: 8 bytes of magic, u32 format version, u32 CRC32C
// of the first 12 bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "candor/seal/bytes.hpp"

namespace candor::util {

inline constexpr std::size_t frame_overhead = 8;
inline constexpr std::uint32_t max_payload = 1u << 20;
inline constexpr std::size_t file_header_size = 16;
inline constexpr std::uint32_t format_version = 1;

inline constexpr std::string_view segment_magic{"CNDRSEG\0", 8};
inline constexpr std::string_view bundle_magic{"CNDRBDL\0", 8};

// Throws std::length_error for an empty payload or one over max_payload.
void append_frame(seal::bytes& out, seal::byte_view payload);
seal::bytes file_header(std::string_view magic);

// The format version of a file with this magic, or nullopt if the header is not one.
std::optional<std::uint32_t> read_file_header(seal::byte_view data, std::string_view magic);

struct frame {
    std::uint64_t offset = 0;  // of the length field, in the file
    seal::byte_view payload;
};
// Bytes between frames that are no frame: reported, never silently skipped.
struct damage {
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};

struct frame_scan {
    std::vector<frame> frames;
    std::vector<damage> damaged;  // in the middle, with good frames after them
    // Set when the data ends in something that is no complete frame (a torn last write,
    // or a file cut short): the offset where the good part ends.
    std::optional<std::uint64_t> torn_at;
    // Where the frames end, before the zeros of space preallocated for later frames.
    std::uint64_t end = 0;
};

// Every frame of `data`, which starts at file offset `base`. After damage, scanning
// resumes at the next offset where a whole frame with a good CRC starts. Zeros after the
// last frame are space a writer preallocated (no frame has length 0), not damage.
frame_scan scan_frames(seal::byte_view data, std::uint64_t base = 0);

}  // namespace candor::util
