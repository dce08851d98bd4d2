// The outbox and the sinks: a real HTTP receiver on 127.0.0.1 that goes down and comes
// back, a real Maildir, and what each recipient is (and is not) told.
#include <doctest/doctest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "candor/response/json.hpp"
#include "candor/routing/notification.hpp"
#include "candor/routing/outbox.hpp"
#include "candor/time.hpp"
#include "fixture.hpp"

using namespace candor;
using namespace candor::routing;
using routing::testing::at;
// Cards with leo named on duty.
static response::response card(std::string const& site, std::string const& answers) {
    return routing::testing::card(site, answers, "leo");
}
using routing::testing::hotel;
using routing::testing::hotel_with_staff;
using routing::testing::sample_org;
using routing::testing::temp_dir;

namespace {

constexpr char const* secret = "a shared secret of the hotel chain";

journal::segment_options fast() {
    return {64u << 20, false};
}

// A webhook receiver on 127.0.0.1 that checks every signature, as a real one would.
class receiver {
  public:
    explicit receiver(int port = 0) {
        server_.Post(
            R"(/hooks/(\w+))", [this](httplib::Request const& req, httplib::Response& res) {
                std::lock_guard lock(mutex_);
                bool const good =
                    verify_webhook(secret, req.get_header_value("Candor-Timestamp"), req.body,
                                   req.get_header_value("Candor-Signature"), system_now());
                if (!good) {
                    ++bad_;
                    res.status = 401;
                    return;
                }
                if (refuse_) {
                    res.status = 503;
                    return;
                }
                ++arrivals_[req.get_header_value("Candor-Idempotency-Key")];
                bodies_.push_back(req.body);
                res.status = 204;
            });
        port_ = port == 0 ? server_.bind_to_any_port("127.0.0.1")
                          : (server_.bind_to_port("127.0.0.1", port) ? port : -1);
        REQUIRE(port_ > 0);
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~receiver() {
        server_.stop();
        thread_.join();
    }
    int port() const { return port_; }
    void refuse(bool r) {
        std::lock_guard lock(mutex_);
        refuse_ = r;
    }
    std::map<std::string, int> arrivals() {
        std::lock_guard lock(mutex_);
        return arrivals_;
    }
    int bad() {
        std::lock_guard lock(mutex_);
        return bad_;
    }

  private:
    httplib::Server server_;
    std::thread thread_;
    int port_ = -1;
    std::mutex mutex_;
    bool refuse_ = false;
    int bad_ = 0;
    std::map<std::string, int> arrivals_;
    std::vector<std::string> bodies_;
};

delivery hook(int port, int i) {
    delivery d;
    d.key = "kiosk-1:" + std::to_string(i) + "/anne/opened/webhook";
    d.person = "anne";
    d.channel = channel_kind::webhook;
    d.address = "http://127.0.0.1:" + std::to_string(port) + "/hooks/anne";
    d.subject = "Guest feedback";
    d.body = R"({"response":"kiosk-1:)" + std::to_string(i) + R"("})";
    return d;
}

std::string read_all(std::filesystem::path const& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("webhook signatures: HMAC-SHA256 over timestamp and body, fresh, with the right secret") {
    auto const sig = webhook_signature(secret, 1'800'000'000, R"({"a":1})");
    CHECK(sig.size() == 3 + 64);
    CHECK(verify_webhook(secret, "1800000000", R"({"a":1})", sig, 1'800'000'100));
    CHECK_FALSE(
        verify_webhook(secret, "1800000000", R"({"a":2})", sig, 1'800'000'100));  // body altered
    CHECK_FALSE(verify_webhook("another secret of 16+ bytes", "1800000000", R"({"a":1})", sig,
                               1'800'000'100));
    CHECK_FALSE(
        verify_webhook(secret, "1800000000", R"({"a":1})", sig, 1'800'001'000));  // replayed late
    CHECK_FALSE(verify_webhook(secret, "1800000000x", R"({"a":1})", sig, 1'800'000'100));
    CHECK_THROWS_AS(webhook_sink({"short"}, system_now), std::invalid_argument);
}

TEST_CASE("retries back off exponentially with jitter, up to the longest wait") {
    retry_policy const p{30, 3600};
    for (int i = 0; i < 50; ++i) {
        auto first = retry_at(1000, 1, p) - 1000;
        CHECK((first >= 15 && first <= 30));
        auto fourth = retry_at(1000, 4, p) - 1000;
        CHECK((fourth >= 120 && fourth <= 240));
        auto late = retry_at(1000, 40, p) - 1000;
        CHECK((late >= 1800 && late <= 3600));
    }
}

TEST_CASE(
    "a webhook receiver that is down: deliveries queue, and arrive once each when it is back") {
    temp_dir dir;
    int port = 0;
    {
        receiver probe;  // a free port, then nobody listening on it
        port = probe.port();
    }
    timestamp now = at("2026-11-06T16:00:00Z");
    webhook_sink hooks({secret}, system_now);
    sinks to{nullptr, &hooks, nullptr};
    {
        auto box = outbox::open(dir.path(), {}, fast()).value();
        std::vector<delivery> ds;
        for (int i = 1; i <= 20; ++i) ds.push_back(hook(port, i));
        CHECK(box.queue(ds, now) == 20);
        CHECK(box.queue(ds, now) == 0);  // the same keys again: nothing new
        auto down = box.send_due(to, now);
        CHECK(down.sent == 0);
        CHECK(down.failed == 20);
        CHECK(box.unsent() == 20);
        for (auto const& e : box.entries()) {
            CHECK(e.attempts == 1);
            CHECK(e.next > now);
            CHECK_FALSE(e.last_error.empty());
        }
        // Still down an hour on: every retry fails, nothing is lost.
        for (int step = 1; step <= 6; ++step) box.send_due(to, now + step * 600);
        CHECK(box.unsent() == 20);
    }
    // Reopened, as after a restart, with the receiver back on the same port.
    receiver back(port);
    auto box = outbox::open(dir.path(), {}, fast()).value();
    REQUIRE(box.unsent() == 20);
    auto const later = now + 2 * 3600;
    auto up = box.send_due(to, later);
    CHECK(up.sent == 20);
    CHECK(box.unsent() == 0);
    auto const arrivals = back.arrivals();
    CHECK(arrivals.size() == 20);
    for (auto const& [key, n] : arrivals) CHECK(n == 1);
    CHECK(back.bad() == 0);
    CHECK(box.send_due(to, later + 3600).sent == 0);  // nothing twice
    // Sent marks are durable too.
    { auto closing = std::move(box); }
    CHECK(outbox::open(dir.path(), {}, fast()).value().unsent() == 0);
}

TEST_CASE("a queue larger than a frame is written in several events, and reads back whole") {
    temp_dir dir;
    std::vector<delivery> ds;
    for (int i = 0; i < 3000; ++i) {
        ds.push_back(hook(8787, i));
        ds.back().body = R"({"comment":")" + std::string(1000, 'x') + R"("})";
    }
    {
        auto box = outbox::open(dir.path(), {}, fast()).value();
        CHECK(box.queue(ds, 1000) == 3000);
    }
    auto box = outbox::open(dir.path(), {}, fast());
    REQUIRE(box.has_value());
    CHECK(box->unsent() == 3000);
    CHECK(box->entries().back().message.body == ds.back().body);
}

TEST_CASE("a receiver that answers 503 is retried; the retry carries the same idempotency key") {
    temp_dir dir;
    receiver rx;
    webhook_sink hooks({secret}, system_now);
    sinks to{nullptr, &hooks, nullptr};
    auto box = outbox::open(dir.path(), {}, fast()).value();
    std::vector<delivery> ds{hook(rx.port(), 1)};
    box.queue(ds, 1000);
    rx.refuse(true);
    auto r = box.send_due(to, 1000);
    CHECK(r.failed == 1);
    REQUIRE(r.failures.size() == 1);
    CHECK(r.failures[0].message.find("HTTP 503") != std::string::npos);
    CHECK(box.send_due(to, 1001).waiting == 1);  // not due yet: backing off
    rx.refuse(false);
    CHECK(box.send_due(to, 1000 + 31).sent == 1);
    CHECK(rx.arrivals().at(ds[0].key) == 1);
}

TEST_CASE(
    "Maildir: one RFC 5322 message per delivery in new/, written through tmp/, named by its key") {
    temp_dir dir;
    maildir_sink mail(dir / "mail", {}, [] { return at("2026-11-06T16:00:00Z"); });
    delivery d;
    d.key = "kiosk-1:7/marie/opened/email";
    d.person = "marie";
    d.address = "marie.dubois@lumiere.example";
    d.subject = "Guest feedback, Lumière Opéra (kiosk-1:7)";
    d.body = R"({"event":"opened","answers":{"what_went_wrong":")" + std::string(120, 'x') +
             R"( = rude"}})";
    REQUIRE(mail.send(d).has_value());
    REQUIRE(mail.send(d).has_value());  // re-sent: the same file, not a second message
    auto files = std::vector<std::filesystem::path>(
        std::filesystem::directory_iterator(dir / "mail" / "new"), {});
    REQUIRE(files.size() == 1);
    CHECK(std::filesystem::is_empty(dir / "mail" / "tmp"));
    auto const msg = read_all(files[0]);
    CHECK(msg.find("To: marie.dubois@lumiere.example\n") != std::string::npos);
    CHECK(msg.find("Subject: =?UTF-8?B?") != std::string::npos);  // non-ASCII, encoded
    CHECK(msg.find("Date: Fri, 06 Nov 2026 16:00:00 +0000\n") != std::string::npos);
    CHECK(msg.find("Candor-Idempotency-Key: kiosk-1:7/marie/opened/email\n") != std::string::npos);
    CHECK(msg.find("Content-Transfer-Encoding: quoted-printable\n\n") != std::string::npos);
    CHECK(msg.find(" =3D rude") != std::string::npos);
    std::istringstream lines(msg);
    for (std::string line; std::getline(lines, line);) CHECK(line.size() <= 78);
    // A header cannot be injected through the subject.
    d.key = "k2";
    d.subject = "hello\nBcc: everyone@example.com";
    REQUIRE(mail.send(d).has_value());
    for (auto const& f : std::filesystem::directory_iterator(dir / "mail" / "new"))
        CHECK(read_all(f.path()).find("\nBcc:") == std::string::npos);
}

TEST_CASE(
    "callbacks: the registered function takes the delivery; an unknown name or a throw is an "
    "error") {
    callback_sink calls;
    std::vector<std::string> got;
    calls.add("pms", [&](delivery const& d) -> result<void> {
        got.push_back(d.key);
        return {};
    });
    calls.add("broken", [](delivery const&) -> result<void> {
        throw std::runtime_error("boom");
    });
    delivery d;
    d.key = "k";
    d.address = "pms";
    CHECK(calls.send(d).has_value());
    CHECK(got == std::vector<std::string>{"k"});
    d.address = "broken";
    CHECK(calls.send(d).error().front().message == "callback threw: boom");
    d.address = "nobody";
    CHECK_FALSE(calls.send(d).has_value());
}

TEST_CASE("a delivery carries the minimum: contact details only to roles that contact guests") {
    auto rules = load_rules("when contact_me == yes notify customer_care, site_manager\n",
                            "t.rules", sample_org(), hotel())
                     .value();
    router r(sample_org(), hotel(), rules);
    auto resp = card(
        "paris-01",
        R"("recommend":3,"contact_me":true,"phone":"+33 1 23 45 67 89","email":"g@x.example")");
    auto d = r.decide(resp);
    std::map<std::string, std::string> body_of;
    for (auto const& x : d.recipients) {
        auto ds =
            deliveries_for(r, resp, {notice_kind::opened, "kiosk-1:7", "c", x, 0}, 1000).value();
        REQUIRE(ds.size() >= 1);
        body_of[sample_org().people[x.person].id] = ds[0].body;
    }
    REQUIRE(body_of.count("care"));
    REQUIRE(body_of.count("marie"));
    CHECK(body_of["care"].find("g@x.example") != std::string::npos);
    CHECK(body_of["care"].find("+33 1 23 45 67 89") != std::string::npos);
    CHECK(body_of["marie"].find("g@x.example") == std::string::npos);
    CHECK(body_of["marie"].find("+33") == std::string::npos);
    CHECK(body_of["marie"].find(R"("withheld":["email","phone"])") != std::string::npos);
    CHECK(body_of["marie"].find(R"("recommend":3)") != std::string::npos);
}

TEST_CASE("the bypass guarantee holds again at delivery time") {
    auto rules =
        load_rules("always notify site_manager\n", "t.rules", sample_org(), hotel_with_staff())
            .value();
    router r(sample_org(), hotel_with_staff(), rules);
    auto resp = card("paris-01", R"("recommend":3)");
    auto const& org = sample_org();
    auto index = [&](char const* id) {
        return static_cast<std::uint32_t>(org.find_person(id) - org.people.data());
    };
    auto role = static_cast<std::uint32_t>(org.role_index("site_manager"));
    // hugo is front desk at paris-01, leo is named on duty: neither may hear of this card.
    for (char const* who : {"hugo", "leo"}) {
        auto ds = deliveries_for(
            r, resp, {notice_kind::opened, "kiosk-1:7", "c", {index(who), role}, 0}, 1000);
        REQUIRE_FALSE(ds.has_value());
        CHECK(ds.error().front().code == "bypass");
    }
    CHECK(deliveries_for(r, resp,
                         {notice_kind::opened, "kiosk-1:7", "c", {index("marie"), role}, 0}, 1000)
              .has_value());
}

TEST_CASE("digest items wait for the end of head office's day and go out as one message") {
    temp_dir dir;
    auto rules =
        load_rules("always notify customer_care.digest daily\n", "t.rules", sample_org(), hotel())
            .value();
    router r(sample_org(), hotel(), rules);
    auto box = outbox::open(dir.path(), {}, fast()).value();
    timestamp const noon_paris = at("2026-11-06T11:00:00Z");
    std::vector<delivery> ds;
    for (int i = 1; i <= 3; ++i) {
        auto resp = card("lyon-02", R"("recommend":)" + std::to_string(i + 5));
        auto d = r.decide(resp);
        REQUIRE(d.recipients.size() == 1);
        REQUIRE(d.recipients[0].digest);
        auto items =
            deliveries_for(r, resp,
                           {notice_kind::digest, "k:" + std::to_string(i), "", d.recipients[0], 0},
                           noon_paris)
                .value();
        for (auto& x : items) ds.push_back(std::move(x));
    }
    box.queue(ds, noon_paris);
    std::vector<delivery> got;
    struct recorder final : sink {
        std::vector<delivery>& out;
        explicit recorder(std::vector<delivery>& o) : out(o) {}
        result<void> send(delivery const& d) override {
            out.push_back(d);
            return {};
        }
    } rec(got);
    sinks to{&rec, &rec, &rec};
    // care has an e-mail and a webhook: one digest per channel, after midnight in Paris.
    CHECK(box.send_due(to, at("2026-11-06T22:59:59Z")).sent == 0);
    auto const sent = box.send_due(to, at("2026-11-06T23:00:00Z"));
    CHECK(sent.sent == 6);  // 3 items on 2 channels
    REQUIRE(got.size() == 2);
    for (auto const& d : got) {
        CHECK(d.key.find("digest/care/2026-11-06/") == 0);
        CHECK((d.key.ends_with("/email") || d.key.ends_with("/webhook")));
        auto body = nlohmann::json::parse(d.body);
        CHECK(body["items"].size() == 3);
    }
    CHECK(box.unsent() == 0);
}
