// The org file grammar's entry point. Defined in org_def.hpp, instantiated once in
// org_grammar.cpp for the types of util/x3/config.hpp; org_parse.cpp is its only caller.
#pragma once

#include <boost/spirit/home/x3.hpp>

#include "org_ast.hpp"

namespace candor::routing::parser {

namespace x3 = boost::spirit::x3;

struct org_statement_class;
using org_statement_type = x3::rule<org_statement_class, ast::statement>;
BOOST_SPIRIT_DECLARE(org_statement_type)

// One statement: brand, region, site, role, person, head-office, when or always.
org_statement_type const& org_statement();

}  // namespace candor::routing::parser
