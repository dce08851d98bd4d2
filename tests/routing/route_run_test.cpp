// `candor route run` as cron runs it, end to end on a real store: sealed cards from a
// device journal, routed to webhooks of a real receiver on 127.0.0.1, killed with SIGKILL
// in the middle of sending and run again. Nothing may be lost, and anything sent twice
// must carry the same idempotency key.
#include <doctest/doctest.h>
#include <httplib.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string_view>
#include <thread>

#include "candor/routing/cases.hpp"
#include "candor/routing/delivery.hpp"
#include "candor/routing/outbox.hpp"
#include "candor/time.hpp"
#include "fixture.hpp"

extern char** environ;

using namespace candor;
using namespace candor::routing;
using routing::testing::temp_dir;

namespace {

std::string const cli = CANDOR_BINARY_DIR "/examples/candor";
std::string const sample = CANDOR_SOURCE_DIR "/examples";
constexpr char const* secret = "route-run test secret, 32 bytes.";

pid_t spawn(std::vector<std::string> const& args, std::filesystem::path const& log) {
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(cli.c_str()));
    for (auto const& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_addopen(&files, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&files, 1, 2);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, cli.c_str(), &files, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&files);
    REQUIRE(rc == 0);
    return pid;
}

int wait_for(pid_t pid) {
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int run(std::vector<std::string> const& args, std::filesystem::path const& log) {
    return wait_for(spawn(args, log));
}

std::string read_all(std::filesystem::path const& p) {
    std::ifstream in(p);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct arrival {
    std::string key, path, body;
};

}  // namespace

TEST_CASE(
    "route run killed with SIGKILL mid-run: on restart nothing is lost, repeats keep their key") {
    REQUIRE(std::filesystem::exists(cli));
    temp_dir dir;
    auto const log = dir / "cli.log";
    auto const D = [&](char const* name) { return (dir / name).string(); };

    // A receiver that is slow enough to be caught mid-run, and kills the router at the 40th.
    httplib::Server server;
    std::mutex mutex;
    std::vector<arrival> arrivals;
    int bad = 0;
    pid_t victim = 0;
    bool killed = false;
    server.Post(R"(/hooks/(\w+))", [&](httplib::Request const& req, httplib::Response& res) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        std::lock_guard lock(mutex);
        static auto const keys = parse_webhook_secrets(secret, "test").value();
        if (!verify_webhook(keys, req.get_header_value("webhook-id"),
                            req.get_header_value("webhook-timestamp"), req.body,
                            req.get_header_value("webhook-signature"), system_now())) {
            ++bad;
            res.status = 401;
            return;
        }
        arrivals.push_back({req.get_header_value("Candor-Idempotency-Key"), req.path, req.body});
        res.status = 204;
        if (arrivals.size() == 40 && victim != 0 && !killed) {
            ::kill(victim, SIGKILL);
            killed = true;
        }
    });
    int const port = server.bind_to_any_port("127.0.0.1");
    REQUIRE(port > 0);
    std::thread serving([&] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));

    // Head office and one device; 240 cards across four sites, sealed, exported, imported.
    REQUIRE(run({"keys", "hq", "--out", D("hq")}, log) == 0);
    REQUIRE(run({"keys", "device", "--id", "kiosk-9", "--out", D("dev")}, log) == 0);
    {
        std::ofstream cards(D("cards.jsonl"));
        char const* sites[] = {"paris-01", "lyon-02", "nice-03", "cannes-09"};
        for (int i = 0; i < 240; ++i) {
            int const rec = i % 11;
            cards
                << R"({"survey":"hotel-stay","version":3,"language":"en","fields":{"site":")"
                << sites[i % 4]
                << R"(","device":"kiosk-9","channel":"kiosk","shift":"day"},"submitted":"2026-11-02T10:)"
                << (10 + i / 60) << ':' << (10 + i % 50) << R"(Z","answers":{"recommend":)" << rec
                << R"(,"satisfaction":)" << (1 + i % 5) << R"(,"staff":)" << (1 + i % 5)
                << (i % 3 == 0 ? R"(,"contact_me":true,"email":"guest)" + std::to_string(i) +
                                     R"(@example.org")"
                               : std::string(R"(,"contact_me":false)"))
                << "}}\n";
        }
    }
    REQUIRE(run({"submit", "--survey", sample + "/surveys/hotel-stay.survey", "--journal",
                 D("journal"), "--device-key", D("dev") + "/kiosk-9.key", "--hq-public",
                 D("hq") + "/hq.pub", D("cards.jsonl")},
                log) == 0);
    REQUIRE(run({"journal", "export", D("journal"), "--after", "0", "--out", D("b.bundle")}, log) ==
            0);
    REQUIRE(run({"hq", "import", "--store", D("store"), "--hq-key", D("hq") + "/hq.key",
                 "--devices", D("dev") + "/kiosk-9.pub", D("b.bundle")},
                log) == 0);

    // The sample org with every channel turned into a webhook of this receiver (no
    // std::regex: g++ 12 warns falsely on it under -O2 with the sanitizers).
    std::string org;
    {
        auto const text = read_all(sample + "/org/hotel-chain.org");
        std::string const hook = "webhook \"http://127.0.0.1:" + std::to_string(port) + "/hooks/";
        for (std::size_t at = 0; at < text.size();) {
            auto const email = text.find("email \"", at);
            auto const webhook = text.find("webhook \"http://127.0.0.1:8787/hooks/", at);
            auto const next = std::min(email, webhook);
            org += text.substr(at, next - at);
            if (next == std::string::npos) break;
            if (next == webhook) {
                org += hook;
                at = next + std::string_view("webhook \"http://127.0.0.1:8787/hooks/").size();
            } else {  // email "ADDRESS" -> webhook "http://127.0.0.1:PORT/hooks/mail"
                org += hook + "mail\"";
                at = text.find('"', next + 7) + 1;
            }
        }
    }
    std::ofstream(D("org")) << org;
    std::ofstream(D("secret")) << secret << '\n';
    std::filesystem::permissions(
        D("secret"), std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
        std::filesystem::perm_options::replace);
    std::vector<std::string> const route = {"route",
                                            "run",
                                            "--org",
                                            D("org"),
                                            "--rules",
                                            sample + "/org/hotel-stay.rules",
                                            "--survey",
                                            sample + "/surveys/hotel-stay.survey",
                                            "--store",
                                            D("store"),
                                            "--hq-key",
                                            D("hq") + "/hq.key",
                                            "--webhook-secret",
                                            D("secret")};
    auto at = [&](char const* now) {
        auto args = route;
        args.insert(args.end(), {"--now", now});
        return args;
    };

    {
        std::lock_guard lock(mutex);
        victim = spawn(at("2026-11-02T12:00:00Z"), log);
    }
    CHECK(wait_for(victim) == 128 + SIGKILL);
    CHECK(killed);
    CHECK(run(at("2026-11-02T12:00:00Z"), log) == 0);
    // The next day: the digests of the 2nd, and the escalations now due.
    CHECK(run(at("2026-11-03T12:00:00Z"), log) == 0);
    server.stop();
    serving.join();
    INFO(read_all(log));

    auto box = outbox::open(D("store") + "/outbox").value();
    CHECK(box.unsent() == 0);
    auto cases = case_log::open(D("store") + "/cases").value();
    for (int seq = 1; seq <= 240; ++seq) CHECK(cases.routed("kiosk-9:" + std::to_string(seq)));
    // Nothing falls through: every response has a case with a manager, or is in a digest.
    std::set<std::string> heard;
    for (auto const& c : cases.cases()) heard.insert(c.response);
    for (auto const& e : box.entries())
        if (!e.message.batch.empty())
            heard.insert(nlohmann::json::parse(e.message.body).at("response"));
    CHECK(heard.size() == 240);
    std::size_t escalated = 0;
    for (auto const& c : cases.cases()) escalated += c.history.size() > 1;
    CHECK(escalated > 0);

    // Every delivery the outbox holds arrived; repeats (in flight at the kill) kept their key.
    // The guests' acknowledgements go by e-mail, to the Maildir, each once; the rest by webhook.
    std::set<std::string> expected;
    std::size_t to_guests = 0;
    for (auto const& e : box.entries()) {
        if (e.message.person == "guest") {
            ++to_guests;
            continue;
        }
        expected.insert(e.message.batch.empty() ? e.message.key : e.message.batch);
    }
    CHECK(to_guests == 80);  // every third card gave an address
    CHECK(static_cast<std::size_t>(
              std::distance(std::filesystem::directory_iterator(D("store") + "/mail/new"),
                            std::filesystem::directory_iterator())) == to_guests);
    std::map<std::string, int> per_key;
    std::map<std::string, std::set<std::string>> keys_per_message;  // (path, body) → keys
    for (auto const& a : arrivals) {
        // A digest arrives under its key with the items segment (docs/routing.md) taken out.
        auto key = a.key;
        if (key.starts_with("digest/")) {
            auto const channel = key.rfind('/');
            key.erase(key.rfind('/', channel - 1), channel - key.rfind('/', channel - 1));
        }
        ++per_key[key];
        keys_per_message[a.path + " " + a.body].insert(key);
    }
    CHECK(bad == 0);
    CHECK(per_key.size() == expected.size());
    for (auto const& k : expected) CHECK(per_key.count(k) == 1);
    std::size_t repeats = 0;
    for (auto const& [k, n] : per_key) repeats += static_cast<std::size_t>(n - 1);
    CHECK(repeats <= 64);  // at most the group of outcomes not yet written at the kill
    for (auto const& [message, keys] : keys_per_message) CHECK(keys.size() == 1);
}
