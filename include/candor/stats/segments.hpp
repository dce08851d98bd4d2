// Breaking figures down by a segment (a device field, a choice) or a calendar period.
// Thread safety: pure functions over their arguments; a grouping is a value (distinct ones on
// distinct threads; one may be read from many). histograms_by and histogram_of run up to
// `threads` threads of their own on large inputs (each reads its rows and writes its own
// table; the tables are merged after all are joined, before they return), so the arrays
// they read must not change during the call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <thread>
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

// Per scale column, per group: [column][group].
using histogram_table = std::vector<std::vector<histogram>>;

// The counting pass is split over threads by rows: each thread counts its own slice into a
// table of its own, and the tables are merged. A thread is started only for this many rows
// or more (one costs tens of microseconds; a million rows take about one millisecond).
inline constexpr std::size_t min_rows_per_thread = std::size_t{1} << 18;
// Weighted sums are added up per block of this many rows, the blocks then folded in row
// order whatever the number of threads: the figures are the same bits with 1 thread or 7
// (and those of up to this many rows the same as a single running sum). Counts are integers
// and merge exactly in any order.
inline constexpr std::size_t weighted_block_rows = std::size_t{1} << 20;

// Histograms of several scale columns per group, in one pass over the rows, on up to
// `threads` threads (0 or 1: on the caller's only). Fails with "length-mismatch" (weights or
// a column of another length than the codes), "out-of-range" (a value off its column's
// lo..hi) or "bad-group" (a code not below the number of labels).
result<histogram_table> histograms_by(grouping const& g,
                                      std::span<scale_column const* const> columns,
                                      weights const& wt = {},
                                      unsigned threads = std::thread::hardware_concurrency());

// The answers to one scale in an array someone else owns (a numpy array, a C array), of
// element type V (a signed or unsigned integer, float or double): on lo..hi, a skipped one
// missing_scale in a signed integer array and NaN in a floating-point one (an unsigned array
// has none). Read as it is, never converted or copied.
template <class V>
struct scale_span {
    std::span<V const> values;
    std::int8_t lo = 0;
    std::int8_t hi = 0;
};

// histograms_by over such arrays, read in place: the one pass behind the one above. Row i
// counts in group codes[i] (a signed integer type C; negative: in no group, as pandas' -1).
// Empty weights: unweighted. Both the code and the answer type are template parameters, so
// the counting loop is compiled for them. Fails as above, and with "bad-scale" for a scale
// not within -127..127.
template <class C, class V>
result<histogram_table> histograms_by(std::span<C const> codes, std::size_t groups,
                                      std::span<scale_span<V> const> columns,
                                      std::span<double const> weights = {},
                                      unsigned threads = std::thread::hardware_concurrency());
// Columns of several element types in one call: one span per type, the result's columns in
// the order given; on hardware_concurrency() threads, or `threads`.
template <class C, class... V>
result<histogram_table> histograms_by(std::span<C const> codes, std::size_t groups,
                                      std::span<double const> weights,
                                      std::span<scale_span<V> const>... columns);
template <class C, class... V>
result<histogram_table> histograms_by(std::span<C const> codes, std::size_t groups,
                                      std::span<double const> weights, unsigned threads,
                                      std::span<scale_span<V> const>... columns);
// One scale over all its rows (no groups).
template <class V>
result<histogram> histogram_of(scale_span<V> const& column, std::span<double const> weights = {},
                               unsigned threads = std::thread::hardware_concurrency());

// Moments of a number column per group; fails as histograms_by.
result<std::vector<moments>> moments_by(grouping const& g, number_column const& c,
                                        weights const& wt = {});
// Rows per group (a code not below the number of labels counts nowhere).
std::vector<std::uint64_t> sizes(grouping const& g);

}  // namespace candor::stats

#include "candor/stats/detail/histograms.hpp"

#ifdef CANDOR_HEADER_ONLY
#include "candor/stats/detail/segments-inl.hpp"
#endif
