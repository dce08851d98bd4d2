#include "candor/survey/parse.hpp"

#include <fstream>
#include <sstream>

#include "support.hpp"

using namespace candor;
using candor::test::find_code;
using candor::test::parse_errors;
using candor::test::parse_ok;
using candor::test::wrap;
using survey::question_kind;

TEST_CASE("every question kind parses into its typed model") {
    auto s = parse_ok(R"(survey "all-kinds" version 7 {
  languages en fr default fr
  title { en "Title" fr "Titre" }
  fields site, device
  question a: nps required { en "A" fr "A" }
  question b: csat { fr "B" en "B" }
  question c: ces
  question d: rating 0..10 labels ({ en "Bad" fr "Mal" }, { en "Good" fr "Bien" })
  question e: likert 7
  question f: choice one of (x { en "X" fr "X" }, y) other { en "Other" fr "Autre" }
  question g: choice many of (p, q, r) min 1 max 2
  question h: yesno
  question i: text max 200 personal
  question j: number 0..120 integer
  question k: number decimal
  question l: date
  question m: email
  question n: phone
})");
    CHECK(s.id == "all-kinds");
    CHECK(s.version == 7);
    CHECK(s.languages == std::vector<std::string>{"fr", "en"});  // the default first
    CHECK(s.default_language() == "fr");
    CHECK(s.title.in("en") == "Title");
    CHECK(s.fields == std::vector<std::string>{"site", "device"});
    REQUIRE(s.questions.size() == 14);
    auto q = [&](char const* id) { return *s.find(id); };
    CHECK(q("a").kind == question_kind::nps);
    CHECK(q("a").required);
    CHECK((q("a").min == 0 && q("a").max == 10));
    CHECK((q("b").kind == question_kind::csat && q("b").min == 1 && q("b").max == 5));
    CHECK((q("c").kind == question_kind::ces && q("c").max == 7));
    CHECK((q("d").kind == question_kind::rating && q("d").min == 0 && q("d").max == 10));
    CHECK(q("d").end_labels.at(1).in("fr") == "Bien");
    CHECK((q("e").kind == question_kind::likert && q("e").max == 7));
    CHECK(q("f").kind == question_kind::choice_one);
    CHECK(q("f").options.size() == 2);
    CHECK(q("f").option("x")->label.in("fr") == "X");
    CHECK(q("f").other->in("fr") == "Autre");
    CHECK(q("g").kind == question_kind::choice_many);
    CHECK((q("g").min_selections == 1 && q("g").max_selections == 2));
    CHECK(q("h").kind == question_kind::yesno);
    CHECK((q("i").max_length == 200 && q("i").personal));
    CHECK((q("j").integer && q("j").has_range && q("j").max == 120));
    CHECK((!q("k").integer && !q("k").has_range));
    CHECK(q("l").kind == question_kind::date);
    CHECK((q("m").personal && q("n").personal));
    CHECK_FALSE(q("h").personal);
}

TEST_CASE("pages group the questions that follow them") {
    auto s = parse_ok(wrap(R"(
  page one "First"
  question a: nps "A"
  page two "Second"
  question b: yesno "B"
  question c: yesno "C")"));
    REQUIRE(s.pages.size() == 2);
    CHECK(s.pages[1].title.in("en") == "Second");
    CHECK(s.find("a")->page == "one");
    CHECK(s.find("c")->page == "two");
}

TEST_CASE("conditions become typed expression trees") {
    auto s = parse_ok(wrap(R"(
  fields channel
  question rec: nps "R"
  question why: choice one of (price "P", staff "S") "Why"
  question more: choice many of (a "A", b "B", c "C") "More"
  question t: text "T" show if rec <= 6 and (why == staff or why in (price)) and not channel == "email"
  question u: text "U" show if more contains b and count(more) >= 2 or answered(t) and rec * 2 - 1 > 5)"));
    auto const& t = *s.find("t");
    REQUIRE(t.show_if);
    CHECK(t.show_if->root().op == survey::opcode::logical_and);
    CHECK(t.show_if->root().type == survey::value_type::boolean);
    CHECK(survey::format(*t.show_if, s) ==
          "rec <= 6 and (why == staff or why in (price)) and not channel == \"email\"");
    CHECK(survey::format(*s.find("u")->show_if, s) ==
          "more contains b and count(more) >= 2 or answered(t) and rec * 2 - 1 > 5");
}

TEST_CASE("syntax errors are all reported, each at its line and column") {
    auto errors = parse_errors(wrap(R"(  question a: nps "A"
  question b nps "B"
  question c: rating 1..5 labels ("Low" "High") "C"
  question d: yesno "D")"));
    REQUIRE(errors.size() == 2);
    CHECK(errors[0].code == "syntax");
    CHECK(errors[0].where.line == 3);
    CHECK(errors[0].where.column == 14);
    CHECK(errors[0].message == "expected ':'");
    CHECK(errors[1].where.line == 4);
    CHECK(errors[1].where.column == 41);
    CHECK(errors[1].where.file == "t.survey");
}

TEST_CASE("an unterminated string is reported where it runs off its line") {
    auto errors = parse_errors(wrap("  question a: nps \"How likely\n  question b: yesno \"B\""));
    auto const& d = find_code(errors, "syntax");
    CHECK(d.where.line == 2);
    CHECK(d.message.find("'\"'") != std::string::npos);
}

TEST_CASE("a missing closing brace and trailing text are errors") {
    auto e1 = parse_errors("survey \"t\" version 1 {\n  question a: nps \"A\"\n");
    CHECK(find_code(e1, "syntax").message.find("closing }") != std::string::npos);
    auto e2 = parse_errors(wrap("  question a: nps \"A\"") + "extra");
    CHECK(find_code(e2, "syntax").message.find("nothing may follow") != std::string::npos);
}

TEST_CASE("a header that is not a survey header is one clear error") {
    auto errors = parse_errors("questionnaire \"x\" {}");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].where.line == 1);
    CHECK(errors[0].where.column == 1);
    auto no_version = parse_errors("survey \"x\" version {");
    CHECK(no_version[0].message == "expected a version number");
    CHECK(no_version[0].where.column == 20);  // at the `{`
}

TEST_CASE("hostile input gets an error, never a crash") {
    SUBCASE("binary garbage") {
        std::string junk = "survey \"x\" version 1 {\n";
        junk += std::string("\x7f" "ELF\x02\x01\x01\0\0\0", 10);
        auto errors = parse_errors(junk);
        CHECK(errors.size() == 1);
        CHECK(errors[0].code == "encoding");
        CHECK(errors[0].where.line == 2);
    }
    SUBCASE("invalid UTF-8") {
        auto errors = parse_errors(wrap("  question a: nps \"\xC3\x28\""));
        CHECK(errors[0].code == "encoding");
    }
    SUBCASE("deep nesting") {
        std::string deep = "  question a: nps \"A\"\n  question b: yesno \"B\" show if " +
                           std::string(10000, '(') + "a > 1" + std::string(10000, ')');
        auto errors = parse_errors(wrap(deep));
        CHECK(errors[0].code == "too-deep");
    }
    SUBCASE("long prefix chains do not recurse") {
        std::string chain = "  question a: nps \"A\"\n  question b: yesno \"B\" show if ";
        for (int i = 0; i < 20000; ++i) chain += "not ";
        chain += "a > 1";
        auto s = parse_ok(wrap(chain));
        CHECK(s.find("b")->show_if->nodes.size() == 20003);
    }
    SUBCASE("a huge file") {
        std::string huge(survey::max_survey_bytes + 1, ' ');
        CHECK(parse_errors(huge)[0].code == "too-large");
    }
    SUBCASE("empty input") { CHECK(parse_errors("")[0].code == "syntax"); }
    SUBCASE("a flood of errors is capped") {
        std::string many;
        for (int i = 0; i < 1000; ++i) many += "  question q" + std::to_string(i) + " nps\n";
        auto errors = parse_errors(wrap(many));
        CHECK(errors.size() <= 101);
    }
}

TEST_CASE("comments, a byte order mark and CRLF line ends are accepted") {
    auto s = parse_ok("\xEF\xBB\xBF# a card\r\nsurvey \"t\" version 2 { # opens\r\n  question a: nps \"A\" # the score\r\n}\r\n");
    CHECK(s.version == 2);
    CHECK(s.questions.size() == 1);
}

TEST_CASE("string escapes are read") {
    auto s = parse_ok(wrap(R"(  question a: text "Say \"hi\"\\ then\nmore\tend")"));
    CHECK(s.find("a")->prompt.in("en") == "Say \"hi\"\\ then\nmore\tend");
}

TEST_CASE("parse_file reports a missing file as one io error") {
    auto r = survey::parse_file("/nonexistent/card.survey");
    REQUIRE_FALSE(r);
    CHECK(r.error().size() == 1);
    CHECK(r.error()[0].code == "io");
}

TEST_CASE("every bundled sample survey parses without errors") {
    for (auto name : {"hotel-stay", "restaurant-table", "support-followup"}) {
        CAPTURE(name);
        auto r = survey::parse_file(std::string(CANDOR_SOURCE_DIR) + "/examples/surveys/" + name + ".survey");
        if (!r) FAIL_CHECK(render(r.error()));
        CHECK(r.has_value());
    }
}
