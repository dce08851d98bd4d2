#include <doctest/doctest.h>

#include "candor/time.hpp"

TEST_CASE("timestamps round-trip through ISO 8601") {
    auto t = candor::parse_timestamp("2026-11-02T10:16:12Z");
    REQUIRE(t);
    CHECK(*t == 1793614572);  // date -u -d 2026-11-02T10:16:12Z +%s
    CHECK(candor::format_timestamp(*t) == "2026-11-02T10:16:12Z");
    CHECK(candor::parse_timestamp("2026-11-02T11:16:12+01:00") == t);
    CHECK(candor::parse_timestamp("2026-11-02T10:16:12.250Z") == t);
    CHECK(candor::format_timestamp(0) == "1970-01-01T00:00:00Z");
    CHECK(candor::format_timestamp(-1) == "1969-12-31T23:59:59Z");
}

TEST_CASE("malformed timestamps and impossible dates are refused") {
    CHECK_FALSE(candor::parse_timestamp("2026-11-02T10:16:12"));  // no zone
    CHECK_FALSE(candor::parse_timestamp("2026-13-02T10:16:12Z"));
    CHECK_FALSE(candor::parse_timestamp("2026-02-30T10:16:12Z"));
    CHECK_FALSE(candor::parse_timestamp("2026-11-02T24:00:00Z"));
    CHECK_FALSE(candor::parse_timestamp("yesterday"));
    CHECK(candor::parse_date("2024-02-29"));
    CHECK_FALSE(candor::parse_date("2023-02-29"));
    CHECK_FALSE(candor::parse_date("2023-2-28"));
}

TEST_CASE("civil days agree with a day-by-day count") {
    // Walk 1,000 years of days from 1900-01-01 and compare with the formula.
    std::int64_t y = 1900;
    unsigned m = 1, d = 1;
    std::int64_t days = candor::days_from_civil(1900, 1, 1);
    CHECK(days == -25567);
    static constexpr unsigned month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int i = 0; i < 365243; ++i) {
        std::int64_t yy = 0;
        unsigned mm = 0, dd = 0;
        candor::civil_from_days(days, yy, mm, dd);
        REQUIRE((yy == y && mm == m && dd == d));
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        unsigned last = m == 2 && leap ? 29 : month_days[m - 1];
        if (++d > last) {
            d = 1;
            if (++m > 12) m = 1, ++y;
        }
        ++days;
        REQUIRE(candor::days_from_civil(y, m, d) == days);
    }
}
