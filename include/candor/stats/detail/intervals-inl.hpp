// Definitions of intervals.hpp: compiled once into candor::stats, or inline with
// CANDOR_HEADER_ONLY.
//
// Student's t without Boost.Math. With x = df/(df+t²) and y = t²/(df+t²) = 1 - x,
//   P(T > t) = I_x(df/2, 1/2) / 2 and P(0 < T < t) = I_y(1/2, df/2) / 2   (t >= 0),
// and both share the factor x^(df/2) y^(1/2) / B(df/2, 1/2) = t·f(t), f the density. The
// centre is a series of positive terms (no cancellation); the tails the continued fraction
// of the incomplete beta, in long double: near x = 1 its steps cancel to about y, and the
// extra bits keep that below 1e-14. The quantile inverts them by Newton's method (on the
// logarithm in the tails); from 1e5 degrees of freedom the Cornish-Fisher series is exact.
#pragma once

#include <algorithm>
#include <cmath>
#include <numeric>

#include "candor/stats/intervals.hpp"

namespace candor::stats {

namespace detail {

using real = long double;

inline constexpr double inf = std::numeric_limits<double>::infinity();
inline constexpr double sqrt_2pi = 2.50662827463100050242;
inline constexpr double pi = 3.14159265358979323846;
// Past this many steps a continued fraction or series stops (it needs O(sqrt(df))).
inline constexpr int max_terms = 1'000'000;
// From here the Cornish-Fisher series to 1/df^4 is the t quantile to double precision
// for every p in [1e-10, 1 - 1e-10] (its next term is under 1e-18 there).
inline constexpr double cornish_fisher_df = 1e5;

// Γ(z + 1/2) / (Γ(z) √z), which tends to 1: its logarithm's asymptotic series
// Σ (2^(1-2k) - 2) B_2k / ((2k-1) 2k z^(2k-1)) from z >= 20 (7 terms: exact to 1e-19), and
// below, Γ(z+1/2)/Γ(z) = (z+1/2)/z · ... carried down from there.
CANDOR_INLINE real gamma_half_ratio(real z) {
    real shift = 1;
    real w = z;
    for (; w < 20; w += 1) shift *= w / (w + real(0.5));  // Γ(w+½)/Γ(w) = w/(w+½) Γ(w+3/2)/Γ(w+1)
    real u = 1 / w, u2 = u * u;
    real s =
        u * (real(-1) / 8 +
             u2 * (real(1) / 192 +
                   u2 * (real(-1) / 640 +
                         u2 * (real(17) / 14336 +
                               u2 * (real(-31) / 18432 +
                                     u2 * (real(691) / 180224 + u2 * (real(-5461) / 425984)))))));
    // Γ(z+½)/Γ(z) = shift · Γ(w+½)/Γ(w) = shift · √w · exp(s)
    return shift * std::sqrt(w / z) * std::exp(s);
}

// The density of t >= 0.
CANDOR_INLINE real t_density(real t, real df) {
    real rt = t / std::sqrt(df);
    // log1p(r²) without overflow: 2 log r once 1/r² is below the precision.
    real l = rt > real(1e10) ? 2 * std::log(rt) : std::log1p(rt * rt);
    return gamma_half_ratio(df / 2) / sqrt_2pi * std::exp(-(df + 1) / 2 * l);
}

// The tail P(T > t) and the centre P(0 < T < t) of t >= 0, each accurate to its own size.
struct t_parts {
    real tail;
    real centre;
};

CANDOR_INLINE t_parts t_split(real t, real df) {
    if (std::isinf(t)) return {0, real(0.5)};
    real r = t * t / df;
    real x = 1 / (1 + r), y = r / (1 + r);
    if (std::isinf(r)) x = df / (t * t), y = 1;  // where long double is double
    real k = t * t_density(t, df);
    real a = df / 2, b = real(0.5);
    if (t * t * (df + 2) <= 3 * df) {
        // The centre: I_y(1/2, a) = y^½ x^a / (½ B) · Σ (a+½)_n / (3/2)_n y^n, all terms > 0.
        real sum = 1, term = 1;
        for (int n = 0; n < max_terms; ++n) {
            term *= (a + b + n) / (real(1.5) + n) * y;
            sum += term;
            if (term <= sum * std::numeric_limits<real>::epsilon() / 4) break;
        }
        real centre = k * sum;
        return {real(0.5) - centre, centre};
    }
    // The tail: I_x(a, b) = x^a y^b / (a B) · 1/(1+ d1/(1+ d2/(1+ ...))), by Lentz's method.
    // Its first denominator 1 - (a+b)x/(a+1) is written with y, so it does not cancel.
    constexpr real tiny = std::numeric_limits<real>::min() * 16;
    auto guard = [](real v) { return std::abs(v) < tiny ? tiny : v; };
    real c = 1;
    real d = 1 / guard(((a + 1) * y + (1 - b) * x) / (a + 1));
    real h = d;
    for (int m = 1; m < max_terms; ++m) {
        real m2 = 2 * real(m);
        real e = m * (b - m) * x / ((a - 1 + m2) * (a + m2));
        d = 1 / guard(1 + e * d);
        c = guard(1 + e / c);
        h *= d * c;
        e = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1 + m2));
        d = 1 / guard(1 + e * d);
        c = guard(1 + e / c);
        real step = d * c;
        h *= step;
        if (std::abs(step - 1) <= std::numeric_limits<real>::epsilon() * 2) break;
    }
    real tail = k / df * h;  // ½ · k/a · h
    return {tail, real(0.5) - tail};
}

// z + g1/df + g2/df² + g3/df³ + g4/df⁴ (Abramowitz & Stegun 26.7.5).
CANDOR_INLINE double cornish_fisher(double z, double df) {
    double z2 = z * z;
    double g1 = (z2 + 1) * z / 4;
    double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
    double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
    double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
    return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
}

// The t > 0 with P(T > t) = q, for 0 < q < 1/2.
CANDOR_INLINE double t_upper(double q, double df) {
    if (df == 1) return q < 0.25 ? 1 / std::tan(pi * q) : std::tan(pi * (0.5 - q));
    if (df == 2) return (1 - 2 * q) / std::sqrt(2 * q * (1 - q));
    double z = -normal_quantile(q);
    if (df >= cornish_fisher_df) return cornish_fisher(z, df);
    real nu = df, t;
    // Newton's steps square the error: once one is below 1e-14 of t, t is exact.
    constexpr real done = real(1e-14);
    // Where z²/df is small the series is close already (1e-6 or better).
    bool near_normal = 4 * z * z < df;
    if (q >= 0.25) {
        // The centre, P(0 < T < t) = 1/2 - q (exact in double), increasing and concave in t:
        // Newton climbs to it from below, where its first step lands from anywhere.
        real want = real(0.5) - q;
        t = near_normal ? cornish_fisher(z, df) : want / t_density(0, nu);
        for (int i = 0; i < 100; ++i) {
            real step = (want - t_split(t, nu).centre) / t_density(t, nu);
            t += step;
            if (std::abs(step) <= t * done) break;
        }
        return static_cast<double>(t);
    }
    // The tail, on logarithms: log P(T > t) = log q, from the series or else the larger of
    // the normal point and the power law of the far tail, P(T > t) ~ A t^-df.
    if (near_normal) {
        t = cornish_fisher(z, df);
    } else {
        real log_a = std::log(gamma_half_ratio(nu / 2) / sqrt_2pi) + (nu - 1) / 2 * std::log(nu);
        t = std::max<real>(z, std::exp((log_a - std::log(real(q))) / nu));
    }
    real lo = 0, hi = std::numeric_limits<real>::infinity();
    for (int i = 0; i < 200; ++i) {
        real tail = t_split(t, nu).tail;
        real step = (std::log(tail) - std::log(real(q))) * tail / t_density(t, nu);
        if (std::abs(step) <= t * done) return static_cast<double>(t + step);
        // Far from it, a step that leaves what is known to hold t is a halving instead.
        (tail > q ? lo : hi) = t;
        t += step;
        if (!(t > lo && t < hi)) t = std::isinf(hi) ? 2 * lo : (lo + hi) / 2;
    }
    return static_cast<double>(t);
}

}  // namespace detail

CANDOR_INLINE interval wilson(double successes, double n, double z) noexcept {
    if (!(n > 0)) return {detail::nan, detail::nan};
    double p = successes / n;
    double z2 = z * z;
    double denom = 1 + z2 / n;
    double centre = (p + z2 / (2 * n)) / denom;
    double half = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
    return {centre - half, centre + half};
}

CANDOR_INLINE double normal_cdf(double z) noexcept {
    return std::erfc(-z / std::sqrt(2.0)) / 2;
}

CANDOR_INLINE double normal_quantile(double p) noexcept {
    if (!(p > 0 && p < 1)) return p == 0 ? -detail::inf : p == 1 ? detail::inf : detail::nan;
    if (p > 0.5) return -normal_quantile(1 - p);  // 1 - p is exact
    // Acklam's rational approximation (to 1.2e-9), then Halley's method on erfc (or, near
    // 1/2, on erf of the exact p - 1/2).
    double x;
    if (p < 0.02425) {
        double s = std::sqrt(-2 * std::log(p));
        x = (((((-7.784894002430293e-03 * s - 3.223964580411365e-01) * s - 2.400758277161838e+00) *
                   s -
               2.549732539343734e+00) *
                  s +
              4.374664141464968e+00) *
                 s +
             2.938163982698783e+00) /
            ((((7.784695709041462e-03 * s + 3.224671290700398e-01) * s + 2.445134137142996e+00) *
                  s +
              3.754408661907416e+00) *
                 s +
             1);
    } else {
        double q = p - 0.5, r = q * q;
        x = (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) *
                   r +
               1.383577518672690e+02) *
                  r -
              3.066479806614716e+01) *
                 r +
             2.506628277459239e+00) *
            q /
            (((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r - 1.556989798598866e+02) *
                   r +
               6.680131188771972e+01) *
                  r -
              1.328068155288572e+01) *
                 r +
             1);
    }
    for (int i = 0; i < 2; ++i) {
        double e = p < 0.25 ? std::erfc(-x / std::sqrt(2.0)) / 2 - p
                            : std::erf(x / std::sqrt(2.0)) / 2 - (p - 0.5);
        double u = e * detail::sqrt_2pi * std::exp(x * x / 2);
        x -= u / (1 + x * u / 2);
    }
    return x;
}

CANDOR_INLINE double t_cdf(double t, double df) noexcept {
    if (std::isnan(t) || !(df > 0)) return detail::nan;
    if (std::isinf(df)) return normal_cdf(t);
    auto parts = detail::t_split(std::abs(static_cast<detail::real>(t)), df);
    return static_cast<double>(t < 0 ? parts.tail : parts.centre + detail::real(0.5));
}

CANDOR_INLINE double t_quantile(double p, double df) noexcept {
    if (!(df > 0) || !(p >= 0 && p <= 1)) return detail::nan;
    if (p == 0 || p == 1) return p == 0 ? -detail::inf : detail::inf;
    if (std::isinf(df)) return normal_quantile(p);
    if (p == 0.5) return 0;
    return p < 0.5 ? -detail::t_upper(p, df) : detail::t_upper(1 - p, df);  // 1 - p is exact
}

CANDOR_INLINE double t975(double df) noexcept {
    if (!(df > 0)) return detail::nan;
    // From 1000 degrees of freedom the Cornish-Fisher series is exact to double precision at
    // this p, and 1000 times cheaper than the inversion, which matters when every one of 1000s
    // of segments has an interval.
    if (df >= 1000) return detail::cornish_fisher(z975, df);
    return detail::t_upper(0.025, df);
}

CANDOR_INLINE interval t_interval(double mean, double se, double df) noexcept {
    double t = t975(df);
    return {mean - t * se, mean + t * se};
}

CANDOR_INLINE double two_sided_p(double z) noexcept {
    return std::erfc(std::abs(z) / std::sqrt(2.0));
}

CANDOR_INLINE change compare(double before, double se_before, double after,
                             double se_after) noexcept {
    change c;
    c.before = before;
    c.after = after;
    c.diff = after - before;
    c.se = std::sqrt(se_before * se_before + se_after * se_after);
    c.z = c.diff / c.se;
    c.p = two_sided_p(c.z);
    return c;
}

CANDOR_INLINE interval adjusted_wald_nps(double promoters, double detractors, double n,
                                         double z) noexcept {
    if (!(n >= 2)) return {detail::nan, detail::nan};
    double n1 = n + 3;
    double p = (promoters + 0.75) / n1, d = (detractors + 0.75) / n1;
    double half = z * std::sqrt((p + d - (p - d) * (p - d)) / n1);
    return clip({100 * (p - d - half), 100 * (p - d + half)}, -100, 100);
}

CANDOR_INLINE interval clip(interval i, double lo, double hi) noexcept {
    return {std::clamp(i.lo, lo, hi), std::clamp(i.hi, lo, hi)};
}

CANDOR_INLINE std::vector<double> adjust_bh(std::span<double const> p) {
    std::vector<std::size_t> order;
    for (std::size_t k = 0; k < p.size(); ++k)
        if (!std::isnan(p[k])) order.push_back(k);
    // Largest first, ties as R's order(): by position.
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return p[a] > p[b]; });
    std::vector<double> out(p.size(), detail::nan);
    double m = static_cast<double>(order.size()), low = 1;
    for (std::size_t r = 0; r < order.size(); ++r) {
        double rank = m - static_cast<double>(r);  // of p[order[r]] counted from the smallest
        low = std::min(low, m / rank * p[order[r]]);
        out[order[r]] = low;
    }
    return out;
}

}  // namespace candor::stats
