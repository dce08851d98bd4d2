// The headline figures of scale and choice questions. Each reports its own n: missing
// answers are left out figure by figure.
// Thread safety: pure functions; the figures are values.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "candor/stats/aggregate.hpp"
#include "candor/stats/intervals.hpp"

namespace candor::stats {

// NPS on 0-10: per respondent +100 (9-10), 0 (7-8), -100 (0-6).
struct nps_figure {
    double score = 0;
    double se = 0;  // sqrt(s^2 / n); weighted: sqrt(n/(n-1) sum (w(v - score))^2) / sum w
    interval ci95;  // score ± 1.959964 se
    std::uint64_t promoters = 0, passives = 0, detractors = 0;  // cards
    std::uint64_t n = 0;
};
nps_figure nps(histogram const& h);

// A share with its Wilson interval; weighted shares use Kish's effective n.
struct share_figure {
    double share = 0;
    double hits = 0;  // cards (weighted: sum of weights) counted in the share
    interval ci95;
    std::uint64_t n = 0;
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
};
mean_figure mean(moments const& m);

// Everything about a rating: its mean, the distribution, top- and bottom-box shares.
struct scale_figure {
    mean_figure mean;
    std::vector<std::pair<int, std::uint64_t>> distribution;  // value, cards
    share_figure top_box;                                     // answering the top of the scale
    share_figure bottom_box;                                  // answering the bottom
};
scale_figure describe(histogram const& h);

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
