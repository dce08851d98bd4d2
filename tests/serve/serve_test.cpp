// candor::serve over real HTTP on 127.0.0.1: invitations and table links end to end, drafts,
// status pages, hostile requests (each changes nothing), and many guests at once.
#include <doctest/doctest.h>
#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "candor/journal/inspect.hpp"
#include "candor/kiosk/server.hpp"
#include "candor/seal/keys.hpp"
#include "candor/serve/server.hpp"
#include "candor/survey/parse.hpp"
#include "serve/fixture.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace candor;
using json = nlohmann::json;

namespace {

constexpr char good_card[] = R"({"language":"en","answers":{"recommend":10,"satisfaction":5}})";
constexpr char json_type[] = "application/json";

survey::survey hotel() {
    auto s = survey::parse_file(CANDOR_SOURCE_DIR "/examples/surveys/hotel-stay.survey");
    REQUIRE(s);
    return std::move(*s);
}

// The server on a free port with its state in a temporary directory and a clock the test
// moves; restart() stops it and opens the same state again.
struct head_office {
    test::temp_dir dir;
    seal::hq_secret hq = seal::make_hq_keys();
    seal::device_secret key = seal::make_device_keys("hq-web");
    std::atomic<std::int64_t> now{1'800'000'000};
    serve::testing::running_server running;

    head_office() { start(); }
    ~head_office() { stop(); }

    void start() {
        serve::settings s;
        s.sites = {"paris-01"};
        s.fields = {{"channel", "web"}, {"shift", "day"}};
        s.status_base = "http://127.0.0.1";
        s.clock = [this] { return now.load(); };
        running.run(serve::server::open(dir / "state", {hotel()}, key, hq.public_part(), s));
    }
    void stop() { running.stop(); }
    void restart() {
        stop();
        start();
    }

    httplib::Client client() const { return running.client(); }
    std::string invite(std::string stay = "B-1") {
        auto t = running.server->book().issue({std::move(stay), "paris-01", "hotel-stay", 0}, now);
        REQUIRE(t);
        return *t;
    }
    // The cards in the server's journal, as a crash now would leave them.
    std::vector<journal::record> cards() const {
        auto contents = journal::inspect_journal(dir / "state" / "journal");
        CHECK(contents.found.empty());
        return contents.records;
    }
    std::size_t drafts() const {
        std::size_t n = 0;
        for ([[maybe_unused]] auto const& f :
             fs::directory_iterator(dir / "state" / "invitations" / "drafts"))
            ++n;
        return n;
    }
};

std::string path_of(std::string const& link) {
    return link.substr(link.find("/r/"));
}

}  // namespace

TEST_CASE("an invitation: draft, resume, one card, the used link refused, the status page") {
    head_office hq;
    auto const token = hq.invite();
    auto c = hq.client();

    auto page = c.Get("/s/" + token);
    REQUIRE(page);
    CHECK(page->status == 200);
    CHECK(page->get_header_value("Content-Security-Policy").starts_with("default-src 'self'"));
    CHECK(page->get_header_value("Cache-Control") == "no-store");
    CHECK(page->body.find("/kiosk.js") != std::string::npos);

    auto model = c.Get("/s/" + token + "/card.json");
    REQUIRE(model);
    auto m = json::parse(model->body);
    CHECK(m["saves"] == true);
    CHECK_FALSE(m.contains("draft"));
    // The device fields are the server's and the invitation's, not the guest's.
    CHECK(m["fields"] == json::array({"paris-01", "hq-web", "web", "day", ""}));

    // Half the answers, saved; opened again (another device), they are there.
    auto saved = c.Put("/s/" + token + "/draft",
                       R"({"language":"en","at":1,"answers":{"recommend":9}})", json_type);
    REQUIRE(saved);
    CHECK(saved->status == 204);
    CHECK(hq.drafts() == 1);
    auto resumed = json::parse(hq.client().Get("/s/" + token + "/card.json")->body);
    CHECK(resumed["draft"]["answers"]["recommend"] == 9);
    CHECK(resumed["draft"]["at"] == 1);
    CHECK(hq.cards().empty());  // a draft is never a card

    auto sent = c.Post("/s/" + token + "/submit", good_card, json_type);
    REQUIRE(sent);
    REQUIRE(sent->status == 200);
    auto receipt = json::parse(sent->body);
    auto cards = hq.cards();
    REQUIRE(cards.size() == 1);  // durable before the receipt was sent
    CHECK(journal::receipt(cards[0]) == receipt["receipt"]);
    CHECK(cards[0].site == "paris-01");
    CHECK(cards[0].device == "hq-web");
    CHECK(hq.drafts() == 0);

    // Used: the page says so with 410, a second submit and a draft change nothing.
    auto again = c.Post("/s/" + token + "/submit", good_card, json_type);
    REQUIRE(again);
    CHECK(again->status == 410);
    auto gone = c.Get("/s/" + token);
    CHECK(gone->status == 410);
    CHECK(gone->body.find("answered already") != std::string::npos);
    CHECK(c.Get("/s/" + token + "/card.json")->status == 410);
    CHECK(c.Put("/s/" + token + "/draft", "{}", json_type)->status == 410);
    CHECK(hq.cards().size() == 1);
    CHECK(hq.drafts() == 0);

    // The status link: received; read and answered not yet; nothing of the card.
    std::string const link = receipt["status"];
    // Its QR code, for the thank-you screen: an SVG the server made of the same link.
    CHECK(receipt["status_qr"].get<std::string>().starts_with("<svg "));
    auto status = c.Get(path_of(link));
    REQUIRE(status);
    CHECK(status->status == 200);
    CHECK(status->body.find("Received at head office") != std::string::npos);
    CHECK(status->body.find("2027-01-15T08:00:00Z") != std::string::npos);  // hq.now
    CHECK(status->body.find("recommend") == std::string::npos);
    // A check off by one character, another number or code: the same 404 as a made-up one.
    auto bad = path_of(link);
    bad.back() = bad.back() == '0' ? '1' : '0';
    CHECK(c.Get(bad)->status == 404);
    auto other = path_of(link);
    other.replace(other.find("&n=1&"), 5, "&n=2&");
    CHECK(c.Get(other)->status == 404);

    // After a restart the status page still knows the card, and the token is still used.
    hq.restart();
    auto c2 = hq.client();
    CHECK(c2.Get(path_of(link))->status == 200);
    CHECK(c2.Post("/s/" + token + "/submit", good_card, json_type)->status == 410);
    CHECK(hq.cards().size() == 1);
}

TEST_CASE("a table link: site and table from the link, cards limited per client") {
    head_office hq;
    auto c = hq.client();
    CHECK(c.Get("/t/paris-01/12")->status == 200);
    auto m = json::parse(c.Get("/t/paris-01/12/card.json")->body);
    CHECK(m["saves"] == false);
    // Unknown sites and names that are no names: 404, whatever the guest tries.
    for (auto const* path : {"/t/lyon-02/12", "/t/paris-01/..", "/t/paris-01/%2e%2e",
                             "/t/..%2fs/12", "/t/paris-01/12/../../s", "/t/paris-01"})
        CHECK_MESSAGE(c.Get(path)->status == 404, path);

    // A card saying it comes from another site is refused: the site is the link's.
    auto other =
        c.Post("/t/paris-01/12/submit",
               R"({"language":"en","answers":{"recommend":10,"satisfaction":5,"site":"lyon-02"}})",
               json_type);
    REQUIRE(other);
    CHECK(other->status == 422);
    CHECK(hq.cards().empty());

    for (std::size_t i = 0; i < serve::table_submits_per_window - 1; ++i)
        REQUIRE(c.Post("/t/paris-01/12/submit", good_card, json_type)->status == 200);
    auto over = c.Post("/t/paris-01/12/submit", good_card, json_type);
    REQUIRE(over);
    CHECK(over->status == 429);
    CHECK(hq.cards().size() == serve::table_submits_per_window - 1);
    for (auto const& r : hq.cards()) CHECK(r.site == "paris-01");
    hq.now += serve::rate_window.count();
    CHECK(hq.client().Post("/t/paris-01/12/submit", good_card, json_type)->status == 200);
}

TEST_CASE("hostile requests get a clear error and change nothing") {
    head_office hq;
    auto const token = hq.invite();
    auto c = hq.client();
    auto const submit = "/s/" + token + "/submit";
    auto error_of = [](httplib::Result const& r) {
        REQUIRE(r);
        return json::parse(r->body).value("error", "");
    };

    auto r = c.Post(submit, "{\"language\":\"en\",", json_type);
    CHECK(r->status == 400);
    CHECK(error_of(r).find("not a JSON object") != std::string::npos);
    r = c.Post(submit, std::string(10000, '[') + std::string(10000, ']'), json_type);
    CHECK(r->status == 400);
    r = c.Post(submit, good_card, "text/plain");
    CHECK(r->status == 415);
    r = c.Post(submit, std::string(kiosk::max_submit_bytes + 1, ' '), json_type);
    CHECK(r->status == 413);
    CHECK(error_of(r).find("at most") != std::string::npos);
    r = c.Put("/s/" + token + "/draft", std::string(serve::max_draft_bytes + 1, ' '), json_type);
    CHECK(r->status == 413);
    r = c.Put("/s/" + token + "/draft", "[1,2]", json_type);
    CHECK(r->status == 400);
    httplib::Headers const foreign{{"Origin", "http://evil.example"}};
    CHECK(c.Post(submit, foreign, good_card, json_type)->status == 403);
    httplib::Headers const rebound{{"Host", "evil.example"}};
    CHECK(c.Get("/s/" + token, rebound)->status == 403);
    CHECK(c.Delete(submit)->status == 405);
    CHECK(c.Get("/../../etc/passwd")->status == 404);
    CHECK(c.Get("/s/" + token + "/../../state/status.key")->status == 404);

    // Nothing of it was kept: the invitation is still open and takes its card.
    CHECK(hq.cards().empty());
    CHECK(hq.drafts() == 0);
    CHECK(c.Post(submit, good_card, json_type)->status == 200);
    CHECK(hq.cards().size() == 1);
}

TEST_CASE("guessing tokens and status checks is cut short per client") {
    head_office hq;
    auto const token = hq.invite();
    auto c = hq.client();
    for (std::size_t i = 0; i < serve::misses_per_window; ++i)
        REQUIRE(c.Get("/s/AAAAAAAAAAAAAAAAAAAA" + std::to_string(10 + i % 10))->status == 404);
    // Even the right token waits: a guesser cannot tell a hit.
    CHECK(c.Get("/s/" + token)->status == 429);
    CHECK(c.Get("/r/7KQ-4M2?d=hq-web&n=1&c=x")->status == 429);
    hq.now += serve::rate_window.count();
    CHECK(c.Get("/s/" + token)->status == 200);
}

TEST_CASE("one invitation submitted from many connections at once stores one card") {
    head_office hq;
    auto const token = hq.invite();
    constexpr int senders = 16;
    std::atomic<int> taken{0}, refused{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < senders; ++i)
        threads.emplace_back([&] {
            auto r = hq.client().Post("/s/" + token + "/submit", good_card, json_type);
            if (r && r->status == 200) ++taken;
            if (r && r->status == 410) ++refused;
        });
    for (auto& t : threads) t.join();
    CHECK(taken == 1);
    CHECK(refused == senders - 1);
    CHECK(hq.cards().size() == 1);
}

TEST_CASE("200 guests submitting at once: every receipt distinct and durable") {
    head_office hq;
    constexpr int guests = 200;
    std::vector<std::string> tokens;
    for (int i = 0; i < guests; ++i) tokens.push_back(hq.invite("B-" + std::to_string(i)));
    std::vector<std::string> receipts(guests);
    std::vector<std::thread> threads;
    for (int i = 0; i < guests; ++i)
        threads.emplace_back([&, i] {
            auto r = hq.client().Post("/s/" + tokens[i] + "/submit", good_card, json_type);
            if (r && r->status == 200) receipts[i] = json::parse(r->body)["signed_receipt"];
        });
    for (auto& t : threads) t.join();
    std::set<std::string> distinct(receipts.begin(), receipts.end());
    CHECK(distinct.size() == guests);
    CHECK_FALSE(distinct.contains(""));
    auto cards = hq.cards();
    CHECK(cards.size() == guests);
    std::set<std::uint64_t> seqs;
    for (auto const& r : cards) seqs.insert(r.seq);
    CHECK(seqs.size() == guests);
}
