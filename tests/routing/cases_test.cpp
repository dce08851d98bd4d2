#include <doctest/doctest.h>

#include "candor/response/json.hpp"
#include "candor/routing/cases.hpp"
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
        auto resp = card("paris-01", R"("recommend":2,"contact_me":true,"email":"g@x.example")");
        auto opened = log.open_cases("kiosk-1:7", resp, r.decide(resp), r, friday_5pm_paris);
        REQUIRE(opened.size() == 2);
        CHECK(log.routed("kiosk-1:7"));
        auto const* marie = log.find("kiosk-1:7/marie");
        REQUIRE(marie);
        CHECK(format_timestamp(marie->deadline) == "2026-11-07T16:00:00Z");  // 24h, elapsed
        // One business day from Friday 17:00 in Paris: Monday 17:00 Paris.
        CHECK(format_timestamp(log.find("kiosk-1:7/care")->deadline) == "2026-11-09T16:00:00Z");
        CHECK(log.escalate_due(r, at("2026-11-07T15:59:59Z")).empty());
    }
    // Reopened, as after a restart: the timers are in the log.
    auto log = case_log::open(dir.path(), fast()).value();
    REQUIRE(log.cases().size() == 2);
    auto first = log.escalate_due(r, at("2026-11-07T16:00:00Z"));
    REQUIRE(first.size() == 1);
    CHECK(first[0].role == "regional_director");
    CHECK(sample_org().people[first[0].to[0].person].id == "anne");
    CHECK(format_timestamp(log.find("kiosk-1:7/marie")->deadline) ==
          "2026-11-07T20:00:00Z");  // within 4h
    auto second = log.escalate_due(r, at("2026-11-07T20:00:00Z"));
    REQUIRE(second.size() == 1);
    CHECK(second[0].role == "guest_relations");
    auto third = log.escalate_due(r, at("2026-11-08T00:00:00Z"));
    CHECK(third.empty());  // head office is the top: the chain ends
    auto const* marie = log.find("kiosk-1:7/marie");
    CHECK(marie->deadline == 0);
    CHECK(marie->history.back().what == "unacknowledged-at-top");
    CHECK(marie->notified == std::vector<std::string>{"marie", "anne", "isabelle"});
    CHECK(log.escalate_due(r, at("2026-12-01T00:00:00Z")).size() == 1);  // only care's case, once
    CHECK(log.escalate_due(r, at("2026-12-01T00:00:00Z")).empty());      // not due again yet
    CHECK(log.escalate_due(r, at("2026-12-03T00:00:00Z")).empty());  // guest relations is the top
    CHECK(log.find("kiosk-1:7/care")->history.back().what == "unacknowledged-at-top");
}

TEST_CASE(
    "an acknowledged case stops escalating; resolution keeps the note; all survives a restart") {
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
        CHECK(format_timestamp(log.find("k:1/julien")->deadline) == "2026-11-08T08:00:00Z");
        CHECK(log.acknowledge("k:1/julien", "julien", saturday + 60).has_value());
        CHECK_FALSE(log.acknowledge("k:1/julien", "julien", saturday + 61).has_value());
        CHECK_FALSE(log.acknowledge("k:1/nobody", "x", saturday).has_value());
    }
    {
        auto log = case_log::open(dir.path(), fast()).value();
        CHECK(log.escalate_due(r, at("2026-11-10T00:00:00Z")).empty());
        auto const* c = log.find("k:1/julien");
        CHECK(c->state == case_state::acknowledged);
        CHECK(log.resolve("k:1/julien", "julien", "called the guest, refunded a night",
                          saturday + 3600)
                  .has_value());
    }
    auto again = case_log::open(dir.path(), fast());
    REQUIRE(again.has_value());
    auto const* resolved = again->find("k:1/julien");
    CHECK(resolved->state == case_state::resolved);
    CHECK(resolved->history.back().note == "called the guest, refunded a night");
    CHECK(resolved->history.size() == 3);
}
