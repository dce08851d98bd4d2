// The figures and the report as JSON (nlohmann, private to this module). Objects are keyed
// in sorted order, as nlohmann::json keeps them.
#include <cmath>

#include <nlohmann/json.hpp>

#include "candor/report/render.hpp"
#include "candor/time.hpp"
#include "printing.hpp"

namespace candor::report {

namespace {

using nlohmann::json;

// JSON has no NaN: an undefined figure (n too small) is null.
json num(double x) {
    return std::isfinite(x) ? json(x) : json(nullptr);
}

json pair(stats::interval i) {
    return json::array({num(i.lo), num(i.hi)});
}

json to_json(stats::nps_figure const& f) {
    return {{"score", num(f.score)},      {"se", num(f.se)},
            {"ci95", pair(f.ci95)},       {"interval", stats::to_string(f.method)},
            {"promoters", f.promoters},   {"passives", f.passives},
            {"detractors", f.detractors}, {"n", f.n}};
}
json to_json(stats::share_figure const& f) {
    return {{"share", num(f.share)}, {"top2", num(f.hits)}, {"n", f.n}, {"ci95", pair(f.ci95)}};
}
json to_json(stats::mean_figure const& f) {
    return {{"mean", num(f.mean)},
            {"sd", num(f.sd)},
            {"n", f.n},
            {"ci95", pair(f.ci95)},
            {"clipped", f.clipped}};
}

template <class Figure, class Change>
json to_json(figure_change<Figure, Change> const& c);

template <class F>
json or_null(std::optional<F> const& f) {
    return f ? to_json(*f) : json(nullptr);
}

// A figure set: the figures asked for, null when under min-n.
json to_json(figure_set const& s, figures_options const& asked) {
    json out = {{"n", s.n}};
    if (!asked.nps.empty()) out["nps"] = or_null(s.nps);
    if (!asked.csat.empty()) out["csat"] = or_null(s.csat);
    if (!asked.ces.empty()) out["ces"] = or_null(s.ces);
    if (!s.means.empty()) {
        json means = json::object();
        for (auto const& m : s.means) means[m.column] = or_null(m.figure);
        out["means"] = means;
    }
    return out;
}

json to_json(stats::change const& c) {
    return {{"before", num(c.before)}, {"after", num(c.after)}, {"diff", num(c.diff)},
            {"se", num(c.se)},         {"z", num(c.z)},         {"p", num(c.p)}};
}

json to_json(stats::share_change const& c) {
    return {{"before", num(c.before)}, {"after", num(c.after)}, {"diff", num(c.diff)},
            {"z", num(c.z)},           {"p", num(c.p)},         {"ci95", pair(c.ci95)}};
}

json to_json(stats::mean_change const& c) {
    return {{"before", num(c.before)}, {"after", num(c.after)}, {"diff", num(c.diff)},
            {"se", num(c.se)},         {"t", num(c.t)},         {"df", num(c.df)},
            {"p", num(c.p)},           {"ci95", pair(c.ci95)}};
}

json figures_json(figures const& f) {
    json out = to_json(f.all, f.asked);
    if (f.weights) {
        out["weights"] = {{"converged", f.weights->converged},
                          {"rounds", f.weights->rounds},
                          {"sum", f.weights->sum}};
    }
    for (auto const& b : f.by) {
        json groups = json::object();
        for (auto const& s : b.shown) groups[s.label] = to_json(s.figures, f.asked);
        out["by"][b.column] = groups;
    }
    if (f.periods) {
        json rows = json::array();
        for (auto const& s : f.periods->shown) {
            json row = {{"start", s.label}};
            row.update(to_json(s.figures, f.asked));
            rows.push_back(row);
        }
        out["periods"] = rows;
    }
    if (f.change) out["change"] = to_json(*f.change);
    if (f.csat_change) out["csat_change"] = to_json(*f.csat_change);
    if (f.ces_change) out["ces_change"] = to_json(*f.ces_change);
    if (f.drivers) {
        auto const& d = *f.drivers;
        json dj = {{"outcome", d.outcome}, {"n", d.n}, {"r2", d.r2}};
        for (std::size_t j = 0; j < d.names.size(); ++j) {
            auto k = static_cast<Eigen::Index>(j);
            dj["coef"][d.names[j]] = d.coef[k];
            dj["se"][d.names[j]] = d.se[k];
            if (j > 0) {
                dj["std_beta"][d.names[j]] = d.std_beta[k - 1];
                dj["relative_weight"][d.names[j]] = d.relative_weight[k - 1];
            }
        }
        out["drivers"] = dj;
    }
    if (f.alpha)
        out["alpha"] = {
            {"raw", f.alpha->raw}, {"standardized", f.alpha->standardized}, {"n", f.alpha->n}};
    return out;
}

json suppressed_json(figures const& f) {
    json out = json::object();
    for (auto const& b : f.by) out[b.column] = b.suppressed;
    if (f.periods) out["periods"] = f.periods->suppressed;
    return out;
}

// A change in the report: the figures on both sides, the test's numbers beside them.
template <class Figure, class Change>
json to_json(figure_change<Figure, Change> const& c) {
    json out = to_json(c.change);
    out["before"] = to_json(c.before);
    out["after"] = to_json(c.after);
    out["p_adjusted"] = num(c.p_adjusted);
    out["significant"] = c.significant;
    return out;
}

json to_json(period_change const& c) {
    json out = {{"period", stats::to_string(c.period)},
                {"before", detail::day_of(c.before)},
                {"after", detail::day_of(c.after)},
                {"overall", or_null(c.overall)},
                {"csat", or_null(c.csat)},
                {"ces", or_null(c.ces)},
                {"adjustment", "benjamini-hochberg"},
                {"by", json::object()}};
    for (auto const& s : c.by) {
        auto& site = out["by"][s.site] = to_json(s.change);
        if (s.csat) site["csat"] = to_json(*s.csat);
        if (s.ces) site["ces"] = to_json(*s.ces);
    }
    return out;
}

json to_json(quality_flags const& q) {
    json out = {{"cards", q.cards},
                {"speeder_seconds", q.speeder_seconds},
                {"burst", {{"cards", q.burst_cards}, {"minutes", q.burst_minutes}}},
                {"duplicate_text", q.duplicate_text},
                {"any", q.any}};
    if (q.speeders) out["speeders"] = *q.speeders;
    if (q.straight_liners) out["straight_liners"] = *q.straight_liners;
    if (q.bursts) out["bursts"] = *q.bursts;
    for (auto const& s : q.by) out["by"][s.site] = {{"cards", s.cards}, {"flagged", s.flagged}};
    return out;
}

json text_or_null(std::optional<std::string> const& s) {
    return s ? json(*s) : json(nullptr);
}

json to_json(verbatim const& v) {
    json out = {{"nps", v.nps},
                {"submitted", v.submitted ? json(format_timestamp(*v.submitted)) : json(nullptr)},
                {"site", text_or_null(v.site)},
                {"language", text_or_null(v.language)}};
    for (auto const& [id, text] : v.text) out["text"][id] = text;
    for (auto const& [id, text] : v.contact) out["contact"][id] = text;
    return out;
}

json to_json(case_summary const& c) {
    json out = {{"open", c.open},
                {"acknowledged", c.acknowledged},
                {"resolved", c.resolved},
                {"escalated", c.escalated},
                {"overdue", json::array()}};
    for (auto const& o : c.overdue)
        out["overdue"].push_back(
            {{"id", o.id},
             {"site", o.site},
             {"role", o.role},
             {"opened", format_timestamp(o.opened)},
             {"deadline", o.deadline ? json(format_timestamp(o.deadline)) : json(nullptr)},
             {"escalations", o.escalations}});
    return out;
}

// The `candor stats` arguments the report's figures equal.
json stats_args(report_model const& r) {
    auto const& a = r.figures.asked;
    json out = {"--by",     r.by,
                "--period", stats::to_string(a.period.value_or(stats::period::week)),
                "--min-n",  std::to_string(a.min_n)};
    if (a.interval != stats::nps_interval::adjusted_wald)
        out.insert(out.end(), {"--interval", stats::to_string(a.interval)});
    if (a.drivers) {
        std::string spec = a.drivers->outcome + "=";
        for (std::size_t k = 0; k < a.drivers->attributes.size(); ++k)
            spec += (k ? "," : "") + a.drivers->attributes[k];
        out.insert(out.end(), {"--drivers", spec});
    }
    return out;
}

}  // namespace

std::string to_json(figures const& f) {
    return figures_json(f).dump(2);
}

std::string to_json(report_model const& r) {
    json out = {{"survey", r.survey},
                {"version", r.version},
                {"title", r.title},
                {"generated", format_timestamp(r.generated)},
                {"other_surveys", r.other_surveys},
                {"personal_data", r.personal_data},
                {"reader_role", r.reader_role.empty() ? json(nullptr) : json(r.reader_role)},
                {"by", r.by},
                {"few_cards", r.few_cards},
                {"suppressed", suppressed_json(r.figures)},
                {"stats_args", stats_args(r)},
                {"figures", figures_json(r.figures)},
                {"change", r.change ? to_json(*r.change) : json(nullptr)},
                {"quality", to_json(r.quality)},
                {"verbatims", json::array()}};
    if (!r.no_drivers.empty()) out["no_drivers"] = r.no_drivers;
    if (r.from) out["from"] = format_timestamp(*r.from);
    if (r.to) out["to"] = format_timestamp(*r.to);
    for (auto const& v : r.verbatims) out["verbatims"].push_back(to_json(v));
    for (auto const& [id, name] : r.names) out["names"][id] = name;
    if (r.cases) out["cases"] = to_json(*r.cases);
    for (auto const& i : r.invitations)
        out["invitations"].push_back({{"site", i.site},
                                      {"channel", i.channel},
                                      {"sent", i.sent},
                                      {"answered", i.answered},
                                      {"rate", i.ratio()}});
    return out.dump(2);
}

}  // namespace candor::report
