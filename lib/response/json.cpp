#include "candor/response/json.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>

#include "candor/time.hpp"
#include "util/json_text.hpp"

namespace candor::response {

namespace {

using json = nlohmann::json;

error shape_error(location where, std::string message) {
    return {severity::error, "response-shape", std::move(message), std::move(where)};
}

}  // namespace

result<response> from_json(std::string_view text, location where) {
    auto parsed = util::parse_json(text, max_json_depth, where);
    if (!parsed) return unexpected(std::move(parsed).error());
    json const& j = *parsed;
    errors problems;
    auto fail = [&](std::string message) { problems.push_back(shape_error(where, std::move(message))); };
    if (!j.is_object()) {
        fail("a response is a JSON object");
        return unexpected(std::move(problems));
    }
    response r;
    auto string_member = [&](char const* key, bool required) -> std::optional<std::string> {
        auto it = j.find(key);
        if (it == j.end()) {
            if (required) fail(std::string("missing \"") + key + "\"");
            return std::nullopt;
        }
        if (!it->is_string()) {
            fail(std::string("\"") + key + "\" must be a string");
            return std::nullopt;
        }
        return it->get<std::string>();
    };
    if (auto s = string_member("survey", true)) r.survey = *s;
    if (auto it = j.find("version"); it == j.end() || !it->is_number_unsigned() ||
                                     it->get<std::uint64_t>() > 0xFFFFFFFFu)
        fail("\"version\" must be a whole number");
    else
        r.version = it->get<std::uint32_t>();
    if (auto s = string_member("language", false)) r.language = *s;
    if (auto s = string_member("submitted", true)) {
        auto t = parse_timestamp(*s);
        if (!t) fail("\"submitted\" is not a timestamp like 2026-11-02T10:16:12Z");
        else r.submitted = *t;
    }
    if (auto s = string_member("started", false)) {
        auto t = parse_timestamp(*s);
        if (!t) fail("\"started\" is not a timestamp like 2026-11-02T10:14:00Z");
        else r.started = *t;
    }
    if (auto it = j.find("fields"); it != j.end()) {
        if (!it->is_object()) {
            fail("\"fields\" must be an object of strings");
        } else {
            for (auto const& [k, v] : it->items()) {
                if (!v.is_string()) fail("field \"" + k + "\" must be a string");
                else r.fields.emplace_back(k, v.get<std::string>());
            }
        }
    }
    if (auto it = j.find("answers"); it == j.end() || !it->is_object()) {
        fail("\"answers\" must be an object");
    } else {
        for (auto const& [k, v] : it->items()) {
            if (v.is_boolean()) r.answers.emplace_back(k, v.get<bool>());
            else if (v.is_number_unsigned() && v.get<std::uint64_t>() > std::uint64_t(INT64_MAX))
                fail("answer \"" + k + "\" is too large a number");
            else if (v.is_number_integer()) r.answers.emplace_back(k, v.get<std::int64_t>());
            else if (v.is_number_float()) r.answers.emplace_back(k, v.get<double>());
            else if (v.is_string()) r.answers.emplace_back(k, v.get<std::string>());
            else if (v.is_array() && std::all_of(v.begin(), v.end(), [](json const& e) { return e.is_string(); }))
                r.answers.emplace_back(k, v.get<choice_codes>());
            else if (v.is_null()) continue;  // an explicit "no answer"
            else fail("answer \"" + k + "\" must be a number, a string, true/false or a list of codes");
        }
    }
    for (auto const& [k, v] : j.items())
        if (k != "survey" && k != "version" && k != "language" && k != "submitted" &&
            k != "started" && k != "fields" && k != "answers")
            fail("unknown member \"" + k + "\"");
    if (!problems.empty()) return unexpected(std::move(problems));
    return r;
}

std::string to_json(response const& r) {
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

std::optional<json_line> json_line_reader::next() {
    auto* buf = in_.rdbuf();
    if (!buf) return std::nullopt;
    for (;;) {
        text_.clear();
        std::size_t length = 0;
        int c = buf->sgetc();
        if (c == std::char_traits<char>::eof()) {
            in_.setstate(std::ios::eofbit);
            return std::nullopt;
        }
        // Byte by byte: a line too long is counted, not kept.
        for (; c != std::char_traits<char>::eof() && c != '\n'; c = buf->snextc()) {
            if (length++ < max_json_line_bytes) text_ += static_cast<char>(c);
        }
        if (c == '\n') buf->sbumpc();
        ++line_;
        location where{file_name_, line_, 1};
        if (length > max_json_line_bytes)
            return json_line{line_, fail("too-large",
                                         "the line is " + std::to_string(length) +
                                             " bytes; a response line holds at most " +
                                             std::to_string(max_json_line_bytes),
                                         std::move(where))};
        if (text_.find_first_not_of(" \t\r") == std::string::npos) continue;
        return json_line{line_, from_json(text_, std::move(where))};
    }
}

std::vector<json_line> read_json_lines(std::istream& in, std::string const& file_name) {
    std::vector<json_line> out;
    json_line_reader reader(in, file_name);
    while (auto line = reader.next()) out.push_back(std::move(*line));
    return out;
}

}  // namespace candor::response
