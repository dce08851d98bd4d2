// Tokens any Candor grammar may use (the survey language's, the org file's): whole words,
// quoted strings with escapes, the leaf-node filler and the error handler that turns the
// first expectation failure of a statement into a syntax error.
#pragma once

#include <boost/spirit/home/x3.hpp>
#include <boost/spirit/home/x3/support/utility/annotate_on_success.hpp>

#include "util/x3/tracker.hpp"

namespace candor::util::parser {

namespace x3 = boost::spirit::x3;
using x3::alnum;
using x3::char_;
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

x3::rule<struct quoted_class, std::string> const quoted = "a quoted string";
// Strings end on their line: an unclosed quote is reported where it opened, not at EOF.
auto const quoted_def =
    lexeme['"' > *(escapes | (char_ - '"' - '\\' - '\n' - '\r')) > '"'];
BOOST_SPIRIT_DEFINE(quoted)

}  // namespace candor::util::parser
