// What a person is told about a response: the minimum they need to act on it. Answers to
// personal questions (contact details, and text marked `personal`) go only to roles that
// contact guests; the others learn that such answers exist, not what they are.
// Thread safety: value types; deliveries_for is a pure function (the router is only read).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "candor/error.hpp"
#include "candor/response/response.hpp"
#include "candor/routing/cases.hpp"
#include "candor/routing/delivery.hpp"
#include "candor/routing/router.hpp"

namespace candor::routing {

enum class notice_kind : std::uint8_t { opened, escalated, digest };

struct notice {
    notice_kind kind = notice_kind::opened;
    std::string response_key;  // DEVICE:SEQ
    std::string case_id;       // empty for digest items
    recipient to;              // who, hearing as which role, from which rule
    timestamp deadline = 0;    // to acknowledge by; 0: none (a watcher, a digest)
    std::uint32_t owner = 0;   // the case's owner (index into organisation::people)
    // A one-click link that acknowledges the case as this person (made by head office's
    // server, pass.hpp's ack_link_fn), for a holder's e-mail; empty: the mail names the
    // `candor cases ack` command instead.
    std::string ack_link{};
};

// A card as a person reads it, in their language (else the survey's): each answer under its
// question's text, options by their labels, yes/no in words; answers to personal questions
// withheld (their question texts listed) unless `contacts_guests`; the device's fields but
// the site. What the e-mails and head office's managers' desk show.
struct shown_card {
    std::string language;                                      // the one it is shown in
    std::vector<std::pair<std::string, std::string>> answers;  // question text, answer
    std::vector<std::string> withheld;                         // question texts
    std::vector<std::pair<std::string, std::string>> fields;   // name, value
};
shown_card show_card(survey::survey const& survey, response::response const& r,
                     std::string_view reader_language, bool contacts_guests);

// The deliveries of `n`, one per channel of the person. The bypass guarantee is checked
// here again: a person who may not hear of `r` gets nothing, and an error says why.
// Digest items are held until the end of the day of `now` at head office.
result<std::vector<delivery>> deliveries_for(router const& router, response::response const& r,
                                             notice const& n, timestamp now);

// The guest's e-mails, in the card's language (English or French; English otherwise).
// The acknowledgement of a card that gave an e-mail address: its receipt code, and the status
// link when the caller has one (`status_url`, made by head office's server; empty: none).
// nullopt when the card gave no plain address. Key RESPONSE/guest/acknowledged/email.
std::optional<delivery> acknowledgement_for(router const& router, response::response const& r,
                                            std::string const& response_key,
                                            std::string const& receipt,
                                            std::string const& status_url);
// A manager's reply to the guest of case `c`: key CASE/guest/reply/email, threaded with the
// case. The reply is the manager's text, quoted as it is written.
delivery reply_for(routed_case const& c, std::string const& reply);
// The acknowledgement of a guest's e-mail that opened case `c` (inbound.hpp): key
// CASE/guest/acknowledged/email, threaded with the case.
delivery mail_acknowledgement(routed_case const& c);
// The guest's address on a card: its first answer to an e-mail question, when that is a
// plain address (mail::plain_address); empty otherwise.
std::string guest_address(survey::survey const& survey, response::response const& r);

}  // namespace candor::routing
