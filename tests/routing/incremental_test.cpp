// Passes that cost what is new: the routed watermark, the checkpoints of the case log and of
// the outbox, and what a crash at each step of a checkpoint leaves.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>

#include "../journal/fixture.hpp"
#include "candor/journal/bundle.hpp"
#include "candor/journal/store.hpp"
#include "candor/routing/cases.hpp"
#include "candor/routing/outbox.hpp"
#include "candor/routing/pass.hpp"
#include "fixture.hpp"
#include "util/file_io.hpp"

using namespace candor;
using namespace candor::routing;
namespace fs = std::filesystem;
using journal::testing::fill;
using routing::testing::at;
using routing::testing::hotel;
using routing::testing::sample_org;

namespace {

journal::segment_options fast() {
    return {64u << 20, false};
}
// Small segments: a log of a few passes spans several files.
journal::segment_options small() {
    return {16384, false};
}

// Takes every delivery, and counts what it took by key.
struct counting_sink final : sink {
    std::map<std::string, int> took;
    result<void> send(delivery const& d) override {
        ++took[d.key];
        return {};
    }
};

// Head office: a kiosk's journal, the store, and the rules (a case for recommend <= 6).
struct head_office {
    routing::testing::temp_dir dir;
    seal::hq_secret hq = seal::make_hq_keys();
    seal::device_secret kiosk = seal::make_device_keys("kiosk-1");
    seal::device_list devices{{kiosk.public_part()}};
    rule_set rules = load_rules("when recommend <= 6 notify site_manager within 4h\n", "t.rules",
                                sample_org(), hotel())
                         .value();
    router route{sample_org(), hotel(), rules};
    int cards = 0;
    int bundles = 0;

    fs::path store_dir() const { return dir.path() / "store"; }

    // `n` more cards from the kiosk, imported.
    void add(int n) {
        fill(dir.path() / "kiosk", kiosk, hq.public_part(), n, cards + 1);
        auto bundle = dir.path() / "b";
        bundle += std::to_string(++bundles);  // GCC 12 warns (-Wrestrict) on "b" + string
        bundle += ".cnb";
        REQUIRE(journal::export_bundle(dir.path() / "kiosk", static_cast<std::uint64_t>(cards),
                                       bundle));
        cards += n;
        auto s = journal::store::open(store_dir(), fast()).value();
        journal::bundle_input in{bundle.string(), util::read_file(bundle)};
        REQUIRE(s.import(std::span(&in, 1), devices, hq).accepted == static_cast<unsigned>(n));
    }

    // One pass, everything opened and closed again as `candor route run` does; `read` gets
    // how many records the pass said it read.
    pass_report pass(counting_sink& sink, timestamp now, std::uint64_t* read = nullptr) {
        auto s = journal::store::open(store_dir(), fast()).value();
        auto const layout = layout_of(store_dir());
        auto cases = case_log::open(layout.cases, small()).value();
        auto out = outbox::open(layout.outbox, {}, small()).value();
        std::uint64_t total = 0;
        auto r = route_pass(s, hq, route, cases, out, {&sink, &sink, &sink}, now,
                            [&](candor::progress const& e) { total = e.total; });
        if (read) *read = total;
        return r;
    }
};

timestamp const monday = at("2026-11-09T08:00:00Z");

// No delivery was sent twice.
void check_each_once(counting_sink const& sink) {
    for (auto const& [key, times] : sink.took) CHECK_MESSAGE(times == 1, key);
}

std::set<std::string> keys_of(outbox const& out) {
    std::set<std::string> keys;
    for (auto const& e : out.entries()) keys.insert(e.message.key);
    return keys;
}

// What a case log says of its cases, to compare two of them.
std::vector<std::string> picture(std::vector<routed_case> const& cases) {
    std::vector<std::string> out;
    for (auto const& c : cases) {
        // Appended piece by piece: GCC 12 warns (-Wrestrict) on "literal" + string.
        std::string p = c.id;
        for (std::string const& part :
             {c.owner, c.role, std::string(to_string(c.state)), std::to_string(c.deadline),
              std::to_string(c.acknowledged), std::to_string(c.resolved)})
            p.append(1, ' ').append(part);
        for (auto const& h : c.holders) p.append(" h:").append(h);
        for (auto const& w : c.watchers) p.append(" w:").append(w);
        for (auto const& a : c.aliases) p.append(" a:").append(a);
        for (auto const& e : c.history)
            p.append(" [")
                .append(e.what)
                .append(1, ' ')
                .append(e.who)
                .append(1, ' ')
                .append(e.note)
                .append(1, ']');
        out.push_back(std::move(p));
    }
    std::sort(out.begin(), out.end());
    return out;
}

void copy_dir(fs::path const& from, fs::path const& to) {
    fs::remove_all(to);
    fs::copy(from, to, fs::copy_options::recursive);
}

}  // namespace

TEST_CASE("a pass reads only the records after the routed watermark") {
    head_office ho;
    counting_sink sink;
    ho.add(300);
    std::uint64_t read = 0;
    auto first = ho.pass(sink, monday, &read);
    CHECK(read == 300);
    CHECK(first.routed == 300);
    CHECK(first.cases_opened > 0);
    CHECK(first.sent.sent == first.queued);
    auto const sent = sink.took.size();

    // Nothing new: nothing read, nothing queued or sent again.
    auto idle = ho.pass(sink, monday + 60, &read);
    CHECK(read == 0);
    CHECK(idle.routed == 0);
    CHECK(idle.already == 300);
    CHECK(idle.queued == 0);
    CHECK(idle.sent.sent == 0);

    // After N passes, each reads the records added since the one before, no more.
    for (int round = 1; round <= 3; ++round) {
        ho.add(40);
        auto r = ho.pass(sink, monday + 60 + round, &read);
        CHECK(read == 40);
        CHECK(r.routed == 40);
        CHECK(r.already == 300 + 40 * (round - 1));
    }
    auto cases = case_log::open(layout_of(ho.store_dir()).cases, fast()).value();
    CHECK(cases.routed_through() == 420);
    check_each_once(sink);
    CHECK(sink.took.size() > sent);
}

TEST_CASE("due cases escalate with their cards, found by key, after the watermark passed them") {
    head_office ho;
    counting_sink sink;
    ho.add(30);
    auto first = ho.pass(sink, monday);
    REQUIRE(first.cases_opened > 0);
    // A day later every case is past its 4h: escalated to the regional director, each with
    // its card (no "escalated-without-response").
    auto later = ho.pass(sink, monday + 86400);
    CHECK(later.routed == 0);
    CHECK(later.escalated > 0);  // the others are at head office's fallback: the top
    CHECK(later.escalated + later.at_top == first.cases_opened);
    for (auto const& p : later.problems) CHECK(p.code != "escalated-without-response");
    CHECK(later.sent.sent >= later.escalated);
    check_each_once(sink);
}

TEST_CASE("checkpoints restate the case log and the outbox, and passes after them repeat nothing") {
    head_office ho;
    counting_sink sink;
    ho.add(200);
    ho.pass(sink, monday);
    auto const layout = layout_of(ho.store_dir());
    std::vector<std::string> before, not_resolved;
    std::string resolved;
    std::size_t unsent = 0;
    {
        auto cases = case_log::open(layout.cases, small()).value();
        REQUIRE(cases.cases().size() > 2);
        REQUIRE(cases.acknowledge(cases.cases().front().id, "marie", monday + 10));
        resolved = cases.cases().back().id;
        REQUIRE(cases.resolve(resolved, "marie", "called", monday + 20));
        before = picture(cases.cases());
        std::vector<routed_case> left;
        for (auto const& c : cases.cases())
            if (c.id != resolved) left.push_back(c);
        not_resolved = picture(left);
        cases.checkpoint();
        CHECK(cases.routed_through() == 200);
        auto out = outbox::open(layout.outbox, {}, small()).value();
        unsent = out.unsent();
        out.checkpoint(monday + 30);
    }
    CHECK(fs::exists(layout.cases / "gen-000001" / "seg-000001.cnj"));
    CHECK(fs::exists(layout.cases / "seg-000001.cnj"));  // kept: the log's history
    CHECK(fs::exists(layout.outbox / "gen-000001" / "seg-000001.cnj"));
    CHECK_FALSE(fs::exists(layout.outbox / "seg-000001.cnj"));  // the outbox keeps none
    {
        // The writer holds the cases not resolved; a resolved one comes back from the history.
        auto cases = case_log::open(layout.cases, small()).value();
        CHECK(picture(cases.cases()) == not_resolved);
        CHECK(cases.routed_through() == 200);
        REQUIRE(cases.find(resolved));
        CHECK(cases.find(resolved)->state == case_state::resolved);
        CHECK(cases.find(resolved)->history.back().note == "called");
        CHECK(picture(cases.cases()) == before);
        CHECK_FALSE(cases.find("kiosk-1:999"));
        auto out = outbox::open(layout.outbox, {}, small()).value();
        CHECK(out.unsent() == unsent);
        CHECK(out.entries().size() == sink.took.size());
    }
    // The reader sees every card routed, those without a case too, from the history.
    auto reader = case_reader::open(layout.cases).value();
    CHECK(picture(reader.cases()) == before);
    for (int seq = 1; seq <= 200; ++seq) CHECK(reader.status("kiosk-1:" + std::to_string(seq)));

    auto again = ho.pass(sink, monday + 40);
    CHECK(again.queued == 0);
    CHECK(again.sent.sent == 0);
    ho.add(10);
    auto more = ho.pass(sink, monday + 50);
    CHECK(more.routed == 10);
    check_each_once(sink);

    // A month on, a checkpoint drops what was sent long ago: the outbox holds what is new.
    {
        auto out = outbox::open(layout.outbox, {}, small()).value();
        auto const held = out.entries().size();
        CHECK_FALSE(out.checkpoint_due(monday + 50));                // small, and all of it recent
        CHECK(out.checkpoint_due(monday + 50 + sent_kept_for + 1));  // all of it old
        out.checkpoint(monday + 50 + sent_kept_for + 1);
        CHECK(out.entries().size() < held);
        CHECK(out.unsent() == 0);
    }
    auto const month = ho.pass(sink, monday + 50 + sent_kept_for + 2);
    CHECK(month.routed == 0);  // only the escalations of the month's due cases
    CHECK(month.escalated > 0);
    check_each_once(sink);
}

TEST_CASE("a pass compacts on its own once the logs have grown, and reopens from the checkpoint") {
    head_office ho;
    counting_sink sink;
    // Enough cards that the outbox's events since its start pass compact_after_bytes.
    for (int round = 0; round < 6; ++round) {
        ho.add(600);
        ho.pass(sink, monday + round);
    }
    auto const layout = layout_of(ho.store_dir());
    auto generations = [](fs::path const& log) {
        std::vector<std::string> out;
        for (auto const& f : fs::directory_iterator(log))
            if (f.is_directory()) out.push_back(f.path().filename().string());
        return out;
    };
    // The outbox keeps its last generation only; the case log all, its history.
    auto const outbox_generations = generations(layout.outbox);
    REQUIRE(outbox_generations.size() == 1);
    CHECK(outbox_generations.front().starts_with("gen-"));
    CHECK_FALSE(fs::exists(layout.outbox / "seg-000001.cnj"));
    CHECK(fs::exists(layout.cases / "gen-000001"));
    CHECK(fs::exists(layout.cases / "seg-000001.cnj"));
    auto cases = case_log::open(layout.cases, small()).value();
    CHECK(cases.routed_through() == 3600);
    auto reader = case_reader::open(layout.cases).value();
    CHECK(picture(reader.cases()) == picture(cases.cases()));
    check_each_once(sink);
}

TEST_CASE("a crash at any step of a checkpoint leaves the old or the new state, whole") {
    head_office ho;
    counting_sink sink;
    ho.add(120);
    ho.pass(sink, monday);
    ho.add(60);
    // These wait: no sink takes them yet.
    {
        auto s = journal::store::open(ho.store_dir(), fast()).value();
        auto const layout = layout_of(ho.store_dir());
        auto cases = case_log::open(layout.cases, small()).value();
        auto out = outbox::open(layout.outbox, {}, small()).value();
        route_pass(s, ho.hq, ho.route, cases, out, {}, monday + 5);
        REQUIRE(out.unsent() > 0);
    }
    auto const layout = layout_of(ho.store_dir());
    auto const old_state = ho.dir.path() / "old";
    copy_dir(ho.store_dir(), old_state);
    std::vector<std::string> old_cases;
    std::set<std::string> old_keys;
    std::size_t old_unsent = 0;
    {
        auto cases = case_log::open(layout.cases, small()).value();
        old_cases = picture(cases.cases());
        cases.checkpoint();
        auto out = outbox::open(layout.outbox, {}, small()).value();
        old_keys = keys_of(out);
        old_unsent = out.unsent();
        out.checkpoint(monday + 6);
    }
    auto const new_state = ho.dir.path() / "new";
    copy_dir(ho.store_dir(), new_state);
    REQUIRE(fs::exists(old_state / "outbox" / "seg-000002.cnj"));  // several segments

    // Each state a crash can leave, then a pass: every delivery arrives once in all.
    auto finish = [&](fs::path const& state) {
        copy_dir(state, ho.store_dir());
        auto cases = case_log::open(layout.cases, small()).value();
        CHECK(picture(cases.cases()) == old_cases);  // both states say the same
        auto out = outbox::open(layout.outbox, {}, small()).value();
        CHECK(keys_of(out) == old_keys);
        CHECK(out.unsent() == old_unsent);
        counting_sink after = sink;
        auto s = journal::store::open(ho.store_dir(), fast()).value();
        auto r = route_pass(s, ho.hq, ho.route, cases, out, {&after, &after, &after}, monday + 7);
        CHECK(r.queued == 0);
        CHECK(r.sent.sent == old_unsent);
        for (auto const& k : old_keys) CHECK_MESSAGE(after.took[k] == 1, k);
    };
    auto const gen = [](fs::path const& log) { return log / "gen-000001"; };
    auto const seg = [&](fs::path const& log) { return gen(log) / "seg-000001.cnj"; };
    for (char const* log : {"cases", "outbox"}) {
        auto const full = fs::file_size(seg(new_state / log));
        // Cut while the new generation was written: a .tmp of it, of any length.
        for (auto cut : {std::uintmax_t{0}, std::uintmax_t{10}, full / 2, full - 1, full}) {
            auto crashed = ho.dir.path() / "crashed";
            copy_dir(old_state, crashed);
            auto const tmp = crashed / log / "gen-000001.tmp";
            copy_dir(gen(new_state / log), tmp);
            fs::resize_file(tmp / "seg-000001.cnj", cut);
            finish(crashed);
            CHECK_FALSE(fs::exists(ho.store_dir() / log / "gen-000001.tmp"));  // cleared
        }
        // Made active, the old generation not removed yet: the new one is read.
        auto crashed = ho.dir.path() / "crashed";
        copy_dir(old_state, crashed);
        copy_dir(gen(new_state / log), gen(crashed / log));
        finish(crashed);
    }
    // The outbox's old segments half removed (the last ones first).
    auto crashed = ho.dir.path() / "crashed";
    copy_dir(new_state, crashed);
    fs::copy_file(old_state / "outbox" / "seg-000001.cnj", crashed / "outbox" / "seg-000001.cnj");
    finish(crashed);
    {
        auto out = outbox::open(layout.outbox, {}, small()).value();
        out.checkpoint(monday + 8);  // and the next checkpoint removes what was left
    }
    CHECK_FALSE(fs::exists(layout.outbox / "seg-000001.cnj"));
    CHECK_FALSE(fs::exists(layout.outbox / "gen-000001"));
    CHECK(fs::exists(layout.outbox / "gen-000002"));
}

TEST_CASE("a case log of before checkpoints and reads back the same") {
    routing::testing::temp_dir dir;
    fs::copy(CANDOR_SOURCE_DIR "/tests/data/cases-v1", dir.path() / "cases");
    std::vector<std::string> before;
    {
        auto log = case_log::open(dir.path() / "cases", fast()).value();
        before = picture(log.cases());
        log.checkpoint();
    }
    auto log = case_log::open(dir.path() / "cases", fast()).value();
    CHECK(log.cases().size() == 2);  // kiosk-1:7 is resolved: in the history only
    REQUIRE(log.find("kiosk-1:7/care"));
    CHECK(log.find("kiosk-1:7/care") == log.find("kiosk-1:7"));
    CHECK(picture(log.cases()) == before);
    CHECK(log.find("kiosk-1:9/isabelle")->id == "kiosk-1:9");
    CHECK(log.status("kiosk-1:7")->state == guest_state::answered);
    auto reader = case_reader::open(dir.path() / "cases").value();
    CHECK(picture(reader.cases()) == before);
}
