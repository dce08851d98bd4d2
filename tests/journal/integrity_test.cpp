// The hostile tests of the journal's promise that staff on site cannot silently drop or
// misfile a card: the newest cards cut from a journal (before or after they reached head
// office) are found by the device's high-water mark, by the heads it announces and by the
// guests' signed receipts; a device filing cards under another site is refused.
#include <doctest/doctest.h>
#include <sys/resource.h>

#include <atomic>
#include <csignal>
#include <optional>
#include <thread>

#include "candor/journal/head.hpp"
#include "candor/journal/inspect.hpp"
#include "candor/journal/intake.hpp"
#include "candor/journal/store.hpp"
#include "candor/seal/receipt.hpp"
#include "candor/survey/parse.hpp"
#include "candor/time.hpp"
#include "fixture.hpp"
#include "util/frame.hpp"

using namespace candor;
using namespace candor::journal;
using namespace candor::journal::testing;

namespace {

// A device with a journal and head office with its store, and the attacker's tools: cut the
// journal's segment back to its first N records, remove its head file.
struct scene {
    temp_dir dir;
    seal::hq_secret hq = seal::make_hq_keys();
    seal::device_secret key = seal::make_device_keys("kiosk-7", "paris-01");
    seal::device_list devices = list_of({&key});
    fs::path journal_dir = dir / "journal";
    store hq_store = open_test_store(dir / "store").value();
    int bundles = 0;

    std::vector<stamped> take(int n, int first = 1) {
        return fill(journal_dir, key, hq.public_part(), n, first);
    }
    void cut_to(std::size_t keep) {
        auto seg = journal_dir / "seg-000001.cnj";
        auto data = slurp(seg);
        auto scan = util::scan_frames(seal::byte_view(data).subspan(util::file_header_size),
                                      util::file_header_size);
        REQUIRE(scan.frames.size() > keep);
        spit(seg, seal::byte_view(data).first(scan.frames[keep].offset));
    }
    void remove_mark() { REQUIRE(fs::remove(journal_dir / "head")); }

    bundle_input bundle(std::uint64_t after, std::optional<std::int64_t> signed_at = {}) {
        auto out = dir / ("bundle-" + std::to_string(++bundles));
        auto done = signed_at ? export_bundle(journal_dir, after, out, key, *signed_at)
                              : export_bundle(journal_dir, after, out);
        REQUIRE(done);
        return {out.string(), slurp(out)};
    }
    bundle_input head_file(std::int64_t signed_at) {
        auto out = dir / ("head-" + std::to_string(++bundles));
        auto h = journal_head(journal_dir, key, signed_at);
        REQUIRE(h);
        write_head_file(out, *h);
        return {out.string(), slurp(out)};
    }
    import_report import(std::vector<bundle_input> const& in) {
        return hq_store.import(in, devices, hq);
    }
};

bool alerted(store const& s, std::string const& code, std::uint64_t seq = 0) {
    for (auto const& a : s.alerts())
        if (a.problem.code == code && (seq == 0 || a.problem.where.seq == seq)) return true;
    return false;
}

}  // namespace

TEST_CASE("signed heads and receipts: round trip, links, tampering, other keys") {
    auto key = seal::make_device_keys("kiosk-7");
    seal::digest hash{};
    hash[0] = 7;
    auto h = sign_head(key, 42, hash, 1793607372);
    CHECK(head_signature_ok(h, key.pub));
    auto text = format_head(h);
    CHECK(text.size() < 200);  // fits a QR code beside a link
    CHECK(text.find_first_not_of(
              "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
          std::string::npos);
    CHECK(parse_head(text).value() == h);
    CHECK(parse_head("  https://hq.example/receipt#" + text + "\n").value() == h);
    CHECK_FALSE(head_signature_ok(h, seal::make_device_keys("kiosk-7").pub));
    for (std::size_t at = 0; at < text.size(); at += 5) {
        auto t = text;
        t[at] = t[at] == 'A' ? 'B' : 'A';
        auto back = parse_head(t);
        CAPTURE(at);
        CHECK((!back || !head_signature_ok(*back, key.pub)));
    }
    CHECK(parse_head("").error().front().code == "bad-head");
    CHECK(parse_head(text.substr(0, text.size() - 4)).error().front().code == "bad-head");
    CHECK(parse_head(text + "AAAA").error().front().code == "bad-head");
    CHECK(parse_head("7KQ-4M2").error().front().code == "bad-head");
}

TEST_CASE("submit gives each card a signed receipt of its own number and hash") {
    scene s;
    auto stamps = s.take(3);
    auto records = inspect_journal(s.journal_dir).records;
    REQUIRE(records.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        auto r = parse_head(stamps[i].signed_receipt);
        REQUIRE(r);
        CHECK(r->device == "kiosk-7");
        CHECK(r->seq == i + 1);
        CHECK(r->hash == record_hash(records[i]));
        CHECK(seal::receipt_code(r->hash) == stamps[i].receipt);
        CHECK(head_signature_ok(*r, s.key.pub));
    }
}

TEST_CASE("high-water mark: a journal cut back goes on after its mark, never reusing a number") {
    scene s;
    auto before = s.take(10);
    s.cut_to(7);
    auto verified = inspect_journal(s.journal_dir);
    CHECK(has_code(verified.found, "rewound"));
    REQUIRE(verified.acknowledged);
    CHECK(verified.acknowledged->seq == 10);
    {
        auto j = device_journal::open(s.journal_dir, s.key, s.hq.public_part(), fast());
        REQUIRE(j);
        CHECK(has_code(j->recovery(), "rewound"));
        CHECK(j->last_seq() == 10);
    }
    auto after = s.take(2, 11);
    CHECK(after[0].seq == 11);
    CHECK(after[1].seq == 12);
    // The cut stays visible: the journal misses 8-10 for good.
    auto contents = inspect_journal(s.journal_dir);
    CHECK(has_code(contents.found, "gap"));
    CHECK_FALSE(has_code(contents.found, "rewound"));
    // Card 11 links to the card acknowledged as 10, not to 7: head office can tell.
    CHECK(contents.records.back().seq == 12);
    CHECK(contents.records[7].prev == parse_head(before[9].signed_receipt)->hash);
}

TEST_CASE("high-water mark: a crash between the segment's sync and the mark's loses nothing") {
    scene s;
    s.take(3);
    auto mark_at_3 = slurp(s.journal_dir / "head");
    s.take(2, 4);
    spit(s.journal_dir / "head", mark_at_3);  // as if killed before the mark of 4-5 was written
    CHECK(inspect_journal(s.journal_dir).found.empty());
    auto j = device_journal::open(s.journal_dir, s.key, s.hq.public_part(), fast());
    REQUIRE(j);
    CHECK(j->recovery().empty());
    CHECK(j->last_seq() == 5);
    CHECK(j->submit(std::vector{make_card(6)}).value()[0].seq == 6);
}

TEST_CASE(
    "high-water mark: a torn slot falls back to the other, a foreign or garbled one refuses") {
    scene s;
    s.take(4);
    auto mark = slurp(s.journal_dir / "head");
    // The newest slot (the second: the first held the new journal's card 0) torn, a byte of
    // its frame flipped: the older one is read instead.
    auto torn = mark;
    torn[util::file_header_size + 512 + 12] ^= 0xFF;
    spit(s.journal_dir / "head", torn);
    {
        auto j = device_journal::open(s.journal_dir, s.key, s.hq.public_part(), fast());
        REQUIRE(j);
        CHECK(j->last_seq() == 4);  // the records are past the older mark: nothing to refuse
    }
    // Another device's head file, or garbage: the journal cannot tell what it acknowledged.
    scene other;
    other.take(9);
    spit(s.journal_dir / "head", slurp(other.journal_dir / "head"));
    auto foreign = device_journal::open(s.journal_dir, s.key, s.hq.public_part(), fast());
    REQUIRE_FALSE(foreign);
    CHECK(foreign.error().front().code == "bad-mark");
    CHECK(has_code(inspect_journal(s.journal_dir).found, "bad-mark"));
    spit(s.journal_dir / "head", seal::as_bytes("not a head file at all"));
    auto garbled = device_journal::open(s.journal_dir, s.key, s.hq.public_part(), fast());
    REQUIRE_FALSE(garbled);
    CHECK(garbled.error().front().code == "bad-mark");
}

TEST_CASE("high-water mark: the golden v1 journal (no head file) opens and gets one") {
    temp_dir dir;
    fs::copy(fs::path(CANDOR_SOURCE_DIR) / "tests" / "data" / "journal-v1", dir / "j");
    for (auto const& f : {"hq-secret.txt", "contents.jsonl", "receipts.txt"})
        fs::remove(dir / "j" / f);
    CHECK(inspect_journal(dir / "j").found.empty());
    // Its device key is not published; another key is refused before anything is written.
    auto j = device_journal::open(dir / "j", seal::make_device_keys("kiosk-golden"),
                                  seal::make_hq_keys().public_part(), fast());
    REQUIRE_FALSE(j);
    CHECK(j.error().front().code == "wrong-device");
    CHECK_FALSE(fs::exists(dir / "j" / "head"));
}

TEST_CASE("high-water mark: a journal of before the mark is taken as it is, with a warning") {
    scene s;
    s.take(3);
    s.remove_mark();
    CHECK(inspect_journal(s.journal_dir).found.empty());
    {
        auto j = device_journal::open(s.journal_dir, s.key, s.hq.public_part(), fast());
        REQUIRE(j);
        CHECK(has_code(j->recovery(), "no-mark"));
        CHECK(j->last_seq() == 3);
    }
    CHECK(fs::exists(s.journal_dir / "head"));
    auto j = device_journal::open(s.journal_dir, s.key, s.hq.public_part(), fast());
    REQUIRE(j);
    CHECK(j->recovery().empty());
}

TEST_CASE("tail suppression found by the head: new cards on cut numbers fork against it") {
    scene s;
    s.take(10);
    // The device announces its head; its cards 8-10 have not reached head office yet.
    auto first = s.bundle(0);
    auto r1 = s.import({s.head_file(unix_now())});
    CHECK(r1.heads == 1);
    CHECK(has_code(r1.found, "not-received"));
    CHECK_FALSE(r1.refused_any());
    // Cards 8-10 cut, the head file removed too, three new cards on the numbers 8-10.
    s.cut_to(7);
    s.remove_mark();
    auto again = s.take(3, 100);
    CHECK(again[2].seq == 10);  // the mark gone, the journal cannot know
    auto r2 = s.import({s.bundle(0)});
    CHECK(r2.refused_any());
    CHECK(has_code(r2.found, "head-fork"));
    CHECK(r2.alerts >= 1);
    CHECK(alerted(s.hq_store, "head-fork", 10));
    // Durable: a reopened store still has the alert and the head.
    { auto closing = std::move(s.hq_store); }
    auto reopened = open_test_store(s.dir / "store").value();
    CHECK(alerted(reopened, "head-fork", 10));
    // The genuine cards, when they come, are the fork's other side: refused, the first kept.
    auto r3 = reopened.import(std::vector{first}, s.devices, s.hq);
    CHECK(r3.accepted == 0);
    CHECK(r3.duplicates == 7);
    CHECK(has_code(r3.found, "fork"));
}

TEST_CASE("tail suppression found by the head: a later head below an earlier one is 'rewound'") {
    scene s;
    s.take(10);
    auto const t = unix_now();
    CHECK_FALSE(s.import({s.head_file(t)}).refused_any());
    s.cut_to(7);
    s.remove_mark();
    // No new card: the journal simply ends at 7, and says so when it exports.
    auto r = s.import({s.bundle(0, t + 60)});
    CHECK(has_code(r.found, "rewound"));
    CHECK(alerted(s.hq_store, "rewound", 8));
    CHECK(r.accepted == 7);
}

TEST_CASE(
    "tail suppression found by the mark and the head: an export missing what it acknowledges") {
    scene s;
    s.take(10);
    s.cut_to(7);  // the mark stays: the journal goes on at 11
    s.take(2, 11);
    auto r = s.import({s.bundle(0)});
    CHECK(r.accepted == 9);
    CHECK(has_code(r.found, "missing-acknowledged"));
    CHECK(alerted(s.hq_store, "missing-acknowledged", 8));
    // Importing it again raises nothing twice.
    auto again = s.import({s.bundle(0)});
    CHECK(again.alerts == 0);
    CHECK(s.hq_store.alerts().size() == 1);
}

TEST_CASE("tail suppression found by a receipt: another card at its number") {
    scene s;
    auto stamps = s.take(10);
    s.cut_to(7);
    s.remove_mark();
    s.take(3, 100);  // cards 8-10 again, other cards
    s.import({s.bundle(0)});
    auto checked = s.hq_store.check_receipt(stamps[9].signed_receipt, s.devices);
    REQUIRE(checked);
    CHECK(checked->status == receipt_status::suppressed);
    REQUIRE(checked->card);
    CHECK(checked->card->seq == 10);
    CHECK(has_code(checked->found, "suppressed"));
    CHECK(alerted(s.hq_store, "suppressed", 10));
    // A receipt of a card that did arrive is fine.
    auto fine = s.hq_store.check_receipt(stamps[2].signed_receipt, s.devices);
    REQUIRE(fine);
    CHECK(fine->status == receipt_status::reached);
    // The device list must know the device; a forged receipt is refused.
    CHECK(s.hq_store.check_receipt(stamps[2].signed_receipt, seal::device_list{})
              .error()
              .front()
              .code == "unknown-device");
    auto forged = parse_head(stamps[2].signed_receipt).value();
    forged.seq = 3000;
    CHECK(s.hq_store.check_receipt(format_head(forged), s.devices).error().front().code ==
          "bad-signature");
}

TEST_CASE("tail suppression found by a receipt: none at its number after a later export") {
    scene s;
    auto stamps = s.take(10);
    auto& fresh = s.hq_store;  // cards 8-10 never reached it
    s.cut_to(7);
    s.remove_mark();
    // Before anything more comes in, the guest's receipt is only "not yet".
    auto early = fresh.check_receipt(stamps[8].signed_receipt, s.devices);
    REQUIRE(early);
    CHECK(early->status == receipt_status::not_yet);
    // The device exports later: its head says 7. Card 9's receipt proves the cut.
    auto b = s.bundle(0, parse_head(stamps[9].signed_receipt)->time + 60);
    fresh.import(std::vector{b}, s.devices, s.hq);
    auto late = fresh.check_receipt(stamps[8].signed_receipt, s.devices);
    REQUIRE(late);
    CHECK(late->status == receipt_status::suppressed);
    CHECK(alerted(fresh, "suppressed", 9));
}

TEST_CASE("tail suppression found by a receipt: the export that covered it did not carry it") {
    scene s;
    auto stamps = s.take(10);
    s.cut_to(7);  // mark kept: numbering goes on at 11, the bundle's head says 12
    s.take(2, 11);
    s.import({s.bundle(0)});
    auto checked = s.hq_store.check_receipt(stamps[8].signed_receipt, s.devices);
    REQUIRE(checked);
    CHECK(checked->status == receipt_status::suppressed);
    CHECK_FALSE(checked->card);
}

TEST_CASE("misfiling: a device bound to a site cannot file cards under another") {
    auto survey =
        survey::parse_file(CANDOR_SOURCE_DIR "/examples/surveys/hotel-stay.survey").value();
    auto key = seal::make_device_keys("kiosk-7", "paris-01");
    auto setting = setting_of(survey, key.public_part());
    std::string const lyon =
        R"({"survey":"hotel-stay","version":3,"language":"en","fields":{"site":"lyon-02","device":"kiosk-7","channel":"kiosk","shift":"day"},"submitted":"2026-11-02T10:16:12Z","answers":{"recommend":9,"satisfaction":5}})";
    auto refused = intake(survey, lyon, setting);
    REQUIRE_FALSE(refused);
    CHECK(has_code(refused.error(), "device-field"));
    auto paris = lyon;
    paris.replace(paris.find("lyon-02"), 7, "paris-01");
    CHECK(intake(survey, paris, setting));
    // settle() with the key: another site is refused, the key's is filled in.
    auto wrong = settle(survey, {"kiosk-7", {{"site", "lyon-02"}}}, key.public_part());
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().front().code == "wrong-site");
    auto given =
        settle(survey, {"kiosk-7", {{"channel", "kiosk"}, {"shift", "day"}}}, key.public_part());
    REQUIRE(given);
    CHECK(given->fields.front() == std::pair<std::string, std::string>{"site", "paris-01"});
    // The journal itself takes no card of another site, even one intake never saw.
    temp_dir dir;
    auto j = device_journal::open(dir / "j", key, seal::make_hq_keys().public_part(), fast());
    REQUIRE(j);
    auto card = make_card(1);
    card.site = "lyon-02";
    CHECK_THROWS_AS(j->submit(std::vector{card}), std::invalid_argument);
    CHECK(j->last_seq() == 0);
}

TEST_CASE("misfiling: head office refuses a record whose signed site is not the device's") {
    scene s;
    // A key that names no site, used for cards of lyon-02; head office binds it to paris-01.
    auto loose = seal::make_device_keys("kiosk-8");
    temp_dir dir;
    auto j = device_journal::open(dir / "j", loose, s.hq.public_part(), fast()).value();
    auto card = make_card(1);
    card.site = "lyon-02";
    card.content.replace(card.content.find("paris-01"), 8, "lyon-02");
    REQUIRE(j.submit(std::vector{card, make_card(2)}));
    auto listed = loose.public_part();
    listed.site = "paris-01";
    seal::device_list devices{{listed}};
    REQUIRE(export_bundle(dir / "j", 0, dir / "b"));
    auto r = s.hq_store.import(std::vector{bundle_input{"b", slurp(dir / "b")}}, devices, s.hq);
    CHECK(r.refused == 1);
    CHECK(r.accepted == 1);
    CHECK(has_code(r.found, "wrong-site"));
    CHECK(has_code(inspect_journal(dir / "j", &devices).found, "wrong-site"));
}

TEST_CASE("device lines and key files carry the site, the old ones stay readable") {
    temp_dir dir;
    auto key = seal::make_device_keys("kiosk-7", "paris-01");
    REQUIRE(seal::write_device_keys(dir.path(), key));
    auto back = seal::read_device_secret(dir / "kiosk-7.key");
    REQUIRE(back);
    CHECK(back->site == "paris-01");
    auto line = seal::format_device_public(key.public_part());
    CHECK(line.substr(line.size() - 14) == " site=paris-01");
    CHECK(seal::parse_device_public(line)->site == "paris-01");
    auto old = seal::parse_device_public("device kiosk-7 " + seal::to_hex(key.pub));
    REQUIRE(old);
    CHECK(old->site.empty());
    CHECK(seal::parse_device_public(line + "x y").error().front().code == "bad-device-line");
    CHECK(seal::parse_device_public("device kiosk-7 " + seal::to_hex(key.pub) + " site=")
              .error()
              .front()
              .code == "invalid-site-id");
    CHECK_FALSE(seal::write_device_keys(dir / "x", seal::make_device_keys("kiosk-9", "bad site")));
}

TEST_CASE("two processes creating one journal: the lock comes before the claim") {
    temp_dir dir;
    auto hq = seal::make_hq_keys().public_part();
    std::vector<seal::device_secret> keys;
    for (int i = 0; i < 8; ++i)
        keys.push_back(seal::make_device_keys("kiosk-" + std::to_string(i)));
    std::atomic<int> opened{0}, refused{0};
    std::vector<std::thread> threads;
    for (auto const& k : keys)
        threads.emplace_back([&, k] {
            auto j = device_journal::open(dir / "j", k, hq, fast());
            if (j)
                ++opened;
            else if (j.error().front().code == "wrong-device")
                ++refused;
        });
    for (auto& t : threads) t.join();
    CHECK(opened == 1);
    CHECK(refused == 7);
    auto contents = inspect_journal(dir / "j");
    CHECK(contents.found.empty());
}

TEST_CASE("export on a full disk leaves no temporary file behind") {
    scene s;
    s.take(50);
    // A file size limit makes the bundle's write fail as a full disk does.
    struct rlimit old {};
    REQUIRE(::getrlimit(RLIMIT_FSIZE, &old) == 0);
    auto* previous = std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit small = old;
    small.rlim_cur = 4096;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
    CHECK_THROWS_AS((void)export_bundle(s.journal_dir, 0, s.dir / "big.bundle"), std::system_error);
    ::setrlimit(RLIMIT_FSIZE, &old);
    std::signal(SIGXFSZ, previous);
    CHECK_FALSE(fs::exists(s.dir / "big.bundle"));
    CHECK_FALSE(fs::exists(s.dir / "big.bundle.tmp"));
    // With room again, the same export works.
    REQUIRE(export_bundle(s.journal_dir, 0, s.dir / "big.bundle"));
    CHECK(fs::exists(s.dir / "big.bundle"));
}

TEST_CASE("bundles of format 1 (no head) still import") {
    temp_dir dir;
    auto golden = fs::path(CANDOR_SOURCE_DIR) / "tests";
    auto data = slurp(golden / "fuzz" / "journal" / "corpus" / "bundle" / "golden-all");
    auto contents = decode_bundle(data, "golden-all");
    CHECK(contents.found.empty());
    REQUIRE(contents.header);
    CHECK(contents.header->head.empty());
    CHECK_FALSE(contents.head);
    CHECK(contents.records.size() == 5);
}

TEST_CASE("the import's per-device and total refused counts agree") {
    scene s;
    s.take(6);
    auto b = s.bundle(0);
    // Damage one record's frame and make another device's record foreign in it.
    auto damaged = b.data;
    auto scan = util::scan_frames(seal::byte_view(damaged).subspan(util::file_header_size),
                                  util::file_header_size);
    REQUIRE(scan.frames.size() == 7);
    damaged[scan.frames[3].offset + 10] ^= 0xFF;
    auto other = seal::make_device_keys("kiosk-9");
    temp_dir o;
    fill(o / "j", other, s.hq.public_part(), 2);
    REQUIRE(export_bundle(o / "j", 0, o / "b"));
    auto r = s.import({{"damaged", damaged}, {"unknown", slurp(o / "b")}});
    std::uint64_t per_device = 0;
    for (auto const& d : r.devices) per_device += d.refused;
    CHECK(r.refused == per_device);
    CHECK(r.refused == 1 + 2);  // the damaged frame, kiosk-9's two cards (its head is no card)
}

TEST_CASE("a bundle whose head was taken out, from a device that announces heads, is noticed") {
    scene s;
    s.take(3);
    CHECK_FALSE(s.import({s.bundle(0)}).refused_any());
    s.take(2, 4);
    auto b = s.bundle(3);
    auto contents = decode_bundle(b.data, b.name);
    REQUIRE(contents.header);
    REQUIRE(contents.head);
    auto stripped = *contents.header;
    stripped.head.clear();
    std::vector<record> records;
    for (auto const& r : contents.records) records.push_back(r.value);
    auto r = s.import({{"stripped", encode_bundle(stripped, records)}});
    CHECK(r.accepted == 2);
    CHECK(has_code(r.found, "no-head"));
}

TEST_CASE("an import reports how far along it is, ending at every record it read") {
    scene s;
    auto const n = static_cast<int>(progress_every) * 2 + 5;
    s.take(n);
    std::vector<progress> heard;
    auto r = s.hq_store.import(std::vector{s.bundle(0)}, s.devices, s.hq,
                               [&](progress const& p) { heard.push_back(p); });
    CHECK(r.accepted == static_cast<std::uint64_t>(n));
    REQUIRE(heard.size() == 3);  // at 4096 and 8192 records, and at the end
    CHECK(heard[0].stage == "import");
    CHECK(heard[0].done == progress_every);
    CHECK(heard[1].done == 2 * progress_every);
    CHECK(heard.back().done == static_cast<std::uint64_t>(n));
    CHECK(heard.back().total == static_cast<std::uint64_t>(n));
}
