// Responses made fit to leave head office's hands: `--anonymize` of `candor export`
// and `candor report` (docs/user-guide.md).
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "candor/response/response.hpp"
#include "candor/survey/survey.hpp"

namespace candor::response {

// Replaces what looks like an e-mail address or a phone number (8 digits or more) in free
// text with "[removed]": guests write their contact details in comments too.
std::string redact_contacts(std::string text);

// The start (00:00 UTC) of the day holding `t`, Unix seconds.
std::int64_t day_of(std::int64_t t) noexcept;

// `r` without its personal answers (email, phone, text marked personal), contact details
// redacted from the rest of its free text (text answers and choices' other texts), and its
// times coarsened to the day. Answers to questions the survey lacks are dropped: nothing
// tells whether they are personal.
void anonymize(survey::survey const& s, response& r);

}  // namespace candor::response
