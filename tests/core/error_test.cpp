#include <doctest/doctest.h>

#include "candor/error.hpp"

TEST_CASE("a error renders as FILE:LINE:COL with the source line and a caret") {
    candor::error d{candor::severity::error, "duplicate-question", "question `a` is defined twice",
                         {"card.survey", 2, 5}};
    std::string source = "line one\nabc def\nline three\n";
    auto text = candor::render(d, source);
    CHECK(text ==
          "card.survey:2:5: error: question `a` is defined twice [duplicate-question]\n"
          "  abc def\n"
          "      ^\n");
}

TEST_CASE("columns count characters, so the caret stands under the right one after UTF-8") {
    candor::error d{candor::severity::warning, "w", "here", {"f", 1, 5}};
    auto text = candor::render(d, "été x");
    CHECK(text == "f:1:5: warning: here [w]\n  été x\n      ^\n");
}

TEST_CASE("has_errors ignores warnings") {
    candor::errors all{{candor::severity::warning, "w", "m", {}}};
    CHECK_FALSE(candor::has_errors(all));
    all.push_back({candor::severity::error, "e", "m", {}});
    CHECK(candor::has_errors(all));
}
