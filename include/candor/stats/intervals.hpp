// Confidence intervals and tests, with the constants of the standard packages, and the
// normal and Student's t distributions they need (no Boost.Math: the kernel is Eigen only).
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "candor/detail/config.hpp"

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

// The standard normal: P(Z <= z), and the z with P(Z <= z) = p.
double normal_cdf(double z) noexcept;
double normal_quantile(double p) noexcept;
// Student's t with `df` > 0 degrees of freedom (any real df; infinite: the normal):
// P(T <= t), and the t with P(T <= t) = p. The quantile is within 1e-12 (relative) of
// Boost.Math's for df 1..1e6 and p in [1e-10, 1 - 1e-10]; NaN for a df or p out of range.
double t_cdf(double t, double df) noexcept;
double t_quantile(double p, double df) noexcept;

// The two-sided 97.5% point of Student's t with `df` degrees of freedom.
double t975(double df) noexcept;
// mean ± t975(df) · se.
interval t_interval(double mean, double se, double df) noexcept;

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

// Rocks's (2016) adjusted-Wald interval of NPS: n' = n + 3, P' = P + 3/4, D' = D + 3/4,
// p' = P'/n', d' = D'/n', (p' - d') ± z sqrt((p' + d' - (p' - d')^2) / n'), times 100 and
// within [-100, 100]. n, promoters and detractors may be an effective n and weighted counts
// scaled to it. NaN for n < 2, as the standard error.
interval adjusted_wald_nps(double promoters, double detractors, double n, double z = z975) noexcept;

// `i` within [lo, hi].
interval clip(interval i, double lo, double hi) noexcept;

// Benjamini-Hochberg adjusted p-values in the order given, as R's p.adjust(p, "BH"): NaNs
// stay NaN and are not counted among the tests.
std::vector<double> adjust_bh(std::span<double const> p);

namespace detail {
inline constexpr double nan = std::numeric_limits<double>::quiet_NaN();
}  // namespace detail

}  // namespace candor::stats

#ifdef CANDOR_HEADER_ONLY
#include "candor/stats/detail/intervals-inl.hpp"
#endif
