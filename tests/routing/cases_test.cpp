#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>

#include "candor/response/json.hpp"
#include "candor/routing/cases.hpp"
#include "candor/routing/outbox.hpp"
#include "candor/routing/pass.hpp"
#include "candor/time.hpp"
#include "fixture.hpp"

using namespace candor;
using namespace candor::routing;
using routing::testing::at;
// Cards with leo named on duty.
static response::response card(std::string const& site, std::string const& answers) {
    return routing::testing::card(site, answers, "leo");
}
using routing::testing::hotel;
using routing::testing::sample_org;

namespace {

journal::segment_options fast() {
    return {64u << 20, false};
}

}  // namespace

TEST_CASE(
    "cases escalate on time, in business hours of the site, up to head office and no further") {
    auto rules = load_rules(
                     "when recommend <= 6 notify site_manager within 4h escalate regional_director "
                     "after 24h\n"
                     "when contact_me == yes notify customer_care within 1 business day\n",
                     "t.rules", sample_org(), hotel())
                     .value();
    router r(sample_org(), hotel(), rules);
    routing::testing::temp_dir dir;
    timestamp const friday_5pm_paris = at("2026-11-06T16:00:00Z");
    {
        auto log = case_log::open(dir.path(), fast()).value();
        // Both rules match: one case, owned by the first rule's site manager, care in copy.
        auto resp = card("paris-01", R"("recommend":2,"contact_me":true,"email":"g@x.example")");
        auto opened = log.open_cases("kiosk-1:7", resp, r.decide(resp), r, friday_5pm_paris);
        REQUIRE(opened.size() == 1);
        CHECK(opened[0].id == "kiosk-1:7");
        CHECK(log.routed("kiosk-1:7"));
        auto const* c = log.find("kiosk-1:7");
        REQUIRE(c);
        CHECK(c->owner == "marie");
        CHECK(c->role == "site_manager");
        CHECK(c->watchers == std::vector<std::string>{"care"});
        CHECK(c->may_act("marie"));
        CHECK_FALSE(c->may_act("care"));
        CHECK(c->involves("care"));
        CHECK(format_timestamp(c->deadline) == "2026-11-07T16:00:00Z");  // 24h, elapsed
        // Only contact_me: care owns it. One business day from Friday 17:00 in Paris:
        // Monday 17:00 Paris.
        auto asks = card("paris-01", R"("recommend":9,"contact_me":true,"email":"g@x.example")");
        CHECK(log.open_cases("kiosk-1:8", asks, r.decide(asks), r, friday_5pm_paris).size() == 1);
        CHECK(log.find("kiosk-1:8")->owner == "care");
        CHECK(format_timestamp(log.find("kiosk-1:8")->deadline) == "2026-11-09T16:00:00Z");
        CHECK(log.escalate_due(r, at("2026-11-07T15:59:59Z")).empty());
    }
    // Reopened, as after a restart: the timers are in the log.
    auto log = case_log::open(dir.path(), fast()).value();
    REQUIRE(log.cases().size() == 2);
    auto first = log.escalate_due(r, at("2026-11-07T16:00:00Z"));
    REQUIRE(first.size() == 1);
    CHECK(first[0].role == "regional_director");
    CHECK(sample_org().people[first[0].to[0].person].id == "anne");
    CHECK(log.find("kiosk-1:7")->owner == "anne");  // ownership moves up
    CHECK(log.find("kiosk-1:7")->watchers == std::vector<std::string>{"care"});
    CHECK(format_timestamp(log.find("kiosk-1:7")->deadline) ==
          "2026-11-07T20:00:00Z");  // within 4h
    auto second = log.escalate_due(r, at("2026-11-07T20:00:00Z"));
    REQUIRE(second.size() == 1);
    CHECK(second[0].role == "guest_relations");
    auto third = log.escalate_due(r, at("2026-11-08T00:00:00Z"));
    CHECK(third.empty());  // head office is the top: the chain ends
    auto const* marie = log.find("kiosk-1:7");
    CHECK(marie->deadline == 0);
    CHECK(marie->owner == "isabelle");
    CHECK(marie->history.back().what == "unacknowledged-at-top");
    CHECK(marie->holders == std::vector<std::string>{"marie", "anne", "isabelle"});
    CHECK(log.escalate_due(r, at("2026-12-01T00:00:00Z")).size() == 1);  // only care's case, once
    CHECK(log.escalate_due(r, at("2026-12-01T00:00:00Z")).empty());      // not due again yet
    CHECK(log.escalate_due(r, at("2026-12-03T00:00:00Z")).empty());  // guest relations is the top
    CHECK(log.find("kiosk-1:8")->history.back().what == "unacknowledged-at-top");
    // A watcher may not act on it; anyone it was escalated to may.
    auto refused = log.acknowledge("kiosk-1:7", "care", at("2026-12-03T00:00:00Z"));
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error()[0].code == "not-a-holder");
    CHECK(log.find("kiosk-1:7")->state == case_state::open);  // refused: nothing written
    CHECK(log.acknowledge("kiosk-1:7", "anne", at("2026-12-03T00:00:00Z")).has_value());
}

TEST_CASE(
    "an acknowledged case stops escalating, resolution keeps the note, all survives a restart") {
    auto rules = load_rules("when recommend <= 6 notify site_manager within 2 business hours\n",
                            "t.rules", sample_org(), hotel())
                     .value();
    router r(sample_org(), hotel(), rules);
    routing::testing::temp_dir dir;
    // Saturday 19:00 in Nice, open every day 08:00-20:00: one hour today, one tomorrow.
    timestamp const saturday = at("2026-11-07T18:00:00Z");
    {
        auto log = case_log::open(dir.path(), fast()).value();
        auto resp = card("nice-03", R"("recommend":1)");
        log.open_cases("k:1", resp, r.decide(resp), r, saturday);
        CHECK(format_timestamp(log.find("k:1")->deadline) == "2026-11-08T08:00:00Z");
        CHECK(log.status("k:1")->state == guest_state::received);
        CHECK(log.status("k:1")->received == saturday);
        CHECK(log.acknowledge("k:1", "julien", saturday + 60).has_value());
        CHECK_FALSE(log.acknowledge("k:1", "julien", saturday + 61).has_value());
        CHECK_FALSE(log.acknowledge("k:1/nobody", "x", saturday).has_value());
    }
    {
        auto log = case_log::open(dir.path(), fast()).value();
        CHECK(log.escalate_due(r, at("2026-11-10T00:00:00Z")).empty());
        auto const* c = log.find("k:1");
        CHECK(c->state == case_state::acknowledged);
        CHECK(log.status("k:1")->state == guest_state::read);
        CHECK(log.status("k:1")->read == saturday + 60);
        CHECK(log.resolve("k:1", "julien", "called the guest, refunded a night", saturday + 3600)
                  .has_value());
    }
    auto again = case_log::open(dir.path(), fast());
    REQUIRE(again.has_value());
    auto const* resolved = again->find("k:1");
    CHECK(resolved->state == case_state::resolved);
    CHECK(resolved->history.back().note == "called the guest, refunded a night");
    CHECK(resolved->history.size() == 3);
    auto const status = again->status("k:1");
    REQUIRE(status);
    CHECK(status->state == guest_state::answered);
    CHECK(status->read == saturday + 60);
    CHECK(status->answered == saturday + 3600);
    CHECK_FALSE(again->status("k:2").has_value());  // never routed
}

TEST_CASE("the staff on duty is never owner, watcher nor escalation target of their card") {
    // leo, Paris's duty manager, is on duty: his own role's rule passes him by.
    auto rules = load_rules("when staff <= 2 notify duty_manager, site_manager within 1h\n",
                            "t.rules", sample_org(), hotel())
                     .value();
    router r(sample_org(), hotel(), rules);
    routing::testing::temp_dir dir;
    auto log = case_log::open(dir.path(), fast()).value();
    auto resp = card("paris-01", R"("recommend":3,"staff":1)");
    auto const d = r.decide(resp);
    CHECK(d.bypassed >= 1);
    REQUIRE(log.open_cases("k:5", resp, d, r, at("2026-11-06T09:00:00Z")).size() == 1);
    for (int hop = 0; hop < 5; ++hop)
        log.escalate_due(r, at("2026-11-06T09:00:00Z") + (hop + 1) * 86400);
    auto const* c = log.find("k:5");
    REQUIRE(c);
    CHECK(c->owner != "leo");
    CHECK(c->holders.size() >= 2);  // it did escalate
    CHECK_FALSE(c->involves("leo"));
    CHECK_FALSE(log.acknowledge("k:5", "leo", at("2026-11-20T00:00:00Z")).has_value());
}

TEST_CASE("a case log of before (a case per recipient) reads as one case per card") {
    routing::testing::temp_dir dir;
    // A copy: opening takes the log's lock and may cut a torn tail.
    std::filesystem::copy(CANDOR_SOURCE_DIR "/tests/data/cases-v1", dir.path() / "cases");
    {
        auto log = case_log::open(dir.path() / "cases", fast()).value();
        REQUIRE(log.cases().size() == 3);
        // kiosk-1:7 had two cases: marie's (escalated to anne, who acknowledged) and care's
        // (resolved). One case now, as far as any of them went, its old ids still found.
        auto const* seven = log.find("kiosk-1:7");
        REQUIRE(seven);
        CHECK(log.find("kiosk-1:7/marie") == seven);
        CHECK(log.find("kiosk-1:7/care") == seven);
        CHECK(seven->owner == "anne");
        CHECK(seven->role == "regional_director");
        CHECK(seven->holders == std::vector<std::string>{"marie", "care", "anne"});
        CHECK(seven->state == case_state::resolved);
        CHECK(seven->history.back().note == "called the guest");
        CHECK(format_timestamp(seven->acknowledged) == "2026-11-07T17:00:00Z");
        CHECK(format_timestamp(seven->resolved) == "2026-11-08T10:00:00Z");
        auto const status = log.status("kiosk-1:7");
        REQUIRE(status);
        CHECK(status->state == guest_state::answered);
        CHECK(format_timestamp(status->received) == "2026-11-06T16:00:00Z");
        CHECK(log.find("kiosk-1:8")->state == case_state::acknowledged);
        CHECK(log.status("kiosk-1:8")->state == guest_state::read);
        auto const* nine = log.find("kiosk-1:9/isabelle");
        REQUIRE(nine);
        CHECK(nine->id == "kiosk-1:9");
        CHECK(nine->state == case_state::open);
        CHECK(format_timestamp(nine->deadline) == "2026-11-09T16:30:00Z");
        // The old id still acts on it, and the new event is read back after a restart.
        CHECK(log.acknowledge("kiosk-1:9/isabelle", "isabelle", at("2026-11-09T08:00:00Z")));
    }
    auto again = case_log::open(dir.path() / "cases", fast()).value();
    CHECK(again.find("kiosk-1:9")->state == case_state::acknowledged);
    CHECK(again.find("kiosk-1:9")->history.back().who == "isabelle");
}

TEST_CASE(
    "a reply to the guest is queued, then recorded in the case, only a holder, only to a "
    "guest who left an address") {
    auto rules = load_rules(
                     "when recommend <= 6 notify site_manager\n"
                     "when contact_me == yes notify customer_care\n",
                     "t.rules", sample_org(), hotel())
                     .value();
    router r(sample_org(), hotel(), rules);
    routing::testing::temp_dir dir;
    timestamp const now = at("2026-11-06T16:00:00Z");
    {
        auto log = case_log::open(dir.path() / "cases", fast()).value();
        auto box = outbox::open(dir.path() / "outbox", {}, fast()).value();
        auto asks = card("paris-01", R"("recommend":2,"contact_me":true,"email":"g@x.example")");
        asks.language = "fr";
        auto silent = card("paris-01", R"("recommend":2)");
        log.open_cases("k:1", asks, r.decide(asks), r, now);
        log.open_cases("k:2", silent, r.decide(silent), r, now);
        CHECK(log.find("k:1")->guest == "g@x.example");
        CHECK(log.find("k:2")->guest.empty());

        // Refused: nothing queued, nothing recorded.
        auto watcher = log.resolve_with_reply("k:1", "care", "", "Hello", box, now);
        REQUIRE_FALSE(watcher.has_value());
        CHECK(watcher.error()[0].code == "not-a-holder");
        auto nobody = log.resolve_with_reply("k:2", "marie", "", "Hello", box, now);
        REQUIRE_FALSE(nobody.has_value());
        CHECK(nobody.error()[0].code == "no-contact");
        CHECK(box.entries().empty());
        CHECK(log.find("k:2")->state == case_state::open);

        REQUIRE(log.resolve_with_reply("k:1", "marie", "refunded a night",
                                       "Nous sommes désolés.\nUne nuit vous est remboursée.", box,
                                       now + 60)
                    .has_value());
        REQUIRE(box.entries().size() == 1);
        auto const& m = box.entries()[0].message;
        CHECK(m.key == "k:1/guest/reply/email");
        CHECK(m.address == "g@x.example");
        CHECK(m.thread == "k:1");
        CHECK(m.subject == "Notre réponse à votre avis");  // the card's language
        CHECK(m.text.find("> Nous sommes désolés.\n> Une nuit vous est remboursée.") !=
              std::string::npos);
        CHECK_FALSE(log.resolve_with_reply("k:1", "marie", "", "again", box, now + 61));
        CHECK(box.entries().size() == 1);
    }
    auto log = case_log::open(dir.path() / "cases", fast()).value();
    auto const* c = log.find("k:1");
    CHECK(c->state == case_state::resolved);
    CHECK(c->replied == now + 60);
    CHECK(c->history.back().what == "replied");
    CHECK(c->history.back().note == "Nous sommes désolés.\nUne nuit vous est remboursée.");
    CHECK(log.status("k:1")->state == guest_state::answered);
}

TEST_CASE("a case reader beside the writer: no lock, every durable event seen on refresh") {
    auto rules = load_rules("when recommend <= 6 notify site_manager within 4h\n", "t.rules",
                            sample_org(), hotel())
                     .value();
    router r(sample_org(), hotel(), rules);
    routing::testing::temp_dir dir;
    // A log not written yet reads as empty, and is seen once it is.
    auto reader = case_reader::open(dir / "cases").value();
    CHECK(reader.cases().empty());
    CHECK_FALSE(reader.status("kiosk-1:7"));
    auto log = case_log::open(dir / "cases", fast()).value();  // the writer keeps its lock
    auto resp = card("paris-01", R"("recommend":2)");
    log.open_cases("kiosk-1:7", resp, r.decide(resp), r, at("2026-11-06T16:00:00Z"));
    CHECK(reader.cases().empty());  // until refreshed
    REQUIRE(reader.refresh());
    REQUIRE(reader.find("kiosk-1:7"));
    CHECK(reader.status("kiosk-1:7")->state == guest_state::received);
    // A second reader opens beside the writer and the first reader.
    auto second = case_reader::open(dir / "cases").value();
    CHECK(second.cases().size() == 1);
    REQUIRE(log.acknowledge("kiosk-1:7", "marie", at("2026-11-06T17:00:00Z")));
    REQUIRE(reader.refresh());
    CHECK(reader.status("kiosk-1:7")->state == guest_state::read);
    CHECK(reader.status("kiosk-1:7")->read == at("2026-11-06T17:00:00Z"));
    REQUIRE(log.resolve("kiosk-1:7", "marie", "called", at("2026-11-06T18:00:00Z")));
    REQUIRE(reader.refresh());
    CHECK(reader.status("kiosk-1:7")->answered == at("2026-11-06T18:00:00Z"));
    CHECK(reader.find("kiosk-1:7")->history.size() == 3);
    // A torn frame (a write under way) is not seen, and not cut: the writer's bytes stay.
    std::filesystem::path seg;
    for (auto const& f : std::filesystem::directory_iterator(dir / "cases"))
        if (f.path().extension() == ".cnj") seg = f.path();
    auto const size = std::filesystem::file_size(seg);
    {
        std::ofstream out(seg, std::ios::binary | std::ios::app);
        char const partial[3] = {0x10, 0, 0};
        out.write(partial, sizeof partial);
    }
    REQUIRE(reader.refresh());
    CHECK(reader.find("kiosk-1:7")->history.size() == 3);
    CHECK(std::filesystem::file_size(seg) == size + 3);
}

TEST_CASE("a holder passes a case up before its deadline, others may not") {
    auto rules = load_rules("when recommend <= 6 notify site_manager within 4h\n", "t.rules",
                            sample_org(), hotel())
                     .value();
    router r(sample_org(), hotel(), rules);
    routing::testing::temp_dir dir;
    auto log = case_log::open(dir / "cases", fast()).value();
    auto out = outbox::open(dir / "outbox").value();
    auto resp = card("paris-01", R"("recommend":2)");
    timestamp const t = at("2026-11-06T16:00:00Z");
    log.open_cases("kiosk-1:7", resp, r.decide(resp), r, t);
    auto refused = pass_up(log, out, r, resp, "kiosk-1:7", "anne", t + 60);
    REQUIRE_FALSE(refused);
    CHECK(refused.error()[0].code == "not-a-holder");
    CHECK(log.find("kiosk-1:7")->owner == "marie");
    CHECK(out.entries().empty());
    auto up = pass_up(log, out, r, resp, "kiosk-1:7", "marie", t + 60);
    REQUIRE(up);
    CHECK(up->role == "regional_director");
    CHECK(log.find("kiosk-1:7")->owner == "anne");
    CHECK(log.find("kiosk-1:7")->may_act("marie"));  // still a holder
    CHECK(log.find("kiosk-1:7")->history.back().what == "escalated");
    CHECK(std::any_of(out.entries().begin(), out.entries().end(),
                      [](auto const& e) { return e.message.person == "anne"; }));
    // Up to head office, and no further.
    REQUIRE(pass_up(log, out, r, resp, "kiosk-1:7", "anne", t + 120));
    auto top = pass_up(log, out, r, resp, "kiosk-1:7", "anne", t + 180);
    REQUIRE_FALSE(top);
    CHECK(top.error()[0].code == "at-top");
}
