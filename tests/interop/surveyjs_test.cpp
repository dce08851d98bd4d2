// SurveyJS JSON in and out: what is carried over, what is refused at its JSON pointer,
// --lenient, and hostile input. (What SurveyJS itself shows: surveyjs_check.cjs.)
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "candor/interop/surveyjs.hpp"
#include "candor/response/validate.hpp"
#include "candor/survey/parse.hpp"
#include "interop/support.hpp"

using namespace candor;
using test::at;

namespace {

std::string one_page(std::string const& elements) {
    return R"({"pages": [{"name": "p", "elements": [)" + elements + "]}]}";
}

result<interop::imported> import(std::string const& json, bool lenient = false) {
    interop::import_options o;
    o.lenient = lenient;
    return interop::import_surveyjs(json, o, "form.json");
}

std::string show_if(interop::imported const& i, std::string const& id) {
    auto const* q = i.survey.find(id);
    REQUIRE(q);
    REQUIRE(q->show_if);
    return survey::format(*q->show_if, i.survey);
}

}  // namespace

TEST_CASE("the corpus imports, and its survey is what Candor would parse from its text") {
    for (std::string name : {"restaurant-visit", "hotel-checkout", "support-call"}) {
        CAPTURE(name);
        auto json = test::slurp(CANDOR_SOURCE_DIR "/tests/interop/surveyjs/" + name + ".json");
        auto i = interop::import_surveyjs(json, {}, name + ".json");
        REQUIRE_MESSAGE(i, render(i.error()));
        CHECK(i->survey.id == name);
        auto again = survey::parse(i->text, "again");
        REQUIRE(again);
        CHECK(*again == i->survey);
        CHECK(i->questions.size() == i->survey.questions.size());
    }
}

TEST_CASE("kinds, scales, choices, languages and conditions carried over") {
    auto i = import(test::slurp(CANDOR_SOURCE_DIR "/tests/interop/surveyjs/restaurant-visit.json"));
    REQUIRE(i);
    auto const& s = i->survey;
    CHECK(s.languages == std::vector<std::string>{"en", "fr"});
    auto const* nps = s.find("nps");
    CHECK(nps->kind == survey::question_kind::rating);  // 0..10, but NPS only when asked
    CHECK(nps->min == 0);
    CHECK(nps->max == 10);
    CHECK(nps->end_labels.at(1).in("fr") == "Très probablement");
    CHECK(nps->required);
    CHECK(s.find("service")->max == 7);  // rateCount 7 from 1
    CHECK(s.find("visit_type")->other->in("en") == "Something else");
    CHECK(s.find("ordered")->max_selections == 3);
    CHECK(s.find("email")->kind == survey::question_kind::email);
    CHECK(show_if(*i, "what_went_wrong") == "nps <= 6 or food < 3");
    CHECK(show_if(*i, "dessert_score") == "ordered contains dessert and answered(food)");
    CHECK(show_if(*i, "email") == "contact == yes");
    CHECK(show_if(*i, "service_tip") == "not service == 7");  // SurveyJS: unanswered != 7
    // The source names and values, for answers collected by SurveyJS.
    CHECK(i->questions[3].name == "visit_type");
    CHECK(i->questions[3].options.back().value == "\"other\"");

    interop::import_options o;
    o.nps = {"nps"};
    auto as_nps = interop::import_surveyjs(
        test::slurp(CANDOR_SOURCE_DIR "/tests/interop/surveyjs/restaurant-visit.json"), o);
    REQUIRE(as_nps);
    CHECK(as_nps->survey.find("nps")->kind == survey::question_kind::nps);
    CHECK(as_nps->survey.find("food")->kind == survey::question_kind::rating);
}

TEST_CASE("renamed names and codes are notes, and conditions follow them") {
    auto i =
        import(one_page(R"({"type": "radiogroup", "name": "how many", "choices": [1, 2, "yes"]},
                                 {"type": "comment", "name": "why", "visibleIf": "{how many} >= 2"})"));
    REQUIRE(i);
    at(i->notes, "renamed", "/pages/0/elements/0/name");
    at(i->notes, "renamed-codes", "/pages/0/elements/0/choices");
    // >= 2 over the values 1, 2, "yes": the options whose value SurveyJS finds >= 2.
    CHECK(show_if(*i, "why") == "how_many in (v2, yes_)");
}

TEST_CASE("what cannot be carried over is an error at its JSON pointer, --lenient drops it") {
    std::string const form = one_page(R"(
        {"type": "rating", "name": "score", "rateMin": 0, "rateMax": 10},
        {"type": "matrix", "name": "grid", "columns": [1, 2], "rows": ["a"]},
        {"type": "text", "name": "born", "inputType": "date"},
        {"type": "comment", "name": "a", "visibleIf": "age({born}) > 18"},
        {"type": "comment", "name": "b", "visibleIf": "{later} = 1"},
        {"type": "comment", "name": "c", "visibleIf": "{score} + 1 > 5"},
        {"type": "comment", "name": "d", "visibleIf": "{a} = 'yes'"},
        {"type": "comment", "name": "e", "description": "Tell us"},
        {"type": "text", "name": "later", "inputType": "number"},
        {"type": "text", "name": "f", "inputType": "color"},
        {"type": "comment", "name": "g", "visibleIf": "{score} >"},
        {"type": "comment", "name": "h", "visibleIf": "{score} > 8"})");
    auto refused = import(form);
    REQUIRE_FALSE(refused);
    auto const& e = refused.error();
    at(e, "unsupported-type", "/pages/0/elements/1");
    at(e, "unsupported-function", "/pages/0/elements/3/visibleIf");
    at(e, "forward-reference", "/pages/0/elements/4/visibleIf");
    at(e, "unsupported-expression", "/pages/0/elements/5/visibleIf");  // arithmetic
    at(e, "unsupported-expression", "/pages/0/elements/6/visibleIf");  // text equality
    at(e, "unsupported-property", "/pages/0/elements/7/description");
    at(e, "unsupported-type", "/pages/0/elements/9/inputType");
    at(e, "bad-expression", "/pages/0/elements/10/visibleIf");
    CHECK(std::all_of(e.begin(), e.end(),
                      [](error const& x) { return x.where.file == "form.json"; }));

    auto lenient = import(form, true);
    REQUIRE_MESSAGE(lenient, render(lenient.error()));
    // Each dropped thing is a warning; what is left imports, the good condition kept.
    CHECK(std::count_if(lenient->notes.begin(), lenient->notes.end(), [](error const& x) {
              return x.level == severity::warning && x.message.find("dropped") != std::string::npos;
          }) == 8);
    CHECK_FALSE(lenient->survey.find("grid"));
    CHECK_FALSE(lenient->survey.find("a")->show_if);
    CHECK(show_if(*lenient, "h") == "score > 8");
}

TEST_CASE("bad and hostile input is refused with a clear error") {
    auto bad_json = import("{\"pages\": [");
    REQUIRE_FALSE(bad_json);
    CHECK(bad_json.error().front().code == "bad-json");
    CHECK(bad_json.error().front().where.offset);
    CHECK(import("[1, 2]").error().front().code == "bad-surveyjs");
    CHECK(import(one_page(R"({"name": "no type"})")).error().front().code == "bad-surveyjs");
    CHECK(import(R"({"pages": []})").error().front().code == "no-questions");
    // Deeper than the bound: refused, not a stack overflow.
    std::string deep = std::string(5000, '(') + "{a} = 1" + std::string(5000, ')');
    auto too_deep = import(one_page(
        R"({"type": "boolean", "name": "a"}, {"type": "comment", "name": "b", "visibleIf": ")" +
        deep + "\"}"));
    REQUIRE_FALSE(too_deep);
    at(too_deep.error(), "too-deep", "/pages/0/elements/1/visibleIf");
    std::string nots(100000, '!');
    CHECK(
        at(import(
               one_page(
                   R"({"type": "boolean", "name": "a"}, {"type": "comment", "name": "b", "visibleIf": ")" +
                   nots + "{a}\"}"))
               .error(),
           "too-deep", "/pages/0/elements/1/visibleIf")
            .level == severity::error);
    std::string chain = "{a} = true";
    for (int k = 0; k < 20000; ++k) chain += " and {a} = true";
    auto long_chain = import(one_page(
        R"({"type": "boolean", "name": "a"}, {"type": "comment", "name": "b", "visibleIf": ")" +
        chain + "\"}"));
    // A flat chain is no deep tree, but a condition that long is refused as too large.
    at(long_chain.error(), "too-large", "/pages/0/elements/1/visibleIf");
    std::string sum = "{n}";
    for (int k = 0; k < 20000; ++k) sum += " + 1";
    CHECK(
        at(import(
               one_page(
                   R"({"type": "text", "inputType": "number", "name": "n"}, {"type": "comment", "name": "b", "visibleIf": ")" +
                   sum + " > 1\"}"))
               .error(),
           "too-deep", "/pages/0/elements/1/visibleIf")
            .level == severity::error);
    std::string panels = R"({"type": "boolean", "name": "x"})";
    for (int k = 0; k < 40; ++k)
        panels = R"({"type": "panel", "name": "p)" + std::to_string(k) + R"(", "elements": [)" +
                 panels + "]}";
    CHECK(import(one_page(panels)).error().front().code == "too-deep");
    CHECK(interop::import_surveyjs(std::string(interop::max_import_bytes + 1, ' '), {})
              .error()
              .front()
              .code == "too-large");
}

TEST_CASE("export: every sample survey as SurveyJS JSON, read back as the same questions") {
    for (std::string name :
         {"hotel-stay", "language-tour", "restaurant-table", "support-followup"}) {
        CAPTURE(name);
        auto s = survey::parse_file(CANDOR_SOURCE_DIR "/examples/surveys/" + name + ".survey");
        REQUIRE(s);
        auto json = nlohmann::json::parse(interop::export_surveyjs(*s));
        std::size_t count = 0;
        auto pages = json.contains("pages") ? json["pages"] : nlohmann::json::array({json});
        for (auto const& p : pages)
            for (auto const& q : p["elements"]) {
                auto const& original = s->questions[count++];
                CHECK(q["name"] == original.id);
                CHECK(q.value("isRequired", false) == original.required);
                CHECK(q.contains("visibleIf") == original.show_if.has_value());
            }
        CHECK(count == s->questions.size());
        // Imported again: the same ids, pages, options and languages.
        interop::import_options o;
        o.lenient = true;
        auto back = interop::import_surveyjs(interop::export_surveyjs(*s), o);
        REQUIRE_MESSAGE(back, render(back.error()));
        REQUIRE(back->survey.questions.size() == s->questions.size());
        CHECK(back->survey.languages.front() == s->languages.front());
        for (std::size_t k = 0; k < s->questions.size(); ++k) {
            CHECK(back->survey.questions[k].id == s->questions[k].id);
            auto const& got = back->survey.questions[k].options;
            auto const& want = s->questions[k].options;
            REQUIRE(got.size() == want.size());
            for (std::size_t o = 0; o < want.size(); ++o) {  // texts may come in another order
                CHECK(got[o].code == want[o].code);
                for (auto const& lang : s->languages)
                    CHECK(got[o].label.in(lang) == want[o].label.in(lang));
            }
            CHECK(back->survey.questions[k].page == s->questions[k].page);
        }
    }
}
