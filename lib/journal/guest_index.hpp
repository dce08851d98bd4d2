// What import keeps of a format 2 card in card_keys: its key box, record hash and the guest
// hashes of its e-mail answers.
#pragma once

#include <optional>

#include "candor/journal/card_keys.hpp"
#include "candor/journal/opening.hpp"
#include "candor/journal/record.hpp"

namespace candor::journal::detail {

// nullopt unless the card's personal answers opened with its key box.
std::optional<card_key> card_key_of(record const& r, seal::digest const& hash,
                                    opened_card const& opened, seal::digest const& guest_key);

}  // namespace candor::journal::detail
