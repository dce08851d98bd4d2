// NPS, CSAT and CES of caller-owned arrays, read in place by stats::histograms_by; the
// figures are candor::stats'.
#include <span>

#include "candor/stats/figures.hpp"
#include "candor/stats/segments.hpp"
#include "internal.hpp"

using namespace candor::c_api;
namespace stats = candor::stats;

namespace {

candor_interval to_c(stats::interval i) {
    return {i.lo, i.hi};
}

void to_c(stats::nps_figure const& f, candor_nps_figure* out) {
    *out = {f.score, f.se, to_c(f.ci95), f.promoters, f.passives, f.detractors, f.n};
}
void to_c(stats::share_figure const& f, candor_share_figure* out) {
    *out = {f.share, f.hits, to_c(f.ci95), f.n};
}
void to_c(stats::mean_figure const& f, candor_mean_figure* out) {
    *out = {f.mean, f.sd, f.se, to_c(f.ci95), f.n};
}

// figure(histogram) for each of `groups` groups, written to out[0..groups).
template <class Out, class Figure>
candor_status by(const int8_t* values, const int32_t* codes, size_t count, const double* weights,
                 size_t groups, int lo, int hi, Out* out, Figure figure) {
    return guarded([&] {
        CANDOR_REQUIRE(out != nullptr, "out is NULL");
        CANDOR_REQUIRE(values != nullptr || count == 0, "values is NULL");
        CANDOR_REQUIRE(groups > 0, "group_count is 0");
        stats::scale_span<std::int8_t> const column{
            std::span(values, count), static_cast<std::int8_t>(lo), static_cast<std::int8_t>(hi)};
        auto w = weights ? std::span(weights, count) : std::span<double const>();
        // A value off the scale or a code >= groups: CANDOR_INVALID_ARGUMENT.
        candor::result<stats::histogram_table> h;
        if (codes) {
            h = stats::histograms_by(std::span(codes, count), groups, std::span(&column, 1), w);
        } else {
            auto one = stats::histogram_of(column, w);  // the caller passes groups = 1
            if (!one) return fail(CANDOR_INVALID_ARGUMENT, one.error());
            h = stats::histogram_table{{std::move(*one)}};
        }
        if (!h) return fail(CANDOR_INVALID_ARGUMENT, h.error());
        for (std::size_t g = 0; g < groups; ++g) to_c(figure((*h)[0][g]), out + g);
        return CANDOR_OK;
    });
}

// Wald's interval, score ± 1.959964 se (docs/c.md); the report's is adjusted-Wald.
stats::nps_figure nps(stats::histogram const& h) {
    return stats::nps(h, stats::nps_interval::wald);
}
stats::share_figure csat(stats::histogram const& h) {
    return stats::csat(h);
}
stats::mean_figure ces(stats::histogram const& h) {
    return stats::mean(h.moments_of([](int x) { return static_cast<double>(x); }));
}

}  // namespace

extern "C" {

candor_status candor_nps(const int8_t* values, size_t count, const double* weights,
                         candor_nps_figure* out) {
    return by(values, nullptr, count, weights, 1, 0, 10, out, nps);
}
candor_status candor_csat(const int8_t* values, size_t count, const double* weights,
                          candor_share_figure* out) {
    return by(values, nullptr, count, weights, 1, 1, 5, out, csat);
}
candor_status candor_ces(const int8_t* values, size_t count, const double* weights,
                         candor_mean_figure* out) {
    return by(values, nullptr, count, weights, 1, 1, 7, out, ces);
}

candor_status candor_nps_by(const int8_t* values, const int32_t* groups, size_t count,
                            const double* weights, size_t group_count, candor_nps_figure* out) {
    CANDOR_REQUIRE(groups != nullptr || count == 0, "groups is NULL");
    return by(values, groups, count, weights, group_count, 0, 10, out, nps);
}
candor_status candor_csat_by(const int8_t* values, const int32_t* groups, size_t count,
                             const double* weights, size_t group_count, candor_share_figure* out) {
    CANDOR_REQUIRE(groups != nullptr || count == 0, "groups is NULL");
    return by(values, groups, count, weights, group_count, 1, 5, out, csat);
}
candor_status candor_ces_by(const int8_t* values, const int32_t* groups, size_t count,
                            const double* weights, size_t group_count, candor_mean_figure* out) {
    CANDOR_REQUIRE(groups != nullptr || count == 0, "groups is NULL");
    return by(values, groups, count, weights, group_count, 1, 7, out, ces);
}

}  // extern "C"
