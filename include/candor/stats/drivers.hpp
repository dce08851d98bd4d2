// Key drivers: which attribute ratings move the outcome (overall satisfaction, NPS).
// Thread safety: pure functions; the results are values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "candor/stats/aggregate.hpp"

namespace candor::stats {

struct drivers_result {
    std::string outcome;
    std::vector<std::string> names;   // "(intercept)", then the attributes
    Eigen::VectorXd coef;             // per name
    Eigen::VectorXd se;               // classical: sigma^2 (X'X)^-1
    Eigen::VectorXd std_beta;         // per attribute: coef sd(x) / sd(y)
    Eigen::VectorXd relative_weight;  // per attribute, Johnson (2000); they sum to r2
    double r2 = 0;
    std::uint64_t n = 0;  // complete cases
};

// Ordinary (weighted) least squares of the outcome on the attributes, over listwise
// complete cases, from their comoments (the outcome is the last variable; comoments of
// another size than the attributes and the outcome are "length-mismatch").
result<drivers_result> ols(comoments const& m, std::string outcome,
                           std::vector<std::string> attributes);
result<drivers_result> key_drivers(frame const& f, std::string const& outcome,
                                   std::vector<std::string> const& attributes,
                                   weights const& wt = {});

}  // namespace candor::stats

#ifdef CANDOR_HEADER_ONLY
#include "candor/stats/detail/drivers-inl.hpp"
#endif
