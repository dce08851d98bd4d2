// Deliveries: one message to one person on one channel, and the sinks that take them.
// A delivery carries an idempotency key that every attempt repeats, so a receiver that
// sees a retry (or a re-send after a crash) can tell it has the message already.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

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
};

// Where deliveries go. send() returns once the receiver has taken the message (HTTP 2xx, a
// file renamed into new/, a callback that returned); an error is retried later.
class sink {
  public:
    virtual ~sink() = default;
    virtual result<void> send(delivery const& d) = 0;
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

// Webhooks: a JSON POST of the body with headers
//   Candor-Idempotency-Key: KEY
//   Candor-Timestamp: UNIX-SECONDS
//   Candor-Signature: v1=HEX(HMAC-SHA256(secret, TIMESTAMP "." BODY))
// so a receiver can check the message came from Candor and is fresh (verify_webhook).
struct webhook_options {
    std::string secret;        // shared with the receivers; at least 16 bytes
    int timeout_seconds = 10;  // connect, read and write
};
class webhook_sink final : public sink {
  public:
    webhook_sink(webhook_options options, clock_fn clock);
    ~webhook_sink() override;
    result<void> send(delivery const& d) override;

  private:
    struct impl;
    std::unique_ptr<impl> p_;
};

std::string webhook_signature(std::string_view secret, timestamp time, std::string_view body);
// True when `signature` is webhook_signature(secret, time, body) and `time` is within
// `tolerance` seconds of `now` (so an old message replayed later is refused).
bool verify_webhook(std::string_view secret, std::string_view time, std::string_view body,
                    std::string_view signature, timestamp now, timestamp tolerance = 300);

// Mail: RFC 5322 messages written into a Maildir (tmp/, then fsync, then a rename into
// new/) for a mail transfer agent to send. The file name and Message-ID derive from the
// idempotency key, so a re-sent delivery replaces nothing and is recognised.
struct maildir_options {
    std::string from = "Candor <candor@localhost>";
};
class maildir_sink final : public sink {
  public:
    maildir_sink(std::filesystem::path dir, maildir_options options, clock_fn clock);
    result<void> send(delivery const& d) override;

  private:
    std::filesystem::path dir_;
    maildir_options options_;
    clock_fn clock_;
};

}  // namespace candor::routing
