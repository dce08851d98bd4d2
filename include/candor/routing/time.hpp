// Time for routing: durations in hours, days and business days, business hours at a
// place with a fixed UTC offset, and the clock the engine reads (injectable for tests).
// libstdc++ 12 has no std::chrono::zoned_time, so places declare a UTC offset in the org
// file instead of a TZ database name: daylight saving time is not followed.
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
    std::uint8_t days = 0x1F;  // bit 0 Monday ... bit 6 Sunday
    std::int32_t open = 9 * 60;    // minutes after local midnight
    std::int32_t close = 18 * 60;  // after open, at most 24 * 60
    friend bool operator==(business_hours const&, business_hours const&) = default;
};

// A place's clock: its offset from UTC and its business hours.
struct local_time {
    std::int32_t utc_offset = 0;  // minutes east of UTC
    business_hours hours;
    friend bool operator==(local_time const&, local_time const&) = default;
};

// "utc", "utc+01:00", "utc-05:30".
std::optional<std::int32_t> parse_utc_offset(std::string_view text);
// Days "mon-fri", "mon-sun", "sat" or "mon,wed,fri"; time "09:00-18:00".
std::optional<business_hours> parse_business_hours(std::string_view days, std::string_view times);

// When `d` has passed since `from` at a place: hours and days are elapsed time; business
// days count whole spans of business hours (one business day is one open..close span),
// business hours count time within them, so a clock stopped outside business hours.
timestamp deadline_after(timestamp from, duration const& d, local_time const& place);

}  // namespace candor::routing
