// Byte offsets in a source text to line and column, for errors.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "candor/detail/utf8.hpp"
#include "candor/error.hpp"

namespace candor::util {

// The first byte of `text` that is no well-formed UTF-8, starts U+FFFE or U+FFFF (no XML
// character), or is a control character other than tab and line ends; null when there is
// none. Such a byte means binary garbage: one clear error, not a cascade (surveys, org files).
inline char const* first_bad_byte(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        auto const c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') break;
            ++i;
            continue;
        }
        auto const n = detail::utf8_sequence(text, i);
        if (n == 0 || text.substr(i, 3) == "\xEF\xBF\xBE" || text.substr(i, 3) == "\xEF\xBF\xBF")
            break;
        i += n;
    }
    return i < text.size() ? text.data() + i : nullptr;
}

class source_map {
public:
    source_map(std::string_view text, std::string_view file) : text_(text), file_(file) {
        line_starts_.push_back(0);
        for (std::size_t i = 0; i < text.size(); ++i)
            if (text[i] == '\n') line_starts_.push_back(i + 1);
    }

    // Columns count characters (UTF-8 code points), as editors show them.
    location at(std::size_t offset) const {
        offset = std::min(offset, text_.size());
        auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
        auto line = static_cast<std::uint32_t>(it - line_starts_.begin());
        std::size_t start = *(it - 1);
        std::uint32_t column = 1;
        for (std::size_t i = start; i < offset; ++i)
            if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
        return {file_, line, column};
    }
    location at(char const* p) const { return at(static_cast<std::size_t>(p - text_.data())); }

    std::string_view text() const { return text_; }
    std::string const& file() const { return file_; }

private:
    std::string_view text_;
    std::string file_;
    std::vector<std::size_t> line_starts_;
};

}  // namespace candor::util
