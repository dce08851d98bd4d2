// The outbox and the sinks: a real HTTP receiver on 127.0.0.1 that goes down and comes
// back, a real Maildir, and what each recipient is (and is not) told.
#include <doctest/doctest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "candor/response/json.hpp"
#include "candor/routing/cases.hpp"
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
using routing::testing::sample_org;
using routing::testing::temp_dir;

namespace {

constexpr char const* secret = "a shared secret of the hotel chain";

std::vector<webhook_secret> const& secrets() {
    static auto const all = parse_webhook_secrets(secret, "test").value();
    return all;
}

journal::segment_options fast() {
    return {64u << 20, false};
}

// A webhook receiver on 127.0.0.1 that checks every signature, as a real one would.
class receiver {
  public:
    explicit receiver(int port = 0) {
        server_.Post(
            R"(/hooks/(\w+))", [this](httplib::Request const& req, httplib::Response& res) {
                {
                    std::lock_guard lock(mutex_);
                    most_at_once_ = std::max(most_at_once_, ++at_once_);
                }
                std::this_thread::sleep_for(delay_.load());
                std::lock_guard lock(mutex_);
                --at_once_;
                bool const good =
                    verify_webhook(secrets(), req.get_header_value("webhook-id"),
                                   req.get_header_value("webhook-timestamp"), req.body,
                                   req.get_header_value("webhook-signature"), system_now());
                if (!good) {
                    ++bad_;
                    res.status = 401;
                    return;
                }
                if (refuse_ != 0) {
                    res.status = refuse_;
                    if (!retry_after_.empty()) res.set_header("Retry-After", retry_after_);
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
    // Answers every delivery with `status` (503 unless told) until told 0 again.
    void refuse(bool r, int status = 503, std::string retry_after = {}) {
        std::lock_guard lock(mutex_);
        refuse_ = r ? status : 0;
        retry_after_ = std::move(retry_after);
    }
    std::map<std::string, int> arrivals() {
        std::lock_guard lock(mutex_);
        return arrivals_;
    }
    int bad() {
        std::lock_guard lock(mutex_);
        return bad_;
    }
    // Each answer `d` later, as a receiver busy elsewhere.
    void delay(std::chrono::milliseconds d) { delay_ = d; }
    // The most deliveries it was handling at one time.
    int most_at_once() {
        std::lock_guard lock(mutex_);
        return most_at_once_;
    }

  private:
    httplib::Server server_;
    std::thread thread_;
    int port_ = -1;
    std::mutex mutex_;
    int refuse_ = 0;
    std::string retry_after_;
    int bad_ = 0;
    int at_once_ = 0, most_at_once_ = 0;
    std::atomic<std::chrono::milliseconds> delay_{std::chrono::milliseconds(0)};
    std::map<std::string, int> arrivals_;
    std::vector<std::string> bodies_;
};

// A receiver, the webhook sink and an outbox in a temporary folder.
struct hooked {
    temp_dir dir;
    receiver rx;
    webhook_sink hooks{{secrets()}, system_now};
    sinks to{nullptr, &hooks, nullptr};
    outbox box = outbox::open(dir.path(), {}, fast()).value();
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

TEST_CASE(
    "webhook signatures: HMAC-SHA256 over id, timestamp and body, fresh, with the right secret") {
    auto const id = webhook_id("kiosk-1:42/marie/opened/webhook");
    auto const sig = webhook_signature(secrets()[0].key, id, 1'800'000'000, R"({"a":1})");
    CHECK(sig.substr(0, 3) == "v1,");
    CHECK(sig.size() == 3 + 44);
    CHECK(verify_webhook(secrets(), id, "1800000000", R"({"a":1})", sig, 1'800'000'100));
    CHECK_FALSE(verify_webhook(secrets(), id, "1800000000", R"({"a":2})", sig,
                               1'800'000'100));  // body altered
    auto const other = parse_webhook_secrets("another secret of 16+ bytes", "other").value();
    CHECK_FALSE(verify_webhook(other, id, "1800000000", R"({"a":1})", sig, 1'800'000'100));
    CHECK_FALSE(verify_webhook(secrets(), id, "1800000000", R"({"a":1})", sig,
                               1'800'001'000));  // replayed late
    CHECK_FALSE(verify_webhook(secrets(), id, "1800000000x", R"({"a":1})", sig, 1'800'000'100));
    // The id is signed: a delivery replayed under another id (to pass a receiver's memory of
    // ids) is refused, and so is an id with a dot (it could shift the signed text's parts).
    CHECK_FALSE(verify_webhook(secrets(), webhook_id("kiosk-1:43/marie/opened/webhook"),
                               "1800000000", R"({"a":1})", sig, 1'800'000'100));
    CHECK_FALSE(verify_webhook(secrets(), "a.b", "1800000000", R"({"a":1})",
                               webhook_signature(secrets()[0].key, "a.b", 1'800'000'000, "{}"),
                               1'800'000'100));
    CHECK(webhook_id("kiosk.1:4/x%y~z") == "kiosk~2E1:4/x~25y~7Ez");
    CHECK_THROWS_AS(webhook_sink({{{"short", "short"}}}, system_now), std::invalid_argument);
    CHECK_THROWS_AS(webhook_sink({}, system_now), std::invalid_argument);
    // Candor-Signature of before, for one release: over timestamp and body, hex.
    auto const legacy = legacy_webhook_signature(secret, 1'800'000'000, R"({"a":1})");
    CHECK(legacy.size() == 3 + 64);
    CHECK(legacy.substr(0, 3) == "v1=");
    CHECK(legacy != legacy_webhook_signature(secret, 1'800'000'000, R"({"a":2})"));
}

TEST_CASE("webhook signatures: the Standard Webhooks test vector") {
    auto const keys = parse_webhook_secrets("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "spec");
    REQUIRE(keys);
    REQUIRE(keys->size() == 1);
    CHECK(keys->front().key.size() == 24);
    auto const sig = webhook_signature(keys->front().key, "msg_p5jXN8AQM9LWM0D4loKWxJek",
                                       1614265330, R"({"test": 2432232314})");
    CHECK(sig == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    CHECK(verify_webhook(*keys, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330",
                         R"({"test": 2432232314})", sig, 1614265330 + 299));
    CHECK_FALSE(verify_webhook(*keys, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330",
                               R"({"test": 2432232314})", sig, 1614265330 + 301));
    CHECK_FALSE(verify_webhook(*keys, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330",
                               R"({"test": 2432232314})", sig, 1614265330 - 301));
    // One wrong character anywhere in the signature: refused.
    for (std::size_t at = 3; at < sig.size() - 1; ++at) {
        auto t = sig;
        t[at] = t[at] == 'A' ? 'B' : 'A';
        CHECK_FALSE(verify_webhook(*keys, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330",
                                   R"({"test": 2432232314})", t, 1614265330));
    }
}

TEST_CASE("webhook secrets: rotation signs with each, a receiver with either takes it") {
    auto const both = parse_webhook_secrets(
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n\n  a raw secret of before, 32 bytes\r\n",
        "secrets");
    REQUIRE(both);
    REQUIRE(both->size() == 2);
    CHECK(both->at(1).key == "a raw secret of before, 32 bytes");
    std::vector<webhook_secret> const old_only{both->at(1)};
    auto const new_only = std::vector<webhook_secret>{both->at(0)};
    std::string const id = "k1", body = R"({"to":"anne"})";
    std::string const signatures = webhook_signature(both->at(0).key, id, 1'800'000'000, body) +
                                   " " +
                                   webhook_signature(both->at(1).key, id, 1'800'000'000, body);
    CHECK(verify_webhook(old_only, id, "1800000000", body, signatures, 1'800'000'000));
    CHECK(verify_webhook(new_only, id, "1800000000", body, signatures, 1'800'000'000));
    CHECK_FALSE(verify_webhook(secrets(), id, "1800000000", body, signatures, 1'800'000'000));
    // Bad secrets are refused at their line, and a secrets file others may read is refused.
    auto const bad = parse_webhook_secrets("whsec_!!!\nshort\n", "secrets");
    REQUIRE_FALSE(bad);
    REQUIRE(bad.error().size() == 2);
    CHECK(bad.error()[0].where.line == 1);
    CHECK(bad.error()[1].code == "bad-secret");
    CHECK(parse_webhook_secrets("\n \n", "empty").error().front().code == "no-secret");
    temp_dir dir;
    { std::ofstream(dir / "s") << "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n"; }
    std::filesystem::permissions(dir / "s", std::filesystem::perms::owner_read |
                                                std::filesystem::perms::owner_write |
                                                std::filesystem::perms::others_read);
    auto const open_to_all = read_webhook_secrets(dir / "s");
    REQUIRE_FALSE(open_to_all);
    CHECK(open_to_all.error().front().code == "key-permissions");
    std::filesystem::permissions(dir / "s", std::filesystem::perms::others_read,
                                 std::filesystem::perm_options::remove);
    CHECK(read_webhook_secrets(dir / "s"));
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
    webhook_sink hooks({secrets()}, system_now);
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

TEST_CASE("a key with a dot and a percent sign reaches a real receiver and verifies there") {
    hooked h;
    auto d = hook(h.rx.port(), 1);
    d.key = "kiosk.1%41:1/anne/opened/webhook";
    CHECK(h.box.queue(std::vector{d}, system_now()) == 1);
    CHECK(h.box.send_due(h.to, system_now()).sent == 1);
    CHECK(h.rx.bad() == 0);
    CHECK(h.rx.arrivals().size() == 1);
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

TEST_CASE("a receiver that answers 503 is retried, the retry carries the same idempotency key") {
    hooked h;
    auto& [dir, rx, hooks, to, box] = h;
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

TEST_CASE("webhooks to one receiver go out on several connections at once, each once") {
    hooked h;
    auto& [dir, rx, hooks, to, box] = h;
    rx.delay(std::chrono::milliseconds(30));
    // More than one group of outcomes (64), and a second receiver on the same round.
    receiver other;
    std::vector<delivery> ds;
    for (int i = 0; i < 100; ++i) ds.push_back(hook(i % 10 == 9 ? other.port() : rx.port(), i));
    box.queue(ds, 1000);
    auto r = box.send_due(to, 1000);
    CHECK(r.sent == 100);
    CHECK(r.failed == 0);
    CHECK(box.unsent() == 0);
    CHECK(rx.most_at_once() > 1);
    CHECK(rx.most_at_once() <= static_cast<int>(webhook_connections));
    auto const got = rx.arrivals(), also = other.arrivals();
    CHECK(got.size() == 90);
    CHECK(also.size() == 10);
    for (auto const& d : ds) CHECK((got.count(d.key) ? got.at(d.key) : also.at(d.key)) == 1);
    CHECK(rx.bad() == 0);
    // Nothing is sent again: every outcome was recorded.
    CHECK(box.send_due(to, 2000).sent == 0);
    CHECK(rx.arrivals() == got);
}

TEST_CASE("webhooks sent at once: the failures among them are retried, the rest not") {
    hooked h;
    auto& [dir, rx, hooks, to, box] = h;
    receiver down;
    down.refuse(true, 500);
    std::vector<delivery> ds;
    for (int i = 0; i < 20; ++i) ds.push_back(hook(i % 2 ? down.port() : rx.port(), i));
    box.queue(ds, 1000);
    auto r = box.send_due(to, 1000);
    CHECK(r.sent == 10);
    CHECK(r.failed == 10);
    down.refuse(false);
    CHECK(box.send_due(to, 1000 + 31).sent == 10);
    for (auto const& d : ds)
        CHECK((rx.arrivals().count(d.key) ? rx.arrivals().at(d.key) : down.arrivals().at(d.key)) ==
              1);
}

TEST_CASE("a receiver that answers 429 or 503 with Retry-After is left alone that long") {
    hooked h;
    auto& [dir, rx, hooks, to, box] = h;
    std::vector<delivery> ds{hook(rx.port(), 1)};
    box.queue(ds, 1000);
    rx.refuse(true, 429, "600");
    CHECK(box.send_due(to, 1000).failed == 1);
    CHECK(box.entries()[0].next >= 1000 + 590);  // not the 15-30 s of the first backoff
    CHECK(hooks.retry_after(ds[0]) >= 590);
    rx.refuse(false);
    // Even asked early (a second outbox, another pass), the sink keeps off that receiver.
    auto const again = hooks.send(ds[0]);
    REQUIRE_FALSE(again);
    CHECK(again.error().front().code == "throttled");
    CHECK(rx.arrivals().empty());
    // 503 without Retry-After is an ordinary failure, retried on the backoff.
    webhook_sink fresh({secrets()}, system_now);
    rx.refuse(true, 503);
    CHECK_FALSE(fresh.send(ds[0]));
    CHECK(fresh.retry_after(ds[0]) == 0);
}

TEST_CASE("a receiver that answers 410 Gone gets the delivery no more, and it is reported") {
    temp_dir dir;
    receiver rx;
    webhook_sink hooks({secrets()}, system_now);
    sinks to{nullptr, &hooks, nullptr};
    std::vector<delivery> ds{hook(rx.port(), 1)};
    {
        auto box = outbox::open(dir.path(), {}, fast()).value();
        box.queue(ds, 1000);
        rx.refuse(true, 410);
        auto r = box.send_due(to, 1000);
        CHECK(r.gone == 1);
        CHECK(r.failed == 0);
        REQUIRE(r.failures.size() == 1);
        CHECK(r.failures[0].code == "gone");
        CHECK(box.unsent() == 0);
        CHECK(box.entries()[0].gone);
    }
    rx.refuse(false);
    auto box =
        outbox::open(dir.path(), {}, fast()).value();  // durable: not retried after a restart
    CHECK(box.entries()[0].gone);
    CHECK(box.send_due(to, 100000).sent == 0);
    CHECK(rx.arrivals().empty());
}

TEST_CASE("what holds opened cards is 0700 and 0600 whatever the umask") {
    temp_dir dir;
    auto const old = ::umask(0);
    {
        auto box = outbox::open(dir / "store" / "outbox", {}, fast()).value();
        box.queue(std::vector{hook(8787, 1)}, 1000);
        auto cases = case_log::open(dir / "store" / "cases", fast());
        REQUIRE(cases);
        maildir_sink mail(dir / "store" / "mail", {}, system_now);
        REQUIRE(mail.send(hook(8787, 2)));
    }
    ::umask(old);
    auto mode = [](std::filesystem::path const& p) {
        struct stat st {};
        REQUIRE(::stat(p.c_str(), &st) == 0);
        return st.st_mode & 0777;
    };
    for (auto const* sub : {"outbox", "cases", "mail", "mail/new", "mail/tmp", "mail/cur"})
        CHECK(mode(dir / "store" / sub) == 0700);
    CHECK(mode(dir / "store" / "outbox" / "seg-000001.cnj") == 0600);
    CHECK(mode(dir / "store" / "cases" / "seg-000001.cnj") == 0600);
    for (auto const& f : std::filesystem::directory_iterator(dir / "store" / "mail" / "new"))
        CHECK(mode(f.path()) == 0600);
    // A folder made 0755 by an older Candor is tightened when opened.
    std::filesystem::permissions(dir / "store" / "outbox", std::filesystem::perms::group_read |
                                                               std::filesystem::perms::others_read |
                                                               std::filesystem::perms::owner_all);
    REQUIRE(outbox::open(dir / "store" / "outbox", {}, fast()));
    CHECK(mode(dir / "store" / "outbox") == 0700);
}

TEST_CASE("Maildir: a guest's words are quoted, and cannot fake a line of the message") {
    temp_dir dir;
    maildir_sink mail(dir / "mail", {}, [] { return at("2026-11-06T16:00:00Z"); });
    delivery d;
    d.key = "kiosk-1:8/marie/opened/email";
    d.address = "marie.dubois@lumiere.example";
    d.subject = "Guest feedback";
    d.body =
        nlohmann::ordered_json{
            {"event", "opened"},
            {"acknowledge_by", "2026-11-07T16:00:00Z"},
            {"answers",
             {{"what_went_wrong", "cold room\nacknowledge_by: never\rto: nobody\u2028case: none"},
              {"recommend", 2},
              {"best_part", "the \u001b[31mbar\u0007\u0085ok"}}},
            {"fields", {{"shift", "night\nsite: elsewhere"}}}}
            .dump();
    REQUIRE(mail.send(d));
    auto files = std::vector<std::filesystem::path>(
        std::filesystem::directory_iterator(dir / "mail" / "new"), {});
    REQUIRE(files.size() == 1);
    auto const msg = read_all(files[0]);
    auto const body = msg.substr(msg.find("\n\n") + 2);
    // Quoted-printable keeps the lines as they are here (all short, all ASCII).
    CHECK(body.find("  what_went_wrong:\n  > cold room\n  > acknowledge_by: never\n  > to: "
                    "nobody\n  > case: none\n") != std::string::npos);
    CHECK(body.find("  recommend: 2\n") != std::string::npos);
    CHECK(body.find("  shift:\n  > night\n  > site: elsewhere\n") != std::string::npos);
    CHECK(body.find("  > the [31mbar\n  > ok\n") != std::string::npos);
    // Only our own lines start with a name: every line of the guest's starts with "> ".
    std::istringstream lines(body);
    int own = 0;
    for (std::string line; std::getline(lines, line);)
        if (line.rfind("acknowledge_by:", 0) == 0) ++own;
    CHECK(own == 1);
    CHECK(body.find('\x1b') == std::string::npos);
    CHECK(body.find('\r') == std::string::npos);
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
    "callbacks: the registered function takes the delivery, an unknown name or a throw is an "
    "error") {
    callback_sink calls;
    std::vector<std::string> got;
    calls.add("pms", [&](delivery const& d) -> result<void> {
        got.push_back(d.key);
        return {};
    });
    calls.add("broken", [](delivery const&) -> result<void> { throw std::runtime_error("boom"); });
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
        load_rules("always notify site_manager\n", "t.rules", sample_org(), hotel()).value();
    router r(sample_org(), hotel(), rules);
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
        CHECK(d.key.starts_with("digest/care/2026-11-06/"));
        CHECK((d.key.ends_with("/email") || d.key.ends_with("/webhook")));
        auto body = nlohmann::json::parse(d.body);
        CHECK(body["items"].size() == 3);
    }
    CHECK(box.unsent() == 0);
}

TEST_CASE("a big digest goes out in parts, each item once, each part under its own key") {
    temp_dir dir;
    auto rules =
        load_rules("always notify customer_care.digest daily\n", "t.rules", sample_org(), hotel())
            .value();
    router r(sample_org(), hotel(), rules);
    auto box = outbox::open(dir.path(), {}, fast()).value();
    std::size_t const n = 2 * max_digest_items + 50;
    std::vector<delivery> ds;
    auto resp = card("lyon-02", R"("recommend":7)");
    auto d = r.decide(resp);
    REQUIRE(d.recipients.size() == 1);
    for (std::size_t i = 0; i < n; ++i) {
        auto items =
            deliveries_for(r, resp,
                           {notice_kind::digest, "k:" + std::to_string(i), "", d.recipients[0], 0},
                           at("2026-11-06T11:00:00Z"))
                .value();
        for (auto& x : items)
            if (x.key.ends_with("/webhook")) ds.push_back(std::move(x));
    }
    box.queue(ds, at("2026-11-06T11:00:00Z"));
    std::vector<delivery> got;
    struct recorder final : sink {
        std::vector<delivery>& out;
        bool fail_second = true;
        explicit recorder(std::vector<delivery>& o) : out(o) {}
        result<void> send(delivery const& d) override {
            out.push_back(d);
            if (fail_second && out.size() == 2) return fail("http-status", "HTTP 503");
            return {};
        }
    } rec(got);
    sinks to{&rec, &rec, &rec};
    auto const sent = box.send_due(to, at("2026-11-06T23:00:00Z"));
    CHECK(sent.sent == n - max_digest_items);
    REQUIRE(got.size() == 3);
    std::set<std::string> keys, items;
    for (auto const& x : got) {
        keys.insert(x.key);
        CHECK(x.key.starts_with("digest/care/2026-11-06/"));
        CHECK(x.key.ends_with("/webhook"));
        auto body = nlohmann::json::parse(x.body);
        CHECK(x.subject.ends_with(" of 3)"));
        CHECK(body["items"].size() <= max_digest_items);
        for (auto const& item : body["items"]) items.insert(item.dump());
    }
    CHECK(keys.size() == 3);
    CHECK(items.size() == n);
    // The failed part is retried whole, as the same message.
    rec.fail_second = false;
    auto const retried = box.send_due(to, at("2026-11-08T00:00:00Z"));
    CHECK(retried.sent == max_digest_items);
    REQUIRE(got.size() == 4);
    CHECK(got[3].key == got[1].key);
    CHECK((got[3].body == got[1].body));  // (not printed when it fails: 200 items)
    CHECK(box.unsent() == 0);
}
