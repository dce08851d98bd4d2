// Conditions for the page: a survey::expr as JSON, node for node, so the page's evaluator
// (page/conditions.js) runs the very program response::evaluate runs.
#pragma once

#include <nlohmann/json.hpp>

#include "candor/survey/expr.hpp"

namespace candor::kiosk {

// [{"op":"less_equal","a":0,"b":1}, ...]: children before parents, the root last; leaves
// carry "number", "text" or "a" (a question or field index) as their opcode needs.
nlohmann::json to_json(survey::expr const& e);

}  // namespace candor::kiosk
