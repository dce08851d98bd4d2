// format() writes the canonical text; parsing it gives back the same survey.
#include <random>

#include "support.hpp"

using namespace candor;
using candor::test::parse_ok;

namespace {

void check_round_trip(survey::survey const& s) {
    auto text = survey::format(s);
    auto again = survey::parse(text, "formatted");
    if (!again) FAIL_CHECK(render(again.error(), text));
    REQUIRE(again.has_value());
    CHECK(*again == s);
    CHECK(survey::format(*again) == text);  // canonical: a fixed point
}

// A random but valid survey: every kind, conditions over earlier questions, two languages.
std::string generate(std::mt19937& rng, int questions) {
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    std::string out = "survey \"gen\" version " + std::to_string(1 + pick(9)) + " {\n  languages en de\n  fields site, channel\n";
    std::vector<std::pair<std::string, std::string>> earlier;  // id, condition on it
    for (int i = 0; i < questions; ++i) {
        if (i % 7 == 0) out += "  page p" + std::to_string(i) + " { en \"Page\" de \"Seite\" }\n";
        std::string id = "q" + std::to_string(i);
        std::string kind, condition;
        switch (pick(9)) {
            case 0: kind = "nps", condition = id + " <= " + std::to_string(pick(11)); break;
            case 1: kind = "csat", condition = id + " >= " + std::to_string(1 + pick(5)); break;
            case 2: kind = "rating 1.." + std::to_string(3 + pick(8)), condition = id + " == 2"; break;
            case 3: kind = "choice one of (a \"A\", b { en \"B\" de \"Bee\" }, c)", condition = id + " in (a, c)"; break;
            case 4: kind = "choice many of (x, y, z) max 2", condition = id + " contains y and count(" + id + ") > 1"; break;
            case 5: kind = "yesno", condition = "not " + id + " == no"; break;
            case 6: kind = "text max " + std::to_string(10 + pick(500)), condition = id + " contains \"late\""; break;
            case 7: kind = "number 0..100 integer", condition = "(" + id + " + 1) * 2 > 50"; break;
            default: kind = "likert 7", condition = "answered(" + id + ")"; break;
        }
        out += "  question " + id + ": " + kind;
        if (pick(3) == 0) out += " required";
        if (!earlier.empty() && pick(2) == 0) {
            auto const& a = earlier[static_cast<std::size_t>(pick(static_cast<int>(earlier.size())))];
            out += " show if " + a.second;
            if (pick(3) == 0) out += " or channel == \"email\"";
        }
        out += " { en \"Question " + std::to_string(i) + "?\" de \"Frage " + std::to_string(i) + "?\" }\n";
        earlier.emplace_back(id, condition);
    }
    return out + "}\n";
}

}  // namespace

TEST_CASE("the bundled samples survive format and parse") {
    for (auto name : {"hotel-stay", "restaurant-table", "support-followup"}) {
        CAPTURE(name);
        auto r = survey::parse_file(std::string(CANDOR_SOURCE_DIR) + "/examples/surveys/" + name + ".survey");
        REQUIRE(r.has_value());
        check_round_trip(*r);
    }
}

TEST_CASE("generated surveys survive format and parse") {
    std::mt19937 rng(20261123);
    for (int round = 0; round < 200; ++round) {
        auto text = generate(rng, 1 + round % 40);
        auto parsed = survey::parse(text, "generated");
        if (!parsed) FAIL(render(parsed.error(), text));
        check_round_trip(*parsed);
    }
}

TEST_CASE("operators keep their meaning through formatting") {
    auto s = parse_ok(test::wrap(R"(  question a: nps "A"
  question b: number decimal "B"
  question c: yesno "C" show if (a - (b - 1)) * 2 > -3 and not (a == 1 or a == 2)
  question d: yesno "D" show if a - b - 1 > 0 / 2)"));
    CHECK(survey::format(*s.find("c")->show_if, s) == "(a - (b - 1)) * 2 > -3 and not (a == 1 or a == 2)");
    CHECK(survey::format(*s.find("d")->show_if, s) == "a - b - 1 > 0 / 2");
    check_round_trip(s);
}

TEST_CASE("a choice code that is also a question id is quoted, so it reads back as a code") {
    auto s = parse_ok(test::wrap(R"(  question other: text "O"
  question pick: choice one of (other "Other", mine "Mine") "P"
  question t: text "T" show if pick == "other")"));
    CHECK(survey::format(*s.find("t")->show_if, s) == "pick == \"other\"");
    check_round_trip(s);
}
