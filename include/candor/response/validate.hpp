// Checking a response against its survey, before anything is stored.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "candor/response/response.hpp"
#include "candor/survey/survey.hpp"

namespace candor::response {

enum class problem_code : std::uint8_t {
    wrong_survey,       // the response names another survey or version
    unknown_question,   // an answer to a question the survey does not have
    duplicate_answer,   // two answers to one question
    wrong_type,         // e.g. text for an nps question
    out_of_range,       // outside the scale or number range, or not an integer
    unknown_option,     // a choice code the question does not offer
    too_long,           // text over its maximum length
    too_many_selections,
    too_few_selections,
    invalid_format,     // a malformed date, email or phone, or text that is not UTF-8
    required_missing,   // required (and shown) but not answered
    not_shown,          // answered, but not shown for these answers
    device_field,       // the respondent set a device field, or an unknown field was set
    missing_field,      // a device field the survey declares was not set
    unknown_language,
    bad_time,           // started after submitted
};

std::string_view to_string(problem_code c) noexcept;

struct problem {
    std::string question;  // the question (or field) id; empty for the whole response
    problem_code code;
    std::string message;
};

using problems = std::vector<problem>;

// The free text of a choice's `other` option, answered as "ID.other", in bytes.
inline constexpr std::size_t default_other_length = 500;

// Every problem of `r` against `s`; empty means the response is accepted.
// `not shown` follows the conditions evaluated on this response's own answers.
problems validate(survey::survey const& s, response const& r);

// Whether question `index` of `s` is shown for the answers of `r`.
bool is_shown(survey::survey const& s, response const& r, std::size_t index);

}  // namespace candor::response
