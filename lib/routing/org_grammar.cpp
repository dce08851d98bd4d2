// Instantiates the org statement grammar for the survey parser's types.
#include "../survey/config.hpp"
#include "org_def.hpp"

namespace candor::routing::parser {

using survey::parser::context_type;
using survey::parser::iterator_type;

BOOST_SPIRIT_INSTANTIATE(org_statement_type, iterator_type, context_type)

org_statement_type const& org_statement() { return org_statement_rule; }

}  // namespace candor::routing::parser
