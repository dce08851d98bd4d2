// The normal and Student's t distributions of intervals.hpp against Boost.Math (which the
// library no longer uses) and, where Boost's own inversion loses digits, against 50-digit
// values from mpmath.
#include <cmath>
#include <limits>
#include <vector>

#include <doctest/doctest.h>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include "candor/stats/intervals.hpp"

using namespace candor::stats;

namespace {

double relative(double a, double b) {
    return a == b ? 0 : std::abs(a - b) / std::abs(b);
}

// df 1..200, then every 7% to 1e6, and some that are not whole.
std::vector<double> degrees() {
    std::vector<double> dfs;
    for (int d = 1; d <= 200; ++d) dfs.push_back(d);
    for (double d = 200; d < 1e6; d *= 1.07) dfs.push_back(std::round(d));
    for (double d : {1e6, 99999.0, 1e5, 100001.0, 0.5, 1.5, 2.5, 3.3, 7.77, 99.9, 1234.5})
        dfs.push_back(d);
    return dfs;
}

// p from 1e-10 to 1 - 1e-10, 20 per decade of min(p, 1-p), and those of the usual intervals.
std::vector<double> probabilities() {
    std::vector<double> ps;
    for (double e = -10; e < std::log10(0.5); e += 0.05) ps.push_back(std::pow(10.0, e));
    for (double p : {0.025, 0.05, 0.1, 0.25, 0.3, 0.4, 0.45, 0.499}) ps.push_back(p);
    auto n = ps.size();
    for (std::size_t i = 0; i < n; ++i) ps.push_back(1 - ps[i]);
    return ps;
}

}  // namespace

TEST_CASE("the t quantile is Boost.Math's to 1e-12 over df 1..1e6 and p in [1e-10, 1-1e-10]") {
    double worst = 0, worst_df = 0, worst_p = 0;
    for (double df : degrees()) {
        boost::math::students_t dist(df);
        for (double p : probabilities()) {
            double e = relative(t_quantile(p, df), boost::math::quantile(dist, p));
            if (!(e <= worst)) worst = e, worst_df = df, worst_p = p;
        }
    }
    INFO("worst at df " << worst_df << ", p " << worst_p);
    CHECK(worst <= 1e-12);
}

TEST_CASE("near p = 1/2, where Boost's inversion loses digits, the t quantile is exact") {
    // mpmath, 50 digits: t with I_y(1/2, df/2)/2 = p - 1/2. Boost.Math gives 0 for df 4 at
    // 1/2 - 1e-10, and is 7e-9 off for df 3 at 1/2 - 1e-12.
    struct point {
        double df, p, t;
    };
    point const points[] = {
        {1, 0.4999999999, -3.1415929135263349e-10},
        {1, 0.5000003, 9.4247779592992518e-7},
        {1, 0.4999, -0.00031415927569437069},
        {3, 0.4999999999, -2.7206992714629752e-10},
        {3, 0.5000003, 8.1620971377796038e-7},
        {3, 0.4999, -0.00027206990911047338},
        {4, 0.4999999999, -2.666666887307656e-10},
        {4, 0.5000003, 7.9999999987508146e-7},
        {4, 0.4999, -0.00026666667061725468},
        {6, 0.4999999999, -2.6127892751518594e-10},
        {6, 0.5000003, 7.8383671756821145e-7},
        {6, 0.4999, -0.00026127890936507919},
        {30, 0.4999999999, -2.5276004352579393e-10},
        {30, 0.5000003, 7.5828006771857759e-7},
        {30, 0.4999, -0.00025276002539339364},
        {999, 0.4999999999, -2.5072558448260709e-10},
        {999, 0.5000003, 7.5217669109496246e-7},
        {999, 0.4999, -0.00025072556636698931},
        {12345, 0.4999999999, -2.5066792445629677e-10},
        {12345, 0.5000003, 7.5200371103037087e-7},
        {12345, 0.4999, -0.00025066790634122098},
    };
    for (auto const& x : points) {
        INFO("df " << x.df << ", p " << x.p);
        CHECK(relative(t_quantile(x.p, x.df), x.t) <= 1e-12);
    }
    CHECK(t_quantile(0.5, 7) == 0);
}

TEST_CASE("the t and normal CDFs are Boost.Math's, the quantiles invert them") {
    double worst = 0;
    for (double df : degrees()) {
        boost::math::students_t dist(df);
        for (double t : {-1e6, -100.0, -30.0, -8.0, -3.0, -1.7, -1.0, -0.5, -1e-5, 1e-5, 0.5, 1.0,
                         1.7, 3.0, 8.0})
            worst = std::max(worst, relative(t_cdf(t, df), boost::math::cdf(dist, t)));
        CHECK(relative(t_cdf(t_quantile(1e-7, df), df), 1e-7) <= 1e-12);
    }
    CHECK(worst <= 1e-12);
    boost::math::normal n;
    for (double p : probabilities()) {
        CHECK(relative(normal_quantile(p), boost::math::quantile(n, p)) <= 1e-14);
        CHECK(relative(normal_cdf(normal_quantile(p)), p) <= 1e-14);
    }
    CHECK(std::abs(normal_quantile(0.975) - z975) <= 1e-15);
    constexpr double inf = std::numeric_limits<double>::infinity();
    CHECK(t_cdf(inf, 3) == 1);
    CHECK(t_cdf(-inf, 3) == 0);
    CHECK(t_quantile(0, 3) == -inf);
    CHECK(t_quantile(1, 3) == inf);
    CHECK(t_quantile(0.975, inf) == normal_quantile(0.975));
    CHECK(std::isnan(t_quantile(0.5, 0)));
    CHECK(std::isnan(t_quantile(1.5, 3)));
    CHECK(std::isnan(t_cdf(1, -1)));
    CHECK(std::isnan(t975(0)));
}

TEST_CASE("t975 is the t quantile at 0.975, and from 1000 df the Cornish-Fisher series") {
    for (int df = 1; df < 1000; ++df) {
        boost::math::students_t dist(df);
        CHECK(relative(t975(df), boost::math::quantile(boost::math::complement(dist, 0.025))) <=
              1e-12);
    }
    for (double df : {1000.0, 4321.0, 1e6, 1e9}) {
        double z = z975, z2 = z * z;
        double g1 = (z2 + 1) * z / 4;
        double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
        double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
        double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
        CHECK(t975(df) == z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df);
        CHECK(relative(t975(df), t_quantile(0.975, df)) <= 1e-12);
    }
}
