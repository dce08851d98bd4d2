// Definitions of error.hpp: compiled once into candor::core, or inline with
// CANDOR_HEADER_ONLY.
#pragma once

#include <algorithm>

#include "candor/detail/utf8.hpp"
#include "candor/error.hpp"

namespace candor {

CANDOR_INLINE std::string_view to_string(severity s) noexcept {
    switch (s) {
        case severity::error: return "error";
        case severity::warning: return "warning";
        case severity::note: return "note";
    }
    return "error";
}

CANDOR_INLINE unexpected<errors> fail(std::string code, std::string message, location where) {
    return unexpected(
        errors{{severity::error, std::move(code), std::move(message), std::move(where)}});
}
CANDOR_INLINE unexpected<errors> fail(error e) { return unexpected(errors{std::move(e)}); }
CANDOR_INLINE unexpected<errors> fail(errors all) { return unexpected(std::move(all)); }

CANDOR_INLINE bool has_errors(errors const& all) noexcept {
    return std::any_of(all.begin(), all.end(),
                       [](error const& e) { return e.level == severity::error; });
}

namespace detail {
// The text of line `line` (1-based) of `source`, without its newline.
CANDOR_INLINE std::string_view source_line(std::string_view source, std::uint32_t line) {
    std::size_t start = 0;
    for (std::uint32_t i = 1; i < line; ++i) {
        auto nl = source.find('\n', start);
        if (nl == std::string_view::npos) return {};
        start = nl + 1;
    }
    auto end = source.find('\n', start);
    auto text = source.substr(start, end == std::string_view::npos ? source.size() - start
                                                                  : end - start);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    return text;
}
}  // namespace detail

CANDOR_INLINE std::string printable(std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        auto const c = static_cast<unsigned char>(text[i]);
        std::size_t n = 0;  // bytes of a printable character at i
        if (c < 0x80)
            n = (c >= 0x20 && c != 0x7F) || c == '\t' ? 1 : 0;
        else if (!(c == 0xC2 && i + 1 < text.size() &&
                   static_cast<unsigned char>(text[i + 1]) < 0xA0))  // C1
            n = detail::utf8_sequence(text, i);
        if (n == 0) {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
            ++i;
        } else {
            out.append(text.substr(i, n));
            i += n;
        }
    }
    return out;
}

CANDOR_INLINE std::string render(error const& e, std::string_view source) {
    auto const& w = e.where;
    std::string out = printable(w.file);
    if (w.line != 0) {
        out += ':' + std::to_string(w.line);
        if (w.column != 0) out += ':' + std::to_string(w.column);
    }
    if (w.offset) out += '@' + std::to_string(*w.offset);
    if (!out.empty()) out += ": ";
    out += to_string(e.level);
    out += ": ";
    if (!w.device.empty()) {
        out += "device " + printable(w.device);
        if (w.seq != 0) out += " seq " + std::to_string(w.seq);
        out += ": ";
    }
    if (!w.field.empty()) out += printable(w.field) + ": ";
    out += printable(e.message);
    out += " [" + printable(e.code) + "]\n";
    if (!source.empty() && w.line != 0) {
        auto text = detail::source_line(source, w.line);
        if (text.size() > 200) text = text.substr(0, 200);  // keep garbage input readable
        out += "  ";
        for (char c : text) out += (static_cast<unsigned char>(c) < 0x20 && c != '\t') ? '?' : c;
        out += "\n  ";
        // One pad per character (UTF-8 continuation bytes take none); tabs are copied so
        // the caret lines up however the terminal shows them.
        std::uint32_t column = 1;
        for (std::size_t i = 0; i < text.size() && column < w.column; ++i) {
            auto c = static_cast<unsigned char>(text[i]);
            if ((c & 0xC0) == 0x80) continue;
            out += c == '\t' ? '\t' : ' ';
            ++column;
        }
        out += "^\n";
    }
    return out;
}

CANDOR_INLINE std::string render(errors const& all, std::string_view source) {
    std::string out;
    for (auto const& e : all) out += render(e, source);
    return out;
}

}  // namespace candor
