// A kiosk's cards followed from the guest's phone: the status key head office derives for
// each device, the kiosk's thank-you reply with its link and QR code, and the link at head
// office (candor serve --devices) over real HTTP on 127.0.0.1: "on its way" until the kiosk
// pushed the card, "received" after, still after a restart and when the cards-received log
// was lost; forged links and other devices' checks 404 as any unknown link.
#include <doctest/doctest.h>
#include <httplib.h>

#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "candor/journal/journal.hpp"
#include "candor/kiosk/desk.hpp"
#include "candor/kiosk/page_model.hpp"
#include "candor/kiosk/server.hpp"
#include "candor/receipt/qr.hpp"
#include "candor/receipt/status.hpp"
#include "candor/seal/keys.hpp"
#include "candor/serve/server.hpp"
#include "candor/survey/parse.hpp"
#include "candor/sync/push.hpp"
#include "candor/time.hpp"
#include "kiosk/fixture.hpp"
#include "serve/fixture.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace candor;
using json = nlohmann::json;

namespace {

constexpr char base[] = "https://feedback.example.com";

unsigned mode_of(fs::path const& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

std::string path_of(std::string const& link) {
    return link.substr(link.find("/r/"));
}

// What the status page at `link` says under "Received at head office".
std::string received_of(httplib::Client& c, std::string const& link) {
    auto r = c.Get(path_of(link));
    REQUIRE(r);
    REQUIRE(r->status == 200);
    CHECK(r->body.find("recommend") == std::string::npos);  // nothing of the card
    std::string const dd = "<dd id=\"received\">";
    auto const at = r->body.find(dd);
    REQUIRE(at != std::string::npos);
    return r->body.substr(at + dd.size(), r->body.find("</dd>", at) - at - dd.size());
}

// candor serve taking kiosk-a's and kiosk-b's pushes, with a clock the test moves.
struct head_office : serve::testing::pushing_keys {
    test::temp_dir dir;
    std::atomic<std::int64_t> now{1'800'000'000};
    serve::testing::running_server running;

    head_office() { start(); }

    void start() {
        serve::settings s;
        s.sites = {"paris-01"};
        s.fields = {{"channel", "web"}, {"shift", "day"}};
        s.status_base = base;
        s.clock = [this] { return now.load(); };
        s.devices = serve::device_intake{dir / "store",
                                         seal::device_list{{a.public_part(), b.public_part()}}, hq};
        running.run(
            serve::server::open(dir / "state", {test::hotel()}, server_key, hq.public_part(), s));
    }
    void restart() {
        running.stop();
        start();
    }
    httplib::Client client() const { return running.client(); }
    sync::push_settings to() {
        sync::push_settings s;
        s.server = "http://127.0.0.1:" + std::to_string(running.port);
        s.clock = [this] { return now.load(); };
        s.sleep = [](std::chrono::milliseconds) {};
        return s;
    }
};

// A kiosk of head office's, its journal on disk, serving its card with status links.
struct kiosk_at {
    fs::path journal_dir;
    seal::device_secret key;
    kiosk::desk desk;
    test::serving http;

    kiosk_at(head_office& hq, seal::device_secret const& k, receipt::status_key status)
        : journal_dir(hq.dir / k.id), key(k), desk(make(hq)), http(desk, settings(status)) {}

    kiosk::desk make(head_office& hq) {
        auto s = test::hotel();
        auto fields = journal::settle(s, {key.id, test::paris});
        REQUIRE(fields);
        auto j = journal::journal::open(journal_dir, key, hq.hq.public_part());
        REQUIRE(j);
        return kiosk::desk(std::move(s), std::move(*fields), kiosk::keep_in(std::move(*j)));
    }
    static kiosk::server_settings settings(receipt::status_key status) {
        kiosk::server_settings s;
        s.status = kiosk::status_links{base, status};
        return s;
    }
    // The thank-you reply to a good card.
    json submit() {
        httplib::Client c("127.0.0.1", http.port);
        auto r = c.Post("/submit", test::good_card, "application/json");
        REQUIRE(r);
        REQUIRE(r->status == 200);
        return json::parse(r->body);
    }
};

}  // namespace

TEST_CASE("status keys: one per device, derived from head office's, none making another's") {
    auto const hq = receipt::make_status_key();
    auto const a = receipt::device_status_key(hq, "kiosk-a");
    auto const b = receipt::device_status_key(hq, "kiosk-b");
    CHECK(a.bytes != b.bytes);
    CHECK(a.bytes != hq.bytes);
    CHECK(receipt::device_status_key(hq, "kiosk-a").bytes == a.bytes);
    CHECK(receipt::device_status_key(receipt::make_status_key(), "kiosk-a").bytes != a.bytes);

    receipt::card_ref const card{"kiosk-a", 3, "7KQ-4M2"};
    auto const check = receipt::status_check(a, card);
    CHECK(receipt::status_check_ok(a, card, check));
    CHECK_FALSE(receipt::status_check_ok(b, card, check));
    CHECK_FALSE(receipt::status_check_ok(hq, card, check));
    CHECK_FALSE(receipt::status_check_ok(a, {"kiosk-b", 3, "7KQ-4M2"}, check));

    // The key file a kiosk is given: 0600, read back the same; a missing or wrong one fails.
    test::temp_dir dir;
    REQUIRE(receipt::write_status_key(dir / "kiosk-a.status", a));
    CHECK(mode_of(dir / "kiosk-a.status") == 0600);
    auto read = receipt::read_status_key(dir / "kiosk-a.status");
    REQUIRE(read);
    CHECK(read->bytes == a.bytes);
    auto missing = receipt::read_status_key(dir / "none");
    REQUIRE_FALSE(missing);
    CHECK(missing.error()[0].code == "io");
    CHECK_FALSE(fs::exists(dir / "none"));  // read, never made
    std::ofstream(dir / "short") << "not a key";
    auto bad = receipt::read_status_key(dir / "short");
    REQUIRE_FALSE(bad);
    CHECK(bad.error()[0].code == "bad-key");
}

TEST_CASE("status keys: head office issues a device's from its state, never its own device's") {
    head_office hq;
    auto const state = hq.dir / "state";
    auto key = serve::device_status_key(state, "kiosk-a");
    REQUIRE(key);
    CHECK(key->bytes == receipt::device_status_key(hq.running.server->key(), "kiosk-a").bytes);
    CHECK(mode_of(state / "status.key") == 0600);

    auto own = serve::device_status_key(state, "hq-web");
    REQUIRE_FALSE(own);
    CHECK(own.error()[0].code == "own-device");
    auto odd = serve::device_status_key(state, "../kiosk");
    REQUIRE_FALSE(odd);
    CHECK(odd.error()[0].code == "invalid-device-id");

    // Before the server ever ran: the status key is made then, and the server keeps it.
    test::temp_dir fresh;
    auto early = serve::device_status_key(fresh / "state", "kiosk-a");
    REQUIRE(early);
    auto const made = receipt::read_status_key(fresh / "state" / "status.key");
    REQUIRE(made);
    CHECK(early->bytes == receipt::device_status_key(*made, "kiosk-a").bytes);
}

TEST_CASE("a kiosk's thank-you reply: its card's status link and the link's QR code") {
    head_office hq;
    auto const a = serve::device_status_key(hq.dir / "state", "kiosk-a");
    REQUIRE(a);
    kiosk_at kiosk(hq, hq.a, *a);
    auto const reply = kiosk.submit();
    std::string const code = reply["receipt"];
    std::uint64_t const seq = reply["seq"];
    std::string const link = reply["status"];
    CHECK(link.starts_with(std::string(base) + "/r/" + code +
                           "?d=kiosk-a&n=" + std::to_string(seq) + "&c="));
    auto const check = link.substr(link.find("&c=") + 3);
    CHECK(receipt::status_check_ok(*a, {"kiosk-a", seq, code}, check));
    CHECK_FALSE(
        receipt::status_check_ok(receipt::device_status_key(hq.running.server->key(), "kiosk-b"),
                                 {"kiosk-a", seq, code}, check));
    // The QR code is the link's (qr_test reads a code back as a QR symbol).
    auto const qr = receipt::qr_svg(link, kiosk::status_qr_module_px);
    REQUIRE(qr);
    CHECK(reply["status_qr"] == *qr);

    // The next card, the next link; a refused card gets none.
    auto const next = kiosk.submit();
    CHECK(next["status"] != reply["status"]);
    httplib::Client c("127.0.0.1", kiosk.http.port);
    auto refused =
        c.Post("/submit", R"({"language":"en","answers":{"recommend":10}})", "application/json");
    REQUIRE(refused);
    CHECK(refused->status == 422);
    CHECK(json::parse(refused->body).count("status") == 0);

    // A kiosk without status links answers as before.
    test::kiosk_on_disk plain;
    test::serving bare(plain.desk);
    httplib::Client p("127.0.0.1", bare.port);
    auto r = p.Post("/submit", test::good_card, "application/json");
    REQUIRE(r);
    REQUIRE(r->status == 200);
    CHECK(json::parse(r->body).count("status") == 0);
}

TEST_CASE("a kiosk card's status at head office: on its way, received once pushed, kept") {
    head_office hq;
    auto const a = serve::device_status_key(hq.dir / "state", "kiosk-a");
    REQUIRE(a);
    kiosk_at kiosk(hq, hq.a, *a);
    std::string const link = kiosk.submit()["status"];
    auto c = hq.client();

    CHECK(received_of(c, link).find("on its way") != std::string::npos);

    hq.now += 60;
    auto const pushed_at = hq.now.load();
    auto pushed = sync::push(kiosk.journal_dir, kiosk.key, hq.to());
    if (!pushed) FAIL(render(pushed.error()));
    CHECK(pushed->accepted == 1);
    CHECK(received_of(c, link) == format_timestamp(pushed_at));
    CHECK(c.Get(path_of(link))->body.find("<dd id=\"read\">not yet</dd>") != std::string::npos);

    // A second card on its way beside the first received.
    std::string const second = kiosk.submit()["status"];
    CHECK(received_of(c, second).find("on its way") != std::string::npos);

    // After a restart, the time it was received, not the restart's.
    hq.now += 3600;
    hq.restart();
    auto c2 = hq.client();
    CHECK(received_of(c2, link) == format_timestamp(pushed_at));
    CHECK(received_of(c2, second).find("on its way") != std::string::npos);

    // The log of cards received lost (a crash between the store's write and the log's): the
    // cards the store holds are found there at the next start.
    hq.running.stop();
    fs::remove_all(hq.dir / "state" / "received");
    hq.now += 60;
    hq.start();
    auto c3 = hq.client();
    CHECK(received_of(c3, link) == format_timestamp(hq.now));
    CHECK(received_of(c3, second).find("on its way") != std::string::npos);
}

TEST_CASE("a kiosk card's status: forged and other devices' links 404, counted as guesses") {
    head_office hq;
    auto const state = hq.dir / "state";
    auto const a = serve::device_status_key(state, "kiosk-a");
    auto const b = serve::device_status_key(state, "kiosk-b");
    REQUIRE(a);
    REQUIRE(b);
    kiosk_at kiosk(hq, hq.a, *a);
    auto const reply = kiosk.submit();
    std::string const code = reply["receipt"];
    std::uint64_t const seq = reply["seq"];
    REQUIRE(sync::push(kiosk.journal_dir, kiosk.key, hq.to()));
    auto c = hq.client();
    CHECK(c.Get(path_of(reply["status"]))->status == 200);

    auto const hq_key = hq.running.server->key();
    std::string forged = reply["status"];
    forged.back() = forged.back() == 'a' ? 'b' : 'a';
    std::vector<std::string> const hostile{
        forged,
        // kiosk-a's card, checked with kiosk-b's key
        receipt::status_link(base, *b, {"kiosk-a", seq, code}),
        // kiosk-a's key making kiosk-b's links, or the server's own
        receipt::status_link(base, *a, {"kiosk-b", seq, code}),
        receipt::status_link(base, *a, {"hq-web", seq, code}),
        receipt::status_link(base, receipt::device_status_key(hq_key, "hq-web"),
                             {"hq-web", seq, code}),
        // a device that does not push here, its key derived as head office would
        receipt::status_link(base, receipt::device_status_key(hq_key, "kiosk-x"),
                             {"kiosk-x", seq, code}),
        // head office's own key for a device's card (a device's check is its own key's)
        receipt::status_link(base, hq_key, {"kiosk-a", seq, code}),
        // kiosk-a's genuine key, another code at the number head office holds
        receipt::status_link(base, *a, {"kiosk-a", seq, code == "AAA-AAA" ? "BBB-BBB" : "AAA-AAA"}),
    };
    for (auto const& link : hostile) {
        auto r = c.Get(path_of(link));
        REQUIRE(r);
        CHECK_MESSAGE(r->status == 404, link);
        CHECK(r->body.find("This link is not one of ours") != std::string::npos);
    }
    // Every one of them counted as a guess: past the limit, even a good link waits.
    for (std::size_t i = hostile.size(); i < serve::misses_per_window; ++i)
        CHECK(c.Get(path_of(forged))->status == 404);
    CHECK(c.Get(path_of(reply["status"]))->status == 429);
    hq.now += serve::rate_window.count();
    CHECK(c.Get(path_of(reply["status"]))->status == 200);
}
