// Tokens shared by the expression and statement grammars of the survey language:
// identifiers, names, strings and numbers as tree nodes, language codes; the generic ones
// (keywords, quoted strings, the error handler) are util/x3/tokens.hpp's.
#pragma once

#include <boost/spirit/home/x3.hpp>
#include <boost/spirit/home/x3/support/utility/annotate_on_success.hpp>

#include "ast.hpp"
#include "ast_adapted.hpp"
#include "util/x3/tokens.hpp"

namespace candor::survey::parser {

namespace x3 = boost::spirit::x3;
using namespace util::parser;
using x3::alnum;
using x3::alpha;
using x3::char_;
using x3::digit;
using x3::lexeme;
using x3::lit;

// Words an expression gives meaning to, so they cannot name questions.
struct reserved_words : x3::symbols<> {
    reserved_words() {
        add("and")("or")("not")("in")("contains")("yes")("no")("answered")("count")("any")("all");
        // Statement keywords too, so a statement cut short is not read as a name.
        add("survey")("question")("page")("title")("languages")("field")("fields");
    }
};
inline reserved_words const reserved;

inline auto const identifier_chars = lexeme[(alpha | char_('_')) >> *(alnum | char_('_'))];
inline auto const reserved_word = lexeme[reserved >> !(alnum | '_')];

struct name_ref_class : x3::annotate_on_success {};
struct language_ref_class : x3::annotate_on_success {};
struct string_class : x3::annotate_on_success {};
struct number_class : x3::annotate_on_success {};

x3::rule<name_ref_class, ast::name_ref> const name_ref = "name";
x3::rule<string_class, ast::string_literal> const string_literal = "a quoted string";
x3::rule<number_class, ast::number_literal> const number_literal = "a number";
x3::rule<class raw_number_class, std::string> const raw_number = "a number";
x3::rule<class identifier_class, std::string> const identifier = "a name";
x3::rule<class language_class, std::string> const language = "a language code such as en or pt-BR";
x3::rule<language_ref_class, ast::name_ref> const language_ref =
    "a language code such as en or pt-BR";

auto const identifier_def = !reserved_word >> identifier_chars;
auto const name_ref_def = x3::raw[identifier][text_from_raw<&ast::name_ref::name>{}];
// BCP 47 in short: a 2-3 letter language, then optional subtags (pt-BR, zh-Hant).
auto const language_def = lexeme[x3::repeat(2, 3)[x3::lower] >>
                                 *(char_('-') >> x3::repeat(2, 8)[alnum]) >> !(alnum | '_' | '-')];
auto const language_ref_def = x3::raw[language][text_from_raw<&ast::name_ref::name>{}];
auto const string_literal_def = x3::raw[quoted][from_raw<&ast::string_literal::text, unquote>{}];
// Digits, an optional fraction, an optional sign: no exponents, inf or nan to surprise.
auto const raw_number_def = x3::raw[lexeme[-char_('-') >> +digit >> -('.' >> +digit)]];
auto const number_literal_def = x3::raw[raw_number][text_from_raw<&ast::number_literal::text>{}];

BOOST_SPIRIT_DEFINE(identifier, name_ref, language, language_ref, string_literal, number_literal,
                    raw_number)

}  // namespace candor::survey::parser
