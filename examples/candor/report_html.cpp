// The head-office report as one HTML file: inline CSS and hand-drawn SVG, no script, no
// outside resource, printable. Everything that came from data is escaped.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "report.hpp"

namespace candor::cli {

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

namespace {

using nlohmann::json;

// Axis labels: signed, but zero is just 0.
std::string tick(double t) {
    return t == 0 ? "0" : number_text("%+.0f", t);
}
std::string px(double x) {
    return number_text("%.1f", x);
}
std::string esc(json const& j) {
    return html_escape(str(j));
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
.up { color: #2f7d4f; font-weight: 600; } .down { color: #b3362c; font-weight: 600; }
.note { color: #5b6b7b; font-size: 13px; margin: 8px 0 0; }
blockquote { margin: 0; padding: 8px 12px; border-left: 3px solid #b3362c; background: #fbf3f2; }
.meta { color: #5b6b7b; font-size: 13px; margin-bottom: 3px; }
.verbatim { margin-bottom: 12px; }
svg { display: block; width: 100%; height: auto; }
svg text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; fill: #1d2733; }
svg .axis { fill: #5b6b7b; }
@media print { body { background: #fff; } main { padding: 0; } section, .kpi { border-color: #bbb; } }
</style>
)";

std::string site_label(json const& r, std::string const& id) {
    if (r.contains("names") && r["names"].contains(id))
        return str(r["names"][id]) + " (" + id + ")";
    return id;
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

void kpis(std::ostream& out, json const& f) {
    out << "<div class=\"kpis\">\n";
    if (!f["nps"].is_null()) {
        auto const& n = f["nps"];
        auto total = number_of(n["n"]);
        out << "<div class=\"kpi\"><div class=\"label\">Net Promoter Score</div><div "
               "class=\"value\">"
            << number_text("%+.1f", number_of(n["score"]))
            << "</div><div class=\"ci\">95% interval "
            << number_text("%+.1f", number_of(n["ci95"][0])) << " to "
            << number_text("%+.1f", number_of(n["ci95"][1])) << " &middot; n = " << n["n"]
            << "</div>\n";
        // Promoters, passives, detractors as one stacked bar.
        out << "<svg viewBox=\"0 0 300 34\" role=\"img\" aria-label=\"promoters, passives and "
               "detractors\">";
        double x = 0;
        for (auto [key, color] :
             {std::pair{"promoters", good}, {"passives", "#a9b4bf"}, {"detractors", bad}}) {
            double w = total > 0 ? 300 * number_of(n[key]) / total : 0;
            out << "<rect x=\"" << px(x) << "\" y=\"4\" width=\"" << px(w)
                << "\" height=\"10\" fill=\"" << color << "\"/>";
            x += w;
        }
        out << "<text x=\"0\" y=\"30\" class=\"axis\">" << n["promoters"] << " promoters &#183; "
            << n["passives"] << " passives &#183; " << n["detractors"]
            << " detractors</text></svg></div>\n";
    }
    if (f.contains("csat") && !f["csat"].is_null()) {
        auto const& c = f["csat"];
        out << "<div class=\"kpi\"><div class=\"label\">Satisfaction (CSAT)</div><div "
               "class=\"value\">"
            << number_text("%.1f%%", 100 * number_of(c["share"]))
            << "</div><div class=\"ci\">answered 4 or 5 of 5 &middot; 95% interval "
            << number_text("%.1f", 100 * number_of(c["ci95"][0])) << " to "
            << number_text("%.1f%%", 100 * number_of(c["ci95"][1])) << " &middot; n = " << c["n"]
            << "</div></div>\n";
    }
    if (f.contains("ces") && !f["ces"].is_null()) {
        auto const& c = f["ces"];
        out << "<div class=\"kpi\"><div class=\"label\">Check-in effort (CES)</div><div "
               "class=\"value\">"
            << number_text("%.2f", number_of(c["mean"]))
            << "</div><div class=\"ci\">mean of 1 (easy) to 7 (hard) &middot; 95% interval "
            << number_text("%.2f", number_of(c["ci95"][0])) << " to "
            << number_text("%.2f", number_of(c["ci95"][1])) << " &middot; n = " << c["n"]
            << "</div></div>\n";
    }
    out << "</div>\n";
}

// Sites ranked by NPS, each with its 95% interval as a whisker; the overall NPS as a line.
void by_site(std::ostream& out, json const& r) {
    auto const& f = r["figures"];
    auto const& by = str(r["by"]);
    if (!f.contains("by") || !f["by"].contains(by)) return;
    struct row {
        std::string id;
        double score, lo, hi;
        json n;
    };
    std::vector<row> rows;
    double lo = number_of(f["nps"]["ci95"][0]), hi = number_of(f["nps"]["ci95"][1]);
    for (auto const& [id, g] : f["by"][by].items()) {
        if (g["nps"].is_null() || g["nps"]["ci95"][0].is_null()) continue;
        rows.push_back({id, number_of(g["nps"]["score"]), number_of(g["nps"]["ci95"][0]),
                        number_of(g["nps"]["ci95"][1]), g["n"]});
        lo = std::min(lo, rows.back().lo), hi = std::max(hi, rows.back().hi);
    }
    std::sort(rows.begin(), rows.end(), [](auto const& a, auto const& b) {
        return std::pair(-a.score, a.id) < std::pair(-b.score, b.id);
    });
    auto [a, b] = nps_range(lo, hi);
    axis x{a, b, 300, 930};
    double const top = 24, step = 28, height = top + step * static_cast<double>(rows.size()) + 24;
    double overall = number_of(f["nps"]["score"]);
    double olo = number_of(f["nps"]["ci95"][0]), ohi = number_of(f["nps"]["ci95"][1]);
    out << "<section><h2>NPS by " << html_escape(by) << ", ranked</h2>\n<svg viewBox=\"0 0 1000 "
        << px(height) << "\" role=\"img\" aria-label=\"NPS by " << html_escape(by)
        << " with 95% intervals\">\n";
    for (double t = std::ceil(a / 20) * 20; t <= b + 1e-9; t += 20) {
        out << "<line x1=\"" << px(x(t)) << "\" x2=\"" << px(x(t)) << "\" y1=\"" << px(top - 6)
            << "\" y2=\"" << px(height - 20) << "\" stroke=\"" << (t == 0 ? "#8a96a3" : "#e6eaee")
            << "\"/>"
            << "<text x=\"" << px(x(t)) << "\" y=\"" << px(height - 6)
            << "\" text-anchor=\"middle\" class=\"axis\">" << tick(t) << "</text>\n";
    }
    out << "<rect x=\"" << px(x(olo)) << "\" y=\"" << px(top - 6) << "\" width=\""
        << px(x(ohi) - x(olo)) << "\" height=\"" << px(height - top - 14) << "\" fill=\"" << accent
        << "\" opacity=\"0.08\"/>"
        << "<line x1=\"" << px(x(overall)) << "\" x2=\"" << px(x(overall)) << "\" y1=\""
        << px(top - 6) << "\" y2=\"" << px(height - 20) << "\" stroke=\"" << accent
        << "\" stroke-dasharray=\"4 3\"/>"
        << "<text x=\"" << px(x(overall)) << "\" y=\"" << px(top - 10)
        << "\" text-anchor=\"middle\" fill=\"" << accent << "\">all "
        << number_text("%+.1f", overall) << "</text>\n";
    for (std::size_t k = 0; k < rows.size(); ++k) {
        auto const& s = rows[k];
        double y = top + step * static_cast<double>(k) + step / 2;
        char const* color = s.lo > ohi ? good : s.hi < olo ? bad : neutral;
        out << "<g><text x=\"290\" y=\"" << px(y + 4) << "\" text-anchor=\"end\">"
            << html_escape(site_label(r, s.id)) << "</text>"
            << "<line x1=\"" << px(x(s.lo)) << "\" x2=\"" << px(x(s.hi)) << "\" y1=\"" << px(y)
            << "\" y2=\"" << px(y) << "\" stroke=\"" << color << "\" stroke-width=\"2\"/>";
        for (double e : {s.lo, s.hi})
            out << "<line x1=\"" << px(x(e)) << "\" x2=\"" << px(x(e)) << "\" y1=\"" << px(y - 5)
                << "\" y2=\"" << px(y + 5) << "\" stroke=\"" << color << "\" stroke-width=\"2\"/>";
        out << "<circle cx=\"" << px(x(s.score)) << "\" cy=\"" << px(y) << "\" r=\"5\" fill=\""
            << color << "\"/>"
            << "<text x=\"940\" y=\"" << px(y + 4) << "\" class=\"axis\">"
            << number_text("%+.0f", s.score) << "</text>"
            << "<title>" << html_escape(s.id) << ": NPS " << number_text("%+.1f", s.score) << " ("
            << number_text("%+.1f", s.lo) << " to " << number_text("%+.1f", s.hi)
            << "), n = " << s.n << "</title></g>\n";
    }
    out << "</svg>\n<p class=\"note\">Dots: NPS; whiskers: 95% interval; shaded: the interval of "
           "all cards. Green: "
           "above all cards beyond doubt; red: below."
        << (r["suppressed"][by].get<int>() ? " " + std::to_string(r["suppressed"][by].get<int>()) +
                                                 " with fewer cards than the minimum are not shown."
                                           : std::string())
        << "</p></section>\n";
}

// Weekly NPS as a line, its 95% interval as a band.
void trend(std::ostream& out, json const& f) {
    if (!f.contains("periods")) return;
    std::vector<json> weeks;
    for (auto const& p : f["periods"])
        if (!p["nps"].is_null() && !p["nps"]["ci95"][0].is_null()) weeks.push_back(p);
    if (weeks.size() < 2) return;
    double lo = 100, hi = -100;
    for (auto const& w : weeks)
        lo = std::min(lo, number_of(w["nps"]["ci95"][0])),
        hi = std::max(hi, number_of(w["nps"]["ci95"][1]));
    auto [a, b] = nps_range(lo, hi);
    axis y{a, b, 270, 20};
    axis x{0, static_cast<double>(weeks.size() - 1), 60, 980};
    out << "<section><h2>NPS by week</h2>\n<svg viewBox=\"0 0 1000 310\" role=\"img\" "
           "aria-label=\"weekly NPS with "
           "95% interval band\">\n";
    for (double t = a; t <= b + 1e-9; t += 10)
        out << "<line x1=\"60\" x2=\"980\" y1=\"" << px(y(t)) << "\" y2=\"" << px(y(t))
            << "\" stroke=\"" << (t == 0 ? "#8a96a3" : "#e6eaee") << "\"/><text x=\"52\" y=\""
            << px(y(t) + 4) << "\" text-anchor=\"end\" class=\"axis\">" << tick(t) << "</text>\n";
    std::string band, line;
    for (std::size_t k = 0; k < weeks.size(); ++k)
        band += px(x(double(k))) + "," + px(y(number_of(weeks[k]["nps"]["ci95"][1]))) + " ";
    for (std::size_t k = weeks.size(); k-- > 0;)
        band += px(x(double(k))) + "," + px(y(number_of(weeks[k]["nps"]["ci95"][0]))) + " ";
    for (std::size_t k = 0; k < weeks.size(); ++k)
        line += px(x(double(k))) + "," + px(y(number_of(weeks[k]["nps"]["score"]))) + " ";
    band.pop_back(), line.pop_back();
    out << "<polygon points=\"" << band << "\" fill=\"" << accent
        << "\" opacity=\"0.16\"/>\n<polyline points=\"" << line << "\" fill=\"none\" stroke=\""
        << accent << "\" stroke-width=\"2\"/>\n";
    auto every = std::max<std::size_t>(1, (weeks.size() + 12) / 13);
    for (std::size_t k = 0; k < weeks.size(); ++k) {
        auto const& w = weeks[k];
        out << "<circle cx=\"" << px(x(double(k))) << "\" cy=\""
            << px(y(number_of(w["nps"]["score"]))) << "\" r=\"3\" fill=\"" << accent
            << "\"><title>week of " << esc(w["start"]) << ": NPS "
            << number_text("%+.1f", number_of(w["nps"]["score"])) << " ("
            << number_text("%+.1f", number_of(w["nps"]["ci95"][0])) << " to "
            << number_text("%+.1f", number_of(w["nps"]["ci95"][1])) << "), n = " << w["n"]
            << "</title></circle>\n";
        if (k % every == 0)
            out << "<text x=\"" << px(x(double(k)))
                << "\" y=\"295\" text-anchor=\"middle\" class=\"axis\">"
                << esc(w["start"]).substr(5) << "</text>\n";
    }
    out << "</svg>\n<p class=\"note\">Weeks start on Monday (labelled month-day); the band is the "
           "95% interval. "
           "Weeks with fewer cards than the minimum are left out.</p></section>\n";
}

// Key drivers: each rating's share of the explained variance (relative weights).
void drivers(std::ostream& out, json const& r) {
    auto const& f = r["figures"];
    if (r.contains("no_drivers"))
        out << "<section><h2>What drives the recommendation</h2><p class=\"note\">Not worked out: "
            << esc(r["no_drivers"]) << "</p></section>\n";
    if (!f.contains("drivers")) return;
    auto const& d = f["drivers"];
    double r2 = number_of(d["r2"]);
    std::vector<std::pair<double, std::string>> rows;
    for (auto const& [name, w] : d["relative_weight"].items())
        rows.emplace_back(number_of(w), name);
    std::sort(rows.rbegin(), rows.rend());
    double const step = 30, height = 16 + step * static_cast<double>(rows.size());
    out << "<section><h2>What drives the recommendation</h2>\n<svg viewBox=\"0 0 1000 "
        << px(height) << "\" role=\"img\" aria-label=\"key drivers\">\n";
    axis x{0, 1, 200, 760};
    for (std::size_t k = 0; k < rows.size(); ++k) {
        auto const& [w, name] = rows[k];
        double share = r2 > 0 ? w / r2 : 0, y = 8 + step * static_cast<double>(k);
        out << "<text x=\"190\" y=\"" << px(y + 15) << "\" text-anchor=\"end\">"
            << html_escape(name) << "</text>"
            << "<rect x=\"200\" y=\"" << px(y + 2) << "\" width=\""
            << px(std::max(1.0, x(share) - 200)) << "\" height=\"18\" rx=\"3\" fill=\"" << accent
            << "\"/>"
            << "<text x=\"" << px(x(share) + 8) << "\" y=\"" << px(y + 15) << "\">"
            << number_text("%.0f%%", 100 * share) << "<tspan class=\"axis\"> &#183; "
            << number_text("%+.2f", number_of(d["coef"][name]))
            << " per rating point</tspan></text>\n";
    }
    out << "</svg>\n<p class=\"note\">Bars: each rating's share of what the ratings explain of the "
           "0-10 "
           "recommendation (relative weights; together R&sup2; = "
        << number_text("%.2f", r2) << ", n = " << d["n"]
        << " cards answering all). Points: the recommendation's change per rating point, the "
           "others held equal.</p>"
           "</section>\n";
}

void changes(std::ostream& out, json const& r) {
    auto const& c = r["change"];
    if (c.is_null()) return;
    out << "<section><h2>What changed</h2>\n<p class=\"sub\">NPS in the " << esc(c["period"])
        << " from " << esc(c["after"]) << " against the " << esc(c["period"]) << " from "
        << esc(c["before"])
        << "; a change is shown when it is significant (p &lt; 0.05).</p>\n"
           "<table><tr><th></th><th class=\"num\">before</th><th class=\"num\">after</th><th "
           "class=\"num\">change</th>"
           "<th class=\"num\">p</th><th class=\"num\">cards</th></tr>\n";
    auto row = [&](std::string const& label, json const& x) {
        double diff = number_of(x["diff"]);
        bool sig = x["significant"].get<bool>();
        out << "<tr><td>" << html_escape(label) << "</td><td class=\"num\">"
            << number_text("%+.1f", number_of(x["before"]["score"])) << "</td><td class=\"num\">"
            << number_text("%+.1f", number_of(x["after"]["score"])) << "</td><td class=\"num"
            << (sig ? diff > 0 ? " up" : " down" : "") << "\">" << number_text("%+.1f", diff)
            << "</td><td class=\"num\">"
            << (number_of(x["p"]) < 0.001 ? "&lt; 0.001" : number_text("%.3f", number_of(x["p"])))
            << "</td><td class=\"num\">" << x["before"]["n"] << " / " << x["after"]["n"]
            << "</td></tr>\n";
    };
    if (!c["overall"].is_null()) row("All sites", c["overall"]);
    std::size_t shown = 0;
    for (auto const& [id, x] : c["by"].items())
        if (x["significant"].get<bool>()) row(site_label(r, id), x), ++shown;
    out << "</table>\n<p class=\"note\">"
        << (shown ? std::to_string(shown) + " of " + std::to_string(c["by"].size()) +
                        " sites changed significantly."
                  : "No site changed significantly.")
        << "</p></section>\n";
}

void cases(std::ostream& out, json const& r) {
    if (!r.contains("cases")) return;
    auto const& c = r["cases"];
    out << "<section><h2>Cases</h2>\n<p><strong>" << c["open"] << "</strong> open, "
        << c["acknowledged"] << " acknowledged, " << c["resolved"] << " resolved; "
        << c["escalated"] << " escalated. <strong>" << c["overdue"].size()
        << "</strong> overdue and still open (as of " << esc(r["generated"]) << ").</p>\n";
    if (!c["overdue"].empty()) {
        out << "<table><tr><th>case</th><th>site</th><th>now "
               "with</th><th>opened</th><th>deadline</th><th "
               "class=\"num\">escalations</th></tr>\n";
        for (auto const& o : c["overdue"])
            out << "<tr><td>" << esc(o["id"]) << "</td><td>"
                << html_escape(site_label(r, str(o["site"]))) << "</td><td>" << esc(o["role"])
                << "</td><td>" << esc(o["opened"]) << "</td><td>"
                << (o["deadline"].is_null() ? "none left" : esc(o["deadline"]))
                << "</td><td class=\"num\">" << o["escalations"] << "</td></tr>\n";
        out << "</table>\n";
    }
    out << "</section>\n";
}

void quality(std::ostream& out, json const& r) {
    auto const& q = r["quality"];
    out << "<section><h2>Response quality</h2>\n<table><tr><th>flag</th><th "
           "class=\"num\">cards</th><th>means</th></tr>\n";
    auto row = [&](char const* key, char const* label, std::string const& means) {
        if (q.contains(key))
            out << "<tr><td>" << label << "</td><td class=\"num\">" << q[key] << "</td><td>"
                << means << "</td></tr>\n";
    };
    row("speeders", "Speeders",
        "completed in under " + number_text("%.0f", number_of(q["speeder_seconds"])) + " seconds");
    row("straight_liners", "Straight-liners", "the same answer to every rating");
    row("duplicate_text", "Duplicate text", "a comment another card gave word for word");
    row("bursts", "Bursts",
        "more than " + std::to_string(q["burst"]["cards"].get<int>()) +
            " cards from one device within " +
            number_text("%.0f", number_of(q["burst"]["minutes"])) + " minutes");
    out << "<tr><th>Any flag</th><th class=\"num\">" << q["any"] << "</th><th>of " << q["cards"]
        << " cards</th></tr>\n</table>\n<p class=\"note\">Flagged cards are counted in every "
           "figure; the flags say "
           "where to look, not what to drop.</p></section>\n";
}

void verbatims(std::ostream& out, json const& r) {
    out << "<section><h2>What detractors said, newest first</h2>\n";
    if (!r["personal_data"].get<bool>())
        out << "<p class=\"note\">Contact details are removed for this reader.</p>\n";
    if (r["verbatims"].empty()) out << "<p>No comments from detractors.</p>\n";
    for (auto const& v : r["verbatims"]) {
        out << "<div class=\"verbatim\"><div class=\"meta\">" << esc(v["submitted"]).substr(0, 10)
            << " &middot; " << html_escape(site_label(r, str(v["site"]))) << " &middot; "
            << esc(v["language"]) << " &middot; NPS " << v["nps"] << "</div><blockquote>";
        std::string sep;
        for (auto const& [id, t] : v["text"].items()) out << sep << esc(t), sep = "<br>";
        out << "</blockquote>";
        if (v.contains("contact")) {
            out << "<div class=\"meta\">Contact:";
            for (auto const& [id, t] : v["contact"].items())
                out << ' ' << html_escape(id) << ' ' << esc(t) << ';';
            out << "</div>";
        }
        out << "</div>\n";
    }
    out << "</section>\n";
}

}  // namespace

void render_html(std::ostream& out, json const& r) {
    auto const& f = r["figures"];
    out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
        << esc(r["title"]) << " &mdash; guest feedback report</title>\n"
        << style << "</head>\n<body>\n<main>\n<header><h1>" << esc(r["title"])
        << "</h1><div class=\"sub\">Survey " << esc(r["survey"]) << " version " << r["version"]
        << " &middot; " << f["n"] << " cards";
    if (r.contains("from"))
        out << " from " << esc(r["from"]).substr(0, 10) << " to " << esc(r["to"]).substr(0, 10);
    out << " &middot; made " << esc(r["generated"]) << "</div></header>\n";
    kpis(out, f);
    by_site(out, r);
    trend(out, f);
    drivers(out, r);
    changes(out, r);
    cases(out, r);
    quality(out, r);
    verbatims(out, r);
    out << "</main>\n</body>\n</html>\n";
}

}  // namespace candor::cli
