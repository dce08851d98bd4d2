#include "builder.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "candor/survey/survey.hpp"
#include "candor/time.hpp"

namespace candor::stats::detail {

std::optional<long long> to_integer(std::string_view s) {
    long long v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    return v;
}

std::optional<double> to_number(std::string_view s) {
    double v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::optional<std::int64_t> to_time(std::string_view s) {
    if (auto t = parse_timestamp(s)) return t;
    return parse_date(s);
}

namespace {

column_kind infer(std::vector<std::string> const& cells) {
    auto all = [&](auto ok) {
        return std::all_of(cells.begin(), cells.end(),
                           [&](auto const& c) { return c.empty() || ok(c); });
    };
    bool any = std::any_of(cells.begin(), cells.end(), [](auto const& c) { return !c.empty(); });
    if (!any) return column_kind::category;
    if (all([](auto const& c) {
            auto v = to_integer(c);
            return v && *v > missing_scale && *v <= 127;
        }))
        return column_kind::scale;
    if (all([](auto const& c) { return to_number(c).has_value(); })) return column_kind::number;
    if (all([](auto const& c) { return to_time(c).has_value(); })) return column_kind::time;
    return column_kind::category;
}

// Labels of a category or set column: the survey's options first, then any other value
// in sorted order.
struct dictionary {
    std::vector<std::string> labels;
    std::map<std::string, std::int32_t, std::less<>> index;

    explicit dictionary(std::vector<std::string> const& options) {
        for (auto const& o : options) code(o);
    }
    std::int32_t code(std::string const& label) {
        auto [it, added] = index.emplace(label, static_cast<std::int32_t>(labels.size()));
        if (added) labels.push_back(label);
        return it->second;
    }
    // Sorts the labels that did not come from the survey; returns old code -> new code.
    std::vector<std::int32_t> sort_from(std::size_t fixed) {
        std::vector<std::int32_t> order(labels.size());
        for (std::size_t k = 0; k < order.size(); ++k) order[k] = static_cast<std::int32_t>(k);
        std::sort(
            order.begin() + static_cast<std::ptrdiff_t>(fixed), order.end(), [&](auto a, auto b) {
                return labels[static_cast<std::size_t>(a)] < labels[static_cast<std::size_t>(b)];
            });
        std::vector<std::int32_t> remap(labels.size());
        std::vector<std::string> sorted;
        for (std::size_t k = 0; k < order.size(); ++k) {
            remap[static_cast<std::size_t>(order[k])] = static_cast<std::int32_t>(k);
            sorted.push_back(labels[static_cast<std::size_t>(order[k])]);
        }
        labels = std::move(sorted);
        return remap;
    }
};

}  // namespace

std::vector<column_spec> specs_for(std::vector<std::string> const& names, csv_options const& opt) {
    std::vector<column_spec> specs;
    for (auto const& name : names) {
        column_spec s;
        s.name = name;
        if (opt.survey) {
            auto const& sv = *opt.survey;
            if (name == "submitted" || name == "started")
                s.kind = column_kind::time;
            else if (name == "survey" || name == "version" || name == "language" ||
                     sv.field_index(name) >= 0)
                s.kind = column_kind::category;
            else if (auto const* q = sv.find(name)) {
                using survey::question_kind;
                if (survey::is_scale(q->kind)) {
                    s.kind = column_kind::scale;
                    auto ends = [](scale_ends e) { return std::pair<int, int>(e.lo, e.hi); };
                    s.range = q->kind == question_kind::nps    ? ends(nps_scale)
                              : q->kind == question_kind::csat ? ends(csat_scale)
                              : q->kind == question_kind::ces
                                  ? ends(ces_scale)
                                  : std::pair(static_cast<int>(q->min), static_cast<int>(q->max));
                } else if (q->kind == question_kind::number) {
                    s.kind = column_kind::number;
                } else if (q->kind == question_kind::date) {
                    s.kind = column_kind::time;
                } else {
                    s.kind = q->kind == question_kind::choice_many ? column_kind::set
                                                                   : column_kind::category;
                    for (auto const& o : q->options) s.options.push_back(o.code);
                }
            }
        }
        for (auto const& [n, k] : opt.kinds)
            if (n == name) s.kind = k;
        for (auto const& [n, ends] : opt.scales)
            if (n == name) {
                s.kind = column_kind::scale;
                s.range = std::pair<int, int>(ends.lo, ends.hi);
            }
        specs.push_back(std::move(s));
    }
    return specs;
}

frame_builder::frame_builder(std::vector<column_spec> specs, std::string file_name)
    : specs_(std::move(specs)), file_(std::move(file_name)), cells_(specs_.size()) {}

void frame_builder::add_row(std::vector<std::string> cells, std::uint32_t line) {
    for (std::size_t j = 0; j < specs_.size(); ++j) cells_[j].push_back(std::move(cells[j]));
    lines_.push_back(line);
}

result<frame> frame_builder::finish() && {
    frame f;
    candor::errors errors;
    auto rows = static_cast<Eigen::Index>(lines_.size());
    for (std::size_t j = 0; j < specs_.size(); ++j) {
        auto const& spec = specs_[j];
        auto const& cells = cells_[j];
        auto fail = [&](Eigen::Index i, std::string code, std::string what) {
            if (errors.size() < 100)
                errors.push_back({severity::error,
                                  std::move(code),
                                  "column '" + spec.name + "': '" +
                                      cells[static_cast<std::size_t>(i)] + "' " + what,
                                  {file_, lines_[static_cast<std::size_t>(i)], 1}});
        };
        auto kind = spec.kind.value_or(infer(cells));
        auto cell = [&](Eigen::Index i) -> std::string const& {
            return cells[static_cast<std::size_t>(i)];
        };
        switch (kind) {
            case column_kind::scale: {
                scale_column c;
                c.values.resize(rows);
                int lo = 127, hi = -127;
                for (Eigen::Index i = 0; i < rows; ++i) {
                    c.values[i] = missing_scale;
                    if (cell(i).empty()) continue;
                    auto v = to_integer(cell(i));
                    auto [a, b] = spec.range.value_or(std::pair(-127, 127));
                    if (!v)
                        fail(i, "not-an-integer", "is not a whole number");
                    else if (*v < a || *v > b)
                        fail(
                            i, "out-of-range",
                            "is outside the scale " + std::to_string(a) + ".." + std::to_string(b));
                    else {
                        c.values[i] = static_cast<std::int8_t>(*v);
                        lo = std::min(lo, static_cast<int>(*v));
                        hi = std::max(hi, static_cast<int>(*v));
                    }
                }
                if (spec.range) std::tie(lo, hi) = *spec.range;
                if (lo > hi) lo = hi = 0;
                c.lo = static_cast<std::int8_t>(lo);
                c.hi = static_cast<std::int8_t>(hi);
                f.add(spec.name, std::move(c));
                break;
            }
            case column_kind::number: {
                number_column c;
                c.values = Eigen::ArrayXd::Constant(rows, std::nan(""));
                for (Eigen::Index i = 0; i < rows; ++i) {
                    if (cell(i).empty()) continue;
                    if (auto v = to_number(cell(i)))
                        c.values[i] = *v;
                    else
                        fail(i, "not-a-number", "is not a number");
                }
                f.add(spec.name, std::move(c));
                break;
            }
            case column_kind::time: {
                time_column c;
                c.seconds.resize(rows);
                for (Eigen::Index i = 0; i < rows; ++i) {
                    c.seconds[i] = missing_time;
                    if (cell(i).empty()) continue;
                    if (auto v = to_time(cell(i)))
                        c.seconds[i] = *v;
                    else
                        fail(i, "not-a-time", "is not a timestamp or a YYYY-MM-DD date");
                }
                f.add(spec.name, std::move(c));
                break;
            }
            case column_kind::category: {
                category_column c;
                c.codes.resize(rows);
                dictionary d(spec.options);
                for (Eigen::Index i = 0; i < rows; ++i)
                    c.codes[i] = cell(i).empty() ? missing_code : d.code(cell(i));
                auto remap = d.sort_from(spec.options.size());
                for (auto& code : c.codes)
                    if (code != missing_code) code = remap[static_cast<std::size_t>(code)];
                c.labels = std::move(d.labels);
                f.add(spec.name, std::move(c));
                break;
            }
            case column_kind::set: {
                set_column c;
                c.sets.resize(rows);
                dictionary d(spec.options);
                std::vector<std::vector<std::int32_t>> chosen(static_cast<std::size_t>(rows));
                for (Eigen::Index i = 0; i < rows; ++i) {
                    std::string_view rest = cell(i);
                    while (!rest.empty()) {
                        auto cut = rest.find(';');
                        auto code = std::string(rest.substr(0, cut));
                        if (!code.empty())
                            chosen[static_cast<std::size_t>(i)].push_back(d.code(code));
                        rest = cut == std::string_view::npos ? std::string_view{}
                                                             : rest.substr(cut + 1);
                    }
                }
                if (d.labels.size() > max_set_options) {
                    errors.push_back({severity::error,
                                      "too-many-options",
                                      "column '" + spec.name + "' has more than " +
                                          std::to_string(max_set_options) + " options",
                                      {file_, 1, 1}});
                    break;
                }
                auto remap = d.sort_from(spec.options.size());
                for (Eigen::Index i = 0; i < rows; ++i) {
                    auto const& codes = chosen[static_cast<std::size_t>(i)];
                    // An empty cell is a skipped question, not an empty choice.
                    c.sets[i] = cell(i).empty() ? missing_set : 0;
                    for (auto code : codes)
                        c.sets[i] |= std::uint64_t{1} << remap[static_cast<std::size_t>(code)];
                }
                c.labels = std::move(d.labels);
                f.add(spec.name, std::move(c));
                break;
            }
        }
    }
    if (!errors.empty()) return unexpected(std::move(errors));
    return f;
}

}  // namespace candor::stats::detail
