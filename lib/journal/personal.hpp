// The personal part of a format 2 card: the answers to personal questions, with the place
// each had among the card's answers, as JSON: [[INDEX,"ID","KIND","ANSWER"],...]. Personal
// questions (email, phone, text) are always answered with text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "candor/response/response.hpp"
#include "candor/survey/survey.hpp"

namespace candor::journal::detail {

struct personal_answer {
    std::uint32_t index = 0;  // its place in response::answers
    std::string id;
    std::string kind;  // survey::to_string(question_kind): "email", "phone", "text"
    std::string answer;
};

// Moves the answers to `s`'s personal questions out of `r`.
std::vector<personal_answer> take_personal(survey::survey const& s, response::response& r);
std::string encode_personal(std::vector<personal_answer> const& answers);
// nullopt for anything that is not a personal part.
std::optional<std::vector<personal_answer>> decode_personal(std::string_view text);
// Puts the answers back at their places.
void restore_personal(response::response& r, std::vector<personal_answer> answers);

// What an e-mail address is indexed by: trimmed, ASCII letters in lower case.
std::string normalize_email(std::string_view address);

}  // namespace candor::journal::detail
