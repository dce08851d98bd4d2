// Shared by the routing tests: the sample org, the hotel card, temporary directories.
#pragma once

#include <filesystem>
#include <string>

#include "../support/temp_dir.hpp"
#include "candor/response/json.hpp"
#include "candor/routing/org.hpp"
#include "candor/routing/rules.hpp"
#include "candor/survey/parse.hpp"
#include "candor/time.hpp"

namespace candor::routing::testing {

inline std::string const sample_dir = CANDOR_SOURCE_DIR "/examples/org";
inline std::string const hotel_survey_path =
    CANDOR_SOURCE_DIR "/examples/surveys/hotel-stay.survey";

inline organisation const& sample_org() {
    static organisation const org = parse_org_file(sample_dir + "/hotel-chain.org").value();
    return org;
}
inline survey::survey const& hotel() {
    static survey::survey const s = survey::parse_file(hotel_survey_path).value();
    return s;
}
// Whether any error has this code at this line and column.
inline bool has(errors const& all, std::string const& code, std::uint32_t line,
                std::uint32_t column) {
    for (auto const& d : all)
        if (d.code == code && d.where.line == line && d.where.column == column) return true;
    return false;
}

using candor::test::temp_dir;

// A hotel card from `site` with these answers (JSON members), on the night shift; `on_duty`
// names the person on duty (the survey's `on_duty` field, the sample org's duty-field).
inline response::response card(std::string const& site, std::string const& answers,
                               std::string const& on_duty = "") {
    std::string json = R"({"survey":"hotel-stay","version":3,"language":"en","fields":{"site":")" +
                       site + R"(","shift":"night")" +
                       (on_duty.empty() ? "" : R"(,"on_duty":")" + on_duty + "\"") +
                       R"(},"submitted":"2026-11-06T16:00:00Z","answers":{)" + answers + "}}";
    return response::from_json(json).value();
}

inline timestamp at(char const* iso) {
    return *parse_timestamp(iso);
}

}  // namespace candor::routing::testing
