// The figures (`candor stats`) and the report as plain text for a terminal.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "candor/report/render.hpp"
#include "candor/time.hpp"
#include "printing.hpp"

namespace candor::report {

using detail::number;
using detail::printf_text;

namespace {

using ull = unsigned long long;

// ---- candor stats ----

// Wald's interval is score ± half; the adjusted-Wald one is not centred on the score.
std::string table_cell_nps(std::optional<stats::nps_figure> const& f) {
    if (!f) return "-";
    if (!std::isfinite(f->se)) return number("%.1f", f->score);
    if (f->method == stats::nps_interval::wald)
        return number("%.1f", f->score) + " ± " + number("%.1f", stats::nps_z * f->se);
    return number("%.1f", f->score) + " (" + number("%.1f", f->ci95.lo) + " to " +
           number("%.1f", f->ci95.hi) + ")";
}

void print_table(std::string& out, std::string const& title, std::string const& key,
                 breakdown const& b) {
    out += '\n' + title + '\n';
    out += printf_text("  %-20s %8s %24s %12s %12s\n", key.c_str(), "n", "NPS", "CSAT", "CES");
    for (auto const& s : b.shown) {
        auto const& f = s.figures;
        out += printf_text("  %-20s %8llu %24s %12s %12s\n", s.label.c_str(), ull(f.n),
                           table_cell_nps(f.nps).c_str(),
                           f.csat ? number("%.1f%%", 100 * f.csat->share).c_str() : "-",
                           f.ces ? number("%.2f", f.ces->mean).c_str() : "-");
    }
    if (b.suppressed)
        out +=
            "  (" + std::to_string(b.suppressed) + " segment(s) under the minimum n suppressed)\n";
    else if (b.shown.empty())
        out += "  (no cards)\n";
}

void mean_line(std::string& out, std::string const& label,
               std::optional<stats::mean_figure> const& f, std::uint64_t min_n) {
    if (!f) {
        out += label + ": suppressed, " + detail::under_min_n(min_n) + '\n';
        return;
    }
    out += printf_text("%s: mean %s", label.c_str(), number("%.2f", f->mean).c_str());
    if (std::isfinite(f->sd))
        out += printf_text(", sd %.2f (95%% CI %s to %s%s)", f->sd,
                           number("%.2f", f->ci95.lo).c_str(), number("%.2f", f->ci95.hi).c_str(),
                           f->clipped ? ", clipped to the scale" : "");
    out += printf_text(", n = %llu", ull(f->n));
    if (!std::isfinite(f->sd)) out += " (too few answers for an SD and an interval)";
    out += '\n';
}

// Indices of the drivers' terms ("(intercept)" first, at 0) in name order, as JSON keys them.
std::vector<std::size_t> by_name(std::vector<std::string> const& names) {
    std::vector<std::size_t> order(names.size());
    for (std::size_t j = 0; j < order.size(); ++j) order[j] = j;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return names[a] < names[b]; });
    return order;
}

std::string fixed8(double x) {
    return std::to_string(x).substr(0, 8);
}

// ---- the report ----

// " (few cards)" after a figure of fewer cards than the report's threshold.
std::string few(report_model const& r, std::uint64_t n) {
    return few_cards(r, n) ? " (few cards)" : "";
}

std::string nps_cell(std::optional<stats::nps_figure> const& f) {
    if (!f || !std::isfinite(f->score)) return "-";
    if (!std::isfinite(f->ci95.lo)) return number("%+.1f", f->score);
    return number("%+.1f", f->score) + " (" + number("%+.1f", f->ci95.lo) + " to " +
           number("%+.1f", f->ci95.hi) + ")";
}

std::string pad(std::string s, std::size_t width) {
    std::size_t chars = 0;  // code points, so accented names line up
    for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
    if (chars < width) s.append(width - chars, ' ');
    return s;
}

std::string site_label(report_model const& r, std::string const& id) {
    auto const* name = detail::site_name(r, id);
    return name ? id + " " + *name : id;
}

}  // namespace

std::string to_text(figures const& r) {
    auto const& o = r.asked;
    auto const& all = r.all;
    std::string out = "cards: " + std::to_string(all.n) + '\n';
    if (r.weights)
        out += printf_text("weights: sum %.2f, %s after %d round(s)\n", r.weights->sum,
                           r.weights->converged ? "converged" : "NOT converged", r.weights->rounds);
    if (!o.nps.empty()) {
        if (!all.nps) {
            out += "NPS (" + o.nps + "): suppressed, " + detail::under_min_n(o.min_n) + '\n';
        } else {
            auto const& f = *all.nps;
            out += printf_text("NPS (%s): %s", o.nps.c_str(), number("%.1f", f.score).c_str());
            if (std::isfinite(f.se) && f.method == stats::nps_interval::wald)
                out += printf_text(" ± %.1f (95%% CI %.1f to %.1f, Wald)", stats::nps_z * f.se,
                                   f.ci95.lo, f.ci95.hi);
            else if (std::isfinite(f.se))
                out += printf_text(" (95%% CI %.1f to %.1f, adjusted-Wald), SE %.1f", f.ci95.lo,
                                   f.ci95.hi, f.se);
            out += printf_text(", n = %llu: %llu promoters, %llu passives, %llu detractors",
                               ull(f.n), ull(f.promoters), ull(f.passives), ull(f.detractors));
            if (!std::isfinite(f.se)) out += " (too few answers for an interval)";
            out += '\n';
        }
    }
    if (!o.csat.empty()) {
        if (!all.csat)
            out += "CSAT (" + o.csat + "): suppressed, " + detail::under_min_n(o.min_n) + '\n';
        else
            out += printf_text("CSAT (%s): %s answer 4 or 5 (95%% CI %s to %s), n = %llu\n",
                               o.csat.c_str(), number("%.1f%%", 100 * all.csat->share).c_str(),
                               number("%.1f%%", 100 * all.csat->ci95.lo).c_str(),
                               number("%.1f%%", 100 * all.csat->ci95.hi).c_str(), ull(all.csat->n));
    }
    if (!o.ces.empty()) mean_line(out, "CES (" + o.ces + ")", all.ces, o.min_n);
    // Means and breakdowns by name, as the JSON keys them.
    std::vector<named_mean const*> means;
    for (auto const& m : all.means) means.push_back(&m);
    std::stable_sort(means.begin(), means.end(),
                     [](auto const* a, auto const* b) { return a->column < b->column; });
    for (auto const* m : means) mean_line(out, m->column, m->figure, o.min_n);
    std::vector<breakdown const*> by;
    for (auto const& b : r.by) by.push_back(&b);
    std::stable_sort(by.begin(), by.end(),
                     [](auto const* a, auto const* b) { return a->column < b->column; });
    for (auto const* b : by) print_table(out, "by " + b->column + ":", b->column, *b);
    if (r.periods)
        print_table(out, "by " + std::string(stats::to_string(*o.period)) + " of " + o.date + ":",
                    "start", *r.periods);
    if (r.change) {
        auto const& c = *r.change;
        auto from = detail::day_of(*o.compare);
        if (!std::isfinite(c.p))
            out += "\nchange in NPS from " + from + ": not enough cards on both sides\n";
        else
            out += printf_text(
                "\nchange in NPS from %s: %.1f -> %.1f, %+.1f (SE %.1f, z %.2f, p = %.3g)\n",
                from.c_str(), c.before, c.after, c.diff, c.se, c.z, c.p);
        auto const& s = r.csat_change;
        auto const& m = r.ces_change;
        // Says so when a change has no test (too few cards on a side).
        auto tested = [&](char const* figure, double p) {
            if (!std::isfinite(p))
                out += std::string("change in ") + figure + " from " + from +
                       ": not enough cards on both sides\n";
            return std::isfinite(p);
        };
        if (s && tested("CSAT", s->p))
            out += printf_text(
                "change in CSAT from %s: %s -> %s, %s points (95%% CI %s to %s, Newcombe; "
                "z %.2f, p = %.3g)\n",
                from.c_str(), number("%.1f%%", 100 * s->before).c_str(),
                number("%.1f%%", 100 * s->after).c_str(), number("%+.1f", 100 * s->diff).c_str(),
                number("%+.1f", 100 * s->ci95.lo).c_str(),
                number("%+.1f", 100 * s->ci95.hi).c_str(), s->z, s->p);
        if (m && tested("CES", m->p))
            out += printf_text(
                "change in CES from %s: %s -> %s, %s (95%% CI %s to %s; Welch t %.2f, df %.1f, "
                "p = %.3g)\n",
                from.c_str(), number("%.2f", m->before).c_str(), number("%.2f", m->after).c_str(),
                number("%+.2f", m->diff).c_str(), number("%+.2f", m->ci95.lo).c_str(),
                number("%+.2f", m->ci95.hi).c_str(), m->t, m->df, m->p);
    }
    if (r.drivers) {
        auto const& d = *r.drivers;
        out += printf_text(
            "\nkey drivers of %s: n = %llu, R² = %.3f\n  %-20s %10s %10s %10s %10s\n",
            d.outcome.c_str(), ull(d.n), d.r2, "", "coef", "se", "std beta", "rel weight");
        for (auto j : by_name(d.names)) {
            auto k = static_cast<Eigen::Index>(j);
            out += printf_text("  %-20s %10.4f %10.4f %10s %10s\n", d.names[j].c_str(), d.coef[k],
                               d.se[k], j ? fixed8(d.std_beta[k - 1]).c_str() : "",
                               j ? fixed8(d.relative_weight[k - 1]).c_str() : "");
        }
    }
    if (r.alpha)
        out += printf_text("\nCronbach's alpha: raw %.3f, standardized %.3f, n = %llu\n",
                           r.alpha->raw, r.alpha->standardized, ull(r.alpha->n));
    return out;
}

std::string to_text(report_model const& r) {
    auto const& f = r.figures;
    auto const min_n = f.asked.min_n;
    std::string out = r.title + " (" + r.survey + ")";
    if (r.from) out += ", " + format_timestamp(*r.from) + " to " + format_timestamp(*r.to);
    out += ", " + std::to_string(f.all.n) + " cards\n\n";
    auto suppressed = [&](char const* label) {
        out += std::string(label) + "suppressed, " + detail::under_min_n(min_n) + '\n';
    };
    if (!f.all.nps)
        suppressed("NPS   ");
    else
        out += "NPS   " + nps_cell(f.all.nps) + ", n = " + std::to_string(f.all.nps->n) + ": " +
               std::to_string(f.all.nps->promoters) + " promoters, " +
               std::to_string(f.all.nps->passives) + " passives, " +
               std::to_string(f.all.nps->detractors) + " detractors" + few(r, f.all.nps->n) + '\n';
    if (f.all.csat)
        out += "CSAT  " + number("%.1f%%", 100 * f.all.csat->share) + " (" +
               number("%.1f", 100 * f.all.csat->ci95.lo) + " to " +
               number("%.1f%%", 100 * f.all.csat->ci95.hi) +
               "), n = " + std::to_string(f.all.csat->n) + few(r, f.all.csat->n) + '\n';
    else if (!f.asked.csat.empty())
        suppressed("CSAT  ");
    if (f.all.ces)
        out += "CES   " + number("%.2f", f.all.ces->mean) + " of 7 (" +
               number("%.2f", f.all.ces->ci95.lo) + " to " + number("%.2f", f.all.ces->ci95.hi) +
               (f.all.ces->clipped ? ", clipped to 1-7" : "") +
               "), n = " + std::to_string(f.all.ces->n) + few(r, f.all.ces->n) + '\n';
    else if (!f.asked.ces.empty())
        suppressed("CES   ");

    if (auto const* by = find_breakdown(f, r.by)) {
        out += "\nNPS by " + r.by + ", best first:\n";
        for (auto const* s : ranked_by_nps(*by))
            out += "  " + pad(site_label(r, s->label), 38) + pad(nps_cell(s->figures.nps), 26) +
                   "n = " + std::to_string(s->figures.n) + few(r, s->figures.n) + '\n';
        if (by->suppressed)
            out += "  (" + std::to_string(by->suppressed) + " under the minimum n not shown)\n";
    }
    if (f.periods) {
        out += "\nNPS by week:\n";
        for (auto const& p : f.periods->shown)
            out += "  " + p.label + "  " + pad(nps_cell(p.figures.nps), 26) +
                   "n = " + std::to_string(p.figures.n) + few(r, p.figures.n) + '\n';
        if (f.periods->suppressed)
            out += "  (" + std::to_string(f.periods->suppressed) +
                   " week(s) under the minimum n not shown)\n";
    }
    if (!r.no_drivers.empty()) out += "\nKey drivers not worked out: " + r.no_drivers + '\n';
    if (f.drivers) {
        auto const& d = *f.drivers;
        out += "\nKey drivers of " + d.outcome + " (R² " + number("%.2f", d.r2) +
               ", n = " + std::to_string(d.n) +
               "): share of the explained variance, and NPS points per rating point\n";
        for (auto j : by_name(d.names)) {
            if (j == 0) continue;  // the intercept
            auto k = static_cast<Eigen::Index>(j);
            out += "  " + pad(d.names[j], 20) +
                   pad(number("%.0f%%", 100 * d.relative_weight[k - 1] / d.r2), 8) +
                   number("%+.2f", d.coef[k]) + '\n';
        }
    }
    if (r.change) {
        auto const& c = *r.change;
        out += "\nChanges, " + detail::day_of(c.after) + " (" +
               std::string(stats::to_string(c.period)) + " to date) against " +
               detail::day_of(c.before) +
               "; significant: Benjamini-Hochberg adjusted p < 0.05 over the chain and the " +
               std::to_string(c.by.size()) + " site(s) tested:\n";
        // Levels in `level` format, the change in `diff`'s; CSAT in percent and points.
        auto line = [&](std::string const& label, auto const& x, char const* level,
                        char const* diff, double scale) {
            out += "  " + pad(label, 38) + number(level, scale * x.change.before) + " -> " +
                   number(level, scale * x.change.after) + "  " +
                   number(diff, scale * x.change.diff) + " (p = " + number("%.3g", x.change.p) +
                   ", adjusted " + number("%.3g", x.p_adjusted) + ")" +
                   (x.significant ? "" : " not significant") +
                   few(r, std::min(x.before.n, x.after.n)) + '\n';
        };
        auto figures = [&](std::string const& label, nps_change const* n, csat_change const* s,
                           ces_change const* e, bool all) {
            if (n && (all || n->significant)) line("NPS  " + label, *n, "%+.1f", "%+.1f", 1);
            if (s && (all || s->significant)) line("CSAT " + label, *s, "%.1f%%", "%+.1f", 100);
            if (e && (all || e->significant)) line("CES  " + label, *e, "%.2f", "%+.2f", 1);
        };
        if (!c.overall)
            out +=
                "  all: not tested (a period under the minimum n, or answers that do not "
                "vary)\n";
        figures("all", c.overall ? &*c.overall : nullptr, c.csat ? &*c.csat : nullptr,
                c.ces ? &*c.ces : nullptr, true);
        for (auto const& s : c.by)
            figures(site_label(r, s.site), &s.change, s.csat ? &*s.csat : nullptr,
                    s.ces ? &*s.ces : nullptr, false);
    }
    if (r.cases) {
        auto const& c = *r.cases;
        out += "\nCases: " + std::to_string(c.open) + " open, " + std::to_string(c.acknowledged) +
               " acknowledged, " + std::to_string(c.resolved) + " resolved; " +
               std::to_string(c.escalated) + " escalated; " + std::to_string(c.overdue.size()) +
               " overdue and still open\n";
        for (auto const& o : c.overdue)
            out += "  " + pad(o.id, 40) + pad(o.site, 16) + "with " + o.role + ", opened " +
                   format_timestamp(o.opened) + ", " + std::to_string(o.escalations) +
                   " escalation(s)\n";
    }
    if (!r.invitations.empty()) {
        out += "\nInvitations (sent, answered, rate):\n";
        for (auto const& i : r.invitations) {
            char rate[16];
            std::snprintf(rate, sizeof rate, "%.1f%%", 100 * i.ratio());
            out += "  " + pad(site_label(r, i.site), 24) + pad(i.channel, 10) +
                   pad(std::to_string(i.sent), 10) + pad(std::to_string(i.answered), 10) + rate +
                   "\n";
        }
    }
    auto const& q = r.quality;
    out +=
        "\nQuality flags (" + std::to_string(q.any) + " of " + std::to_string(q.cards) + " cards):";
    auto flag = [&](char const* name, std::optional<std::uint64_t> n) {
        if (n) out += std::string(" ") + name + ' ' + std::to_string(*n) + ';';
    };
    flag("speeders", q.speeders);
    flag("straight_liners", q.straight_liners);
    flag("duplicate_text", q.duplicate_text);
    flag("bursts", q.bursts);
    out += '\n';
    out += std::string("\nNewest comments of detractors") +
           (r.personal_data ? "" : " (contact details removed)") + ":\n";
    for (auto const& v : r.verbatims) {
        out += "  " + (v.submitted ? detail::day_of(*v.submitted) : std::string()) + ' ' +
               v.site.value_or("") + " NPS " + std::to_string(v.nps) + ':';
        for (auto const& [id, t] : v.text) out += ' ' + t;
        for (auto const& [id, t] : v.contact) out += " [" + id + ": " + t + ']';
        out += '\n';
    }
    return out;
}

}  // namespace candor::report
