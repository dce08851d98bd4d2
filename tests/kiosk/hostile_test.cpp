// What else may reach a kiosk than its page: JSON nested to overflow a stack, bodies over
// the limit however they are framed, other pages in the device's browser, DNS rebinding,
// and clients that send a byte now and then. Each is refused, writes nothing, and the
// guests go on being served.
#include <doctest/doctest.h>
#include <sys/resource.h>

#include <httplib.h>

#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>

#include "fixture.hpp"

using namespace candor;
using nlohmann::json;
using test::good_card;
using test::kiosk_on_disk;
using test::raw_connection;
using test::serving;
using test::status_of;
using clock_type = std::chrono::steady_clock;

namespace {

constexpr std::int64_t now = 1794000000;

std::string nested(std::size_t depth) {
    return std::string(depth, '[') + std::string(depth, ']');
}

std::string post(int port, std::string const& headers, std::string const& body) {
    return "POST /submit HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n" + headers +
           "Connection: close\r\n\r\n" + body;
}

std::string chunked(std::string_view body, std::size_t chunk) {
    std::string out;
    char size[32];
    for (std::size_t at = 0; at < body.size(); at += chunk) {
        auto piece = body.substr(at, chunk);
        std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
        out.append(size).append(piece).append("\r\n");
    }
    return out + "0\r\n\r\n";
}

std::string error_of(std::string const& answer) {
    auto body = answer.substr(answer.find("\r\n\r\n") + 4);
    return json::parse(body).at("error").get<std::string>();
}

long max_rss_kib() {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

}  // namespace

TEST_CASE("JSON nested past the bound is refused before it is parsed") {
    kiosk_on_disk k;
    // 70,000 levels, 140 KB: once a stack overflow in the parser.
    auto deep = k.desk.submit(nested(70000), now);
    CHECK(deep.status == 400);
    CHECK(json::parse(deep.body)["error"].get<std::string>().find("nests deeper than 64") !=
          std::string::npos);
    auto inside = k.desk.submit(
        R"({"language":"en","answers":{"recommend":)" + nested(kiosk::max_json_depth) + "}}", now);
    CHECK(inside.status == 400);
    CHECK(inside.body.find("nests deeper") != std::string::npos);
    // At the bound the engine reads it, and says what is wrong with the answer.
    std::string at_bound =
        R"({"language":"en","answers":{"recommend":)" + nested(kiosk::max_json_depth - 2) + "}}";
    CHECK(k.desk.submit(at_bound, now).status == 422);
    // Brackets inside texts are text.
    auto text = k.desk.submit(
        R"({"language":"en","answers":{"recommend":10,"satisfaction":5,"best_part":")" +
            std::string(100, '[') + R"(\"[[["}})",
        now);
    CHECK(text.status == 200);
    CHECK(k.written() == 1);

    serving s(k.desk);
    raw_connection c(s.port);
    REQUIRE(c.send(post(s.port, "Content-Type: application/json\r\nContent-Length: 140000\r\n",
                        nested(70000))));
    auto answer = c.receive();
    CHECK(status_of(answer) == 400);
    CHECK(error_of(answer).find("nests deeper") != std::string::npos);
    CHECK(k.written() == 1);
}

TEST_CASE("only the kiosk's own page may submit: Content-Type, Origin and Host are checked") {
    kiosk_on_disk k;
    serving s(k.desk, {.host_names = {"Kiosk-3.lan"}});
    auto const port = std::to_string(s.port);
    httplib::Client client("127.0.0.1", s.port);
    auto submit = [&](httplib::Headers headers, std::string type) {
        auto r = client.Post("/submit", headers, good_card, type);
        REQUIRE(r);
        return r->status;
    };
    // A form or a fetch without a preflight from any page can send text/plain.
    CHECK(submit({}, "text/plain") == 415);
    CHECK(submit({}, "application/x-www-form-urlencoded") == 415);
    CHECK(submit({}, "application/jsonx") == 415);
    CHECK(submit({{"Origin", "http://evil.example"}}, "application/json") == 403);
    CHECK(submit({{"Origin", "null"}}, "application/json") == 403);
    CHECK(submit({{"Origin", "http://127.0.0.1:1"}}, "application/json") == 403);
    // A rebound name reaches the kiosk's address with the attacker's Host.
    CHECK(submit({{"Host", "evil.example:" + port}}, "application/json") == 403);
    CHECK(submit({{"Host", "127.0.0.1:1"}}, "application/json") == 403);
    CHECK(submit({{"Host", "127.0.0.1"}}, "application/json") == 403);
    auto page = client.Get("/", {{"Host", "evil.example:" + port}});
    REQUIRE(page);
    CHECK(page->status == 403);
    CHECK(k.written() == 0);

    // What the kiosk's page sends, from each name the kiosk answers to.
    CHECK(submit({{"Origin", "http://127.0.0.1:" + port}}, "application/json; charset=utf-8") ==
          200);
    CHECK(submit({{"Host", "localhost:" + port}, {"Origin", "http://localhost:" + port}},
                 "application/json") == 200);
    CHECK(submit({{"Host", "kiosk-3.lan:" + port}}, "Application/JSON") == 200);
    CHECK(client.Get("/", {{"Host", "localhost:" + port}})->status == 200);
    CHECK(k.written() == 3);
}

TEST_CASE("other paths and methods are answered without reading their bodies") {
    kiosk_on_disk k;
    serving s(k.desk);
    httplib::Client client("127.0.0.1", s.port);
    CHECK(client.Get("/submit")->status == 405);
    CHECK(client.Post("/", good_card, "application/json")->status == 405);
    CHECK(client.Put("/submit", good_card, "application/json")->status == 405);
    CHECK(client.Options("/submit")->status == 405);
    CHECK(client.Post("/elsewhere", good_card, "application/json")->status == 404);
    // A chunked body to a path no route takes is not read into memory first.
    raw_connection c(s.port);
    REQUIRE(c.send("POST /elsewhere HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(s.port) +
                   "\r\nTransfer-Encoding: chunked\r\n\r\n"));
    CHECK(status_of(c.receive()) == 404);
    CHECK(k.written() == 0);
}

TEST_CASE("the body limit holds whatever the transfer encoding, and nothing is written") {
    kiosk_on_disk k;
    serving s(k.desk);
    auto const json_type = "Content-Type: application/json\r\n";
    // A card over the limit, padded with spaces: as JSON it would be accepted.
    std::string big = good_card;
    big.insert(1, std::string(kiosk::max_submit_bytes, ' '));
    SUBCASE("with a length") {
        raw_connection c(s.port);
        REQUIRE(c.send(
            post(s.port,
                 json_type + std::string("Content-Length: ") + std::to_string(big.size()) + "\r\n",
                 big)));
        auto answer = c.receive();
        CHECK(status_of(answer) == 413);
        CHECK(error_of(answer).find("at most 262144 bytes") != std::string::npos);
    }
    SUBCASE("chunked, 5 MB") {
        std::string five(5 << 20, ' ');
        five.replace(five.size() - sizeof good_card + 1, sizeof good_card - 1, good_card);
        raw_connection c(s.port);
        c.send(post(s.port, json_type + std::string("Transfer-Encoding: chunked\r\n"),
                    chunked(five, 64 << 10)));
        CHECK(status_of(c.receive()) == 413);
    }
    SUBCASE("chunked in small pieces") {
        raw_connection c(s.port);
        c.send(post(s.port, json_type + std::string("Transfer-Encoding: chunked\r\n"),
                    chunked(big, 100)));
        CHECK(status_of(c.receive()) == 413);
    }
    SUBCASE("with neither length nor chunks: read to the end of the connection") {
        raw_connection c(s.port);
        c.send("POST /submit HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(s.port) + "\r\n" +
               json_type + "\r\n" + big);
        CHECK(status_of(c.receive()) == 413);
    }
    CHECK(k.written() == 0);
    // Under the limit, chunked is fine.
    raw_connection c(s.port);
    REQUIRE(c.send(post(s.port, json_type + std::string("Transfer-Encoding: chunked\r\n"),
                        chunked(good_card, 7))));
    CHECK(status_of(c.receive()) == 200);
    CHECK(k.written() == 1);
}

TEST_CASE("a 50 MB chunked body is not read: the server stops at the limit") {
    kiosk_on_disk k;
    serving s(k.desk);
    auto const before = max_rss_kib();
    raw_connection c(s.port);
    REQUIRE(c.send(
        post(s.port, "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n", "")));
    std::atomic<std::size_t> sent = 0;
    std::thread sender([&] {
        std::string chunk(1 << 20, ' ');
        std::string framed = "100000\r\n" + chunk + "\r\n";
        for (int i = 0; i < 50 && c.send(framed); ++i) sent += chunk.size();
    });
    auto answer = c.receive();
    sender.join();
    CHECK(status_of(answer) == 413);
    // What the kernel's buffers took before the server hung up, far short of 50 MB.
    CHECK(sent < std::size_t(24) << 20);
    CHECK(max_rss_kib() - before < 24 * 1024);
    CHECK(k.written() == 0);
}

TEST_CASE("a request line without its end is not read forever") {
    kiosk_on_disk k;
    serving s(k.desk);
    raw_connection c(s.port);
    std::atomic<std::size_t> sent = 0;
    std::thread sender([&] {
        std::string const line(1 << 20, 'A');
        REQUIRE(c.send("GET /"));
        for (int i = 0; i < 64 && c.send(line); ++i) sent += line.size();
    });
    c.receive();  // until the server hangs up
    sender.join();
    CHECK(sent < std::size_t(24) << 20);
    // And the next guest is served.
    httplib::Client client("127.0.0.1", s.port);
    CHECK(client.Get("/")->status == 200);
}

TEST_CASE("slow clients do not keep the guests waiting") {
    kiosk_on_disk k;
    // A byte every 2 s from each: a request that would take minutes to arrive.
    auto drip = [](std::vector<std::unique_ptr<raw_connection>>& slow, std::atomic<bool>& done) {
        std::string const request = "POST /submit HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        for (std::size_t i = 0; !done && i < request.size(); ++i) {
            for (auto& c : slow) c->send(request.substr(i, 1));
            for (int t = 0; !done && t < 20; ++t)
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    };
    auto guest = [](int port) {
        httplib::Client client("127.0.0.1", port);
        client.set_read_timeout(30);
        auto page = client.Get("/");
        auto sent = client.Post("/submit", good_card, "application/json");
        return page && page->status == 200 && sent && sent->status == 200;
    };

    SUBCASE("eight of them: served beside them") {
        serving s(k.desk);
        std::vector<std::unique_ptr<raw_connection>> slow;
        for (int i = 0; i < 8; ++i) slow.push_back(std::make_unique<raw_connection>(s.port));
        std::atomic<bool> done = false;
        std::thread dripping([&] { drip(slow, done); });
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        auto const start = clock_type::now();
        CHECK(guest(s.port));
        // Long before the deadline would have freed a thread.
        CHECK(clock_type::now() - start < kiosk::request_deadline / 2);
        for (auto& c : slow) CHECK_FALSE(c->ended());
        done = true;
        dripping.join();
    }
    SUBCASE("more than the server's threads: each is cut at the deadline") {
        auto const deadline = std::chrono::milliseconds(2000);
        serving s(k.desk, {.deadline = deadline});
        std::vector<std::unique_ptr<raw_connection>> slow;
        for (std::size_t i = 0; i < kiosk::server_threads + 4; ++i)
            slow.push_back(std::make_unique<raw_connection>(s.port));
        std::atomic<bool> done = false;
        std::thread dripping([&] { drip(slow, done); });
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        auto const start = clock_type::now();
        CHECK(guest(s.port));
        CHECK(clock_type::now() - start < deadline + kiosk::io_timeout);
        done = true;
        dripping.join();
        // Each was told, once its time was up.
        for (auto& c : slow) CHECK(status_of(c->receive(deadline * 2)) == 408);
    }
    CHECK(k.written() == 1);
}
