// Test helpers for responses.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "candor/response/validate.hpp"
#include "candor/survey/parse.hpp"

namespace candor::test {

inline survey::survey const& hotel() {
    static survey::survey const s = [] {
        auto r = survey::parse_file(std::string(CANDOR_SOURCE_DIR) + "/examples/surveys/hotel-stay.survey");
        REQUIRE(r.has_value());
        return *r;
    }();
    return s;
}

// A response to the hotel card that the card accepts; tests change one thing at a time.
inline response::response good_hotel_response() {
    response::response r;
    r.survey = "hotel-stay";
    r.version = 3;
    r.language = "en";
    r.fields = {{"site", "paris-01"}, {"device", "kiosk-1"}, {"channel", "kiosk"}, {"shift", "day"}};
    r.submitted = 1793614572;
    r.started = 1793614440;
    r.answers = {{"recommend", std::int64_t{9}}, {"satisfaction", std::int64_t{5}},
                 {"reason", std::string("leisure")}, {"contact_me", false}};
    return r;
}

inline std::vector<std::string> codes(errors const& ps) {
    std::vector<std::string> out;
    for (auto const& p : ps) out.emplace_back(p.code);
    return out;
}

inline bool has(errors const& ps, std::string const& question, std::string const& code) {
    return std::any_of(ps.begin(), ps.end(), [&](error const& p) {
        return p.where.field == question && p.code == code;
    });
}

}  // namespace candor::test
