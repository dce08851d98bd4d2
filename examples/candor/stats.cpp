// candor stats DATA.csv: NPS, CSAT, CES and more, with intervals, segments, periods,
// change, key drivers, reliability and weights; readable tables or one JSON object. The
// figures and their printing are candor::report's.
#include <iomanip>
#include <iostream>
#include <memory>

#include "candor/invite/invite.hpp"
#include "candor/report/figures.hpp"
#include "candor/report/render.hpp"
#include "candor/time.hpp"
#include "commands.hpp"
#include "io.hpp"

namespace candor::cli {

struct stats_options {
    std::string data;
    std::string survey;
    std::string nps, csat, ces;
    std::vector<std::string> means;
    std::vector<std::string> by;
    std::string period;
    std::string date = "submitted";
    std::string compare;
    std::string drivers;
    std::string alpha;
    std::string weights;
    std::vector<std::string> rake;
    std::uint64_t min_n = stats::default_min_n;
    std::string interval = "adjusted-wald";
    std::string invitations;  // candor serve's state: the invitations' response rate
    bool json = false;
};

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

// The library's options from the command line's, or what is wrong with them.
result<report::figures_options> figures_options_of(stats_options const& o) {
    report::figures_options f;
    f.nps = o.nps, f.csat = o.csat, f.ces = o.ces;
    f.means = o.means;
    f.by = o.by;
    if (!o.period.empty()) {
        auto p = stats::parse_period(o.period);
        if (!p) return unexpected(p.error());
        f.period = *p;
    }
    f.date = o.date;
    if (!o.compare.empty()) {
        f.compare = parse_date(o.compare);
        if (!f.compare)
            return fail("bad-date", "--compare takes a date YYYY-MM-DD, not '" + o.compare + "'");
    }
    if (!o.drivers.empty()) {
        auto eq = o.drivers.find('=');
        if (eq == std::string::npos)
            return fail("bad-option", "--drivers takes OUTCOME=COL,COL,...");
        f.drivers =
            report::drivers_spec{o.drivers.substr(0, eq), split(o.drivers.substr(eq + 1), ',')};
    }
    if (!o.alpha.empty()) f.alpha = split(o.alpha, ',');
    f.weights = o.weights;
    f.min_n = o.min_n;
    auto interval = stats::parse_nps_interval(o.interval);
    if (!interval) return unexpected(interval.error());
    f.interval = *interval;
    return f;
}

}  // namespace

int run_stats(stats_options const& o) {
    auto options = figures_options_of(o);
    if (!options) return refuse(options.error());
    report::csv_input in{o.data};
    for (auto const& spec : o.rake) {
        auto eq = spec.find('=');
        if (eq == std::string::npos)
            return refuse(fail("bad-option", "--rake takes COL=MARGINS.csv").error());
        in.margin_files.emplace_back(spec.substr(0, eq), spec.substr(eq + 1));
    }
    std::optional<survey::survey> survey;
    if (!o.survey.empty()) {
        survey = load_survey(o.survey);
        if (!survey) return 1;
        in.survey = &*survey;
    }
    auto figures = report::figures_of_csv(*options, in);
    if (!figures) {
        // What a file holds is shown at its place; what was asked of it, as the command's.
        if (figures.error().front().where.file.empty()) return refuse(figures.error());
        std::cerr << render(figures.error());
        return 1;
    }
    std::cout << (o.json ? report::to_json(*figures) + '\n' : report::to_text(*figures));
    if (!o.invitations.empty()) {
        auto rates = invite::response_rates(o.invitations, unix_now());
        if (!rates) {
            std::cerr << render(rates.error());
            return 1;
        }
        std::cout << "\ninvitations by site and channel: sent, answered, rate\n";
        for (auto const& r : *rates)
            std::cout << "  " << printable(r.site) << ' ' << printable(r.channel) << ' ' << r.sent
                      << ' ' << r.answered << ' ' << std::fixed << std::setprecision(1)
                      << 100 * r.ratio() << "%\n";
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
                    "NPS, CSAT and CES change between before and from this date (YYYY-MM-DD)");
    sub->add_option("--drivers", opts->drivers, "Key drivers: OUTCOME=COL,COL,...");
    sub->add_option("--alpha", opts->alpha, "Cronbach's alpha of COL,COL,...");
    sub->add_option("--weights", opts->weights, "Column of base weights");
    sub->add_option("--rake", opts->rake, "Rake to COL=MARGINS.csv (value,count rows; repeatable)");
    sub->add_option("--min-n", opts->min_n, "Suppress segments and figures under this many cards")
        ->capture_default_str();
    sub->add_option("--invitations", opts->invitations,
                    "candor serve's state directory: invitations sent and answered by site");
    sub->add_option("--interval", opts->interval,
                    "NPS's 95% interval: adjusted-wald (Rocks 2016) or wald (R survey's)")
        ->check(CLI::IsMember({"adjusted-wald", "wald"}))
        ->capture_default_str();
    sub->add_flag("--json", opts->json, "One JSON object (keys in docs/statistics.md)");
    sub->callback([opts] { exit_code() = run_stats(*opts); });
}

}  // namespace candor::cli
