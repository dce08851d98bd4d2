#include "printing.hpp"

#include <cmath>
#include <cstdarg>
#include <cstdio>

#include "candor/time.hpp"

namespace candor::report::detail {

std::string printf_text(char const* format, ...) {
    va_list args, again;
    va_start(args, format);
    va_copy(again, args);
    char small[256];
    int n = std::vsnprintf(small, sizeof small, format, args);
    va_end(args);
    std::string out;
    if (n >= 0 && static_cast<std::size_t>(n) < sizeof small) {
        out.assign(small, static_cast<std::size_t>(n));
    } else if (n >= 0) {
        out.resize(static_cast<std::size_t>(n) + 1);
        std::vsnprintf(out.data(), out.size(), format, again);
        out.resize(static_cast<std::size_t>(n));
    }
    va_end(again);
    return out;
}

std::string number(char const* format, double x) {
    if (!std::isfinite(x)) return "-";
    char buf[64];
    std::snprintf(buf, sizeof buf, format, x);
    return buf;
}

std::string day_of(std::int64_t unix_seconds) {
    return format_timestamp(unix_seconds).substr(0, 10);
}

std::string const* site_name(report_model const& r, std::string const& id) {
    for (auto const& [site, name] : r.names)
        if (site == id) return &name;
    return nullptr;
}

std::string under_min_n(std::uint64_t min_n) {
    return "fewer than " + std::to_string(min_n) + " answers, the minimum n";
}

}  // namespace candor::report::detail
