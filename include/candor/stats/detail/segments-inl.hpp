// Definitions of segments.hpp: compiled once into candor::stats, or inline with
// CANDOR_HEADER_ONLY.
#pragma once

#include <cstdio>
#include <map>

#include "candor/stats/segments.hpp"
#include "candor/time.hpp"

namespace candor::stats {

CANDOR_INLINE grouping group_by(category_column const& c) {
    grouping g;
    g.codes =
        std::span<std::int32_t const>(c.codes.data(), static_cast<std::size_t>(c.codes.size()));
    g.labels = c.labels;
    return g;
}

CANDOR_INLINE result<period> parse_period(std::string_view text) {
    if (text == "day") return period::day;
    if (text == "week") return period::week;
    if (text == "month") return period::month;
    if (text == "quarter") return period::quarter;
    return fail("unknown-period",
                "unknown period '" + std::string(text) + "' (day, week, month or quarter)");
}

namespace detail {

CANDOR_INLINE std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

CANDOR_INLINE std::string format_day(std::int64_t day) {
    std::int64_t y;
    unsigned m, d;
    civil_from_days(day, y, m, d);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
    return buf;
}

}  // namespace detail

CANDOR_INLINE std::int64_t period_start(std::int64_t day, period p) noexcept {
    std::int64_t y;
    unsigned m, d;
    switch (p) {
        case period::day:
            return day;
        case period::week:  // 1970-01-01 was a Thursday
            return day - (day + 3 - detail::floor_div(day + 3, 7) * 7);
        case period::month:
            civil_from_days(day, y, m, d);
            return days_from_civil(y, m, 1);
        case period::quarter:
            civil_from_days(day, y, m, d);
            return days_from_civil(y, (m - 1) / 3 * 3 + 1, 1);
    }
    return day;
}

CANDOR_INLINE grouping group_by(time_column const& c, period p) {
    return group_by(std::span(c.seconds.data(), static_cast<std::size_t>(c.seconds.size())), p);
}

CANDOR_INLINE grouping group_by(std::span<std::int64_t const> seconds, period p) {
    auto rows = seconds.size();
    std::vector<std::int64_t> start(rows);
    std::map<std::int64_t, std::int32_t> index;
    for (std::size_t i = 0; i < rows; ++i) {
        if (seconds[i] == missing_time) continue;
        start[i] = period_start(detail::floor_div(seconds[i], 86400), p);
        index.emplace(start[i], 0);
    }
    grouping g;
    for (auto& [day, code] : index) {
        code = static_cast<std::int32_t>(g.labels.size());
        g.labels.push_back(detail::format_day(day));
    }
    g.owned.resize(rows);
    for (std::size_t i = 0; i < rows; ++i)
        g.owned[i] = seconds[i] == missing_time ? missing_code : index[start[i]];
    g.codes = g.owned;
    return g;
}

CANDOR_INLINE std::vector<std::uint64_t> sizes(grouping const& g) {
    std::vector<std::uint64_t> n(g.labels.size(), 0);
    for (auto code : g.codes)
        if (code >= 0 && static_cast<std::size_t>(code) < n.size())
            ++n[static_cast<std::size_t>(code)];
    return n;
}

namespace detail {

CANDOR_INLINE result<std::vector<layout>> layouts_for(
    std::span<std::pair<std::int8_t, std::int8_t> const> ends) {
    std::vector<layout> layouts;
    std::size_t row = 0;  // every column's slots of a group
    for (auto [lo, hi] : ends) {
        if (lo < -127 || hi < lo)
            return fail("bad-scale", "a scale must lie within -127..127, its low end first (" +
                                         std::to_string(lo) + ".." + std::to_string(hi) + ")");
        layouts.emplace_back(lo, hi, row);
        row += layouts.back().stride;
    }
    return layouts;
}

CANDOR_INLINE result<histogram_table> histograms_of(std::span<tally const> parts,
                                                    std::span<layout const> layouts,
                                                    std::size_t groups, bool weighted) {
    std::size_t const row = row_of(layouts);
    for (auto const& t : parts)
        if (t.bad_code != 0)
            return fail("bad-group", "a group code is not below the number of groups (" +
                                         std::to_string(groups) + ")");
    histogram_table out(layouts.size());
    for (std::size_t j = 0; j < layouts.size(); ++j) {
        auto const& l = layouts[j];
        for (auto const& t : parts)
            for (std::size_t g = 0; g < groups; ++g)
                if (t.n[g * row + l.missing() + 1] != 0)
                    return fail("out-of-range",
                                "a value outside the scale " + std::to_string(l.lo) + ".." +
                                    std::to_string(l.hi) + " (and not a missing answer)");
        out[j].assign(groups, histogram(l.lo, l.hi));
        for (std::size_t g = 0; g < groups; ++g) {
            auto& h = out[j][g];
            for (std::size_t b = 0; b < l.width; ++b)
                for (auto const& t : parts) {
                    auto s = g * row + l.offset + b;
                    h.n[b] += t.n[s];
                    h.w[b] += weighted ? t.w[s] : static_cast<double>(t.n[s]);
                    h.w2[b] += weighted ? t.w2[s] : static_cast<double>(t.n[s]);
                }
        }
    }
    return out;
}

}  // namespace detail

CANDOR_INLINE result<histogram_table> histograms_by(grouping const& g,
                                                    std::span<scale_column const* const> columns,
                                                    weights const& wt, unsigned threads) {
    std::vector<scale_span<std::int8_t>> spans;
    for (auto const* c : columns)
        spans.push_back({std::span<std::int8_t const>(c->values.data(),
                                                      static_cast<std::size_t>(c->values.size())),
                         c->lo, c->hi});
    return histograms_by(g.codes, g.labels.size(), std::span<scale_span<std::int8_t> const>(spans),
                         std::span<double const>(wt.data(), static_cast<std::size_t>(wt.size())),
                         threads);
}

CANDOR_INLINE result<std::vector<moments>> moments_by(grouping const& g, number_column const& c,
                                                      weights const& wt) {
    auto rows = static_cast<Eigen::Index>(g.codes.size());
    if (c.values.size() != rows || (wt.size() != 0 && wt.size() != rows))
        return fail("length-mismatch", "the column, its weights and the codes differ in length");
    std::vector<moments> out(g.labels.size());
    bool weighted = wt.size() != 0;
    for (Eigen::Index i = 0; i < rows; ++i) {
        auto code = g.codes[static_cast<std::size_t>(i)];
        if (code < 0 || std::isnan(c.values[i])) continue;
        if (static_cast<std::size_t>(code) >= out.size())
            return fail("bad-group", "a group code is not below the number of groups (" +
                                         std::to_string(out.size()) + ")");
        out[static_cast<std::size_t>(code)].add(c.values[i], weighted ? wt[i] : 1.0);
    }
    return out;
}

}  // namespace candor::stats
