// Definitions of reliability.hpp: compiled once into candor::stats, or inline with
// CANDOR_HEADER_ONLY.
#pragma once

#include "candor/stats/reliability.hpp"

namespace candor::stats {

CANDOR_INLINE result<alpha_result> cronbach_alpha(comoments const& m) {
    auto k = static_cast<double>(m.mean.size());
    if (k < 2) return fail("too-few-items", "Cronbach's alpha needs at least two items");
    if (m.n < 2) return fail("too-few-cases", "Cronbach's alpha needs at least two complete cases");
    if ((m.c.diagonal().array() <= 0).any())
        return fail("constant-item", "an item of Cronbach's alpha does not vary");
    alpha_result a;
    a.n = m.n;
    // The ratio of variances does not depend on their common denominator.
    a.raw = k / (k - 1) * (1 - m.c.trace() / m.c.sum());
    double mean_r = (m.correlation().sum() - k) / (k * (k - 1));
    a.standardized = k * mean_r / (1 + (k - 1) * mean_r);
    return a;
}

CANDOR_INLINE result<alpha_result> cronbach_alpha(frame const& f,
                                                  std::vector<std::string> const& items,
                                                  weights const& wt) {
    auto m = comoments_of(f, items, wt);
    if (!m) return unexpected(m.error());
    return cronbach_alpha(*m);
}

}  // namespace candor::stats
