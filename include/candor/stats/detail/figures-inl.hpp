// Definitions of figures.hpp: compiled once into candor::stats, or inline with
// CANDOR_HEADER_ONLY.
#pragma once

#include <cmath>

#include "candor/stats/figures.hpp"

namespace candor::stats {

namespace detail {

// Linearized standard error of a weighted mean; sqrt(s^2 / n) when unweighted.
CANDOR_INLINE double mean_se(moments const& m) {
    if (m.n < 2) return nan;
    double n = static_cast<double>(m.n);
    return std::sqrt(n / (n - 1) * m.q) / m.w;
}

// Kish's effective n of some weights.
CANDOR_INLINE double effective_n(moments const& m) {
    return m.w2 > 0 ? m.w * m.w / m.w2 : 0;
}

}  // namespace detail

CANDOR_INLINE result<nps_interval> parse_nps_interval(std::string_view text) {
    if (text == "adjusted-wald") return nps_interval::adjusted_wald;
    if (text == "wald") return nps_interval::wald;
    return fail("unknown-interval",
                "unknown NPS interval '" + std::string(text) + "' (adjusted-wald or wald)");
}

CANDOR_INLINE nps_figure nps(histogram const& h, nps_interval method) {
    auto m = h.moments_of([](int x) { return x >= 9 ? 100.0 : x <= 6 ? -100.0 : 0.0; });
    nps_figure f;
    f.n = m.n;
    f.score = m.n ? m.mean : detail::nan;
    f.se = detail::mean_se(m);
    f.method = method;
    if (method == nps_interval::wald) {
        f.ci95 = {f.score - nps_z * f.se, f.score + nps_z * f.se};
    } else {
        // The weighted shares of promoters and detractors, on the effective n.
        double n_eff = detail::effective_n(m), share = m.w > 0 ? n_eff / m.w : 0;
        f.ci95 = m.n < 2 ? interval{detail::nan, detail::nan}
                         : adjusted_wald_nps(h.weight_in(9, 10) * share, h.weight_in(0, 6) * share,
                                             n_eff);
    }
    f.promoters = h.count_in(9, 10);
    f.passives = h.count_in(7, 8);
    f.detractors = h.count_in(0, 6);
    return f;
}

CANDOR_INLINE share_figure share(double hit_weight, moments const& base) {
    share_figure f;
    f.n = base.n;
    f.hits = hit_weight;
    f.share = base.w > 0 ? hit_weight / base.w : detail::nan;
    f.n_eff = detail::effective_n(base);
    f.ci95 = wilson(f.share * f.n_eff, f.n_eff);
    return f;
}

CANDOR_INLINE share_figure in_range(histogram const& h, int a, int b) {
    return share(h.weight_in(a, b), h.moments_of([](int) { return 0.0; }));
}

CANDOR_INLINE mean_figure mean(moments const& m) {
    mean_figure f;
    f.n = m.n;
    f.mean = m.n ? m.mean : detail::nan;
    double n = static_cast<double>(m.n);
    f.sd = m.n > 1 ? std::sqrt(m.m2 / m.w * n / (n - 1)) : detail::nan;
    f.se = detail::mean_se(m);
    f.n_eff = detail::effective_n(m);
    f.ci95 = t_interval(f.mean, f.se, n - 1);
    return f;
}

CANDOR_INLINE mean_figure scale_mean(histogram const& h) {
    auto f = mean(h.moments_of([](int x) { return static_cast<double>(x); }));
    auto cut = clip(f.ci95, h.lo, h.hi());
    f.clipped = cut != f.ci95 && !std::isnan(f.ci95.lo);
    f.ci95 = cut;
    return f;
}

CANDOR_INLINE scale_figure describe(histogram const& h) {
    scale_figure f;
    f.mean = scale_mean(h);
    for (std::size_t k = 0; k < h.n.size(); ++k)
        f.distribution.emplace_back(h.lo + static_cast<int>(k), h.n[k]);
    f.top_box = in_range(h, h.hi(), h.hi());
    f.bottom_box = in_range(h, h.lo, h.lo);
    return f;
}

namespace detail {

// Shares of options among answered rows; `visit(i, hit)` calls hit(k) for each option k
// row i chose and returns false when row i did not answer.
template <class Visit>
result<std::vector<share_figure>> shares(Eigen::Index rows, std::size_t options, weights const& wt,
                                         Visit visit) {
    bool weighted = wt.size() != 0;
    if (weighted && wt.size() != rows)
        return fail("length-mismatch", "weights and column differ in length");
    moments base;
    std::vector<double> hit(options, 0.0);
    bool bad = false;
    for (Eigen::Index i = 0; i < rows; ++i) {
        double x = weighted ? wt[i] : 1.0;
        auto count = [&](std::size_t k) {
            if (k < options)
                hit[k] += x;
            else
                bad = true;
        };
        if (!visit(i, count)) continue;
        ++base.n;
        base.w += x;
        base.w2 += x * x;
    }
    if (bad) return fail("bad-code", "a code is not below the number of labels");
    std::vector<share_figure> out;
    for (double h : hit) out.push_back(share(h, base));
    return out;
}

}  // namespace detail

CANDOR_INLINE result<std::vector<share_figure>> choice_shares(category_column const& c,
                                                              weights const& wt) {
    return detail::shares(c.codes.size(), c.labels.size(), wt, [&](Eigen::Index i, auto hit) {
        auto code = c.codes[i];
        if (code < 0) return false;
        hit(static_cast<std::size_t>(code));
        return true;
    });
}

CANDOR_INLINE result<std::vector<share_figure>> choice_shares(set_column const& c,
                                                              weights const& wt) {
    return detail::shares(c.sets.size(), c.labels.size(), wt, [&](Eigen::Index i, auto hit) {
        auto set = c.sets[i];
        if (set == missing_set) return false;
        for (std::size_t k = 0; k < max_set_options + 1; ++k)
            if (set >> k & 1u) hit(k);
        return true;
    });
}

CANDOR_INLINE share_change compare_shares(share_figure const& before,
                                          share_figure const& after) noexcept {
    share_change c;
    c.before = before.share;
    c.after = after.share;
    c.diff = after.share - before.share;
    double n1 = after.n_eff, n2 = before.n_eff;
    double pooled = (after.share * n1 + before.share * n2) / (n1 + n2);
    c.z = c.diff / std::sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
    c.p = two_sided_p(c.z);
    auto const &a = after.ci95, &b = before.ci95;
    c.ci95 = {c.diff - std::hypot(after.share - a.lo, b.hi - before.share),
              c.diff + std::hypot(a.hi - after.share, before.share - b.lo)};
    return c;
}

CANDOR_INLINE mean_change welch(mean_figure const& before, mean_figure const& after) noexcept {
    mean_change c;
    c.before = before.mean;
    c.after = after.mean;
    c.diff = after.mean - before.mean;
    double va = after.se * after.se, vb = before.se * before.se;
    c.se = std::sqrt(va + vb);
    c.t = c.diff / c.se;
    c.df = (va + vb) * (va + vb) / (va * va / (after.n_eff - 1) + vb * vb / (before.n_eff - 1));
    c.p = 2 * t_cdf(-std::abs(c.t), c.df);
    c.ci95 = t_interval(c.diff, c.se, c.df);
    return c;
}

}  // namespace candor::stats
