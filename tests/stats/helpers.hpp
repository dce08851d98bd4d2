// Building small frames by hand for the stats tests.
#pragma once

#include <cmath>
#include <initializer_list>
#include <random>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "candor/stats/frame.hpp"

namespace candor::stats::test {

inline constexpr int na = missing_scale;

inline scale_column scale(std::vector<int> const& v, int lo, int hi) {
    scale_column c;
    c.values.resize(static_cast<Eigen::Index>(v.size()));
    for (std::size_t i = 0; i < v.size(); ++i)
        c.values[static_cast<Eigen::Index>(i)] = static_cast<std::int8_t>(v[i]);
    c.lo = static_cast<std::int8_t>(lo);
    c.hi = static_cast<std::int8_t>(hi);
    return c;
}

inline category_column category(std::vector<int> const& codes, std::vector<std::string> labels) {
    category_column c;
    c.codes.resize(static_cast<Eigen::Index>(codes.size()));
    for (std::size_t i = 0; i < codes.size(); ++i) c.codes[static_cast<Eigen::Index>(i)] = codes[i];
    c.labels = std::move(labels);
    return c;
}

inline Eigen::ArrayXd array(std::vector<double> const& v) {
    return Eigen::Map<Eigen::ArrayXd const>(v.data(), static_cast<Eigen::Index>(v.size()));
}

// a == b to 1e-9 relative (absolute near zero).
inline bool close(double a, double b, double rel = 1e-9) {
    return std::abs(a - b) <= rel * std::max({1.0, std::abs(a), std::abs(b)});
}

}  // namespace candor::stats::test
