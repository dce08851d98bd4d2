// Evaluating a condition (show if, require if, routing rules) on one response.
// Thread safety: pure functions; index_answers writes only `out`.
#pragma once

#include <span>

#include "candor/response/response.hpp"
#include "candor/survey/survey.hpp"

namespace candor::response {

// The answers a condition may read, by question index; null where a question was not
// answered or not shown. A comparison with a missing answer is false: `not (q <= 6)`
// holds for an unanswered q, `answered(q)` tells the two apart.
struct answer_table {
    survey::survey const& survey;
    response const& source;                  // for device fields
    std::span<answer const* const> answers;  // size == survey.questions.size()
};

bool evaluate(survey::expr const& condition, answer_table const& table);

// The answers of `r` by question index (null where absent); answers to unknown
// questions are ignored here and reported by check().
void index_answers(survey::survey const& s, response const& r, std::span<answer const*> out);

}  // namespace candor::response
