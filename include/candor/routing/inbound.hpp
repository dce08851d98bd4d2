// Mail in: guests' replies to Candor's e-mails (acknowledgements, replies, invitations),
// delivered by the mail transfer agent into an inbound Maildir, attached to their cases.
// A reply is matched by the signed address it was sent to (Reply-To of Candor's guest mails,
// reply_addresses), else by the Message-IDs Candor wrote that its In-Reply-To/References
// name, and then only when it comes from the case's guest: never by its From line alone. It
// re-opens its case. A guest's mail that matches nothing opens a case at head office (its
// fallback role) and is acknowledged. Bounces (DSN multipart/report, mailer-daemon, a null
// return path) and automatic replies (RFC 3834 Auto-Submitted, X-Autoreply, Precedence
// bulk/junk/list/auto_reply) are recognised and never answered; a bounce opens no case.
// The parser reads untrusted input: every limit below is a bound it keeps, and text in
// another charset or invalid UTF-8 becomes UTF-8 (U+FFFD for what cannot be read).
// Thread safety: parse_inbound is a pure function; pull_mail uses the case log and outbox
// it is given (one thread at a time for them).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "candor/error.hpp"
#include "candor/routing/cases.hpp"
#include "candor/routing/delivery.hpp"
#include "candor/routing/outbox.hpp"
#include "candor/routing/router.hpp"

namespace candor::routing {

inline constexpr std::size_t max_inbound_bytes = 10u << 20;     // a larger message is set aside
inline constexpr std::size_t max_header_bytes = 256 * 1024;     // all the header lines of a part
inline constexpr std::size_t max_header_fields = 1000;          // header fields of a part
inline constexpr std::size_t max_mime_depth = 8;                // multiparts within multiparts
inline constexpr std::size_t max_mime_parts = 200;              // parts of a message, all depths
inline constexpr std::size_t max_guest_text_bytes = 32 * 1024;  // kept of what the guest wrote
inline constexpr std::size_t max_references = 100;              // Message-IDs read of References

struct inbound_message {
    std::string message_id;               // without <>; empty when it had none
    std::string from;                     // the address of From:
    std::vector<std::string> to;          // To, Cc, Delivered-To, X-Original-To addresses
    std::string subject;                  // decoded (RFC 2047), one line
    std::vector<std::string> references;  // In-Reply-To then References, without <>
    std::string text;                     // the plain text the guest wrote, UTF-8
    bool bounce = false;
    bool automatic = false;  // an auto-reply or bulk mail
};

// The message in `raw` (LF or CRLF lines). Fails "bad-mail" (too large, no header, deeper
// or more parts than the limits) saying why.
result<inbound_message> parse_inbound(std::string_view raw);

struct pull_report {
    std::uint64_t read = 0;
    std::uint64_t attached = 0;      // to their cases, which re-opened
    std::uint64_t opened = 0;        // new cases at head office, acknowledged
    std::uint64_t bounces = 0;       // never answered, no case
    std::uint64_t automatic = 0;     // auto-replies: never answered, no case
    std::uint64_t unsubscribed = 0;  // opt-outs by mail (pull_options::unsubscribe)
    std::uint64_t repeated = 0;      // seen before (by Message-ID): moved, nothing done
    std::uint64_t refused = 0;       // unreadable: moved aside to cur/ with the T flag
    errors problems;                 // the first few
};

struct pull_options {
    reply_addresses replies;  // the signed reply addresses of the outgoing mail
    // Subject "unsubscribe TOKEN" (the List-Unsubscribe mailto:): true when TOKEN was an
    // opt-out of head office's server, now recorded. Empty: such mail is a guest's mail.
    std::function<bool(std::string_view token)> unsubscribe;
};

// Reads every message in MAILDIR/new, acts on it, then moves it to MAILDIR/cur (Maildir's
// ":2,S", seen). A case is written before its message moves, and a message seen before (its
// Message-ID, or the hash of its bytes when it has none, is in the case log) is only moved:
// a pull killed midway is finished by the next one and loses nothing. Acknowledgements are
// queued in `out`; the outbox sends them on its next send_due().
pull_report pull_mail(std::filesystem::path const& maildir, case_log& cases, outbox& out,
                      router const& router, pull_options const& options, timestamp now);

}  // namespace candor::routing
