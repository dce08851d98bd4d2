#include "condition.hpp"

#include <charconv>
#include <cmath>

namespace candor::interop::detail {

std::optional<double> value::as_number() const {
    if (k == kind::number) return number;
    if (k != kind::string || text.empty()) return std::nullopt;
    double v = 0;
    char const* first = text.data();
    if (*first == '+') ++first;
    auto [p, ec] = std::from_chars(first, text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size() || !std::isfinite(v))
        return std::nullopt;
    return v;
}

std::string value::json() const {
    switch (k) {
        case kind::null:
            return "null";
        case kind::number:
            return text.empty() ? number_text(number) : text;
        case kind::boolean:
            return flag ? "true" : "false";
        case kind::string:
            break;
    }
    std::string out = "\"";
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", u);
            out += buf;
        } else {
            out += c;
        }
    }
    return out + '"';
}

std::string number_text(double v) {
    char buf[400];
    // Shortest form first; the language has no exponent, so fall back to fixed.
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    std::string s(buf, ec == std::errc() ? end : buf);
    if (s.find_first_of("eE") != std::string::npos) {
        auto [e2, ec2] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
        s.assign(buf, ec2 == std::errc() ? e2 : buf);
    }
    return s.empty() ? "0" : s;
}

std::string any_code(std::string const& id, std::vector<std::string> const& codes) {
    if (codes.empty()) return "no";
    if (codes.size() == 1) return id + " == " + survey::quote(codes.front());
    std::string out = id + " in (";
    for (std::size_t i = 0; i < codes.size(); ++i) out += (i ? ", " : "") + survey::quote(codes[i]);
    return out + ")";
}

std::string parenthesise(std::string const& condition) {
    return "(" + condition + ")";
}

std::string negate(std::string const& condition) {
    return "not " + parenthesise(condition);
}

std::string excerpt(std::string_view text) {
    constexpr std::size_t shown = 80;
    if (text.size() <= shown) return cat("`", text, "`");
    std::size_t cut = shown;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
        --cut;  // whole characters
    return cat("`", text.substr(0, cut), "...`");
}

void refuse(std::string code, std::string message) {
    throw untranslatable{std::move(code), std::move(message)};
}

std::string mirror(std::string const& op) {
    if (op == "<") return ">";
    if (op == ">") return "<";
    if (op == "<=") return ">=";
    if (op == ">=") return "<=";
    return op;
}

bool is_ordering(std::string const& op) {
    return op == "=" || op == "!=" || op == "<" || op == ">" || op == "<=" || op == ">=";
}

std::string compare_text(std::string const& a, std::string const& op, std::string const& b) {
    if (op == "=") return a + " == " + b;
    if (op == "!=") return negate(a + " == " + b);
    return a + " " + op + " " + b;
}

}  // namespace candor::interop::detail
