// What the two expression translators share: the tree their parsers build, literal
// values, and writing Candor's condition text. Private to candor::interop.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "candor/survey/parse.hpp"
#include "candor/survey/survey.hpp"

namespace candor::interop::detail {

// A literal, or an option's value in the source (SurveyJS values may be numbers, strings
// or booleans; XLSForm names are strings).
struct value {
    enum class kind : std::uint8_t { null, number, string, boolean };
    kind k = kind::null;
    double number = 0;
    std::string text;  // string; also the written form of a number
    bool flag = false;
    // A number, or a string that reads as one (" 5 " does not).
    std::optional<double> as_number() const;
    std::string json() const;  // 1, "yes", true, null
};

// One node of a parsed condition; children are owned, and the parsers bound the depth.
struct node {
    enum class kind : std::uint8_t {
        literal,   // value
        list,      // [a, b]: args
        variable,  // {name} or ${name}: name
        unary,     // op name, args[0]
        binary,    // op name, args[0], args[1]
        call,      // function name, args
    };
    kind k = kind::literal;
    std::string name;  // operator (canonical, lower case), variable or function name
    detail::value literal;
    std::vector<node> args;
    std::size_t offset = 0;  // where it starts in the expression text
};

// A parse or translation failure: a stable code and a message; `offset` into the text.
struct problem {
    std::string code;
    std::string message;
    std::size_t offset = 0;
};

// Candor's condition text.
std::string number_text(double v);  // a number, no exponent; negative as -N
// `q in ("a", "b")`, or `q == "a"` for one code, or `no` for none.
std::string any_code(std::string const& id, std::vector<std::string> const& codes);
std::string negate(std::string const& condition);  // not (...)
std::string parenthesise(std::string const& condition);

// The pieces appended in order: one long `"a" + s + "b"` chain draws a false -Wrestrict
// from g++ 12 in some inlining contexts.
template <class... Pieces>
std::string cat(Pieces const&... pieces) {
    std::string out;
    (out.append(std::string_view(pieces)), ...);
    return out;
}

// A condition as quoted in a message: at most 80 bytes of it, then "...".
std::string excerpt(std::string_view text);

// A condition that cannot be carried over: thrown while translating one condition and
// caught by the importer, which reports it at the condition's place.
struct untranslatable {
    std::string code;
    std::string message;
};
[[noreturn]] void refuse(std::string code, std::string message);

// The comparison with its operands swapped: < for >, <= for >=; others as they are.
std::string mirror(std::string const& op);
bool is_ordering(std::string const& op);  // = != < > <= >=
// `a OP b` in Candor for one of = != < > <= >=; `!=` is written `not a == b`, true when
// either is missing (as both SurveyJS and ODK have it).
std::string compare_text(std::string const& a, std::string const& op, std::string const& b);

}  // namespace candor::interop::detail

namespace candor::interop::detail {

struct parsed {
    std::optional<node> tree;
    problem why;  // when there is no tree
};

// SurveyJS expressions: {q}, 'text', 1.5, true, [a, b], = != < > <= >= (and their word
// forms), contains notcontains anyof allof noneof, empty notempty, and && or || ! not,
// + - * / %, f(x). `and`/`or` chains are one node each; any deeper nesting than
// max_expression_depth is refused (too-deep).
parsed parse_surveyjs(std::string_view text);

// XLSForm (ODK XPath) expressions: ${q}, 'text', 1.5, = != < > <= >=, and or, + - * div
// mod, f(x, ...) (not, selected, count-selected, true, false, ...), `.`.
parsed parse_xpath(std::string_view text);

}  // namespace candor::interop::detail
