#include "candor/stats/segments.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <thread>

#include "candor/time.hpp"

namespace candor::stats {

grouping group_by(category_column const& c) {
    grouping g;
    g.codes = std::span<std::int32_t const>(c.codes.data(), static_cast<std::size_t>(c.codes.size()));
    g.labels = c.labels;
    return g;
}

result<period> parse_period(std::string_view text) {
    if (text == "day") return period::day;
    if (text == "week") return period::week;
    if (text == "month") return period::month;
    if (text == "quarter") return period::quarter;
    return unexpected(error("unknown-period", "unknown period '" + std::string(text) +
                                                  "' (day, week, month or quarter)"));
}

namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

std::string format_day(std::int64_t day) {
    std::int64_t y;
    unsigned m, d;
    civil_from_days(day, y, m, d);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
    return buf;
}

}  // namespace

std::int64_t period_start(std::int64_t day, period p) noexcept {
    std::int64_t y;
    unsigned m, d;
    switch (p) {
    case period::day: return day;
    case period::week: return day - (day + 3 - floor_div(day + 3, 7) * 7);  // 1970-01-01 was a Thursday
    case period::month: civil_from_days(day, y, m, d); return days_from_civil(y, m, 1);
    case period::quarter:
        civil_from_days(day, y, m, d);
        return days_from_civil(y, (m - 1) / 3 * 3 + 1, 1);
    }
    return day;
}

grouping group_by(time_column const& c, period p) {
    auto rows = static_cast<std::size_t>(c.seconds.size());
    std::vector<std::int64_t> start(rows);
    std::map<std::int64_t, std::int32_t> index;
    for (std::size_t i = 0; i < rows; ++i) {
        auto s = c.seconds[static_cast<Eigen::Index>(i)];
        if (s == missing_time) continue;
        start[i] = period_start(floor_div(s, 86400), p);
        index.emplace(start[i], 0);
    }
    grouping g;
    for (auto& [day, code] : index) {
        code = static_cast<std::int32_t>(g.labels.size());
        g.labels.push_back(format_day(day));
    }
    g.owned.resize(rows);
    for (std::size_t i = 0; i < rows; ++i)
        g.owned[i] = c.seconds[static_cast<Eigen::Index>(i)] == missing_time ? missing_code
                                                                             : index[start[i]];
    g.codes = g.owned;
    return g;
}

std::vector<std::uint64_t> sizes(grouping const& g) {
    std::vector<std::uint64_t> n(g.labels.size(), 0);
    for (auto code : g.codes)
        if (code != missing_code) ++n[static_cast<std::size_t>(code)];
    return n;
}

namespace {

// Runs fn(begin, end, part) over `parts` slices of [0, rows) on as many threads.
template <class Fn>
void in_parallel(std::size_t rows, std::size_t parts, Fn fn) {
    std::vector<std::thread> threads;
    for (std::size_t p = 1; p < parts; ++p)
        threads.emplace_back(fn, rows * p / parts, rows * (p + 1) / parts, p);
    fn(std::size_t{0}, rows / parts, std::size_t{0});
    for (auto& t : threads) t.join();
}

std::size_t parts_for(std::size_t rows) {
    std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
    return std::clamp<std::size_t>(rows >> 20, 1, cores);  // threads pay off from ~1M rows
}

// Where each byte of a scale lands in a group's row of counters: its bucket, then one
// slot for missing and one for values outside the scale (a broken invariant).
struct layout {
    std::array<std::uint16_t, 256> slot{};
    std::size_t width = 0;  // hi - lo + 1
    std::size_t stride = 0;
    std::int8_t lo = 0, hi = 0;

    explicit layout(scale_column const& c) : width(static_cast<std::size_t>(c.hi - c.lo + 1)),
                                             stride(width + 2), lo(c.lo), hi(c.hi) {
        for (int v = -128; v < 128; ++v)
            slot[static_cast<std::uint8_t>(v)] = static_cast<std::uint16_t>(
                v == missing_scale      ? width
                : v < c.lo || v > c.hi ? width + 1
                                       : static_cast<std::size_t>(v - c.lo));
    }
};

void check_invalid(layout const& l, std::size_t groups, auto const& counts) {
    for (std::size_t g = 0; g < groups; ++g)
        if (counts[g * l.stride + l.width + 1] != 0)
            throw std::out_of_range("stats::histograms_by: value outside the scale");
}

// The hot loop, unrolled for the usual few columns (NPS, CSAT, CES in one pass).
template <std::size_t K>
void count_fixed(std::int32_t const* codes, std::span<scale_column const* const> columns,
                 std::vector<layout> const& layouts, std::vector<std::size_t> const& offset,
                 std::size_t row, std::size_t from, std::size_t to, std::uint32_t* table) {
    std::array<std::int8_t const*, K> values;
    std::array<std::uint16_t const*, K> slot;
    std::array<std::size_t, K> off;
    for (std::size_t j = 0; j < K; ++j) {
        values[j] = columns[j]->values.data();
        slot[j] = layouts[j].slot.data();
        off[j] = offset[j];
    }
    for (std::size_t i = from; i < to; ++i) {
        auto code = codes[i];
        if (code < 0) continue;
        std::uint32_t* base = table + static_cast<std::size_t>(code) * row;
        for (std::size_t j = 0; j < K; ++j) ++base[off[j] + slot[j][static_cast<std::uint8_t>(values[j][i])]];
    }
}

void count_rows(std::int32_t const* codes, std::span<scale_column const* const> columns,
                std::vector<layout> const& layouts, std::vector<std::size_t> const& offset,
                std::size_t row, std::size_t from, std::size_t to, std::uint32_t* table) {
    switch (columns.size()) {
    case 1: return count_fixed<1>(codes, columns, layouts, offset, row, from, to, table);
    case 2: return count_fixed<2>(codes, columns, layouts, offset, row, from, to, table);
    case 3: return count_fixed<3>(codes, columns, layouts, offset, row, from, to, table);
    case 4: return count_fixed<4>(codes, columns, layouts, offset, row, from, to, table);
    default:
        for (std::size_t j = 0; j < columns.size(); j += 4) {
            auto part = columns.subspan(j, std::min<std::size_t>(4, columns.size() - j));
            std::vector<layout> l(layouts.begin() + static_cast<std::ptrdiff_t>(j),
                                  layouts.begin() + static_cast<std::ptrdiff_t>(j + part.size()));
            std::vector<std::size_t> o(offset.begin() + static_cast<std::ptrdiff_t>(j), offset.end());
            count_rows(codes, part, l, o, row, from, to, table);
        }
    }
}

}  // namespace

std::vector<std::vector<histogram>> histograms_by(grouping const& g,
                                                  std::span<scale_column const* const> columns,
                                                  weights const& wt) {
    std::size_t rows = g.codes.size(), groups = g.labels.size(), k = columns.size();
    for (auto const* c : columns)
        if (static_cast<std::size_t>(c->values.size()) != rows)
            throw std::invalid_argument("stats::histograms_by: column and grouping differ in length");
    bool weighted = wt.size() != 0;
    if (weighted && static_cast<std::size_t>(wt.size()) != rows)
        throw std::invalid_argument("stats::histograms_by: weights and grouping differ in length");

    std::vector<layout> layouts;
    for (auto const* c : columns) layouts.emplace_back(*c);
    std::size_t parts = parts_for(rows);
    // counts[part][column][group * stride + slot]; weighted sums alongside when weighted.
    std::vector<std::vector<std::vector<std::uint64_t>>> counts(parts);
    std::vector<std::vector<std::vector<double>>> sw(parts), sw2(parts);
    // Unweighted: one row of 32-bit counters per group holding every column's slots side
    // by side, so a card touches one or two cache lines and the tables of 1000s of groups
    // stay in L2. Flushed to 64 bits before they could overflow.
    std::vector<std::size_t> offset(k + 1, 0);
    for (std::size_t j = 0; j < k; ++j) offset[j + 1] = offset[j] + layouts[j].stride;
    std::size_t row = offset[k];
    in_parallel(rows, parts, [&](std::size_t begin, std::size_t end, std::size_t part) {
        auto& n = counts[part];
        for (auto const& l : layouts) n.emplace_back(groups * l.stride, 0);
        if (!weighted) {
            std::vector<std::uint32_t> small(groups * row, 0);
            constexpr std::size_t flush_every = std::size_t{1} << 31;
            for (std::size_t from = begin; from < end; from += flush_every) {
                std::size_t to = std::min(end, from + flush_every);
                count_rows(g.codes.data(), columns, layouts, offset, row, from, to, small.data());
                for (std::size_t grp = 0; grp < groups; ++grp)
                    for (std::size_t j = 0; j < k; ++j)
                        for (std::size_t s = 0; s < layouts[j].stride; ++s) {
                            auto& c = small[grp * row + offset[j] + s];
                            n[j][grp * layouts[j].stride + s] += c;
                            c = 0;
                        }
            }
            return;
        }
        auto& a = sw[part];
        auto& b = sw2[part];
        for (auto const& l : layouts) {
            a.emplace_back(groups * l.stride, 0.0);
            b.emplace_back(groups * l.stride, 0.0);
        }
        for (std::size_t i = begin; i < end; ++i) {
            auto code = g.codes[i];
            if (code < 0) continue;
            double x = wt[static_cast<Eigen::Index>(i)];
            for (std::size_t j = 0; j < k; ++j) {
                auto s = static_cast<std::size_t>(code) * layouts[j].stride +
                         layouts[j].slot[static_cast<std::uint8_t>(columns[j]->values[static_cast<Eigen::Index>(i)])];
                ++n[j][s];
                a[j][s] += x;
                b[j][s] += x * x;
            }
        }
    });

    std::vector<std::vector<histogram>> out(k);
    for (std::size_t j = 0; j < k; ++j) {
        auto const& l = layouts[j];
        for (std::size_t p = 0; p < parts; ++p) check_invalid(l, groups, counts[p][j]);
        out[j].assign(groups, histogram(l.lo, l.hi));
        for (std::size_t grp = 0; grp < groups; ++grp) {
            auto& h = out[j][grp];
            for (std::size_t b = 0; b < l.width; ++b)
                for (std::size_t p = 0; p < parts; ++p) {
                    auto s = grp * l.stride + b;
                    h.n[b] += counts[p][j][s];
                    h.w[b] += weighted ? sw[p][j][s] : static_cast<double>(counts[p][j][s]);
                    h.w2[b] += weighted ? sw2[p][j][s] : static_cast<double>(counts[p][j][s]);
                }
        }
    }
    return out;
}

std::vector<moments> moments_by(grouping const& g, number_column const& c, weights const& wt) {
    std::vector<moments> out(g.labels.size());
    bool weighted = wt.size() != 0;
    for (std::size_t i = 0; i < g.codes.size(); ++i) {
        auto code = g.codes[i];
        auto row = static_cast<Eigen::Index>(i);
        if (code < 0 || std::isnan(c.values[row])) continue;
        out[static_cast<std::size_t>(code)].add(c.values[row], weighted ? wt[row] : 1.0);
    }
    return out;
}

}  // namespace candor::stats
