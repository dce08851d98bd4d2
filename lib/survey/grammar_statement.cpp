// Instantiates the header and statement grammar for util/x3/config.hpp's types.
#include "statement_def.hpp"
#include "util/x3/config.hpp"

namespace candor::survey::parser {

BOOST_SPIRIT_INSTANTIATE(header_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(statement_type, iterator_type, context_type)

header_type const& header() {
    return header_rule;
}
statement_type const& statement() {
    return statement_rule;
}

}  // namespace candor::survey::parser
