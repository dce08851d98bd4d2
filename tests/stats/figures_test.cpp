#include <cmath>
#include <random>

#include <doctest/doctest.h>

#include "candor/stats/figures.hpp"
#include "helpers.hpp"

using namespace candor::stats;
using namespace candor::stats::test;

TEST_CASE("NPS of six cards, worked by hand") {
    // 10 10 9 | 8 7 | 6: P = 3, D = 1, score = 100 (3 - 1) / 6; v = 100 100 100 0 0 -100.
    auto h = histogram_of(scale({10, 10, 9, 8, 7, 6, na}, 0, 10)).value();
    auto f = nps(h);
    CHECK(f.n == 6);
    CHECK(f.promoters == 3);
    CHECK(f.passives == 2);
    CHECK(f.detractors == 1);
    CHECK(close(f.score, 100.0 / 3));
    // s^2 = 33333.33 / 5, SE = sqrt(s^2 / 6) = 100 / 3.
    CHECK(close(f.se, 100.0 / 3));
    auto wald = nps(h, nps_interval::wald);
    CHECK(wald.method == nps_interval::wald);
    CHECK(close(wald.ci95.lo, 100.0 / 3 - 1.959964 * 100.0 / 3));
    CHECK(close(wald.ci95.hi, 100.0 / 3 + 1.959964 * 100.0 / 3));
    // The default, adjusted-Wald: n' = 9, p' = 3.75/9, d' = 1.75/9.
    CHECK(f.method == nps_interval::adjusted_wald);
    double p = 3.75 / 9, d = 1.75 / 9;
    double half = 1.959963984540054 * std::sqrt((p + d - (p - d) * (p - d)) / 9);
    CHECK(close(f.ci95.lo, 100 * (p - d - half)));
    CHECK(close(f.ci95.hi, 100 * (p - d + half)));
    CHECK(wald.score == f.score);
    CHECK(wald.se == f.se);
}

TEST_CASE("weighted NPS, worked by hand") {
    // v = 100, -100, 0 with w = 2, 1, 1: score = 100 / 4 = 25;
    // SE = sqrt(3/2 ((2*75)^2 + (1*-125)^2 + (1*-25)^2)) / 4 = sqrt(58125) / 4.
    auto h = histogram_of(scale({10, 3, 8}, 0, 10), array({2, 1, 1})).value();
    auto f = nps(h);
    CHECK(close(f.score, 25));
    CHECK(close(f.se, std::sqrt(58125.0) / 4));
    CHECK(f.n == 3);
}

TEST_CASE("an empty NPS has n = 0 and no score") {
    auto f = nps(histogram_of(scale({na, na}, 0, 10)).value());
    CHECK(f.n == 0);
    CHECK(std::isnan(f.score));
}

TEST_CASE("CSAT share with the Wilson interval") {
    // 3 of 5 answer 4 or 5; Wilson (z = 1.959964): centre 0.55655, half 0.32583.
    auto f = csat(histogram_of(scale({5, 4, 3, 2, 5, na}, 1, 5)).value());
    CHECK(f.n == 5);
    CHECK(f.hits == 3);
    CHECK(close(f.share, 0.6));
    double z = 1.959963984540054, n = 5, p = 0.6;
    double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
    double half = z * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n);
    CHECK(close(f.ci95.lo, centre - half));
    CHECK(close(f.ci95.hi, centre + half));
    CHECK(close(f.ci95.lo, 0.2307, 1e-4));  // statsmodels proportion_confint(3, 5, 'wilson')
    CHECK(close(f.ci95.hi, 0.8824, 1e-4));
}

TEST_CASE("CES mean, SD and t-interval, worked by hand") {
    // 2 4 4 5 7: mean 4.4, sum of squares 13.2, s^2 = 3.3, t(4) = 2.7764451051977987.
    auto f = describe(histogram_of(scale({2, 4, 4, 5, 7}, 1, 7)).value());
    CHECK(f.mean.n == 5);
    CHECK(close(f.mean.mean, 4.4));
    CHECK(close(f.mean.sd, std::sqrt(3.3)));
    CHECK(close(f.mean.se, std::sqrt(3.3 / 5)));
    CHECK(close(f.mean.ci95.lo, 4.4 - 2.7764451051977987 * std::sqrt(3.3 / 5)));
    CHECK(close(f.mean.ci95.hi, 4.4 + 2.7764451051977987 * std::sqrt(3.3 / 5)));
    REQUIRE(f.distribution.size() == 7);
    CHECK(f.distribution[3] == std::pair<int, std::uint64_t>(4, 2));
    CHECK(close(f.top_box.share, 0.2));     // one 7
    CHECK(close(f.bottom_box.share, 0.0));  // no 1
}

TEST_CASE("choice shares: one choice and many choices") {
    auto one = choice_shares(category({0, 1, 1, missing_code, 2}, {"a", "b", "c"})).value();
    REQUIRE(one.size() == 3);
    CHECK(one[1].n == 4);
    CHECK(close(one[1].share, 0.5));
    set_column many;
    many.labels = {"wifi", "pool"};
    many.sets.resize(4);
    many.sets << 1, 3, 0, missing_set;  // wifi; wifi+pool; nothing; skipped
    auto m = choice_shares(many).value();
    CHECK(m[0].n == 3);
    CHECK(close(m[0].share, 2.0 / 3));
    CHECK(close(m[1].share, 1.0 / 3));
}

TEST_CASE("change between periods: difference, SE, z and two-sided p") {
    auto c = compare(40, 5, 31, 4);
    CHECK(close(c.diff, -9));
    CHECK(close(c.se, std::sqrt(41.0)));
    CHECK(close(c.z, -9 / std::sqrt(41.0)));
    CHECK(close(c.p, std::erfc(9 / std::sqrt(41.0) / std::sqrt(2.0))));
    CHECK(close(c.p, 0.15985367483762747));  // scipy: 2 * norm.sf(9 / sqrt(41))
    CHECK(close(t975(4), 2.7764451051977987));
    // Either side of the switch to the series; scipy.stats.t.ppf(0.975, df).
    CHECK(close(t975(999), 1.9623414611334487, 1e-12));
    CHECK(close(t975(1000), 1.9623390808264074, 1e-12));
    CHECK(close(t975(123456), 1.9599832002451865, 1e-12));
}

TEST_CASE("NPS, CSAT and means on generated data against a direct computation") {
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> answer(-1, 10);
    std::uniform_real_distribution<double> weight(0.2, 3);
    std::vector<int> v;
    std::vector<double> w;
    for (int i = 0; i < 5000; ++i) {
        int a = answer(rng);
        v.push_back(a < 0 ? na : a);
        w.push_back(weight(rng));
    }
    // Unweighted, straight from the definition with a two-pass variance.
    double n = 0, sum = 0;
    for (int a : v)
        if (a != na) n += 1, sum += a >= 9 ? 100 : a <= 6 ? -100 : 0;
    double score = sum / n, ss = 0;
    for (int a : v)
        if (a != na) ss += std::pow((a >= 9 ? 100 : a <= 6 ? -100 : 0) - score, 2);
    auto f = nps(histogram_of(scale(v, 0, 10)).value());
    CHECK(close(f.score, score));
    CHECK(close(f.se, std::sqrt(ss / (n - 1) / n)));

    // Weighted.
    double sw = 0, swv = 0;
    for (std::size_t i = 0; i < v.size(); ++i)
        if (v[i] != na) sw += w[i], swv += w[i] * (v[i] >= 9 ? 100 : v[i] <= 6 ? -100 : 0);
    double wscore = swv / sw, q = 0;
    for (std::size_t i = 0; i < v.size(); ++i)
        if (v[i] != na)
            q += std::pow(w[i] * ((v[i] >= 9 ? 100 : v[i] <= 6 ? -100 : 0) - wscore), 2);
    auto fw = nps(histogram_of(scale(v, 0, 10), array(w)).value());
    CHECK(close(fw.score, wscore));
    CHECK(close(fw.se, std::sqrt(n / (n - 1) * q) / sw));

    // Mean of a number column.
    number_column x;
    x.values.resize(static_cast<Eigen::Index>(v.size()));
    double xs = 0, xn = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        x.values[static_cast<Eigen::Index>(i)] = v[i] == na ? std::nan("") : 1000 + v[i] * 0.37;
        if (v[i] != na) xs += 1000 + v[i] * 0.37, xn += 1;
    }
    double xm = xs / xn, xss = 0;
    for (int a : v)
        if (a != na) xss += std::pow(1000 + a * 0.37 - xm, 2);
    auto mf = mean(moments_of(x).value());
    CHECK(close(mf.mean, xm));
    CHECK(close(mf.sd, std::sqrt(xss / (xn - 1))));
}
