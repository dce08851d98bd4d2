// JSON from outside the process (a response line, an event log's frame, a stored
// notification body), parsed so that no input throws or recurses deeply. nlohmann's parser
// is iterative, but copying, comparing and dumping a value recurse once per level, and a
// number no double holds (1e400, a million digits) throws out_of_range even with
// exceptions off. Header-only, so candor::response uses it without linking candor_util.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>

#include "candor/detail/utf8.hpp"
#include "candor/error.hpp"

namespace candor::util {

// What the library itself stores (events, notification bodies) nests a few levels; past
// this, a value is refused before it is built.
inline constexpr std::size_t max_event_depth = 64;

// The offset of the first `[` or `{` nested deeper than `max_depth`, or npos. Strings
// (and the escapes in them) are skipped, so a bracket inside one does not count.
inline std::size_t too_deep_at(std::string_view text, std::size_t max_depth) noexcept {
    std::size_t depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char const c = text[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth) return i;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return std::string_view::npos;
}

// At most `max` bytes of `s` for a message: UTF-8 text as it is, any other byte as \xNN.
inline std::string printable(std::string_view s, std::size_t max = 40) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    std::size_t const n = s.size() < max ? s.size() : max;
    for (std::size_t i = 0; i < n;) {
        auto const c = static_cast<unsigned char>(s[i]);
        std::size_t len = c >= 0x20 && c < 0x7F ? 1
                          : c >= 0x80           ? candor::detail::utf8_sequence(s, i)
                                                : 0;
        if (len == 0) {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
            len = 1;
        } else {
            out.append(s.substr(i, len));
        }
        i += len;
    }
    if (n < s.size()) out += "...";
    return out;
}

namespace detail {

// nlohmann's DOM builder, keeping where and why it stopped instead of throwing.
template <class Json>
class located_dom_parser : public nlohmann::detail::json_sax_dom_parser<Json> {
  public:
    explicit located_dom_parser(Json& root)
        : nlohmann::detail::json_sax_dom_parser<Json>(root, false) {}
    template <class Exception>
    bool parse_error(std::size_t position, std::string const& last_token, Exception const& ex) {
        position_ = position;
        if constexpr (std::is_same_v<Exception, nlohmann::detail::out_of_range>) {
            code_ = "number-too-large";
            message_ = "a number too large to hold: " + printable(last_token);
        } else {
            std::string_view what = ex.what();
            auto const from = what.find("parse error");
            // The parser's words, cut before a "last read" that may hold the whole line.
            message_ = "not JSON: " +
                       printable(from == std::string_view::npos ? what : what.substr(from), 160);
        }
        return false;
    }
    std::size_t position_ = 0;
    std::string code_ = "json";
    std::string message_;
};

}  // namespace detail

// The value of `text`, or one error: "json" (not JSON), "number-too-large" (a number no
// double holds) or "too-deep" (nested past `max_depth`). The error is at `where`; when
// `where` is a line (where.line set), its column is the byte where the text went wrong.
template <class Json = nlohmann::json>
result<Json> parse_json(std::string_view text, std::size_t max_depth, location where = {}) {
    auto at = [&](std::size_t column) {
        if (where.line != 0) where.column = static_cast<std::uint32_t>(column);
        return std::move(where);
    };
    if (auto deep = too_deep_at(text, max_depth); deep != std::string_view::npos)
        return fail("too-deep",
                    "JSON nested more than " + std::to_string(max_depth) + " levels deep",
                    at(deep + 1));
    Json value;
    detail::located_dom_parser<Json> builder(value);
    if (Json::sax_parse(text, &builder)) return value;
    // nlohmann's position is 1-based and points past the bad byte.
    return fail(builder.code_, builder.message_, at(builder.position_ > 0 ? builder.position_ : 1));
}

}  // namespace candor::util
