// Definitions of time.hpp: compiled once into candor::core, or inline with
// CANDOR_HEADER_ONLY.
#pragma once

#include "candor/time.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace candor {

CANDOR_INLINE std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
    y -= m <= 2;
    std::int64_t const era = (y >= 0 ? y : y - 399) / 400;
    auto const yoe = static_cast<unsigned>(y - era * 400);
    unsigned const doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

CANDOR_INLINE void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m,
                                   unsigned& d) noexcept {
    z += 719468;
    std::int64_t const era = (z >= 0 ? z : z - 146096) / 146097;
    auto const doe = static_cast<unsigned>(z - era * 146097);
    unsigned const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned const doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned const mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
}

namespace detail {
CANDOR_INLINE bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    out = v;
    return true;
}
CANDOR_INLINE bool leap(std::int64_t y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}
CANDOR_INLINE unsigned days_in_month(std::int64_t y, unsigned m) {
    static constexpr unsigned table[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && detail::leap(y) ? 29 : table[m - 1];
}
}  // namespace detail

CANDOR_INLINE std::optional<std::int64_t> parse_date(std::string_view s) noexcept {
    int y = 0, m = 0, d = 0;
    if (s.size() < 10 || !detail::digits(s, 0, 4, y) || s[4] != '-' ||
        !detail::digits(s, 5, 2, m) || s[7] != '-' || !detail::digits(s, 8, 2, d))
        return std::nullopt;
    if (m < 1 || m > 12 || d < 1 || static_cast<unsigned>(d) > detail::days_in_month(y, m))
        return std::nullopt;
    if (s.size() != 10) return std::nullopt;
    return days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)) * 86400;
}

CANDOR_INLINE std::optional<std::int64_t> parse_timestamp(std::string_view s) noexcept {
    if (s.size() < 20 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ')) return std::nullopt;
    auto day = parse_date(s.substr(0, 10));
    int hh = 0, mm = 0, ss = 0;
    if (!day || !detail::digits(s, 11, 2, hh) || s[13] != ':' || !detail::digits(s, 14, 2, mm) ||
        s[16] != ':' || !detail::digits(s, 17, 2, ss) || hh > 23 || mm > 59 || ss > 60)
        return std::nullopt;
    std::size_t pos = 19;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        std::size_t start = pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
        if (pos == start) return std::nullopt;
    }
    std::int64_t offset = 0;
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
        ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        int oh = 0, om = 0;
        if (!detail::digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
            !detail::digits(s, pos + 4, 2, om) || oh > 23 || om > 59)
            return std::nullopt;
        offset = (oh * 3600 + om * 60) * (s[pos] == '+' ? 1 : -1);
        pos += 6;
    } else {
        return std::nullopt;  // a time without a zone is ambiguous across sites
    }
    if (pos != s.size()) return std::nullopt;
    return *day + hh * 3600 + mm * 60 + ss - offset;
}

CANDOR_INLINE std::int64_t unix_now() noexcept {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

CANDOR_INLINE std::string format_timestamp(std::int64_t t) {
    std::int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    std::int64_t rem = t - days * 86400;
    std::int64_t y = 0;
    unsigned m = 0, d = 0;
    civil_from_days(days, y, m, d);
    if (y >= 0 && y <= 9999) {  // by hand: snprintf costs more than the rest of a CSV row
        std::string out = "0000-00-00T00:00:00Z";
        auto two = [&](std::size_t at, std::int64_t v) {
            out[at] = static_cast<char>('0' + v / 10);
            out[at + 1] = static_cast<char>('0' + v % 10);
        };
        two(0, y / 100), two(2, y % 100), two(5, m), two(8, d);
        two(11, rem / 3600), two(14, rem / 60 % 60), two(17, rem % 60);
        return out;
    }
    char buf[96];  // room for any int64 year, so the compiler can prove no truncation
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                  static_cast<long long>(y), m, d, static_cast<long long>(rem / 3600),
                  static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60));
    return buf;
}

}  // namespace candor
