// The survey grammar's entry points. Declared here, defined in expression_def.hpp and
// statement_def.hpp and instantiated once, in grammar_*.cpp, for the types of
// util/x3/config.hpp.
#pragma once

#include <boost/spirit/home/x3.hpp>

#include "ast.hpp"
#include "util/x3/config.hpp"

namespace candor::survey::parser {

namespace x3 = boost::spirit::x3;
using util::parser::context_type;
using util::parser::iterator_type;
using util::parser::skipper;
using util::parser::tracker;

struct header_class;
struct statement_class;
struct expression_class;

using header_type = x3::rule<header_class, ast::header>;
using statement_type = x3::rule<statement_class, ast::statement>;
using expression_type = x3::rule<expression_class, ast::expression>;

BOOST_SPIRIT_DECLARE(header_type, statement_type, expression_type)

// `survey "id" version N {`
header_type const& header();
// One statement inside the survey's braces: languages, title, field, page or question.
statement_type const& statement();
// A condition on its own (used by routing rules and tests).
expression_type const& expression();

}  // namespace candor::survey::parser
