// ASCII case folding, as the "C" locale's tolower: e-mail addresses, header names, charset
// names and `contains` conditions compare without case, the same whatever the machine's
// locale, and never touch the bytes of UTF-8 text beyond ASCII.
#pragma once

#include <string>
#include <string_view>

namespace candor::util {

inline std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

}  // namespace candor::util
