// What Candor's e-mails are made of, shared by the mail sinks (Maildir, SMTP) and the
// notifications: header encoding (RFC 2047), quoted-printable bodies, the one message format
// (plain text with an HTML alternative), and guest text cut into lines that cannot pass for
// lines of the message.
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "candor/routing/delivery.hpp"

namespace candor::routing::mail {

// Text on one line: every line break (shown_lines()) a space, no control character. Header
// values, and names in the body, go through it.
std::string one_line(std::string_view s);
// RFC 2047: text for an unstructured header (Subject) or a display name, non-ASCII as
// =?UTF-8?B?...?= words folded under 78 characters.
std::string header_text(std::string_view s);
// Quoted-printable (RFC 2045): any text, lines of at most 76 characters.
std::string quoted_printable(std::string_view text);
// A text cut into the lines a mail reader shows: at line feeds, carriage returns and the
// Unicode line breaks (U+0085, U+2028, U+2029), with every other control character removed.
std::vector<std::string> shown_lines(std::string_view s);
std::string rfc5322_date(timestamp t);
// Whether `address` is a plain addr-spec that can stand in To: as it is: one @, no spaces,
// control characters, quotes, brackets, commas or semicolons, at most 254 bytes.
bool plain_address(std::string_view address);

// Message-ID of a delivery (from its key), and the thread's root id (from the case).
std::string message_id(std::string_view key);

struct message_options {
    std::string from = "Candor <candor@localhost>";
    reply_addresses replies;
};
// The whole RFC 5322 message of `d`, lines ending in "\n": headers (From, To, Subject, Date,
// Message-ID, In-Reply-To and References of its thread, Auto-Submitted: auto-generated,
// Candor-Idempotency-Key; Reply-To: the signed address of the thread for a guest's mail
// (person "guest"); List-Unsubscribe and List-Unsubscribe-Post when set), then plain text, with the
// HTML alternative when `d.html` is set (multipart/alternative), both UTF-8 quoted-printable.
// Without `d.text` the body's JSON is shown as indented text, the guest's words quoted.
std::string compose(delivery const& d, message_options const& options, timestamp date);

}  // namespace candor::routing::mail
