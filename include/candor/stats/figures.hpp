// The headline figures of scale and choice questions. Each reports its own n: missing
// answers are left out figure by figure.
// Thread safety: pure functions; the figures are values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "candor/stats/aggregate.hpp"
#include "candor/stats/intervals.hpp"

namespace candor::stats {

// The 95% interval of NPS: Rocks's adjusted-Wald (adjusted_wald_nps), or Wald's,
// score ± 1.959964 se, which is R survey's (svymean's confint) and may leave -100..100.
enum class nps_interval : std::uint8_t { adjusted_wald, wald };
result<nps_interval> parse_nps_interval(std::string_view text);  // "adjusted-wald", "wald"
constexpr std::string_view to_string(nps_interval i) noexcept {
    return i == nps_interval::wald ? "wald" : "adjusted-wald";
}

// NPS on 0-10: per respondent +100 (9-10), 0 (7-8), -100 (0-6).
struct nps_figure {
    double score = 0;
    double se = 0;  // sqrt(s^2 / n); weighted: sqrt(n/(n-1) sum (w(v - score))^2) / sum w
    interval ci95;  // by `method`: adjusted-Wald (weighted: on Kish's effective n), or Wald
    nps_interval method = nps_interval::adjusted_wald;
    std::uint64_t promoters = 0, passives = 0, detractors = 0;  // cards
    std::uint64_t n = 0;
};
nps_figure nps(histogram const& h, nps_interval method = nps_interval::adjusted_wald);

// A share with its Wilson interval; weighted shares use Kish's effective n.
struct share_figure {
    double share = 0;
    double hits = 0;  // cards (weighted: sum of weights) counted in the share
    interval ci95;
    std::uint64_t n = 0;
    double n_eff = 0;  // Kish's effective n, (sum w)^2 / sum w^2: n without weights
};
share_figure share(double hit_weight, moments const& base);
// Share of answers within [a, b]: CSAT is in_range(h, 4, 5).
share_figure in_range(histogram const& h, int a, int b);
inline share_figure csat(histogram const& h) {
    return in_range(h, 4, 5);
}

// Mean, sample SD and t-interval. Weighted: mean = sum(w x)/sum(w),
// sd^2 = n/(n-1) sum(w (x - mean)^2)/sum(w), se linearized as for NPS.
struct mean_figure {
    double mean = 0;
    double sd = 0;
    double se = 0;
    interval ci95;
    std::uint64_t n = 0;
    double n_eff = 0;      // Kish's effective n: n without weights
    bool clipped = false;  // ci95 was cut to the scale's range (scale_mean)
};
mean_figure mean(moments const& m);
// The mean of a scale's answers, its t-interval clipped to the scale's ends h.lo..h.hi.
mean_figure scale_mean(histogram const& h);

// Everything about a rating: its mean, the distribution, top- and bottom-box shares.
struct scale_figure {
    mean_figure mean;
    std::vector<std::pair<int, std::uint64_t>> distribution;  // value, cards
    share_figure top_box;                                     // answering the top of the scale
    share_figure bottom_box;                                  // answering the bottom
};
scale_figure describe(histogram const& h);

// A share in one period against another, after - before: the two-sample test of R's
// prop.test(c(after, before), c(n_after, n_before), correct = FALSE) (z^2 is its X-squared)
// and Newcombe's (1998, method 10) hybrid score interval of the difference, from the
// shares' Wilson intervals. Weighted: on Kish's effective n.
struct share_change {
    double before = 0, after = 0, diff = 0;
    double z = 0;
    double p = 1;
    interval ci95;
};
share_change compare_shares(share_figure const& before, share_figure const& after) noexcept;

// A mean in one period against another, after - before: Welch's t-test, as R's
// t.test(after, before): se = sqrt(se_a^2 + se_b^2), Welch-Satterthwaite df (weighted: on
// Kish's effective n, with the linearized SEs), p and interval from Student's t.
struct mean_change {
    double before = 0, after = 0, diff = 0;
    double se = 0, t = 0, df = 0;
    double p = 1;
    interval ci95;
};
mean_change welch(mean_figure const& before, mean_figure const& after) noexcept;

// Choice questions: the share of each option among those who answered.
// Many-choice: the share of respondents (who answered) choosing each option.
// Fail with "length-mismatch" (weights of another length) or "bad-code" (a code or bit not
// below the number of labels).
result<std::vector<share_figure>> choice_shares(category_column const& c, weights const& wt = {});
result<std::vector<share_figure>> choice_shares(set_column const& c, weights const& wt = {});

}  // namespace candor::stats

#ifdef CANDOR_HEADER_ONLY
#include "candor/stats/detail/figures-inl.hpp"
#endif
