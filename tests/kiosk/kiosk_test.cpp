// The kiosk's logic without a browser: the card model the page gets, the device fields,
// and the desk that turns a posted card into a receipt (or into problems, writing nothing).
#include <doctest/doctest.h>

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "candor/journal/head.hpp"
#include "candor/kiosk/assets.hpp"
#include "fixture.hpp"

using namespace candor;
using nlohmann::json;

namespace {

using test::hotel;
using test::kiosk_on_disk;
using test::paris;

constexpr std::int64_t now = 1794000000;

json problems_of(kiosk::reply const& r) {
    REQUIRE(r.status == 422);
    return json::parse(r.body)["problems"];
}

}  // namespace

TEST_CASE("the device fields: the survey's, in its order, device from the key") {
    auto s = hotel();
    auto f = journal::settle(s, {"kiosk-1", paris});
    REQUIRE(f);
    CHECK(f->fields ==
          std::vector<std::pair<std::string, std::string>>{
              {"site", "paris-01"}, {"device", "kiosk-1"}, {"channel", "kiosk"}, {"shift", "day"}});
    CHECK(render(journal::settle(s, {"kiosk-1", {{"site", "x"}}}).error()).find("channel") !=
          std::string::npos);
    CHECK(render(journal::settle(s, {"kiosk-1", {{"room", "12"}, {"site", "x"}}}).error())
              .find("room") != std::string::npos);
    auto other = paris;
    other.emplace_back("device", "kiosk-9");
    CHECK(render(journal::settle(s, {"kiosk-1", other}).error()).find("kiosk-9") !=
          std::string::npos);
}

TEST_CASE("the card model carries every question, its texts and its conditions as node arrays") {
    auto s = hotel();
    auto m = json::parse(kiosk::page_model(s, {kiosk::layout::page, 60, {{"site", "paris-01"}}}));
    CHECK(m["languages"] == json{"en", "fr"});
    CHECK(m["fields"] == json{"paris-01", "", "", "", ""});
    REQUIRE(m["questions"].size() == s.questions.size());
    auto const& wrong =
        m["questions"][static_cast<std::size_t>(s.question_index("what_went_wrong"))];
    CHECK(wrong["prompt"]["fr"] == "Nous sommes désolés. Qu'est-ce qui n'a pas été ?");
    // recommend <= 6 or satisfaction <= 2: two comparisons, an or at the root.
    CHECK(wrong["showIf"].size() == 7);
    CHECK(wrong["showIf"].back() == json{{"op", "or"}, {"a", 2}, {"b", 5}});
    CHECK(wrong["showIf"][0] == json{{"op", "question"}, {"a", 0}});
    auto const& reason = m["questions"][static_cast<std::size_t>(s.question_index("reason"))];
    CHECK(reason["options"][1]["label"]["fr"] == "Loisirs");
    CHECK(reason["other"]["en"] == "Other");
    CHECK(m["questions"][0]["max"] == 10);
    CHECK(m["layout"] == "page");
    auto const card = json::parse(kiosk::page_model(s, {kiosk::layout::card, 30, {}}));
    CHECK(card["layout"] == "card");
    CHECK(card["idleSeconds"] == 30);
}

TEST_CASE("the page's files are all compiled in, with their types") {
    for (auto path : {"/", "/kiosk.js", "/conditions.js", "/kiosk.css"}) {
        auto const* a = kiosk::find_asset(path);
        REQUIRE(a);
        CHECK(a->body.size() > 100);
    }
    CHECK(kiosk::find_asset("/")->type == "text/html; charset=utf-8");
    CHECK(kiosk::find_asset("/kiosk.js")->type == "text/javascript; charset=utf-8");
    CHECK(kiosk::find_asset("/nope.js") == nullptr);
}

TEST_CASE("an accepted card gets its receipt once it is in the journal") {
    kiosk_on_disk k;
    auto r = k.desk.submit(
        R"({"language":"fr","seconds":95,"answers":{"recommend":3,"satisfaction":2,"what_went_wrong":"Bruit","contact_me":false}})",
        now);
    REQUIRE(r.status == 200);
    auto body = json::parse(r.body);
    CHECK(body["seq"] == 1);
    CHECK(body["receipt"].get<std::string>().size() > 4);
    // The guest's proof: the card's head, signed by this device.
    auto proof = journal::parse_head(body["signed_receipt"].get<std::string>());
    REQUIRE(proof.has_value());
    CHECK(proof->seq == 1);
    CHECK(proof->device == k.desk.device().device);
    CHECK(k.written() == 1);
}

TEST_CASE("a card with something to fix is refused with each problem, and nothing is written") {
    kiosk_on_disk k;
    auto p = problems_of(k.desk.submit(
        R"({"language":"en","answers":{"recommend":12,"contact_me":true,"email":"not-an-email"}})",
        now));
    auto has = [&](std::string const& q, std::string const& code) {
        for (auto const& x : p)
            if (x["question"] == q && x["code"] == code) return true;
        return false;
    };
    CHECK(has("recommend", "out-of-range"));
    CHECK(has("satisfaction", "required-missing"));
    CHECK(has("email", "invalid-format"));
    // A hidden question answered: the page must not send it, and the engine says so.
    CHECK(has("best_part", "not-shown") == false);
    auto hidden = problems_of(k.desk.submit(
        R"({"language":"en","answers":{"recommend":3,"satisfaction":4,"best_part":"x"}})", now));
    CHECK(hidden[0]["code"] == "not-shown");
    CHECK(k.written() == 0);
}

TEST_CASE("the page cannot set device fields, the survey, the time or a language of its own") {
    kiosk_on_disk k;
    CHECK(problems_of(k.desk.submit(
              R"({"language":"en","answers":{"recommend":9,"satisfaction":5,"site":"x"}})",
              now))[0]["code"] == "device-field");
    CHECK(k.desk.submit(R"({"language":"en","fields":{"site":"x"},"answers":{}})", now).status ==
          400);
    CHECK(k.desk.submit(R"({"language":"en","survey":"other","answers":{}})", now).status == 400);
    CHECK(problems_of(k.desk.submit(
              R"({"language":"de","answers":{"recommend":9,"satisfaction":5}})", now))[0]["code"] ==
          "unknown-language");
    CHECK(k.desk.submit("not json", now).status == 400);
    CHECK(k.desk.submit(R"([1,2])", now).status == 400);
    CHECK(k.desk.submit(R"({"language":"en","answers":[]})", now).status == 400);
    CHECK(k.desk.submit(R"({"language":"en","seconds":-5,"answers":{}})", now).status == 400);
    CHECK(k.desk.submit(R"({"language":"","answers":{"recommend":9,"satisfaction":5}})", now)
              .status == 400);
    CHECK(problems_of(k.desk.submit(R"({"language":"en","answers":{"recommend":{"a":1}}})", now))
              .size() >= 1);
    CHECK(k.written() == 0);
}

TEST_CASE("over HTTP: strict headers, the card model, submit, and a body size limit") {
    kiosk_on_disk k;
    kiosk::server http(k.desk, kiosk::page_model(k.desk.survey(), {}));
    int port = http.bind("127.0.0.1", 0).value();
    std::thread serving([&] { http.listen(); });
    httplib::Client client("127.0.0.1", port);

    auto page = client.Get("/");
    REQUIRE(page);
    CHECK(page->status == 200);
    CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
    CHECK(page->get_header_value("Content-Security-Policy").starts_with("default-src 'self'"));
    CHECK(page->get_header_value("Cache-Control") == "no-store");
    auto model = client.Get("/card.json");
    REQUIRE(model);
    CHECK(json::parse(model->body)["survey"] == "hotel-stay");
    CHECK(client.Get("/missing")->status == 404);

    auto ok =
        client.Post("/submit", R"({"language":"en","answers":{"recommend":10,"satisfaction":5}})",
                    "application/json");
    REQUIRE(ok);
    CHECK(ok->status == 200);
    CHECK(json::parse(ok->body)["seq"] == 1);
    auto bad = client.Post("/submit", R"({"language":"en","answers":{"recommend":10}})",
                           "application/json");
    REQUIRE(bad);
    CHECK(bad->status == 422);
    auto huge =
        client.Post("/submit", std::string(kiosk::max_submit_bytes + 1, ' '), "application/json");
    REQUIRE(huge);
    CHECK(huge->status == 413);

    http.stop();
    serving.join();
    CHECK(k.written() == 1);
}

TEST_CASE("the page's files go out gzipped as built to a browser that takes gzip, else plain") {
    kiosk_on_disk k;
    test::serving s(k.desk);
    for (auto const& a : kiosk::page_assets()) {
        CAPTURE(a.path);
        httplib::Client raw("127.0.0.1", s.port);
        raw.set_decompress(false);
        auto gz = raw.Get(std::string(a.path), {{"Accept-Encoding", "gzip, deflate, br"}});
        REQUIRE(gz);
        CHECK(gz->status == 200);
        CHECK(gz->get_header_value("Content-Encoding") == "gzip");
        CHECK(gz->get_header_value("Vary") == "Accept-Encoding");
        CHECK(gz->get_header_value("Content-Type") == a.type);
        CHECK(gz->body == a.gzip);
        CHECK(gz->body.starts_with("\x1f\x8b"));
        CHECK(gz->get_header_value("Content-Security-Policy").starts_with("default-src 'self'"));
        // The same bytes once a client inflates them, and as they are to one that takes none.
        httplib::Client inflating("127.0.0.1", s.port);
        auto back = inflating.Get(std::string(a.path), {{"Accept-Encoding", "gzip"}});
        REQUIRE(back);
        CHECK(back->body == a.body);
        auto plain = raw.Get(std::string(a.path), {{"Accept-Encoding", "identity"}});
        REQUIRE(plain);
        CHECK_FALSE(plain->has_header("Content-Encoding"));
        CHECK(plain->body == a.body);
    }
}
