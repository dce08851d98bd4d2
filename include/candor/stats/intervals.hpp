// Confidence intervals and tests, with the constants of the standard packages.
#pragma once

#include <cstdint>

namespace candor::stats {

// The 97.5% point of the standard normal, as R's qnorm(0.975) and scipy's norm.ppf.
inline constexpr double z975 = 1.959963984540054;
// NPS intervals use the rounded constant the definition is published with.
inline constexpr double nps_z = 1.959964;

struct interval {
    double lo = 0;
    double hi = 0;
    friend bool operator==(interval const&, interval const&) = default;
};

// Wilson score interval for `successes` out of `n` (no continuity correction); n may be
// an effective sample size, successes a weighted count scaled to it.
interval wilson(double successes, double n, double z = z975) noexcept;

// The two-sided 97.5% point of Student's t with `df` degrees of freedom.
double t975(double df);
// mean ± t975(df) · se.
interval t_interval(double mean, double se, double df);

// Two-sided p of a z statistic under the standard normal.
double two_sided_p(double z) noexcept;

// A figure in one period against another: after - before.
struct change {
    double before = 0;
    double after = 0;
    double diff = 0;
    double se = 0;  // sqrt(se_before^2 + se_after^2)
    double z = 0;
    double p = 1;
};
change compare(double before, double se_before, double after, double se_after) noexcept;

}  // namespace candor::stats
