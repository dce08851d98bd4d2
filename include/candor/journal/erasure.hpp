// Erasure and subject access at head office: a guest, named by a receipt code or an e-mail
// address, has the key boxes of their format 2 cards destroyed (card_keys::erase), so their
// personal answers can never be opened again while every record still verifies and counts;
// or is shown everything the store holds about them. Format 1 cards seal personal answers
// with the rest, under the signature: they cannot be erased without deleting records, which
// the chain exposes, so erasure leaves them and says so.
// Thread safety: as the store's (erase_guest writes; subject_access only reads).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "candor/error.hpp"
#include "candor/journal/card_keys.hpp"
#include "candor/journal/opening.hpp"
#include "candor/journal/store.hpp"
#include "candor/seal/keys.hpp"

namespace candor::journal {

// Exactly one of the two.
struct guest {
    std::string receipt;  // a receipt code as typed ("7kq 4m2")
    std::string email;
};

inline constexpr std::size_t max_by_bytes = 256;

struct erasure_report {
    std::vector<erasure> erased;  // what this call erased
    // Notes: "not-found" (nothing of the guest's held: changed nothing), "already-erased"
    // (the receipt's card was erased before), "format-1" (a card of the receipt that cannot
    // be erased: its personal answers are under its signature).
    errors found;
};

// Fails, changing nothing, on a store without a key store ("erase-unsupported"), for a
// guest that names neither or both ("bad-guest"), a receipt
// that is no code ("bad-receipt"), text that is no e-mail address ("bad-email"), and `by`
// empty, over max_by_bytes or holding control characters ("bad-by"). Throws
// std::system_error when the key store cannot be written.
result<erasure_report> erase_guest(store& s, guest const& g, std::string_view by,
                                   seal::hq_secret const& hq, std::int64_t now);

struct subject_card {
    record header;        // the record, its key box joined
    std::string receipt;  // its receipt code
    opened_card opened;
};
struct subject_report {
    std::string email;  // normalized
    std::vector<subject_card> cards;
    errors found;  // cards that do not open with head office's key
};
// Every format 2 card whose e-mail answers hold the address, opened (an index lookup, then
// one pass over the store to read them). Fails with "bad-email" as erase_guest.
result<subject_report> subject_access(store const& s, std::string_view email,
                                      seal::hq_secret const& hq);
// As one JSON object: {"email", "cards": [{"device","seq","receipt","survey","version",
// "site","submitted","personal","personal_questions","response"}]}.
std::string to_json(subject_report const& r);

}  // namespace candor::journal
