// report::build_report and its renderers, from the bundled sample and from a few cards.
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "candor/report/render.hpp"
#include "candor/report/report.hpp"
#include "candor/response/anonymize.hpp"
#include "candor/routing/org.hpp"
#include "candor/stats/responses.hpp"
#include "candor/survey/parse.hpp"
#include "candor/time.hpp"

using namespace candor;
using nlohmann::json;

namespace {

std::string const source = CANDOR_SOURCE_DIR;
std::string const sample = source + "/examples/data/hotel-stay.sample.jsonl";
std::string const org_file = source + "/examples/org/hotel-chain.org";

survey::survey const& hotel() {
    static auto const s = *survey::parse_file(source + "/examples/surveys/hotel-stay.survey");
    return s;
}

// The first `n` cards of the sample (all with n = 0 is none: an empty frame).
stats::frame first_cards(std::size_t n) {
    std::ifstream in(sample);
    std::string line, text;
    for (std::size_t k = 0; k < n && std::getline(in, line); ++k) text += line + '\n';
    std::istringstream lines(text);
    auto read = report::read_json_lines(lines, "sample", hotel());
    REQUIRE(read.has_value());
    auto f = stats::frame_of(read->responses, hotel());
    REQUIRE(f.has_value());
    return std::move(*f);
}

report::report_options at_now() {
    report::report_options o;
    o.now = *parse_timestamp("2026-11-16T09:00:00Z");
    return o;
}

bool has(std::string const& text, std::string const& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("report of one and of four cards (under min-n 5): every format prints, and says why") {
    for (std::size_t n : {1, 4}) {
        CAPTURE(n);
        auto r = report::build_report(hotel(), first_cards(n), {}, at_now());
        REQUIRE(r.has_value());
        CHECK(r->figures.all.n == n);
        CHECK_FALSE(r->figures.all.nps);
        CHECK_FALSE(r->no_drivers.empty());  // too few complete cards: said, not failed
        auto j = json::parse(report::to_json(*r));
        CHECK(j["figures"]["nps"].is_null());
        CHECK(j["figures"]["n"] == n);
        auto page = report::to_html(*r);
        CHECK(has(page, "not shown: fewer than 5 answers, the minimum n"));
        CHECK(has(page, "Not drawn: the NPS of all cards is suppressed"));
        CHECK_FALSE(has(page, "<table><tr><th></th><th class=\"num\">before"));  // no empty table
        CHECK(has(page, "Not drawn: fewer than two weeks to draw"));
        CHECK(has(page, "</html>\n"));
        auto text = report::to_text(*r);
        CHECK(has(text, "NPS   suppressed, fewer than 5 answers, the minimum n"));
        CHECK(has(text, "under the minimum n not shown"));
        CHECK(has(text, "  all: not tested (a period under the minimum n"));
    }
}

TEST_CASE("report of no card is refused, clearly") {
    auto r = report::build_report(hotel(), first_cards(0), {}, at_now());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().front().code == "no-responses");
    CHECK(r.error().front().message == "no responses to \"hotel-stay\" to report on");
}

TEST_CASE("report: a survey without NPS, and a reader role without or outside the org") {
    auto plain = survey::parse(
        "survey \"plain\" version 1 {\n  languages en\n  question sat: csat \"Happy?\"\n}\n");
    REQUIRE(plain.has_value());
    auto f = first_cards(5);
    CHECK(report::build_report(*plain, f, {}, at_now()).error().front().code == "no-nps");
    auto o = at_now();
    o.reader_role = "customer_care";
    CHECK(report::build_report(hotel(), f, {}, o).error().front().code == "no-org");
    auto org = routing::parse_org_file(org_file);
    REQUIRE(org.has_value());
    o.reader_role = "janitor";
    auto r = report::build_report(hotel(), f, {.org = &*org}, o);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().front().code == "unknown-role");
    CHECK(has(r.error().front().message, "no role 'janitor' in "));
}

TEST_CASE("report from the sample: the same model from JSON lines and from the export") {
    auto o = at_now();
    report::report_files from_lines{report::json_lines_source{sample}, org_file, {}};
    auto a = report::build_report(hotel(), from_lines, o);
    REQUIRE(a.has_value());
    CHECK(a->figures.all.n == 4214);
    REQUIRE(a->figures.by.size() == 1);
    CHECK(a->figures.by[0].shown.size() == 12);
    CHECK(a->names.size() == 12);
    CHECK(a->change);
    CHECK(a->figures.drivers);
    CHECK(a->verbatims.size() == report::default_verbatims);

    // The export of the same cards, as `candor export --csv` would write it.
    std::ifstream in(sample);
    auto lines = report::read_json_lines(in, sample, hotel());
    REQUIRE(lines.has_value());
    auto f = stats::frame_of(lines->responses, hotel());
    REQUIRE(f.has_value());
    auto org = routing::parse_org_file(org_file);
    REQUIRE(org.has_value());
    auto b = report::build_report(hotel(), *f, {.org = &*org}, o);
    REQUIRE(b.has_value());
    CHECK(report::to_json(*a) == report::to_json(*b));

    // The figures inside the report are exactly the figures alone, as `candor stats` prints.
    auto j = json::parse(report::to_json(*a));
    CHECK(j["figures"] == json::parse(report::to_json(a->figures)));
    CHECK(j["suppressed"]["site"] == 0);
    CHECK(j["stats_args"] == json::array({"--by", "site", "--period", "week", "--min-n", "5",
                                          "--drivers", "recommend=cleanliness,staff,breakfast"}));

    // Sites ranked best first: each NPS at least the next one's.
    auto ranked = report::ranked_by_nps(a->figures.by[0]);
    REQUIRE(ranked.size() == 12);
    for (std::size_t k = 1; k < ranked.size(); ++k)
        CHECK(ranked[k - 1]->figures.nps->score >= ranked[k]->figures.nps->score);
}

TEST_CASE("report: contact details only for a reader whose role contacts guests") {
    auto org = routing::parse_org_file(org_file);
    REQUIRE(org.has_value());
    auto f = first_cards(4214);
    auto o = at_now();
    auto director = report::build_report(hotel(), f, {.org = &*org}, o);
    o.reader_role = "customer_care";
    auto care = report::build_report(hotel(), f, {.org = &*org}, o);
    REQUIRE(director.has_value());
    REQUIRE(care.has_value());
    CHECK_FALSE(director->personal_data);
    CHECK(care->personal_data);
    std::size_t contacts = 0;
    for (auto const& v : director->verbatims) CHECK(v.contact.empty());
    for (auto const& v : care->verbatims) contacts += v.contact.size();
    CHECK(contacts > 0);  // the sample's detractors ask to be called back
    REQUIRE(director->verbatims.size() == care->verbatims.size());
    for (std::size_t k = 0; k < care->verbatims.size(); ++k)
        CHECK(director->verbatims[k].text.size() == care->verbatims[k].text.size());
}

TEST_CASE("report --anonymize: no contact details even for customer care, times to the day") {
    auto org = routing::parse_org_file(org_file);
    REQUIRE(org.has_value());
    auto f = first_cards(4214);
    auto o = at_now();
    o.reader_role = "customer_care";
    auto care = report::build_report(hotel(), f, {.org = &*org}, o);
    o.anonymize = true;
    auto anonymous = report::build_report(hotel(), f, {.org = &*org}, o);
    REQUIRE(care.has_value());
    REQUIRE(anonymous.has_value());
    CHECK(care->personal_data);
    CHECK_FALSE(anonymous->personal_data);
    REQUIRE(anonymous->verbatims.size() == care->verbatims.size());
    REQUIRE(anonymous->from);
    CHECK(*anonymous->from % 86400 == 0);
    CHECK(*anonymous->to == response::day_of(*care->to));
    for (std::size_t k = 0; k < care->verbatims.size(); ++k) {
        auto const& a = anonymous->verbatims[k];
        CHECK(a.contact.empty());
        REQUIRE(a.submitted);
        CHECK(*a.submitted == response::day_of(*care->verbatims[k].submitted));
        for (auto const& [id, text] : a.text) CHECK(text.find('@') == std::string::npos);
    }
    // The figures do not move.
    CHECK(report::to_json(anonymous->figures) == report::to_json(care->figures));
}

TEST_CASE("ranked_by_nps: best first, ties by label, segments without NPS last") {
    report::breakdown b;
    auto seg = [](std::string label, std::optional<double> score) {
        report::segment s{std::move(label), {}};
        if (score) {
            s.figures.nps = stats::nps_figure{};
            s.figures.nps->score = *score;
        }
        return s;
    };
    b.shown = {seg("d", std::nullopt), seg("c", 10), seg("a", 10), seg("b", 50),
               seg("e", std::numeric_limits<double>::quiet_NaN())};
    std::string order;
    for (auto const* s : report::ranked_by_nps(b)) order += s->label;
    CHECK(order == "bacde");
}

TEST_CASE("read_json_lines: other surveys counted, every bad line named, nothing kept") {
    // A card of the survey, one of another.
    std::string const two =
        "{\"survey\": \"hotel-stay\", \"version\": 3, \"language\": \"en\", \"submitted\": "
        "\"2026-11-02T10:16:12Z\", \"answers\": {}}\n"
        "{\"survey\": \"other\", \"version\": 1, \"language\": \"en\", \"submitted\": "
        "\"2026-11-02T10:16:12Z\", \"answers\": {}}\n";
    std::istringstream in(two +
                          "not json\n"
                          "[1]\n");
    auto r = report::read_json_lines(in, "cards.jsonl", hotel());
    REQUIRE_FALSE(r.has_value());
    REQUIRE(r.error().size() == 2);
    CHECK(r.error()[0].where.file == "cards.jsonl");
    CHECK(r.error()[0].where.line == 3);
    CHECK(r.error()[1].where.line == 4);

    std::istringstream good(two);
    auto ok = report::read_json_lines(good, "cards.jsonl", hotel());
    REQUIRE(ok.has_value());
    CHECK(ok->responses.size() == 1);
    CHECK(ok->other_surveys == 1);
}

TEST_CASE("report from files: a missing file or case log is an error at its name") {
    auto o = at_now();
    report::report_files files{report::json_lines_source{source + "/nope.jsonl"}, {}, {}};
    auto r = report::build_report(hotel(), files, o);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().front().code == "io");
    CHECK(r.error().front().where.file == source + "/nope.jsonl");
    files = {report::json_lines_source{sample}, {}, source + "/no-case-log-here"};
    r = report::build_report(hotel(), files, o);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().front().code == "no-case-log");
    CHECK_FALSE(std::filesystem::exists(source + "/no-case-log-here"));  // nothing created
}

TEST_CASE("report of 5, 29 and 31 cards: intervals within their scales, few cards said") {
    for (std::size_t n : {5, 29, 31}) {
        CAPTURE(n);
        auto r = report::build_report(hotel(), first_cards(n), {}, at_now());
        REQUIRE(r.has_value());
        auto const& all = r->figures.all;
        REQUIRE(all.nps);
        CHECK(all.nps->ci95.lo >= -100);
        CHECK(all.nps->ci95.hi <= 100);
        CHECK(all.nps->ci95.lo <= all.nps->score);
        CHECK(all.nps->score <= all.nps->ci95.hi);
        REQUIRE(all.csat);
        CHECK(all.csat->ci95.lo >= 0);
        CHECK(all.csat->ci95.hi <= 1);
        REQUIRE((all.ces || n == 5));  // of the first five cards, fewer answer CES
        if (all.ces) CHECK(all.ces->ci95.lo >= 1);
        if (all.ces) CHECK(all.ces->ci95.hi <= 7);
        for (auto const& b : r->figures.by)
            for (auto const& s : b.shown)
                if (s.figures.nps) {
                    CHECK(s.figures.nps->ci95.lo >= -100);
                    CHECK(s.figures.nps->ci95.hi <= 100);
                }
        bool few = all.nps->n < report::default_few_cards;
        CHECK(few == (n < 31));  // every card of these answers NPS
        auto text = report::to_text(*r);
        CHECK(has(text, "detractors (few cards)\n") == few);
        auto page = report::to_html(*r);
        CHECK(has(page, "<div class=\"kpi few\"><div class=\"label\">Net Promoter Score") == few);
        CHECK(has(page, "<span class=\"few-tag\">few cards</span>"));  // sites have few, always
        CHECK(has(page, "</html>\n"));
        auto j = json::parse(report::to_json(*r));
        CHECK(j["few_cards"] == report::default_few_cards);
        // The threshold is an option: at 5, five cards are not few.
        auto o = at_now();
        o.few_cards = 5;
        auto r5 = report::build_report(hotel(), first_cards(n), {}, o);
        REQUIRE(r5.has_value());
        CHECK_FALSE(has(report::to_text(*r5), "detractors (few cards)"));
    }
}

TEST_CASE("report of the sample: changes significant on the Benjamini-Hochberg adjusted p") {
    report::report_files files{report::json_lines_source{sample}, org_file, {}};
    auto r = report::build_report(hotel(), files, at_now());
    REQUIRE(r.has_value());
    REQUIRE(r->change);
    auto const& c = *r->change;
    REQUIRE(c.overall);
    REQUIRE(c.csat);
    REQUIRE(c.ces);
    // Each figure's tests, the chain's first, are one family.
    std::vector<double> nps{c.overall->change.p}, csat{c.csat->change.p}, ces{c.ces->change.p};
    for (auto const& s : c.by) {
        nps.push_back(s.change.change.p);
        REQUIRE(s.csat);
        REQUIRE(s.ces);
        csat.push_back(s.csat->change.p);
        ces.push_back(s.ces->change.p);
    }
    auto check = [](auto const& x, double want) {
        CHECK(x.p_adjusted == want);
        CHECK(x.p_adjusted >= x.change.p);
        CHECK(x.significant == (x.p_adjusted < report::significant_p));
    };
    auto qn = stats::adjust_bh(nps), qc = stats::adjust_bh(csat), qe = stats::adjust_bh(ces);
    check(*c.overall, qn[0]);
    check(*c.csat, qc[0]);
    check(*c.ces, qe[0]);
    std::size_t raw = 0, adjusted = 0;  // site changes significant on the raw and adjusted p
    for (std::size_t k = 0; k < c.by.size(); ++k) {
        check(c.by[k].change, qn[k + 1]);
        check(*c.by[k].csat, qc[k + 1]);
        check(*c.by[k].ces, qe[k + 1]);
        for (double p : {nps[k + 1], csat[k + 1], ces[k + 1]}) raw += p < report::significant_p;
        adjusted +=
            c.by[k].change.significant + c.by[k].csat->significant + c.by[k].ces->significant;
    }
    auto j = json::parse(report::to_json(*r));
    CHECK(j["change"]["adjustment"] == "benjamini-hochberg");
    for (std::size_t k = 0; k < c.by.size(); ++k) {
        auto const& site = j["change"]["by"][c.by[k].site];
        CHECK(site["p_adjusted"] == qn[k + 1]);
        CHECK(site["csat"]["p_adjusted"] == qc[k + 1]);
        CHECK(site["ces"]["ci95"].size() == 2);
    }
    CHECK(has(report::to_text(*r), "significant: Benjamini-Hochberg adjusted p < 0.05"));
    CHECK(has(report::to_html(*r), "Benjamini-Hochberg adjusted p &lt; 0.05"));
    CHECK(adjusted >= 1);  // the sample's grenoble-07 and nice-03 still show
    CHECK(adjusted <= raw);
    MESSAGE("site changes significant on the raw p: " << raw << ", on the adjusted: " << adjusted);
}

TEST_CASE("report --interval wald: Wald's NPS interval, and stats_args say so") {
    auto o = at_now();
    o.interval = stats::nps_interval::wald;
    auto r = report::build_report(hotel(), first_cards(40), {}, o);
    REQUIRE(r.has_value());
    auto const& f = *r->figures.all.nps;
    CHECK(f.method == stats::nps_interval::wald);
    CHECK(f.ci95.lo == f.score - stats::nps_z * f.se);
    auto j = json::parse(report::to_json(*r));
    CHECK(j["figures"]["nps"]["interval"] == "wald");
    auto args = j["stats_args"].dump();
    CHECK(has(args, "\"--interval\",\"wald\""));
    auto d = report::build_report(hotel(), first_cards(40), {}, at_now());
    REQUIRE(d.has_value());
    CHECK(d->figures.all.nps->method == stats::nps_interval::adjusted_wald);
    CHECK_FALSE(has(json::parse(report::to_json(*d))["stats_args"].dump(), "--interval"));
}
