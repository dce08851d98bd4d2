// The head-office report as plain tables for a terminal.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "report.hpp"

namespace candor::cli {

namespace {

using nlohmann::json;

// "NPS ± half-width (lo to hi)", or "-" when too few cards.
std::string nps_cell(json const& f) {
    if (f.is_null() || f["score"].is_null()) return "-";
    if (f["ci95"][0].is_null()) return number_text("%+.1f", number_of(f["score"]));
    return number_text("%+.1f", number_of(f["score"])) + " (" +
           number_text("%+.1f", number_of(f["ci95"][0])) + " to " +
           number_text("%+.1f", number_of(f["ci95"][1])) + ")";
}

std::string pad(std::string s, std::size_t width) {
    std::size_t chars = 0;  // code points, so accented names line up
    for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
    if (chars < width) s.append(width - chars, ' ');
    return s;
}

std::string site_name(json const& r, std::string const& id) {
    if (r.contains("names") && r["names"].contains(id))
        return id + " " + r["names"][id].get<std::string>();
    return id;
}

}  // namespace

void render_text(std::ostream& out, json const& r) {
    auto const& f = r["figures"];
    out << r["title"].get<std::string>() << " (" << r["survey"].get<std::string>() << ")";
    if (r.contains("from"))
        out << ", " << r["from"].get<std::string>() << " to " << r["to"].get<std::string>();
    out << ", " << f["n"] << " cards\n\n";
    if (!f["nps"].is_null())
        out << "NPS   " << nps_cell(f["nps"]) << ", n = " << f["nps"]["n"] << ": "
            << f["nps"]["promoters"] << " promoters, " << f["nps"]["passives"] << " passives, "
            << f["nps"]["detractors"] << " detractors\n";
    if (f.contains("csat") && !f["csat"].is_null())
        out << "CSAT  " << number_text("%.1f%%", 100 * number_of(f["csat"]["share"])) << " ("
            << number_text("%.1f", 100 * number_of(f["csat"]["ci95"][0])) << " to "
            << number_text("%.1f%%", 100 * number_of(f["csat"]["ci95"][1]))
            << "), n = " << f["csat"]["n"] << '\n';
    if (f.contains("ces") && !f["ces"].is_null())
        out << "CES   " << number_text("%.2f", number_of(f["ces"]["mean"])) << " of 7 ("
            << number_text("%.2f", number_of(f["ces"]["ci95"][0])) << " to "
            << number_text("%.2f", number_of(f["ces"]["ci95"][1])) << "), n = " << f["ces"]["n"]
            << '\n';

    auto const& by = r["by"].get<std::string>();
    if (f.contains("by") && f["by"].contains(by)) {
        std::vector<std::pair<double, std::string>> ranked;
        for (auto const& [id, g] : f["by"][by].items())
            ranked.emplace_back(g["nps"].is_null() ? -1000 : number_of(g["nps"]["score"]), id);
        std::sort(ranked.rbegin(), ranked.rend());
        out << "\nNPS by " << by << ", best first:\n";
        for (auto const& [score, id] : ranked) {
            auto const& g = f["by"][by][id];
            out << "  " << pad(site_name(r, id), 38) << pad(nps_cell(g["nps"]), 26)
                << "n = " << g["n"] << '\n';
        }
        if (auto hidden = r["suppressed"][by].get<int>())
            out << "  (" << hidden << " under the minimum n not shown)\n";
    }
    if (f.contains("periods")) {
        out << "\nNPS by week:\n";
        for (auto const& p : f["periods"])
            out << "  " << p["start"].get<std::string>() << "  " << pad(nps_cell(p["nps"]), 26)
                << "n = " << p["n"] << '\n';
    }
    if (r.contains("no_drivers"))
        out << "\nKey drivers not worked out: " << str(r["no_drivers"]) << '\n';
    if (f.contains("drivers")) {
        auto const& d = f["drivers"];
        out << "\nKey drivers of " << d["outcome"].get<std::string>() << " (R² "
            << number_text("%.2f", number_of(d["r2"])) << ", n = " << d["n"]
            << "): share of the explained variance, and NPS points per rating point\n";
        for (auto const& [name, w] : d["relative_weight"].items())
            out << "  " << pad(name, 20)
                << pad(number_text("%.0f%%", 100 * number_of(w) / number_of(d["r2"])), 8)
                << number_text("%+.2f", number_of(d["coef"][name])) << '\n';
    }
    if (!r["change"].is_null()) {
        auto const& c = r["change"];
        out << "\nChanges in NPS, " << c["after"].get<std::string>() << " ("
            << c["period"].get<std::string>() << " to date) against "
            << c["before"].get<std::string>() << ", significant at p < 0.05:\n";
        auto line = [&](std::string const& label, json const& x) {
            out << "  " << pad(label, 38) << number_text("%+.1f", number_of(x["before"]["score"]))
                << " -> " << number_text("%+.1f", number_of(x["after"]["score"])) << "  "
                << number_text("%+.1f", number_of(x["diff"]))
                << " (p = " << number_text("%.3g", number_of(x["p"])) << ")"
                << (x["significant"].get<bool>() ? "" : " not significant") << '\n';
        };
        if (!c["overall"].is_null()) line("all", c["overall"]);
        for (auto const& [id, x] : c["by"].items())
            if (x["significant"].get<bool>()) line(site_name(r, id), x);
    }
    if (r.contains("cases")) {
        auto const& c = r["cases"];
        out << "\nCases: " << c["open"] << " open, " << c["acknowledged"] << " acknowledged, "
            << c["resolved"] << " resolved; " << c["escalated"] << " escalated; "
            << c["overdue"].size() << " overdue and still open\n";
        for (auto const& o : c["overdue"])
            out << "  " << pad(o["id"].get<std::string>(), 40)
                << pad(o["site"].get<std::string>(), 16) << "with " << o["role"].get<std::string>()
                << ", opened " << o["opened"].get<std::string>() << ", " << o["escalations"]
                << " escalation(s)\n";
    }
    auto const& q = r["quality"];
    out << "\nQuality flags (" << q["any"] << " of " << q["cards"] << " cards):";
    for (char const* k : {"speeders", "straight_liners", "duplicate_text", "bursts"})
        if (q.contains(k)) out << ' ' << k << ' ' << q[k] << ';';
    out << '\n';
    out << "\nNewest comments of detractors"
        << (r["personal_data"].get<bool>() ? "" : " (contact details removed)") << ":\n";
    for (auto const& v : r["verbatims"]) {
        out << "  " << str(v["submitted"]).substr(0, 10) << ' ' << str(v["site"]) << " NPS "
            << v["nps"] << ':';
        for (auto const& [id, t] : v["text"].items()) out << ' ' << t.get<std::string>();
        if (v.contains("contact"))
            for (auto const& [id, t] : v["contact"].items())
                out << " [" << id << ": " << t.get<std::string>() << ']';
        out << '\n';
    }
}

}  // namespace candor::cli
