// Instantiates the org statement grammar for the survey parser's types.
#include "util/x3/config.hpp"
#include "org_def.hpp"

namespace candor::routing::parser {

using util::parser::context_type;
using util::parser::iterator_type;

BOOST_SPIRIT_INSTANTIATE(org_statement_type, iterator_type, context_type)

org_statement_type const& org_statement() { return org_statement_rule; }

}  // namespace candor::routing::parser
