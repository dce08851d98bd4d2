// The expression grammar of `show if`, `require if` and routing rules, lowest
// precedence first: or, and, not, comparisons (== != < <= > >= in contains), + -, * /,
// unary minus.
#pragma once

#include "common_def.hpp"
#include "grammar.hpp"

namespace candor::survey::parser {

struct logical_or_symbols : x3::symbols<ast::optoken> {
    logical_or_symbols() { add("or", ast::optoken::logical_or); }
};
struct logical_and_symbols : x3::symbols<ast::optoken> {
    logical_and_symbols() { add("and", ast::optoken::logical_and); }
};
struct relational_symbols : x3::symbols<ast::optoken> {
    relational_symbols() {
        add("==", ast::optoken::equal)("!=", ast::optoken::not_equal)(
            "<=", ast::optoken::less_equal)(">=", ast::optoken::greater_equal)(
            "<", ast::optoken::less)(">", ast::optoken::greater);
    }
};
struct additive_symbols : x3::symbols<ast::optoken> {
    additive_symbols() { add("+", ast::optoken::plus)("-", ast::optoken::minus); }
};
struct multiplicative_symbols : x3::symbols<ast::optoken> {
    multiplicative_symbols() { add("*", ast::optoken::times)("/", ast::optoken::divide); }
};
struct unary_symbols : x3::symbols<ast::optoken> {
    unary_symbols() { add("-", ast::optoken::negative); }
};
struct bool_symbols : x3::symbols<bool> {
    bool_symbols() { add("yes", true)("no", false); }
};

inline logical_or_symbols const logical_or_op;
inline logical_and_symbols const logical_and_op;
inline relational_symbols const relational_op;
inline additive_symbols const additive_op;
inline multiplicative_symbols const multiplicative_op;
inline unary_symbols const unary_op;
inline bool_symbols const bool_words;

// Reports its own syntax errors, so a condition parsed alone (routing rules) throws nothing.
struct expression_class : x3::annotate_on_success, report_errors {};
struct logical_and_class : x3::annotate_on_success {};
struct relational_class : x3::annotate_on_success {};
struct additive_class : x3::annotate_on_success {};
struct multiplicative_class : x3::annotate_on_success {};
struct negation_class : x3::annotate_on_success {};
struct unary_class : x3::annotate_on_success {};
struct relation_class : x3::annotate_on_success {};
struct membership_class : x3::annotate_on_success {};
struct containment_class : x3::annotate_on_success {};
struct call_class : x3::annotate_on_success {};
struct list_class : x3::annotate_on_success {};
struct bool_class : x3::annotate_on_success {};
struct primary_class;

expression_type const expression_rule = "an expression";
x3::rule<logical_and_class, ast::expression> const logical_and = "an expression";
x3::rule<relational_class, ast::expression> const relational = "an expression";
x3::rule<additive_class, ast::expression> const additive = "an expression";
x3::rule<multiplicative_class, ast::expression> const multiplicative = "an expression";
x3::rule<negation_class, ast::unary> const negation = "a condition";
x3::rule<unary_class, ast::unary> const unary = "an operand";
x3::rule<primary_class, ast::operand> const primary =
    "a question, a number, a quoted string, yes, no, or a parenthesised expression";
x3::rule<relation_class, ast::operation> const relation = "a comparison";
x3::rule<membership_class, ast::operation> const membership = "in (...)";
x3::rule<containment_class, ast::operation> const containment = "contains";
x3::rule<call_class, ast::call> const call = "a function call";
x3::rule<list_class, ast::list> const value_list = "a parenthesised list";
x3::rule<bool_class, ast::bool_literal> const bool_literal = "yes or no";

x3::rule<class items_class, std::vector<ast::expression>> const list_items =
    "values separated by commas";
x3::rule<class arguments_class, std::vector<ast::name_ref>> const arguments =
    "question names separated by commas";
auto const list_items_def = expression_rule % ',';
auto const arguments_def = name_ref % ',';

auto const word_op = [](auto const& symbols) { return lexeme[symbols >> !(alnum | '_')]; };

auto const expression_rule_def = logical_and >> *(word_op(logical_or_op) > logical_and);
auto const logical_and_def = negation >> *(word_op(logical_and_op) > negation);
// `not` binds looser than comparisons: `not reason == other` negates the comparison.
auto const negation_def = *(kw("not") >> x3::attr(ast::optoken::logical_not)) >> relational;
auto const relational_def = additive >> *(relation | membership | containment);
auto const relation_def = relational_op > additive;
auto const membership_def = (kw("in") >> x3::attr(ast::optoken::in)) > value_list;
auto const containment_def = (kw("contains") >> x3::attr(ast::optoken::contains)) > additive;
// `in` lists and yes/no are reported by their enclosing operation, so they need no tag.
auto const value_list_def =
    ('(' > list_items > ')')[([](auto& ctx) { x3::_val(ctx).items = std::move(x3::_attr(ctx)); })];
auto const additive_def = multiplicative >> *(additive_op > multiplicative);
auto const multiplicative_def = unary >> *(multiplicative_op > unary);
auto const unary_def = *unary_op >> primary;
auto const call_def = (kw_string("answered") | kw_string("count") | kw_string("any") |
                       kw_string("all")) > '(' > arguments > ')';
auto const bool_literal_def =
    word_op(bool_words)[([](auto& ctx) { x3::_val(ctx).value = x3::_attr(ctx); })];
auto const primary_def = number_literal | string_literal | bool_literal | call | name_ref |
                         ('(' > expression_rule > ')');

BOOST_SPIRIT_DEFINE(list_items, arguments)
BOOST_SPIRIT_DEFINE(expression_rule, logical_and, negation, relational, relation, membership,
                    containment, value_list, additive, multiplicative, unary, call, bool_literal,
                    primary)

}  // namespace candor::survey::parser
