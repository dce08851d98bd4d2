// candor stats DATA.csv: NPS, CSAT, CES and more, with intervals, segments, periods,
// change, key drivers, reliability and weights; readable tables or one JSON object.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "candor/stats/csv.hpp"
#include "candor/stats/drivers.hpp"
#include "candor/stats/figures.hpp"
#include "candor/stats/reliability.hpp"
#include "candor/stats/segments.hpp"
#include "candor/stats/weighting.hpp"
#include "candor/time.hpp"
#include "commands.hpp"
#include "io.hpp"
#include "stats.hpp"

namespace candor::cli {

using nlohmann::json;

json num(double x) {
    return std::isfinite(x) ? json(x) : json(nullptr);
}

namespace {

json pair(stats::interval i) {
    return json::array({num(i.lo), num(i.hi)});
}

}  // namespace

json to_json(stats::nps_figure const& f) {
    return {{"score", num(f.score)},
            {"se", num(f.se)},
            {"ci95", pair(f.ci95)},
            {"promoters", f.promoters},
            {"passives", f.passives},
            {"detractors", f.detractors},
            {"n", f.n}};
}
json to_json(stats::share_figure const& f) {
    return {{"share", num(f.share)}, {"top2", num(f.hits)}, {"n", f.n}, {"ci95", pair(f.ci95)}};
}
json to_json(stats::mean_figure const& f) {
    return {{"mean", num(f.mean)}, {"sd", num(f.sd)}, {"n", f.n}, {"ci95", pair(f.ci95)}};
}

namespace {

std::vector<std::string> split(std::string const& text, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        auto cut = text.find(sep, start);
        out.push_back(text.substr(start, cut - start));
        if (cut == std::string::npos) return out;
        start = cut + 1;
    }
}

int refuse(errors const& all) {
    for (auto const& d : all) std::cerr << "candor stats: " << d.message << " [" << d.code << "]\n";
    return 1;
}

// The figures asked for, over the whole frame or per group of a grouping.
class figures {
  public:
    figures(stats_options const& o, stats::frame const& f, stats::weights const& w)
        : opts_(o), w_(w) {
        for (auto const* name : {&o.nps, &o.csat, &o.ces})
            scales_.push_back(name->empty() ? nullptr : *f.get<stats::scale_column>(*name));
        for (auto const& m : o.means) {
            if (auto s = f.get<stats::scale_column>(m))
                scales_.push_back(*s), mean_names_.push_back(m);
            else
                numbers_.emplace_back(m, *f.get<stats::number_column>(m));
        }
    }

    // One object per group; groups under min-n cards are left out (nullopt).
    std::vector<std::optional<json>> by(stats::grouping const& g) const {
        std::vector<stats::scale_column const*> cols;
        for (auto const* s : scales_)
            if (s) cols.push_back(s);
        auto h = stats::histograms_by(g, cols, w_).value();  // columns of one frame
        std::vector<std::vector<stats::moments>> m;
        for (auto const& [name, c] : numbers_) m.push_back(stats::moments_by(g, *c, w_).value());
        auto n = stats::sizes(g);
        std::vector<std::optional<json>> out(g.labels.size());
        for (std::size_t k = 0; k < out.size(); ++k) {
            if (n[k] < opts_.min_n) continue;
            std::vector<stats::histogram const*> hk;
            for (auto const& col : h) hk.push_back(&col[k]);
            std::vector<stats::moments const*> mk;
            for (auto const& col : m) mk.push_back(&col[k]);
            out[k] = report(n[k], hk, mk);
        }
        return out;
    }

    // Figures from one histogram per scale column (in `scales_` order, skipping unset)
    // and moments per number column; figures under min-n answers are null.
    json report(std::uint64_t rows, std::vector<stats::histogram const*> const& h,
                std::vector<stats::moments const*> const& m) const {
        json out = {{"n", rows}};
        std::size_t next = 0;
        auto small = [&](std::uint64_t n) { return n < opts_.min_n; };
        char const* keys[] = {"nps", "csat", "ces"};
        for (std::size_t k = 0; k < 3; ++k) {
            if (!scales_[k]) continue;
            auto const& hist = *h[next++];
            json fig = k == 0 ? to_json(stats::nps(hist))
                       : k == 1
                           ? to_json(stats::csat(hist))
                           : to_json(stats::mean(hist.moments_of([](int x) { return double(x); })));
            out[keys[k]] = small(hist.count()) ? json(nullptr) : fig;
        }
        json means = json::object();
        for (auto const& name : mean_names_) {
            auto const& hist = *h[next++];
            auto fig = stats::mean(hist.moments_of([](int x) { return double(x); }));
            means[name] = small(fig.n) ? json(nullptr) : to_json(fig);
        }
        for (std::size_t j = 0; j < numbers_.size(); ++j) {
            auto fig = stats::mean(*m[j]);
            means[numbers_[j].first] = small(fig.n) ? json(nullptr) : to_json(fig);
        }
        if (!means.empty()) out["means"] = means;
        return out;
    }

  private:
    stats_options const& opts_;
    stats::weights const& w_;
    std::vector<stats::scale_column const*> scales_;  // nps, csat, ces (null when unset), means
    std::vector<std::string> mean_names_;
    std::vector<std::pair<std::string, stats::number_column const*>> numbers_;
};

result<void> check_columns(stats_options const& o, stats::frame const& f) {
    for (auto const* c : {&o.nps, &o.csat, &o.ces})
        if (!c->empty())
            if (auto s = f.get<stats::scale_column>(*c); !s) return unexpected(s.error());
    for (auto const& m : o.means)
        if (!f.get<stats::scale_column>(m) && !f.get<stats::number_column>(m)) {
            auto e = f.get<stats::number_column>(m).error();
            return unexpected(e);
        }
    return {};
}

void print_table(std::ostream& out, std::string const& title, std::string const& key,
                 std::vector<std::pair<std::string, json>> const& rows, std::size_t suppressed) {
    out << '\n' << title << '\n';
    char line[256];
    std::snprintf(line, sizeof line, "  %-20s %8s %16s %16s %12s\n", key.c_str(), "n", "NPS",
                  "CSAT", "CES");
    out << line;
    auto cell = [](json const& j, char const* what) -> std::string {
        if (!j.contains(what) || j[what].is_null()) return "-";
        char buf[64];
        auto const& f = j[what];
        if (std::string(what) == "nps" && f["se"].is_null())
            std::snprintf(buf, sizeof buf, "%.1f", f["score"].get<double>());
        else if (std::string(what) == "nps")
            std::snprintf(buf, sizeof buf, "%.1f ± %.1f", f["score"].get<double>(),
                          1.959964 * f["se"].get<double>());
        else if (std::string(what) == "csat")
            std::snprintf(buf, sizeof buf, "%.1f%%", 100 * f["share"].get<double>());
        else
            std::snprintf(buf, sizeof buf, "%.2f", f["mean"].get<double>());
        return buf;
    };
    for (auto const& [label, j] : rows) {
        std::snprintf(line, sizeof line, "  %-20s %8llu %16s %16s %12s\n", label.c_str(),
                      static_cast<unsigned long long>(j["n"].get<std::uint64_t>()),
                      cell(j, "nps").c_str(), cell(j, "csat").c_str(), cell(j, "ces").c_str());
        out << line;
    }
    if (suppressed) out << "  (" << suppressed << " segment(s) under the minimum n suppressed)\n";
}

void print_text(std::ostream& out, json const& r, stats_options const& o) {
    char buf[512];
    out << "cards: " << r["n"] << '\n';
    if (r.contains("weights")) {
        auto const& w = r["weights"];
        std::snprintf(
            buf, sizeof buf, "weights: sum %.2f, %s after %d round(s)\n", w["sum"].get<double>(),
            w["converged"].get<bool>() ? "converged" : "NOT converged", w["rounds"].get<int>());
        out << buf;
    }
    if (r.contains("nps") && !r["nps"].is_null()) {
        auto const& f = r["nps"];
        std::snprintf(buf, sizeof buf,
                      "NPS (%s): %.1f ± %.1f (95%% CI %.1f to %.1f), n = %llu: %llu promoters, "
                      "%llu passives, %llu detractors\n",
                      o.nps.c_str(), f["score"].get<double>(), 1.959964 * f["se"].get<double>(),
                      f["ci95"][0].get<double>(), f["ci95"][1].get<double>(),
                      f["n"].get<unsigned long long>(), f["promoters"].get<unsigned long long>(),
                      f["passives"].get<unsigned long long>(),
                      f["detractors"].get<unsigned long long>());
        out << buf;
    }
    if (r.contains("csat") && !r["csat"].is_null()) {
        auto const& f = r["csat"];
        std::snprintf(buf, sizeof buf,
                      "CSAT (%s): %.1f%% answer 4 or 5 (95%% CI %.1f%% to %.1f%%), n = %llu\n",
                      o.csat.c_str(), 100 * f["share"].get<double>(),
                      100 * f["ci95"][0].get<double>(), 100 * f["ci95"][1].get<double>(),
                      f["n"].get<unsigned long long>());
        out << buf;
    }
    auto mean_line = [&](std::string const& label, json const& f) {
        if (f.is_null()) return;
        std::snprintf(buf, sizeof buf, "%s: mean %.2f, sd %.2f (95%% CI %.2f to %.2f), n = %llu\n",
                      label.c_str(), f["mean"].get<double>(),
                      f["sd"].is_null() ? NAN : f["sd"].get<double>(),
                      f["ci95"][0].is_null() ? NAN : f["ci95"][0].get<double>(),
                      f["ci95"][1].is_null() ? NAN : f["ci95"][1].get<double>(),
                      f["n"].get<unsigned long long>());
        out << buf;
    };
    if (r.contains("ces")) mean_line("CES (" + o.ces + ")", r["ces"]);
    if (r.contains("means"))
        for (auto const& [name, f] : r["means"].items()) mean_line(name, f);
    if (r.contains("by"))
        for (auto const& [col, groups] : r["by"].items()) {
            std::vector<std::pair<std::string, json>> rows;
            for (auto const& [label, j] : groups.items()) rows.emplace_back(label, j);
            print_table(out, "by " + col + ":", col, rows, r["suppressed"][col].get<std::size_t>());
        }
    if (r.contains("periods")) {
        std::vector<std::pair<std::string, json>> rows;
        for (auto const& j : r["periods"]) rows.emplace_back(j["start"].get<std::string>(), j);
        print_table(out, "by " + o.period + " of " + o.date + ":", "start", rows,
                    r["suppressed"]["periods"].get<std::size_t>());
    }
    if (r.contains("change")) {
        auto const& c = r["change"];
        if (c["p"].is_null())
            out << "\nchange in NPS from " << o.compare << ": not enough cards on both sides\n";
        else {
            std::snprintf(
                buf, sizeof buf,
                "\nchange in NPS from %s: %.1f -> %.1f, %+.1f (SE %.1f, z %.2f, p = %.3g)\n",
                o.compare.c_str(), c["before"].get<double>(), c["after"].get<double>(),
                c["diff"].get<double>(), c["se"].get<double>(), c["z"].get<double>(),
                c["p"].get<double>());
            out << buf;
        }
    }
    if (r.contains("drivers")) {
        auto const& d = r["drivers"];
        std::snprintf(buf, sizeof buf,
                      "\nkey drivers of %s: n = %llu, R² = %.3f\n  %-20s %10s %10s %10s %10s\n",
                      d["outcome"].get<std::string>().c_str(), d["n"].get<unsigned long long>(),
                      d["r2"].get<double>(), "", "coef", "se", "std beta", "rel weight");
        out << buf;
        for (auto const& [name, coef] : d["coef"].items()) {
            bool icpt = name == "(intercept)";
            std::snprintf(
                buf, sizeof buf, "  %-20s %10.4f %10.4f %10s %10s\n", name.c_str(),
                coef.get<double>(), d["se"][name].get<double>(),
                icpt ? "" : std::to_string(d["std_beta"][name].get<double>()).substr(0, 8).c_str(),
                icpt ? ""
                     : std::to_string(d["relative_weight"][name].get<double>())
                           .substr(0, 8)
                           .c_str());
            out << buf;
        }
    }
    if (r.contains("alpha")) {
        auto const& a = r["alpha"];
        std::snprintf(buf, sizeof buf,
                      "\nCronbach's alpha: raw %.3f, standardized %.3f, n = %llu\n",
                      a["raw"].get<double>(), a["standardized"].get<double>(),
                      a["n"].get<unsigned long long>());
        out << buf;
    }
}

}  // namespace

void complete(stats_options& o, stats::csv_options& csv, survey::survey const* s) {
    if (s) {
        auto first = [&](survey::question_kind k) -> std::string {
            for (auto const& q : s->questions)
                if (q.kind == k) return q.id;
            return {};
        };
        if (o.nps.empty()) o.nps = first(survey::question_kind::nps);
        if (o.csat.empty()) o.csat = first(survey::question_kind::csat);
        if (o.ces.empty()) o.ces = first(survey::question_kind::ces);
    }
    using stats::column_kind;
    // Their scales' ends are known: an 11 among NPS answers is refused, not counted.
    for (auto [c, ends] :
         {std::pair(&o.nps, stats::nps_scale), std::pair(&o.csat, stats::csat_scale),
          std::pair(&o.ces, stats::ces_scale)})
        if (!c->empty()) csv.scales.emplace_back(*c, ends);
    for (auto const& c : o.by) csv.kinds.emplace_back(c, column_kind::category);
    if (!o.period.empty() || !o.compare.empty()) csv.kinds.emplace_back(o.date, column_kind::time);
    if (!o.weights.empty()) csv.kinds.emplace_back(o.weights, column_kind::number);
    for (auto const& r : o.rake)
        csv.kinds.emplace_back(r.substr(0, r.find('=')), column_kind::category);
}

result<json> compute_stats(stats_options const& o, stats::frame const& f,
                                  std::vector<stats::margin> const& margins) {
    if (auto ok = check_columns(o, f); !ok) return unexpected(ok.error());
    json report;

    stats::weights w;
    if (!o.weights.empty()) {
        auto c = f.get<stats::number_column>(o.weights);
        if (!c) return unexpected(c.error());
        w = (*c)->values;
        if (!w.isFinite().all() || (w <= 0).any())
            return fail(
                "bad-weight",
                "weights in '" + o.weights + "' must be positive numbers on every row");
        report["weights"] = {{"converged", true}, {"rounds", 0}};
    }
    if (!margins.empty()) {
        auto r = stats::rake(f, margins, w);
        if (!r) return unexpected(r.error());
        w = std::move(r->w);
        report["weights"] = {{"converged", r->converged}, {"rounds", r->rounds}};
    }
    if (w.size()) report["weights"]["sum"] = w.sum();

    figures figs(o, f, w);
    {
        std::vector<stats::histogram> h;
        for (auto const* name : {&o.nps, &o.csat, &o.ces})
            if (!name->empty())
                h.push_back(stats::histogram_of(**f.get<stats::scale_column>(*name), w).value());
        std::vector<stats::moments> m;
        for (auto const& name : o.means) {
            if (auto s = f.get<stats::scale_column>(name))
                h.push_back(stats::histogram_of(**s, w).value());
            else
                m.push_back(stats::moments_of(**f.get<stats::number_column>(name), w).value());
        }
        std::vector<stats::histogram const*> hp;
        for (auto const& x : h) hp.push_back(&x);
        std::vector<stats::moments const*> mp;
        for (auto const& x : m) mp.push_back(&x);
        auto overall = figs.report(f.rows(), hp, mp);
        overall.erase("n");
        report.update(overall);
        report["n"] = f.rows();
    }

    json suppressed = json::object();
    for (auto const& col : o.by) {
        auto c = f.get<stats::category_column>(col);
        if (!c) return unexpected(c.error());
        auto g = stats::group_by(**c);
        auto groups = figs.by(g);
        json out = json::object();
        std::size_t hidden = 0;
        for (std::size_t k = 0; k < groups.size(); ++k) {
            if (groups[k])
                out[g.labels[k]] = *groups[k];
            else
                ++hidden;
        }
        report["by"][col] = out;
        suppressed[col] = hidden;
    }
    stats::time_column const* date = nullptr;
    if (!o.period.empty() || !o.compare.empty()) {
        auto c = f.get<stats::time_column>(o.date);
        if (!c) return unexpected(c.error());
        date = *c;
    }
    if (!o.period.empty()) {
        auto p = stats::parse_period(o.period);
        if (!p) return unexpected(p.error());
        auto g = stats::group_by(*date, *p);
        auto groups = figs.by(g);
        json out = json::array();
        std::size_t hidden = 0;
        for (std::size_t k = 0; k < groups.size(); ++k) {
            if (!groups[k]) {
                ++hidden;
                continue;
            }
            json row = {{"start", g.labels[k]}};
            row.update(*groups[k]);
            out.push_back(row);
        }
        report["periods"] = out;
        suppressed["periods"] = hidden;
    }
    if (!o.compare.empty()) {
        auto cut = parse_date(o.compare);
        if (!cut)
            return fail(
                "bad-date", "--compare takes a date YYYY-MM-DD, not '" + o.compare + "'");
        if (o.nps.empty())
            return fail("no-nps", "--compare compares NPS: name the column with --nps");
        stats::grouping g;
        g.labels = {"before", "after"};
        g.owned.resize(f.rows());
        for (std::size_t i = 0; i < f.rows(); ++i) {
            auto t = date->seconds[static_cast<Eigen::Index>(i)];
            g.owned[i] = t == stats::missing_time ? stats::missing_code : t < *cut ? 0 : 1;
        }
        g.codes = g.owned;
        std::vector<stats::scale_column const*> col{*f.get<stats::scale_column>(o.nps)};
        auto h = stats::histograms_by(g, col, w).value();
        auto a = stats::nps(h[0][0]), b = stats::nps(h[0][1]);
        auto c = stats::compare(a.score, a.se, b.score, b.se);
        report["change"] = {{"before", num(c.before)}, {"after", num(c.after)},
                            {"diff", num(c.diff)},     {"se", num(c.se)},
                            {"z", num(c.z)},           {"p", num(c.p)}};
    }
    if (!o.drivers.empty()) {
        auto eq = o.drivers.find('=');
        if (eq == std::string::npos)
            return fail("bad-option", "--drivers takes OUTCOME=COL,COL,...");
        auto d =
            stats::key_drivers(f, o.drivers.substr(0, eq), split(o.drivers.substr(eq + 1), ','), w);
        if (!d) return unexpected(d.error());
        json out = {{"outcome", d->outcome}, {"n", d->n}, {"r2", d->r2}};
        for (std::size_t j = 0; j < d->names.size(); ++j) {
            auto k = static_cast<Eigen::Index>(j);
            out["coef"][d->names[j]] = d->coef[k];
            out["se"][d->names[j]] = d->se[k];
            if (j > 0) {
                out["std_beta"][d->names[j]] = d->std_beta[k - 1];
                out["relative_weight"][d->names[j]] = d->relative_weight[k - 1];
            }
        }
        report["drivers"] = out;
    }
    if (!o.alpha.empty()) {
        auto a = stats::cronbach_alpha(f, split(o.alpha, ','), w);
        if (!a) return unexpected(a.error());
        report["alpha"] = {{"raw", a->raw}, {"standardized", a->standardized}, {"n", a->n}};
    }

    report["suppressed"] = suppressed;
    return report;
}

int run_stats(stats_options const& given) {
    auto o = given;
    std::optional<survey::survey> survey;
    if (!o.survey.empty()) {
        survey = load_survey(o.survey);
        if (!survey) return 1;
    }
    stats::csv_options csv;
    csv.survey = survey ? &*survey : nullptr;
    complete(o, csv, csv.survey);
    auto f = stats::read_csv(o.data, csv);
    if (!f) {
        std::cerr << render(f.error());
        return 1;
    }
    std::vector<stats::margin> margins;
    for (auto const& spec : o.rake) {
        auto eq = spec.find('=');
        if (eq == std::string::npos)
            return refuse(fail("bad-option", "--rake takes COL=MARGINS.csv").error());
        auto m = stats::read_margin(spec.substr(eq + 1), spec.substr(0, eq));
        if (!m) {
            std::cerr << render(m.error());
            return 1;
        }
        margins.push_back(std::move(*m));
    }
    auto report = compute_stats(o, *f, margins);
    if (!report) return refuse(report.error());
    if (o.json) {
        report->erase("suppressed");
        std::cout << report->dump(2) << '\n';
    } else {
        print_text(std::cout, *report, o);
    }
    return 0;
}

void setup_stats(CLI::App& app) {
    auto opts = std::make_shared<stats_options>();
    auto* sub = app.add_subcommand(
        "stats", "Figures from exported responses: NPS, CSAT, CES, segments, drivers");
    sub->add_option("data", opts->data, "Responses as CSV with a header row")
        ->required()
        ->check(CLI::ExistingFile);
    sub->add_option("--survey", opts->survey, "The survey: gives each column its kind")
        ->check(CLI::ExistingFile);
    sub->add_option("--nps", opts->nps, "Column of the NPS question (0-10)");
    sub->add_option("--csat", opts->csat, "Column of the CSAT question (1-5)");
    sub->add_option("--ces", opts->ces, "Column of the CES question (1-7)");
    sub->add_option("--mean", opts->means, "A rating or number column to average (repeatable)");
    sub->add_option("--by", opts->by, "Break every figure down by this column (repeatable)");
    sub->add_option("--period", opts->period, "Break down by calendar period")
        ->check(CLI::IsMember({"day", "week", "month", "quarter"}));
    sub->add_option("--date", opts->date, "Date column of --period and --compare")
        ->capture_default_str();
    sub->add_option("--compare", opts->compare,
                    "NPS change between before and from this date (YYYY-MM-DD)");
    sub->add_option("--drivers", opts->drivers, "Key drivers: OUTCOME=COL,COL,...");
    sub->add_option("--alpha", opts->alpha, "Cronbach's alpha of COL,COL,...");
    sub->add_option("--weights", opts->weights, "Column of base weights");
    sub->add_option("--rake", opts->rake, "Rake to COL=MARGINS.csv (value,count rows; repeatable)");
    sub->add_option("--min-n", opts->min_n, "Suppress segments and figures under this many cards")
        ->capture_default_str();
    sub->add_flag("--json", opts->json, "One JSON object (keys in docs/statistics.md)");
    sub->callback([opts] { exit_code() = run_stats(*opts); });
}

}  // namespace candor::cli
