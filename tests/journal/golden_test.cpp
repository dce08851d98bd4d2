// The golden journal in tests/data/journal-v1 was written by format version 1; every later
// Candor must read it, verify it and open its cards. Never regenerate it: add a v2 beside it.
#include <doctest/doctest.h>

#include <fstream>

#include "candor/journal/inspect.hpp"
#include "candor/journal/opening.hpp"
#include "candor/journal/store.hpp"
#include "candor/response/json.hpp"
#include "candor/seal/box.hpp"
#include "fixture.hpp"
#include "util/frame.hpp"

using namespace candor;
using namespace candor::journal;
using namespace candor::journal::testing;

namespace {
std::string read_text(fs::path const& file) {
    auto b = slurp(file);
    return {b.begin(), b.end()};
}
}  // namespace

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

// tests/data/journal-v2 (its README): format 1 and format 2 cards of one device.
TEST_CASE("golden journal v2 reads, verifies and opens, with and without its key boxes") {
    fs::path const golden = fs::path(CANDOR_SOURCE_DIR) / "tests" / "data" / "journal-v2";
    auto contents = inspect_journal(golden);
    CHECK(contents.found.empty());
    CHECK(contents.device == "kiosk-golden2");
    REQUIRE(contents.records.size() == 5);
    auto hq = seal::parse_hq_secret(read_text(golden / "hq-secret.txt"));
    REQUIRE(hq);
    std::ifstream expected_contents(golden / "contents.jsonl");
    std::ifstream expected_receipts(golden / "receipts.txt");
    int v2 = 0;
    for (auto const& r : contents.records) {
        std::string content, code;
        std::uint64_t seq = 0;
        std::uint32_t format = 0;
        REQUIRE(std::getline(expected_contents, content));
        REQUIRE(static_cast<bool>(expected_receipts >> code >> seq >> format));
        CHECK(r.seq == seq);
        CHECK(r.format == format);
        CHECK(receipt(r) == code);
        auto opened = open_parts(r, *hq);
        REQUIRE(opened);
        CHECK(response::to_json(opened->response) == content);
        if (r.format != 2) continue;
        ++v2;
        CHECK(opened->personal == personal_part::opened);
        auto shredded = r;
        shredded.key_box.clear();
        CHECK(receipt(shredded) == code);
        auto without = open_parts(shredded, *hq);
        REQUIRE(without);
        CHECK(without->personal == personal_part::erased);
        CHECK(without->response.find("email") == nullptr);
        CHECK(without->response.find("recommend") != nullptr);
    }
    CHECK(v2 == 3);

    // Imported: a store of format 1 and format 2 records, key boxes kept apart and joined.
    temp_dir dir;
    auto store = store::open(dir / "store", fast()).value();
    auto devices = seal::parse_device_list(read_text(golden / "device.pub"), "devices").value();
    REQUIRE(export_bundle(golden, 0, dir / "b.cnb"));
    std::vector<bundle_input> b{{"b.cnb", slurp(dir / "b.cnb")}};
    auto report = store.import(b, devices, *hq);
    INFO(render(report.found));
    CHECK(report.accepted == 5);
    CHECK_FALSE(report.refused_any());
    CHECK(store.keys()->size() == 3);
    int opened = 0;
    store.for_each([&](record const& r) {
        auto o = open_parts(r, *hq);
        REQUIRE(o);
        CHECK(o->personal == (r.format == 2 ? personal_part::opened : personal_part::none));
        ++opened;
    });
    CHECK(opened == 5);
}
