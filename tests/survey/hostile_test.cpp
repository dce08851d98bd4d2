// Long conditions: what the parser accepts, check and format handle without recursing per
// term (a 20,000-term `not`/`or` chain once overflowed `candor fmt`'s stack).
#include "candor/response/evaluate.hpp"
#include "support.hpp"

using namespace candor;

namespace {

// A survey whose second question is shown by `condition`.
std::string with_condition(std::string const& condition) {
    return test::wrap("  question score: nps\n  question why: text show if " + condition + "\n");
}

std::string chain(std::size_t terms, std::string const& first, std::string const& joint,
                  std::string const& term) {
    std::string out = first;
    out.reserve(terms * (joint.size() + term.size()));
    for (std::size_t i = 1; i < terms; ++i) out += joint + term;
    return out;
}

// parse(format(s)) == s, and the formatted text is the condition as written.
void round_trip(std::string const& condition, std::string const& canonical) {
    auto const s = test::parse_ok(with_condition(condition));
    auto const text = survey::format(s);
    CHECK(text.find(canonical) != std::string::npos);
    auto const again = test::parse_ok(text);
    CHECK(again == s);
    CHECK(survey::format(*s.questions[1].show_if, s) == canonical);
}

}  // namespace

TEST_CASE("20,000 and 200,000-term `or` chains are checked, formatted and read back") {
    for (std::size_t terms : {20000u, 200000u}) {
        CAPTURE(terms);
        auto const c = chain(terms, "score == 0", " or ", "score == 1");
        round_trip(c, c);
    }
}

TEST_CASE("20,000 and 200,000 `not`s are checked, formatted and read back") {
    for (std::size_t terms : {20000u, 200000u}) {
        CAPTURE(terms);
        std::string c;
        for (std::size_t i = 0; i < terms; ++i) c += "not ";
        c += "score > 5";
        round_trip(c, c);
    }
}

TEST_CASE("long chains of and, arithmetic and unary minus, mixed with parentheses") {
    auto const sum = chain(200000, "score", " + ", "1");
    round_trip(sum + " > 3", sum + " > 3");
    auto const mixed =
        chain(20000, "(score == 1 or score == 2)", " and ", "not (score == 3 or score == 4)");
    round_trip(mixed, mixed);
    std::string minus(20000, '-');
    round_trip(minus + "score < 3", minus + "score < 3");
}

TEST_CASE("a long chain is evaluated as written") {
    auto const s = test::parse_ok(
        with_condition(chain(200000, "score == 0", " or ", "score == 1") + " or score == 9"));
    auto const& cond = *s.questions[1].show_if;
    for (std::int64_t v : {0, 1, 9, 5}) {
        response::response r;
        r.answers = {{"score", v}};
        std::vector<response::answer const*> table(s.questions.size());
        response::index_answers(s, r, table);
        CHECK(response::evaluate(cond, {s, r, table}) == (v != 5));
    }
}

TEST_CASE("parentheses past max_nesting stay refused, with a located too-deep") {
    std::string const open(survey::max_nesting + 1, '(');
    auto const all =
        test::parse_errors(with_condition(open + "score > 1" + std::string(open.size(), ')')));
    auto const& e = test::find_code(all, "too-deep");
    CHECK(e.where.line == 3);
}
