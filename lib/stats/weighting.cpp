#include "candor/stats/weighting.hpp"

#include <charconv>
#include <cmath>

#include "csv_reader.hpp"

namespace candor::stats {

result<margin> parse_margin(std::string_view text, std::string column,
                                  std::string_view file_name) {
    margin m;
    m.column = std::move(column);
    candor::errors errors;
    auto fail = [&](std::uint32_t line, std::string code, std::string message) {
        errors.push_back({severity::error, std::move(code), std::move(message),
                          {std::string(file_name), line, 1}});
    };
    auto rows = detail::read_records(text, file_name);
    if (!rows) return unexpected(rows.error());
    for (auto const& row : *rows) {
        auto const& cells = row.cells;
        if (cells.size() != 2) {
            fail(row.line, "margin-row", "a margins row is 'value,count', this one has " +
                                             std::to_string(cells.size()) + " cells");
            continue;
        }
        if (row.line == rows->front().line && cells[1] == "count") continue;  // header
        double count = 0;
        auto [end, ec] = std::from_chars(cells[1].data(), cells[1].data() + cells[1].size(), count);
        if (ec != std::errc{} || end != cells[1].data() + cells[1].size() || !(count > 0) ||
            !std::isfinite(count)) {
            fail(row.line, "margin-count", "'" + cells[1] + "' is not a positive count");
            continue;
        }
        for (auto const& [value, c] : m.targets)
            if (value == cells[0]) fail(row.line, "margin-duplicate", "value '" + value + "' appears twice");
        m.targets.emplace_back(cells[0], count);
    }
    if (errors.empty() && m.targets.empty())
        fail(1, "margin-empty", "the margins of '" + m.column + "' are empty");
    if (!errors.empty()) return unexpected(std::move(errors));
    return m;
}

result<margin> read_margin(std::string const& path, std::string column) {
    auto text = detail::read_file(path);
    if (!text) return unexpected(text.error());
    return parse_margin(*text, std::move(column), path);
}

result<raking_result> rake(frame const& f, std::vector<margin> const& margins, weights base,
                           raking_options const& opt) {
    auto rows = static_cast<Eigen::Index>(f.rows());
    if (base.size() == 0) base = weights::Ones(rows);
    if (base.size() != rows) throw std::invalid_argument("stats::rake: base weights and frame differ in length");
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
                if ((*c)->labels[k] == value) of_label[k] = static_cast<std::int32_t>(v.share.size());
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
                return fail("margin-empty-cell", "no card has '" + m.targets[k].first +
                                                                 "' in '" + m.column +
                                                                 "', so its margin cannot be met");
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
                    r.w[i] *= target[static_cast<std::size_t>(cell)] / s[static_cast<std::size_t>(cell)];
        }
        double worst = 0;
        for (auto const& v : vars) {
            auto s = sums(v, r.w, target);
            for (std::size_t k = 0; k < s.size(); ++k) worst = std::max(worst, std::abs(s[k] / target[k] - 1));
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
