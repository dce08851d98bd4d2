// Shared by the routing tests: the sample org, the hotel card, temporary directories.
#pragma once

#include <filesystem>
#include <string>

#include "../support/temp_dir.hpp"
#include "candor/routing/org.hpp"
#include "candor/routing/rules.hpp"
#include "candor/schema/parse.hpp"

namespace candor::routing::testing {

inline std::string const sample_dir = CANDOR_SOURCE_DIR "/examples/org";
inline std::string const hotel_survey_path = CANDOR_SOURCE_DIR "/examples/surveys/hotel-stay.survey";

inline organisation const& sample_org() {
    static organisation const org = parse_org_file(sample_dir + "/hotel-chain.org").value();
    return org;
}
inline schema::survey const& hotel() {
    static schema::survey const s = schema::parse_file(hotel_survey_path).value();
    return s;
}
// The hotel card with a device field naming the staff on duty, for the bypass tests.
inline schema::survey const& hotel_with_staff() {
    static schema::survey const s = [] {
        auto copy = hotel();
        copy.fields.push_back("staff");
        return copy;
    }();
    return s;
}

// Whether any diagnostic has this code at this line and column.
inline bool has(diagnostics const& all, std::string const& code, std::uint32_t line,
                std::uint32_t column) {
    for (auto const& d : all)
        if (d.code == code && d.where.line == line && d.where.column == column) return true;
    return false;
}

using candor::test::temp_dir;

}  // namespace candor::routing::testing
