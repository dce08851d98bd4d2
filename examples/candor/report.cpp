// candor report: the head-office report from the store (or an export): NPS by site and by
// week, CSAT, CES, key drivers, what changed, open cases, quality flags, detractors' words.
// The model and its rendering are candor::report's.
#include <fstream>
#include <iostream>
#include <memory>

#include "candor/invite/invite.hpp"
#include "candor/report/render.hpp"
#include "candor/report/report.hpp"
#include "candor/routing/time.hpp"
#include "candor/time.hpp"
#include "commands.hpp"
#include "io.hpp"

namespace candor::cli {

struct report_options {
    std::string survey;
    std::string store, hq_key;  // the head-office store and the key that opens its cards
    std::string csv;            // or an export
    std::string responses;      // or JSON lines
    std::string org;
    std::string reader_role;
    bool anonymize = false;
    std::string cases;
    std::string invitations;  // candor serve's state: the invitations' response rate
    std::string now;
    std::string by = "site";
    std::string compare = "month";
    std::size_t verbatims = report::default_verbatims;
    std::uint64_t min_n = stats::default_min_n;
    std::uint64_t few_cards = report::default_few_cards;
    std::string interval = "adjusted-wald";
    std::string format = "html";
    std::string out = "-";
};

namespace {

int fail(std::string const& message) {
    std::cerr << "candor report: " << message << '\n';
    return 1;
}

// Errors with a place (a file's line, a card) rendered there; the others as the report's.
int refuse(errors const& all) {
    for (auto const& e : all) {
        if (e.where != location{})
            std::cerr << render(e);
        else
            fail(e.message + " [" + e.code + "]");
    }
    return 1;
}

int run_report(report_options const& o) {
    int sources = !o.store.empty() + !o.csv.empty() + !o.responses.empty();
    if (sources != 1)
        return fail("give one source: --store DIR (with --hq-key), --csv FILE or --responses FILE");
    if (!o.store.empty() && o.hq_key.empty())
        return fail("--store needs --hq-key, head office's secret key");
    if (!o.reader_role.empty() && o.org.empty())
        return fail("--reader-role needs --org, the file that defines the role");
    report::report_options options;
    options.now = routing::system_now();
    if (!o.now.empty()) {
        auto t = parse_timestamp(o.now);
        if (!t) return fail("--now takes a time like 2026-11-16T09:00:00Z, not '" + o.now + "'");
        options.now = *t;
    }
    auto compare = stats::parse_period(o.compare);
    if (!compare) return refuse(compare.error());
    options.compare = *compare;
    options.by = o.by;
    options.verbatims = o.verbatims;
    options.min_n = o.min_n;
    options.few_cards = o.few_cards;
    auto interval = stats::parse_nps_interval(o.interval);
    if (!interval) return refuse(interval.error());
    options.interval = *interval;
    options.reader_role = o.reader_role;
    options.anonymize = o.anonymize;
    auto survey = load_survey(o.survey);
    if (!survey) return 1;

    report::report_files files;
    if (!o.store.empty())
        files.cards = report::store_source{o.store, o.hq_key};
    else if (!o.csv.empty())
        files.cards = report::csv_source{o.csv};
    else
        files.cards = report::json_lines_source{o.responses};
    files.org = o.org;
    files.cases = o.cases;
    if (!o.invitations.empty()) {
        auto rates = invite::response_rates(o.invitations, options.now);
        if (!rates) {
            std::cerr << render(rates.error());
            return 1;
        }
        files.invitations = std::move(*rates);
    }
    auto model = report::build_report(*survey, files, options);
    if (!model) return refuse(model.error());
    std::cerr << render(model->warnings);

    auto text = o.format == "json"   ? report::to_json(*model) + '\n'
                : o.format == "text" ? report::to_text(*model)
                                     : report::to_html(*model);
    if (o.out == "-") {
        std::cout << text;
        return 0;
    }
    std::ofstream file(o.out, std::ios::binary | std::ios::trunc);
    file << text;
    file.close();
    if (!file) return fail(o.out + ": cannot write");
    return 0;
}

}  // namespace

void setup_report(CLI::App& app) {
    auto opts = std::make_shared<report_options>();
    auto* sub = app.add_subcommand(
        "report",
        "The head-office report: NPS by site and week, drivers, changes, cases, comments");
    sub->add_option("--survey", opts->survey, "The survey the responses answer")
        ->required()
        ->check(CLI::ExistingFile);
    sub->add_option("--store", opts->store,
                    "Head office's store: a directory, or a PostgreSQL location (as hq import's)");
    sub->add_option("--hq-key", opts->hq_key,
                    "Head office's secret key (hq.key), to open the store's cards");
    sub->add_option("--csv", opts->csv, "Or: responses exported as CSV")->check(CLI::ExistingFile);
    sub->add_option("--responses", opts->responses, "Or: responses as JSON lines")
        ->check(CLI::ExistingFile);
    sub->add_option("--org", opts->org, "The org file: site names, and the role of --reader-role")
        ->check(CLI::ExistingFile);
    sub->add_option("--reader-role", opts->reader_role,
                    "The reader's role; contact details only if it contacts-guests");
    sub->add_flag("--anonymize", opts->anonymize,
                  "No contact details for any reader, comments redacted, times to the day");
    sub->add_option("--cases", opts->cases,
                    "The case log directory: open cases and overdue escalations");
    sub->add_option("--invitations", opts->invitations,
                    "candor serve's state directory: invitations sent and answered by site");
    sub->add_option("--now", opts->now, "The time cases are overdue at (default: now)");
    sub->add_option("--by", opts->by, "The column of sites")->capture_default_str();
    sub->add_option("--compare", opts->compare,
                    "Changes: the last period with cards against the one before")
        ->check(CLI::IsMember({"week", "month", "quarter"}))
        ->capture_default_str();
    sub->add_option("--verbatims", opts->verbatims, "How many detractors' comments to show")
        ->capture_default_str();
    sub->add_option("--min-n", opts->min_n, "Suppress segments and figures under this many cards")
        ->capture_default_str();
    sub->add_option("--few-cards", opts->few_cards,
                    "Grey the figures of fewer cards than this, marked \"few cards\"")
        ->capture_default_str();
    sub->add_option("--interval", opts->interval,
                    "NPS's 95% interval: adjusted-wald (Rocks 2016) or wald (R survey's)")
        ->check(CLI::IsMember({"adjusted-wald", "wald"}))
        ->capture_default_str();
    sub->add_option("--format", opts->format, "html, text or json")
        ->check(CLI::IsMember({"html", "text", "json"}))
        ->capture_default_str();
    sub->add_option("--out", opts->out, "Write here instead of standard output");
    sub->callback([opts] { exit_code() = run_report(*opts); });
}

}  // namespace candor::cli
