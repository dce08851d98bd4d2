#include <doctest/doctest.h>

#include <algorithm>

#include "fixture.hpp"

using namespace candor;
using namespace candor::routing;
using routing::testing::has;
using routing::testing::hotel;
using routing::testing::sample_org;

namespace {

errors errors_of(std::string const& text) {
    auto rules = load_rules(text, "t.rules", sample_org(), hotel());
    REQUIRE_FALSE(rules.has_value());
    return rules.error();
}

}  // namespace

TEST_CASE("the sample rules load, with conditions, targets and durations") {
    auto rules =
        load_rules_file(routing::testing::sample_dir + "/hotel-stay.rules", sample_org(), hotel());
    REQUIRE(rules.has_value());
    REQUIRE(rules->rules.size() == 4);
    auto const& first = rules->rules[0];
    CHECK(first.condition_text == R"(recommend <= 6 or what_went_wrong contains "rude")");
    CHECK(first.condition.has_value());
    CHECK(first.notify.size() == 1);
    CHECK(first.within == duration{4, duration_unit::hours});
    CHECK(first.escalate_to == "regional_director");
    CHECK(first.escalate_after == duration{24, duration_unit::hours});
    CHECK(rules->rules[1].within == duration{1, duration_unit::business_days});
    CHECK(rules->rules[2].notify.size() == 2);
    auto const& last = rules->rules[3];
    CHECK_FALSE(last.condition.has_value());
    CHECK(last.notify[0].digest);
    CHECK(last.daily);
}

TEST_CASE("condition errors point into the rules file") {
    auto e = errors_of(
        "# rules\nwhen recomend <= 6 notify site_manager\n"
        "  when contact_me == 3 notify customer_care\n"
        "when recommend\n   or nope notify site_manager\n");
    CHECK(has(e, "unknown-name", 2, 6));
    CHECK(has(e, "type-mismatch", 3, 19));
    CHECK(has(e, "unknown-name", 5, 7));
}

TEST_CASE("the bypass guarantee is checked when rules are loaded") {
    auto e = errors_of(
        "when staff <= 2 notify site_manager, front_desk\n"
        "always notify customer_care escalate night_auditor after 2h\n");
    CHECK(has(e, "bypass", 1, 38));
    CHECK(has(e, "bypass", 2, 38));
}

TEST_CASE("unknown roles, bad durations, rules that can never match") {
    auto e = errors_of(
        "when recommend > 10 notify site_manager within 4 weeks\n"
        "when satisfaction == 7 or cleanliness < 1 notify ceo\n"
        "always notify customer_care.urgent within 2h within 3h\n");
    CHECK(has(e, "never-matches", 1, 6));
    CHECK(has(e, "bad-duration", 1, 48));
    CHECK(has(e, "never-matches", 2, 6));
    CHECK(has(e, "unknown-role", 2, 50));
    CHECK(has(e, "bad-target", 3, 15));
    CHECK(has(e, "duplicate-option", 3, 46));
}

TEST_CASE("org statements belong in the org file, rules may stand in it") {
    auto e = errors_of("site x\nalways notify customer_care\n");
    CHECK(has(e, "misplaced-statement", 1, 1));
    std::string org_text =
        "head-office fallback hq\nrole hq management at head-office\n"
        "person h holds hq email \"h@x.example\"\nwhen recommend <= 6 notify hq\n";
    auto org = parse_org(org_text, "chain.org");
    REQUIRE(org.has_value());
    auto rules = load_rules(org_text, "chain.org", *org, hotel());
    REQUIRE(rules.has_value());
    CHECK(rules->rules.size() == 1);
}

TEST_CASE("a rules file without rules is refused") {
    CHECK(has(errors_of("# nothing\n"), "no-rules", 1, 1));
}

TEST_CASE("a duty-field that is no device field of the survey is warned about") {
    std::string const text = "when recommend <= 6 notify site_manager\n";
    auto org = sample_org();
    org.duty_field = "night_porter";
    auto plain = load_rules(text, "t.rules", org, hotel());
    REQUIRE(plain.has_value());
    auto warned = std::find_if(plain->warnings.begin(), plain->warnings.end(),
                               [](error const& e) { return e.code == "duty-field-unknown"; });
    REQUIRE(warned != plain->warnings.end());
    CHECK(warned->level == severity::warning);
    CHECK(warned->message.find("`night_porter`") != std::string::npos);

    // The sample org's duty field is the sample survey's optional `on_duty`.
    auto with_field = load_rules(text, "t.rules", sample_org(), hotel());
    REQUIRE(with_field.has_value());
    CHECK(std::none_of(with_field->warnings.begin(), with_field->warnings.end(),
                       [](error const& e) { return e.code == "duty-field-unknown"; }));
}
