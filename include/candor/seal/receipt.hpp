// Receipt codes: what the respondent takes home ("7KQ-4M2"), six Crockford base32 digits
// (30 bits) of a record's hash. Short enough to read out; so not unique over millions of
// cards: a lookup can return several records, and the device and time tell them apart.
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "candor/seal/bytes.hpp"

namespace candor::seal {

std::string receipt_code(digest const& record_hash);
// The canonical form of a typed code: case, dashes, spaces and the look-alikes
// I/L (1) and O (0) forgiven; nullopt if it is not six base32 digits.
std::optional<std::string> normalize_receipt(std::string_view typed);

}  // namespace candor::seal
