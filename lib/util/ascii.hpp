// ASCII case folding, as the "C" locale's tolower: e-mail addresses, header names, charset
// names and `contains` conditions compare without case, the same whatever the machine's
// locale, and never touch the bytes of UTF-8 text beyond ASCII.
#pragma once

#include <string>
#include <string_view>

namespace candor::util {

constexpr char ascii_lower(char c) noexcept {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// In place, for a buffer reused across calls (the routing matcher's, once per card).
inline void ascii_lower_in_place(std::string& s) noexcept {
    for (auto& c : s) c = ascii_lower(c);
}

inline std::string ascii_lower(std::string_view s) {
    std::string out(s);
    ascii_lower_in_place(out);
    return out;
}

}  // namespace candor::util
