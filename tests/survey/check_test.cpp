// Semantic checks: what parses but cannot be a working survey.
#include "support.hpp"

using namespace candor;
using candor::test::find_code;
using candor::test::parse_errors;
using candor::test::parse_ok;
using candor::test::wrap;

TEST_CASE("a duplicate question id points at the second and names the first") {
    auto errors = parse_errors(wrap("  question a: nps \"A\"\n  question a: csat \"B\""));
    auto const& d = find_code(errors, "duplicate-question");
    CHECK(d.where.line == 3);
    CHECK(d.where.column == 12);
    CHECK(d.message.find("line 2") != std::string::npos);
}

TEST_CASE("unknown and forward-referenced names in conditions") {
    auto e1 = parse_errors(wrap("  question a: yesno \"A\" show if nothing == yes"));
    auto const& unknown = find_code(e1, "unknown-name");
    CHECK(unknown.where.column == 33);  // at `nothing`
    auto e2 =
        parse_errors(wrap("  question a: yesno \"A\" show if b == yes\n  question b: yesno \"B\""));
    CHECK(find_code(e2, "forward-reference").message.find("`b` comes after `a`") !=
          std::string::npos);
}

TEST_CASE("a condition that reads its own answer is a cycle") {
    auto errors = parse_errors(wrap("  question a: nps \"A\" show if a > 5"));
    CHECK(find_code(errors, "condition-cycle").where.line == 2);
}

TEST_CASE("conditions that depend on each other are reported as a cycle") {
    auto errors = parse_errors(wrap(
        "  question a: yesno \"A\" show if b == yes\n  question b: yesno \"B\" show if a == yes"));
    find_code(errors, "condition-cycle");
    find_code(errors, "forward-reference");
}

TEST_CASE("type mismatches") {
    auto text_vs_number =
        parse_errors(wrap("  question a: text \"A\"\n  question b: yesno \"B\" show if a > 3"));
    CHECK(find_code(text_vs_number, "type-mismatch").message ==
          "cannot compare text with a number");
    auto bad_code = parse_errors(wrap(
        "  question a: choice one of (x \"X\") \"A\"\n  question b: yesno \"B\" show if a == z"));
    CHECK(find_code(bad_code, "unknown-option").message == "`a` has no option `z`");
    auto quoted_bad_code =
        parse_errors(wrap("  question a: choice one of (x \"X\") \"A\"\n  question b: yesno \"B\" "
                          "show if a == \"z\""));
    find_code(quoted_bad_code, "unknown-option");
    auto not_boolean =
        parse_errors(wrap("  question a: nps \"A\"\n  question b: yesno \"B\" show if a + 1"));
    CHECK(find_code(not_boolean, "type-mismatch").message.find("true or false") !=
          std::string::npos);
    auto set_equality = parse_errors(wrap(
        "  question a: choice many of (x, y) \"A\"\n  question b: yesno \"B\" show if a == x"));
    find_code(set_equality, "type-mismatch");
    auto ordered_text =
        parse_errors(wrap("  question a: text \"A\"\n  question b: yesno \"B\" show if a < \"m\""));
    find_code(ordered_text, "type-mismatch");
    auto count_of_scale = parse_errors(
        wrap("  question a: nps \"A\"\n  question b: yesno \"B\" show if count(a) > 1"));
    find_code(count_of_scale, "type-mismatch");
}

TEST_CASE("questions that can never be shown") {
    auto out_of_scale =
        parse_errors(wrap("  question a: nps \"A\"\n  question b: text \"B\" show if a > 10"));
    CHECK(find_code(out_of_scale, "never-shown").message.find("`b`") != std::string::npos);
    auto contradiction = parse_errors(
        wrap("  question a: csat \"A\"\n  question b: text \"B\" show if a < 1 and a >= 3"));
    find_code(contradiction, "never-shown");
    auto literal_no = parse_errors(wrap("  question a: text \"A\" show if no"));
    find_code(literal_no, "never-shown");
    // Hidden for ever, so anything that needs its answer is hidden for ever too.
    auto chain =
        parse_errors(wrap("  question a: nps \"A\"\n  question b: rating 1..5 \"B\" show if a > "
                          "11\n  question c: text \"C\" show if b == 3"));
    auto count = std::count_if(chain.begin(), chain.end(),
                               [](error const& d) { return d.code == "never-shown"; });
    CHECK(count == 2);
    // Reachable conditions are not flagged.
    parse_ok(wrap("  question a: nps \"A\"\n  question b: text \"B\" show if a >= 10 or a < 0"));
}

TEST_CASE("scale and choice definitions are checked") {
    find_code(parse_errors(wrap("  question a: rating 5..1 \"A\"")), "bad-range");
    find_code(parse_errors(wrap("  question a: rating 3..3 \"A\"")), "bad-range");
    find_code(parse_errors(wrap("  question a: rating \"A\"")), "bad-range");
    find_code(parse_errors(wrap("  question a: likert 6 \"A\"")), "bad-range");
    find_code(parse_errors(wrap("  question a: nps 0..5 \"A\"")), "no-range");
    find_code(parse_errors(wrap("  question a: choice \"A\"")), "choice-mode");
    find_code(parse_errors(wrap("  question a: choice one \"A\"")), "empty-choices");
    find_code(parse_errors(wrap("  question a: choice one of (x, x) \"A\"")), "duplicate-option");
    find_code(parse_errors(wrap("  question a: choice many of (x, y) min 2 max 1 \"A\"")),
              "bad-limit");
    find_code(parse_errors(wrap("  question a: choice many of (x, y) max 3 \"A\"")), "bad-limit");
    find_code(parse_errors(wrap("  question a: nps max 3 \"A\"")), "bad-limit");
    find_code(parse_errors(wrap("  question a: yesno labels (\"a\", \"b\") \"A\"")), "no-labels");
    find_code(parse_errors(wrap("  question a: stars \"A\"")), "unknown-kind");
    find_code(parse_errors(wrap("  question a: number 1.5..3 integer \"A\"")), "bad-range");
}

TEST_CASE("languages: undeclared is an error, a missing translation a warning") {
    auto errors =
        parse_errors("survey \"t\" version 1 {\n  languages en\n  question a: nps { de \"A\" }\n}");
    CHECK(find_code(errors, "unknown-language").where.line == 3);
    auto s =
        parse_ok("survey \"t\" version 1 {\n  languages en fr\n  question a: nps { en \"A\" }\n}");
    REQUIRE(s.warnings.size() == 1);
    CHECK(s.warnings[0].code == "missing-translation");
    CHECK(s.warnings[0].level == severity::warning);
    CHECK(s.warnings[0].message.find("`fr`") != std::string::npos);
}

TEST_CASE("piping checks the question it shows") {
    parse_ok(wrap("  question a: nps \"A\"\n  question b: text \"You gave {a}. Why?\""));
    find_code(parse_errors(wrap("  question b: text \"You gave {zz}\"")), "unknown-pipe");
    find_code(parse_errors(wrap("  question b: text \"You gave {a}\"\n  question a: nps \"A\"")),
              "forward-reference");
    parse_ok(wrap("  question b: text \"Braces { as text } are fine\""));
}

TEST_CASE("device fields are readable in conditions but may not shadow questions") {
    parse_ok(wrap("  fields channel\n  question a: text \"A\" show if channel == \"kiosk\""));
    find_code(parse_errors(wrap("  fields a\n  question a: nps \"A\"")), "duplicate-question");
    find_code(parse_errors(wrap("  fields site, site\n  question a: nps \"A\"")),
              "duplicate-field");
}

TEST_CASE("a device field marked optional may be left unset, `optional` alone is a name") {
    auto s = parse_ok(wrap("  fields site, on_duty optional, shift\n  question a: nps \"A\""));
    CHECK(s.fields == std::vector<std::string>{"site", "on_duty", "shift"});
    CHECK(s.optional_fields == std::vector<std::string>{"on_duty"});
    CHECK_FALSE(s.field_required("on_duty"));
    CHECK(s.field_required("site"));
    auto named = parse_ok(wrap("  field optional\n  question a: nps \"A\""));
    CHECK(named.fields == std::vector<std::string>{"optional"});
    CHECK(named.optional_fields.empty());
    find_code(parse_errors(wrap("  fields site optional optional\n  question a: nps \"A\"")),
              "syntax");
}

TEST_CASE("every error of a broken file is reported, in file order") {
    auto errors = parse_errors(wrap(R"(  question a: nps "A"
  question a: nps "dup"
  question b: rating 9..2 "B"
  question c yesno
  question d: text "D" show if zz == 1)"));
    std::vector<std::string> codes;
    for (auto const& d : errors)
        if (d.level == severity::error) codes.push_back(d.code);
    CHECK(codes ==
          std::vector<std::string>{"duplicate-question", "bad-range", "syntax", "unknown-name"});
    for (std::size_t i = 1; i < errors.size(); ++i)
        CHECK(errors[i - 1].where.line <= errors[i].where.line);
}

TEST_CASE("any() and all() compare each question, as if written out") {
    auto s = parse_ok(wrap(R"(  question a: rating 1..5 "A"
  question b: rating 1..5 "B"
  question c: text "C" show if any(a, b) <= 2
  question d: text "D" show if all(a, b) >= 4 and not a == 5
  question e: text "E" show if a <= 2 or b <= 2)"));
    CHECK(survey::format(*s.find("c")->show_if, s) == "a <= 2 or b <= 2");
    CHECK(*s.find("c")->show_if == *s.find("e")->show_if);
    CHECK(survey::format(*s.find("d")->show_if, s) == "a >= 4 and b >= 4 and not a == 5");
    find_code(parse_errors(wrap("  question a: rating 1..5 \"A\"\n  question b: text \"B\"\n"
                                "  question c: text \"C\" show if any(a, b) <= 2")),
              "type-mismatch");
    find_code(parse_errors(
                  wrap("  question a: rating 1..5 \"A\"\n  question c: text \"C\" show if any(a)")),
              "type-mismatch");
}

TEST_CASE("a condition parsed on its own reads every question and field of the survey") {
    auto s =
        parse_ok(wrap("  fields site\n  question rec: nps \"R\"\n  question why: choice one of "
                      "(rude, slow) \"W\""));
    auto ok = survey::parse_condition("rec <= 6 and why == rude or site == \"paris-01\"", s);
    REQUIRE(ok.has_value());
    CHECK(survey::format(*ok, s) == "rec <= 6 and why == rude or site == \"paris-01\"");

    auto bad = survey::parse_condition("rec <= 6 and why == polite", s, {"rules.org", 12, 8});
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error()[0].code == "unknown-option");
    CHECK(bad.error()[0].where.file == "rules.org");
    CHECK(bad.error()[0].where.line == 12);
    CHECK(bad.error()[0].where.column == 8 + 20);

    auto syntax = survey::parse_condition("rec <= (6 and", s);
    REQUIRE_FALSE(syntax.has_value());
    CHECK(syntax.error()[0].code == "syntax");
    auto trailing = survey::parse_condition("rec <= 6 rec", s);
    REQUIRE_FALSE(trailing.has_value());
    CHECK(trailing.error()[0].message == "expected the end of the condition");
    CHECK_FALSE(survey::parse_condition("nobody == 1", s).has_value());
}

TEST_CASE("an attribute written twice is an error, whichever it is") {
    for (auto attrs : {"labels (\"a\", \"b\") labels (\"c\", \"d\")", "required required",
                       "show if a > 1 show if a > 2", "\"Text\" \"Again\""}) {
        CAPTURE(attrs);
        find_code(parse_errors(wrap(
                      std::string("  question a: nps \"A\"\n  question b: rating 1..5 ") + attrs)),
                  "duplicate-attribute");
    }
    find_code(parse_errors(wrap("  question m: choice many of (x, y, z) max 2 max 3 \"M\"")),
              "duplicate-attribute");
    find_code(
        parse_errors(wrap("  question m: choice one of (x, y) other \"O\" other \"P\" \"M\"")),
        "duplicate-attribute");
}

TEST_CASE("comparisons do not chain") {
    auto errors = parse_errors(
        wrap("  question a: yesno \"A\"\n  question b: yesno \"B\" show if a == yes == no"));
    CHECK(find_code(errors, "chained-comparison").where.column == 42);  // the second ==
    parse_ok(wrap("  question a: yesno \"A\"\n  question b: yesno \"B\" show if (a == yes) == no"));
}

TEST_CASE("piping is checked in option labels and scale labels too") {
    find_code(parse_errors(wrap("  question a: choice one of (x \"Like {zz}\") \"A\"")),
              "unknown-pipe");
    find_code(parse_errors(wrap("  question a: rating 1..5 labels (\"{later}\", \"b\") \"A\"\n  "
                                "question later: nps \"L\"")),
              "forward-reference");
}

TEST_CASE("a range on a kind without one says so plainly") {
    auto errors = parse_errors(wrap("  question t: text 1..5 \"T\""));
    CHECK(find_code(errors, "no-range").message == "a text question takes no range");
}
