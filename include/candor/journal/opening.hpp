// Opening a stored card at head office: the one way the response inside a record is read
// (routing, reports, exports, `candor hq responses`).
// Thread safety: pure functions of their arguments.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "candor/error.hpp"
#include "candor/journal/record.hpp"
#include "candor/response/response.hpp"
#include "candor/seal/keys.hpp"

namespace candor::journal {

// The response sealed in `r`, once it is known to be the card its signed header says:
// the same survey and version, submitted at the header's time, from the header's device
// and site. Errors, at the record's device and seq: "unreadable" (not sealed to this key),
// "not-a-response" (opens, but holds no response), "misfiled" (the sealed card disagrees
// with its signed header: one device's key filing cards under another device or site).
// A format 2 card's personal answers are in it when its key box opens them; without a key
// box (erased) or with one that does not open them (altered), the card opens with its other
// answers alone: what counts every card (stats, reports) goes on counting it.
result<response::response> open_card(record const& r, seal::hq_secret const& hq);

// What became of a card's personal answers at opening.
enum class personal_part : std::uint8_t {
    none,       // no personal part: a format 1 card (personal answers, if any, in the seal)
                // or one without personal answers
    opened,     // in the response
    erased,     // no key box: destroyed by an erasure; the answers are gone for good
    unopenable  // the key box does not open them: altered, or another card's
};
std::string_view to_string(personal_part p) noexcept;

struct opened_card {
    response::response response;
    personal_part personal = personal_part::none;
    // The personal answers' question ids and kinds ("email", "phone", "text"), when opened.
    std::vector<std::pair<std::string, std::string>> personal_questions;
    errors found;  // a warning "personal-unopenable" when the key box does not open them
};
// open_card, saying what became of the personal answers. Fails as open_card, and with
// "bad-personal" when an opened personal part holds no personal answers.
result<opened_card> open_parts(record const& r, seal::hq_secret const& hq);

}  // namespace candor::journal
