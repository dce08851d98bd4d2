#include "candor/response/json.hpp"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>

#include "candor/detail/utf8.hpp"
#include "candor/time.hpp"
#include "util/json_text.hpp"

namespace candor::response {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// simdjson reads this many bytes past the end of the text (they must be there, their value
// does not matter).
constexpr std::size_t padding = simdjson::SIMDJSON_PADDING;

error shape_error(location where, std::string message) {
    return {severity::error, "response-shape", std::move(message), std::move(where)};
}

// Where a text simdjson refused stops being JSON, and whether it stops at a number no
// double (or, for an integer, no 64 bits) holds. simdjson says whether and why, not where;
// this scalar walk runs only over a refused text, so the error can name its byte.
struct fault {
    std::size_t at = 0;
    bool number_too_large = false;
};

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_hex(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// The end of the string whose opening quote is at s[i], or the fault inside it.
bool skip_string(std::string_view s, std::size_t& i, fault& f) {
    auto const hex4 = [&](std::size_t at, unsigned& u) {
        if (at + 4 > s.size() || !std::all_of(s.begin() + at, s.begin() + at + 4, is_hex))
            return false;
        std::from_chars(s.data() + at, s.data() + at + 4, u, 16);
        return true;
    };
    for (++i; i < s.size();) {
        auto const c = static_cast<unsigned char>(s[i]);
        if (c == '"') return ++i, true;
        if (c < 0x20) return f.at = i, false;
        if (c == '\\') {
            if (i + 1 >= s.size()) return f.at = i, false;
            char const e = s[i + 1];
            if (e != 'u') {
                if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos)
                    return f.at = i, false;
                i += 2;
                continue;
            }
            unsigned u = 0, low = 0;
            if (!hex4(i + 2, u)) return f.at = i, false;
            if (u >= 0xDC00 && u <= 0xDFFF) return f.at = i, false;
            if (u >= 0xD800 && u <= 0xDBFF) {  // a high surrogate needs its low one
                if (i + 7 >= s.size() || s[i + 6] != '\\' || s[i + 7] != 'u' || !hex4(i + 8, low) ||
                    low < 0xDC00 || low > 0xDFFF)
                    return f.at = i, false;
                i += 6;
            }
            i += 6;
            continue;
        }
        std::size_t const n = c < 0x80 ? 1 : candor::detail::utf8_sequence(s, i);
        if (n == 0) return f.at = i, false;
        i += n;
    }
    return f.at = s.size(), false;
}

// A number at s[i] by JSON's grammar, then whether simdjson can hold it: an integer in 64
// bits, any other number short of infinity.
bool skip_number(std::string_view s, std::size_t& i, fault& f) {
    std::size_t const start = i;
    auto digits = [&] {
        std::size_t const from = i;
        while (i < s.size() && is_digit(s[i])) ++i;
        return i > from;
    };
    if (s[i] == '-') ++i;
    if (i < s.size() && s[i] == '0')
        ++i;
    else if (!digits())
        return f.at = i, false;
    bool integer = true;
    if (i < s.size() && s[i] == '.') {
        ++i, integer = false;
        if (!digits()) return f.at = i, false;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i, integer = false;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        if (!digits()) return f.at = i, false;
    }
    char const *const b = s.data() + start, *const e = s.data() + i;
    bool held = true;
    if (integer) {
        std::int64_t v;
        std::uint64_t u;
        held = std::from_chars(b, e, v).ec == std::errc{} ||
               std::from_chars(b, e, u).ec == std::errc{};
    } else if (double d; std::from_chars(b, e, d).ec != std::errc{}) {
        // Out of range: past the largest double (refused) or below the smallest (zero, read),
        // told apart by the decimal exponent: the whole digits plus the written exponent.
        std::string_view const n(b, i - start);
        auto const dot = n.find_first_of(".eE");
        auto whole = static_cast<std::int64_t>(dot == std::string_view::npos ? n.size() : dot);
        if (n[0] == '-') --whole;
        if (n.substr(n[0] == '-', 2) == "0." || n.substr(n[0] == '-') == "0") whole = 0;
        std::int64_t exponent = 0;
        if (auto const x = n.find_first_of("eE"); x != std::string_view::npos) {
            auto digits_at = x + 1 + (n[x + 1] == '+' || n[x + 1] == '-');
            for (auto k = digits_at; k < n.size() && exponent < 100000; ++k)
                exponent = exponent * 10 + (n[k] - '0');
            if (n[x + 1] == '-') exponent = -exponent;
        }
        held = whole + exponent <= 0;
    }
    if (!held) return f = {start, true}, false;
    return true;
}

fault locate(std::string_view s) {
    fault f;
    std::string closers;  // what each open container is waiting for
    std::size_t i = 0;
    auto skip_space = [&] {
        while (i < s.size() && is_space(s[i])) ++i;
    };
    auto stop = [&] { return f.at = i, f; };
    enum { value, key, after_value } want = value;
    for (;;) {
        skip_space();
        if (want == after_value) {
            if (closers.empty()) return i == s.size() ? fault{0, false} : stop();
            if (i == s.size()) return stop();
            if (s[i] == closers.back()) {
                closers.pop_back(), ++i;
                continue;
            }
            if (s[i] != ',') return stop();
            ++i;
            want = closers.back() == '}' ? key : value;
            continue;
        }
        if (i == s.size()) return stop();
        if (want == key) {
            if (s[i] != '"') return stop();
            if (!skip_string(s, i, f)) return f;
            skip_space();
            if (i == s.size() || s[i] != ':') return stop();
            ++i, want = value;
            continue;
        }
        char const c = s[i];
        if (c == '{' || c == '[') {
            if (closers.size() > max_json_depth) return stop();
            closers += c == '{' ? '}' : ']';
            ++i;
            skip_space();
            if (i < s.size() && s[i] == closers.back())
                closers.pop_back(), ++i, want = after_value;
            else
                want = c == '{' ? key : value;
            continue;
        }
        if (c == '"') {
            if (!skip_string(s, i, f)) return f;
        } else if (c == '-' || is_digit(c)) {
            if (!skip_number(s, i, f)) return f;
        } else {
            auto const word = c == 't' ? "true" : c == 'f' ? "false" : "null";
            if (s.substr(i, std::strlen(word)) != word) return stop();
            i += std::strlen(word);
        }
        want = after_value;
    }
}

// The error for a text simdjson refused with `code`.
error refusal(std::string_view text, simdjson::error_code code, location where) {
    auto at = [&](std::size_t offset) {
        if (where.line != 0) where.column = static_cast<std::uint32_t>(offset + 1);
        return std::move(where);
    };
    if (code == simdjson::DEPTH_ERROR) {
        auto const deep = util::too_deep_at(text, max_json_depth);
        return {severity::error, "too-deep",
                "JSON nested more than " + std::to_string(max_json_depth) + " levels deep",
                at(deep == std::string_view::npos ? 0 : deep)};
    }
    auto const f = locate(text);
    if (f.number_too_large) {
        auto const end = text.find_first_of(",]} \t\r\n", f.at);
        return {severity::error, "number-too-large",
                "a number too large to hold: " +
                    util::printable(
                        text.substr(f.at, end == std::string_view::npos ? end : end - f.at)),
                at(f.at)};
    }
    std::string const near =
        f.at < text.size() ? ", \"" + util::printable(text.substr(f.at), 20) + "\")" : ", the end)";
    return {severity::error, "json",
            std::string("not JSON: ") + simdjson::error_message(code) + " (at byte " +
                std::to_string(f.at + 1) + near,
            at(f.at)};
}

// One parser per thread, kept between calls: its buffers grow to the longest text once.
struct thread_parser {
    simdjson::dom::parser parser;
    std::string padded;  // a copy of a text that has no padding after it
    thread_parser() {
        // simdjson counts the document itself as a level.
        if (parser.allocate(1u << 16, max_json_depth + 1) != simdjson::SUCCESS)
            throw std::bad_alloc();
    }
};

thread_parser& this_thread_parser() {
    thread_local thread_parser p;
    return p;
}

// Key order, inline: keys are short, and most differ in their first byte.
bool key_less(std::string_view a, std::string_view b) noexcept {
    std::size_t const n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i)
        if (a[i] != b[i])
            return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[i]);
    return a.size() < b.size();
}

// Keeps the order and the last-given-wins of a JSON object read into a std::map (what the
// reader did before simdjson): key order, a repeated key replaces, null removes.
template <class Value, class... Args>
void put(std::vector<std::pair<std::string, Value>>& to, std::string_view key, Args&&... args) {
    auto place = [&](auto at) {
        to.emplace(at, std::piecewise_construct, std::forward_as_tuple(key),
                   std::forward_as_tuple(std::forward<Args>(args)...));
    };
    if (to.empty() || key_less(to.back().first, key)) return place(to.end());
    auto it = std::lower_bound(
        to.begin(), to.end(), key,
        [](auto const& entry, std::string_view k) { return key_less(entry.first, k); });
    if (it != to.end() && it->first == key) it = to.erase(it);
    place(it);
}

template <class Value>
void remove(std::vector<std::pair<std::string, Value>>& to, std::string_view key) {
    std::erase_if(to, [&](auto const& entry) { return entry.first == key; });
}

// The response in a parsed object; every shape problem at once.
result<response> build(element const& root, location const& where) {
    errors problems;
    auto fail = [&](std::string message) {
        problems.push_back(shape_error(where, std::move(message)));
    };
    simdjson::dom::object top;
    if (root.get_object().get(top) != simdjson::SUCCESS) {
        fail("a response is a JSON object");
        return unexpected(std::move(problems));
    }
    // The members by name, the last of a repeated one; the unknown ones in key order.
    enum member { survey, version, language, submitted, started, fields, answers, known };
    static constexpr std::string_view names[known] = {"survey",  "version", "language", "submitted",
                                                      "started", "fields",  "answers"};
    std::optional<element> given[known];
    std::vector<std::string_view> unknown;
    for (auto [k, v] : top) {
        auto const m = std::find(std::begin(names), std::end(names), k) - std::begin(names);
        if (m < known)
            given[m] = v;
        else
            unknown.push_back(k);
    }
    response r;
    auto string_member = [&](member m, bool required) -> std::optional<std::string_view> {
        std::string_view s;
        if (!given[m]) {
            if (required) fail("missing \"" + std::string(names[m]) + "\"");
            return std::nullopt;
        }
        if (given[m]->get_string().get(s) != simdjson::SUCCESS) {
            fail("\"" + std::string(names[m]) + "\" must be a string");
            return std::nullopt;
        }
        return s;
    };
    if (auto s = string_member(survey, true)) r.survey = *s;
    std::int64_t v = -1;
    if (!given[version] || given[version]->type() != element_type::INT64 ||
        given[version]->get_int64().get(v) != simdjson::SUCCESS || v < 0 || v > 0xFFFFFFFF)
        fail("\"version\" must be a whole number");
    else
        r.version = static_cast<std::uint32_t>(v);
    if (auto s = string_member(language, false)) r.language = *s;
    if (auto s = string_member(submitted, true)) {
        auto t = parse_timestamp(*s);
        if (!t)
            fail("\"submitted\" is not a timestamp like 2026-11-02T10:16:12Z");
        else
            r.submitted = *t;
    }
    if (auto s = string_member(started, false)) {
        auto t = parse_timestamp(*s);
        if (!t)
            fail("\"started\" is not a timestamp like 2026-11-02T10:14:00Z");
        else
            r.started = *t;
    }
    // Problems inside "fields" and "answers" are reported in key order, as before.
    std::vector<std::pair<std::string_view, std::string>> keyed;
    auto keyed_fail = [&](std::string_view key, std::string message) {
        keyed.emplace_back(key, std::move(message));
    };
    auto in_key_order = [&] {
        std::stable_sort(keyed.begin(), keyed.end(),
                         [](auto const& x, auto const& y) { return x.first < y.first; });
        for (auto& [key, message] : keyed) fail(std::move(message));
        keyed.clear();
    };
    if (given[fields]) {
        simdjson::dom::object o;
        if (given[fields]->get_object().get(o) != simdjson::SUCCESS) {
            fail("\"fields\" must be an object of strings");
        } else {
            r.fields.reserve(o.size());
            for (auto [k, x] : o) {
                std::string_view s;
                if (x.get_string().get(s) != simdjson::SUCCESS)
                    keyed_fail(k, "field \"" + std::string(k) + "\" must be a string");
                else
                    put(r.fields, k, s);
            }
            in_key_order();
        }
    }
    simdjson::dom::object a;
    if (!given[answers] || given[answers]->get_object().get(a) != simdjson::SUCCESS) {
        fail("\"answers\" must be an object");
    } else {
        r.answers.reserve(a.size());
        for (auto [k, x] : a) {
            switch (x.type()) {
                case element_type::BOOL:
                    put(r.answers, k, x.get_bool().value_unsafe());
                    break;
                case element_type::INT64:
                    put(r.answers, k, x.get_int64().value_unsafe());
                    break;
                case element_type::UINT64:
                    keyed_fail(k, "answer \"" + std::string(k) + "\" is too large a number");
                    break;
                case element_type::DOUBLE:
                    put(r.answers, k, x.get_double().value_unsafe());
                    break;
                case element_type::STRING:
                    put(r.answers, k, std::in_place_type<std::string>,
                        x.get_string().value_unsafe());
                    break;
                case element_type::NULL_VALUE:
                    remove(r.answers, k);
                    break;  // "no answer"
                case element_type::ARRAY: {
                    simdjson::dom::array const list = x.get_array().value_unsafe();
                    choice_codes codes;
                    codes.reserve(list.size());
                    bool all_strings = true;
                    for (auto e : list) {
                        std::string_view code;
                        if (e.get_string().get(code) != simdjson::SUCCESS) {
                            all_strings = false;
                            break;
                        }
                        codes.emplace_back(code);
                    }
                    if (all_strings) {
                        put(r.answers, k, std::move(codes));
                        break;
                    }
                    [[fallthrough]];
                }
                case element_type::OBJECT:
                    keyed_fail(k,
                               "answer \"" + std::string(k) +
                                   "\" must be a number, a string, true/false or a list of codes");
                    break;
            }
        }
        in_key_order();
    }
    std::sort(unknown.begin(), unknown.end());
    unknown.erase(std::unique(unknown.begin(), unknown.end()), unknown.end());
    for (auto k : unknown) fail("unknown member \"" + std::string(k) + "\"");
    if (!problems.empty()) return unexpected(std::move(problems));
    return r;
}

// `text` followed by at least simdjson's padding of readable bytes.
result<response> from_padded_json(std::string_view text, location const& where) {
    element root;
    auto const code = this_thread_parser().parser.parse(text.data(), text.size(), false).get(root);
    if (code != simdjson::SUCCESS) return unexpected(errors{refusal(text, code, where)});
    return build(root, where);
}

}  // namespace

result<response> from_json(std::string_view text, location where) {
    auto& copy = this_thread_parser().padded;
    copy.assign(text);
    copy.append(padding, ' ');
    return from_padded_json(std::string_view(copy.data(), text.size()), where);
}

std::string to_json(response const& r) {
    using json = nlohmann::json;
    json j = json::object();
    j["survey"] = r.survey;
    j["version"] = r.version;
    if (!r.language.empty()) j["language"] = r.language;
    json fields = json::object();
    for (auto const& [k, v] : r.fields) fields[k] = v;
    j["fields"] = std::move(fields);
    if (r.started) j["started"] = format_timestamp(*r.started);
    j["submitted"] = format_timestamp(r.submitted);
    json answers = json::object();
    for (auto const& entry : r.answers)  // clang 14 cannot capture structured bindings
        std::visit([&](auto const& v) { answers[entry.first] = v; }, entry.second);
    j["answers"] = std::move(answers);
    // Never throws: text that is not UTF-8 (which validate() refuses) is written as U+FFFD.
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

json_line_reader::json_line_reader(std::istream& in, std::string file_name)
    : in_(in),
      where_{.file = std::move(file_name), .column = 1},
      buffer_(new char[buffer_bytes + padding]()) {}

json_line_reader::~json_line_reader() = default;

// Reads what the stream has without waiting for more than one byte, so that a line from a
// pipe is handled when it arrives.
bool json_line_reader::fill() {
    if (begin_ > 0) {
        std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
        end_ -= begin_, scanned_ -= begin_, begin_ = 0;
    }
    auto* buf = in_.rdbuf();
    if (!buf || buf->sgetc() == std::char_traits<char>::eof()) return false;
    auto const room = static_cast<std::streamsize>(buffer_bytes - end_);
    auto const ready = std::clamp<std::streamsize>(buf->in_avail(), 1, room);
    end_ += static_cast<std::size_t>(buf->sgetn(buffer_.get() + end_, ready));
    return true;
}

std::optional<json_line> json_line_reader::next() {
    char* const data = buffer_.get();
    for (;;) {
        auto* nl = static_cast<char*>(std::memchr(data + scanned_, '\n', end_ - scanned_));
        std::size_t length = nl ? static_cast<std::size_t>(nl - data) - begin_ : end_ - begin_;
        if (length > max_json_line_bytes) {
            // Too long: counted to its end, never held.
            while (!nl) {
                begin_ = scanned_ = end_ = 0;
                if (!fill()) break;
                nl = static_cast<char*>(std::memchr(data, '\n', end_));
                length += nl ? static_cast<std::size_t>(nl - data) : end_;
            }
            begin_ = scanned_ = nl ? static_cast<std::size_t>(nl - data) + 1 : 0;
            ++line_;
            return json_line{line_, fail("too-large",
                                         "the line is " + std::to_string(length) +
                                             " bytes; a response line holds at most " +
                                             std::to_string(max_json_line_bytes),
                                         location{where_.file, line_, 1})};
        }
        if (!nl) {
            scanned_ = end_;
            if (fill()) continue;
            if (begin_ == end_) {
                in_.setstate(std::ios::eofbit);
                return std::nullopt;
            }
            // The last line, without a newline.
        }
        std::string_view const text(data + begin_, length);
        begin_ = scanned_ = begin_ + length + (nl != nullptr);
        ++line_;
        if (text.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        // The bytes after the line are in the buffer (or its padding): no copy.
        where_.line = line_;
        return json_line{line_, from_padded_json(text, where_)};
    }
}

std::vector<json_line> read_json_lines(std::istream& in, std::string const& file_name) {
    std::vector<json_line> out;
    json_line_reader reader(in, file_name);
    while (auto line = reader.next()) out.push_back(std::move(*line));
    return out;
}

}  // namespace candor::response
