#include "candor/diagnostic.hpp"

#include <algorithm>

namespace candor {

bool has_errors(diagnostics const& all) noexcept {
    return std::any_of(all.begin(), all.end(),
                       [](diagnostic const& d) { return d.level == severity::error; });
}

std::string_view to_string(severity s) noexcept {
    switch (s) {
        case severity::error: return "error";
        case severity::warning: return "warning";
        case severity::note: return "note";
    }
    return "error";
}

namespace {
// The text of line `line` (1-based) of `source`, without its newline.
std::string_view source_line(std::string_view source, std::uint32_t line) {
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
}  // namespace

std::string render(diagnostic const& d, std::string_view source) {
    std::string out = d.where.file.empty() ? std::string("<input>") : d.where.file;
    if (d.where.line != 0) {
        out += ':' + std::to_string(d.where.line) + ':' + std::to_string(d.where.column);
    }
    out += ": ";
    out += to_string(d.level);
    out += ": ";
    out += d.message;
    out += " [" + d.code + "]\n";
    if (!source.empty() && d.where.line != 0) {
        auto text = source_line(source, d.where.line);
        if (text.size() > 200) text = text.substr(0, 200);  // keep garbage input readable
        out += "  ";
        for (char c : text) out += (static_cast<unsigned char>(c) < 0x20 && c != '\t') ? '?' : c;
        out += "\n  ";
        // One pad per character (UTF-8 continuation bytes take none); tabs are copied so
        // the caret lines up however the terminal shows them.
        std::uint32_t column = 1;
        for (std::size_t i = 0; i < text.size() && column < d.where.column; ++i) {
            auto c = static_cast<unsigned char>(text[i]);
            if ((c & 0xC0) == 0x80) continue;
            out += c == '\t' ? '\t' : ' ';
            ++column;
        }
        out += "^\n";
    }
    return out;
}

std::string render(diagnostics const& all, std::string_view source) {
    std::string out;
    for (auto const& d : all) out += render(d, source);
    return out;
}

}  // namespace candor
