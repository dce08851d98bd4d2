// The multivariate figures of arrays the caller owns (numpy arrays, pandas columns, C
// arrays), read in place: comoments built a block of rows at a time, without first copying
// the columns into a stats::frame. (The scale figures need no help of this kind:
// stats::histograms_by reads such arrays itself.)
// Thread safety: value types and pure functions; the arrays are only read, so several calls
// may read the same arrays at once.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include <Eigen/Core>

#include "candor/stats/aggregate.hpp"
#include "candor/stats/frame.hpp"

namespace candor::stats {

// A skipped answer: candor's -128 in a signed integer array (as in scale_column),
// NaN in a floating-point one. Unsigned arrays have no missing value.
template <class V>
bool is_missing(V v) noexcept {
    if constexpr (std::is_floating_point_v<V>)
        return std::isnan(v);
    else if constexpr (std::is_signed_v<V>)
        return v == static_cast<V>(missing_scale);
    else
        return false;
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
            return is_missing(v) ? std::numeric_limits<double>::quiet_NaN()
                                 : static_cast<double>(v);
        };
        switch (t) {
            case type::i8:
                return get(static_cast<std::int8_t const*>(data));
            case type::i16:
                return get(static_cast<std::int16_t const*>(data));
            case type::i32:
                return get(static_cast<std::int32_t const*>(data));
            case type::i64:
                return get(static_cast<std::int64_t const*>(data));
            case type::u8:
                return get(static_cast<std::uint8_t const*>(data));
            case type::f32:
                return get(static_cast<float const*>(data));
            case type::f64:
                return get(static_cast<double const*>(data));
        }
        return std::numeric_limits<double>::quiet_NaN();
    }
};

// Comoments of the columns over the rows where all are present (listwise), gathered a
// block of rows at a time: the columns themselves are never copied whole.
inline comoments comoments_of(std::vector<numeric_view> const& columns, std::size_t rows,
                              double const* w = nullptr) {
    auto k = static_cast<Eigen::Index>(columns.size());
    comoments all(k);
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

}  // namespace candor::stats
