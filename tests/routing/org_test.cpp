#include <doctest/doctest.h>

#include "candor/time.hpp"
#include "fixture.hpp"

using namespace candor;
using namespace candor::routing;
using routing::testing::has;

namespace {

std::string const base = R"(head-office timezone utc+01:00 hours mon-fri 09:00-18:00 fallback hq
role hq management at head-office
role desk front-line at site
role boss management at site escalates-to rd
role rd management at region
region north
site paris-01 region north
person h holds hq email "h@x.example"
)";

errors errors_of(std::string const& text) {
    auto org = parse_org(text, "t.org");
    REQUIRE_FALSE(org.has_value());
    return org.error();
}

}  // namespace

TEST_CASE("the sample org parses with its sites, roles and people") {
    auto const& org = routing::testing::sample_org();
    CHECK(org.sites.size() == 12);
    CHECK(org.brands.size() == 2);
    CHECK(org.regions.size() == 3);
    auto const* nice = org.find_site("nice-03");
    REQUIRE(nice);
    CHECK(nice->region == "south");
    CHECK(nice->brand == "azur");
    CHECK(nice->time.utc_offset == 60);  // inherited from head office
    CHECK(nice->time.hours.days == 0x7F);
    CHECK(nice->time.hours.open == 8 * 60);
    CHECK(org.find_site("paris-01")->time.hours.days == 0x1F);
    CHECK(org.find_role("front_desk")->front_line);
    CHECK(org.find_role("regional_director")->level == scope::region);
    CHECK(org.find_role("customer_care")->contacts_guests);
    CHECK(org.fallback_role == "guest_relations");
    CHECK(org.duty_field == "on_duty");
    CHECK(org.default_deadline == duration{1, duration_unit::business_days});
    auto const* marie = org.find_person("marie");
    REQUIRE(marie);
    CHECK(marie->holds.size() == 2);
    CHECK(marie->channels.size() == 1);
    CHECK(org.find_person("anne")->channels[1].kind == channel_kind::webhook);
}

TEST_CASE("a minimal org with forward references parses") {
    auto org = parse_org(base + "site lyon-02 region east\nregion east\n", "t.org");
    REQUIRE(org.has_value());
    CHECK(org->find_site("lyon-02")->region == "east");
}

TEST_CASE("syntax errors are reported at their line and column, each statement on its own") {
    auto e = errors_of(base + "site nice-03 region\nrole x management at\nperson p holds\n");
    CHECK(has(e, "syntax", 9, 20));
    CHECK(has(e, "syntax", 10, 21));
    CHECK(has(e, "syntax", 11, 15));
    for (auto const& d : e) CHECK(d.message.find("something else") == std::string::npos);
}

TEST_CASE("semantic errors: unknown names, bad times, duplicates, missing fallback") {
    auto e = errors_of(
        base +
        "site nice-03 region south brand nope timezone utc+25:00 hours mon-xyz 09:00-18:00\n"
        "person x holds boss at nowhere, ghost at paris-01 webhook \"ftp://x\"\n"
        "person y holds rd at paris-01\n"
        "site paris-01\n");
    CHECK(has(e, "unknown-region", 9, 21));
    CHECK(has(e, "unknown-brand", 9, 33));
    CHECK(has(e, "bad-timezone", 9, 47));
    CHECK(has(e, "bad-hours", 9, 63));
    CHECK(has(e, "unknown-place", 10, 24));
    CHECK(has(e, "unknown-role", 10, 33));
    CHECK(has(e, "bad-channel", 10, 51));
    CHECK(has(e, "unknown-place", 11, 22));
    CHECK(has(e, "duplicate-name", 12, 6));
}

TEST_CASE("escalation chains go up to management and never loop") {
    auto e = errors_of(
        base +
        "role a management at site escalates-to b\nrole b management at region escalates-to a\n"
        "role c management at site escalates-to desk\n");
    CHECK(has(e, "escalation-loop", 9, 40));
    CHECK(has(e, "escalation-loop", 10, 42));
    CHECK(has(e, "bypass", 11, 40));
}

TEST_CASE("the fallback must exist, be held, and sit at head office") {
    auto e = errors_of("role rd management at region\nregion r\n");
    CHECK(has(e, "no-fallback", 1, 1));
    auto f = errors_of("head-office fallback rd\nrole rd management at region\n");
    CHECK(has(f, "no-fallback", 1, 22));
    auto g = errors_of("head-office fallback nope\n");
    CHECK(has(g, "unknown-role", 1, 22));
}

TEST_CASE("roles must say front-line or management and where they are held") {
    auto e = errors_of(base +
                       "role x at site\nrole y management front-line at site\nrole z management\n"
                       "role w front-line at region\n");
    CHECK(has(e, "role-kind", 9, 6));
    CHECK(has(e, "role-kind", 10, 6));
    CHECK(has(e, "bad-scope", 11, 6));
    CHECK(has(e, "bad-scope", 12, 6));
}

TEST_CASE("a person front-line and manager at one site is warned about") {
    auto org = parse_org(base + "person z holds desk at paris-01, boss at paris-01\n", "t.org");
    REQUIRE(org.has_value());
    REQUIRE(org->warnings.size() == 1);
    CHECK(org->warnings[0].code == "front-line-manager");
}

TEST_CASE("durations, offsets and business hours") {
    CHECK(parse_duration("4h") == duration{4, duration_unit::hours});
    CHECK(parse_duration("24 hours") == duration{24, duration_unit::hours});
    CHECK(parse_duration("2d") == duration{2, duration_unit::days});
    CHECK(parse_duration("1 business day") == duration{1, duration_unit::business_days});
    CHECK(parse_duration("3 business  days") == duration{3, duration_unit::business_days});
    CHECK(parse_duration("6 business hours") == duration{6, duration_unit::business_hours});
    CHECK_FALSE(parse_duration("4"));
    CHECK_FALSE(parse_duration("4 weeks"));
    CHECK_FALSE(parse_duration("business day"));
    CHECK_FALSE(parse_duration("0h"));
    CHECK(parse_utc_offset("utc") == 0);
    CHECK(parse_utc_offset("utc-05:30") == -330);
    CHECK_FALSE(parse_utc_offset("utc+5"));
    auto h = parse_business_hours("fri-mon", "08:00-17:30");
    REQUIRE(h);
    CHECK(h->days == 0b1110001);
    CHECK(h->close == 17 * 60 + 30);
    CHECK(parse_business_hours("mon,wed", "09:00-12:00")->days == 0b101);
    CHECK_FALSE(parse_business_hours("mon-fri", "18:00-09:00"));
}

TEST_CASE("business time stops outside business hours, in the place's time zone") {
    local_time paris{60, {0x1F, 9 * 60, 18 * 60}};
    auto friday_5pm_paris = *parse_timestamp("2026-11-06T16:00:00Z");  // 17:00 in Paris
    // One business day = 9 business hours: 1 on Friday, 8 on Monday -> Monday 17:00 Paris.
    CHECK(format_timestamp(deadline_after(friday_5pm_paris, {1, duration_unit::business_days},
                                          paris)) == "2026-11-09T16:00:00Z");
    // Hours and days are elapsed time.
    CHECK(deadline_after(friday_5pm_paris, {4, duration_unit::hours}, paris) ==
          friday_5pm_paris + 4 * 3600);
    // Saturday night: the clock starts on Monday 09:00.
    auto saturday = *parse_timestamp("2026-11-07T22:00:00Z");
    CHECK(format_timestamp(deadline_after(saturday, {2, duration_unit::business_hours}, paris)) ==
          "2026-11-09T10:00:00Z");
    // New York, same rule: 09:00-18:00 at utc-05:00.
    local_time ny{-300, {0x1F, 9 * 60, 18 * 60}};
    CHECK(format_timestamp(deadline_after(friday_5pm_paris, {2, duration_unit::business_hours},
                                          ny)) == "2026-11-06T18:00:00Z");
}

TEST_CASE("an org file that is not UTF-8 text is refused at the first bad byte") {
    // Each would break the report's XML: a stray byte, an overlong slash, a surrogate, a
    // code point past U+10FFFF, U+FFFF, a control character.
    for (std::string const bad : {"\xff", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                                  "\xef\xbf\xbf", "\x1b[31m", "\xe2\x82"}) {
        auto e = errors_of(base + "site nice-03 \"Nice " + bad + "\" region north\n");
        CAPTURE(bad);
        CHECK(has(e, "encoding", 9, 20));
        for (auto const& d : e) CHECK(d.code != "syntax");  // one clear error, no cascade
    }
    // Good UTF-8 of every length passes.
    CHECK(parse_org(base + "site nice-03 \"Niçe € 𝄞\" region north\n", "t.org"));
}

TEST_CASE("printable: control characters and bytes that are no UTF-8 shown as \\xNN") {
    CHECK(printable("caf\xc3\xa9 \xe2\x82\xac") == "caf\xc3\xa9 \xe2\x82\xac");
    CHECK(printable("a\x1b[2Jb\tc\n") == "a\\x1b[2Jb\tc\\x0a");
    CHECK(printable("\x7f\xc2\x9b\xff\xc3") == "\\x7f\\xc2\\x9b\\xff\\xc3");
    error e{severity::error, "misfiled", "the sealed card is from site \x1b]0;owned\x07", {}};
    CHECK(render(e).find('\x1b') == std::string::npos);
    CHECK(render(e).find("\\x1b]0;owned\\x07") != std::string::npos);
}
