// XLSForm workbooks (written by make_xlsforms.py with openpyxl): what is carried over, how
// the imported survey behaves, what is refused at its cell, and hostile workbooks.
#include <doctest/doctest.h>

#include "candor/interop/xlsform.hpp"
#include "candor/response/validate.hpp"
#include "candor/survey/parse.hpp"
#include "interop/support.hpp"

using namespace candor;
using test::at;

namespace {

result<interop::imported> import(std::string const& name, bool lenient = false) {
    interop::import_options o;
    o.lenient = lenient;
    return interop::import_xlsform(test::slurp(CANDOR_XLSFORMS "/" + name), o, name);
}

bool shown(survey::survey const& s, std::string const& id,
           std::vector<std::pair<std::string, response::answer>> answers) {
    response::response r;
    r.survey = s.id;
    r.version = s.version;
    r.answers = std::move(answers);
    return response::is_shown(s, r, static_cast<std::size_t>(s.question_index(id)));
}

}  // namespace

TEST_CASE("an XLSForm in two languages, groups as pages, with its settings") {
    auto i = import("guest-feedback.xlsx");
    REQUIRE_MESSAGE(i, render(i.error()));
    auto const& s = i->survey;
    CHECK(s.id == "guest_feedback");
    CHECK(s.version == 2026032901u);
    CHECK(s.languages == std::vector<std::string>{"en", "fr"});
    CHECK(s.title.in("en") == "Guest feedback");
    REQUIRE(s.pages.size() == 2);
    CHECK(s.pages[0].id == "visit");
    CHECK(s.pages[1].title.in("fr") == "Dites-nous en plus");
    CHECK(s.find("recommend")->kind == survey::question_kind::rating);
    CHECK(s.find("recommend")->max == 10);
    CHECK(s.find("recommend")->required);
    CHECK(s.find("reason")->other);
    CHECK(s.find("used")->kind == survey::question_kind::choice_many);
    CHECK(s.find("nights")->integer);
    CHECK_FALSE(s.find("spent")->integer);
    CHECK(s.find("arrival")->kind == survey::question_kind::date);
    CHECK(s.find("contact")->required);  // true()
    CHECK(s.find("what_went_wrong")->require_if);
    CHECK(s.find("what_went_wrong")->page == "more");
    // Notes at their cells: start and end are Candor's own times; yes/no are renamed.
    at(i->notes, "metadata", "survey!A2");
    at(i->notes, "renamed-codes", "survey!A14");
    CHECK(i->questions[0].place == "survey!B5");

    interop::import_options o;
    o.nps = {"recommend"};
    auto as_nps = interop::import_xlsform(test::slurp(CANDOR_XLSFORMS "/guest-feedback.xlsx"), o);
    REQUIRE(as_nps);
    CHECK(as_nps->survey.find("recommend")->kind == survey::question_kind::nps);
}

TEST_CASE("the imported survey shows what ODK shows") {
    auto i = import("guest-feedback.xlsx");
    REQUIRE(i);
    auto const& s = i->survey;
    using codes = response::choice_codes;
    // Group `more` is relevant when recommend <= 6; inside it, selected() and ${reason}.
    CHECK(shown(s, "what_went_wrong", {{"recommend", std::int64_t{5}}, {"used", codes{"spa"}}}));
    CHECK_FALSE(
        shown(s, "what_went_wrong", {{"recommend", std::int64_t{8}}, {"used", codes{"spa"}}}));
    CHECK(shown(s, "what_went_wrong",
                {{"recommend", std::int64_t{2}}, {"reason", std::string("business")}}));
    CHECK_FALSE(shown(s, "what_went_wrong",
                      {{"recommend", std::int64_t{2}}, {"reason", std::string("leisure")}}));
    // count-selected(${used}) >= 1.
    CHECK_FALSE(shown(s, "nights", {{"recommend", std::int64_t{2}}}));
    CHECK(shown(s, "nights", {{"recommend", std::int64_t{2}}, {"used", codes{"bar"}}}));
    // not(${nights} = '') and ${nights} != 1: answered, and not 1.
    auto spent = [&](std::optional<std::int64_t> nights) {
        std::vector<std::pair<std::string, response::answer>> a{{"recommend", std::int64_t{1}},
                                                                {"used", codes{"bar"}}};
        if (nights) a.emplace_back("nights", *nights);
        return shown(s, "spent", a);
    };
    CHECK_FALSE(spent(std::nullopt));
    CHECK_FALSE(spent(1));
    CHECK(spent(3));
    // ${contact} = 'yes' on the renamed code.
    CHECK(shown(s, "email",
                {{"recommend", std::int64_t{1}},
                 {"used", codes{"bar"}},
                 {"nights", std::int64_t{4}},
                 {"contact", std::string("yes_")}}));
    CHECK_FALSE(
        shown(s, "email", {{"recommend", std::int64_t{1}}, {"contact", std::string("no_")}}));
}

TEST_CASE("what cannot be carried over is an error at its cell, --lenient drops each") {
    auto refused = import("unsupported.xlsx");
    REQUIRE_FALSE(refused);
    auto const& e = refused.error();
    at(e, "unsupported-column", "survey!D2");  // hint
    at(e, "unsupported-column", "survey!F2");  // constraint
    at(e, "unsupported-type", "survey!A3");    // calculate
    at(e, "unsupported-type", "survey!A4");    // note
    at(e, "unsupported-type", "survey!A5");    // begin repeat
    at(e, "unsupported-function", "survey!E8");
    at(e, "forward-reference", "survey!E9");
    at(e, "unsupported-type", "survey!A11");        // geopoint
    at(e, "unsupported-expression", "survey!E12");  // mod

    auto lenient = import("unsupported.xlsx", true);
    REQUIRE_MESSAGE(lenient, render(lenient.error()));
    CHECK(lenient->notes.size() == e.size());
    CHECK_FALSE(lenient->survey.find("guest_name"));  // inside the repeat
    CHECK(lenient->survey.find("kept")->show_if);
    CHECK_FALSE(lenient->survey.find("why")->show_if);
}

TEST_CASE("hostile workbooks are refused with a clear error") {
    CHECK(at(import("deep.xlsx").error(), "too-deep", "survey!D3").level == severity::error);
    CHECK(import("not-a-workbook.xlsx").error().front().code == "bad-xlsx");
    CHECK(import("bomb.xlsx").error().front().code == "too-large");
    CHECK(interop::import_xlsform("", {}).error().front().code == "bad-xlsx");
    CHECK(interop::import_xlsform(std::string(interop::max_xlsx_bytes + 1, 'x'), {})
              .error()
              .front()
              .code == "too-large");
}
