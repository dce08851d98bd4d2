#include <doctest/doctest.h>

#include <random>

#include "candor/response/evaluate.hpp"
#include "candor/response/json.hpp"
#include "candor/routing/router.hpp"
#include "fixture.hpp"

using namespace candor;
using namespace candor::routing;
using routing::testing::card;
using routing::testing::hotel;
using routing::testing::sample_org;

namespace {

rule_set sample_rules(std::string const& text) {
    auto r = load_rules(text, "t.rules", sample_org(), hotel());
    if (!r) FAIL(render(r.error(), text));
    return std::move(*r);
}

std::vector<std::string> names(router const& r, decision const& d) {
    std::vector<std::string> out;
    for (auto const& x : d.recipients)
        out.push_back(r.org().people[x.person].id + (x.digest ? "*" : ""));
    std::sort(out.begin(), out.end());
    return out;
}

using list = std::vector<std::string>;

}  // namespace

TEST_CASE("a rude night manager's card reaches the site manager, not the night manager") {
    auto rules = sample_rules(
        "when recommend <= 6 or what_went_wrong contains \"rude\" notify duty_manager, "
        "site_manager "
        "escalate regional_director after 24h\n");
    router r(sample_org(), hotel(), rules);
    auto d = r.decide(
        card("paris-01", R"("recommend":3,"what_went_wrong":"the night manager was RUDE")", "leo"));
    CHECK(names(r, d) == list{"marie"});  // leo, the duty manager, was on duty
    CHECK(d.bypassed == 1);
    CHECK_FALSE(d.fallback);
    CHECK_FALSE(r.may_receive(
        static_cast<std::uint32_t>(&*sample_org().find_person("leo") - sample_org().people.data()),
        card("paris-01", "", "leo")));
}

TEST_CASE("a card about the site manager on duty at night goes over their head") {
    // The sample: bastien runs lille-04 and covers its nights; the rules name its site manager.
    auto rules = routing::load_rules_file(routing::testing::sample_dir + "/hotel-stay.rules",
                                          sample_org(), hotel())
                     .value();
    router r(sample_org(), hotel(), rules);
    auto night = r.decide(
        card("lille-04", R"("recommend":2,"cleanliness":1,"contact_me":false)", "bastien"));
    CHECK(names(r, night) == list{"anne", "care*"});
    CHECK(night.bypassed == 2);  // as site manager, and as the duty manager lille-04 lacks
    auto day = r.decide(card("lille-04", R"("recommend":2,"cleanliness":1,"contact_me":false)"));
    CHECK(names(r, day) == list{"bastien", "care*"});
    CHECK(day.bypassed == 0);
}

TEST_CASE("front-line staff never receive cards about their site, even holding a management role") {
    organisation org = sample_org();
    org.people.push_back(
        {"hugo2", "", {{"front_desk", "paris-01"}, {"site_manager", "paris-01"}}, {}, {}, {}, {}});
    auto rules =
        load_rules("when recommend <= 6 notify site_manager\n", "t.rules", org, hotel()).value();
    router r(org, hotel(), rules);
    auto d = r.decide(card("paris-01", R"("recommend":2)"));
    CHECK(names(r, d) == list{"marie"});
    auto hugo2 = static_cast<std::uint32_t>(org.people.size() - 1);
    CHECK_FALSE(r.may_receive(hugo2, card("paris-01", "")));
    CHECK(r.may_receive(hugo2, card("lyon-02", "")));
}

TEST_CASE("a role nobody holds at the site passes the card up the chain") {
    auto rules = sample_rules("when any(cleanliness, staff) <= 2 notify duty_manager\n");
    router r(sample_org(), hotel(), rules);
    // nice-03 has no duty manager: its site manager hears instead.
    CHECK(names(r, r.decide(card("nice-03", R"("cleanliness":1)"))) == list{"julien"});
    CHECK(names(r, r.decide(card("paris-01", R"("staff":2)"))) == list{"leo"});
    // rouen-05 has neither duty nor site manager: the regional director.
    CHECK(names(r, r.decide(card("rouen-05", R"("staff":2)"))) == list{"anne"});
}

TEST_CASE("nothing falls through: no rule matched goes to the head-office fallback") {
    auto rules = sample_rules("when recommend <= 6 notify site_manager\n");
    router r(sample_org(), hotel(), rules);
    auto d = r.decide(card("paris-01", R"("recommend":9)"));
    CHECK(d.fallback);
    CHECK(names(r, d) == list{"isabelle"});
    auto unknown = r.decide(card("atlantis-99", R"("recommend":1)"));
    CHECK(unknown.unknown_site);
    CHECK_FALSE(unknown.fallback);
    CHECK(names(r, unknown) == list{"isabelle"});  // site manager of nowhere: up to head office
}

TEST_CASE("the sample rules: digest, contact, several rules to one person") {
    auto rules = routing::load_rules_file(routing::testing::sample_dir + "/hotel-stay.rules",
                                          sample_org(), hotel())
                     .value();
    router r(sample_org(), hotel(), rules);
    auto happy = r.decide(card("lyon-02", R"("recommend":10,"contact_me":false)"));
    CHECK(names(r, happy) == list{"care*"});
    auto unhappy =
        r.decide(card("lyon-02", R"("recommend":2,"staff":1,"contact_me":true,"email":"a@b.c")"));
    CHECK(names(r, unhappy) == list{"care", "karim", "sophie"});
    CHECK(unhappy.matched == std::vector<std::uint32_t>{0, 1, 2, 3});
}

TEST_CASE("the matcher agrees with response::evaluate on random responses") {
    auto rules = sample_rules(
        "when recommend <= 6 or what_went_wrong contains \"rude\" notify site_manager\n"
        "when contact_me == yes and not (satisfaction > 3) notify customer_care\n"
        "when any(cleanliness, staff) <= 2 notify duty_manager\n"
        "when reason == \"business\" or amenities contains \"spa\" notify site_manager\n"
        "when 5 < recommend and answered(best_part) notify site_manager\n"
        "when all(cleanliness, staff, breakfast) >= 4 or recommend + 1 > 10 notify site_manager\n"
        "when staff in (1, 2) or shift == \"night\" notify site_manager\n");
    auto const& s = hotel();
    router r(sample_org(), s, rules);
    std::mt19937 rng(7);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    for (int i = 0; i < 2000; ++i) {
        std::string answers;
        auto add = [&](std::string const& a) {
            if (!answers.empty()) answers += ',';
            answers += a;
        };
        if (pick(5)) add("\"recommend\":" + std::to_string(pick(11)));
        if (pick(5)) add("\"satisfaction\":" + std::to_string(1 + pick(5)));
        for (std::string q : {"\"cleanliness\":", "\"staff\":", "\"breakfast\":"})
            if (pick(3)) add(q.append(std::to_string(1 + pick(5))));
        if (pick(2)) add(pick(2) ? "\"contact_me\":true" : "\"contact_me\":false");
        if (pick(3) == 0)
            add(pick(2) ? R"("what_went_wrong":"so Rude")" : R"("what_went_wrong":"cold")");
        if (pick(3) == 0) add(R"("best_part":"view")");
        if (pick(2)) add(pick(2) ? R"("reason":"business")" : R"("reason":"leisure")");
        if (pick(2)) add(pick(2) ? R"("amenities":["spa"])" : R"("amenities":["bar","gym"])");
        auto resp = card("paris-01", answers);
        if (pick(2)) resp.fields[1].second = "day";
        std::vector<response::answer const*> idx(s.questions.size());
        response::index_answers(s, resp, idx);
        std::vector<std::uint32_t> expected;
        for (std::uint32_t k = 0; k < rules.rules.size(); ++k)
            if (response::evaluate(*rules.rules[k].condition, {s, resp, idx}))
                expected.push_back(k);
        CHECK(r.decide(resp).matched == expected);
    }
}
