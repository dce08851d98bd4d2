// Figures of arrays the caller owns (a numpy array, a pandas column, a C array), read in
// place: the bindings' way into candor::stats without first copying columns into a
// stats::frame. The pass builds the library's own mergeable aggregates (stats::histogram,
// stats::comoments); every figure is then computed by the library from those.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include <Eigen/Core>

#include "candor/stats/aggregate.hpp"
#include "candor/stats/frame.hpp"

namespace candor::bindings {

// Input the caller can fix: a value outside the scale, a group code without a label.
class value_error : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// A skipped answer: candor's -128 in a signed integer array (as in stats::scale_column),
// NaN in a floating-point one. Unsigned arrays have no missing value.
template <class V>
bool is_missing(V v) noexcept {
    if constexpr (std::is_floating_point_v<V>)
        return std::isnan(v);
    else if constexpr (std::is_signed_v<V>)
        return v == static_cast<V>(stats::missing_scale);
    else
        return false;
}

namespace detail {

// Slot of a value in a group's counters: 0..width-1 its bucket, width missing, width+1
// not on the scale.
template <class V>
struct slotter {
    int lo;
    std::size_t width;
    std::array<std::uint16_t, 256> table{};  // for one-byte types

    slotter(int low, int high) : lo(low), width(static_cast<std::size_t>(high - low + 1)) {
        if constexpr (sizeof(V) == 1 && std::is_integral_v<V>)
            for (int b = 0; b < 256; ++b) table[static_cast<std::size_t>(b)] = slow(static_cast<V>(b));
    }
    std::uint16_t slow(V v) const noexcept {
        if (is_missing(v)) return static_cast<std::uint16_t>(width);
        if constexpr (std::is_floating_point_v<V>) {
            double r = static_cast<double>(v) - lo;
            if (r >= 0 && r < static_cast<double>(width) && r == std::floor(r))
                return static_cast<std::uint16_t>(r);
        } else {
            auto d = static_cast<std::int64_t>(v) - lo;
            if (d >= 0 && static_cast<std::uint64_t>(d) < width) return static_cast<std::uint16_t>(d);
        }
        return static_cast<std::uint16_t>(width + 1);
    }
    std::uint16_t operator()(V v) const noexcept {
        if constexpr (sizeof(V) == 1 && std::is_integral_v<V>)
            return table[static_cast<std::uint8_t>(v)];
        else
            return slow(v);
    }
};

inline std::size_t parts_for(std::size_t rows) {
    std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
    return std::clamp<std::size_t>(rows >> 20, 1, cores);  // threads pay off from ~1M rows
}

// fn(begin, end, part) over `parts` slices of [0, rows), one thread each.
template <class Fn>
void in_parallel(std::size_t rows, std::size_t parts, Fn fn) {
    std::vector<std::thread> threads;
    for (std::size_t p = 1; p < parts; ++p)
        threads.emplace_back(fn, rows * p / parts, rows * (p + 1) / parts, p);
    fn(std::size_t{0}, rows / parts, std::size_t{0});
    for (auto& t : threads) t.join();
}

}  // namespace detail

namespace detail {

// The hot loop of one slice, unweighted, into 32-bit counters. Everything by value: a
// store to a counter must not make the compiler reload the bounds (an uint64_t store
// may alias a size_t held by reference). Returns the rows whose code is >= groups.
template <class V, class C>
std::uint64_t count_slice(V const* values, C const* codes, std::size_t from, std::size_t to,
                          std::size_t groups, std::size_t stride, slotter<V> const& slot,
                          std::uint32_t* table) {
    std::uint64_t bad = 0;
    if (codes == nullptr) {
        for (std::size_t i = from; i < to; ++i) ++table[slot(values[i])];
        return 0;
    }
    for (std::size_t i = from; i < to; ++i) {
        auto c = codes[i];
        if (c < 0) continue;
        auto g = static_cast<std::size_t>(c);
        if (g >= groups) {
            ++bad;
            continue;
        }
        ++table[g * stride + slot(values[i])];
    }
    return bad;
}

template <class V, class C>
std::uint64_t sum_slice(V const* values, C const* codes, double const* w, std::size_t from,
                        std::size_t to, std::size_t groups, std::size_t stride,
                        slotter<V> const& slot, std::uint64_t* n, double* sw, double* sw2) {
    std::uint64_t bad = 0;
    for (std::size_t i = from; i < to; ++i) {
        std::size_t g = 0;
        if (codes != nullptr) {
            auto c = codes[i];
            if (c < 0) continue;
            g = static_cast<std::size_t>(c);
            if (g >= groups) {
                ++bad;
                continue;
            }
        }
        auto s = g * stride + slot(values[i]);
        ++n[s];
        sw[s] += w[i];
        sw2[s] += w[i] * w[i];
    }
    return bad;
}

}  // namespace detail

// One histogram per group of the answers `values[0..rows)` on the scale lo..hi. Row i is
// in group codes[i] when 0 <= codes[i] < groups, in none when codes[i] is negative (pandas
// and candor both mark a missing category -1); codes == nullptr puts every row in group 0.
// `w` (nullptr: unweighted) holds one weight per row. Throws value_error for a value off
// the scale or a code >= groups. Like stats::histograms_by: slices on threads from ~1M rows.
template <class V, class C = std::int32_t>
std::vector<stats::histogram> histograms_by(V const* values, std::size_t rows, C const* codes,
                                            std::size_t groups, int lo, int hi,
                                            double const* w = nullptr) {
    if (lo < -127 || hi > 127 || hi < lo) throw value_error("scale must lie within -127..127");
    if (codes == nullptr) groups = 1;
    detail::slotter<V> const slot(lo, hi);
    std::size_t const width = slot.width, stride = width + 2;
    std::size_t const parts = detail::parts_for(rows);
    std::vector<std::vector<std::uint64_t>> n(parts);
    std::vector<std::vector<double>> sw(parts), sw2(parts);
    std::vector<std::uint64_t> bad_code(parts, 0);
    detail::in_parallel(rows, parts, [&](std::size_t begin, std::size_t end, std::size_t part) {
        auto& count = n[part];
        count.assign(groups * stride, 0);
        if (w != nullptr) {
            sw[part].assign(groups * stride, 0.0);
            sw2[part].assign(groups * stride, 0.0);
            bad_code[part] = detail::sum_slice(values, codes, w, begin, end, groups, stride, slot,
                                               count.data(), sw[part].data(), sw2[part].data());
            return;
        }
        // 32-bit counters keep 1000s of groups in L2; flushed before they could overflow.
        std::vector<std::uint32_t> small(groups * stride, 0);
        constexpr std::size_t flush_every = std::size_t{1} << 31;
        std::uint64_t bad = 0;
        for (std::size_t from = begin; from < end; from += flush_every) {
            std::size_t to = std::min(end, from + flush_every);
            bad += detail::count_slice(values, codes, from, to, groups, stride, slot, small.data());
            for (std::size_t k = 0; k < small.size(); ++k) {
                count[k] += small[k];
                small[k] = 0;
            }
        }
        bad_code[part] = bad;
    });
    std::vector<stats::histogram> out(groups, stats::histogram(static_cast<std::int8_t>(lo),
                                                               static_cast<std::int8_t>(hi)));
    for (std::size_t p = 0; p < parts; ++p) {
        if (bad_code[p] != 0)
            throw value_error("a group code is not below the number of groups (" +
                              std::to_string(groups) + ")");
        for (std::size_t g = 0; g < groups; ++g) {
            if (n[p][g * stride + width + 1] != 0)
                throw value_error("a value is outside the scale " + std::to_string(lo) + ".." +
                                  std::to_string(hi) + " (and is not a missing marker)");
            auto& h = out[g];
            for (std::size_t k = 0; k < width; ++k) {
                auto c = n[p][g * stride + k];
                h.n[k] += c;
                h.w[k] += w ? sw[p][g * stride + k] : static_cast<double>(c);
                h.w2[k] += w ? sw2[p][g * stride + k] : static_cast<double>(c);
            }
        }
    }
    return out;
}

// A numeric column as the caller holds it, for the multivariate figures.
struct numeric_view {
    enum class type : std::uint8_t { i8, i16, i32, i64, u8, f32, f64 };
    type t = type::f64;
    void const* data = nullptr;

    // The value of row i as a double; NaN when missing (see is_missing).
    double at(std::size_t i) const noexcept {
        auto get = [&](auto const* p) {
            auto v = p[i];
            return is_missing(v) ? std::numeric_limits<double>::quiet_NaN() : static_cast<double>(v);
        };
        switch (t) {
        case type::i8: return get(static_cast<std::int8_t const*>(data));
        case type::i16: return get(static_cast<std::int16_t const*>(data));
        case type::i32: return get(static_cast<std::int32_t const*>(data));
        case type::i64: return get(static_cast<std::int64_t const*>(data));
        case type::u8: return get(static_cast<std::uint8_t const*>(data));
        case type::f32: return get(static_cast<float const*>(data));
        case type::f64: return get(static_cast<double const*>(data));
        }
        return std::numeric_limits<double>::quiet_NaN();
    }
};

// Comoments of the columns over the rows where all are present (listwise), gathered a
// block of rows at a time: the columns themselves are never copied whole.
inline stats::comoments comoments_of(std::vector<numeric_view> const& columns, std::size_t rows,
                                     double const* w = nullptr) {
    auto k = static_cast<Eigen::Index>(columns.size());
    stats::comoments all(k);
    constexpr Eigen::Index block = 4096;
    Eigen::MatrixXd x(block, k);
    Eigen::VectorXd bw(block);
    for (std::size_t from = 0; from < rows; from += block) {
        std::size_t to = std::min(rows, from + static_cast<std::size_t>(block));
        Eigen::Index len = 0;
        for (std::size_t i = from; i < to; ++i) {
            bool complete = !(w && std::isnan(w[i]));
            for (Eigen::Index j = 0; j < k && complete; ++j) {
                double v = columns[static_cast<std::size_t>(j)].at(i);
                if (std::isnan(v)) complete = false;
                x(len, j) = v;
            }
            if (!complete) continue;
            if (w) bw[len] = w[i];
            ++len;
        }
        all.add_block(x.topRows(len), w ? Eigen::VectorXd(bw.head(len)) : Eigen::VectorXd());
    }
    return all;
}

}  // namespace candor::bindings
