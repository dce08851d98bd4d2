// Hostile JSON: deep nesting, numbers no double holds, bytes that are not text, lines too
// long. Each is refused at its line with a stable code; nothing throws, the good lines go on.
#include <sstream>

#include "../support/temp_dir.hpp"
#include "candor/journal/inspect.hpp"
#include "candor/kiosk/desk.hpp"
#include "candor/response/json.hpp"
#include "candor/seal/keys.hpp"
#include "support.hpp"

using namespace candor;

namespace {

std::string const good_line =
    R"({"survey":"hotel-stay","version":3,"language":"en","fields":{"site":"paris-01","device":"kiosk-1","channel":"kiosk","shift":"day"},"submitted":"2026-11-02T10:16:12Z","answers":{"recommend":9,"satisfaction":5,"reason":"leisure","contact_me":false}})";

// The good line with one answer replaced by `value` (JSON text).
std::string with_answer(std::string const& value) {
    std::string line = good_line;
    line.replace(line.find("9,"), 1, value);
    return line;
}

std::string nested(std::size_t depth, char open, char close) {
    std::string s;
    for (std::size_t i = 0; i < depth; ++i)
        s += open == '{' ? std::string(R"({"a":)") : std::string(1, open);
    s += "1";
    s += std::string(depth, close);
    return s;
}

error only(result<response::response> const& r) {
    REQUIRE_FALSE(r.has_value());
    REQUIRE(r.error().size() == 1);
    return r.error().front();
}

}  // namespace

TEST_CASE(
    "100,000-deep arrays and objects are refused as too-deep, at the bracket past the limit") {
    for (char open : {'[', '{'}) {
        CAPTURE(open);
        auto text = nested(100000, open, open == '[' ? ']' : '}');
        auto const& e = only(response::from_json(text, {"deep.jsonl", 7, 1}));
        CHECK(e.code == "too-deep");
        CHECK(e.where.file == "deep.jsonl");
        CHECK(e.where.line == 7);
        // The first bracket past max_json_depth.
        std::size_t const step = open == '[' ? 1 : 5;
        CHECK(e.where.column == response::max_json_depth * step + 1);
        // Deep inside "answers" too.
        auto inside = with_answer(text);
        CHECK(only(response::from_json(inside)).code == "too-deep");
    }
}

TEST_CASE("nesting up to the limit is read, brackets inside strings do not count") {
    auto at_limit = response::from_json(nested(response::max_json_depth, '[', ']'));
    CHECK(only(at_limit).code == "response-shape");
    std::string const brackets(100000, '[');
    auto in_string = response::from_json(
        R"({"survey":"hotel-stay","version":3,"submitted":"2026-11-02T10:16:12Z","answers":{"best_part":")" +
        brackets + R"(\"[[\\"}})");
    REQUIRE(in_string.has_value());
    CHECK(std::get<std::string>(*in_string->find("best_part")).size() == brackets.size() + 4);
}

TEST_CASE("a number no double holds is refused at its column, with a short message") {
    std::string const million(1000000, '7');
    for (std::string number : {std::string("1e400"), std::string("-1e400"), million}) {
        CAPTURE(number.size());
        auto line = with_answer(number);
        auto const& e = only(response::from_json(line, {"n.jsonl", 2, 1}));
        CHECK(e.code == "number-too-large");
        CHECK(e.where.line == 2);
        // The column points into the number (nlohmann's position is past its last byte).
        auto const start = line.find(number);
        CHECK(e.where.column > start);
        CHECK(e.where.column <= start + number.size() + 1);
        CHECK(e.message.size() < 100);
    }
    // Tiny numbers underflow to zero: JSON, and a number.
    auto tiny = response::from_json(with_answer("1e-400"));
    REQUIRE(tiny.has_value());
    CHECK(std::get<double>(*tiny->find("recommend")) == 0.0);
}

TEST_CASE("bytes that are not UTF-8 text are refused as json, and the message is printable") {
    for (std::string bad :
         {std::string("\"caf\xE9\""), std::string("\"\xFF\xFE\""), std::string("\"a\x01z\""),
          std::string("\"tab\there\""), std::string("\xC0\xAF")}) {
        CAPTURE(bad);
        auto const& e = only(response::from_json(with_answer(bad), {"u.jsonl", 1, 1}));
        CHECK(e.code == "json");
        for (unsigned char c : e.message) CHECK((c >= 0x20 && c < 0x7F));
        CHECK(e.message.size() < 300);
    }
}

TEST_CASE("escaped control characters reach validate, which refuses them in text and fields") {
    auto const& s = test::hotel();
    auto text = response::from_json(
        R"({"survey":"hotel-stay","version":3,"language":"en","fields":{"site":"paris-01","device":"kiosk-1","channel":"kiosk","shift":"day"},"submitted":"2026-11-02T10:16:12Z","answers":{"recommend":10,"satisfaction":5,"reason":"leisure","best_part":"a\u001b[2Jb","contact_me":false}})");
    REQUIRE(text.has_value());
    CHECK(test::has(response::validate(s, *text), "best_part", "invalid-format"));

    auto field = test::good_hotel_response();
    field.fields[0].second = std::string("paris\0-01", 9);
    CHECK(test::has(response::validate(s, field), "site", "invalid-format"));

    // Multi-line text stays text.
    auto lines = response::from_json(
        R"({"survey":"hotel-stay","version":3,"language":"en","fields":{"site":"paris-01","device":"kiosk-1","channel":"kiosk","shift":"day"},"submitted":"2026-11-02T10:16:12Z","answers":{"recommend":10,"satisfaction":5,"reason":"leisure","best_part":"one\r\ntwo\tthree","contact_me":false}})");
    REQUIRE(lines.has_value());
    CHECK(response::validate(s, *lines).empty());
}

TEST_CASE("a name the survey does not know is quoted printably in the message") {
    auto r = test::good_hotel_response();
    r.answers.emplace_back("\x1b[2Jx", std::int64_t{1});
    auto problems = response::validate(test::hotel(), r);
    REQUIRE(test::has(problems, "\x1b[2Jx", "unknown-question"));
    for (auto const& p : problems)
        for (unsigned char c : p.message) CHECK(c >= 0x20);
}

TEST_CASE("to_json of a response that is not UTF-8 throws nothing") {
    auto r = test::good_hotel_response();
    r.answers.emplace_back("best_part", std::string("caf\xE9"));
    std::string json;
    CHECK_NOTHROW(json = response::to_json(r));
    CHECK(response::from_json(json).has_value());
    CHECK(test::has(response::validate(test::hotel(), r), "best_part", "invalid-format"));
}

TEST_CASE("JSON lines: each hostile line is refused at its line, the good ones are read") {
    std::string const huge = with_answer("\"" + std::string(20u << 20, 'x') + "\"");
    std::ostringstream file;
    file << good_line << '\n'                               // 1
         << with_answer("1e400") << '\n'                    // 2
         << with_answer(std::string(1000000, '9')) << '\n'  // 3
         << with_answer("\"\xFF\"") << '\n'                 // 4
         << with_answer("\"\x07\"") << '\n'                 // 5
         << huge << '\n'                                    // 6
         << nested(100000, '[', ']') << '\n'                // 7
         << "\n"                                            // 8
         << good_line << "\r\n"                             // 9
         << good_line;                                      // 10, no final newline
    std::istringstream in(file.str());
    auto lines = response::read_json_lines(in, "hostile.jsonl");
    REQUIRE(lines.size() == 9);
    std::vector<std::pair<std::uint32_t, std::string>> const want{
        {1, ""},     {2, "number-too-large"}, {3, "number-too-large"}, {4, "json"},
        {5, "json"}, {6, "too-large"},        {7, "too-deep"},         {9, ""},
        {10, ""}};
    for (std::size_t i = 0; i < want.size(); ++i) {
        CAPTURE(i);
        CHECK(lines[i].line == want[i].first);
        if (want[i].second.empty()) {
            REQUIRE(lines[i].value.has_value());
            CHECK(response::validate(test::hotel(), *lines[i].value).empty());
        } else {
            auto const& e = only(lines[i].value);
            CHECK(e.code == want[i].second);
            CHECK(e.where.file == "hostile.jsonl");
            CHECK(e.where.line == want[i].first);
        }
    }
}

TEST_CASE("a line of exactly max_json_line_bytes is read, one byte more is refused") {
    auto const pad = [](std::size_t size) {
        std::string line = good_line;
        line.insert(line.size() - 1, std::string(size - line.size(), ' '));
        return line;
    };
    std::istringstream in(pad(response::max_json_line_bytes) + "\n" +
                          pad(response::max_json_line_bytes + 1) + "\n" + good_line + "\n");
    response::json_line_reader reader(in, "edge.jsonl");
    auto first = reader.next();
    REQUIRE(first);
    CHECK(first->value.has_value());
    auto second = reader.next();
    REQUIRE(second);
    CHECK(only(second->value).code == "too-large");
    auto third = reader.next();
    REQUIRE(third);
    CHECK(third->line == 3);
    CHECK(third->value.has_value());
    CHECK_FALSE(reader.next());
}

TEST_CASE("the kiosk's desk answers 400 to a hostile body, writes nothing and goes on") {
    test::temp_dir dir;
    auto const hq = seal::make_hq_keys();
    auto const key = seal::make_device_keys("kiosk-1");
    auto s = test::hotel();
    auto device = journal::settle(
        s, {key.id, {{"site", "paris-01"}, {"channel", "kiosk"}, {"shift", "day"}}});
    REQUIRE(device);
    auto j = journal::journal::open(dir / "journal", key, hq.public_part());
    REQUIRE(j);
    kiosk::desk desk(std::move(s), std::move(*device), kiosk::keep_in(std::move(*j)));
    constexpr std::int64_t now = 1794000000;
    std::string const answers = R"("answers":{"recommend":9,"satisfaction":5})";
    for (std::string body :
         {R"({"language":"en","seconds":1e400,)" + answers + "}",
          R"({"language":"en","seconds":)" + std::string(1000000, '9') + "," + answers + "}",
          R"({"language":"en",)" + answers.substr(0, answers.size() - 1) + R"(,"x":)" +
              std::string(100000, '[') + std::string(100000, ']') + "}}",
          std::string("{\"language\":\"en\xFF\",") + answers + "}"}) {
        CAPTURE(body.substr(0, 60));
        kiosk::reply r{};
        CHECK_NOTHROW(r = desk.submit(body, now));
        CHECK(r.status == 400);
        CHECK(r.body.size() < 400);
    }
    CHECK(desk.submit(R"({"language":"en",)" + answers + "}", now).status == 200);
    CHECK(journal::inspect_journal(dir / "journal").records.size() == 1);
}

TEST_CASE("a deep line that is also broken is refused without a deep walk") {
    // simdjson refuses these for the bad byte before it counts the depth; the walk that
    // finds the byte stops at the depth limit, so it holds one level per bracket at most 65.
    for (std::string tail : {std::string("\xFF"), std::string("\"unclosed"), std::string(",")}) {
        CAPTURE(tail);
        auto text = std::string(100000, '[') + tail;
        auto const& e = only(response::from_json(text, {"deep.jsonl", 1, 1}));
        CHECK((e.code == "json" || e.code == "too-deep"));
        CHECK(e.where.column >= 1);
        CHECK(e.where.column <= text.size() + 1);
        CHECK(e.message.size() < 300);
    }
}
