#include "candor/response/json.hpp"

#include <sstream>

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

    auto shape = response::from_json(R"({"survey":3,"version":-1,"submitted":"noon","answers":{"a":{"x":1}},"extra":1})");
    REQUIRE_FALSE(shape.has_value());
    CHECK(shape.error().size() == 5);
    for (auto const& d : shape.error()) CHECK(d.code == "response-shape");
    CHECK_FALSE(response::from_json("[1,2]").has_value());
}

TEST_CASE("JSON lines: a bad line does not stop the others") {
    std::istringstream in("{\"survey\":\"s\",\"version\":1,\"submitted\":\"2026-01-01T00:00:00Z\",\"answers\":{}}\n"
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
