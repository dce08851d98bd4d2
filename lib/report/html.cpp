// The head-office report as one HTML file: inline CSS and hand-drawn SVG, no script, no
// outside resource, printable. Everything that came from data is escaped.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "candor/report/render.hpp"
#include "candor/time.hpp"
#include "printing.hpp"
#include "util/html.hpp"

namespace candor::report {

using detail::number;

std::string html_escape(std::string_view text) {
    return util::html_escape(text);
}

namespace {

// Axis labels: signed, but zero is just 0.
std::string tick(double t) {
    return t == 0 ? "0" : number("%+.0f", t);
}
std::string px(double x) {
    return number("%.1f", x);
}
std::string num(std::uint64_t n) {
    return std::to_string(n);
}

constexpr char const* good = "#2f7d4f";
constexpr char const* bad = "#b3362c";
constexpr char const* neutral = "#5b6b7b";
constexpr char const* accent = "#2c5d8f";

constexpr char const* style = R"(<style>
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1d2733;
  background: #f4f6f8; margin: 0; }
main { max-width: 1100px; margin: 0 auto; padding: 28px 32px 48px; }
header { border-bottom: 3px solid #2c5d8f; margin-bottom: 20px; padding-bottom: 10px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 0 0 10px; }
.sub { color: #5b6b7b; }
section { background: #fff; border: 1px solid #dde3e9; border-radius: 8px; padding: 18px 22px; margin: 0 0 18px;
  break-inside: avoid; }
.kpis { display: grid; grid-template-columns: repeat(3, 1fr); gap: 18px; margin-bottom: 18px; }
.kpi { background: #fff; border: 1px solid #dde3e9; border-radius: 8px; padding: 14px 18px; }
.kpi .label { color: #5b6b7b; font-size: 13px; text-transform: uppercase; letter-spacing: .04em; }
.kpi .value { font-size: 34px; font-weight: 650; }
.kpi .ci { color: #5b6b7b; font-size: 13px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #e6eaee; vertical-align: top; }
th { color: #5b6b7b; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.better { color: #2f7d4f; font-weight: 600; } .worse { color: #b3362c; font-weight: 600; }
.note { color: #5b6b7b; font-size: 13px; margin: 8px 0 0; }
.few { opacity: .5; } .few-tag { color: #5b6b7b; font-size: 12px; font-style: italic; }
blockquote { margin: 0; padding: 8px 12px; border-left: 3px solid #b3362c; background: #fbf3f2; }
.meta { color: #5b6b7b; font-size: 13px; margin-bottom: 3px; }
.verbatim { margin-bottom: 12px; }
svg { display: block; width: 100%; height: auto; }
svg text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; fill: #1d2733; }
svg .axis { fill: #5b6b7b; }
@media print { body { background: #fff; } main { padding: 0; } section, .kpi { border-color: #bbb; } }
</style>
)";

std::string site_label(report_model const& r, std::string const& id) {
    auto const* name = detail::site_name(r, id);
    return name ? *name + " (" + id + ")" : id;
}

// A figure with both ends of its 95% interval: one that can be drawn.
bool drawable(std::optional<stats::nps_figure> const& f) {
    return f && std::isfinite(f->score) && std::isfinite(f->ci95.lo) && std::isfinite(f->ci95.hi);
}

// A section that only says why it has nothing to show.
void empty_section(std::string& out, std::string const& title, std::string const& why) {
    out +=
        "<section><h2>" + title + "</h2><p class=\"note\">" + html_escape(why) + "</p></section>\n";
}

// A scale from data values to pixels.
struct axis {
    double lo, hi, from, to;
    double operator()(double v) const { return from + (v - lo) / (hi - lo) * (to - from); }
};

// NPS limits rounded out to tens, within -100..100.
std::pair<double, double> nps_range(double lo, double hi) {
    lo = std::max(-100.0, std::floor((lo - 2) / 10) * 10);
    hi = std::min(100.0, std::ceil((hi + 2) / 10) * 10);
    if (hi - lo < 20) lo = std::max(-100.0, lo - 10), hi = std::min(100.0, hi + 10);
    return {lo, hi};
}

// " few cards" as a tag, after a figure of fewer cards than the report's threshold.
std::string few_tag(report_model const& r, std::uint64_t n) {
    return few_cards(r, n) ? " <span class=\"few-tag\">few cards</span>" : "";
}
// The class of a figure's element: greyed when it has few cards.
std::string few_class(report_model const& r, std::uint64_t n, char const* base) {
    return std::string(base) + (few_cards(r, n) ? " few" : "");
}

// One headline figure's box; the NPS's also holds its split.
void kpi(std::string& out, char const* label, std::string const& value, std::string const& note,
         std::string const& css = "kpi") {
    out += "<div class=\"" + css + "\"><div class=\"label\">" + label +
           "</div><div class=\"value\">" + value + "</div><div class=\"ci\">" + note +
           "</div></div>\n";
}

void kpi_suppressed(std::string& out, char const* label, std::uint64_t min_n) {
    kpi(out, label, "&ndash;", "not shown: " + detail::under_min_n(min_n));
}

void kpis(std::string& out, report_model const& r) {
    auto const& f = r.figures;
    auto const& all = f.all;
    auto const min_n = f.asked.min_n;
    out += "<div class=\"kpis\">\n";
    if (all.nps) {
        auto const& n = *all.nps;
        auto total = static_cast<double>(n.n);
        out += "<div class=\"" + few_class(r, n.n, "kpi") +
               "\"><div class=\"label\">Net Promoter Score</div><div "
               "class=\"value\">" +
               number("%+.1f", n.score) + "</div><div class=\"ci\">95% interval " +
               number("%+.1f", n.ci95.lo) + " to " + number("%+.1f", n.ci95.hi) +
               " &middot; n = " + num(n.n) + few_tag(r, n.n) + "</div>\n";
        // Promoters, passives, detractors as one stacked bar.
        out +=
            "<svg viewBox=\"0 0 300 34\" role=\"img\" aria-label=\"promoters, passives and "
            "detractors\">";
        double x = 0;
        for (auto [count, color] :
             {std::pair{n.promoters, good}, {n.passives, "#a9b4bf"}, {n.detractors, bad}}) {
            double w = total > 0 ? 300 * static_cast<double>(count) / total : 0;
            out += "<rect x=\"" + px(x) + "\" y=\"4\" width=\"" + px(w) +
                   "\" height=\"10\" fill=\"" + color + "\"/>";
            x += w;
        }
        out += "<text x=\"0\" y=\"30\" class=\"axis\">" + num(n.promoters) + " promoters &#183; " +
               num(n.passives) + " passives &#183; " + num(n.detractors) +
               " detractors</text></svg></div>\n";
    } else if (!f.asked.nps.empty()) {
        kpi_suppressed(out, "Net Promoter Score", min_n);
    }
    if (all.csat) {
        auto const& c = *all.csat;
        kpi(out, "Satisfaction (CSAT)", number("%.1f%%", 100 * c.share),
            "answered 4 or 5 of 5 &middot; 95% interval " + number("%.1f", 100 * c.ci95.lo) +
                " to " + number("%.1f%%", 100 * c.ci95.hi) + " &middot; n = " + num(c.n) +
                few_tag(r, c.n),
            few_class(r, c.n, "kpi"));
    } else if (!f.asked.csat.empty()) {
        kpi_suppressed(out, "Satisfaction (CSAT)", min_n);
    }
    if (all.ces) {
        auto const& c = *all.ces;
        kpi(out, "Check-in effort (CES)", number("%.2f", c.mean),
            "mean of 1 (easy) to 7 (hard) &middot; 95% interval " + number("%.2f", c.ci95.lo) +
                " to " + number("%.2f", c.ci95.hi) + (c.clipped ? ", clipped to 1-7" : "") +
                " &middot; n = " + num(c.n) + few_tag(r, c.n),
            few_class(r, c.n, "kpi"));
    } else if (!f.asked.ces.empty()) {
        kpi_suppressed(out, "Check-in effort (CES)", min_n);
    }
    out += "</div>\n";
}

// Sites ranked by NPS, each with its 95% interval as a whisker; the overall NPS as a line.
void by_site(std::string& out, report_model const& r) {
    auto const& f = r.figures;
    auto const* by = find_breakdown(f, r.by);
    if (!by) return;
    auto const title = "NPS by " + html_escape(r.by) + ", ranked";
    auto hidden = by->suppressed ? " " + std::to_string(by->suppressed) +
                                       " with fewer cards than the minimum are not shown."
                                 : std::string();
    std::vector<segment const*> rows;
    for (auto const* s : ranked_by_nps(*by))
        if (drawable(s->figures.nps)) rows.push_back(s);
    if (!drawable(f.all.nps) || rows.empty()) {
        auto why = "No " + r.by + " has " + std::to_string(f.asked.min_n) +
                   " cards or more and an interval to draw." + hidden;
        if (!drawable(f.all.nps))
            why = "Not drawn: the NPS of all cards is suppressed (" +
                  detail::under_min_n(f.asked.min_n) + ") or has no interval." + hidden;
        return empty_section(out, title, why);
    }
    auto const& all = *f.all.nps;
    double lo = all.ci95.lo, hi = all.ci95.hi;
    for (auto const* s : rows)
        lo = std::min(lo, s->figures.nps->ci95.lo), hi = std::max(hi, s->figures.nps->ci95.hi);
    auto [a, b] = nps_range(lo, hi);
    axis x{a, b, 300, 930};
    double const top = 24, step = 28, height = top + step * static_cast<double>(rows.size()) + 24;
    double overall = all.score, olo = all.ci95.lo, ohi = all.ci95.hi;
    out += "<section><h2>" + title + "</h2>\n<svg viewBox=\"0 0 1000 " + px(height) +
           "\" role=\"img\" aria-label=\"NPS by " + html_escape(r.by) + " with 95% intervals\">\n";
    for (double t = std::ceil(a / 20) * 20; t <= b + 1e-9; t += 20)
        out += "<line x1=\"" + px(x(t)) + "\" x2=\"" + px(x(t)) + "\" y1=\"" + px(top - 6) +
               "\" y2=\"" + px(height - 20) + "\" stroke=\"" + (t == 0 ? "#8a96a3" : "#e6eaee") +
               "\"/>" + "<text x=\"" + px(x(t)) + "\" y=\"" + px(height - 6) +
               "\" text-anchor=\"middle\" class=\"axis\">" + tick(t) + "</text>\n";
    out += "<rect x=\"" + px(x(olo)) + "\" y=\"" + px(top - 6) + "\" width=\"" +
           px(x(ohi) - x(olo)) + "\" height=\"" + px(height - top - 14) + "\" fill=\"" + accent +
           "\" opacity=\"0.08\"/>" + "<line x1=\"" + px(x(overall)) + "\" x2=\"" + px(x(overall)) +
           "\" y1=\"" + px(top - 6) + "\" y2=\"" + px(height - 20) + "\" stroke=\"" + accent +
           "\" stroke-dasharray=\"4 3\"/>" + "<text x=\"" + px(x(overall)) + "\" y=\"" +
           px(top - 10) + "\" text-anchor=\"middle\" fill=\"" + accent + "\">all " +
           number("%+.1f", overall) + "</text>\n";
    for (std::size_t k = 0; k < rows.size(); ++k) {
        auto const& s = *rows[k];
        auto const& n = *s.figures.nps;
        double y = top + step * static_cast<double>(k) + step / 2;
        bool few = few_cards(r, s.figures.n);
        char const* color = few               ? neutral
                            : n.ci95.lo > ohi ? good
                            : n.ci95.hi < olo ? bad
                                              : neutral;
        out += std::string(few ? "<g class=\"few\">" : "<g>") + "<text x=\"290\" y=\"" + px(y + 4) +
               "\" text-anchor=\"end\">" + html_escape(site_label(r, s.label)) +
               (few ? " &#183; few cards" : "") + "</text>" + "<line x1=\"" + px(x(n.ci95.lo)) +
               "\" x2=\"" + px(x(n.ci95.hi)) + "\" y1=\"" + px(y) + "\" y2=\"" + px(y) +
               "\" stroke=\"" + color + "\" stroke-width=\"2\"/>";
        for (double e : {n.ci95.lo, n.ci95.hi})
            out += "<line x1=\"" + px(x(e)) + "\" x2=\"" + px(x(e)) + "\" y1=\"" + px(y - 5) +
                   "\" y2=\"" + px(y + 5) + "\" stroke=\"" + color + "\" stroke-width=\"2\"/>";
        out += "<circle cx=\"" + px(x(n.score)) + "\" cy=\"" + px(y) + "\" r=\"5\" fill=\"" +
               color + "\"/>" + "<text x=\"940\" y=\"" + px(y + 4) + "\" class=\"axis\">" +
               number("%+.0f", n.score) + "</text>" + "<title>" + html_escape(s.label) + ": NPS " +
               number("%+.1f", n.score) + " (" + number("%+.1f", n.ci95.lo) + " to " +
               number("%+.1f", n.ci95.hi) + "), n = " + num(s.figures.n) +
               (few ? ", few cards" : "") + "</title></g>\n";
    }
    out +=
        "</svg>\n<p class=\"note\">Dots: NPS; whiskers: 95% interval; shaded: the interval of "
        "all cards. Green: "
        "above all cards beyond doubt; red: below. Greyed: few cards (under " +
        num(r.few_cards) + "), the interval wide." + hidden + "</p></section>\n";
}

// Weekly NPS as a line, its 95% interval as a band.
void trend(std::string& out, report_model const& r) {
    auto const& f = r.figures;
    if (!f.periods) return;
    std::vector<segment const*> weeks;
    for (auto const& p : f.periods->shown)
        if (drawable(p.figures.nps)) weeks.push_back(&p);
    if (weeks.size() < 2)
        return empty_section(out, "NPS by week",
                             "Not drawn: fewer than two weeks to draw (" +
                                 std::to_string(f.periods->suppressed) +
                                 " week(s) under the minimum n).");
    double lo = 100, hi = -100;
    for (auto const* w : weeks)
        lo = std::min(lo, w->figures.nps->ci95.lo), hi = std::max(hi, w->figures.nps->ci95.hi);
    auto [a, b] = nps_range(lo, hi);
    axis y{a, b, 270, 20};
    axis x{0, static_cast<double>(weeks.size() - 1), 60, 980};
    out +=
        "<section><h2>NPS by week</h2>\n<svg viewBox=\"0 0 1000 310\" role=\"img\" "
        "aria-label=\"weekly NPS with "
        "95% interval band\">\n";
    for (double t = a; t <= b + 1e-9; t += 10)
        out += "<line x1=\"60\" x2=\"980\" y1=\"" + px(y(t)) + "\" y2=\"" + px(y(t)) +
               "\" stroke=\"" + (t == 0 ? "#8a96a3" : "#e6eaee") + "\"/><text x=\"52\" y=\"" +
               px(y(t) + 4) + "\" text-anchor=\"end\" class=\"axis\">" + tick(t) + "</text>\n";
    std::string band, line;
    for (std::size_t k = 0; k < weeks.size(); ++k)
        band += px(x(double(k))) + "," + px(y(weeks[k]->figures.nps->ci95.hi)) + " ";
    for (std::size_t k = weeks.size(); k-- > 0;)
        band += px(x(double(k))) + "," + px(y(weeks[k]->figures.nps->ci95.lo)) + " ";
    for (std::size_t k = 0; k < weeks.size(); ++k)
        line += px(x(double(k))) + "," + px(y(weeks[k]->figures.nps->score)) + " ";
    band.pop_back(), line.pop_back();
    out += "<polygon points=\"" + band + "\" fill=\"" + accent +
           "\" opacity=\"0.16\"/>\n<polyline points=\"" + line + "\" fill=\"none\" stroke=\"" +
           accent + "\" stroke-width=\"2\"/>\n";
    auto every = std::max<std::size_t>(1, (weeks.size() + 12) / 13);
    for (std::size_t k = 0; k < weeks.size(); ++k) {
        auto const& w = *weeks[k];
        auto const& n = *w.figures.nps;
        auto start = html_escape(w.label);
        bool few = few_cards(r, w.figures.n);
        out += "<circle cx=\"" + px(x(double(k))) + "\" cy=\"" + px(y(n.score)) +
               "\" r=\"3\" fill=\"" + (few ? "#a9b4bf" : accent) + "\"><title>week of " + start +
               ": NPS " + number("%+.1f", n.score) + " (" + number("%+.1f", n.ci95.lo) + " to " +
               number("%+.1f", n.ci95.hi) + "), n = " + num(w.figures.n) +
               (few ? ", few cards" : "") + "</title></circle>\n";
        if (k % every == 0)
            out += "<text x=\"" + px(x(double(k))) +
                   "\" y=\"295\" text-anchor=\"middle\" class=\"axis\">" + start.substr(5) +
                   "</text>\n";
    }
    out +=
        "</svg>\n<p class=\"note\">Weeks start on Monday (labelled month-day); the band is the "
        "95% interval; grey points: few cards (under " +
        num(r.few_cards) +
        "). "
        "Weeks with fewer cards than the minimum are left out.</p></section>\n";
}

// Key drivers: each rating's share of the explained variance (relative weights).
void drivers(std::string& out, report_model const& r) {
    auto const& f = r.figures;
    if (!r.no_drivers.empty())
        out +=
            "<section><h2>What drives the recommendation</h2><p class=\"note\">Not worked "
            "out: " +
            html_escape(r.no_drivers) + "</p></section>\n";
    if (!f.drivers) return;
    auto const& d = *f.drivers;
    double r2 = d.r2;
    std::vector<std::pair<double, std::size_t>> rows;  // relative weight, term
    for (std::size_t j = 1; j < d.names.size(); ++j)
        rows.emplace_back(d.relative_weight[static_cast<Eigen::Index>(j - 1)], j);
    std::sort(rows.begin(), rows.end(), [&](auto const& a, auto const& b) {
        return std::pair(a.first, d.names[a.second]) > std::pair(b.first, d.names[b.second]);
    });
    double const step = 30, height = 16 + step * static_cast<double>(rows.size());
    out += "<section><h2>What drives the recommendation</h2>\n<svg viewBox=\"0 0 1000 " +
           px(height) + "\" role=\"img\" aria-label=\"key drivers\">\n";
    axis x{0, 1, 200, 760};
    for (std::size_t k = 0; k < rows.size(); ++k) {
        auto const& [w, j] = rows[k];
        double share = r2 > 0 ? w / r2 : 0, y = 8 + step * static_cast<double>(k);
        out += "<text x=\"190\" y=\"" + px(y + 15) + "\" text-anchor=\"end\">" +
               html_escape(d.names[j]) + "</text>" + "<rect x=\"200\" y=\"" + px(y + 2) +
               "\" width=\"" + px(std::max(1.0, x(share) - 200)) +
               "\" height=\"18\" rx=\"3\" fill=\"" + accent + "\"/>" + "<text x=\"" +
               px(x(share) + 8) + "\" y=\"" + px(y + 15) + "\">" + number("%.0f%%", 100 * share) +
               "<tspan class=\"axis\"> &#183; " +
               number("%+.2f", d.coef[static_cast<Eigen::Index>(j)]) +
               " per rating point</tspan></text>\n";
    }
    out +=
        "</svg>\n<p class=\"note\">Bars: each rating's share of what the ratings explain of the "
        "0-10 "
        "recommendation (relative weights; together R&sup2; = " +
        number("%.2f", r2) + ", n = " + num(d.n) +
        " cards answering all). Points: the recommendation's change per rating point, the "
        "others held equal.</p>"
        "</section>\n";
}

void changes(std::string& out, report_model const& r) {
    if (!r.change) return;
    auto const& c = *r.change;
    auto period = std::string(stats::to_string(c.period));
    out += "<section><h2>What changed</h2>\n<p class=\"sub\">NPS, CSAT and CES in the " + period +
           " from " + detail::day_of(c.after) + " against the " + period + " from " +
           detail::day_of(c.before) +
           "; a site's change is shown when it is significant: Benjamini-Hochberg adjusted p "
           "&lt; 0.05 over the chain and the " +
           std::to_string(c.by.size()) + " sites tested, figure by figure.</p>\n";
    std::string rows;
    auto p_cell = [](double p) { return p < 0.001 ? "&lt; 0.001" : number("%.3f", p); };
    // Green when better, red when worse: a lower CES (less effort) is better.
    auto row = [&](std::string const& label, char const* figure, auto const& x, char const* level,
                   char const* change, double scale) {
        bool higher_is_better = std::string_view(figure) != "CES";
        double diff = x.change.diff;
        auto n = std::min(x.before.n, x.after.n);
        rows += "<tr" + std::string(few_cards(r, n) ? " class=\"few\"" : "") + "><td>" + figure +
                " &middot; " + html_escape(label) + "</td><td class=\"num\">" +
                number(level, scale * x.change.before) + "</td><td class=\"num\">" +
                number(level, scale * x.change.after) + "</td><td class=\"num" +
                (x.significant ? (diff > 0) == higher_is_better ? " better" : " worse" : "") +
                "\">" + number(change, scale * diff) + "</td><td class=\"num\">" +
                p_cell(x.change.p) + "</td><td class=\"num\">" + p_cell(x.p_adjusted) +
                "</td><td class=\"num\">" + num(x.before.n) + " / " + num(x.after.n) +
                few_tag(r, n) + "</td></tr>\n";
    };
    auto figures = [&](std::string const& label, nps_change const* n, csat_change const* s,
                       ces_change const* e, bool all) {
        std::size_t shown = 0;
        if (n && (all || n->significant)) row(label, "NPS", *n, "%+.1f", "%+.1f", 1), ++shown;
        if (s && (all || s->significant)) row(label, "CSAT", *s, "%.1f%%", "%+.1f", 100), ++shown;
        if (e && (all || e->significant)) row(label, "CES", *e, "%.2f", "%+.2f", 1), ++shown;
        return shown;
    };
    figures("All sites", c.overall ? &*c.overall : nullptr, c.csat ? &*c.csat : nullptr,
            c.ces ? &*c.ces : nullptr, true);
    std::size_t shown = 0;
    for (auto const& s : c.by)
        shown += figures(site_label(r, s.site), &s.change, s.csat ? &*s.csat : nullptr,
                         s.ces ? &*s.ces : nullptr, false) > 0;
    if (!rows.empty())
        out +=
            "<table><tr><th></th><th class=\"num\">before</th><th "
            "class=\"num\">after</th>"
            "<th class=\"num\">change</th><th class=\"num\">p</th><th class=\"num\">adjusted "
            "p</th><th class=\"num\">cards</th></tr>\n" +
            rows + "</table>\n";
    out += "<p class=\"note\">";
    if (!c.overall)
        out +=
            "All sites: not tested (a period under the minimum n, or answers that do not "
            "vary). ";
    out += (shown ? std::to_string(shown) + " of " + std::to_string(c.by.size()) +
                        " sites changed significantly."
                  : std::string("No site changed significantly.")) +
           " Tests: NPS two-sided z, CSAT two-sample proportions with Newcombe's interval, CES "
           "Welch's t.</p></section>\n";
}

void cases(std::string& out, report_model const& r) {
    if (!r.cases) return;
    auto const& c = *r.cases;
    out += "<section><h2>Cases</h2>\n<p><strong>" + num(c.open) + "</strong> open, " +
           num(c.acknowledged) + " acknowledged, " + num(c.resolved) + " resolved; " +
           num(c.escalated) + " escalated. <strong>" + num(c.overdue.size()) +
           "</strong> overdue and still open (as of " + html_escape(format_timestamp(r.generated)) +
           ").</p>\n";
    if (!c.overdue.empty()) {
        out +=
            "<table><tr><th>case</th><th>site</th><th>now "
            "with</th><th>opened</th><th>deadline</th><th "
            "class=\"num\">escalations</th></tr>\n";
        for (auto const& o : c.overdue)
            out += "<tr><td>" + html_escape(o.id) + "</td><td>" +
                   html_escape(site_label(r, o.site)) + "</td><td>" + html_escape(o.role) +
                   "</td><td>" + format_timestamp(o.opened) + "</td><td>" +
                   (o.deadline ? format_timestamp(o.deadline) : std::string("none left")) +
                   "</td><td class=\"num\">" + num(o.escalations) + "</td></tr>\n";
        out += "</table>\n";
    }
    out += "</section>\n";
}

void invitations(std::string& out, report_model const& r) {
    if (r.invitations.empty()) return;
    out +=
        "<section><h2>Invitations</h2>\n<table><tr><th>site</th><th>channel</th><th "
        "class=\"num\">sent</th><th class=\"num\">answered</th><th "
        "class=\"num\">rate</th></tr>\n";
    for (auto const& i : r.invitations) {
        char rate[16];
        std::snprintf(rate, sizeof rate, "%.1f%%", 100 * i.ratio());
        out += "<tr><td>" + html_escape(site_label(r, i.site)) + "</td><td>" +
               html_escape(i.channel) + "</td><td class=\"num\">" + num(i.sent) +
               "</td><td class=\"num\">" + num(i.answered) + "</td><td class=\"num\">" + rate +
               "</td></tr>\n";
    }
    out += "</table></section>\n";
}

void quality(std::string& out, report_model const& r) {
    auto const& q = r.quality;
    out +=
        "<section><h2>Response quality</h2>\n<table><tr><th>flag</th><th "
        "class=\"num\">cards</th><th>means</th></tr>\n";
    auto row = [&](std::optional<std::uint64_t> n, char const* label, std::string const& means) {
        if (n)
            out += std::string("<tr><td>") + label + "</td><td class=\"num\">" + num(*n) +
                   "</td><td>" + means + "</td></tr>\n";
    };
    row(q.speeders, "Speeders",
        "completed in under " + number("%.0f", q.speeder_seconds) + " seconds");
    row(q.straight_liners, "Straight-liners", "the same answer to every rating");
    row(q.duplicate_text, "Duplicate text", "a comment another card gave word for word");
    row(q.bursts, "Bursts",
        "more than " + std::to_string(q.burst_cards) + " cards from one device within " +
            number("%.0f", q.burst_minutes) + " minutes");
    out += "<tr><th>Any flag</th><th class=\"num\">" + num(q.any) + "</th><th>of " + num(q.cards) +
           " cards</th></tr>\n</table>\n<p class=\"note\">Flagged cards are counted in every "
           "figure; the flags say "
           "where to look, not what to drop.</p></section>\n";
}

void verbatims(std::string& out, report_model const& r) {
    out += "<section><h2>What detractors said, newest first</h2>\n";
    if (!r.personal_data)
        out += "<p class=\"note\">Contact details are removed for this reader.</p>\n";
    if (r.verbatims.empty()) out += "<p>No comments from detractors.</p>\n";
    for (auto const& v : r.verbatims) {
        out += "<div class=\"verbatim\"><div class=\"meta\">" +
               (v.submitted ? detail::day_of(*v.submitted) : std::string()) + " &middot; " +
               html_escape(site_label(r, v.site.value_or(""))) + " &middot; " +
               html_escape(v.language.value_or("")) + " &middot; NPS " + std::to_string(v.nps) +
               "</div><blockquote>";
        std::string sep;
        for (auto const& [id, t] : v.text) out += sep + html_escape(t), sep = "<br>";
        out += "</blockquote>";
        if (!v.contact.empty()) {
            out += "<div class=\"meta\">Contact:";
            for (auto const& [id, t] : v.contact)
                out += ' ' + html_escape(id) + ' ' + html_escape(t) + ';';
            out += "</div>";
        }
        out += "</div>\n";
    }
    out += "</section>\n";
}

}  // namespace

std::string to_html(report_model const& r) {
    auto const& f = r.figures;
    auto title = html_escape(r.title);
    std::string out =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
        title + " &mdash; guest feedback report</title>\n" + style +
        "</head>\n<body>\n<main>\n<header><h1>" + title + "</h1><div class=\"sub\">Survey " +
        html_escape(r.survey) + " version " + std::to_string(r.version) + " &middot; " +
        num(f.all.n) + " cards";
    if (r.from)
        out += " from " + html_escape(detail::day_of(*r.from)) + " to " +
               html_escape(detail::day_of(*r.to));
    out += " &middot; made " + html_escape(format_timestamp(r.generated)) + "</div></header>\n";
    kpis(out, r);
    by_site(out, r);
    trend(out, r);
    drivers(out, r);
    changes(out, r);
    cases(out, r);
    invitations(out, r);
    quality(out, r);
    verbatims(out, r);
    out += "</main>\n</body>\n</html>\n";
    return out;
}

}  // namespace candor::report
