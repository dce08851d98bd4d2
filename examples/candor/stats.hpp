// The figures of `candor stats` as one JSON object, shared with `candor report` so that
// both print the same numbers from the same candor::stats calls.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "candor/stats/csv.hpp"
#include "candor/stats/figures.hpp"
#include "candor/stats/segments.hpp"
#include "candor/stats/weighting.hpp"

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
    bool json = false;
};

// JSON has no NaN: an undefined figure (n too small) is null.
nlohmann::json num(double x);
nlohmann::json to_json(stats::nps_figure const& f);
nlohmann::json to_json(stats::share_figure const& f);
nlohmann::json to_json(stats::mean_figure const& f);

// Fills the survey's first NPS, CSAT and CES questions into `o` when not named, and the
// column kinds the options imply into `csv`.
void complete(stats_options& o, stats::csv_options& csv, survey::survey const* s);

// Every figure the options ask for (keys in docs/statistics.md), raked to `margins` when
// given; "suppressed" counts the segments under min-n per breakdown.
result<nlohmann::json> compute_stats(stats_options const& o, stats::frame const& f,
                                            std::vector<stats::margin> const& margins = {});

}  // namespace candor::cli
