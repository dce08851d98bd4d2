#include "candor/response/anonymize.hpp"

#include <sstream>

#include "candor/response/csv.hpp"
#include "candor/response/json.hpp"
#include "candor/response/validate.hpp"
#include "support.hpp"

using namespace candor;

TEST_CASE("redact_contacts: addresses and long numbers go, short numbers stay") {
    CHECK(response::redact_contacts(
              "mail jane.doe@example.com, call +33 6 12 34 56 78 (room 1204)") ==
          "mail [removed], call [removed] (room 1204)");
    CHECK(response::redact_contacts("at @home, code 123 4567") == "at @home, code 123 4567");
    CHECK(response::redact_contacts("x@y.fr") == "[removed]");
    CHECK(response::redact_contacts("no details") == "no details");
    CHECK(response::redact_contacts("") == "");
}

TEST_CASE("day_of: midnight UTC of the day, before 1970 too") {
    CHECK(response::day_of(0) == 0);
    CHECK(response::day_of(86399) == 0);
    CHECK(response::day_of(86400) == 86400);
    CHECK(response::day_of(1793607372) == 1793577600);  // 2026-11-03T09:36:12Z
    CHECK(response::day_of(-1) == -86400);
    CHECK(response::day_of(-86400) == -86400);
}

TEST_CASE("anonymize: personal answers go, comments lose contact details, times to the day") {
    auto r = test::good_hotel_response();
    r.started = r.submitted - 95;
    r.answers.emplace_back("email", std::string("jane.doe@example.com"));
    r.answers.emplace_back("phone", std::string("+33612345678"));
    r.answers.emplace_back("what_went_wrong", std::string("call me on +33 6 12 34 56 78 please"));
    r.answers.emplace_back("reason.other", std::string("write to jd@example.org"));
    r.answers.emplace_back("not_in_the_survey", std::string("jane@example.com"));
    auto const before = r;
    response::anonymize(test::hotel(), r);
    CHECK_FALSE(r.find("email"));
    CHECK_FALSE(r.find("phone"));
    CHECK_FALSE(r.find("not_in_the_survey"));
    REQUIRE(r.find("what_went_wrong"));
    CHECK(std::get<std::string>(*r.find("what_went_wrong")) == "call me on [removed] please");
    CHECK(std::get<std::string>(*r.find("reason.other")) == "write to [removed]");
    CHECK(r.submitted == response::day_of(before.submitted));
    CHECK(r.started == response::day_of(*before.started));
    // Everything else as it was: the scores count in the figures still.
    CHECK(*r.find("recommend") == *before.find("recommend"));
    CHECK(r.fields == before.fields);
    CHECK(response::to_json(r).find("example") == std::string::npos);
}

TEST_CASE("export --anonymize: the same rows, personal cells empty, no address anywhere") {
    auto r = test::good_hotel_response();
    r.answers.back().second = true;  // contact_me: the e-mail question is shown
    r.answers.emplace_back("email", std::string("jane.doe@example.com"));
    r.answers.emplace_back("best_part", std::string("the bar; jane.doe@example.com"));
    REQUIRE(response::validate(test::hotel(), r).empty());
    auto const line = response::to_json(r) + "\n";
    std::istringstream plain_in(line), anonymous_in(line);
    std::ostringstream plain, anonymous;
    auto const a = response::export_csv(plain_in, "x", test::hotel(), plain);
    auto const b = response::export_csv(anonymous_in, "x", test::hotel(), anonymous, true);
    CHECK(a.exported == 1);
    CHECK(b.exported == 1);
    CHECK(plain.str().find("jane.doe@example.com") != std::string::npos);
    CHECK(anonymous.str().find("example.com") == std::string::npos);
    CHECK(anonymous.str().find("the bar; [removed]") != std::string::npos);
    // Same header, same number of cells.
    auto header = [](std::string const& s) { return s.substr(0, s.find("\r\n")); };
    CHECK(header(plain.str()) == header(anonymous.str()));
}
