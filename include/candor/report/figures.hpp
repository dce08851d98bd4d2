// The figures of an export, as `candor stats` prints them (docs/statistics.md): NPS, CSAT,
// CES and means, by segment and by calendar period with the segments under min-n
// suppressed, the change in NPS, CSAT and CES at a date, key drivers, Cronbach's alpha and weights.
// Plain structs; report/render.hpp prints them as JSON or text.
// Thread safety: value types and pure functions; distinct objects may be used from distinct
// threads, and one frame may be read by several calls at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "candor/error.hpp"
#include "candor/stats/csv.hpp"
#include "candor/stats/drivers.hpp"
#include "candor/stats/figures.hpp"
#include "candor/stats/frame.hpp"
#include "candor/stats/intervals.hpp"
#include "candor/stats/reliability.hpp"
#include "candor/stats/segments.hpp"
#include "candor/stats/weighting.hpp"

namespace candor::survey {
struct survey;
}

namespace candor::report {

// Key drivers: the outcome regressed on the attributes.
struct drivers_spec {
    std::string outcome;
    std::vector<std::string> attributes;
};

// What to work out; every name is a column of the frame. Empty: not asked.
struct figures_options {
    std::string nps{}, csat{}, ces{};       // the headline questions' columns
    std::vector<std::string> means{};       // rating or number columns to average
    std::vector<std::string> by{};          // every figure per value of each
    std::optional<stats::period> period{};  // every figure per calendar period of `date`
    std::string date = "submitted";         // the time column of `period` and `compare`
    std::optional<std::int64_t> compare{};  // before this time (Unix seconds) against from it
    std::optional<drivers_spec> drivers{};
    std::vector<std::string> alpha{};  // Cronbach's alpha of these items
    std::string weights{};             // base weights (positive numbers); empty: unweighted
    std::uint64_t min_n = stats::default_min_n;  // segments and figures under it are suppressed
    stats::nps_interval interval = stats::nps_interval::adjusted_wald;  // NPS's ci95
};

// The survey's first NPS, CSAT and CES questions, for those of `o` not named.
void use_survey_questions(figures_options& o, survey::survey const& s);
// How to read a CSV for these options: NPS, CSAT and CES as scales with their standard
// ends (an 11 among NPS answers is refused at its line, not counted), the groupings and
// the category columns raked as categories, the date as time, the weights as numbers.
stats::csv_options csv_options_of(figures_options const& o,
                                  std::vector<std::string> const& raked = {},
                                  survey::survey const* s = nullptr);

// A mean under its column's name; nullopt when fewer than min_n answered.
struct named_mean {
    std::string column;
    std::optional<stats::mean_figure> figure;
};

// The figures of some cards (all of them, or one segment). A figure is nullopt when it was
// not asked (figures::asked says which were) or fewer than min_n answered it.
struct figure_set {
    std::uint64_t n = 0;  // cards
    std::optional<stats::nps_figure> nps;
    std::optional<stats::share_figure> csat;
    std::optional<stats::mean_figure> ces;
    std::vector<named_mean> means;  // in the order asked
};

struct segment {
    std::string label;  // the column's value, or a period's first day YYYY-MM-DD
    figure_set figures;
};

// Every figure per segment; segments of fewer than min_n cards are counted, not shown.
struct breakdown {
    std::string column;
    std::vector<segment> shown;  // by label (periods: in calendar order)
    std::size_t suppressed = 0;
};

struct weighting {
    bool converged = true;
    int rounds = 0;  // raking rounds; 0 with base weights alone
    double sum = 0;
};

struct figures {
    figures_options asked;  // the options, so the figures say what was asked
    figure_set all;
    std::vector<breakdown> by;  // one per asked.by
    std::optional<breakdown> periods;
    std::optional<stats::change> change;             // of NPS, with asked.compare
    std::optional<stats::share_change> csat_change;  // with asked.compare and a CSAT column
    std::optional<stats::mean_change> ces_change;    // with asked.compare and a CES column
    std::optional<stats::drivers_result> drivers;
    std::optional<stats::alpha_result> alpha;
    std::optional<weighting> weights;  // with asked.weights or margins
};

// The breakdown of `column` in the figures, or null.
breakdown const* find_breakdown(figures const& f, std::string_view column);

// Every figure the options ask for, raked to `margins` when given. Errors: unknown or
// wrong-kind columns, "bad-weight", "no-nps" (a change without an NPS column), and those of
// stats::rake, key_drivers ("too-few-cases", "singular") and cronbach_alpha.
result<figures> compute_figures(figures_options const& o, stats::frame const& f,
                                std::vector<stats::margin> const& margins = {});

// A CSV export and what is read beside it.
struct csv_input {
    std::string path;                        // the export, with a header row
    survey::survey const* survey = nullptr;  // columns' kinds and the headline questions
    std::vector<std::pair<std::string, std::string>> margin_files{};  // column, margins CSV
    std::vector<stats::margin> margins{};                             // margins given
};

// The figures of `candor stats`: the survey's first NPS, CSAT and CES for those `o` does not
// name, the export read for them (csv_options_of), raked to the margins files and the
// margins given. Errors: what read_csv and read_margin found (each at its file), then those
// of compute_figures (at no file).
result<figures> figures_of_csv(figures_options o, csv_input const& in);

}  // namespace candor::report
