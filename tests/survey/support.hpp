// Test helpers for the survey language.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "candor/survey/parse.hpp"

namespace candor::test {

inline survey::survey parse_ok(std::string const& text) {
    auto r = survey::parse(text, "t.survey");
    if (!r) FAIL_CHECK(render(r.error(), text));
    REQUIRE(r.has_value());
    return *r;
}

inline errors parse_errors(std::string const& text) {
    auto r = survey::parse(text, "t.survey");
    REQUIRE_FALSE(r.has_value());
    return r.error();
}

// The first error with `code`, or fails the test.
inline error const& find_code(errors const& all, std::string const& code) {
    auto it = std::find_if(all.begin(), all.end(), [&](error const& d) { return d.code == code; });
    if (it == all.end()) FAIL(render(all));
    return *it;
}

inline std::string wrap(std::string const& body) {
    return "survey \"t\" version 1 {\n" + body + "\n}\n";
}

}  // namespace candor::test
