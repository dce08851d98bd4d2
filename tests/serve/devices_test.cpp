// Devices pushing their journals to candor serve over real HTTP on 127.0.0.1 (candor::sync):
// resumed after the server was stopped and restarted, repeated, two at once: every card once
// at head office; bad signatures, stale times, replays, strangers, gaps, broken chains and
// huge bodies refused with a JSON problem, nothing stored; the kiosk's background pusher.
#include <doctest/doctest.h>
#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "candor/journal/bundle.hpp"
#include "candor/journal/inspect.hpp"
#include "candor/journal/journal.hpp"
#include "candor/journal/store.hpp"
#include "candor/kiosk/pusher.hpp"
#include "candor/seal/keys.hpp"
#include "candor/serve/server.hpp"
#include "candor/survey/parse.hpp"
#include "candor/sync/push.hpp"
#include "candor/sync/request.hpp"
#include "candor/time.hpp"
#include "serve/fixture.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace candor;
using json = nlohmann::json;

namespace {

constexpr std::int64_t t0 = 1'800'000'000;

journal::card card_number(int i) {
    return {"hotel-stay", 3, "paris-01", t0 + i,
            R"({"survey":"hotel-stay","version":3,"language":"en","fields":{"site":"paris-01"},)"
            R"("submitted":")" +
                format_timestamp(t0 + i) + R"(","answers":{"recommend":)" + std::to_string(i % 11) +
                "}}"};
}

// A device: its key and its journal, written with fsync.
struct device {
    fs::path dir;
    seal::device_secret key;
    seal::hq_public hq;
    void add(int from, int to) {
        auto j = journal::journal::open(dir, key, hq);
        REQUIRE(j);
        std::vector<journal::card> cards;
        for (int i = from; i <= to; ++i) cards.push_back(card_number(i));
        REQUIRE(j->submit(cards));
    }
    seal::digest hash_of(std::uint64_t seq) const {
        for (auto const& r : journal::inspect_journal(dir).records)
            if (r.seq == seq) return journal::record_hash(r);
        FAIL("no card " << seq);
        return {};
    }
};

// candor serve with --store on a fixed port, stopped and started again at will.
struct head_office : serve::testing::pushing_keys {
    test::temp_dir dir;
    seal::device_secret stranger = seal::make_device_keys("kiosk-x");
    std::atomic<std::int64_t> now{t0};
    std::unique_ptr<serve::server> server;
    int port = 0;
    std::thread thread;

    head_office() { start(); }
    ~head_office() { stop(); }

    void start() {
        serve::settings s;
        s.sites = {"paris-01"};
        s.fields = {{"channel", "web"}, {"shift", "day"}};
        s.clock = [this] { return now.load(); };
        s.devices = serve::device_intake{dir / "store",
                                         seal::device_list{{a.public_part(), b.public_part()}}, hq};
        auto survey = survey::parse_file(CANDOR_SOURCE_DIR "/examples/surveys/hotel-stay.survey");
        REQUIRE(survey);
        auto opened =
            serve::server::open(dir / "state", {*survey}, server_key, hq.public_part(), s);
        if (!opened) FAIL(render(opened.error()));
        server = std::move(*opened);
        port = server->bind("127.0.0.1", port).value();
        thread = std::thread([this] { server->listen(); });
        // Serving before anything stops it again (a stop before listen() would be lost).
        httplib::Client probe("127.0.0.1", port);
        for (int i = 0; i < 500 && !probe.Get("/kiosk.css"); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    void stop() {
        if (!server) return;
        server->stop();
        thread.join();
        server.reset();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
    device device_of(seal::device_secret const& k) const {
        return {dir / k.id, k, hq.public_part()};
    }
    sync::push_settings settings() {
        sync::push_settings s;
        s.server = url();
        s.clock = [this] { return now.load(); };
        s.sleep = [](std::chrono::milliseconds) {};
        return s;
    }
    // Every record in the store, read while the server runs (it holds the store only while
    // a push is stored).
    std::map<std::string, std::vector<std::uint64_t>> stored() {
        std::map<std::string, std::vector<std::uint64_t>> out;
        auto st = journal::store::open(dir / "store");
        REQUIRE(st);
        st->for_each([&](journal::record const& r) { out[r.device].push_back(r.seq); });
        return out;
    }
};

// A signed request made by hand, as a hostile device would.
struct signed_call {
    std::string method = "POST", target = "/d/push";
    std::string body;
    sync::request_signature sig;
};

signed_call signed_push(seal::device_secret const& key, std::string body, std::int64_t now) {
    signed_call c{"POST", "/d/push", std::move(body), {}};
    c.sig = sync::sign_request(key, c.method, c.target, seal::as_bytes(c.body), now);
    return c;
}

httplib::Result send(head_office const& hq, signed_call const& c) {
    httplib::Client client("127.0.0.1", hq.port);
    client.set_read_timeout(std::chrono::seconds(30));
    httplib::Headers const h{{sync::device_header, c.sig.device},
                             {sync::time_header, std::to_string(c.sig.time)},
                             {sync::nonce_header, c.sig.nonce},
                             {sync::signature_header, c.sig.signature}};
    if (c.method == "GET") return client.Get(c.target, h);
    return client.Post(c.target, h, c.body, "application/octet-stream");
}

std::string bundle_after(device const& d, std::uint64_t after, std::int64_t now) {
    auto made = journal::make_bundle(d.dir, after, d.key, now);
    REQUIRE(made);
    return std::string(made->data.begin(), made->data.end());
}

std::uint64_t held_seq(head_office& hq, seal::device_secret const& key) {
    signed_call c{"GET", "/d/head?device=" + key.id, "", {}};
    c.sig = sync::sign_request(key, c.method, c.target, {}, hq.now);
    auto r = send(hq, c);
    REQUIRE(r);
    REQUIRE(r->status == 200);
    return json::parse(r->body)["seq"].get<std::uint64_t>();
}

}  // namespace

TEST_CASE("push: the new cards reach head office once, a repeated push stores nothing more") {
    head_office hq;
    auto d = hq.device_of(hq.a);
    d.add(1, 5);
    auto pushed = sync::push(d.dir, d.key, hq.settings());
    if (!pushed) FAIL(render(pushed.error()));
    CHECK(pushed->sent == 5);
    CHECK(pushed->accepted == 5);
    CHECK(pushed->held.seq == 5);
    CHECK(pushed->held.hash == d.hash_of(5));
    CHECK(pushed->attempts == 1);

    // Nothing new: nothing sent.
    auto again = sync::push(d.dir, d.key, hq.settings());
    REQUIRE(again);
    CHECK(again->sent == 0);
    CHECK(again->held.seq == 5);

    // The same bundle twice, each request signed anew: stored once.
    auto const bundle = bundle_after(d, 0, hq.now);
    for (int i = 0; i < 2; ++i) {
        auto r = send(hq, signed_push(d.key, bundle, hq.now));
        REQUIRE(r);
        CHECK(r->status == 200);
        auto body = json::parse(r->body);
        CHECK(body["accepted"] == 0);
        CHECK(body["duplicates"] == 5);
    }
    d.add(6, 7);
    auto more = sync::push(d.dir, d.key, hq.settings());
    REQUIRE(more);
    CHECK(more->sent == 2);
    CHECK(more->accepted == 2);
    CHECK(hq.stored()["kiosk-a"] == std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6, 7});

    // A backlog far over a guest's card (256 KiB) goes in one push.
    d.add(8, 900);
    REQUIRE(bundle_after(d, 7, hq.now).size() > 256 * 1024);
    auto backlog = sync::push(d.dir, d.key, hq.settings());
    if (!backlog) FAIL(render(backlog.error()));
    CHECK(backlog->accepted == 893);
    CHECK(backlog->held.seq == 900);
}

TEST_CASE("push: beside another command holding the store, a push waits for it and is taken") {
    head_office hq;
    auto d = hq.device_of(hq.a);
    d.add(1, 3);
    // As `candor route run` or `hq import` holds it for a moment while the server runs.
    auto held = std::make_unique<journal::store>(journal::store::open(hq.dir / "store").value());
    std::thread release([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        CHECK(held->size() == 0);  // nothing stored while it was held
        held.reset();
    });
    auto pushed = sync::push(d.dir, d.key, hq.settings());
    release.join();
    if (!pushed) FAIL(render(pushed.error()));
    CHECK(pushed->accepted == 3);
    CHECK(hq.stored()["kiosk-a"] == std::vector<std::uint64_t>{1, 2, 3});
}

TEST_CASE("push: the server stopped mid-push and restarted, the device resumes, none lost") {
    head_office hq;
    auto d = hq.device_of(hq.a);
    d.add(1, 4);
    REQUIRE(sync::push(d.dir, d.key, hq.settings()));
    d.add(5, 12);

    // The bundle reached the server, its answer did not (the network cut after the write).
    REQUIRE(send(hq, signed_push(d.key, bundle_after(d, 4, hq.now), hq.now))->status == 200);
    d.add(13, 15);

    // The server goes down; the device retries with growing pauses, and during the second the
    // server is back (same store, same port).
    hq.stop();
    std::vector<std::chrono::milliseconds> pauses;
    auto s = hq.settings();
    s.sleep = [&](std::chrono::milliseconds p) {
        pauses.push_back(p);
        if (pauses.size() == 2) hq.start();
    };
    auto pushed = sync::push(d.dir, d.key, s);
    REQUIRE(pushed);
    CHECK(pushed->attempts == 3);
    REQUIRE(pauses.size() == 2);
    CHECK(pauses[1] == 2 * pauses[0]);
    // It resumed from what head office confirmed (12), not from what it last sent (4).
    CHECK(pushed->sent == 3);
    CHECK(pushed->accepted == 3);
    CHECK(pushed->held.seq == 15);
    std::vector<std::uint64_t> all(15);
    for (std::uint64_t i = 0; i < 15; ++i) all[i] = i + 1;
    CHECK(hq.stored()["kiosk-a"] == all);

    // Down for good: every attempt fails, and says so.
    hq.stop();
    auto down = hq.settings();
    down.attempts = 3;
    auto failed = sync::push(d.dir, d.key, down);
    REQUIRE_FALSE(failed);
    CHECK(failed.error().front().code == "unreachable");
    hq.start();
}

TEST_CASE("push: two devices at once, every card of each once") {
    head_office hq;
    auto da = hq.device_of(hq.a);
    auto db = hq.device_of(hq.b);
    std::atomic<int> ok{0};
    auto run = [&](device& d) {
        for (int round = 0; round < 5; ++round) {
            d.add(round * 6 + 1, round * 6 + 6);
            if (sync::push(d.dir, d.key, hq.settings())) ++ok;
        }
    };
    std::thread ta([&] { run(da); });
    std::thread tb([&] { run(db); });
    ta.join();
    tb.join();
    CHECK(ok == 10);
    auto stored = hq.stored();
    std::vector<std::uint64_t> all(30);
    for (std::uint64_t i = 0; i < 30; ++i) all[i] = i + 1;
    CHECK(stored["kiosk-a"] == all);
    CHECK(stored["kiosk-b"] == all);
}

TEST_CASE("push: hostile requests get a JSON problem and store nothing") {
    head_office hq;
    auto d = hq.device_of(hq.a);
    d.add(1, 3);
    REQUIRE(sync::push(d.dir, d.key, hq.settings()));
    d.add(4, 6);
    auto const next = bundle_after(d, 3, hq.now);
    auto const refused = [&](httplib::Result const& r, int status, std::string const& code) {
        REQUIRE(r);
        CHECK(r->status == status);
        auto body = json::parse(r->body, nullptr, false);
        REQUIRE(body.is_object());
        CHECK(body["code"] == code);
        CHECK_FALSE(body["error"].get<std::string>().empty());
        CHECK(held_seq(hq, hq.a) == 3);
    };

    SUBCASE("a signature that is not the device's") {
        auto c = signed_push(d.key, next, hq.now);
        c.sig.signature = signed_push(hq.b, next, hq.now).sig.signature;
        refused(send(hq, c), 401, "bad-signature");
    }
    SUBCASE("a body that is not the one signed") {
        auto c = signed_push(d.key, next, hq.now);
        c.body = bundle_after(d, 4, hq.now);
        refused(send(hq, c), 401, "bad-signature");
    }
    SUBCASE("a stale time") {
        refused(send(hq, signed_push(d.key, next, hq.now - 2 * sync::request_skew.count())), 401,
                "stale-request");
    }
    SUBCASE("a replayed request") {
        hq.device_of(hq.b).add(1, 1);
        auto const c = signed_push(hq.b, bundle_after(hq.device_of(hq.b), 0, hq.now), hq.now);
        REQUIRE(send(hq, c)->status == 200);
        auto again = send(hq, c);
        REQUIRE(again);
        CHECK(again->status == 401);
        CHECK(json::parse(again->body)["code"] == "replayed-request");
        CHECK(held_seq(hq, hq.b) == 1);
    }
    SUBCASE("unsigned") {
        httplib::Client client("127.0.0.1", hq.port);
        auto r = client.Post("/d/push", next, "application/octet-stream");
        refused(r, 401, "bad-request");
    }
    SUBCASE("an unknown device") {
        auto x = hq.device_of(hq.stranger);
        x.add(1, 2);
        refused(send(hq, signed_push(hq.stranger, bundle_after(x, 0, hq.now), hq.now)), 403,
                "unknown-device");
    }
    SUBCASE("another device's bundle") {
        refused(send(hq, signed_push(hq.b, next, hq.now)), 422, "foreign-bundle");
    }
    SUBCASE("a gap: cards after one head office does not hold") {
        refused(send(hq, signed_push(d.key, bundle_after(d, 4, hq.now), hq.now)), 422, "gap");
    }
    SUBCASE("a broken chain: cards that do not follow the ones held") {
        // Another journal under the same key: its cards 4-6 link to its own card 3.
        device forked{hq.dir / "forked", d.key, d.hq};
        forked.add(101, 106);
        refused(send(hq, signed_push(d.key, bundle_after(forked, 3, hq.now), hq.now)), 422,
                "chain-break");
    }
    SUBCASE("a damaged bundle") {
        auto bad = next;
        bad[bad.size() - 10] ^= 0x40;
        auto r = send(hq, signed_push(d.key, bad, hq.now));
        REQUIRE(r);
        CHECK(r->status == 422);
        CHECK(held_seq(hq, hq.a) == 3);
    }
    SUBCASE("a huge body") {
        std::string huge(sync::max_push_bytes + 1, 'x');
        auto r = send(hq, signed_push(d.key, huge, hq.now));
        // The 413 goes out before the body is read; a client still sending may see the
        // connection reset instead of it.
        if (r) {
            CHECK(r->status == 413);
            CHECK(json::parse(r->body, nullptr, false).is_object());
        }
        CHECK(held_seq(hq, hq.a) == 3);
    }
    SUBCASE("asking for another device's head") {
        signed_call c{"GET", "/d/head?device=kiosk-b", "", {}};
        c.sig = sync::sign_request(d.key, c.method, c.target, {}, hq.now);
        refused(send(hq, c), 403, "foreign-device");
    }
    // Refused or not, the device's own push then goes through.
    auto pushed = sync::push(d.dir, d.key, hq.settings());
    REQUIRE(pushed);
    CHECK(pushed->held.seq == 6);
    CHECK(hq.stored()["kiosk-a"] == std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6});
}

TEST_CASE("push: the kiosk pushes in the background after each card, the receipt never waits") {
    head_office hq;
    hq.stop();  // head office unreachable
    auto d = hq.device_of(hq.a);
    auto j = journal::journal::open(d.dir, d.key, d.hq);
    REQUIRE(j);
    auto s = hq.settings();
    s.attempts = 2;
    s.first_pause = std::chrono::milliseconds(10);
    kiosk::pusher p(d.dir, d.key, s);
    auto keep = kiosk::pushing(kiosk::keep_in(std::move(*j)), p);
    auto const settled = [&](std::uint64_t seq) {
        for (int i = 0; i < 3000; ++i) {
            if (auto last = p.last(); last && *last && (*last)->held.seq == seq) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    };

    // The card is durable and its receipt given while no push can succeed.
    auto first = keep(card_number(1));
    REQUIRE(first);
    CHECK(first->seq == 1);
    for (int i = 0; i < 3000 && !p.last(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    REQUIRE(p.last());
    REQUIRE_FALSE(*p.last());
    CHECK(p.last()->error().front().code == "unreachable");

    // Head office is back: the next card takes the one left behind with it.
    hq.start();
    REQUIRE(keep(card_number(2)));
    CHECK(settled(2));
    REQUIRE(keep(card_number(3)));
    CHECK(settled(3));
    CHECK(hq.stored()["kiosk-a"] == std::vector<std::uint64_t>{1, 2, 3});
}
