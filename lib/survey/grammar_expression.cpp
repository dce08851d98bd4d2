// Instantiates the expression grammar for util/x3/config.hpp's types.
#include "expression_def.hpp"
#include "util/x3/config.hpp"

namespace candor::survey::parser {

BOOST_SPIRIT_INSTANTIATE(expression_type, iterator_type, context_type)

expression_type const& expression() {
    return expression_rule;
}

}  // namespace candor::survey::parser
