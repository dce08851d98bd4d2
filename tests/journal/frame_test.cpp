#include <doctest/doctest.h>

#include <stdexcept>

#include "util/crc32c.hpp"
#include "util/frame.hpp"

using namespace candor;

TEST_CASE("crc32c matches the standard check value") {
    CHECK(util::crc32c(seal::as_bytes("123456789")) == 0xE3069283u);
    CHECK(util::crc32c(seal::as_bytes("")) == 0u);
    // Incremental equals whole, over lengths that exercise the 8-byte steps and the rest.
    std::string text(1000, 'x');
    for (std::size_t i = 0; i < text.size(); ++i) text[i] = static_cast<char>(i * 7);
    auto all = seal::as_bytes(text);
    CHECK(util::crc32c(all.subspan(13), util::crc32c(all.first(13))) == util::crc32c(all));
}

namespace {
seal::bytes three_frames() {
    seal::bytes out;
    util::append_frame(out, seal::as_bytes("first card"));
    util::append_frame(out, seal::as_bytes("second card"));
    util::append_frame(out, seal::as_bytes("third card"));
    return out;
}
}  // namespace

TEST_CASE("frames are read back with their offsets") {
    auto data = three_frames();
    auto scan = util::scan_frames(data, 16);
    REQUIRE(scan.frames.size() == 3);
    CHECK(scan.frames[0].offset == 16);
    CHECK(scan.frames[1].offset == 16 + 8 + 10);
    CHECK(seal::as_chars(scan.frames[2].payload) == "third card");
    CHECK(scan.damaged.empty());
    CHECK_FALSE(scan.torn_at);
}

TEST_CASE("a frame that could not be read back is refused when written") {
    seal::bytes out;
    seal::bytes const too_big(util::max_payload + 1, 'x');
    CHECK_THROWS_AS(util::append_frame(out, too_big), std::length_error);
    CHECK_THROWS_AS(util::append_frame(out, {}), std::length_error);
    CHECK(out.empty());
    seal::bytes const largest(util::max_payload, 'x');
    util::append_frame(out, largest);
    CHECK(util::scan_frames(out, 0).frames.size() == 1);
}

TEST_CASE("a frame cut anywhere is a torn tail, the frames before it intact") {
    auto data = three_frames();
    std::size_t third = 8 + 10 + 8 + 11;
    for (std::size_t cut = third + 1; cut < data.size(); ++cut) {
        auto scan = util::scan_frames(seal::byte_view(data).first(cut));
        CHECK(scan.frames.size() == 2);
        CHECK(scan.torn_at == third);
        CHECK(scan.damaged.empty());
    }
    // A frame torn in space preallocated after it: torn where it starts, zeros or not.
    auto torn = seal::bytes(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(third + 5));
    torn.resize(torn.size() + 4096, 0);
    auto scan = util::scan_frames(torn);
    CHECK(scan.frames.size() == 2);
    CHECK(scan.torn_at == third);
    CHECK(scan.end == third);
}

TEST_CASE("zeros after the last frame are preallocated space, not damage") {
    auto data = three_frames();
    auto const used = data.size();
    for (std::size_t zeros : {1u, 7u, 8u, 4096u}) {
        auto padded = data;
        padded.resize(used + zeros, 0);
        auto scan = util::scan_frames(padded, 16);
        CHECK(scan.frames.size() == 3);
        CHECK_FALSE(scan.torn_at);
        CHECK(scan.damaged.empty());
        CHECK(scan.end == 16 + used);
    }
    // Zeros with frames after them are damage still: a hole in the middle is never skipped.
    auto holed = seal::bytes(64, 0);
    holed.insert(holed.end(), data.begin(), data.end());
    auto scan = util::scan_frames(holed);
    CHECK(scan.frames.size() == 3);
    REQUIRE(scan.damaged.size() == 1);
    CHECK(scan.damaged[0].length == 64);
}

TEST_CASE("damage in the middle is reported with its offset and reading goes on") {
    auto data = three_frames();
    for (std::size_t at = 8 + 10; at < 8 + 10 + 8 + 11; ++at) {
        auto copy = data;
        copy[at] ^= 0x40;
        auto scan = util::scan_frames(copy);
        REQUIRE(scan.damaged.size() == 1);
        CHECK(scan.damaged[0].offset == 18);
        CHECK(scan.damaged[0].length == 19);
        REQUIRE(scan.frames.size() == 2);
        CHECK(seal::as_chars(scan.frames[1].payload) == "third card");
        CHECK_FALSE(scan.torn_at);
    }
}

TEST_CASE("file headers carry magic and version") {
    auto h = util::file_header(util::segment_magic);
    CHECK(h.size() == util::file_header_size);
    CHECK(util::read_file_header(h, util::segment_magic) == util::format_version);
    CHECK_FALSE(util::read_file_header(h, util::bundle_magic));
    h[9] ^= 1;
    CHECK_FALSE(util::read_file_header(h, util::segment_magic));
}
