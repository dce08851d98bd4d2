// report::compute_figures and its JSON and text: what `candor stats` prints, from the library.
#include <cmath>
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "candor/report/figures.hpp"
#include "candor/report/render.hpp"
#include "candor/stats/csv.hpp"
#include "candor/time.hpp"

using namespace candor;
using nlohmann::json;

namespace {

stats::frame frame(std::string const& csv, report::figures_options const& kinds_of = {}) {
    auto f = stats::parse_csv(csv, report::csv_options_of(kinds_of));
    REQUIRE(f.has_value());
    return std::move(*f);
}

report::figures figures(report::figures_options const& o, stats::frame const& f) {
    auto r = report::compute_figures(o, f);
    REQUIRE(r.has_value());
    return std::move(*r);
}

// Site a: 10 10 9 | 7 | 3 0 (P 3, D 2 of 6); site b: 10 2 (two cards, under min-n 5).
constexpr char const* sites =
    "site,rec,sat,spend\n"
    "a,10,5,12.5\na,10,4,10\na,9,3,\na,7,2,8\na,3,1,4\na,0,5,6\n"
    "b,10,5,1\nb,2,1,2\n";

}  // namespace

TEST_CASE("figures by site: a segment under min-n is counted and left out") {
    report::figures_options o;
    o.nps = "rec";
    o.by = {"site"};
    auto f = figures(o, frame(sites));
    REQUIRE(f.all.nps);
    CHECK(f.all.n == 8);
    CHECK(f.all.nps->promoters == 4);   // 10 10 9 10
    CHECK(f.all.nps->detractors == 3);  // 3 0 2
    CHECK(f.all.nps->score == doctest::Approx(100.0 * (4 - 3) / 8));
    REQUIRE(f.by.size() == 1);
    CHECK(f.by[0].suppressed == 1);
    REQUIRE(f.by[0].shown.size() == 1);
    CHECK(f.by[0].shown[0].label == "a");
    CHECK(f.by[0].shown[0].figures.nps->score == doctest::Approx(100.0 * (3 - 2) / 6));

    auto j = json::parse(report::to_json(f));
    CHECK(j["by"]["site"].size() == 1);
    CHECK(j["by"]["site"]["a"]["nps"]["promoters"] == 3);
    CHECK_FALSE(j.contains("csat"));        // not asked
    CHECK_FALSE(j.contains("suppressed"));  // `candor stats --json` leaves it out
    CHECK(report::to_text(f).find("(1 segment(s) under the minimum n suppressed)") !=
          std::string::npos);
}

TEST_CASE("figures: means in the order asked, of a scale and of a number column") {
    report::figures_options o;
    o.means = {"spend", "sat"};
    auto f = figures(o, frame(sites));
    REQUIRE(f.all.means.size() == 2);
    CHECK(f.all.means[0].column == "spend");
    CHECK(f.all.means[0].figure->n == 7);  // one spend is missing
    CHECK(f.all.means[0].figure->mean == doctest::Approx((12.5 + 10 + 8 + 4 + 6 + 1 + 2) / 7));
    CHECK(f.all.means[1].column == "sat");
    CHECK(f.all.means[1].figure->mean == doctest::Approx(26.0 / 8));
    auto j = json::parse(report::to_json(f));
    CHECK(j["means"]["spend"]["n"] == 7);
    CHECK(j["means"]["sat"]["n"] == 8);
}

TEST_CASE("figures under min-n answers are null in JSON and said to be suppressed in text") {
    report::figures_options o;
    o.nps = "rec";
    o.csat = "sat";
    o.min_n = 9;  // eight cards
    auto f = figures(o, frame(sites));
    CHECK_FALSE(f.all.nps);
    CHECK_FALSE(f.all.csat);
    auto j = json::parse(report::to_json(f));
    CHECK(j["nps"].is_null());
    CHECK(j["csat"].is_null());
    auto text = report::to_text(f);
    CHECK(text.find("NPS (rec): suppressed, fewer than 9 answers") != std::string::npos);
    CHECK(text.find("CSAT (sat): suppressed, fewer than 9 answers") != std::string::npos);
}

TEST_CASE("figures of one card: what is defined is printed, the rest said") {
    report::figures_options o;
    o.nps = "rec";
    o.means = {"sat"};
    o.by = {"site"};
    o.min_n = 1;
    auto f = figures(o, frame("site,rec,sat\na,9,4\n"));
    REQUIRE(f.all.nps);
    CHECK(std::isnan(f.all.nps->se));  // no interval from one answer
    auto j = json::parse(report::to_json(f));
    CHECK(j["nps"]["score"] == 100.0);
    CHECK(j["nps"]["se"].is_null());
    CHECK(j["means"]["sat"]["sd"].is_null());
    auto text = report::to_text(f);
    CHECK(text.find("NPS (rec): 100.0, n = 1: 1 promoters, 0 passives, 0 detractors (too few "
                    "answers for an interval)") != std::string::npos);
    CHECK(text.find("sat: mean 4.00, n = 1 (too few answers for an SD and an interval)") !=
          std::string::npos);
    CHECK(text.find("\n  a      ") != std::string::npos);  // the site's row, its NPS defined

    o.min_n = 5;  // the default: everything is suppressed, and said to be
    text = report::to_text(figures(o, frame("site,rec,sat\na,9,4\n")));
    CHECK(text.find("NPS (rec): suppressed, fewer than 5 answers") != std::string::npos);
    CHECK(text.find("(1 segment(s) under the minimum n suppressed)") != std::string::npos);
}

TEST_CASE("figures of no card") {
    report::figures_options o;
    o.nps = "rec";
    o.by = {"site"};
    o.period = stats::period::week;
    o.date = "when";
    auto f = figures(o, frame("site,rec,when\n", o));
    CHECK(f.all.n == 0);
    CHECK_FALSE(f.all.nps);
    auto text = report::to_text(f);
    CHECK(text.find("cards: 0\n") == 0);
    CHECK(text.find("NPS (rec): suppressed") != std::string::npos);
    CHECK(text.find("(no cards)") != std::string::npos);
    CHECK(json::parse(report::to_json(f))["periods"].empty());
}

TEST_CASE("figures: bad options are errors, not figures") {
    auto f = frame(sites);
    report::figures_options o;
    o.nps = "nope";
    CHECK(report::compute_figures(o, f).error().front().code == "unknown-column");
    o.nps = "site";
    CHECK(report::compute_figures(o, f).error().front().code == "wrong-kind");
    o = {};
    o.compare = 0;
    o.date = "rec";
    CHECK(report::compute_figures(o, f).error().front().code == "wrong-kind");
    o = {};
    o.weights = "spend";  // one row has none
    CHECK(report::compute_figures(o, f).error().front().code == "bad-weight");
    o = {};
    o.drivers = report::drivers_spec{"rec", {"sat"}};
    o.drivers->attributes.push_back("nope");
    CHECK(report::compute_figures(o, f).error().front().code == "unknown-column");
}

TEST_CASE("figures: the change at a date, and the column kinds the options imply") {
    auto f = frame(
        "when,rec\n2026-01-01,10\n2026-01-02,0\n2026-01-03,9\n"
        "2026-02-01,10\n2026-02-02,10\n2026-02-03,8\n");
    report::figures_options o;
    o.compare = *parse_date("2026-02-01");
    o.date = "when";
    CHECK(report::compute_figures(o, f).error().front().code == "no-nps");
    o.nps = "rec";
    auto r = figures(o, f);
    REQUIRE(r.change);
    CHECK(r.change->before == doctest::Approx(100.0 / 3));  // 10 0 9
    CHECK(r.change->after == doctest::Approx(200.0 / 3));   // 10 10 8
    CHECK(report::to_text(r).find("change in NPS from 2026-02-01: 33.3 -> 66.7") !=
          std::string::npos);

    o.by = {"site"};
    o.weights = "w";
    auto csv = report::csv_options_of(o, {"region"});
    using k = stats::column_kind;
    CHECK(csv.kinds ==
          std::vector<std::pair<std::string, k>>{
              {"site", k::category}, {"when", k::time}, {"w", k::number}, {"region", k::category}});
    REQUIRE(csv.scales.size() == 1);
    CHECK(csv.scales[0].first == "rec");
    CHECK(csv.scales[0].second.lo == 0);
    CHECK(csv.scales[0].second.hi == 10);
}

TEST_CASE("figures of a CSV export: the same as reading it and computing, errors at their file") {
    std::string const data = CANDOR_SOURCE_DIR "/examples/data/stats-sample.csv";
    std::string const margins = CANDOR_SOURCE_DIR "/examples/data/stats-site-margins.csv";
    report::figures_options o;
    o.nps = "rec";
    o.by = {"site"};
    report::csv_input in{data};
    in.margin_files = {{"site", margins}};
    auto r = report::figures_of_csv(o, in);
    REQUIRE(r.has_value());
    auto f = stats::read_csv(data, report::csv_options_of(o, {"site"}));
    REQUIRE(f.has_value());
    auto m = stats::read_margin(margins, "site");
    REQUIRE(m.has_value());
    auto by_hand = report::compute_figures(o, *f, {*m});
    REQUIRE(by_hand.has_value());
    CHECK(report::to_json(*r) == report::to_json(*by_hand));
    REQUIRE(r->weights);
    CHECK(r->weights->converged);

    // Margins given as targets weigh the same as the file holding them.
    report::csv_input given{data};
    given.margins = {*m};
    CHECK(report::to_json(report::figures_of_csv(o, given).value()) == report::to_json(*r));

    in.margin_files = {{"site", data + ".missing"}};
    auto unread = report::figures_of_csv(o, in);
    REQUIRE_FALSE(unread);
    CHECK(unread.error().front().where.file == data + ".missing");
    o.nps = "no_such_column";
    auto unknown = report::figures_of_csv(o, report::csv_input{data});
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().front().where.file.empty());
}

TEST_CASE("figures: CSAT and CES change at a date, by the kernel's tests, a clipped CES said") {
    auto f = frame(
        "when,rec,sat,effort\n2026-01-01,10,5,7\n2026-01-02,0,2,7\n2026-01-03,9,4,6\n"
        "2026-01-04,6,1,7\n2026-02-01,10,5,2\n2026-02-02,10,4,3\n2026-02-03,8,4,1\n"
        "2026-02-04,3,5,2\n",
        [] {
            report::figures_options o;
            o.nps = "rec", o.csat = "sat", o.ces = "effort";
            return o;
        }());
    report::figures_options o;
    o.nps = "rec", o.csat = "sat", o.ces = "effort";
    o.min_n = 1;
    o.compare = *parse_date("2026-02-01");
    o.date = "when";
    auto r = figures(o, f);
    auto side = [&](std::vector<int> const& v, int lo, int hi) {
        stats::scale_column c;
        c.values.resize(static_cast<Eigen::Index>(v.size()));
        for (std::size_t i = 0; i < v.size(); ++i)
            c.values[static_cast<Eigen::Index>(i)] = static_cast<std::int8_t>(v[i]);
        c.lo = static_cast<std::int8_t>(lo), c.hi = static_cast<std::int8_t>(hi);
        return stats::histogram_of(c).value();
    };
    REQUIRE(r.csat_change);
    auto want = stats::compare_shares(stats::csat(side({5, 2, 4, 1}, 1, 5)),
                                      stats::csat(side({5, 4, 4, 5}, 1, 5)));
    CHECK(r.csat_change->diff == doctest::Approx(0.5));  // 2 of 4 -> 4 of 4
    CHECK(r.csat_change->p == want.p);
    CHECK(r.csat_change->ci95 == want.ci95);
    REQUIRE(r.ces_change);
    auto before = stats::scale_mean(side({7, 7, 6, 7}, 1, 7));
    CHECK(before.clipped);  // 6.75 ± t(3) 0.25: past 7
    auto w = stats::welch(before, stats::scale_mean(side({2, 3, 1, 2}, 1, 7)));
    CHECK(r.ces_change->t == w.t);
    CHECK(r.ces_change->df == w.df);
    CHECK(r.ces_change->p == w.p);
    auto text = report::to_text(r);
    CHECK(text.find("change in CSAT from 2026-02-01: 50.0% -> 100.0%, +50.0 points") !=
          std::string::npos);
    CHECK(text.find("change in CES from 2026-02-01: 6.75 -> 2.00, -4.75") != std::string::npos);
    auto j = json::parse(report::to_json(r));
    CHECK(j["csat_change"]["p"] == want.p);
    CHECK(j["ces_change"]["df"] == w.df);
    CHECK(j["ces"]["clipped"] == false);  // all eight: 4.375 ± 1.9, within 1..7

    report::figures_options top;
    top.ces = "effort";
    top.min_n = 1;
    auto clipped = figures(top, frame("effort\n7\n7\n6\n7\n", top));
    REQUIRE(clipped.all.ces);
    CHECK(clipped.all.ces->ci95.hi == 7);
    CHECK(report::to_text(clipped).find("(95% CI 5.95 to 7.00, clipped to the scale)") !=
          std::string::npos);
    CHECK(json::parse(report::to_json(clipped))["ces"]["clipped"] == true);
}
