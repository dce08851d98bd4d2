#include <doctest/doctest.h>

#include "candor/journal/inspect.hpp"
#include "candor/journal/record.hpp"
#include "candor/seal/box.hpp"
#include "candor/seal/receipt.hpp"
#include "fixture.hpp"

using namespace candor;
using namespace candor::journal;
using namespace candor::journal::testing;

TEST_CASE("records survive the archive and keep their signature") {
    auto dev = seal::make_device_keys("kiosk-3");
    auto hq = seal::make_hq_keys();
    record r{
        "kiosk-3",  7,          "hotel-stay", 3,
        "paris-01", 1793607372, {},           seal::seal_to(hq.public_part(), seal::as_bytes("{}")),
        {}};
    r.prev[0] = 42;
    sign_record(r, dev);
    auto back = from_payload(to_payload(r));
    REQUIRE(back);
    CHECK(*back == r);
    CHECK(signature_ok(*back, dev.pub));
    back->site = "lyon-02";
    CHECK_FALSE(signature_ok(*back, dev.pub));
    CHECK(receipt(r) == seal::receipt_code(record_hash(r)));

    auto payload = to_payload(r);
    CHECK_FALSE(from_payload(seal::byte_view(payload).first(payload.size() - 1)));
    payload.push_back(0);
    CHECK_FALSE(from_payload(payload));
}

TEST_CASE("a journal chains its cards and carries on after reopening") {
    temp_dir dir;
    auto dev = seal::make_device_keys("kiosk-3");
    auto hq = seal::make_hq_keys();
    auto first = fill(dir.path(), dev, hq.public_part(), 3);
    REQUIRE(first.size() == 3);
    CHECK(first[0].seq == 1);
    CHECK(first[2].seq == 3);
    auto more = fill(dir.path(), dev, hq.public_part(), 2, 4);
    CHECK(more[0].seq == 4);

    auto contents = inspect_journal(dir.path());
    CHECK(contents.found.empty());
    CHECK(contents.device == "kiosk-3");
    REQUIRE(contents.records.size() == 5);
    CHECK(receipt(contents.records[3]) == more[0].receipt);
    auto opened = seal::open_sealed(hq, contents.records[4].sealed);
    REQUIRE(opened);
    CHECK(seal::as_chars(*opened) == make_card(5).content);
    CHECK(contents.records[1].prev == record_hash(contents.records[0]));
}

TEST_CASE("a journal belongs to one device") {
    temp_dir dir;
    auto hq = seal::make_hq_keys().public_part();
    fill(dir.path(), seal::make_device_keys("kiosk-3"), hq, 1);
    auto other = device_journal::open(dir.path(), seal::make_device_keys("kiosk-4"), hq, fast());
    REQUIRE_FALSE(other);
    CHECK(other.error()[0].code == "wrong-device");
    // Same name, another key: refused too.
    auto impostor = device_journal::open(dir.path(), seal::make_device_keys("kiosk-3"), hq, fast());
    REQUIRE_FALSE(impostor);
}

TEST_CASE("a torn last frame is cut on open, cut anywhere, and the card numbered again") {
    temp_dir base;
    auto dev = seal::make_device_keys("kiosk-3");
    auto hq = seal::make_hq_keys();
    fill(base / "j", dev, hq.public_part(), 2);
    // A crash tears the third card's frame before its receipt: the mark still says card 2.
    auto const mark_at_2 = slurp(base / "j" / "head");
    fill(base / "j", dev, hq.public_part(), 1, 3);
    auto seg = base / "j" / "seg-000001.cnj";
    auto whole = slurp(seg);
    auto before = inspect_journal(base / "j");
    auto last_frame = whole.size() - to_payload(before.records[2]).size() - 8;
    for (auto cut = last_frame + 1; cut < whole.size(); cut += 7) {
        spit(seg, seal::byte_view(whole).first(cut));
        spit(base / "j" / "head", mark_at_2);
        auto torn = inspect_journal(base / "j");
        CHECK(has_code(torn.found, "torn-tail"));
        CHECK(torn.records.size() == 2);
        {
            auto j = device_journal::open(base / "j", dev, hq.public_part(), fast());
            REQUIRE(j);
            CHECK(j->last_seq() == 2);
            CHECK(has_code(j->recovery(), "torn-tail-cut"));
        }
        CHECK(fs::file_size(seg) == last_frame);
        CHECK(fs::exists(seg.string() + ".torn-" + std::to_string(last_frame)));
        CHECK(inspect_journal(base / "j").found.empty());
        fs::remove(seg.string() + ".torn-" + std::to_string(last_frame));
    }
    auto again = fill(base / "j", dev, hq.public_part(), 1, 3);
    CHECK(again[0].seq == 3);
    CHECK(inspect_journal(base / "j").found.empty());
}

TEST_CASE("damage in the middle is reported with its offset, never skipped silently") {
    temp_dir dir;
    auto dev = seal::make_device_keys("kiosk-3");
    auto hq = seal::make_hq_keys();
    fill(dir.path(), dev, hq.public_part(), 3);
    auto seg = dir / "seg-000001.cnj";
    auto data = slurp(seg);
    data[16 + 30] ^= 0xFF;  // inside the first record
    spit(seg, data);
    auto contents = inspect_journal(dir.path());
    REQUIRE(contents.found.size() == 2);
    CHECK(contents.found[0].code == "damaged-frame");
    CHECK(contents.found[0].where.offset == 16);
    CHECK(contents.found[1].code == "gap");
    CHECK(contents.found[1].where.seq == 2);
    CHECK(render(contents.found[1]).find("device kiosk-3 seq 2: card 1 is missing") !=
          std::string::npos);
    // The device still takes cards; what it found is in recovery().
    auto j = device_journal::open(dir.path(), dev, hq.public_part(), fast());
    REQUIRE(j);
    CHECK(j->last_seq() == 3);
    CHECK(has_code(j->recovery(), "damaged-frame"));
}

TEST_CASE("segments roll over and are read in order") {
    temp_dir dir;
    auto dev = seal::make_device_keys("kiosk-3");
    auto hq = seal::make_hq_keys();
    for (int i = 0; i < 10; ++i)
        fill(dir.path(), dev, hq.public_part(), 3, 1 + 3 * i, {2000, false});
    CHECK(fs::exists(dir / "seg-000003.cnj"));
    auto contents = inspect_journal(dir.path());
    CHECK(contents.found.empty());
    REQUIRE(contents.records.size() == 30);
    CHECK(contents.records.back().seq == 30);
}

TEST_CASE("a synced journal preallocates its segment, and the zeros are never read as cards") {
    temp_dir base;
    auto dev = seal::make_device_keys("kiosk-3");
    auto hq = seal::make_hq_keys();
    auto const dir = base / "j";
    auto const seg = dir / "seg-000001.cnj";
    segment_options const synced{64u << 20, true};
    std::uint64_t used = 0;
    {
        auto j = device_journal::open(dir, dev, hq.public_part(), synced);
        REQUIRE(j);
        for (int i = 1; i <= 3; ++i)
            CHECK(j->submit(std::vector{make_card(i)}).value()[0].seq == std::uint64_t(i));
        // Space for the next cards is in the file already, as zeros after the frames.
        CHECK(fs::file_size(seg) == 1u << 20);
        auto open_now = inspect_journal(dir);
        CHECK(open_now.found.empty());
        CHECK(open_now.records.size() == 3);
        used = 16;
        for (auto const& r : open_now.records) used += to_payload(r).size() + 8;
    }
    // Closing cuts the zeros off.
    CHECK(fs::file_size(seg) == used);
    // A crash leaves them: the next open reads no card in them, warns of nothing, and
    // appends after the frames, not after the zeros.
    auto crashed = slurp(seg);
    crashed.resize(1u << 20, 0);
    spit(seg, crashed);
    {
        auto j = device_journal::open(dir, dev, hq.public_part(), synced);
        REQUIRE(j);
        CHECK(j->recovery().empty());
        CHECK(j->last_seq() == 3);
        CHECK(j->submit(std::vector{make_card(4)}).value()[0].seq == 4);
    }
    auto after = inspect_journal(dir);
    CHECK(after.found.empty());
    REQUIRE(after.records.size() == 4);
    CHECK(after.records[3].prev == record_hash(after.records[2]));
    CHECK(fs::file_size(seg) == used + to_payload(after.records[3]).size() + 8);
}

TEST_CASE("a frame torn in preallocated space is cut, and only its own bytes kept aside") {
    temp_dir base;
    auto dev = seal::make_device_keys("kiosk-3");
    auto hq = seal::make_hq_keys();
    auto const dir = base / "j";
    auto const seg = dir / "seg-000001.cnj";
    fill(dir, dev, hq.public_part(), 2);
    auto const mark_at_2 = slurp(dir / "head");  // card 3 is never acknowledged
    fill(dir, dev, hq.public_part(), 1, 3);
    auto whole = slurp(seg);
    auto const third = whole.size() - to_payload(inspect_journal(dir).records[2]).size() - 8;
    // Card 3's frame half written (up to a byte that is not zero), the rest of the
    // preallocated megabyte still zeros.
    auto cut = third + 20;
    while (whole[cut - 1] == 0) ++cut;
    auto torn = seal::bytes(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(cut));
    torn.resize(1u << 20, 0);
    spit(seg, torn);
    spit(dir / "head", mark_at_2);
    auto j = device_journal::open(dir, dev, hq.public_part(), segment_options{64u << 20, true});
    REQUIRE(j);
    CHECK(j->last_seq() == 2);
    REQUIRE(has_code(j->recovery(), "torn-tail-cut"));
    CHECK(fs::file_size(seg) == third);
    auto kept = slurp(seg.string() + ".torn-" + std::to_string(third));
    CHECK(kept == seal::bytes(whole.begin() + static_cast<std::ptrdiff_t>(third),
                              whole.begin() + static_cast<std::ptrdiff_t>(cut)));
}

TEST_CASE("the mark follows each synced submit, and is the last card's once the journal closes") {
    temp_dir base;
    auto dev = seal::make_device_keys("kiosk-3");
    auto hq = seal::make_hq_keys();
    auto const dir = base / "j";
    std::string last_receipt;
    {
        auto j = device_journal::open(dir, dev, hq.public_part(), segment_options{64u << 20, true});
        REQUIRE(j);
        for (int i = 1; i <= 40; ++i)
            last_receipt = j->submit(std::vector{make_card(i)}).value()[0].signed_receipt;
    }
    auto contents = inspect_journal(dir);
    CHECK(contents.found.empty());
    REQUIRE(contents.acknowledged);
    CHECK(contents.acknowledged->seq == 40);
    CHECK(contents.acknowledged->hash == parse_head(last_receipt)->hash);
}
