// Instantiates the expression grammar for util/x3/config.hpp's types.
#include "util/x3/config.hpp"
#include "expression_def.hpp"

namespace candor::survey::parser {

BOOST_SPIRIT_INSTANTIATE(expression_type, iterator_type, context_type)

expression_type const& expression() { return expression_rule; }

}  // namespace candor::survey::parser
