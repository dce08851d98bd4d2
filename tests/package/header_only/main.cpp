// NPS and CSAT by site over the product's own arrays with Candor's statistics kernel
// header-only: no Candor library is linked, only Eigen's headers are needed.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <span>
#include <vector>

#include "candor/stats/figures.hpp"
#include "candor/stats/segments.hpp"

#if defined(BOOST_VERSION) || defined(NLOHMANN_JSON_VERSION_MAJOR) || \
    defined(SODIUM_VERSION_STRING) || defined(CPPHTTPLIB_VERSION)
#error "the statistics kernel brought in a dependency other than Eigen"
#endif

namespace stats = candor::stats;

int main() {
    // Three sites. NPS: lyon 10, 9, 7, 3 -> (2 - 1) / 4 = +25; nice 6, 6, 10 -> (1 - 2) / 3
    // = -33.3; paris 9, (skipped) -> +100. CSAT: lyon 5, 4, 2, 1 -> 2 of 4; nice 3, 4, 5 ->
    // 2 of 3; paris 5, 5 -> 2 of 2. The last card has no site.
    std::vector<std::int32_t> site{0, 0, 0, 0, 1, 1, 1, 2, 2, -1};
    std::vector<std::int8_t> nps{10, 9, 7, 3, 6, 6, 10, 9, stats::missing_scale, 0};
    std::vector<std::int8_t> csat{5, 4, 2, 1, 3, 4, 5, 5, 5, 1};
    std::vector<stats::scale_span<std::int8_t>> columns{
        {std::span<std::int8_t const>(nps), stats::nps_scale.lo, stats::nps_scale.hi},
        {std::span<std::int8_t const>(csat), stats::csat_scale.lo, stats::csat_scale.hi}};
    auto h = stats::histograms_by(std::span<std::int32_t const>(site), 3,
                                  std::span<stats::scale_span<std::int8_t> const>(columns));
    if (!h) {
        std::fputs(candor::render(h.error()).c_str(), stderr);
        return 1;
    }
    double const want_nps[] = {25, -100.0 / 3, 100};
    double const want_csat[] = {0.5, 2.0 / 3, 1};
    char const* names[] = {"lyon", "nice", "paris"};
    int wrong = 0;
    for (std::size_t s = 0; s < 3; ++s) {
        auto n = stats::nps((*h)[0][s]);
        auto c = stats::csat((*h)[1][s]);
        std::printf("%s: NPS %.1f (n %llu), CSAT %.3f\n", names[s], n.score,
                    static_cast<unsigned long long>(n.n), c.share);
        wrong +=
            std::abs(n.score - want_nps[s]) > 1e-12 || std::abs(c.share - want_csat[s]) > 1e-12;
    }
    // A value off its scale is an error the product can read, not an exception.
    nps[0] = 11;
    auto bad = stats::histograms_by(std::span<std::int32_t const>(site), 3,
                                    std::span<stats::scale_span<std::int8_t> const>(columns));
    wrong += bad.has_value() || bad.error().front().code != "out-of-range";
    std::printf(wrong ? "WRONG\n" : "header-only stats: NPS and CSAT by site as worked by hand\n");
    return wrong;
}
