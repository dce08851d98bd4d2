// The golden journal in tests/data/journal-v1 was written by format version 1; every later
// Candor must read it, verify it and open its cards. Never regenerate it: add a v2 beside it.
#include <doctest/doctest.h>

#include <fstream>

#include "candor/journal/inspect.hpp"
#include "candor/seal/box.hpp"
#include "fixture.hpp"
#include "util/frame.hpp"

using namespace candor;
using namespace candor::journal;
using namespace candor::journal::testing;

TEST_CASE("golden journal v1 reads, verifies and opens") {
    fs::path dir = fs::path(CANDOR_SOURCE_DIR) / "tests" / "data" / "journal-v1";
    auto contents = inspect_journal(dir);
    CHECK(contents.found.empty());
    CHECK(contents.device == "kiosk-golden");
    REQUIRE(contents.records.size() == 5);

    std::ifstream key_file(dir / "hq-secret.txt");
    std::string key_text((std::istreambuf_iterator<char>(key_file)), {});
    auto hq = seal::parse_hq_secret(key_text);
    REQUIRE(hq);
    std::ifstream expected_contents(dir / "contents.jsonl");
    std::ifstream expected_receipts(dir / "receipts.txt");
    for (auto const& r : contents.records) {
        std::string content, code;
        std::uint64_t seq = 0;
        REQUIRE(std::getline(expected_contents, content));
        REQUIRE(static_cast<bool>(expected_receipts >> code >> seq));
        CHECK(r.seq == seq);
        CHECK(receipt(r) == code);  // the record hash is stable too
        auto opened = seal::open_sealed(*hq, r.sealed);
        REQUIRE(opened);
        CHECK(seal::as_chars(*opened) == content);
        CHECK(r.survey == "hotel-stay");
        CHECK(r.survey_version == 3);
    }
}

TEST_CASE("golden journal v1: format 1 records are still written byte for byte as version 1") {
    auto seg =
        slurp(fs::path(CANDOR_SOURCE_DIR) / "tests" / "data" / "journal-v1" / "seg-000001.cnj");
    auto frames = util::scan_frames(seal::byte_view(seg).subspan(util::file_header_size),
                                    util::file_header_size);
    REQUIRE(frames.frames.size() == 5);
    for (auto const& f : frames.frames) {
        auto r = from_payload(f.payload);
        REQUIRE(r);
        CHECK(r->format == 1);
        auto again = to_payload(*r);
        CHECK(seal::bytes(f.payload.begin(), f.payload.end()) == again);
    }
}
