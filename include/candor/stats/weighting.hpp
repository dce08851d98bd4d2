// Weighting a sample to known population margins by raking.
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

// A margins file: CSV rows "value,count", an optional "value,count" header.
result<margin> parse_margin(std::string_view text, std::string column,
                                  std::string_view file_name = "<margins>");
result<margin> read_margin(std::string const& path, std::string column);

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
result<raking_result> rake(frame const& f, std::vector<margin> const& margins,
                           weights base = {}, raking_options const& opt = {});

}  // namespace candor::stats
