// Tokens shared by the expression and statement grammars: identifiers, strings,
// numbers, keywords, and the error handler for rules that report syntax errors.
#pragma once

#include <boost/spirit/home/x3.hpp>
#include <boost/spirit/home/x3/support/utility/annotate_on_success.hpp>

#include "ast.hpp"
#include "ast_adapted.hpp"
#include "tracker.hpp"

namespace candor::survey::parser {

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
    x3::error_handler_result on_error(It&, It const& last, Exception const& x,
                                      Context const& context) const {
        // X3 reports where skipping began; the reader wants the token that was wrong, if it
        // is on the same line (a missing token at a line's end is shown there).
        It where = x.where();
        while (where != last && (*where == ' ' || *where == '\t')) ++where;
        auto& t = x3::get<x3::error_handler_tag>(context).get();
        t.error(where, "expected " + describe(x.which()));
        return x3::error_handler_result::fail;
    }
    static std::string describe(std::string const& which) {
        // X3 names literals 'x' and rules by their given names; an unnamed compound parser
        // would show as a mangled C++ type, which says nothing to a survey author.
        if (which.empty() || which.rfind("N5boost", 0) == 0 || which.find("boost::") != std::string::npos)
            return "something else here";
        return which;
    }
};

// A whole word: `kw("if")` does not match the start of `iffy`.
inline auto kw(char const* word) { return lexeme[lit(word) >> !(alnum | '_')]; }
inline auto kw_string(char const* word) { return lexeme[x3::string(word) >> !(alnum | '_')]; }

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

struct escape_symbols : x3::symbols<char> {
    escape_symbols() { add("\\\"", '"')("\\\\", '\\')("\\n", '\n')("\\t", '\t'); }
};
inline escape_symbols const escapes;

// X3 cannot fill a struct of one member from a sequence, and does not annotate a rule
// with an action (it passes no attribute to on_success). So these leaf nodes take
// x3::raw's range and fill and tag themselves.
template <auto Member, class Convert>
struct from_raw {
    template <class Context>
    void operator()(Context& ctx) const {
        auto& node = x3::_val(ctx);
        auto const& range = x3::_attr(ctx);
        node.*Member = Convert{}(std::string(range.begin(), range.end()));
        x3::get<x3::error_handler_tag>(ctx).get().tag(node, range.begin(), range.end());
    }
};
struct as_is {
    std::string operator()(std::string s) const { return s; }
};
// The text between the quotes of a string the `quoted` rule accepted, escapes resolved.
struct unquote {
    std::string operator()(std::string const& s) const {
        std::string out;
        for (std::size_t i = 1; i + 1 < s.size(); ++i) {
            char c = s[i];
            if (c == '\\' && i + 2 < s.size()) {
                char e = s[++i];
                c = e == 'n' ? '\n' : e == 't' ? '\t' : e;
            }
            out += c;
        }
        return out;
    }
};
template <auto Member>
using text_from_raw = from_raw<Member, as_is>;

struct name_ref_class : x3::annotate_on_success {};
struct language_ref_class : x3::annotate_on_success {};
struct string_class : x3::annotate_on_success {};
struct number_class : x3::annotate_on_success {};
struct quoted_class;

x3::rule<name_ref_class, ast::name_ref> const name_ref = "name";
x3::rule<quoted_class, std::string> const quoted = "a quoted string";
x3::rule<string_class, ast::string_literal> const string_literal = "a quoted string";
x3::rule<number_class, ast::number_literal> const number_literal = "a number";
x3::rule<class raw_number_class, std::string> const raw_number = "a number";
x3::rule<class identifier_class, std::string> const identifier = "a name";
x3::rule<class language_class, std::string> const language = "a language code such as en or pt-BR";
x3::rule<language_ref_class, ast::name_ref> const language_ref = "a language code such as en or pt-BR";

auto const identifier_def = !reserved_word >> identifier_chars;
auto const name_ref_def = x3::raw[identifier][text_from_raw<&ast::name_ref::name>{}];
// BCP 47 in short: a 2-3 letter language, then optional subtags (pt-BR, zh-Hant).
auto const language_def = lexeme[x3::repeat(2, 3)[x3::lower] >>
                                 *(char_('-') >> x3::repeat(2, 8)[alnum]) >> !(alnum | '_' | '-')];
auto const language_ref_def = x3::raw[language][text_from_raw<&ast::name_ref::name>{}];
// Strings end on their line: an unclosed quote is reported where it opened, not at EOF.
auto const quoted_def =
    lexeme['"' > *(escapes | (char_ - '"' - '\\' - '\n' - '\r')) > '"'];
auto const string_literal_def = x3::raw[quoted][from_raw<&ast::string_literal::text, unquote>{}];
// Digits, an optional fraction, an optional sign: no exponents, inf or nan to surprise.
auto const raw_number_def = x3::raw[lexeme[-char_('-') >> +digit >> -('.' >> +digit)]];
auto const number_literal_def = x3::raw[raw_number][text_from_raw<&ast::number_literal::text>{}];

BOOST_SPIRIT_DEFINE(identifier, name_ref, language, language_ref, quoted, string_literal, number_literal, raw_number)

}  // namespace candor::survey::parser
