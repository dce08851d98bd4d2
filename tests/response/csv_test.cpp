#include "candor/response/csv.hpp"

#include <sstream>

#include "support.hpp"

using namespace candor;

TEST_CASE("cells are quoted per RFC 4180") {
    CHECK(response::csv_cell("plain") == "plain");
    CHECK(response::csv_cell("a,b") == "\"a,b\"");
    CHECK(response::csv_cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(response::csv_cell("two\nlines") == "\"two\nlines\"");
}

TEST_CASE("cells that a spreadsheet would run as a formula are defused") {
    CHECK(response::csv_cell("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"");
    CHECK(response::csv_cell("+1") == "'+1");
    CHECK(response::csv_cell("-1+2") == "'-1+2");
    CHECK(response::csv_cell("@SUM(A1)") == "'@SUM(A1)");
    CHECK(response::csv_cell("\tx") == "'\tx");
}

TEST_CASE("a CSV export has one column per question and one row per response") {
    auto r = test::good_hotel_response();
    r.answers.emplace_back("amenities", response::choice_codes{"spa", "bar"});
    r.answers.emplace_back("reason.other", std::string("=cmd"));
    std::ostringstream out;
    response::write_csv_header(out, test::hotel());
    response::write_csv_row(out, test::hotel(), r);
    std::string text = out.str();
    auto nl = text.find("\r\n");
    std::string header = text.substr(0, nl);
    std::string row = text.substr(nl + 2, text.size() - nl - 4);
    CHECK(
        header ==
        "survey,version,language,submitted,started,site,device,channel,shift,on_duty,recommend,"
        "satisfaction,"
        "checkin_effort,cleanliness,staff,breakfast,reason,reason.other,amenities,what_went_wrong,"
        "best_part,contact_me,phone,email");
    CHECK(row ==
          "hotel-stay,3,en,2026-11-02T10:16:12Z,2026-11-02T10:14:00Z,paris-01,kiosk-1,kiosk,day,,9,"
          "5,,,,,"
          "leisure,'=cmd,spa;bar,,,no,,");
    auto count = [](std::string const& s) { return std::count(s.begin(), s.end(), ','); };
    CHECK(count(header) == count(row));
}
