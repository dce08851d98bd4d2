// Checking a response against its survey, before anything is stored.
// Thread safety: pure functions of their arguments.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "candor/error.hpp"
#include "candor/response/response.hpp"
#include "candor/survey/survey.hpp"

namespace candor::response {

// Each problem is a candor::error whose `where.field` names the question (or device field,
// or `ID.other` for a choice's free text); empty for the whole response. Codes, stable:
//   wrong-survey        the response names another survey or version
//   unknown-question    an answer to a question the survey does not have
//   duplicate-answer    two answers to one question
//   wrong-type          e.g. text for an nps question
//   out-of-range        outside the scale or number range, or not an integer
//   unknown-option      a choice code the question does not offer
//   too-long            text over its maximum length
//   too-many-selections, too-few-selections
//   invalid-format      a malformed date, email or phone; text (an answer, a device field)
//                       that is not UTF-8 or holds a control character other than tab, CR, LF
//   required-missing    required (and shown) but not answered
//   not-shown           answered, but not shown for these answers
//   device-field        the respondent set a device field, or an unknown field was set
//   missing-field       a device field the survey declares was not set
//   unknown-language, bad-time (started after submitted)

// The free text of a choice's `other` option, answered as "ID.other", in bytes.
inline constexpr std::size_t default_other_length = 500;

// Every problem of `r` against `s`; empty means the response is accepted.
// `not shown` follows the conditions evaluated on this response's own answers.
errors validate(survey::survey const& s, response const& r);

// Whether question `index` of `s` is shown for the answers of `r`.
bool is_shown(survey::survey const& s, response const& r, std::size_t index);

}  // namespace candor::response
