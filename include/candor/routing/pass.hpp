// One head-office pass, as `candor route run` makes it from cron or a timer: route every
// response in the store not routed before, escalate the cases that are due, send what the
// outbox holds. Each step is durable before the next starts (deliveries are queued before
// their cases are recorded), so a pass killed at any point is finished by the next one.
// A pass costs what is new: it reads the store's records after the case log's routed
// watermark only (moved with each chunk's cases, in the same write), finds the cards of
// the cases it escalates by their key (store::find), and checkpoints the case log and the
// outbox when they have grown (last, once everything else is durable), so that opening them
// does not replay their whole history.
// Thread safety: route_pass writes the case log and the outbox it is given (one thread at a
// time for them) and only reads the store, the key and the router.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <filesystem>

#include "candor/journal/store.hpp"
#include "candor/progress.hpp"
#include "candor/routing/cases.hpp"
#include "candor/routing/outbox.hpp"
#include "candor/routing/router.hpp"
#include "candor/seal/keys.hpp"

namespace candor::routing {

struct pass_report {
    std::uint64_t routed = 0;   // responses routed by this pass
    std::uint64_t already = 0;  // routed by an earlier pass (those up to the watermark, not read)
    std::uint64_t other_survey = 0;  // in the store, answering another survey
    std::uint64_t unreadable = 0;    // did not open with the key, or held no response
    std::uint64_t fallback = 0;      // no rule matched: sent to head office's fallback role
    std::uint64_t unknown_site = 0;
    std::uint64_t bypassed = 0;  // people left out by the bypass guarantee
    std::uint64_t cases_opened = 0;
    std::uint64_t digest_items = 0;
    std::uint64_t escalated = 0;
    std::uint64_t at_top = 0;        // due, with nobody above: recorded, chain ended
    std::uint64_t queued = 0;        // deliveries written to the outbox
    std::uint64_t acknowledged = 0;  // guests sent an acknowledgement of their card
    send_report sent;
    errors problems;  // the first few
};

// The guests' acknowledgements: a card that gave an e-mail address is acknowledged once, when
// it is routed, with its receipt code. `status_url`, when set, gives the link to the card's
// status page from its response key and receipt code: head office's server makes it.
struct guest_options {
    bool acknowledge = true;
    std::function<std::string(std::string const& response_key, std::string const& receipt)>
        status_url;
};

// The one-click acknowledge link of a case for one of its holders, made by head office's
// server (serve::ack_link); empty function: the holders' e-mails carry none.
using ack_link_fn =
    std::function<std::string(std::string const& case_id, std::string const& person)>;

// `progress` hears of the records read ("route"), against those after the watermark.
pass_report route_pass(journal::store const& store, seal::hq_secret const& hq, router const& router,
                       case_log& cases, outbox& out, sinks const& to, timestamp now,
                       progress_fn const& progress = {}, guest_options const& guests = {},
                       ack_link_fn const& ack_link = {});

// A holder passes case `id` up the escalation chain now (case_log::passing_up): the people
// above are told, as at an escalation (their deliveries queued in `out` first, then the
// escalation recorded); `r` is the card's response, for their e-mails. Returns the
// escalation; fails as passing_up.
result<escalation> pass_up(case_log& cases, outbox& out, router const& router,
                           response::response const& r, std::string const& id,
                           std::string const& who, timestamp now, ack_link_fn const& ack_link = {});

// Head office's store directory and what routing keeps in it, beside the records: the case
// log, the outbox and the default Maildir. Created 0700 by those who write them.
struct store_layout {
    std::filesystem::path store;
    std::filesystem::path cases;     // STORE/cases
    std::filesystem::path outbox;    // STORE/outbox
    std::filesystem::path mail;      // STORE/mail
    std::filesystem::path mail_key;  // STORE/mail.key: signs guests' reply addresses
};
store_layout layout_of(std::filesystem::path const& store);

}  // namespace candor::routing
