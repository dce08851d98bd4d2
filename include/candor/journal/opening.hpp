// Opening a stored card at head office: the one way the response inside a record is read
// (routing, reports, exports, `candor hq responses`).
// Thread safety: pure functions of their arguments.
#pragma once

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
result<response::response> open_card(record const& r, seal::hq_secret const& hq);

}  // namespace candor::journal
