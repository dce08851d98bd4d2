// The statistics kernel header-only (candor::stats-header-only): this program links no
// Candor library, so each figure below is computed by the headers' inline definitions.
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "candor/stats/drivers.hpp"
#include "candor/stats/figures.hpp"
#include "candor/stats/quality.hpp"
#include "candor/stats/reliability.hpp"
#include "candor/stats/segments.hpp"
#include "candor/stats/weighting.hpp"

// Nothing but Eigen (and the standard library) came in with them.
#if defined(BOOST_VERSION) || defined(BOOST_CONFIG_HPP) || defined(NLOHMANN_JSON_VERSION_MAJOR) || \
    defined(SODIUM_VERSION_STRING) || defined(CPPHTTPLIB_VERSION)
#error "a header of the statistics kernel included a dependency other than Eigen"
#endif
#ifndef CANDOR_HEADER_ONLY
#error "candor::stats-header-only defines CANDOR_HEADER_ONLY"
#endif

using namespace candor::stats;

namespace {

bool close(double a, double b, double rel = 1e-12) {
    return std::abs(a - b) <= rel * std::max(1.0, std::abs(b));
}

template <class T>
std::string code(candor::result<T> const& r) {
    return r ? std::string() : r.error().front().code;
}

}  // namespace

TEST_CASE("header-only: NPS and CSAT by site over the caller's arrays, worked by hand") {
    // Site 0: NPS 10, 9, 6, 8 -> 2 promoters, 1 detractor of 4: +25. Site 1: 3, 10, (skipped)
    // -> 1 and 1 of 2: 0. A row with code -1 is in no site.
    std::vector<std::int16_t> site{0, 0, 1, 0, 1, 0, 1, -1};
    std::vector<std::int64_t> nps_answers{10, 9, 3, 6, 10, 8, missing_scale, 0};
    std::vector<float> csat_answers{5, 4, 2, NAN, 1, 3, 5, 5};
    scale_span<std::int64_t> n{std::span<std::int64_t const>(nps_answers), 0, 10};
    scale_span<float> c{std::span<float const>(csat_answers), 1, 5};
    auto h = histograms_by(std::span<std::int16_t const>(site), 2, {},
                           std::span<scale_span<std::int64_t> const>(&n, 1),
                           std::span<scale_span<float> const>(&c, 1));
    REQUIRE(h.has_value());
    auto s0 = nps((*h)[0][0]), s1 = nps((*h)[0][1]);
    CHECK(s0.score == 25);
    CHECK(s0.n == 4);
    CHECK(s1.score == 0);
    CHECK(s1.n == 2);
    // CSAT, site 0: 5, 4, (missing), 3 -> 2 of 3; site 1: 2, 1, 5 -> 1 of 3.
    CHECK(close(csat((*h)[1][0]).share, 2.0 / 3));
    CHECK(close(csat((*h)[1][1]).share, 1.0 / 3));
    // v = (100, 100, -100, 0): the sum of squares about 25 is 30000 - 4 * 25^2, over n - 1.
    CHECK(close(s0.se, std::sqrt((3 * 10000.0 - 4 * 625.0) / 3 / 4)));
    CHECK(close(mean((*h)[1][0].moments_of([](int x) { return double(x); })).mean, 4));

    nps_answers[1] = 11;
    CHECK(code(histograms_by(std::span<std::int16_t const>(site), 2,
                             std::span<scale_span<std::int64_t> const>(&n, 1))) == "out-of-range");
    site[0] = 2;
    CHECK(code(histograms_by(std::span<std::int16_t const>(site), 2, {},
                             std::span<scale_span<float> const>(&c, 1))) == "bad-group");
}

TEST_CASE("header-only: frames, intervals, drivers, alpha, raking and quality flags") {
    frame f;
    scale_column a{column_array<std::int8_t>(6), 1, 5}, b{column_array<std::int8_t>(6), 1, 5};
    a.values << 1, 2, 3, 4, 5, 3;
    b.values << 2, 2, 3, 5, 5, 4;
    number_column y{Eigen::ArrayXd(6)};
    y.values << 1.5, 2.5, 3.0, 4.5, 5.5, 3.5;
    category_column site{column_array<std::int32_t>(6), {"lyon", "nice"}};
    site.codes << 0, 0, 0, 1, 1, 1;
    f.add("a", std::move(a));
    f.add("b", std::move(b));
    f.add("y", std::move(y));
    f.add("site", std::move(site));
    CHECK(code(f.get<number_column>("a")) == "wrong-kind");
    CHECK(code(f.get<scale_column>("z")) == "unknown-column");

    CHECK(close(t975(4), 2.7764451051977987));
    CHECK(close(t_quantile(0.025, 10), -2.2281388519862747));  // mpmath
    auto d = key_drivers(f, "y", {"a", "b"});
    REQUIRE(d.has_value());
    CHECK(d->n == 6);
    CHECK(close(d->relative_weight.sum(), d->r2));
    auto alpha = cronbach_alpha(f, {"a", "b"});
    REQUIRE(alpha.has_value());
    CHECK(close(alpha->raw, 0.96));  // 2 (1 - (2 + 1.9) / 7.5): variances, of the sum
    auto raked = rake(f, {{"site", {{"lyon", 30}, {"nice", 10}}}});
    REQUIRE(raked.has_value());
    CHECK(close(raked->w.head(3).sum(), 30));
    CHECK(raked->converged);
    auto flat = straight_liners(f, {"a", "b"});
    REQUIRE(flat.has_value());
    CHECK(flat->count() == 3);  // rows 2, 3 and 5 answer alike
    auto shares = choice_shares(**f.get<category_column>("site"));
    REQUIRE(shares.has_value());
    CHECK(close((*shares)[1].share, 0.5));
    CHECK(code(rake(f, {{"site", {{"lyon", 1}}}})) == "margin-missing-value");
}
