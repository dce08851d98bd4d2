// Breaking figures down by a segment (a device field, a choice) or a calendar period.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "candor/stats/aggregate.hpp"

namespace candor::stats {

// Segments with fewer cards are suppressed, not shown, to protect respondents.
inline constexpr std::uint64_t default_min_n = 5;

// Row i belongs to group codes[i] (labels[codes[i]]), or to none when missing_code.
// Move-only: `codes` may point into `owned`.
struct grouping {
    std::span<std::int32_t const> codes;
    std::vector<std::string> labels;
    std::vector<std::int32_t> owned;

    grouping() = default;
    grouping(grouping&&) = default;
    grouping& operator=(grouping&&) = default;
};

grouping group_by(category_column const& c);

enum class period : std::uint8_t { day, week, month, quarter };
result<period> parse_period(std::string_view text);  // "day", "week", "month", "quarter"
// The first day (days since 1970-01-01) of the period holding a day; ISO weeks start Monday.
std::int64_t period_start(std::int64_t day, period p) noexcept;
// Groups in calendar order, labelled by their first day "YYYY-MM-DD".
grouping group_by(time_column const& c, period p);

// Histograms of several scale columns per group, in one pass over the rows (split over
// threads for large frames). Result [column][group].
std::vector<std::vector<histogram>> histograms_by(grouping const& g,
                                                  std::span<scale_column const* const> columns,
                                                  weights const& wt = {});
// Moments of a number column per group.
std::vector<moments> moments_by(grouping const& g, number_column const& c,
                                weights const& wt = {});
// Rows per group.
std::vector<std::uint64_t> sizes(grouping const& g);

}  // namespace candor::stats
