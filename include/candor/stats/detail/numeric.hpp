// A scale or number column read as doubles: what regression and reliability consume.
// Part of aggregate.hpp.
#pragma once

#include <cmath>
#include <string_view>

#include "candor/stats/frame.hpp"

namespace candor::stats::detail {

struct numeric_view {
    scale_column const* scale = nullptr;
    number_column const* number = nullptr;

    bool present(Eigen::Index i) const {
        return scale ? scale->values[i] != missing_scale : !std::isnan(number->values[i]);
    }
    double operator[](Eigen::Index i) const {
        return scale ? static_cast<double>(scale->values[i]) : number->values[i];
    }
};

result<numeric_view> numeric(frame const& f, std::string_view name);

}  // namespace candor::stats::detail
