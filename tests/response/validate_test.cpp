#include "candor/response/validate.hpp"

#include <random>

#include "candor/response/evaluate.hpp"
#include "support.hpp"

using namespace candor;
using response::answer;
using test::codes;
using test::good_hotel_response;
using test::has;
using test::hotel;

namespace {
void set(response::response& r, std::string const& id, answer a) {
    for (auto& [k, v] : r.answers)
        if (k == id) {
            v = std::move(a);
            return;
        }
    r.answers.emplace_back(id, std::move(a));
}
void erase(response::response& r, std::string const& id) {
    std::erase_if(r.answers, [&](auto const& e) { return e.first == id; });
}
}  // namespace

TEST_CASE("a good response has no problems") {
    CHECK(response::validate(hotel(), good_hotel_response()).empty());
}

TEST_CASE("each kind rejects the wrong type and out-of-range values") {
    auto r = good_hotel_response();
    set(r, "recommend", std::int64_t{11});
    set(r, "satisfaction", std::string("great"));
    set(r, "cleanliness", 3.5);
    set(r, "staff", std::int64_t{0});
    auto ps = response::validate(hotel(), r);
    CHECK(has(ps, "recommend", "out-of-range"));
    CHECK(has(ps, "satisfaction", "wrong-type"));
    CHECK(has(ps, "cleanliness", "out-of-range"));
    CHECK(has(ps, "staff", "out-of-range"));
    // A wrong answer to a required question is a problem of its own, not also "missing".
    CHECK_FALSE(has(ps, "satisfaction", "required-missing"));
    auto const& msg = std::find_if(ps.begin(), ps.end(), [](auto const& p) {
                          return p.where.field == "recommend";
                      })->message;
    CHECK(msg == "`recommend` is answered from 0 to 10, not 11");
}

TEST_CASE("a whole-number decimal is accepted on a scale, a fraction is not") {
    auto r = good_hotel_response();
    set(r, "recommend", 9.0);
    CHECK(response::validate(hotel(), r).empty());
    set(r, "recommend", 9.5);
    CHECK(has(response::validate(hotel(), r), "recommend", "out-of-range"));
}

TEST_CASE("required answers are required only when shown") {
    auto r = good_hotel_response();
    erase(r, "recommend");
    CHECK(codes(response::validate(hotel(), r)) == std::vector<std::string>{"required-missing"});
    // email is required (require if not answered(phone)) only once contact_me == yes shows it.
    r = good_hotel_response();
    set(r, "contact_me", true);
    CHECK(has(response::validate(hotel(), r), "email", "required-missing"));
    set(r, "phone", std::string("+33 1 23 45 67 89"));
    CHECK(response::validate(hotel(), r).empty());
    set(r, "contact_me", false);
    auto ps = response::validate(hotel(), r);
    CHECK(has(ps, "phone", "not-shown"));
}

TEST_CASE("an answer to a question hidden by these answers is refused") {
    auto r = good_hotel_response();
    set(r, "what_went_wrong",
        std::string("nothing"));  // shown only if recommend <= 6 or satisfaction <= 2
    CHECK(has(response::validate(hotel(), r), "what_went_wrong", "not-shown"));
    set(r, "recommend", std::int64_t{4});
    CHECK(response::validate(hotel(), r).empty());
}

TEST_CASE("an answer that is itself invalid does not open the questions it conditions") {
    auto r = good_hotel_response();
    set(r, "recommend", std::int64_t{-3});  // out of range: treated as unanswered afterwards
    set(r, "what_went_wrong", std::string("x"));
    set(r, "satisfaction", std::int64_t{4});
    auto ps = response::validate(hotel(), r);
    CHECK(has(ps, "recommend", "out-of-range"));
    CHECK(has(ps, "what_went_wrong", "not-shown"));
}

TEST_CASE("choices: unknown codes, too many selections, duplicates, other text") {
    auto r = good_hotel_response();
    set(r, "reason", std::string("holiday"));
    set(r, "amenities", response::choice_codes{"spa", "pool", "bar", "gym"});
    auto ps = response::validate(hotel(), r);
    CHECK(has(ps, "reason", "unknown-option"));
    CHECK(has(ps, "amenities", "too-many-selections"));
    set(r, "reason", std::string("other"));
    set(r, "reason.other", std::string("A wedding"));
    set(r, "amenities", response::choice_codes{"spa", "spa"});
    ps = response::validate(hotel(), r);
    CHECK(has(ps, "amenities", "duplicate-answer"));
    CHECK_FALSE(has(ps, "reason", "unknown-option"));
    set(r, "reason", std::string("business"));
    CHECK(has(response::validate(hotel(), r), "reason.other", "not-shown"));
}

TEST_CASE("text length, email and phone formats, UTF-8") {
    auto r = good_hotel_response();
    set(r, "recommend", std::int64_t{2});
    set(r, "what_went_wrong", std::string(2001, 'x'));
    set(r, "contact_me", true);
    set(r, "email", std::string("not-an-email"));
    set(r, "phone", std::string("call me"));
    auto ps = response::validate(hotel(), r);
    CHECK(has(ps, "what_went_wrong", "too-long"));
    CHECK(has(ps, "email", "invalid-format"));
    CHECK(has(ps, "phone", "invalid-format"));
    set(r, "what_went_wrong", std::string("caf\xC3"));
    CHECK(has(response::validate(hotel(), r), "what_went_wrong", "invalid-format"));
}

TEST_CASE("device fields: the respondent may not set one, the device must set them all") {
    auto r = good_hotel_response();
    set(r, "site", std::string("elsewhere"));
    CHECK(has(response::validate(hotel(), r), "site", "device-field"));
    r = good_hotel_response();
    r.fields.pop_back();
    CHECK(has(response::validate(hotel(), r), "shift", "missing-field"));
    r.fields.emplace_back("mood", "sunny");
    CHECK(has(response::validate(hotel(), r), "mood", "device-field"));
    // `on_duty` is optional: a card without it is whole, one with it names its person.
    r = good_hotel_response();
    CHECK(response::validate(hotel(), r).empty());
    r.fields.emplace_back("on_duty", "leo");
    CHECK(response::validate(hotel(), r).empty());
}

TEST_CASE("the response must answer this survey and version, in one of its languages") {
    auto r = good_hotel_response();
    r.version = 2;
    auto ps = response::validate(hotel(), r);
    REQUIRE(ps.size() == 1);
    CHECK(codes(ps)[0] == "wrong-survey");
    r = good_hotel_response();
    r.language = "de";
    CHECK(codes(response::validate(hotel(), r)) == std::vector<std::string>{"unknown-language"});
    r = good_hotel_response();
    r.started = r.submitted + 5;
    CHECK(codes(response::validate(hotel(), r)) == std::vector<std::string>{"bad-time"});
}

TEST_CASE("unknown and duplicate answers") {
    auto r = good_hotel_response();
    r.answers.emplace_back("favourite_colour", std::string("blue"));
    r.answers.emplace_back("recommend", std::int64_t{3});
    auto ps = response::validate(hotel(), r);
    CHECK(has(ps, "favourite_colour", "unknown-question"));
    CHECK(has(ps, "recommend", "duplicate-answer"));
}

TEST_CASE("conditions follow the documented semantics") {
    auto parsed = survey::parse(R"(survey "e" version 1 {
  fields channel
  question n: nps "N"
  question m: choice many of (a, b, c) "M"
  question t: text "T"
  question x1: yesno "1" show if not n <= 6
  question x2: yesno "2" show if n * 2 - 3 >= 15 and count(m) == 2
  question x3: yesno "3" show if t contains "LATE" or m contains c
  question x4: yesno "4" show if channel in ("kiosk", "tablet") and answered(t)
  question x5: yesno "5" show if n / 0 > 1 or n != 5
})");
    REQUIRE(parsed.has_value());
    auto const& s = *parsed;
    response::response r;
    r.survey = "e";
    r.version = 1;
    r.fields = {{"channel", "kiosk"}};
    auto shown = [&](char const* id) {
        return response::is_shown(s, r, static_cast<std::size_t>(s.question_index(id)));
    };
    // Nothing answered: comparisons with a missing answer are false, so `not` makes x1 shown.
    CHECK(shown("x1"));
    CHECK_FALSE(shown("x2"));
    CHECK_FALSE(shown("x3"));
    CHECK_FALSE(shown("x4"));
    CHECK_FALSE(shown("x5"));
    r.answers = {{"n", std::int64_t{9}},
                 {"m", response::choice_codes{"a", "c"}},
                 {"t", std::string("We were late")}};
    CHECK(shown("x1"));
    CHECK(shown("x2"));  // 9*2-3 = 15
    CHECK(shown("x3"));  // case-insensitive contains
    CHECK(shown("x4"));
    CHECK(shown("x5"));  // division by zero is missing; n != 5 holds
    r.answers = {{"n", std::int64_t{5}}, {"t", std::string("")}};
    CHECK_FALSE(shown("x1"));
    CHECK_FALSE(shown("x4"));  // an empty text is not an answer
    CHECK_FALSE(shown("x5"));
}

TEST_CASE(
    "check agrees with a direct reading of the hotel card's conditions on generated responses") {
    // An independent oracle: the card's show-if rules written out by hand in C++.
    std::mt19937 rng(7);
    auto const& s = hotel();
    for (int i = 0; i < 2000; ++i) {
        auto r = good_hotel_response();
        auto rec = static_cast<std::int64_t>(rng() % 11);
        auto sat = static_cast<std::int64_t>(1 + rng() % 5);
        bool contact = rng() % 2;
        set(r, "recommend", rec);
        set(r, "satisfaction", sat);
        set(r, "contact_me", contact);
        bool const wrong_shown = rec <= 6 || sat <= 2;
        bool const best_shown = rec >= 9;
        if (rng() % 2) set(r, "what_went_wrong", std::string("w"));
        if (rng() % 2) set(r, "best_part", std::string("b"));
        if (rng() % 2) set(r, "email", std::string("a@b.co"));
        bool const answered_wrong = r.find("what_went_wrong") != nullptr;
        bool const answered_best = r.find("best_part") != nullptr;
        bool const answered_email = r.find("email") != nullptr;
        auto ps = response::validate(s, r);
        CHECK(has(ps, "what_went_wrong", "not-shown") == (answered_wrong && !wrong_shown));
        CHECK(has(ps, "best_part", "not-shown") == (answered_best && !best_shown));
        CHECK(has(ps, "email", "not-shown") == (answered_email && !contact));
        CHECK(has(ps, "email", "required-missing") == (contact && !answered_email));
    }
}

TEST_CASE("an other text that is not UTF-8 is a format problem, a long one too long") {
    auto r = good_hotel_response();
    set(r, "reason", std::string("other"));
    set(r, "reason.other", std::string("\xFF"));
    CHECK(has(response::validate(hotel(), r), "reason.other", "invalid-format"));
    set(r, "reason.other", std::string(response::default_other_length + 1, 'x'));
    CHECK(has(response::validate(hotel(), r), "reason.other", "too-long"));
}
