// The head-office report (docs/report.md) as plain structs: the figures of `candor stats`,
// NPS by site ranked and by week, key drivers, what changed since the period before, the
// open and overdue cases of a case log, quality flags, and the newest detractors'
// comments, with contact details removed unless the reader's role contacts guests.
// report/render.hpp prints the model as JSON, HTML or text.
// Thread safety: value types and functions of their arguments; distinct objects may be used
// from distinct threads. build_report from files takes the store's and the case log's
// directory locks while it reads them (journal::store, routing::case_log).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <istream>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "candor/error.hpp"
#include "candor/journal/store.hpp"
#include "candor/report/figures.hpp"
#include "candor/response/response.hpp"
#include "candor/routing/cases.hpp"
#include "candor/routing/org.hpp"
#include "candor/seal/keys.hpp"
#include "candor/stats/frame.hpp"
#include "candor/survey/survey.hpp"

namespace candor::report {

// The thresholds of the quality flags (docs/user-guide.md) and of a significant change.
inline constexpr double speeder_seconds = 20;
inline constexpr std::uint32_t burst_cards = 10;
inline constexpr double burst_minutes = 10;
inline constexpr double significant_p = 0.05;  // on the Benjamini-Hochberg adjusted p
inline constexpr std::size_t default_verbatims = 10;
// Figures of fewer cards are shown greyed, marked "few cards".
inline constexpr std::uint64_t default_few_cards = 30;

// The responses of one survey, read from somewhere holding others too.
struct survey_responses {
    std::vector<response::response> responses;
    std::uint64_t other_surveys = 0;  // cards of other surveys, skipped
};

// Every card of the store, opened with journal::open_card. Errors: "unreadable" (how many
// records do not open with this key) and each card's "not-a-response" or "misfiled".
result<survey_responses> read_store(journal::store const& store, seal::hq_secret const& hq,
                                    survey::survey const& s);
// Responses as JSON lines; every bad line is an error at its line.
result<survey_responses> read_json_lines(std::istream& in, std::string const& file_name,
                                         survey::survey const& s);

struct overdue_case {
    std::string id, site, role;  // the role it is with now
    std::int64_t opened = 0;
    std::int64_t deadline = 0;  // passed, unacknowledged
    std::size_t escalations = 0;
};

struct case_summary {
    std::uint64_t open = 0, acknowledged = 0, resolved = 0;
    std::uint64_t escalated = 0;        // cases escalated at least once, in any state
    std::vector<overdue_case> overdue;  // still open past the deadline, oldest first
};

// Invitations after a stay (candor::invite::response_rates): sent (their time came) and
// answered (their single-use link was used), by site and channel.
struct invitation_rate {
    std::string site;
    std::string channel;
    std::uint64_t sent = 0;
    std::uint64_t answered = 0;
    double ratio() const noexcept { return sent ? double(answered) / double(sent) : 0; }
};

// The cases of a log as of `now`; overdue as `candor cases list --overdue` lists them.
case_summary summarize_cases(routing::case_log const& log, std::int64_t now);

// A figure in one period against the one before, for the chain or a site.
template <class Figure, class Change>
struct figure_change {
    Figure before, after;
    Change change;             // diff, p, ...
    double p_adjusted = 1;     // Benjamini-Hochberg over the figure's tests in the period_change
    bool significant = false;  // p_adjusted < significant_p
};
using nps_change = figure_change<stats::nps_figure, stats::change>;           // z test
using csat_change = figure_change<stats::share_figure, stats::share_change>;  // prop.test
using ces_change = figure_change<stats::mean_figure, stats::mean_change>;     // Welch

struct site_change {
    std::string site;
    nps_change change;
    std::optional<csat_change> csat;  // nullopt: no CSAT question, or not tested
    std::optional<ces_change> ces;
};

// The last calendar period holding a card (to date) against the one before. A figure is
// tested when both sides have min_n answers and they vary; its tests (the chain's and every
// site's) are one family for the Benjamini-Hochberg adjustment.
struct period_change {
    stats::period period = stats::period::month;
    std::int64_t before = 0, after = 0;  // the periods' first days (Unix seconds)
    std::optional<nps_change> overall;   // nullopt: under min_n on a side, or no spread
    std::optional<csat_change> csat;     // the chain's
    std::optional<ces_change> ces;
    std::vector<site_change> by;  // sites where the NPS change is defined, by id
};

struct site_quality {
    std::string site;
    std::uint64_t cards = 0, flagged = 0;
};

// Cards flagged as careless or automated; each count is nullopt when the columns it needs
// are not there. Flagged cards stay in every figure.
struct quality_flags {
    std::uint64_t cards = 0;
    double speeder_seconds = report::speeder_seconds;
    std::uint32_t burst_cards = report::burst_cards;
    double burst_minutes = report::burst_minutes;
    std::optional<std::uint64_t> speeders;         // started and submitted times
    std::optional<std::uint64_t> straight_liners;  // two or more rating/likert questions
    std::uint64_t duplicate_text = 0;
    std::optional<std::uint64_t> bursts;  // device and submitted
    std::uint64_t any = 0;
    std::vector<site_quality> by;  // sites with cards, by id
};

// A detractor's comment. Without a contacts-guests reader, `contact` is empty and what looks
// like an e-mail address or phone number in `text` is "[removed]".
struct verbatim {
    int nps = 0;
    std::optional<std::int64_t> submitted;
    std::optional<std::string> site, language;
    std::vector<std::pair<std::string, std::string>> text;     // question, comment; by question
    std::vector<std::pair<std::string, std::string>> contact;  // personal question, answer
};

struct report_model {
    std::string survey;
    std::uint32_t version = 0;
    std::string title;  // in the survey's default language
    std::int64_t generated = 0;
    std::uint64_t other_surveys = 0;
    bool personal_data = false;  // the reader sees contact details
    std::string reader_role;     // empty: none given
    std::string by;              // the column of sites
    report::figures figures;     // figures.asked: the `candor stats` options they equal
    std::uint64_t few_cards = default_few_cards;  // figures of fewer cards are marked
    std::string no_drivers;                       // why the key drivers were left out, if they were
    std::optional<std::int64_t> from, to;         // the first and the last card's time
    std::optional<period_change> change;          // nullopt: no card has a time
    quality_flags quality;
    std::vector<verbatim> verbatims;                         // newest first
    std::vector<std::pair<std::string, std::string>> names;  // site id, name (from the org)
    std::optional<case_summary> cases;
    std::vector<invitation_rate> invitations;  // empty: none given
    errors warnings;                           // what opening the store found and repaired
};

// Whether a figure of n cards is marked "few cards" in the report.
inline bool few_cards(report_model const& r, std::uint64_t n) {
    return n < r.few_cards;
}

// Segments of a breakdown with an NPS, best first (ties by label), then those without.
std::vector<segment const*> ranked_by_nps(breakdown const& b);

struct report_options {
    std::string by = "site";
    stats::period compare = stats::period::month;
    std::size_t verbatims = default_verbatims;
    std::uint64_t min_n = stats::default_min_n;
    std::uint64_t few_cards = default_few_cards;
    stats::nps_interval interval = stats::nps_interval::adjusted_wald;
    std::string reader_role{};  // needs an org; contact details only if it contacts guests
    // No contact details whoever reads, comments redacted, times to the day (--anonymize).
    bool anonymize = false;
    std::int64_t now = 0;  // the caller's clock: `generated`, and when cases are overdue
};

// The figures the report shows: the survey's first NPS, CSAT and CES questions, by site and
// by week, and the drivers of the NPS question among its rating and likert questions.
figures_options report_figures(survey::survey const& s, report_options const& o);

// What the report is built from besides its cards, all optional.
struct report_context {
    std::uint64_t other_surveys = 0;
    routing::organisation const* org = nullptr;  // site names; the reader's role
    std::optional<case_summary> cases{};
    std::vector<invitation_rate> invitations{};
};

// The report of `cards`: a frame of the survey's responses (stats::frame_of, or read_csv with
// the column_kinds of report_figures). Errors: "no-responses" (no card), "no-nps" (the
// survey has none), "no-org", "unknown-role", and those of compute_figures (except
// "too-few-cases" and "singular" of the drivers, which are left out: no_drivers says why).
result<report_model> build_report(survey::survey const& s, stats::frame const& cards,
                                  report_context const& context, report_options const& o);

// Where the cards come from.
struct store_source {
    std::filesystem::path dir{},
        hq_key{};  // head office's store (pg::open_store's location), its key
};
struct csv_source {
    std::filesystem::path file;  // as `candor export --csv` writes it
};
struct json_lines_source {
    std::filesystem::path file;
};
using source = std::variant<store_source, csv_source, json_lines_source>;

struct report_files {
    report::source cards{};
    std::filesystem::path org{};                 // empty: none
    std::filesystem::path cases{};               // the case log's directory; empty: none
    std::vector<invitation_rate> invitations{};  // invite::response_rates(); empty: none
};

// The report from files, as `candor report` makes it. Errors also: those of reading each
// file, and "no-case-log" for a cases directory that does not exist.
result<report_model> build_report(survey::survey const& s, report_files const& files,
                                  report_options const& o);

}  // namespace candor::report
