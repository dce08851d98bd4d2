// Well-formed UTF-8 (RFC 3629), the one check every module uses: no overlong forms, no
// surrogates, nothing past U+10FFFF.
#pragma once

#include <cstddef>
#include <string_view>

namespace candor::detail {

// The length of the well-formed UTF-8 sequence of a character other than ASCII that starts at
// `text[i]`, or 0 when none does there.
inline std::size_t utf8_sequence(std::string_view text, std::size_t i) noexcept {
    auto byte = [&](std::size_t k) {
        return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u;
    };
    unsigned const c = byte(0);
    std::size_t extra = 0;
    unsigned low = 0x80, high = 0xBF;  // the range of the first continuation byte
    if (c >= 0xC2 && c <= 0xDF)
        extra = 1;
    else if (c == 0xE0)
        extra = 2, low = 0xA0;
    else if (c == 0xED)
        extra = 2, high = 0x9F;
    else if (c >= 0xE1 && c <= 0xEF)
        extra = 2;
    else if (c == 0xF0)
        extra = 3, low = 0x90;
    else if (c >= 0xF1 && c <= 0xF3)
        extra = 3;
    else if (c == 0xF4)
        extra = 3, high = 0x8F;
    if (extra == 0 || byte(1) < low || byte(1) > high) return 0;
    for (std::size_t k = 2; k <= extra; ++k)
        if ((byte(k) & 0xC0) != 0x80) return 0;
    return extra + 1;
}

}  // namespace candor::detail
