#include "candor/routing/time.hpp"

#include <date/tz.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <stdexcept>

namespace candor::routing {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

bool read_int(std::string_view s, int& out) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

// "HH:MM" as minutes after midnight; 24:00 allowed as the end of a day.
std::optional<std::int32_t> clock_minutes(std::string_view s) {
    int h = 0, m = 0;
    if (s.size() != 5 || s[2] != ':' || !read_int(s.substr(0, 2), h) || !read_int(s.substr(3), m))
        return std::nullopt;
    if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
    return h * 60 + m;
}

int weekday(std::string_view s) {
    constexpr std::string_view names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    auto it = std::find(std::begin(names), std::end(names), s);
    return it == std::end(names) ? -1 : static_cast<int>(it - std::begin(names));
}

constexpr timestamp day_seconds = 86400;

timestamp floor_div(timestamp a, timestamp b) {
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

date::time_zone const* find_zone(std::string_view name) {
    try {
        return date::locate_zone(name);
    } catch (std::runtime_error const&) {
        return nullptr;
    }
}

date::time_zone const& zone_of(local_time const& place) {
    auto const* z = find_zone(place.zone);
    if (!z) throw std::invalid_argument("unknown time zone `" + place.zone + "`");
    return *z;
}

}  // namespace

bool known_time_zone(std::string_view name) {
    // Names only: "utc+01:00" is written as an offset, and paths are no names.
    if (name.empty() || name.front() == '/' || name.find("..") != std::string_view::npos)
        return false;
    return find_zone(name) != nullptr;
}

std::int32_t offset_at(timestamp t, local_time const& place) {
    if (place.zone.empty()) return place.utc_offset;
    auto const info = zone_of(place).get_info(date::sys_seconds{std::chrono::seconds{t}});
    return static_cast<std::int32_t>(info.offset.count() / 60);
}

timestamp from_local(timestamp local, local_time const& place) {
    if (place.zone.empty()) return local - place.utc_offset * 60;
    auto const info = zone_of(place).get_info(date::local_seconds{std::chrono::seconds{local}});
    if (info.result == date::local_info::nonexistent)
        return info.first.end.time_since_epoch().count();
    return local - info.first.offset.count();  // unique, or the first of two
}

timestamp end_of_local_day(timestamp t, local_time const& place) {
    timestamp const local = t + offset_at(t, place) * 60;
    return from_local((floor_div(local, day_seconds) + 1) * day_seconds, place);
}

std::string local_date(timestamp t, local_time const& place) {
    auto const days =
        date::sys_days{date::days{floor_div(t + offset_at(t, place) * 60, day_seconds)}};
    return date::format("%F", days);
}

timestamp system_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::optional<duration> parse_duration(std::string_view text) {
    text = trim(text);
    std::size_t i = 0;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
        ++i;
    double amount = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + i, amount);
    if (i == 0 || ec != std::errc() || p != text.data() + i || !(amount > 0) || amount > 10000)
        return std::nullopt;
    std::string_view unit = trim(text.substr(i));
    bool business = unit.rfind("business", 0) == 0;
    if (business) unit = trim(unit.substr(8));
    bool hours = unit == "h" || unit == "hour" || unit == "hours";
    bool days = unit == "d" || unit == "day" || unit == "days";
    if (business && (unit == "h" || unit == "d")) return std::nullopt;
    if (!hours && !days) return std::nullopt;
    duration_unit u = business
                          ? (days ? duration_unit::business_days : duration_unit::business_hours)
                          : (days ? duration_unit::days : duration_unit::hours);
    return duration{amount, u};
}

std::string to_string(duration const& d) {
    char buf[32];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d.amount);
    std::string out(buf, ec == std::errc() ? p : buf);
    bool one = d.amount == 1;
    switch (d.unit) {
        case duration_unit::hours:
            return out + "h";
        case duration_unit::days:
            return out + (one ? " day" : " days");
        case duration_unit::business_days:
            return out + (one ? " business day" : " business days");
        case duration_unit::business_hours:
            return out + (one ? " business hour" : " business hours");
    }
    return out;
}

std::optional<std::int32_t> parse_utc_offset(std::string_view text) {
    if (text.rfind("utc", 0) != 0 && text.rfind("UTC", 0) != 0) return std::nullopt;
    text.remove_prefix(3);
    if (text.empty()) return 0;
    if (text.size() != 6 || (text[0] != '+' && text[0] != '-')) return std::nullopt;
    auto m = clock_minutes(text.substr(1));
    if (!m || *m > 14 * 60) return std::nullopt;
    return text[0] == '-' ? -*m : *m;
}

std::optional<business_hours> parse_business_hours(std::string_view days, std::string_view times) {
    business_hours h;
    h.days = 0;
    if (auto dash = days.find('-'); dash != std::string_view::npos) {
        int a = weekday(days.substr(0, dash)), b = weekday(days.substr(dash + 1));
        if (a < 0 || b < 0) return std::nullopt;
        for (int d = a;; d = (d + 1) % 7) {
            h.days = static_cast<std::uint8_t>(h.days | (1u << d));
            if (d == b) break;
        }
    } else {
        while (!days.empty()) {
            auto comma = std::min(days.find(','), days.size());
            int d = weekday(days.substr(0, comma));
            if (d < 0) return std::nullopt;
            h.days = static_cast<std::uint8_t>(h.days | (1u << d));
            days.remove_prefix(std::min(comma + 1, days.size()));
        }
    }
    auto dash = times.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    auto open = clock_minutes(times.substr(0, dash)), close = clock_minutes(times.substr(dash + 1));
    if (!open || !close || *close <= *open || h.days == 0) return std::nullopt;
    h.open = *open;
    h.close = *close;
    return h;
}

timestamp deadline_after(timestamp from, duration const& d, local_time const& place) {
    auto const& h = place.hours;
    switch (d.unit) {
        case duration_unit::hours:
            return from + std::llround(d.amount * 3600);
        case duration_unit::days: {
            // Whole days on the wall clock, the fraction as elapsed time.
            double const whole = std::floor(d.amount);
            timestamp const local =
                from + offset_at(from, place) * 60 + static_cast<timestamp>(whole) * day_seconds;
            return std::max(from, from_local(local, place)) +
                   std::llround((d.amount - whole) * day_seconds);
        }
        default:
            break;
    }
    timestamp const span = (h.close - h.open) * 60;
    timestamp remaining =
        std::llround(d.amount * (d.unit == duration_unit::business_days ? span : 3600));
    timestamp t = from;                                                          // UTC
    timestamp day = floor_div(from + offset_at(from, place) * 60, day_seconds);  // local day number
    // Day by day through open hours, each day's opening and closing turned into instants
    // (so a day of 23 or 25 hours is right); bounded, as parse_duration caps the amount.
    for (;; ++day) {
        int wd = static_cast<int>(((day % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday
        if (h.days & (1u << wd)) {
            timestamp const open = from_local(day * day_seconds + h.open * 60, place);
            timestamp const close = from_local(day * day_seconds + h.close * 60, place);
            timestamp start = std::max(t, open);
            timestamp available = std::max<timestamp>(0, close - start);
            if (remaining <= available && start < close) return start + remaining;
            remaining -= available;
        }
        t = std::max(t, from_local((day + 1) * day_seconds, place));
    }
}

}  // namespace candor::routing
