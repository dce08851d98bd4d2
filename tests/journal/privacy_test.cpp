// Format 2: personal answers sealed apart under a per-card key whose key box head office
// keeps apart from the records (card_keys); erasure destroys the key boxes (crypto-
// shredding) and every signature, chain link and non-personal answer stays.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "candor/journal/erasure.hpp"
#include "candor/journal/inspect.hpp"
#include "candor/journal/intake.hpp"
#include "candor/journal/opening.hpp"
#include "candor/journal/store.hpp"
#include "candor/response/json.hpp"
#include "candor/seal/split.hpp"
#include "candor/survey/parse.hpp"
#include "fixture.hpp"
#include "util/frame.hpp"

using namespace candor;
using namespace candor::journal;
using namespace candor::journal::testing;

namespace {

survey::survey const& hotel() {
    static auto const s =
        survey::parse_file(CANDOR_SOURCE_DIR "/examples/surveys/hotel-stay.survey").value();
    return s;
}

std::string guest_json(int i, std::string const& email, std::string const& phone,
                       std::string const& device = "kiosk-1") {
    return R"({"survey":"hotel-stay","version":3,"language":"en","fields":{"site":"paris-01","device":")" +
           device + R"(","channel":"kiosk","shift":"day"},"submitted":")" +
           format_timestamp(1793607372 + i) + R"(","answers":{"recommend":)" +
           std::to_string(i % 11) + R"(,"satisfaction":4,"contact_me":true,"phone":")" + phone +
           R"(","email":")" + email + R"("}})";
}

card guest_card(int i, std::string const& email, std::string const& phone,
                std::string const& device = "kiosk-1") {
    auto setting = device_setting{device, {}};
    return intake(hotel(), guest_json(i, email, phone, device), setting).value();
}

bool contains(seal::byte_view hay, seal::byte_view needle) {
    return std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
}

// Every file under `dir` that holds `needle`.
std::vector<fs::path> files_holding(fs::path const& dir, seal::byte_view needle) {
    std::vector<fs::path> out;
    for (auto const& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file() && contains(slurp(e.path()), needle)) out.push_back(e.path());
    return out;
}

std::map<fs::path, seal::bytes> snapshot(fs::path const& dir) {
    std::map<fs::path, seal::bytes> out;
    for (auto const& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) out[e.path()] = slurp(e.path());
    return out;
}

// A device journal of `cards`, exported as a bundle, imported into a store.
struct scene {
    temp_dir dir;
    seal::hq_secret hq = seal::make_hq_keys();
    seal::device_secret key = seal::make_device_keys("kiosk-1");
    seal::device_list devices = list_of({&key});
    std::vector<stamped> stamps;

    void take(std::vector<card> const& cards) {
        auto j = device_journal::open(dir / "journal", key, hq.public_part(), fast()).value();
        auto s = j.submit(cards).value();
        stamps.insert(stamps.end(), s.begin(), s.end());
    }
    bundle_input bundle() {
        auto out = dir / "bundle.cnb";
        fs::remove(out);
        REQUIRE(export_bundle(dir / "journal", 0, out));
        return {out.string(), slurp(out)};
    }
    store open_store() { return store::open(dir / "store", fast()).value(); }
    import_report import() {
        auto s = open_store();
        std::vector b{bundle()};
        return s.import(b, devices, hq);
    }
    static std::vector<record> records(store const& st) {
        std::vector<record> out;
        st.for_each([&](record const& r) { out.push_back(r); });
        return out;
    }
    std::vector<record> records() { return records(open_store()); }
};

}  // namespace

TEST_CASE("format 2: intake seals personal answers apart and opening joins them again") {
    auto const text = guest_json(3, "Guest@Example.com", "+33 1 23 45 67 89");
    auto c = guest_card(3, "Guest@Example.com", "+33 1 23 45 67 89");
    CHECK(c.content.find("Example") == std::string::npos);
    CHECK(c.content.find("+33") == std::string::npos);
    CHECK(c.personal.find("Guest@Example.com") != std::string::npos);
    scene s;
    s.take({c});
    auto contents = inspect_journal(s.dir / "journal");
    CHECK(contents.found.empty());
    REQUIRE(contents.records.size() == 1);
    auto const& r = contents.records.front();
    CHECK(r.format == 2);
    CHECK(r.key_box.size() == seal::key_box_bytes);
    CHECK_FALSE(contains(r.sealed, seal::as_bytes("Example")));
    auto opened = open_parts(r, s.hq);
    REQUIRE(opened);
    CHECK(opened->personal == personal_part::opened);
    CHECK(opened->found.empty());
    // The very response, answers in their order.
    CHECK(opened->response == response::from_json(text).value());
    CHECK(open_card(r, s.hq).value() == opened->response);
    // A card without personal answers stays format 1, every answer in its seal.
    auto plain = guest_json(4, "x@example.com", "+331234567");
    plain.replace(plain.find(R"(,"contact_me")"), plain.find("}}") - plain.find(R"(,"contact_me")"),
                  "");
    auto plain_card = intake(hotel(), plain, {"kiosk-1", {}}).value();
    CHECK(plain_card.personal.empty());
    CHECK(plain_card.content == response::to_json(response::from_json(plain).value()));
    s.take({plain_card});
    CHECK(inspect_journal(s.dir / "journal").records.back().format == 1);
    // Another head office's key opens neither part.
    auto other = open_parts(r, seal::make_hq_keys());
    REQUIRE_FALSE(other);
    CHECK(other.error().front().code == "unreadable");
}

TEST_CASE(
    "format 2: without its key box a card verifies, chains and opens without personal answers") {
    scene s;
    s.take({guest_card(1, "a@example.com", "+331111"), guest_card(2, "b@example.com", "+332222"),
            make_card(3), guest_card(4, "c@example.com", "+334444")});
    // Destroy every key box in the device's own journal, as a shredded copy would be.
    auto seg = s.dir / "journal" / "seg-000001.cnj";
    auto data = slurp(seg);
    auto frames = util::scan_frames(seal::byte_view(data).subspan(util::file_header_size),
                                    util::file_header_size);
    auto stripped = util::file_header(util::segment_magic);
    for (auto const& f : frames.frames) {
        auto r = from_payload(f.payload).value();
        r.key_box.clear();
        util::append_frame(stripped, to_payload(r));
    }
    spit(seg, stripped);
    auto contents = inspect_journal(s.dir / "journal");
    CHECK(contents.found.empty());  // every signature, every link, the mark
    REQUIRE(contents.records.size() == 4);
    for (std::size_t i = 0; i < 4; ++i) {
        auto const& r = contents.records[i];
        CHECK(receipt(r) == s.stamps[i].receipt);
        auto opened = open_parts(r, s.hq);
        REQUIRE(opened);
        CHECK(opened->response.find("recommend") != nullptr);
        CHECK(opened->response.find("email") == nullptr);
        CHECK(opened->personal == (r.format == 2 ? personal_part::erased : personal_part::none));
    }
}

TEST_CASE("format 2: a tampered key box leaves the personal answers unopenable, the rest opens") {
    scene s;
    s.take({guest_card(1, "a@example.com", "+331111"), guest_card(2, "b@example.com", "+332222")});
    auto contents = inspect_journal(s.dir / "journal");
    auto r = contents.records[0];
    r.key_box[5] ^= 1;
    CHECK(signature_ok(r, s.key.pub));  // the key box is not signed
    auto opened = open_parts(r, s.hq);
    REQUIRE(opened);
    CHECK(opened->personal == personal_part::unopenable);
    CHECK(has_code(opened->found, "personal-unopenable"));
    CHECK(opened->response.find("email") == nullptr);
    CHECK(std::get<std::int64_t>(*opened->response.find("satisfaction")) == 4);
    // Another card's key box does not open it either.
    r.key_box = contents.records[1].key_box;
    CHECK(open_parts(r, s.hq).value().personal == personal_part::unopenable);
    // The personal part itself is under the signature.
    r = contents.records[0];
    r.personal[r.personal.size() / 2] ^= 1;
    CHECK_FALSE(signature_ok(r, s.key.pub));
}

TEST_CASE("format 2: head office keeps key boxes apart, and v1 and v2 cards live in one store") {
    scene s;
    s.take({make_card(1), guest_card(2, "a@example.com", "+331111"), make_card(3),
            guest_card(4, "b@example.com", "+332222")});
    auto report = s.import();
    CHECK(report.accepted == 4);
    CHECK_FALSE(report.refused_any());
    auto device = inspect_journal(s.dir / "journal");
    for (auto const& r : device.records) {
        if (r.format != 2) continue;
        // In the key store, never in the store's segments.
        auto holding = files_holding(s.dir / "store", r.key_box);
        REQUIRE(holding.size() == 1);
        CHECK(holding.front().parent_path() == s.dir / "store" / "keys");
        auto const mode = fs::status(holding.front()).permissions() & fs::perms::all;
        CHECK(mode == (fs::perms::owner_read | fs::perms::owner_write));
    }
    auto const dir_mode = fs::status(s.dir / "store" / "keys").permissions() & fs::perms::all;
    CHECK(dir_mode == fs::perms::owner_all);
    auto records = s.records();  // reopened: the key boxes joined again
    REQUIRE(records.size() == 4);
    int formats[3] = {0, 0, 0};
    for (auto const& r : records) {
        ++formats[r.format];
        auto opened = open_parts(r, s.hq).value();
        CHECK(opened.personal == (r.format == 2 ? personal_part::opened : personal_part::none));
        if (r.format == 2) CHECK(opened.response.find("email") != nullptr);
    }
    CHECK(formats[1] == 2);
    CHECK(formats[2] == 2);
    CHECK(s.open_store().keys()->size() == 2);
}

TEST_CASE("erasure by e-mail and by receipt: key boxes gone from the disk, cards still count") {
    scene s;
    std::string const email = "Erase.Me@Example.com", phone = "+33 6 12 34 56 78";
    s.take({guest_card(1, email, phone), guest_card(2, "keep@example.com", "+33 7 00 00 00 01"),
            make_card(3), guest_card(4, email, phone),
            guest_card(5, "other@example.com", "+33 9 99 99 99 99")});
    s.import();
    auto device = inspect_journal(s.dir / "journal");
    auto box_of = [&](std::uint64_t seq) { return device.records[seq - 1].key_box; };

    auto st = s.open_store();
    auto subject = subject_access(st, "  erase.me@EXAMPLE.com ", s.hq);
    REQUIRE(subject);
    REQUIRE(subject->cards.size() == 2);
    CHECK(subject->cards[0].header.seq == 1);
    CHECK(subject->cards[1].header.seq == 4);
    auto json = to_json(*subject);
    CHECK(json.find(email) != std::string::npos);
    CHECK(json.find(phone) != std::string::npos);
    CHECK(json.find(s.stamps[3].receipt) != std::string::npos);

    auto done = erase_guest(st, {"", "erase.me@example.com"}, "dpo@hotel", s.hq, 1800000000);
    REQUIRE(done);
    REQUIRE(done->erased.size() == 2);
    CHECK(done->erased[0].by == "dpo@hotel");
    CHECK(done->erased[0].asked == "email");
    CHECK(done->erased[0].erased == 1800000000);
    CHECK(done->erased[1].receipt == s.stamps[3].receipt);
    for (std::uint64_t seq : {1, 4}) CHECK(files_holding(s.dir / "store", box_of(seq)).empty());
    CHECK(files_holding(s.dir / "store", box_of(2)).size() == 1);
    CHECK(files_holding(s.dir / "store", seal::as_bytes(email)).empty());
    CHECK(files_holding(s.dir / "store", seal::as_bytes("erase.me")).empty());
    CHECK(files_holding(s.dir / "store", seal::as_bytes(phone)).empty());

    // By receipt: the other guest.
    done = erase_guest(st, {s.stamps[4].receipt, ""}, "desk", s.hq, 1800000001);
    REQUIRE(done);
    REQUIRE(done->erased.size() == 1);
    CHECK(done->erased[0].card.seq == 5);
    CHECK(files_holding(s.dir / "store", box_of(5)).empty());

    // Reopened: every record verifies and chains, erased cards count without personal answers.
    { auto closed = std::move(st); }
    st = s.open_store();
    auto records = s.records(st);
    REQUIRE(records.size() == 5);
    std::map<std::uint64_t, seal::digest> hashes;
    for (auto const& r : records) {
        CHECK(signature_ok(r, s.key.pub));
        hashes[r.seq] = record_hash(r);
        CHECK(r.prev == (r.seq == 1 ? seal::digest{} : hashes[r.seq - 1]));
        auto opened = open_parts(r, s.hq).value();
        CHECK(opened.response.find("recommend") != nullptr);
        bool const erased = r.seq == 1 || r.seq == 4 || r.seq == 5;
        CHECK(opened.personal == (r.seq == 3 ? personal_part::none
                                  : erased   ? personal_part::erased
                                             : personal_part::opened));
    }
    CHECK(st.recovery().empty());
    CHECK(st.keys()->erasures().size() == 3);
    CHECK(subject_access(st, email, s.hq).value().cards.empty());
}

TEST_CASE("erasure is idempotent, and an unknown guest or bad input changes nothing") {
    scene s;
    s.take({guest_card(1, "a@example.com", "+331111"), guest_card(2, "b@example.com", "+332222")});
    s.import();
    auto st = s.open_store();
    REQUIRE(erase_guest(st, {"", "a@example.com"}, "dpo", s.hq, 1800000000).value().erased.size() ==
            1);
    auto before = snapshot(s.dir / "store");
    auto check_unchanged = [&] { CHECK(snapshot(s.dir / "store") == before); };

    auto twice = erase_guest(st, {"", "a@example.com"}, "dpo", s.hq, 1800000005).value();
    CHECK(twice.erased.empty());
    CHECK(has_code(twice.found, "not-found"));
    auto by_code = erase_guest(st, {s.stamps[0].receipt, ""}, "dpo", s.hq, 1800000005).value();
    CHECK(by_code.erased.empty());
    CHECK(has_code(by_code.found, "already-erased"));
    auto unknown = erase_guest(st, {"", "nobody@example.com"}, "dpo", s.hq, 1800000005).value();
    CHECK(unknown.erased.empty());
    CHECK(has_code(unknown.found, "not-found"));
    check_unchanged();

    auto code_of = [&](guest const& g, std::string const& by = "dpo") {
        auto r = erase_guest(st, g, by, s.hq, 1800000005);
        REQUIRE_FALSE(r);
        return r.error().front().code;
    };
    CHECK(code_of({"", "no-at-sign"}) == "bad-email");
    CHECK(code_of({"", "two@@example.com"}) == "bad-email");
    CHECK(code_of({"", "sp ace@example.com"}) == "bad-email");
    CHECK(code_of({"", "ctl\x01@example.com"}) == "bad-email");
    CHECK(code_of({"", std::string(10u << 20, 'a') + "@example.com"}) == "bad-email");
    CHECK(code_of({"", "   "}) == "bad-email");
    CHECK(code_of({"not a code", ""}) == "bad-receipt");
    CHECK(code_of({std::string(1u << 20, '7'), ""}) == "bad-receipt");
    CHECK(code_of({"", ""}) == "bad-guest");
    CHECK(code_of({s.stamps[1].receipt, "b@example.com"}) == "bad-guest");
    CHECK(code_of({"", "b@example.com"}, "") == "bad-by");
    CHECK(code_of({"", "b@example.com"}, std::string(300, 'x')) == "bad-by");
    CHECK(code_of({"", "b@example.com"}, "line\nbreak") == "bad-by");
    CHECK(subject_access(st, "not an address", s.hq).error().front().code == "bad-email");
    check_unchanged();
    CHECK(open_parts(s.records(st)[1], s.hq).value().personal == personal_part::opened);
}

TEST_CASE("importing a bundle again after erasure does not bring the key box back") {
    scene s;
    s.take({guest_card(1, "a@example.com", "+331111"), guest_card(2, "b@example.com", "+332222")});
    s.import();
    {
        auto st = s.open_store();
        REQUIRE(erase_guest(st, {"", "a@example.com"}, "dpo", s.hq, 1800000000));
    }
    auto again = s.import();  // the device still holds its copy
    CHECK(again.duplicates == 2);
    CHECK(again.accepted == 0);
    auto box = inspect_journal(s.dir / "journal").records[0].key_box;
    CHECK(files_holding(s.dir / "store", box).empty());
    CHECK(open_parts(s.records()[0], s.hq).value().personal == personal_part::erased);
    // Even offered directly, an erased card's key is not kept.
    auto st = s.open_store();
    card_key k;
    k.card.device = "kiosk-1";
    k.card.seq = 1;
    k.hash = record_hash(s.records(st)[0]);
    k.key_box = box;
    st.keys()->add(std::span(&k, 1));
    CHECK(st.keys()->key_box({"kiosk-1", 1}) == nullptr);
    CHECK(files_holding(s.dir / "store", box).empty());
}

TEST_CASE("an erasure interrupted after its log record is finished when the key store opens") {
    scene s;
    s.take({guest_card(1, "a@example.com", "+331111")});
    s.import();
    auto const keys_dir = s.dir / "store" / "keys";
    auto kept = snapshot(keys_dir);
    {
        auto st = s.open_store();
        REQUIRE(erase_guest(st, {"", "a@example.com"}, "dpo", s.hq, 1800000000));
    }
    // Put the key segment back as it was before the rewrite (the crash came in between).
    for (auto const& [file, bytes] : kept)
        if (file.parent_path() == keys_dir) spit(file, bytes);
    auto box = inspect_journal(s.dir / "journal").records[0].key_box;
    REQUIRE(files_holding(s.dir / "store", box).size() == 1);
    auto st = s.open_store();
    CHECK(st.keys()->key_box({"kiosk-1", 1}) == nullptr);
    CHECK(files_holding(s.dir / "store", box).empty());
}

TEST_CASE("hostile key segments: bad entries are reported, the rest is read") {
    scene s;
    s.take({guest_card(1, "a@example.com", "+331111"), guest_card(2, "b@example.com", "+332222")});
    s.import();
    auto seg = s.dir / "store" / "keys" / "seg-000001.cnj";
    auto data = slurp(seg);
    seal::bytes junk(100, 0xAB);
    util::append_frame(data, junk);
    spit(seg, data);
    auto st = store::open(s.dir / "store", fast());
    REQUIRE(st);
    CHECK(has_code(st->recovery(), "bad-key"));
    CHECK(st->keys()->size() == 2);
}
