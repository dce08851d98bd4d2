// The managers' case desk of head office's server (`candor serve --store ...`): a person of
// the org file signs in by a link mailed to their address (no passwords), then holds a
// session and works the cases delivered to them, from a phone.
//
//   GET  /m/                       their cases (?site=&state=), open first, overdue marked;
//                                  the sign-in form without a session
//   POST /m/sign-in                address=: a sign-in link is mailed when the address is a
//                                  person's (the same answer either way)
//   GET  /m/in/TOKEN               a button that signs in (a mail scanner following the
//                                  link signs nobody in); 410 for a used or expired link
//   POST /m/in/TOKEN               signs in: the session cookie, then /m/
//   POST /m/out                    signs out
//   GET  /m/c/CASE                 the card in the person's language, its history, actions
//   POST /m/c/CASE/ack|resolve|up|reply   csrf=, note=, reply=: acknowledge, resolve with a
//                                  note, pass up the escalation chain, answer the guest
//   GET  /m/a/CASE?p=&e=&s=        a one-click acknowledge link from a notification: a
//                                  confirm button; its POST acknowledges
//   GET  /m/api/cases, /m/api/c/CASE   the same as JSON
// A person sees a case they own, watch or hold (escalated to them), never one at a site
// where their role is front-line nor one naming them on duty (routing's bypass guarantee):
// 404 for those, as for a case that does not exist. Contact details are shown only to people
// holding a role that contacts guests. Every view is recorded in STATE/desk/views (who saw
// which card, when), an append-only event log. Sign-in links, sessions and CSRF tokens are
// 128 random bits; only their hashes are kept (in memory: a restart signs everyone out and
// voids the links not yet used); every token is compared in constant time. Every change is
// a POST carrying the session's CSRF token, from the server's own origin.
// Thread safety: desk_settings is a value; the functions are pure, but case_progress's
// function, which may be called from many threads (it holds a mutex).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "candor/error.hpp"
#include "candor/receipt/status.hpp"
#include "candor/routing/delivery.hpp"
#include "candor/routing/org.hpp"
#include "candor/routing/rules.hpp"
#include "candor/seal/keys.hpp"
#include "candor/survey/survey.hpp"

namespace candor::serve {

// In the server's state directory: the desk's folder (0700) and the key that signs the
// one-click acknowledge links (0600; `candor route run --desk-state` reads it too).
inline constexpr std::string_view desk_folder = "desk";
inline constexpr std::string_view desk_key_file = "desk.key";

// A sign-in link is good once, for this long.
inline constexpr std::int64_t sign_in_lifetime = 15 * 60;
// A session ends after this long without a request.
inline constexpr std::int64_t session_idle_timeout = 30 * 60;
// How long a one-click acknowledge link in a notification is good for.
inline constexpr std::int64_t ack_link_lifetime = 7 * 86400;
// Sign-in requests within rate_window: per client address, and per e-mail address asked.
inline constexpr std::size_t sign_ins_per_client = 10;
inline constexpr std::size_t sign_ins_per_address = 3;
// Sign-in links not yet used, and sessions, held at once (past it the oldest go).
inline constexpr std::size_t max_sign_ins = 10000;
inline constexpr std::size_t max_sessions = 10000;
// A form's body, and the note or reply it carries.
inline constexpr std::size_t max_form_bytes = 16 * 1024;
inline constexpr std::size_t max_note_bytes = 4000;
// The session cookie.
inline constexpr std::string_view session_cookie = "candor_desk";

struct desk_settings {
    routing::organisation org;  // the people who may sign in, by their e-mail address
    survey::survey survey;      // the survey routing's rules read (question texts)
    routing::rule_set rules;
    // Head office's store: its records (the cards shown), STORE/cases and STORE/outbox,
    // written by the desk's actions between `candor route run`s (each takes the lock).
    std::filesystem::path store;
    seal::hq_secret hq;  // opens the cards shown
    // Where sign-in links are mailed (a Maildir or an SMTP relay, as routing's mails).
    std::shared_ptr<routing::sink> mail;
    // Where managers reach the server (https://feedback.example.com): the links in mails.
    // https: the session cookie is Secure.
    std::string base;
};

// What management has done with each card, from routing's case log in CASES (read beside
// `candor route run`, never locked): for settings::progress. Fails as case_reader::open.
result<std::function<std::optional<receipt::card_progress>(receipt::card_ref const&)>>
case_progress(std::filesystem::path const& cases);

// The key of STATE/desk.key, made when missing (receipt::load_status_key).
result<receipt::status_key> load_desk_key(std::filesystem::path const& state);
// A one-click acknowledge link: BASE/m/a/CASE?p=PERSON&e=EXPIRES&s=CHECK, good until
// `expires` (Unix seconds) and once (an acknowledged case is not acknowledged again).
std::string ack_link(std::string_view base, receipt::status_key const& key,
                     std::string_view case_id, std::string_view person, std::int64_t expires);

}  // namespace candor::serve
