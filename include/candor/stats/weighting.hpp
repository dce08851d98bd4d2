// Weighting a sample to known population margins by raking.
// Thread safety: pure functions over their arguments; the results are values.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "candor/stats/aggregate.hpp"

namespace candor::stats {

// Population counts of each value of one category column.
struct margin {
    std::string column;
    std::vector<std::pair<std::string, double>> targets;
};

// Margins files (CSV) are read by parse_margin and read_margin, in csv.hpp.

struct raking_options {
    double tolerance = 1e-10;  // relative, on every margin
    int max_rounds = 100;
};

struct raking_result {
    weights w;
    bool converged = false;
    int rounds = 0;
};

// Iterative proportional fitting of base weights (empty: all 1) so that the weighted
// count of each value matches its margin. The first margin's sum is the population total;
// the others are read as shares of it. Rows missing a variable keep their weight for it,
// and that variable's shares are spread over the weight of the rows that have it.
result<raking_result> rake(frame const& f, std::vector<margin> const& margins, weights base = {},
                           raking_options const& opt = {});

}  // namespace candor::stats

#ifdef CANDOR_HEADER_ONLY
#include "candor/stats/detail/weighting-inl.hpp"
#endif
