// Time for routing: durations in hours, days and business days, business hours at a
// place, and the clock the engine reads (injectable for tests). A place keeps either a fixed
// UTC offset or an IANA time zone ("Europe/Paris"), read from the system's tzdata through
// Howard Hinnant's date/tz (libstdc++ 12 has no std::chrono::zoned_time): summer time is
// followed, so deadlines, business hours and the end of a day are right across its changes.
// Thread safety: value types and pure functions; the time zone database is loaded once,
// safely from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace candor::routing {

// Unix seconds, UTC.
using timestamp = std::int64_t;
using clock_fn = std::function<timestamp()>;
// The system clock.
timestamp system_now();

enum class duration_unit : std::uint8_t { hours, days, business_days, business_hours };

struct duration {
    double amount = 0;
    duration_unit unit = duration_unit::hours;
    friend bool operator==(duration const&, duration const&) = default;
};

// "4h", "4 hours", "2d", "3 days", "1 business day", "6 business hours"; nullopt otherwise.
std::optional<duration> parse_duration(std::string_view text);
std::string to_string(duration const& d);

// Opening hours on some days of the week, in local time.
struct business_hours {
    std::uint8_t days = 0x1F;      // bit 0 Monday ... bit 6 Sunday
    std::int32_t open = 9 * 60;    // minutes after local midnight
    std::int32_t close = 18 * 60;  // after open, at most 24 * 60
    friend bool operator==(business_hours const&, business_hours const&) = default;
};

// A place's clock: its time zone and its business hours.
struct local_time {
    std::int32_t utc_offset = 0;  // minutes east of UTC, when `zone` is empty
    business_hours hours;
    std::string zone{};  // an IANA time zone (known_time_zone), or empty
    friend bool operator==(local_time const&, local_time const&) = default;
};

// "utc", "utc+01:00", "utc-05:30".
std::optional<std::int32_t> parse_utc_offset(std::string_view text);
// Whether `name` is a time zone of the system's tzdata ("Europe/Paris", "America/New_York").
bool known_time_zone(std::string_view name);

// Minutes east of UTC at the place at instant `t` (summer time included).
// A `zone` that is not known_time_zone() is a broken invariant: std::invalid_argument.
std::int32_t offset_at(timestamp t, local_time const& place);
// The instant at which the place's clocks read `local` (seconds since 1970-01-01 00:00 on
// its wall clock). A time skipped when clocks go forward is the instant they jump at; a time
// that happens twice when they go back is its first occurrence.
timestamp from_local(timestamp local, local_time const& place);
// The end of the place's day that holds `t` (its next local midnight), and that day's date
// as YYYY-MM-DD.
timestamp end_of_local_day(timestamp t, local_time const& place);
std::string local_date(timestamp t, local_time const& place);
// Days "mon-fri", "mon-sun", "sat" or "mon,wed,fri"; time "09:00-18:00".
std::optional<business_hours> parse_business_hours(std::string_view days, std::string_view times);

// When `d` has passed since `from` at a place: hours are elapsed time; days are calendar
// days of the place (the same wall-clock time N days on, so 23 or 25 hours across a change
// of summer time); business days count whole spans of business hours (one business day is
// one open..close span), business hours count time within them, so a clock stopped outside
// business hours.
timestamp deadline_after(timestamp from, duration const& d, local_time const& place);

}  // namespace candor::routing
