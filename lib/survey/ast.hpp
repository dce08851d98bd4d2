// The syntax tree of a `.survey` file, as Spirit X3 fills it. Private to lib/:
// survey/lower.cpp turns it into the public candor::survey::survey.
#pragma once

#include <boost/optional.hpp>
#include <boost/spirit/home/x3/support/ast/position_tagged.hpp>
#include <boost/spirit/home/x3/support/ast/variant.hpp>
#include <string>
#include <vector>

namespace candor::survey::ast {

namespace x3 = boost::spirit::x3;

// position_tagged's id_first/id_last hold byte offsets into the source (see util/x3/tracker.hpp).

// ---- Expressions (the calc9 example's shape: a chain of operations per precedence level)

enum class optoken {
    logical_or,
    logical_and,
    equal,
    not_equal,
    less,
    less_equal,
    greater,
    greater_equal,
    in,
    contains,
    plus,
    minus,
    times,
    divide,
    negative,
    logical_not
};

struct nil {};
struct number_literal : x3::position_tagged {
    std::string text;
};
struct string_literal : x3::position_tagged {
    std::string text;
};
struct bool_literal : x3::position_tagged {
    bool value = false;
};
struct name_ref : x3::position_tagged {
    std::string name;
};
struct unary;
struct expression;
struct list;
struct call;

struct operand : x3::variant<nil, number_literal, string_literal, bool_literal, name_ref,
                             x3::forward_ast<call>, x3::forward_ast<unary>,
                             x3::forward_ast<expression>, x3::forward_ast<list>> {
    using base_type::base_type;
    using base_type::operator=;
};

struct call : x3::position_tagged {
    std::string function;
    std::vector<name_ref> arguments;
};

// Prefix operators (`not` at its level, unary minus at its own) are a list, not recursion, so "not
// not not ..." cannot exhaust the stack.
struct unary : x3::position_tagged {
    std::vector<optoken> operators;
    operand operand_;
};

struct operation : x3::position_tagged {
    optoken operator_;
    operand operand_;
};

struct expression : x3::position_tagged {
    operand first;
    std::vector<operation> rest;
};

struct list : x3::position_tagged {
    std::vector<expression> items;
};

// ---- Texts and statements. Each statement keeps its leading keyword, which also spares
// X3 the single-member structs it handles badly.

struct text_entry : x3::position_tagged {
    std::string language;  // empty for a bare "text": the survey's default language
    std::string text;
};
using text = std::vector<text_entry>;

struct range : x3::position_tagged {
    std::string low;
    boost::optional<std::string> high;  // "likert 5" has one bound, "rating 1..5" two
};

struct option : x3::position_tagged {
    name_ref code;
    boost::optional<text> label;
};

struct kind_spec : x3::position_tagged {
    name_ref name;                      // nps, rating, choice, ...
    boost::optional<std::string> mode;  // choice: one | many
    std::vector<option> options;        // empty unless `of (...)` was written
    boost::optional<range> bounds;
    boost::optional<std::string> number_type;  // integer | decimal
};

struct condition_attr : x3::position_tagged {
    std::string keyword;  // show | require
    expression condition;
};
struct value_attr : x3::position_tagged {
    std::string keyword;  // max | min (with a value), required | personal (without)
    std::string value;
};
struct labels_attr : x3::position_tagged {
    std::string keyword;
    text low;
    text high;
};
struct other_attr : x3::position_tagged {
    std::string keyword;
    text label;
};
// The question's own text; it may stand anywhere among the attributes.
struct prompt_attr : x3::position_tagged {
    text value;
};
struct attribute : x3::variant<condition_attr, value_attr, labels_attr, other_attr, prompt_attr> {
    using base_type::base_type;
    using base_type::operator=;
};

struct question_stmt : x3::position_tagged {
    std::string keyword;
    name_ref id;
    kind_spec kind;
    std::vector<attribute> attributes;
};
struct languages_stmt : x3::position_tagged {
    std::string keyword;
    std::vector<name_ref> languages;
    boost::optional<name_ref> default_language;
};
struct title_stmt : x3::position_tagged {
    std::string keyword;
    text title;
};
// A device field, and whether a device may leave it unset (`optional` after its name).
struct field_decl {
    name_ref name;
    bool optional = false;
};
struct fields_stmt : x3::position_tagged {
    std::string keyword;
    std::vector<field_decl> names;
};
struct page_stmt : x3::position_tagged {
    std::string keyword;
    name_ref id;
    boost::optional<text> title;
};
struct statement : x3::variant<question_stmt, languages_stmt, title_stmt, fields_stmt, page_stmt> {
    using base_type::base_type;
    using base_type::operator=;
};

struct header : x3::position_tagged {
    std::string id;
    std::string version;
};

}  // namespace candor::survey::ast
