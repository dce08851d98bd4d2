#include "candor/response/json.hpp"

#include <cstdint>
#include <sstream>
#include <streambuf>
#include <string_view>
#include <vector>

#include "support.hpp"

using namespace candor;

TEST_CASE("a response survives to_json and from_json") {
    auto r = test::good_hotel_response();
    r.answers.emplace_back("amenities", response::choice_codes{"spa", "bar"});
    r.answers.emplace_back("weight", 72.5);
    auto back = response::from_json(response::to_json(r));
    REQUIRE(back.has_value());
    // JSON objects do not keep order: compare answer by answer.
    CHECK(back->survey == r.survey);
    CHECK(back->version == r.version);
    CHECK(back->submitted == r.submitted);
    CHECK(back->started == r.started);
    CHECK(back->fields.size() == r.fields.size());
    REQUIRE(back->answers.size() == r.answers.size());
    for (auto const& [id, a] : r.answers) {
        CAPTURE(id);
        REQUIRE(back->find(id));
        CHECK(*back->find(id) == a);
    }
}

TEST_CASE("JSON values map to the answer variant") {
    auto r = response::from_json(R"({"survey":"s","version":1,"submitted":"2026-01-01T00:00:00Z",
      "answers":{"a":true,"b":7,"c":7.25,"d":"text","e":["x","y"],"f":null}})");
    REQUIRE(r.has_value());
    CHECK(std::get<bool>(*r->find("a")));
    CHECK(std::get<std::int64_t>(*r->find("b")) == 7);
    CHECK(std::get<double>(*r->find("c")) == 7.25);
    CHECK(std::get<std::string>(*r->find("d")) == "text");
    CHECK(std::get<response::choice_codes>(*r->find("e")).size() == 2);
    CHECK(r->find("f") == nullptr);  // null means not answered
}

TEST_CASE("malformed JSON and wrong shapes are reported, every problem at once") {
    auto bad = response::from_json("{\"survey\": ", {"r.jsonl", 4, 1});
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error()[0].code == "json");
    CHECK(bad.error()[0].where.line == 4);

    auto shape = response::from_json(
        R"({"survey":3,"version":-1,"submitted":"noon","answers":{"a":{"x":1}},"extra":1})");
    REQUIRE_FALSE(shape.has_value());
    CHECK(shape.error().size() == 5);
    for (auto const& d : shape.error()) CHECK(d.code == "response-shape");
    CHECK_FALSE(response::from_json("[1,2]").has_value());
}

TEST_CASE("JSON lines: a bad line does not stop the others") {
    std::istringstream in(
        "{\"survey\":\"s\",\"version\":1,\"submitted\":\"2026-01-01T00:00:00Z\",\"answers\":{}}\n"
        "\n"
        "garbage\n"
        "{\"survey\":\"s\",\"version\":2,\"submitted\":\"2026-01-01T00:00:00Z\",\"answers\":{}}\n");
    auto lines = response::read_json_lines(in, "x.jsonl");
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].line == 1);
    CHECK(lines[0].value.has_value());
    CHECK(lines[1].line == 3);
    CHECK_FALSE(lines[1].value.has_value());
    CHECK(lines[1].value.error()[0].where.file == "x.jsonl");
    CHECK(lines[2].value->version == 2);
}

TEST_CASE("an integer past 64 bits is refused, not wrapped") {
    auto r = response::from_json(R"({"survey":"s","version":1,"submitted":"2026-01-01T00:00:00Z",
      "answers":{"n":18446744073709551615}})");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error()[0].message.find("too large") != std::string::npos);
}

TEST_CASE("a line that is not JSON is refused at the byte where it stops being JSON") {
    struct bad {
        std::string text;
        std::uint32_t column;
        char const* code;
    };
    for (auto const& [text, column, code] : std::vector<bad>{
             {R"({"a":1 "b":2})", 8, "json"},          // a missing comma
             {"{\"survey\": ", 12, "json"},            // cut short
             {"{\"a\":\"caf\xE9\"}", 10, "json"},      // not UTF-8
             {"{\"a\":\"\xED\xA0\x80\"}", 7, "json"},  // a surrogate written in UTF-8
             {"{\"a\":\"t\tb\"}", 8, "json"},          // a raw control character
             {R"({"a":"\uD800"})", 7, "json"},         // a lone surrogate escape
             {R"({"a":"\q"})", 7, "json"},             // an unknown escape
             {R"({"a":tru})", 6, "json"},
             {R"({"a":truefalse})", 10, "json"},  // two literals, no comma
             {R"({"a":01})", 7, "json"},          // a leading zero
             {R"({"a":1.})", 8, "json"},
             {R"({"a":[1,2,]})", 11, "json"},
             {R"({"a":1} x)", 9, "json"},  // something after the object
             {R"({"a":1}{"b":2})", 8, "json"},
             {R"({"a":99999999999999999999})", 6, "number-too-large"},  // past 64 bits
             {R"({"a":-9223372036854775809})", 6, "number-too-large"},
             {R"({"a":[1,2e400]})", 9, "number-too-large"},
         }) {
        CAPTURE(text);
        auto r = response::from_json(text, {"x.jsonl", 3, 1});
        REQUIRE_FALSE(r.has_value());
        REQUIRE(r.error().size() == 1);
        auto const& e = r.error()[0];
        CHECK(e.code == code);
        CHECK(e.where.file == "x.jsonl");
        CHECK(e.where.line == 3);
        CHECK(e.where.column == column);
        if (std::string_view(code) == "json")
            CHECK(e.message.find("at byte " + std::to_string(column)) != std::string::npos);
        for (unsigned char c : e.message) CHECK((c >= 0x20 && c < 0x7F));
    }
    // Escaped surrogate pairs, escapes and the largest 64-bit numbers are JSON.
    auto fine = response::from_json(
        R"({"survey":"s","version":1,"submitted":"2026-01-01T00:00:00Z","answers":{"a":"\uD83D\uDE00\n\"\\\/","b":-9223372036854775808,"c":1.5e308}})");
    REQUIRE(fine.has_value());
    CHECK(std::get<std::string>(*fine->find("a")) == "\xF0\x9F\x98\x80\n\"\\/");
    CHECK(std::get<std::int64_t>(*fine->find("b")) == INT64_MIN);
}

TEST_CASE("a member given twice: the last one counts, and members come in key order") {
    auto r = response::from_json(
        R"({"survey":"x","survey":"s","version":1,"submitted":"2026-01-01T00:00:00Z",
            "fields":{"site":"a","device":"k","site":"b"},
            "answers":{"z":1,"b":2,"z":3,"gone":4,"gone":null,"a":"t"}})");
    REQUIRE(r.has_value());
    CHECK(r->survey == "s");
    REQUIRE(r->fields.size() == 2);
    CHECK(r->fields[0] == std::pair<std::string, std::string>{"device", "k"});
    CHECK(r->fields[1] == std::pair<std::string, std::string>{"site", "b"});
    REQUIRE(r->answers.size() == 3);
    CHECK(r->answers[0].first == "a");
    CHECK(r->answers[1].first == "b");
    CHECK(r->answers[2].first == "z");
    CHECK(std::get<std::int64_t>(r->answers[2].second) == 3);
    CHECK(r->find("gone") == nullptr);

    // Shape problems inside "answers" come in key order too, after the members before them.
    auto bad = response::from_json(
        R"({"version":1,"submitted":"2026-01-01T00:00:00Z","answers":{"z":{},"a":[1]},"zz":1,"aa":2})");
    REQUIRE_FALSE(bad.has_value());
    std::vector<std::string> messages;
    for (auto const& e : bad.error()) messages.push_back(e.message);
    CHECK(messages == std::vector<std::string>{
                          "missing \"survey\"",
                          "answer \"a\" must be a number, a string, true/false or a list of codes",
                          "answer \"z\" must be a number, a string, true/false or a list of codes",
                          "unknown member \"aa\"", "unknown member \"zz\""});
}

TEST_CASE("JSON lines from a stream that gives a few bytes at a time, as a pipe does") {
    // A streambuf with no buffer: the reader gets one byte per read and still finds each line.
    struct trickle : std::streambuf {
        std::string text;
        std::size_t at = 0;
        int_type underflow() override {
            return at < text.size() ? traits_type::to_int_type(text[at]) : traits_type::eof();
        }
        int_type uflow() override {
            return at < text.size() ? traits_type::to_int_type(text[at++]) : traits_type::eof();
        }
    } buf;
    buf.text =
        "{\"survey\":\"s\",\"version\":1,\"submitted\":\"2026-01-01T00:00:00Z\",\"answers\":{}}\n"
        "\r\n"
        "{\"survey\":\n"
        "{\"survey\":\"s\",\"version\":2,\"submitted\":\"2026-01-01T00:00:00Z\",\"answers\":{}}";
    std::istream in(&buf);
    auto lines = response::read_json_lines(in, "pipe");
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].value->version == 1);
    CHECK(lines[1].line == 3);
    CHECK(lines[1].value.error()[0].code == "json");
    CHECK(lines[1].value.error()[0].where.column == 11);
    CHECK(lines[2].line == 4);
    CHECK(lines[2].value->version == 2);
}
