#include <doctest/doctest.h>

#include "candor/stats/csv.hpp"
#include "candor/stats/figures.hpp"
#include "candor/stats/quality.hpp"
#include "candor/stats/responses.hpp"
#include "candor/survey/survey.hpp"
#include "candor/time.hpp"
#include "helpers.hpp"

using namespace candor::stats;
using namespace candor::stats::test;

TEST_CASE("CSV: kinds inferred from the cells, missing cells explicit") {
    auto f = parse_csv(
        "site,submitted,nps,spend,comment,amenities\n"
        "lyon,2026-11-02T10:16:12Z,10,12.5,\"great, really\",wifi;pool\n"
        "nice,2026-11-03T09:00:00Z,,7,'=cmd,\n"
        "lyon,2026-11-03,6,,\"said \"\"ok\"\"\",pool\n");
    REQUIRE(f.has_value());
    CHECK(f->rows() == 3);
    auto site = f->get<category_column>("site");
    REQUIRE(site.has_value());
    CHECK((*site)->labels == std::vector<std::string>{"lyon", "nice"});
    auto nps_col = f->get<scale_column>("nps");
    REQUIRE(nps_col.has_value());
    CHECK((*nps_col)->values[1] == missing_scale);
    CHECK(nps(histogram_of(**nps_col).value()).n == 2);
    CHECK(f->get<number_column>("spend").has_value());
    auto t = f->get<time_column>("submitted");
    REQUIRE(t.has_value());
    CHECK((*t)->seconds[2] == *candor::parse_date("2026-11-03"));
    auto comment = f->get<category_column>("comment");
    REQUIRE(comment.has_value());
    CHECK((*comment)->labels == std::vector<std::string>{"=cmd", "great, really", "said \"ok\""});
    CHECK(f->get<scale_column>("site").error().front().code == "wrong-kind");
    CHECK(f->get<scale_column>("nope").error().front().code == "unknown-column");
    CHECK(f->memory_bytes() == 3 * (4 + 8 + 1 + 8 + 4 + 4));
}

TEST_CASE("CSV: kinds from the survey, many-choice as sets, scales checked against their range") {
    candor::survey::survey s;
    s.fields = {"site"};
    candor::survey::question q;
    q.id = "rec";
    q.kind = candor::survey::question_kind::nps;
    s.questions.push_back(q);
    q.id = "amen";
    q.kind = candor::survey::question_kind::choice_many;
    q.options = {{"wifi", {}}, {"pool", {}}, {"spa", {}}};
    s.questions.push_back(q);
    csv_options opt;
    opt.survey = &s;
    auto f = parse_csv("site,rec,amen\n7,9,pool;wifi\n8,,\n", opt);
    REQUIRE(f.has_value());
    CHECK(f->get<category_column>("site").has_value());  // numeric, but a device field
    auto amen = f->get<set_column>("amen");
    REQUIRE(amen.has_value());
    CHECK((*amen)->labels == std::vector<std::string>{"wifi", "pool", "spa"});
    CHECK((*amen)->sets[0] == 3);
    CHECK((*amen)->sets[1] == missing_set);
    auto rec = f->get<scale_column>("rec");
    REQUIRE(rec.has_value());
    CHECK((*rec)->lo == 0);
    CHECK((*rec)->hi == 10);

    auto bad = parse_csv("site,rec,amen\nx,11,\ny,nine,\n", opt, "cards.csv");
    REQUIRE(!bad.has_value());
    REQUIRE(bad.error().size() == 2);
    CHECK(bad.error()[0].code == "out-of-range");
    CHECK(bad.error()[0].where.line == 2);
    CHECK(bad.error()[1].code == "not-an-integer");
    CHECK(bad.error()[1].where.line == 3);
    CHECK(bad.error()[1].where.file == "cards.csv");
}

TEST_CASE("CSV: bad input gets clear, located errors") {
    auto width = parse_csv("a,b\n1,2\n3\n", {}, "x.csv");
    REQUIRE(!width.has_value());
    CHECK(width.error()[0].code == "csv-width");
    CHECK(width.error()[0].where.line == 3);
    auto quote = parse_csv("a,b\n1,\"open\n2,3\n");
    REQUIRE(!quote.has_value());
    CHECK(quote.error()[0].code == "csv-syntax");
    CHECK(quote.error()[0].where.line == 2);
    CHECK(parse_csv("").error()[0].code == "csv-empty");
    CHECK(parse_csv("a,a\n1,2\n").error()[0].code == "csv-header");
    csv_options opt;
    opt.kinds = {{"b", column_kind::number}};
    auto num = parse_csv("a,b\n1,x\n", opt);
    REQUIRE(!num.has_value());
    CHECK(num.error()[0].code == "not-a-number");
    CHECK(read_csv("/nonexistent/cards.csv").error()[0].code == "io");
}

TEST_CASE("a frame from responses in memory, typed by the survey") {
    candor::survey::survey s;
    s.fields = {"site"};
    candor::survey::question q;
    q.id = "rec";
    q.kind = candor::survey::question_kind::nps;
    s.questions.push_back(q);
    q.id = "note";
    q.kind = candor::survey::question_kind::text;
    s.questions.push_back(q);
    candor::response::response a, b;
    a.language = "fr";
    a.submitted = 1'800'000'000;
    a.fields = {{"site", "lyon"}};
    a.answers = {{"rec", std::int64_t{9}}, {"note", std::string("bien")}};
    b.language = "en";
    b.submitted = 1'800'000'100;
    b.started = 1'800'000'090;
    b.fields = {{"site", "nice"}};
    auto f = frame_of({a, b}, s);
    REQUIRE(f.has_value());
    CHECK(f->rows() == 2);
    auto rec = f->get<scale_column>("rec");
    REQUIRE(rec.has_value());
    CHECK((*rec)->values[0] == 9);
    CHECK((*rec)->values[1] == missing_scale);
    auto sub = f->get<time_column>("submitted");
    REQUIRE(sub.has_value());
    CHECK((*sub)->seconds[1] == 1'800'000'100);
    auto st = f->get<time_column>("started");
    REQUIRE(st.has_value());
    CHECK(speeders(**st, **sub, 30).value()[1]);
    CHECK(!speeders(**st, **sub, 30).value()[0]);  // no start time
}

TEST_CASE("quality flags: straight-liners, duplicate text, bursts") {
    frame f;
    f.add("a", scale({3, 3, 5, na}, 1, 5));
    f.add("b", scale({3, 4, 5, na}, 1, 5));
    f.add("c", scale({3, 4, 5, na}, 1, 5));
    auto s = straight_liners(f, {"a", "b", "c"});
    REQUIRE(s.has_value());
    CHECK(s->cast<int>().matrix() == Eigen::Vector4i(1, 0, 1, 0));
    CHECK(straight_liners(f, {"a"}).error().front().code == "too-few-items");

    auto dup = duplicate_text(category({0, 1, 0, missing_code, 2}, {"great", "ok", "meh"})).value();
    CHECK(dup.cast<int>().matrix() == (Eigen::VectorXi(5) << 1, 0, 1, 0, 0).finished());

    // Device k1: cards at 0, 60, 120, 900 s; k2: 0 and 30 s. More than 2 within 5 minutes.
    auto device = category({0, 0, 0, 0, 1, 1}, {"k1", "k2"});
    time_column t;
    t.seconds.resize(6);
    t.seconds << 120, 0, 60, 900, 0, 30;
    auto b = bursts(device, t, 2, 5).value();
    CHECK(b.cast<int>().matrix() == (Eigen::VectorXi(6) << 1, 1, 1, 0, 0, 0).finished());
}
