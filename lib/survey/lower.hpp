// Turning the syntax tree into the checked model: names resolved, types checked,
// every semantic error collected.
#pragma once

#include <optional>
#include <vector>

#include "ast.hpp"
#include "candor/survey/survey.hpp"
#include "util/source_map.hpp"

namespace candor::survey {

using util::source_map;

// Appends to `out` every problem found; the survey is meaningful only if none is an error.
survey lower(ast::header const& header, std::vector<ast::statement> const& statements,
             source_map const& source, errors& out);

// A condition read against an existing survey, as if it came after its last question.
std::optional<expr> lower_condition(ast::expression const& condition, survey const& s,
                                    source_map const& source, errors& out);

// Most errors one file reports; past this, the rest is noise.
inline constexpr std::size_t max_diagnostics = 100;

}  // namespace candor::survey
