// Time zones with summer time: Europe/Paris and America/New_York, at their March and
// October/November changes of 2026, for deadlines, business hours and the end of a day.
#include <doctest/doctest.h>

#include "candor/routing/org.hpp"
#include "candor/routing/time.hpp"
#include "candor/time.hpp"

using namespace candor;
using namespace candor::routing;

namespace {

timestamp at(char const* utc) {
    return *parse_timestamp(utc);
}
std::string utc(timestamp t) {
    return format_timestamp(t);
}

local_time const paris{0, {0x1F, 9 * 60, 18 * 60}, "Europe/Paris"};
local_time const new_york{0, {0x1F, 9 * 60, 18 * 60}, "America/New_York"};

}  // namespace

TEST_CASE("the offset follows summer time in both zones") {
    CHECK(known_time_zone("Europe/Paris"));
    CHECK(known_time_zone("America/New_York"));
    CHECK_FALSE(known_time_zone("Europe/Atlantis"));
    CHECK_FALSE(known_time_zone("../../etc/passwd"));
    CHECK_FALSE(known_time_zone("/etc/localtime"));
    CHECK_FALSE(known_time_zone(""));
    // Paris: +1 until 2026-03-29 01:00 UTC, +2 until 2026-10-25 01:00 UTC.
    CHECK(offset_at(at("2026-03-29T00:59:59Z"), paris) == 60);
    CHECK(offset_at(at("2026-03-29T01:00:00Z"), paris) == 120);
    CHECK(offset_at(at("2026-10-25T00:59:59Z"), paris) == 120);
    CHECK(offset_at(at("2026-10-25T01:00:00Z"), paris) == 60);
    // New York: -5 until 2026-03-08 07:00 UTC, -4 until 2026-11-01 06:00 UTC.
    CHECK(offset_at(at("2026-03-08T06:59:59Z"), new_york) == -300);
    CHECK(offset_at(at("2026-03-08T07:00:00Z"), new_york) == -240);
    CHECK(offset_at(at("2026-11-01T05:59:59Z"), new_york) == -240);
    CHECK(offset_at(at("2026-11-01T06:00:00Z"), new_york) == -300);
    // A fixed offset stays fixed.
    CHECK(offset_at(at("2026-07-01T00:00:00Z"), local_time{60, {}}) == 60);
    CHECK_THROWS_AS(offset_at(0, local_time{0, {}, "Nowhere/Else"}), std::invalid_argument);
}

TEST_CASE("wall-clock times that are skipped or happen twice") {
    auto const local = [](char const* wall) { return at(wall); };  // read as if UTC: the wall clock
    // 02:30 does not exist in Paris on 2026-03-29: clocks jump from 02:00 to 03:00 (01:00 UTC).
    CHECK(utc(from_local(local("2026-03-29T02:30:00Z"), paris)) == "2026-03-29T01:00:00Z");
    CHECK(utc(from_local(local("2026-03-29T03:30:00Z"), paris)) == "2026-03-29T01:30:00Z");
    // 02:30 happens twice on 2026-10-25: the first time, still at +2.
    CHECK(utc(from_local(local("2026-10-25T02:30:00Z"), paris)) == "2026-10-25T00:30:00Z");
    // New York, 2026-11-01: 01:30 twice, first at -4.
    CHECK(utc(from_local(local("2026-11-01T01:30:00Z"), new_york)) == "2026-11-01T05:30:00Z");
    CHECK(utc(from_local(local("2026-03-08T02:30:00Z"), new_york)) == "2026-03-08T07:00:00Z");
}

TEST_CASE("business hours across the March change") {
    // Friday 2026-03-27 17:00 in Paris (+1); two business hours: one on Friday, one on
    // Monday 2026-03-30 from 09:00, which is then at +2: 10:00 Paris = 08:00 UTC.
    auto const friday = at("2026-03-27T16:00:00Z");
    CHECK(utc(deadline_after(friday, {2, duration_unit::business_hours}, paris)) ==
          "2026-03-30T08:00:00Z");
    // The old fixed offset would have said 09:00 UTC, an hour late.
    CHECK(utc(deadline_after(friday, {2, duration_unit::business_hours},
                             local_time{60, paris.hours})) == "2026-03-30T09:00:00Z");
    // New York: Friday 2026-03-06 17:00 EST (22:00 UTC) + 2 business hours -> Monday
    // 2026-03-09 10:00 EDT = 14:00 UTC.
    CHECK(utc(deadline_after(at("2026-03-06T22:00:00Z"), {2, duration_unit::business_hours},
                             new_york)) == "2026-03-09T14:00:00Z");
    // One business day from Saturday 2026-03-28: all of Monday, until 18:00 +2.
    CHECK(utc(deadline_after(at("2026-03-28T12:00:00Z"), {1, duration_unit::business_days},
                             paris)) == "2026-03-30T16:00:00Z");
}

TEST_CASE("business hours across the October and November changes") {
    // Friday 2026-10-23 17:00 +2 (15:00 UTC) + 2 business hours -> Monday 2026-10-26 10:00 +1.
    CHECK(utc(deadline_after(at("2026-10-23T15:00:00Z"), {2, duration_unit::business_hours},
                             paris)) == "2026-10-26T09:00:00Z");
    // New York: Friday 2026-10-30 17:00 EDT (21:00 UTC) -> Monday 2026-11-02 10:00 EST.
    CHECK(utc(deadline_after(at("2026-10-30T21:00:00Z"), {2, duration_unit::business_hours},
                             new_york)) == "2026-11-02T15:00:00Z");
    // Open all week, the clock counts the extra hour of Sunday 2026-10-25 as it should:
    // 24 business hours of 00:00-24:00 from Saturday noon are 25 hours of elapsed time.
    local_time always{0, {0x7F, 0, 24 * 60}, "Europe/Paris"};
    auto const saturday_noon = at("2026-10-24T10:00:00Z");
    CHECK(utc(deadline_after(saturday_noon, {24, duration_unit::business_hours}, always)) ==
          "2026-10-25T10:00:00Z");
}

TEST_CASE("days are calendar days at the place") {
    // 10:00 Saturday 2026-03-28 in Paris + 1 day = 10:00 Sunday, 23 hours later.
    auto const sat = at("2026-03-28T09:00:00Z");
    CHECK(deadline_after(sat, {1, duration_unit::days}, paris) - sat == 23 * 3600);
    // 10:00 Saturday 2026-10-31 in New York + 1 day = 10:00 Sunday, 25 hours later.
    auto const ny_sat = at("2026-10-31T14:00:00Z");
    CHECK(deadline_after(ny_sat, {1, duration_unit::days}, new_york) - ny_sat == 25 * 3600);
    // Hours stay elapsed time.
    CHECK(deadline_after(sat, {24, duration_unit::hours}, paris) - sat == 24 * 3600);
    // A fixed offset: days of 24 hours, as before.
    CHECK(deadline_after(sat, {1.5, duration_unit::days}, local_time{60, {}}) - sat == 36 * 3600);
}

TEST_CASE("the end of a day (digests) on the days of 23 and 25 hours") {
    // 2026-03-29 in Paris runs from 23:00 UTC the day before to 22:00 UTC: 23 hours.
    auto const noon = at("2026-03-29T10:00:00Z");
    CHECK(utc(end_of_local_day(noon, paris)) == "2026-03-29T22:00:00Z");
    CHECK(local_date(noon, paris) == "2026-03-29");
    CHECK(local_date(at("2026-03-29T22:00:00Z"), paris) == "2026-03-30");
    // 2026-10-25: 25 hours, ending at 23:00 UTC.
    CHECK(utc(end_of_local_day(at("2026-10-25T10:00:00Z"), paris)) == "2026-10-25T23:00:00Z");
    CHECK(local_date(at("2026-10-25T22:59:59Z"), paris) == "2026-10-25");
    // New York's 2026-11-01 ends at 05:00 UTC on the 2nd; 2026-03-08 at 04:00 UTC on the 9th.
    CHECK(utc(end_of_local_day(at("2026-11-01T12:00:00Z"), new_york)) == "2026-11-02T05:00:00Z");
    CHECK(utc(end_of_local_day(at("2026-03-08T12:00:00Z"), new_york)) == "2026-03-09T04:00:00Z");
    CHECK(local_date(at("2026-11-02T04:59:59Z"), new_york) == "2026-11-01");
}

TEST_CASE("the org file takes IANA names, sites inherit head office's, bad names are refused") {
    std::string const text =
        R"(head-office timezone Europe/Paris hours mon-fri 09:00-18:00 fallback hq
role hq management at head-office
region east
site paris-01 region east
site nyc-01 region east timezone America/New_York
site fixed-01 region east timezone utc-05:00
person h holds hq email "h@x.example"
)";
    auto org = parse_org(text, "t.org");
    REQUIRE_MESSAGE(org, render(org.error()));
    CHECK(org->head_office_time.zone == "Europe/Paris");
    CHECK(org->find_site("paris-01")->time.zone == "Europe/Paris");
    CHECK(org->find_site("nyc-01")->time.zone == "America/New_York");
    CHECK(org->find_site("fixed-01")->time.zone.empty());
    CHECK(org->find_site("fixed-01")->time.utc_offset == -300);

    for (std::string bad : {"Europe/Atlantis", "../../etc/passwd", "Paris"}) {
        std::string t = text;
        t.replace(t.find("America/New_York"), 16, bad);
        auto refused = parse_org(t, "t.org");
        REQUIRE_FALSE(refused);
        // A name that is not even a word is a syntax error; the others are unknown zones.
        CHECK(refused.error().front().code == (bad[0] == '.' ? "syntax" : "bad-timezone"));
        CHECK(refused.error().front().where.line == 5);
    }
}
