// What the text and HTML renderers share (private to the module).
#pragma once

#include <cstdint>
#include <string>

#include "candor/report/report.hpp"

namespace candor::report::detail {

// printf into a string: the renderers' one way of printing numbers.
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
std::string
printf_text(char const* format, ...);

// One number in a printf format, or "-" when it is not defined (NaN: too few answers).
std::string number(char const* format, double x);

// The first ten characters of a timestamp: its day.
std::string day_of(std::int64_t unix_seconds);

// The site's name from the org, or "".
std::string const* site_name(report_model const& r, std::string const& id);

// Why a figure is not shown.
std::string under_min_n(std::uint64_t min_n);

}  // namespace candor::report::detail
