#include "util/frame.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

#include "util/crc32c.hpp"

namespace candor::util {

namespace {

void put_u32(seal::bytes& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
std::uint32_t get_u32(std::uint8_t const* p) noexcept {
    return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 |
           std::uint32_t(p[3]) << 24;
}

std::uint32_t frame_crc(std::uint8_t const* length_field, seal::byte_view payload) noexcept {
    return crc32c(payload, crc32c({length_field, 4}));
}

// The length of the whole frame starting at `at`, or 0 if no good frame starts there.
std::size_t frame_at(seal::byte_view data, std::size_t at) noexcept {
    if (data.size() - at < frame_overhead) return 0;
    std::uint32_t len = get_u32(data.data() + at);
    if (len == 0 || len > max_payload || len > data.size() - at - frame_overhead) return 0;
    seal::byte_view payload = data.subspan(at + frame_overhead, len);
    if (frame_crc(data.data() + at, payload) != get_u32(data.data() + at + 4)) return 0;
    return frame_overhead + len;
}

}  // namespace

void append_frame(seal::bytes& out, seal::byte_view payload) {
    // A longer frame would be written, then read back as damage: refuse it here.
    if (payload.empty() || payload.size() > max_payload)
        throw std::length_error("journal frame of " + std::to_string(payload.size()) + " bytes");
    auto len = static_cast<std::uint32_t>(payload.size());
    std::size_t at = out.size();
    put_u32(out, len);
    put_u32(out, frame_crc(out.data() + at, payload));
    out.insert(out.end(), payload.begin(), payload.end());
}

seal::bytes file_header(std::string_view magic) {
    seal::bytes h(magic.begin(), magic.end());
    put_u32(h, format_version);
    put_u32(h, crc32c(h));
    return h;
}

std::optional<std::uint32_t> read_file_header(seal::byte_view data, std::string_view magic) {
    if (data.size() < file_header_size || std::memcmp(data.data(), magic.data(), 8) != 0 ||
        crc32c(data.first(12)) != get_u32(data.data() + 12))
        return std::nullopt;
    return get_u32(data.data() + 8);
}

frame_scan scan_frames(seal::byte_view data, std::uint64_t base) {
    frame_scan scan;
    std::size_t at = 0;
    while (at < data.size()) {
        if (std::size_t n = frame_at(data, at); n != 0) {
            scan.frames.push_back(
                {base + at, data.subspan(at + frame_overhead, n - frame_overhead)});
            at += n;
            continue;
        }
        if (std::all_of(data.begin() + static_cast<std::ptrdiff_t>(at), data.end(),
                        [](std::uint8_t b) { return b == 0; }))
            break;
        std::size_t next = at + 1;
        while (next < data.size() && frame_at(data, next) == 0) ++next;
        if (next >= data.size()) {
            scan.torn_at = base + at;
            break;
        }
        scan.damaged.push_back({base + at, next - at});
        at = next;
    }
    scan.end = scan.torn_at.value_or(base + at);
    return scan;
}

}  // namespace candor::util
