// A condition or computed value over a response: the expression language of
// `show if`, `require if` and routing rules, after names are resolved and types checked.
// Thread safety: value types; distinct objects may be used from distinct threads, one read
// from many.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "candor/error.hpp"

namespace candor::survey {

enum class opcode : std::uint8_t {
    number,    // literal: node.number
    text,      // literal: node.text (also a choice code)
    boolean,   // literal yes/no: node.number is 1 or 0
    question,  // the answer to question node.a (index into survey::questions)
    field,     // the device field node.a (index into survey::fields)
    answered,  // answered(q): question node.a has an answer
    count,     // count(q): number of options chosen in question node.a
    negate,    // -a
    add, subtract, multiply, divide,
    equal, not_equal, less, less_equal, greater, greater_equal,
    logical_and, logical_or, logical_not,
    in,        // a in (list...)
    contains,  // a contains b: text contains (case-insensitive), or choices include code
};

// The static type of an expression; choice answers compare with their codes.
enum class value_type : std::uint8_t { boolean, number, text, choice, choices };

struct expr {
    struct node {
        opcode op = opcode::number;
        value_type type = value_type::number;
        std::uint32_t a = 0;  // first operand node, or question/field index
        std::uint32_t b = 0;  // second operand node
        double number = 0;
        std::string text;
        std::vector<std::uint32_t> list;  // operands of `in`
        friend bool operator==(node const&, node const&) = default;
    };
    std::vector<node> nodes;  // children come before parents; the root is last
    location where;

    bool empty() const noexcept { return nodes.empty(); }
    node const& root() const { return nodes.back(); }
    friend bool operator==(expr const& x, expr const& y) { return x.nodes == y.nodes; }
};

}  // namespace candor::survey
