#include "candor/stats/segments.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <thread>
#include <type_traits>

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

// Where each byte of a scale lands in a group's row of counters: its bucket, then one
// slot for missing and one for values outside the scale.
struct layout {
    std::array<std::uint16_t, 256> slot{};
    std::size_t width = 0;  // hi - lo + 1
    std::size_t stride = 0;
    std::int8_t lo = 0, hi = 0;

    explicit layout(scale_span const& c)
        : width(static_cast<std::size_t>(c.hi - c.lo + 1)), stride(width + 2), lo(c.lo), hi(c.hi) {
        for (int v = -128; v < 128; ++v)
            slot[static_cast<std::uint8_t>(v)] = static_cast<std::uint16_t>(
                v == missing_scale     ? width
                : v < c.lo || v > c.hi ? width + 1
                                       : static_cast<std::size_t>(v - c.lo));
    }
};

// Rows of a wider array are narrowed to bytes this many at a time (a few KB per column,
// in L1), so that one counting loop serves every element type.
constexpr std::size_t block_rows = 4096;

// v[0..n) as answers in bytes; returns how many no byte holds (off every scale).
template <class V>
std::size_t narrow(V const* v, std::size_t n, std::int8_t* out) {
    std::size_t bad = 0;
    for (std::size_t i = 0; i < n; ++i) {
        V x = v[i];
        bool ok;
        if constexpr (std::is_floating_point_v<V>) {
            if (std::isnan(x)) {
                out[i] = missing_scale;
                continue;
            }
            ok = x >= -127 && x <= 127 && x == std::floor(x);
        } else if constexpr (std::is_signed_v<V>) {
            ok = x >= missing_scale && x <= 127;  // -128 is missing_scale in any width
        } else {
            ok = x <= 127;
        }
        bad += !ok;
        out[i] = ok ? static_cast<std::int8_t>(x) : std::int8_t{0};
    }
    return bad;
}

// Rows [from, from + n) of a column as bytes: in place when it holds bytes, else narrowed
// into buf. `bad` counts the values no byte holds.
std::int8_t const* bytes(scale_span const& c, std::size_t from, std::size_t n, std::int8_t* buf,
                         std::uint64_t& bad) {
    return std::visit(
        [&](auto s) -> std::int8_t const* {
            if constexpr (std::is_same_v<typename decltype(s)::value_type, std::int8_t>) {
                return s.data() + from;
            } else {
                bad += narrow(s.data() + from, n, buf);
                return buf;
            }
        },
        c.values);
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

// The hot loop, unrolled for the usual few columns (NPS, CSAT, CES in one pass). Every
// bound by value: a store to a counter must not make the compiler reload them.
template <std::size_t K, class C>
std::uint64_t count_fixed(C const* codes, std::size_t groups, std::int8_t const* const* values,
                          std::vector<layout> const& layouts, std::size_t const* offset,
                          std::size_t row, std::size_t n, std::uint32_t* table) {
    std::array<std::int8_t const*, K> v;
    std::array<std::uint16_t const*, K> slot;
    std::array<std::size_t, K> off;
    for (std::size_t j = 0; j < K; ++j) {
        v[j] = values[j];
        slot[j] = layouts[j].slot.data();
        off[j] = offset[j];
    }
    std::uint64_t bad = 0;
    for (std::size_t i = 0; i < n; ++i) {
        auto g = group_of(codes, i, groups, bad);
        if (g == groups) continue;
        std::uint32_t* base = table + g * row;
        for (std::size_t j = 0; j < K; ++j)
            ++base[off[j] + slot[j][static_cast<std::uint8_t>(v[j][i])]];
    }
    return bad;
}

template <class C>
std::uint64_t count_rows(C const* codes, std::size_t groups, std::int8_t const* const* values,
                         std::vector<layout> const& layouts, std::size_t const* offset,
                         std::size_t row, std::size_t n, std::uint32_t* table) {
    switch (layouts.size()) {
        case 1:
            return count_fixed<1>(codes, groups, values, layouts, offset, row, n, table);
        case 2:
            return count_fixed<2>(codes, groups, values, layouts, offset, row, n, table);
        case 3:
            return count_fixed<3>(codes, groups, values, layouts, offset, row, n, table);
        case 4:
            return count_fixed<4>(codes, groups, values, layouts, offset, row, n, table);
        default:
            break;
    }
    std::uint64_t bad = 0;
    for (std::size_t j = 0; j < layouts.size(); j += 4) {
        std::vector<layout> part(
            layouts.begin() + static_cast<std::ptrdiff_t>(j),
            layouts.begin() + static_cast<std::ptrdiff_t>(std::min(j + 4, layouts.size())));
        bad += count_rows(codes, groups, values + j, part, offset + j, row, n, table);
    }
    return bad;
}

// The counts of one slice of rows: per column, groups * stride slots; the weighted sums
// alongside when weighted. Codes >= groups and values off every byte are counted, not
// thrown: this runs on a worker thread.
struct tally {
    std::vector<std::vector<std::uint64_t>> n;
    std::vector<std::vector<double>> w, w2;
    std::uint64_t bad_code = 0, bad_value = 0;
};

template <class C>
std::vector<tally> count_all(C const* codes, std::size_t rows, std::size_t groups,
                             std::span<scale_span const> columns,
                             std::vector<layout> const& layouts, std::span<double const> wt) {
    std::size_t const k = columns.size();
    bool const weighted = !wt.empty();
    bool const all_bytes = std::all_of(columns.begin(), columns.end(), [](scale_span const& c) {
        return std::holds_alternative<std::span<std::int8_t const>>(c.values);
    });
    // Unweighted: one row of 32-bit counters per group holding every column's slots side
    // by side, so a card touches one or two cache lines and the tables of 1000s of groups
    // stay in L2. Flushed to 64 bits before they could overflow.
    std::vector<std::size_t> offset(k + 1, 0);
    for (std::size_t j = 0; j < k; ++j) offset[j + 1] = offset[j] + layouts[j].stride;
    std::size_t const row = offset[k];
    std::size_t const parts = parts_for(rows);
    std::vector<tally> out(parts);
    in_parallel(rows, parts, [&](std::size_t begin, std::size_t end, std::size_t part) {
        auto& t = out[part];
        for (auto const& l : layouts) t.n.emplace_back(groups * l.stride, 0);
        if (weighted)
            for (auto const& l : layouts) {
                t.w.emplace_back(groups * l.stride, 0.0);
                t.w2.emplace_back(groups * l.stride, 0.0);
            }
        std::vector<std::int8_t> buf(all_bytes ? 0 : k * block_rows);
        std::vector<std::int8_t const*> values(k);
        // fn(first row, rows, values) over [from, to), a block at a time unless all bytes.
        auto blocks = [&](std::size_t from, std::size_t to, auto fn) {
            for (std::size_t at = from; at < to;) {
                std::size_t n = all_bytes ? to - at : std::min(block_rows, to - at);
                for (std::size_t j = 0; j < k; ++j)
                    values[j] = bytes(columns[j], at, n, buf.data() + j * block_rows, t.bad_value);
                fn(at, n);
                at += n;
            }
        };
        auto codes_at = [&](std::size_t at) {
            if constexpr (std::is_void_v<C>)
                return codes;
            else
                return codes + at;
        };
        if (!weighted) {
            std::vector<std::uint32_t> small(groups * row, 0);
            constexpr std::size_t flush_every = std::size_t{1} << 31;
            for (std::size_t from = begin; from < end; from += flush_every) {
                blocks(from, std::min(end, from + flush_every), [&](std::size_t at, std::size_t n) {
                    t.bad_code += count_rows(codes_at(at), groups, values.data(), layouts,
                                             offset.data(), row, n, small.data());
                });
                for (std::size_t g = 0; g < groups; ++g)
                    for (std::size_t j = 0; j < k; ++j)
                        for (std::size_t s = 0; s < layouts[j].stride; ++s) {
                            auto& c = small[g * row + offset[j] + s];
                            t.n[j][g * layouts[j].stride + s] += c;
                            c = 0;
                        }
            }
            return;
        }
        blocks(begin, end, [&](std::size_t at, std::size_t n) {
            for (std::size_t i = 0; i < n; ++i) {
                auto g = group_of(codes_at(at), i, groups, t.bad_code);
                if (g == groups) continue;
                double x = wt[at + i];
                for (std::size_t j = 0; j < k; ++j) {
                    auto s = g * layouts[j].stride +
                             layouts[j].slot[static_cast<std::uint8_t>(values[j][i])];
                    ++t.n[j][s];
                    t.w[j][s] += x;
                    t.w2[j][s] += x * x;
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
    for (auto const& c : columns) {
        if (c.lo < -127 || c.hi < c.lo)
            throw std::invalid_argument("stats::histograms_by: a scale must lie within -127..127");
        layouts.emplace_back(c);
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
    for (auto const& t : parts) {
        if (t.bad_code != 0)
            throw std::out_of_range(
                "stats::histograms_by: a group code is not below the number of groups (" +
                std::to_string(groups) + ")");
        if (t.bad_value != 0)
            throw std::out_of_range(
                "stats::histograms_by: a value outside the scale (not an integer in -127..127)");
    }
    for (std::size_t j = 0; j < columns.size(); ++j) {
        auto const& l = layouts[j];
        out[j].assign(groups, histogram(l.lo, l.hi));
        for (auto const& t : parts)
            for (std::size_t g = 0; g < groups; ++g)
                if (t.n[j][g * l.stride + l.width + 1] != 0)
                    throw std::out_of_range("stats::histograms_by: a value outside the scale " +
                                            std::to_string(l.lo) + ".." + std::to_string(l.hi) +
                                            " (and not a missing answer)");
        for (std::size_t g = 0; g < groups; ++g) {
            auto& h = out[j][g];
            for (std::size_t b = 0; b < l.width; ++b)
                for (auto const& t : parts) {
                    auto s = g * l.stride + b;
                    h.n[b] += t.n[j][s];
                    h.w[b] += weighted ? t.w[j][s] : static_cast<double>(t.n[j][s]);
                    h.w2[b] += weighted ? t.w2[j][s] : static_cast<double>(t.n[j][s]);
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
