#include "candor/stats/intervals.hpp"

#include <cmath>
#include <limits>

#include <boost/math/distributions/students_t.hpp>

namespace candor::stats {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
}

interval wilson(double successes, double n, double z) noexcept {
    if (!(n > 0)) return {nan, nan};
    double p = successes / n;
    double z2 = z * z;
    double denom = 1 + z2 / n;
    double centre = (p + z2 / (2 * n)) / denom;
    double half = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
    return {centre - half, centre + half};
}

double t975(double df) {
    if (!(df > 0)) return nan;
    // From 1000 degrees of freedom the Cornish-Fisher series (Abramowitz & Stegun 26.7.5)
    // to 1/df^4 is exact to double precision, and 1000 times cheaper than inverting the
    // incomplete beta, which matters when every one of 1000s of segments has an interval.
    if (df >= 1000) {
        double z = z975, z2 = z * z;
        double g1 = (z2 + 1) * z / 4;
        double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
        double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
        double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
        return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
    }
    boost::math::students_t dist(df);
    return boost::math::quantile(boost::math::complement(dist, 0.025));
}

interval t_interval(double mean, double se, double df) {
    double t = t975(df);
    return {mean - t * se, mean + t * se};
}

double two_sided_p(double z) noexcept { return std::erfc(std::abs(z) / std::sqrt(2.0)); }

change compare(double before, double se_before, double after, double se_after) noexcept {
    change c;
    c.before = before;
    c.after = after;
    c.diff = after - before;
    c.se = std::sqrt(se_before * se_before + se_after * se_after);
    c.z = c.diff / c.se;
    c.p = two_sided_p(c.z);
    return c;
}

}  // namespace candor::stats
