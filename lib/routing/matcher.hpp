// Rule conditions prepared for routing a million responses a second: each condition is
// cut into atoms (a comparison, a `contains`, ...) joined by and/or/not. Atoms shared by
// rules are evaluated once per response; numeric comparisons with a literal run on the
// response's answers read once as numbers, and every other atom through
// response::evaluate, so the language has one meaning.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "candor/response/response.hpp"
#include "candor/routing/rules.hpp"
#include "candor/survey/survey.hpp"

namespace candor::routing {

class matcher {
public:
    matcher(survey::survey const& survey, rule_set const& rules);
    // Indices of the rules whose condition holds for `r`, in rule order.
    void match(response::response const& r, std::vector<std::uint32_t>& out) const;

private:
    // Atoms and the and/or/not nodes over them all have a slot of one byte per response:
    // [numeric atoms][general atoms][true][nodes]. A node is a two-input truth table, so
    // evaluating every rule is one loop with no branch on the data.
    struct numeric_atom {
        std::uint32_t question;
        std::uint8_t mask;  // bit 0: true when less, bit 1: when equal, bit 2: when greater
        double constant;
    };
    struct node {
        std::uint32_t x, y;  // slots; general atoms are marked with the top bit until built
        std::uint8_t table;  // result for inputs (x, y) is bit x | y << 1
    };
    // `text contains "literal"` and `choices contains "code"`: searched directly, the text
    // lowered once per response; any other answer shape goes through response::evaluate.
    struct contains_atom {
        std::uint32_t question;
        std::string needle;  // lowered for text
        std::uint32_t general;  // index into general_ of the same atom, for other shapes
    };
    survey::survey const* survey_;
    std::vector<numeric_atom> numeric_;
    std::vector<survey::expr> general_;
    std::vector<std::int32_t> contains_of_;  // by general atom: index into contains_, or -1
    std::vector<contains_atom> contains_;
    std::vector<node> nodes_;
    std::vector<std::uint32_t> roots_;  // by rule: the slot of its condition
    std::uint32_t atom(survey::expr const& e, std::uint32_t node);
    std::uint32_t compile(survey::expr const& e, std::uint32_t node);
    std::uint32_t nodes_base() const;
};

}  // namespace candor::routing
