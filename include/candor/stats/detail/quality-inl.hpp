// Definitions of quality.hpp: compiled once into candor::stats, or inline with
// CANDOR_HEADER_ONLY.
#pragma once

#include <algorithm>

#include "candor/stats/quality.hpp"

namespace candor::stats {

CANDOR_INLINE result<flags> speeders(time_column const& started, time_column const& submitted,
                                     double min_seconds) {
    if (started.seconds.size() != submitted.seconds.size())
        return fail("length-mismatch", "the start and submit times differ in length");
    flags out = flags::Constant(submitted.seconds.size(), false);
    for (Eigen::Index i = 0; i < out.size(); ++i) {
        auto a = started.seconds[i], b = submitted.seconds[i];
        out[i] = a != missing_time && b != missing_time && static_cast<double>(b - a) < min_seconds;
    }
    return out;
}

CANDOR_INLINE result<flags> straight_liners(frame const& f, std::vector<std::string> const& grid) {
    if (grid.size() < 2) return fail("too-few-items", "a grid needs at least two ratings");
    std::vector<scale_column const*> cols;
    for (auto const& name : grid) {
        auto c = f.get<scale_column>(name);
        if (!c) return unexpected(c.error());
        cols.push_back(*c);
    }
    flags out = flags::Constant(static_cast<Eigen::Index>(f.rows()), false);
    for (Eigen::Index i = 0; i < out.size(); ++i) {
        auto first = cols[0]->values[i];
        out[i] = first != missing_scale &&
                 std::all_of(cols.begin(), cols.end(),
                             [&](auto const* c) { return c->values[i] == first; });
    }
    return out;
}

CANDOR_INLINE result<flags> duplicate_text(category_column const& text) {
    std::vector<std::uint32_t> uses(text.labels.size(), 0);
    for (auto code : text.codes) {
        if (code == missing_code) continue;
        if (code < 0 || static_cast<std::size_t>(code) >= uses.size())
            return fail("bad-code", "a code is not below the number of labels");
        ++uses[static_cast<std::size_t>(code)];
    }
    flags out(text.codes.size());
    for (Eigen::Index i = 0; i < out.size(); ++i)
        out[i] = text.codes[i] != missing_code && uses[static_cast<std::size_t>(text.codes[i])] > 1;
    return out;
}

CANDOR_INLINE result<flags> bursts(category_column const& device, time_column const& submitted,
                                   std::uint32_t max_cards, double minutes) {
    if (device.codes.size() != submitted.seconds.size())
        return fail("length-mismatch", "the devices and submit times differ in length");
    flags out = flags::Constant(device.codes.size(), false);
    std::vector<Eigen::Index> order;
    for (Eigen::Index i = 0; i < device.codes.size(); ++i)
        if (device.codes[i] != missing_code && submitted.seconds[i] != missing_time)
            order.push_back(i);
    std::sort(order.begin(), order.end(), [&](auto a, auto b) {
        return std::pair(device.codes[a], submitted.seconds[a]) <
               std::pair(device.codes[b], submitted.seconds[b]);
    });
    double window = minutes * 60;
    std::size_t first = 0, flagged = 0;  // window start; rows before `flagged` are done
    for (std::size_t j = 0; j < order.size(); ++j) {
        auto dev = device.codes[order[j]];
        auto t = submitted.seconds[order[j]];
        while (device.codes[order[first]] != dev ||
               static_cast<double>(t - submitted.seconds[order[first]]) > window)
            ++first;
        if (j - first + 1 > max_cards)
            for (flagged = std::max(flagged, first); flagged <= j; ++flagged)
                out[order[flagged]] = true;
    }
    return out;
}

}  // namespace candor::stats
