// Deliveries: one message to one person on one channel, and the sinks that take them.
// A delivery carries an idempotency key that every attempt repeats, so a receiver that
// sees a retry (or a re-send after a crash) can tell it has the message already.
// Thread safety: deliveries and secrets are values, the free functions pure. A sink is used
// by one thread at a time (smtp_sink too: one connection), except webhook_sink: send() and
// retry_after() take its mutex, so one may be shared (its clock is then called from those threads).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "candor/error.hpp"
#include "candor/routing/org.hpp"
#include "candor/routing/time.hpp"

namespace candor::routing {

struct delivery {
    std::string key;     // idempotency key, e.g. "kiosk-1:42/marie/opened/email"
    std::string person;  // person id
    channel_kind channel = channel_kind::email;
    std::string address;       // e-mail address, URL, or callback name
    std::string subject;       // one line, for mail and for humans
    std::string body;          // a JSON object: what the recipient needs, nothing more
    std::string batch;         // digest items: the digest they go out in (its key), e.g.
                               // "digest/care/2026-11-06/email"
    timestamp not_before = 0;  // digests: the end of the day they collect
    // E-mail only: what a person reads, in their language (`body` stays the machine-readable
    // JSON, as webhooks carry it). Empty: the mail sink shows `body` as text.
    std::string text;    // plain text, UTF-8
    std::string html;    // the same as HTML, sent as the alternative
    std::string thread;  // the case: every message about it threads (In-Reply-To, References)
    // Invitations and reminders: the one-click opt-out (RFC 8058), an https link to head
    // office's server, and a mailto: address. Empty: no List-Unsubscribe.
    std::string unsubscribe_url;
    std::string unsubscribe_mailto;
};

// Replies to Candor's e-mails to guests come back to a signed address, Reply-To:
// LOCAL+THREAD.MAC@DOMAIN, where THREAD is the delivery's thread (its case) written in
// lower-case letters, digits, '-' and '=XX', and MAC the first 10 bytes of
// HMAC-SHA256(key, thread) in base32: a mail pull can tell which case a reply is about
// without trusting its From line, and nobody can make an address for a case of their choice.
struct reply_addresses {
    std::string domain;  // empty: guest mails carry no Reply-To
    std::string local = "reply";
    std::string key;  // secret bytes (mail_key())
};
inline constexpr std::size_t mail_key_bytes = 32;
// The key in `file`, made (0600, random) when it does not exist yet; refused when group or
// others may read it ("key-permissions"), "io" when it cannot be read or written.
result<std::string> mail_key(std::filesystem::path const& file);
// The addresses of `domain` signed with the key in `key_file` (mail_key(), made when missing);
// none (an empty domain) when `domain` is empty.
result<reply_addresses> load_reply_addresses(std::string const& domain,
                                             std::filesystem::path const& key_file);
// The signed address of `thread`; empty when `to.domain` is.
std::string signed_reply_address(std::string_view thread, reply_addresses const& to);
// The thread a signed address names, when its MAC is right (compared in constant time);
// letter case is ignored (mail systems may change it). nullopt for anything else.
std::optional<std::string> thread_of_reply_address(std::string_view address,
                                                   reply_addresses const& to);

// Where deliveries go. send() returns once the receiver has taken the message (HTTP 2xx, a
// file renamed into new/, a callback that returned); an error is retried later.
class sink {
  public:
    virtual ~sink() = default;
    virtual result<void> send(delivery const& d) = 0;
    // After a failed send: how many seconds the receiver asked to be left alone
    // (Retry-After), or 0 when it did not say.
    virtual timestamp retry_after(delivery const& d) const;
    // How many send() calls may run at once, from as many threads (the outbox sends that
    // many together); 1, the default, means one at a time.
    virtual std::size_t parallel() const noexcept { return 1; }
};

// The sinks by channel; a channel with none keeps its deliveries waiting in the outbox.
struct sinks {
    sink* email = nullptr;
    sink* webhook = nullptr;
    sink* callback = nullptr;
    sink* for_channel(channel_kind k) const noexcept;
};

// For programs that embed the library: `callback "name"` channels call the function
// registered under that name.
class callback_sink final : public sink {
  public:
    using function = std::function<result<void>(delivery const&)>;
    void add(std::string name, function f);
    result<void> send(delivery const& d) override;

  private:
    std::map<std::string, function, std::less<>> functions_;
};

// Webhooks, as Standard Webhooks (www.standardwebhooks.com) has them: a JSON POST of the
// body with the headers
//   webhook-id: the delivery's idempotency key (webhook_id()), the same on every attempt
//   webhook-timestamp: the attempt's time, Unix seconds
//   webhook-signature: v1,BASE64(HMAC-SHA256(key, ID "." TIMESTAMP "." BODY)), one for each
//                      configured secret, separated by spaces (a secret being rotated)
// The body names its recipient ("to"), so a delivery replayed to another one's URL is told
// apart. For one release the headers of before go too: Candor-Idempotency-Key,
// Candor-Timestamp and Candor-Signature (legacy_webhook_signature()).

// A secret as a secrets file holds it: `whsec_BASE64`, whose key is the decoded bytes, or
// any other text, whose key is the text itself (Candor's secret files of before).
struct webhook_secret {
    std::string text;  // as written: what signs Candor-Signature
    std::string key;   // the HMAC key of webhook-signature
};
inline constexpr std::size_t min_webhook_secret_bytes = 16;
// One secret a line: the current one first, then older ones still signing while receivers
// change over. Blank lines are skipped. Errors at FILE:LINE: "bad-secret" (shorter than 16
// bytes, or whsec_ with bad base64), "no-secret".
result<std::vector<webhook_secret>> parse_webhook_secrets(std::string_view text,
                                                          std::string_view file_name);
// The same from a file, refused when group or others may read it ("key-permissions").
result<std::vector<webhook_secret>> read_webhook_secrets(std::filesystem::path const& file);

// Keep-alive connections kept open to one receiver, and so webhooks sent to it at once.
inline constexpr std::size_t webhook_connections = 4;

struct webhook_options {
    std::vector<webhook_secret> secrets;  // at least one; the first signs Candor-Signature
    int timeout_seconds = 10;             // connect, read and write
    std::size_t connections = webhook_connections;  // per receiver (scheme, host and port)
};
// Receivers' answers: any 2xx is taken; 410 Gone fails with "gone" (the outbox gives the
// delivery up and reports it); 429 and 503 with Retry-After (seconds) keep the sink off that
// receiver for that long ("throttled", and retry_after()); anything else is retried.
// Thread safety: send() may be called from options.connections threads at once.
class webhook_sink final : public sink {
  public:
    webhook_sink(webhook_options options, clock_fn clock);
    ~webhook_sink() override;
    result<void> send(delivery const& d) override;
    timestamp retry_after(delivery const& d) const override;
    std::size_t parallel() const noexcept override;

  private:
    struct impl;
    std::unique_ptr<impl> p_;
};

// The webhook-id of a delivery key: the key with `~`, `%` and `.` written ~7E, ~25 and ~2E (the
// signed text is ID.TIMESTAMP.BODY, so the id must hold no dot).
std::string webhook_id(std::string_view key);
// "v1,BASE64" of HMAC-SHA256(key, ID "." TIMESTAMP "." BODY).
std::string webhook_signature(std::string_view key, std::string_view id, timestamp time,
                              std::string_view body);
// True when one of the space-separated `signatures` is webhook_signature() of id, time and
// body under one of `secrets` (compared in constant time), `id` holds no dot, and `time` is
// within `tolerance` seconds of `now` (so a delivery captured and replayed later is refused;
// within that window the receiver's memory of ids must catch it).
bool verify_webhook(std::span<webhook_secret const> secrets, std::string_view id,
                    std::string_view time, std::string_view body, std::string_view signatures,
                    timestamp now, timestamp tolerance = 300);
// Candor-Signature, sent for one more release: v1=HEX(HMAC-SHA256(secret text, TIMESTAMP "."
// BODY)). It covers neither the id nor the recipient: receivers must check webhook-signature.
std::string legacy_webhook_signature(std::string_view secret, timestamp time,
                                     std::string_view body);

// Mail: RFC 5322 messages written into a Maildir (tmp/, then fsync, then a rename into
// new/) for a mail transfer agent to send. The file name and Message-ID derive from the
// idempotency key, so a re-sent delivery replaces nothing and is recognised.
struct maildir_options {
    std::string from = "Candor <candor@localhost>";
};
class maildir_sink final : public sink {
  public:
    // `replies`: the Reply-To of guest mails (none by default).
    maildir_sink(std::filesystem::path dir, maildir_options options, clock_fn clock,
                 reply_addresses replies = {});
    result<void> send(delivery const& d) override;

  private:
    std::filesystem::path dir_;
    maildir_options options_;
    clock_fn clock_;
    reply_addresses replies_;
};

// Mail submitted to an SMTP relay (RFC 6409) with libcurl, the same message the Maildir gets.
// SMTP knows no idempotency key: a message whose acceptance was lost (a crash, a reply cut
// off) is sent again with the same Message-ID, by which mail readers recognise it. A
// recipient the relay refuses for good (5xx) fails with "gone", so the outbox gives it up
// and records why; anything else (4xx, the relay down) is retried.
enum class smtp_tls : std::uint8_t {
    required,      // STARTTLS, or fail (smtps:// URLs: TLS from the start)
    when_offered,  // STARTTLS if the relay offers it
    never,         // plain text: a relay on the same host only
};
std::string_view to_string(smtp_tls t) noexcept;
// "required", "when-offered" or "never"; else "bad-option".
result<smtp_tls> parse_smtp_tls(std::string_view text);
struct smtp_options {
    std::string url;  // smtp://HOST:PORT (587 submission) or smtps://HOST:PORT
    std::string from = "Candor <candor@localhost>";  // From:; the envelope sender is its address
    std::string user;                                // empty: no authentication
    std::string password;  // from read_smtp_password(), never from a command line
    smtp_tls tls = smtp_tls::required;
    std::string ca_file;  // CA certificates to trust beyond the system's (a private relay)
    int timeout_seconds = 30;
};
// The password from `file` (refused when group or others may read it, "key-permissions"),
// else from the environment variable `variable` when set, else "no-password". One line; the
// trailing line end is dropped.
result<std::string> read_smtp_password(std::filesystem::path const& file,
                                       char const* variable = "CANDOR_SMTP_PASSWORD");
class smtp_sink final : public sink {
  public:
    smtp_sink(smtp_options options, clock_fn clock, reply_addresses replies = {});
    ~smtp_sink() override;
    result<void> send(delivery const& d) override;

  private:
    struct impl;
    std::unique_ptr<impl> p_;
};

}  // namespace candor::routing
