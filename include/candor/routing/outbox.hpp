// The durable outbox: every delivery is written (and synced) before it is attempted, then
// retried with exponential backoff and jitter until its sink takes it. A sink that is
// down for an hour loses nothing; a crash at any point re-sends at most what was in
// flight, under the same idempotency key. Digest items wait until their day is over and
// go out as one message per digest.
// Storage: segments of CRC-checked frames like candor::journal's, one JSON event each;
// a checkpoint starts them again with what is still needed (checkpoint()).
// Thread safety: an outbox is used by one thread at a time (sends go out on that thread, and
// for a sink that takes several at once, sink::parallel, on as many threads within send_due); its
// directory lock keeps a second opener, in this process or another, out. retry_at() may be
// called from any thread (each draws its jitter from a generator of its own).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "candor/error.hpp"
#include "candor/journal/segment.hpp"
#include "candor/routing/delivery.hpp"

namespace candor::routing {

struct retry_policy {
    timestamp first = 30;   // seconds before the first retry
    timestamp most = 3600;  // the longest wait between attempts
};

// When to try again after `attempts` failures: first * 2^(attempts-1), at most `most`,
// with a jitter drawn from [1/2, 1] of that so retries from many deliveries spread out.
timestamp retry_at(timestamp now, std::uint32_t attempts, retry_policy const& policy);

// A digest goes out in parts of at most this many items, so one message stays readable and
// under a receiver's body limit (the sample receiver takes 1 MiB) on a busy day.
inline constexpr std::size_t max_digest_items = 200;

// How long a delivery sent, or given up, stays in the outbox after a checkpoint: its key
// keeps a repeat from being queued again (a pass or a command run again after a crash), and
// invitations look their mails up for reminders. Older ones are dropped by checkpoint().
inline constexpr timestamp sent_kept_for = 30 * 24 * 3600;

struct outbox_entry {
    delivery message;
    timestamp queued = 0;
    std::uint32_t attempts = 0;  // failed ones
    timestamp next = 0;          // next attempt no earlier than this
    std::string last_error;
    timestamp sent = 0;  // 0 until a sink took it
    bool gone = false;   // given up: the receiver answered that it wants no more (HTTP 410)
};

struct send_report {
    std::uint64_t sent = 0;
    std::uint64_t failed = 0;   // attempts that failed this time; retried later
    std::uint64_t gone = 0;     // given up this time: the receiver is gone (HTTP 410)
    std::uint64_t waiting = 0;  // not due yet, or no sink for their channel
    errors failures;            // the first few; each message starts with the delivery's key
};

class outbox {
  public:
    // Opens (creating) the outbox in DIR; a torn last frame from a crash is cut off.
    static result<outbox> open(std::filesystem::path const& dir, retry_policy policy = {},
                               journal::segment_options options = {});
    outbox(outbox&&) noexcept;
    outbox& operator=(outbox&&) noexcept;
    ~outbox();

    // Writes the deliveries not queued before (by key; one sent more than sent_kept_for
    // before the last checkpoint is forgotten) with one fdatasync; returns how many were
    // new. Queuing again after a crash is therefore harmless.
    std::size_t queue(std::span<delivery const> deliveries, timestamp now);
    bool queued(std::string_view key) const;
    // The entry queued under `key`, or nullptr; valid until the next queue() or send_due().
    outbox_entry const* find(std::string_view key) const;

    // Attempts every unsent delivery due at `now`, and every digest whose day is over as
    // one message, recording each outcome durably. A failure is retried no earlier than
    // retry_at() and than the receiver asked (sink::retry_after); a receiver that
    // is gone ("gone") gets the delivery no more, and the report counts it.
    send_report send_due(sinks const& to, timestamp now);

    // Every entry held: all queued since the last checkpoint, and those it kept.
    std::vector<outbox_entry> const& entries() const noexcept;
    std::size_t unsent() const noexcept;

    // Whether a checkpoint at `now` is worth it: the outbox has grown since its last one, or
    // most of what it holds was sent more than sent_kept_for before `now`.
    bool checkpoint_due(timestamp now) const noexcept;
    // Writes a checkpoint holding every entry unsent and every one sent (or given up) less
    // than sent_kept_for before `now`, durably, as the start of a new generation of the
    // outbox, then removes the older ones: opening reads only it and what followed. Throws
    // std::system_error when it cannot be written; the outbox stays as it was then.
    void checkpoint(timestamp now);

  private:
    struct impl;
    explicit outbox(std::unique_ptr<impl> p);
    std::unique_ptr<impl> p_;
};

}  // namespace candor::routing
