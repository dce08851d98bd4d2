// Definitions of weighting.hpp: compiled once into candor::stats, or inline with
// CANDOR_HEADER_ONLY.
#pragma once

#include <cmath>

#include "candor/stats/weighting.hpp"

namespace candor::stats {

CANDOR_INLINE result<raking_result> rake(frame const& f, std::vector<margin> const& margins,
                                         weights base, raking_options const& opt) {
    auto rows = static_cast<Eigen::Index>(f.rows());
    if (base.size() == 0) base = weights::Ones(rows);
    if (base.size() != rows)
        return fail("length-mismatch", "base weights and frame differ in length");
    if (!(base > 0).all() || !base.isFinite().all())
        return fail("bad-weight", "base weights must be positive and finite");
    if (margins.empty()) return fail("no-margins", "raking needs at least one margin");

    // Per margin: each row's cell (or -1) and the target of each cell.
    struct variable {
        std::vector<std::int32_t> cell;
        std::vector<double> share;  // of the weight of the rows that have the variable
    };
    std::vector<variable> vars;
    double total = 0;
    for (auto const& m : margins) {
        auto c = f.get<category_column>(m.column);
        if (!c) return unexpected(c.error());
        variable v;
        double sum = 0;
        for (auto const& [value, count] : m.targets) sum += count;
        if (vars.empty()) total = sum;
        std::vector<std::int32_t> of_label((*c)->labels.size(), -1);
        for (auto const& [value, count] : m.targets) {
            for (std::size_t k = 0; k < (*c)->labels.size(); ++k)
                if ((*c)->labels[k] == value)
                    of_label[k] = static_cast<std::int32_t>(v.share.size());
            v.share.push_back(count / sum);
        }
        std::vector<bool> seen(v.share.size(), false);
        v.cell.resize(static_cast<std::size_t>(rows));
        for (Eigen::Index i = 0; i < rows; ++i) {
            auto code = (*c)->codes[i];
            auto cell = code == missing_code ? -1 : of_label[static_cast<std::size_t>(code)];
            if (code != missing_code && cell < 0)
                return fail("margin-missing-value",
                            "the margins of '" + m.column + "' have no count for '" +
                                (*c)->labels[static_cast<std::size_t>(code)] + "'");
            if (cell >= 0) seen[static_cast<std::size_t>(cell)] = true;
            v.cell[static_cast<std::size_t>(i)] = cell;
        }
        for (std::size_t k = 0; k < seen.size(); ++k)
            if (!seen[k])
                return fail("margin-empty-cell", "no card has '" + m.targets[k].first + "' in '" +
                                                     m.column + "', so its margin cannot be met");
        vars.push_back(std::move(v));
    }

    // Each cell's weight now, and the target it should have: its share of the population
    // total less the weight of the rows that lack the variable.
    auto sums = [&](variable const& v, weights const& w, std::vector<double>& target) {
        std::vector<double> s(v.share.size(), 0.0);
        double lacking = 0;
        for (Eigen::Index i = 0; i < rows; ++i) {
            auto cell = v.cell[static_cast<std::size_t>(i)];
            (cell >= 0 ? s[static_cast<std::size_t>(cell)] : lacking) += w[i];
        }
        target.resize(s.size());
        for (std::size_t k = 0; k < s.size(); ++k) target[k] = v.share[k] * (total - lacking);
        return s;
    };
    raking_result r;
    r.w = std::move(base);
    std::vector<double> target;
    for (r.rounds = 1; r.rounds <= opt.max_rounds; ++r.rounds) {
        for (auto const& v : vars) {
            auto s = sums(v, r.w, target);
            for (Eigen::Index i = 0; i < rows; ++i)
                if (auto cell = v.cell[static_cast<std::size_t>(i)]; cell >= 0)
                    r.w[i] *=
                        target[static_cast<std::size_t>(cell)] / s[static_cast<std::size_t>(cell)];
        }
        double worst = 0;
        for (auto const& v : vars) {
            auto s = sums(v, r.w, target);
            for (std::size_t k = 0; k < s.size(); ++k)
                worst = std::max(worst, std::abs(s[k] / target[k] - 1));
        }
        if (worst <= opt.tolerance) {
            r.converged = true;
            return r;
        }
    }
    r.rounds = opt.max_rounds;
    return r;
}

}  // namespace candor::stats
