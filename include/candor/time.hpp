// Timestamps as written in responses: ISO 8601 / RFC 3339, kept as Unix seconds (UTC).
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "candor/detail/config.hpp"

namespace candor {

// "2026-11-02T10:16:12Z" or with an offset "+01:00"; fractional seconds are dropped.
std::optional<std::int64_t> parse_timestamp(std::string_view text) noexcept;
// Always UTC with a Z.
std::string format_timestamp(std::int64_t unix_seconds);
// The system clock, in Unix seconds: for what a library call stamps itself (a signed head,
// an alert); everything that decides by time takes the time as a parameter.
std::int64_t unix_now() noexcept;
// "YYYY-MM-DD" as the Unix time of its midnight UTC; nullopt if not a real date.
std::optional<std::int64_t> parse_date(std::string_view text) noexcept;

// Days since 1970-01-01 of a civil date, and back (Howard Hinnant's algorithms).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept;
void civil_from_days(std::int64_t days, std::int64_t& y, unsigned& m, unsigned& d) noexcept;

}  // namespace candor

#ifdef CANDOR_HEADER_ONLY
#include "candor/detail/time-inl.hpp"
#endif
