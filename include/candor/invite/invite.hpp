// Invitations to guests after their stay: one per stay of a PMS export, a single-use link
// (serve::invitations) e-mailed after check-out plus a delay, in the site's time zone and
// never in quiet hours, in the guest's language, with one reminder when unanswered. Every
// mail goes through routing's outbox (its retries, its idempotency keys, its sinks) and
// carries the one-click opt-out (serve::optouts); an opted-out address is never invited.
// Running it again on an overlapping export invites nobody twice: the stays invited are
// kept in an index, a durable log that holds stay ids, sites and times, never an address.
// Thread safety: an index is used by one thread at a time (its directory lock keeps a second
// opener out); parse_stays and send_time are pure functions.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "candor/error.hpp"
#include "candor/journal/segment.hpp"
#include "candor/report/report.hpp"
#include "candor/routing/org.hpp"
#include "candor/routing/outbox.hpp"
#include "candor/serve/invitations.hpp"
#include "candor/serve/optout.hpp"
#include "candor/survey/survey.hpp"

namespace candor::invite {

using routing::timestamp;

// One row of a PMS export (docs/invitations.md names the columns).
struct stay {
    std::string id;        // stay_id
    std::string email;     // email
    std::string name;      // name: how the mail greets the guest; may be empty
    std::string language;  // language: e.g. "fr"; empty: the survey's default
    std::string site;      // site: an org file's site id
    timestamp checkout = 0;
    bool local = false;  // checkout is wall-clock seconds at the site (no zone was written)
    std::uint32_t line = 0;
};

// The largest export read (a year of a large group's stays fits many times).
inline constexpr std::size_t max_stays_bytes = std::size_t{4} << 30;
// The longest cell: past it a row is refused.
inline constexpr std::size_t max_stay_cell_bytes = 1024;
// A CSV with a header row naming the columns stay_id, email, name, language, site, checkout
// (in any order; other columns are ignored). checkout is RFC 3339 ("2026-11-23T11:00:00Z",
// "...+01:00"), or "2026-11-23 11:00[:00]" / "2026-11-23T11:00" on the site's clock. A bad row
// is an error at FILE:LINE ("bad-stay") and the whole export is refused; a missing column
// "bad-stays".
result<std::vector<stay>> parse_stays(std::string_view csv, std::string_view file_name);
result<std::vector<stay>> read_stays(std::filesystem::path const& file);

// Hours no invitation goes out, on the site's clock: [start, end), across midnight when
// start > end. Minutes after local midnight.
struct quiet_hours {
    std::int32_t start = 21 * 60;
    std::int32_t end = 9 * 60;
    friend bool operator==(quiet_hours const&, quiet_hours const&) = default;
};
inline constexpr quiet_hours default_quiet_hours{21 * 60, 9 * 60};
// "21:00-09:00"; nullopt otherwise (equal ends are no quiet hours: refused too).
std::optional<quiet_hours> parse_quiet_hours(std::string_view text);

struct settings {
    routing::duration delay{2, routing::duration_unit::hours};  // after check-out
    quiet_hours quiet = default_quiet_hours;
    routing::duration remind_after{3, routing::duration_unit::days};  // 0 amount: no reminder
    // Stays that checked out longer ago than this are not invited (an old export run late).
    routing::duration max_age{14, routing::duration_unit::days};
    // Where guests reach head office's server (https://feedback.example.com): /s/ and /u/.
    std::string base_url;
    // The mailto: of List-Unsubscribe (e.g. unsubscribe@feedback.example.com); empty: none.
    std::string unsubscribe_address;
    std::string survey;  // the survey's id; empty: the survey given
};

// When an invitation for a stay that checked out at `after` (already plus the delay) goes
// out: `after`, or the end of the quiet hours it falls in, on the place's clock.
timestamp send_time(timestamp after, quiet_hours const& quiet, routing::local_time const& place);

struct run_report {
    std::uint64_t stays = 0;
    std::uint64_t invited = 0;    // queued this run
    std::uint64_t reminded = 0;   // reminders queued this run
    std::uint64_t already = 0;    // invited by an earlier run
    std::uint64_t opted_out = 0;  // never invited: the address opted out
    std::uint64_t too_old = 0;    // checked out before max_age
    std::uint64_t unknown_site = 0;
    std::uint64_t bad_address = 0;  // no plain e-mail address
    errors problems;                // the first few
};

class stay_index {
  public:
    // Opens (creating, 0700) the index in DIR (it is named stay_index: POSIX has an index()).
    static result<stay_index> open(std::filesystem::path const& dir,
                                   journal::segment_options options = {});
    stay_index(stay_index&&) noexcept;
    stay_index& operator=(stay_index&&) noexcept;
    ~stay_index();

    struct entry {
        std::string stay;
        std::string site;
        std::string channel = "email";
        timestamp at = 0;        // when the invitation goes out
        timestamp reminded = 0;  // when the reminder goes out; 0: none yet
        bool settled = false;    // answered, expired or opted out before a reminder: none
    };
    bool invited(std::string_view stay) const;
    std::vector<entry> const& entries() const noexcept;
    // Durably, with one write each: stays invited; reminders queued (`at`) or given up.
    void record(std::span<entry const> invited);
    void record_reminders(std::span<std::string const> stays, timestamp at);
    void record_settled(std::span<std::string const> stays);

  private:
    struct impl;
    explicit stay_index(std::unique_ptr<impl> p);
    std::unique_ptr<impl> p_;
};

// Invites every stay of `stays` not invited before, and queues the reminders now due of
// stays invited before whose link is still unused (whether or not they are in `stays`).
// Per batch of stays: the tokens are issued (issue_all), the mails queued in `out`, then the
// stays recorded in `done`, each durable before the next, so a run killed midway is finished
// by the next one and queues nobody twice (the outbox's keys). The outbox sends them on its
// next send_due() (`candor route run`), each no earlier than its time.
run_report invite(std::span<stay const> stays, survey::survey const& survey,
                  routing::organisation const& org, settings const& s, serve::invitations& book,
                  serve::optouts const& optouts, routing::outbox& out, stay_index& done,
                  timestamp now);

// The response rate: invitations sent (their time has come) and answered (their link was
// used), by site and channel.
std::vector<report::invitation_rate> response_rates(stay_index const& done,
                                                    serve::invitations const& book, timestamp now);

// The folders beside head office's server state: DIR/invited (the index).
inline constexpr std::string_view index_folder = "invited";

// The response rate of the invitations of `candor serve`'s state in `server` (the index in
// server/index_folder and the tokens); fails as stay_index::open and serve::open_invitations.
result<std::vector<report::invitation_rate>> response_rates(std::filesystem::path const& server,
                                                            timestamp now);

}  // namespace candor::invite
