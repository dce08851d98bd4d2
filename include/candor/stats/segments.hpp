// Breaking figures down by a segment (a device field, a choice) or a calendar period.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
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
constexpr std::string_view to_string(period p) noexcept {
    constexpr std::string_view names[] = {"day", "week", "month", "quarter"};
    return names[static_cast<std::size_t>(p)];
}
// The first day (days since 1970-01-01) of the period holding a day; ISO weeks start Monday.
std::int64_t period_start(std::int64_t day, period p) noexcept;
// Groups in calendar order, labelled by their first day "YYYY-MM-DD".
grouping group_by(time_column const& c, period p);
// The same of Unix seconds in an array someone else owns (missing_time: in no group).
grouping group_by(std::span<std::int64_t const> seconds, period p);

// Histograms of several scale columns per group, in one pass over the rows (split over
// threads for large frames). Result [column][group].
std::vector<std::vector<histogram>> histograms_by(grouping const& g,
                                                  std::span<scale_column const* const> columns,
                                                  weights const& wt = {});

// The answers to one scale in an array someone else owns (a numpy array, a C array): on
// lo..hi, a skipped one missing_scale in a signed integer array and NaN in a floating-point
// one (an unsigned array has none). Every type is counted as it is, never converted or
// copied.
struct scale_span {
    std::variant<std::span<std::int8_t const>, std::span<std::uint8_t const>,
                 std::span<std::int16_t const>, std::span<std::int32_t const>,
                 std::span<std::int64_t const>, std::span<float const>, std::span<double const>>
        values;
    std::int8_t lo = 0, hi = 0;
};
// Group codes in an array someone else owns; a negative code puts its row in no group
// (missing_code, pandas' -1). std::monostate: every row is in group 0.
using code_span =
    std::variant<std::monostate, std::span<std::int8_t const>, std::span<std::int16_t const>,
                 std::span<std::int32_t const>, std::span<std::int64_t const>>;

// histograms_by over such arrays, read in place: the one pass behind the one above and the
// Python and C bindings. Row i counts in group codes[i] of `groups`; empty weights:
// unweighted. Throws std::invalid_argument for arrays of different lengths or a scale
// outside -127..127, std::out_of_range for a value off its scale or a code >= groups.
std::vector<std::vector<histogram>> histograms_by(code_span codes, std::size_t groups,
                                                  std::span<scale_span const> columns,
                                                  std::span<double const> weights = {});
// Moments of a number column per group.
std::vector<moments> moments_by(grouping const& g, number_column const& c, weights const& wt = {});
// Rows per group.
std::vector<std::uint64_t> sizes(grouping const& g);

}  // namespace candor::stats
