#include "candor/stats/segments.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <utility>

#include "candor/time.hpp"

namespace candor::stats {

grouping group_by(category_column const& c) {
    grouping g;
    g.codes =
        std::span<std::int32_t const>(c.codes.data(), static_cast<std::size_t>(c.codes.size()));
    g.labels = c.labels;
    return g;
}

result<period> parse_period(std::string_view text) {
    if (text == "day") return period::day;
    if (text == "week") return period::week;
    if (text == "month") return period::month;
    if (text == "quarter") return period::quarter;
    return fail("unknown-period", "unknown period '" + std::string(text) +
                                                  "' (day, week, month or quarter)");
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
        case period::day:
            return day;
        case period::week:
            return day - (day + 3 - floor_div(day + 3, 7) * 7);  // 1970-01-01 was a Thursday
        case period::month:
            civil_from_days(day, y, m, d);
            return days_from_civil(y, m, 1);
        case period::quarter:
            civil_from_days(day, y, m, d);
            return days_from_civil(y, (m - 1) / 3 * 3 + 1, 1);
    }
    return day;
}

grouping group_by(time_column const& c, period p) {
    return group_by(std::span(c.seconds.data(), static_cast<std::size_t>(c.seconds.size())), p);
}

grouping group_by(std::span<std::int64_t const> seconds, period p) {
    auto rows = seconds.size();
    std::vector<std::int64_t> start(rows);
    std::map<std::int64_t, std::int32_t> index;
    for (std::size_t i = 0; i < rows; ++i) {
        if (seconds[i] == missing_time) continue;
        start[i] = period_start(floor_div(seconds[i], 86400), p);
        index.emplace(start[i], 0);
    }
    grouping g;
    for (auto& [day, code] : index) {
        code = static_cast<std::int32_t>(g.labels.size());
        g.labels.push_back(format_day(day));
    }
    g.owned.resize(rows);
    for (std::size_t i = 0; i < rows; ++i)
        g.owned[i] = seconds[i] == missing_time ? missing_code : index[start[i]];
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

// Where each byte of a scale lands in a group's row of counters (all columns' slots side
// by side, this column's from `offset`): its bucket, then one slot for missing and one for
// values off the scale. The offset is in the table so that the loop needs no register for it.
struct layout {
    std::array<std::uint32_t, 256> slot{};
    std::size_t width = 0;  // hi - lo + 1
    std::size_t stride = 0;
    std::size_t offset = 0;
    std::int8_t lo = 0, hi = 0;

    layout(scale_span const& c, std::size_t at)
        : width(static_cast<std::size_t>(c.hi - c.lo + 1)),
          stride(width + 2),
          offset(at),
          lo(c.lo),
          hi(c.hi) {
        for (int v = -128; v < 128; ++v)
            slot[static_cast<std::uint8_t>(v)] = static_cast<std::uint32_t>(
                at + (v == missing_scale     ? width
                      : v < c.lo || v > c.hi ? width + 1
                                             : static_cast<std::size_t>(v - c.lo)));
    }
    std::size_t missing() const { return offset + width; }
};

// The slot of answer x, read as the caller's array holds it (no pass converts it): a byte
// through the layout's table; a value no byte holds (an integer beyond -128..127, a float
// not an integer in -127..127) is off the scale, the slot after `missing`. -128 is
// missing_scale in a signed integer array of any width, NaN in a floating-point one.
template <class V>
std::size_t slot_of(std::uint32_t const* slot, std::size_t missing, V x) {
    if constexpr (std::is_floating_point_v<V>) {
        if (x >= -127 && x <= 127) {
            auto b = static_cast<std::int8_t>(x);  // in range: truncates, defined
            if (b == x) return slot[static_cast<std::uint8_t>(b)];
        }
        return std::isnan(x) ? missing : missing + 1;
    } else {
        if (!std::in_range<std::int8_t>(x)) return missing + 1;
        return slot[static_cast<std::uint8_t>(static_cast<std::int8_t>(x))];
    }
}

// The group of row i, or `groups` for none and a count in `bad` for a code >= groups.
// C = void: no codes, every row in group 0.
template <class C>
std::size_t group_of(C const* codes, std::size_t i, std::size_t groups, std::uint64_t& bad) {
    if constexpr (std::is_void_v<C>) {
        return 0;
    } else {
        auto c = codes[i];
        if (c < 0) return groups;
        auto g = static_cast<std::size_t>(c);
        if (g >= groups) ++bad;
        return g >= groups ? groups : g;
    }
}

// One column as the counting loop reads it: its answers from the slice's first row, and
// where they land in a group's row of counters.
template <class V>
struct counted {
    V const* values;
    std::uint32_t const* slot;
    std::size_t missing;
};

// The hot loop, one per code type, answer type and number of columns (unrolled for the
// usual few: NPS, CSAT, CES in one pass). Every bound by value: a store to a counter must
// not make the compiler reload them.
template <std::size_t K, class C, class V>
std::uint64_t count_fixed(C const* codes, std::size_t groups, counted<V> const* columns,
                          std::size_t row, std::size_t n, std::uint32_t* table) {
    // Field by field, not an array of counted<V>: the compiler then keeps them in registers.
    std::array<V const*, K> v;
    std::array<std::uint32_t const*, K> slot;
    std::array<std::size_t, K> missing;
    for (std::size_t j = 0; j < K; ++j) {
        v[j] = columns[j].values;
        slot[j] = columns[j].slot;
        missing[j] = columns[j].missing;
    }
    std::uint64_t bad = 0;
    for (std::size_t i = 0; i < n; ++i) {
        auto g = group_of(codes, i, groups, bad);
        if (g == groups) continue;
        std::uint32_t* base = table + g * row;
        for (std::size_t j = 0; j < K; ++j) ++base[slot_of(slot[j], missing[j], v[j][i])];
    }
    return bad;
}

template <class C, class V>
std::uint64_t count_rows(C const* codes, std::size_t groups, std::span<counted<V> const> columns,
                         std::size_t row, std::size_t n, std::uint32_t* table) {
    switch (columns.size()) {
        case 1:
            return count_fixed<1>(codes, groups, columns.data(), row, n, table);
        case 2:
            return count_fixed<2>(codes, groups, columns.data(), row, n, table);
        case 3:
            return count_fixed<3>(codes, groups, columns.data(), row, n, table);
        case 4:
            return count_fixed<4>(codes, groups, columns.data(), row, n, table);
        default:
            break;
    }
    std::uint64_t bad = 0;
    for (std::size_t j = 0; j < columns.size(); j += 4)
        bad += count_rows(codes, groups,
                          columns.subspan(j, std::min<std::size_t>(4, columns.size() - j)), row, n,
                          table);
    return bad;
}

// The counts of one slice of rows, in the layout of the counting loop: per group a row of
// every column's slots side by side; the weighted sums alongside when weighted. Codes >=
// groups are counted, not thrown: this runs on a worker thread.
struct tally {
    std::vector<std::uint64_t> n;
    std::vector<double> w, w2;
    std::uint64_t bad_code = 0;
};

template <class C>
std::vector<tally> count_all(C const* codes, std::size_t rows, std::size_t groups,
                             std::span<scale_span const> columns,
                             std::vector<layout> const& layouts, std::span<double const> wt) {
    std::size_t const row = layouts.empty() ? 0 : layouts.back().offset + layouts.back().stride;
    // Columns of one element type are counted in one pass; one of another type (rare: a
    // DataFrame's columns are usually alike) in a pass of its own.
    std::vector<std::vector<std::size_t>> by_type(
        std::variant_size_v<decltype(scale_span::values)>);
    for (std::size_t j = 0; j < columns.size(); ++j)
        by_type[columns[j].values.index()].push_back(j);
    // fn(columns as counted<V> from row `at`), once per element type present.
    auto each_type = [&](std::size_t at, auto fn) {
        for (auto const& js : by_type) {
            if (js.empty()) continue;
            std::visit(
                [&](auto first) {
                    using S = decltype(first);
                    std::vector<counted<typename S::value_type>> cols;
                    for (auto j : js)
                        cols.push_back({std::get<S>(columns[j].values).data() + at,
                                        layouts[j].slot.data(), layouts[j].missing()});
                    fn(std::span<counted<typename S::value_type> const>(cols));
                },
                columns[js[0]].values);
        }
    };
    auto codes_at = [&](std::size_t at) {
        if constexpr (std::is_void_v<C>)
            return codes;
        else
            return codes + at;
    };
    std::size_t const parts = parts_for(rows);
    std::vector<tally> out(parts);
    in_parallel(rows, parts, [&](std::size_t begin, std::size_t end, std::size_t part) {
        auto& t = out[part];
        t.n.assign(groups * row, 0);
        if (wt.empty()) {
            // 32-bit counters, so that the tables of 1000s of groups stay in L2 and a card
            // touches one or two cache lines; flushed to 64 bits before they could overflow.
            std::vector<std::uint32_t> small(groups * row, 0);
            constexpr std::size_t flush_every = std::size_t{1} << 31;
            for (std::size_t from = begin; from < end; from += flush_every) {
                std::size_t n = std::min(end - from, flush_every);
                each_type(from, [&](auto cols) {
                    t.bad_code += count_rows(codes_at(from), groups, cols, row, n, small.data());
                });
                for (std::size_t s = 0; s < small.size(); ++s) {
                    t.n[s] += small[s];
                    small[s] = 0;
                }
            }
            return;
        }
        t.w.assign(groups * row, 0.0);
        t.w2.assign(groups * row, 0.0);
        each_type(begin, [&](auto cols) {
            for (std::size_t i = 0; i < end - begin; ++i) {
                auto g = group_of(codes_at(begin), i, groups, t.bad_code);
                if (g == groups) continue;
                double x = wt[begin + i];
                for (auto const& c : cols) {
                    auto s = g * row + slot_of(c.slot, c.missing, c.values[i]);
                    ++t.n[s];
                    t.w[s] += x;
                    t.w2[s] += x * x;
                }
            }
        });
    });
    return out;
}

std::size_t rows_of(scale_span const& c) {
    return std::visit([](auto s) { return s.size(); }, c.values);
}

}  // namespace

std::vector<std::vector<histogram>> histograms_by(code_span codes, std::size_t groups,
                                                  std::span<scale_span const> columns,
                                                  std::span<double const> weights) {
    auto code_rows = std::visit(
        [](auto s) -> std::size_t {
            if constexpr (std::is_same_v<decltype(s), std::monostate>)
                return SIZE_MAX;
            else
                return s.size();
        },
        codes);
    std::size_t rows = columns.empty() ? code_rows : rows_of(columns[0]);
    if (rows == SIZE_MAX) rows = 0;
    for (auto const& c : columns)
        if (rows_of(c) != rows || (code_rows != SIZE_MAX && code_rows != rows))
            throw std::invalid_argument("stats::histograms_by: columns and codes differ in length");
    if (!weights.empty() && weights.size() != rows)
        throw std::invalid_argument("stats::histograms_by: weights and columns differ in length");
    std::vector<layout> layouts;
    std::size_t row = 0;  // every column's slots of a group
    for (auto const& c : columns) {
        if (c.lo < -127 || c.hi < c.lo)
            throw std::invalid_argument("stats::histograms_by: a scale must lie within -127..127");
        layouts.emplace_back(c, row);
        row += layouts.back().stride;
    }

    auto parts = std::visit(
        [&](auto s) {
            if constexpr (std::is_same_v<decltype(s), std::monostate>)
                return count_all<void>(nullptr, rows, groups, columns, layouts, weights);
            else
                return count_all(s.data(), rows, groups, columns, layouts, weights);
        },
        codes);

    bool const weighted = !weights.empty();
    std::vector<std::vector<histogram>> out(columns.size());
    for (auto const& t : parts)
        if (t.bad_code != 0)
            throw std::out_of_range(
                "stats::histograms_by: a group code is not below the number of groups (" +
                std::to_string(groups) + ")");
    for (std::size_t j = 0; j < columns.size(); ++j) {
        auto const& l = layouts[j];
        out[j].assign(groups, histogram(l.lo, l.hi));
        for (auto const& t : parts)
            for (std::size_t g = 0; g < groups; ++g)
                if (t.n[g * row + l.missing() + 1] != 0)
                    throw std::out_of_range("stats::histograms_by: a value outside the scale " +
                                            std::to_string(l.lo) + ".." + std::to_string(l.hi) +
                                            " (and not a missing answer)");
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

std::vector<std::vector<histogram>> histograms_by(grouping const& g,
                                                  std::span<scale_column const* const> columns,
                                                  weights const& wt) {
    std::vector<scale_span> spans;
    for (auto const* c : columns)
        spans.push_back({std::span<std::int8_t const>(c->values.data(),
                                                      static_cast<std::size_t>(c->values.size())),
                         c->lo, c->hi});
    return histograms_by(g.codes, g.labels.size(), spans,
                         std::span<double const>(wt.data(), static_cast<std::size_t>(wt.size())));
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
