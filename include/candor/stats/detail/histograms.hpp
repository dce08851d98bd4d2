// The counting pass of histograms_by, a template over the code and answer types so that the
// caller's arrays are read as they are. Part of segments.hpp.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <span>
#include <system_error>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "candor/stats/segments.hpp"

namespace candor::stats::detail {

// Runs fn(begin, end, part) over `parts` slices of [0, rows), on as many threads; the
// slices a thread could not be started for run on this one.
template <class Fn>
void in_parallel(std::size_t rows, std::size_t parts, Fn fn) {
    std::vector<std::thread> threads;
    std::size_t p = 1;
    try {
        for (; p < parts; ++p)
            threads.emplace_back(fn, rows * p / parts, rows * (p + 1) / parts, p);
    } catch (std::system_error const&) {
    }
    fn(std::size_t{0}, rows / parts, std::size_t{0});
    for (; p < parts; ++p) fn(rows * p / parts, rows * (p + 1) / parts, p);
    for (auto& t : threads) t.join();
}

// The threads for `rows` rows: at most `threads` (0 counts as 1), each with
// min_rows_per_thread rows or more.
inline std::size_t threads_for(std::size_t rows, unsigned threads) {
    return std::clamp<std::size_t>(rows / min_rows_per_thread, 1, std::max(1u, threads));
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

    layout(std::int8_t low, std::int8_t high, std::size_t at)
        : width(static_cast<std::size_t>(high - low + 1)),
          stride(width + 2),
          offset(at),
          lo(low),
          hi(high) {
        for (int v = -128; v < 128; ++v)
            slot[static_cast<std::uint8_t>(v)] = static_cast<std::uint32_t>(
                at + (v == missing_scale    ? width
                      : v < low || v > high ? width + 1
                                            : static_cast<std::size_t>(v - low)));
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

// A group's row of counters: every column's slots side by side.
inline std::size_t row_of(std::span<layout const> layouts) {
    return layouts.empty() ? 0 : layouts.back().offset + layouts.back().stride;
}

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
// groups are counted, not reported: this runs on a worker thread.
struct tally {
    std::vector<std::uint64_t> n;
    std::vector<double> w, w2;
    std::uint64_t bad_code = 0;
};

// The layouts of the columns' scales (all columns of a group side by side), or "bad-scale".
result<std::vector<layout>> layouts_for(std::span<std::pair<std::int8_t, std::int8_t> const> ends);
// The histograms of the slices' tallies, or "bad-group" / "out-of-range".
result<histogram_table> histograms_of(std::span<tally const> parts, std::span<layout const> layouts,
                                      std::size_t groups, bool weighted);

// Each span holds columns of one element type, counted in a pass of its own. Counts are
// integers: one tally per thread, merged in any order. Weighted sums are not associative:
// they are added up per block of weighted_block_rows rows and the blocks folded in row
// order, so that any number of threads gives the same bits (one tally).
template <class C, class... V>
std::vector<tally> count_all(C const* codes, std::size_t rows, std::size_t groups,
                             std::vector<layout> const& layouts, std::span<double const> wt,
                             unsigned threads, std::span<scale_span<V> const>... columns) {
    std::size_t const row = row_of(layouts);
    std::size_t const size = groups * row;
    // fn(columns as counted<V> from row `at`), once per element type.
    auto each_type = [&](std::size_t at, auto fn) {
        std::size_t first = 0;
        auto one = [&]<class W>(std::span<scale_span<W> const> cols) {
            std::vector<counted<W>> c;
            for (std::size_t j = 0; j < cols.size(); ++j)
                c.push_back({cols[j].values.data() + at, layouts[first + j].slot.data(),
                             layouts[first + j].missing()});
            first += cols.size();
            if (!c.empty()) fn(std::span<counted<W> const>(c));
        };
        (one(columns), ...);
    };
    auto codes_at = [&](std::size_t at) {
        if constexpr (std::is_void_v<C>)
            return codes;
        else
            return codes + at;
    };
    // Every table is allocated here, before any thread starts: a worker allocates nothing.
    if (wt.empty()) {
        std::size_t const parts = threads_for(rows, threads);
        std::vector<tally> out(parts);
        // 32-bit counters, so that the tables of 1000s of groups stay in L2 and a card
        // touches one or two cache lines; flushed to 64 bits before they could overflow.
        std::vector<std::vector<std::uint32_t>> small(parts);
        for (std::size_t p = 0; p < parts; ++p) {
            out[p].n.assign(size, 0);
            small[p].assign(size, 0);
        }
        in_parallel(rows, parts, [&](std::size_t begin, std::size_t end, std::size_t part) {
            auto& t = out[part];
            auto& counts = small[part];
            constexpr std::size_t flush_every = std::size_t{1} << 31;
            for (std::size_t from = begin; from < end; from += flush_every) {
                std::size_t n = std::min(end - from, flush_every);
                each_type(from, [&](auto cols) {
                    t.bad_code += count_rows(codes_at(from), groups, cols, row, n, counts.data());
                });
                for (std::size_t s = 0; s < size; ++s) {
                    t.n[s] += counts[s];
                    counts[s] = 0;
                }
            }
        });
        return out;
    }
    std::size_t const blocks = (rows + weighted_block_rows - 1) / weighted_block_rows;
    std::size_t const workers =
        std::min(threads_for(rows, threads), std::max<std::size_t>(blocks, 1));
    std::vector<tally> out(1), local(workers);
    // Zeroes in place, with no allocation once sized.
    auto zeroed = [size](tally& t) {
        t.n.assign(size, 0);
        t.w.assign(size, 0.0);
        t.w2.assign(size, 0.0);
    };
    zeroed(out[0]);
    for (auto& t : local) zeroed(t);
    std::mutex m;
    std::condition_variable turn;
    std::size_t folded = 0, next = 0;  // both under m
    in_parallel(workers, workers, [&](std::size_t, std::size_t, std::size_t part) {
        auto& t = local[part];
        for (;;) {
            std::size_t b;
            {
                std::lock_guard lock(m);
                b = next++;
            }
            if (b >= blocks) return;
            std::size_t const begin = b * weighted_block_rows,
                              end = std::min(rows, begin + weighted_block_rows);
            zeroed(t);
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
            std::unique_lock lock(m);
            turn.wait(lock, [&] { return folded == b; });
            auto& all = out[0];
            for (std::size_t s = 0; s < size; ++s) {
                all.n[s] += t.n[s];
                all.w[s] += t.w[s];
                all.w2[s] += t.w2[s];
            }
            all.bad_code += std::exchange(t.bad_code, 0);
            ++folded;
            turn.notify_all();
        }
    });
    return out;
}

// histograms_by of `code_rows` codes (C = void: none, every row in group 0).
template <class C, class... V>
result<histogram_table> histograms_by(C const* codes, std::size_t code_rows, std::size_t groups,
                                      std::span<double const> weights, unsigned threads,
                                      std::span<scale_span<V> const>... columns) {
    static_assert(std::is_void_v<C> || (std::is_integral_v<C> && std::is_signed_v<C>),
                  "group codes are signed integers (negative: in no group)");
    static_assert(((std::is_integral_v<V> || std::is_floating_point_v<V>)&&...),
                  "answers are integers or floating-point numbers");
    std::vector<std::pair<std::int8_t, std::int8_t>> ends;
    std::vector<std::size_t> lengths;
    auto note = [&](auto cols) {
        for (auto const& c : cols) {
            ends.emplace_back(c.lo, c.hi);
            lengths.push_back(c.values.size());
        }
    };
    (note(columns), ...);
    std::size_t rows = !lengths.empty() ? lengths.front() : std::is_void_v<C> ? 0 : code_rows;
    for (auto n : lengths)
        if (n != rows || (!std::is_void_v<C> && code_rows != rows))
            return fail("length-mismatch", "columns and codes differ in length");
    if (!weights.empty() && weights.size() != rows)
        return fail("length-mismatch", "weights and columns differ in length");
    auto layouts = layouts_for(ends);
    if (!layouts) return unexpected(std::move(layouts.error()));
    auto parts = count_all<C, V...>(codes, rows, groups, *layouts, weights, threads, columns...);
    return histograms_of(parts, *layouts, groups, !weights.empty());
}

}  // namespace candor::stats::detail

namespace candor::stats {

template <class C, class V>
result<histogram_table> histograms_by(std::span<C const> codes, std::size_t groups,
                                      std::span<scale_span<V> const> columns,
                                      std::span<double const> weights, unsigned threads) {
    return detail::histograms_by<C, V>(codes.data(), codes.size(), groups, weights, threads,
                                       columns);
}

template <class C, class... V>
result<histogram_table> histograms_by(std::span<C const> codes, std::size_t groups,
                                      std::span<double const> weights,
                                      std::span<scale_span<V> const>... columns) {
    return detail::histograms_by<C, V...>(codes.data(), codes.size(), groups, weights,
                                          std::thread::hardware_concurrency(), columns...);
}

template <class C, class... V>
result<histogram_table> histograms_by(std::span<C const> codes, std::size_t groups,
                                      std::span<double const> weights, unsigned threads,
                                      std::span<scale_span<V> const>... columns) {
    return detail::histograms_by<C, V...>(codes.data(), codes.size(), groups, weights, threads,
                                          columns...);
}

template <class V>
result<histogram> histogram_of(scale_span<V> const& column, std::span<double const> weights,
                               unsigned threads) {
    auto h = detail::histograms_by<void, V>(nullptr, 0, 1, weights, threads, std::span(&column, 1));
    if (!h) return unexpected(std::move(h.error()));
    return std::move((*h)[0][0]);
}

}  // namespace candor::stats
