// Tokens shared by the expression and statement grammars: identifiers, strings,
// numbers, keywords, and the error handler for rules that report syntax errors.
#pragma once

#include <boost/spirit/home/x3.hpp>
#include <boost/spirit/home/x3/support/utility/annotate_on_success.hpp>

#include "ast.hpp"
#include "ast_adapted.hpp"
#include "tracker.hpp"

namespace candor::schema::parser {

namespace x3 = boost::spirit::x3;
using x3::alnum;
using x3::alpha;
using x3::char_;
using x3::digit;
using x3::lexeme;
using x3::lit;

// Records the first expectation failure of a statement as a syntax error and fails the
// rule; parse.cpp then resumes at the next line that starts a statement.
struct report_errors {
    template <class It, class Exception, class Context>
    x3::error_handler_result on_error(It&, It const&, Exception const& x,
                                      Context const& context) const {
        auto& t = x3::get<x3::error_handler_tag>(context).get();
        t.error(x.where(), "expected " + describe(x.which()));
        return x3::error_handler_result::fail;
    }
    static std::string describe(std::string const& which) {
        // X3 names literal characters 'x' and rules by their given names.
        return which.empty() ? std::string("something else") : which;
    }
};

// A whole word: `kw("if")` does not match the start of `iffy`.
inline auto kw(char const* word) { return lexeme[lit(word) >> !(alnum | '_')]; }
inline auto kw_string(char const* word) { return lexeme[x3::string(word) >> !(alnum | '_')]; }

// Words an expression gives meaning to, so they cannot name questions.
struct reserved_words : x3::symbols<> {
    reserved_words() {
        add("and")("or")("not")("in")("contains")("yes")("no")("answered")("count");
    }
};
inline reserved_words const reserved;

inline auto const identifier_chars = lexeme[(alpha | char_('_')) >> *(alnum | char_('_'))];
inline auto const reserved_word = lexeme[reserved >> !(alnum | '_')];

struct escape_symbols : x3::symbols<char> {
    escape_symbols() { add("\\\"", '"')("\\\\", '\\')("\\n", '\n')("\\t", '\t'); }
};
inline escape_symbols const escapes;

// X3 cannot fill a struct of one member from a sequence, so those nodes are filled
// by this action from their member's parser.
template <auto Member>
struct set_member {
    template <class Context>
    void operator()(Context& ctx) const {
        x3::_val(ctx).*Member = std::move(x3::_attr(ctx));
    }
};

struct name_ref_class : x3::annotate_on_success {};
struct string_class : x3::annotate_on_success {};
struct number_class : x3::annotate_on_success {};
struct quoted_class;

x3::rule<name_ref_class, ast::name_ref> const name_ref = "name";
x3::rule<quoted_class, std::string> const quoted = "a quoted string";
x3::rule<string_class, ast::string_literal> const string_literal = "a quoted string";
x3::rule<number_class, ast::number_literal> const number_literal = "a number";
x3::rule<class raw_number_class, std::string> const raw_number = "a number";
x3::rule<class identifier_class, std::string> const identifier = "a name";

auto const identifier_def = !reserved_word >> identifier_chars;
auto const name_ref_def = identifier[set_member<&ast::name_ref::name>{}];
// Strings end on their line: an unclosed quote is reported where it opened, not at EOF.
auto const quoted_def =
    lexeme['"' > *(escapes | (char_ - '"' - '\\' - '\n' - '\r')) > '"'];
auto const string_literal_def = quoted[set_member<&ast::string_literal::text>{}];
// Digits, an optional fraction, an optional sign: no exponents, inf or nan to surprise.
auto const raw_number_def = x3::raw[lexeme[-char_('-') >> +digit >> -('.' >> +digit)]];
auto const number_literal_def = raw_number[set_member<&ast::number_literal::text>{}];

BOOST_SPIRIT_DEFINE(identifier, name_ref, quoted, string_literal, number_literal, raw_number)

}  // namespace candor::schema::parser
