// Internal consistency of a set of items meant to measure one thing.
// Thread safety: pure functions; the results are values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "candor/stats/aggregate.hpp"

namespace candor::stats {

// Cronbach's alpha on listwise complete cases: raw from the covariances,
// standardized from the mean inter-item correlation.
struct alpha_result {
    double raw = 0;
    double standardized = 0;
    std::uint64_t n = 0;
};
result<alpha_result> cronbach_alpha(comoments const& m);
result<alpha_result> cronbach_alpha(frame const& f, std::vector<std::string> const& items,
                                    weights const& wt = {});

}  // namespace candor::stats

#ifdef CANDOR_HEADER_ONLY
#include "candor/stats/detail/reliability-inl.hpp"
#endif
