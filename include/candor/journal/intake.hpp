// Intake: turning a response into a card for the journal, the one way every channel takes
// cards (the kiosk, `candor submit`, the head-office server, Python and C). Nothing is
// written here; journal::submit() writes what intake accepted.
// Thread safety: pure functions of their arguments.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "candor/error.hpp"
#include "candor/journal/journal.hpp"
#include "candor/journal/record.hpp"
#include "candor/response/response.hpp"
#include "candor/seal/keys.hpp"
#include "candor/survey/survey.hpp"

namespace candor::journal {

// What the device sets on every card it takes, never the respondent: its id, and the
// other device fields of the survey (site, channel, shift...). The response's own fields
// must agree with these; fields the response lacks are filled in from them.
struct device_setting {
    std::string device;  // the device's id (its key's)
    std::vector<std::pair<std::string, std::string>> fields;  // e.g. {"site", "paris-01"}
};

// The card to journal for `r`, or every problem: each answer checked against the survey
// (response::validate), the device fields against `device` (code "device-field"), and the
// sealed size against the journal's limit ("too-large").
result<card> intake(survey::survey const& s, response::response r, device_setting const& device);
// The same from one JSON object; text that is no response gives "json" or "response-shape"
// errors at `where`.
result<card> intake(survey::survey const& s, std::string_view json, device_setting const& device,
                    location where = {});

// Checks a device's settings against a survey before the device takes its first card: every
// field named is a device field of the survey and not empty, and every device field the
// survey declares is set (`device` is set to the device's id when not named). Returns the
// settings completed, in the survey's field order.
result<device_setting> settle(survey::survey const& s, device_setting given);
// The same for the device whose key is `device`: its id, and the site its key binds it to
// (filled in when not given; another one given is refused, code "wrong-site").
result<device_setting> settle(survey::survey const& s, device_setting given,
                              seal::device_public const& device);

// What a device's key alone sets on its cards (`candor submit`, which takes the other
// device fields from each response): its id, and its site when the key names one and the
// survey has a `site` field. intake() then refuses a response from another site.
device_setting setting_of(survey::survey const& s, seal::device_public const& device);

}  // namespace candor::journal
