// The one place the parsers' iterator, skipper and context types are fixed (the survey
// language's and the org file's grammars share them). The instantiating .cpp files and the
// callers both use these: a mismatch is a link error.
#pragma once

#include <boost/spirit/home/x3.hpp>
#include <boost/spirit/home/x3/support/utility/error_reporting.hpp>

#include "util/x3/tracker.hpp"

namespace candor::util::parser {

namespace x3 = boost::spirit::x3;

using iterator_type = char const*;

// Skips white space and `#` comments to the end of the line.
struct skipper_type : x3::parser<skipper_type> {
    using attribute_type = x3::unused_type;
    static bool const has_attribute = false;

    template <class It, class Context, class RContext, class Attribute>
    bool parse(It& first, It const& last, Context const&, RContext&, Attribute&) const {
        if (first == last) return false;
        char c = *first;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            ++first;
            return true;
        }
        if (c != '#') return false;
        while (first != last && *first != '\n') ++first;
        return true;
    }
};
inline skipper_type const skipper{};

using phrase_context_type = x3::phrase_parse_context<skipper_type>::type;
using context_type =
    x3::context<x3::error_handler_tag, std::reference_wrapper<tracker>, phrase_context_type>;

}  // namespace candor::util::parser
