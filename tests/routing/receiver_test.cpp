// The reference webhook receiver (examples/webhook-receiver) as a process on 127.0.0.1: a
// delivery captured on the wire and replayed is kept once, also after the receiver restarts;
// replays under another id, late ones and ones for another recipient are refused; what it
// keeps is 0600, and a secret others may read keeps it from starting.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "candor/routing/delivery.hpp"
#include "fixture.hpp"

extern char** environ;

using namespace candor;
using namespace candor::routing;
using routing::testing::temp_dir;

namespace {

std::string const receiver_bin =
    CANDOR_BINARY_DIR "/examples/webhook-receiver/candor-webhook-receiver";
constexpr char const* secret_text = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

// A port nobody listens on: bound once to ask the kernel for one, then closed.
int free_port() {
    int const fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    ::close(fd);
    return ntohs(addr.sin_port);
}

class receiver_process {
  public:
    receiver_process(temp_dir const& dir, int port, std::vector<std::string> extra = {}) {
        std::vector<std::string> args{receiver_bin,
                                      "--port",
                                      std::to_string(port),
                                      "--secret",
                                      (dir / "secret").string(),
                                      "--out",
                                      (dir / "taken.jsonl").string()};
        args.insert(args.end(), extra.begin(), extra.end());
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t files;
        posix_spawn_file_actions_init(&files);
        auto const log = (dir / "receiver.log").string();
        posix_spawn_file_actions_addopen(&files, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                         0600);
        posix_spawn_file_actions_adddup2(&files, 1, 2);
        REQUIRE(posix_spawn(&pid_, receiver_bin.c_str(), &files, nullptr, argv.data(), environ) ==
                0);
        posix_spawn_file_actions_destroy(&files);
        // Up when it answers (404 to a GET), or given up when it has exited.
        httplib::Client c("127.0.0.1", port);
        for (int i = 0; i < 500 && !c.Get("/"); ++i) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                exited_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                pid_ = 0;
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
    ~receiver_process() {
        if (pid_ > 0) stop();
    }
    int stop() {
        REQUIRE(pid_ > 0);
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = 0;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    // It refused to start: its exit code.
    int exit_code() {
        if (pid_ > 0) {
            int status = 0;
            ::waitpid(pid_, &status, 0);
            pid_ = 0;
            exited_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        return exited_;
    }

  private:
    pid_t pid_ = 0;
    int exited_ = -1;
};

std::vector<std::string> lines_of(std::filesystem::path const& p) {
    std::ifstream in(p);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

// A delivery as it went over the wire, to be replayed byte for byte.
struct captured {
    httplib::Headers headers;
    std::string body;
};

captured sign(std::string const& key, std::string const& to, timestamp time) {
    auto const secrets = parse_webhook_secrets(secret_text, "test").value();
    captured c;
    c.body = R"({"event":"opened","to":")" + to + R"(","response":"kiosk-1:7"})";
    auto const id = webhook_id(key);
    c.headers = {{"webhook-id", id},
                 {"webhook-timestamp", std::to_string(time)},
                 {"webhook-signature", webhook_signature(secrets[0].key, id, time, c.body)}};
    return c;
}

int post(int port, captured const& c, std::string const& path = "/hooks/anne") {
    httplib::Client client("127.0.0.1", port);
    auto res = client.Post(path, c.headers, c.body, "application/json");
    REQUIRE(res);
    return res->status;
}

void write_secret(temp_dir const& dir, std::filesystem::perms mode) {
    std::ofstream(dir / "secret") << secret_text << '\n';
    std::filesystem::permissions(dir / "secret", mode, std::filesystem::perm_options::replace);
}

}  // namespace

TEST_CASE("the receiver keeps a replayed delivery once, also after it restarts") {
    REQUIRE(std::filesystem::exists(receiver_bin));
    temp_dir dir;
    write_secret(dir, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    int const port = free_port();
    auto const wire = sign("kiosk-1:7/anne/opened/webhook", "anne", system_now());
    {
        auto const old = ::umask(0);
        receiver_process rx(dir, port, {"--to", "anne"});
        ::umask(old);
        // The genuine delivery, through Candor's own sink, then the same bytes four times.
        webhook_sink sink({parse_webhook_secrets(secret_text, "test").value()}, system_now);
        delivery d;
        d.key = "kiosk-1:8/anne/opened/webhook";
        d.address = "http://127.0.0.1:" + std::to_string(port) + "/hooks/anne";
        d.body = R"({"event":"opened","to":"anne","response":"kiosk-1:8"})";
        REQUIRE(sink.send(d));
        for (int i = 0; i < 4; ++i) CHECK(post(port, wire) == 204);
        CHECK(lines_of(dir / "taken.jsonl").size() == 2);
        CHECK(rx.stop() == 0);
    }
    struct stat st {};
    REQUIRE(::stat((dir / "taken.jsonl").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    receiver_process again(dir, port, {"--to", "anne"});
    CHECK(post(port, wire) == 204);  // taken (so Candor stops retrying), not kept twice
    CHECK(lines_of(dir / "taken.jsonl").size() == 2);
    // The same delivery under another id: the signature covers the id.
    auto renamed = wire;
    for (auto& [k, v] : renamed.headers)
        if (k == "webhook-id") v = "kiosk-1:7/anne/opened/webhook-again";
    CHECK(post(port, renamed) == 401);
    // Replayed to another recipient's URL: the recipient is in the signed body.
    auto const for_marie = sign("kiosk-1:9/marie/opened/webhook", "marie", system_now());
    CHECK(post(port, for_marie, "/hooks/anne") == 403);
    // Captured long ago: too old, whatever the receiver remembers.
    CHECK(post(port, sign("kiosk-1:10/anne/opened/webhook", "anne", system_now() - 600)) == 401);
    // Only the legacy header, no webhook-signature: refused.
    auto legacy = wire;
    legacy.headers = {
        {"Candor-Idempotency-Key", "kiosk-1:11/anne/opened/webhook"},
        {"Candor-Timestamp", std::to_string(system_now())},
        {"Candor-Signature", legacy_webhook_signature(secret_text, system_now(), wire.body)}};
    CHECK(post(port, legacy) == 401);
    CHECK(lines_of(dir / "taken.jsonl").size() == 2);
}

TEST_CASE("the receiver does not start on a secret others may read") {
    REQUIRE(std::filesystem::exists(receiver_bin));
    temp_dir dir;
    write_secret(dir, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                          std::filesystem::perms::others_read);
    receiver_process rx(dir, free_port());
    CHECK(rx.exit_code() == 2);
    std::ifstream log(dir / "receiver.log");
    std::stringstream text;
    text << log.rdbuf();
    CHECK(text.str().find("key-permissions") != std::string::npos);
}

TEST_CASE(
    "the receiver reads no more than its limit of a body, chunked or not, before refusing it") {
    REQUIRE(std::filesystem::exists(receiver_bin));
    temp_dir dir;
    write_secret(dir, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    int const port = free_port();
    receiver_process rx(dir, port);
    httplib::Client client("127.0.0.1", port);
    // The receiver hangs up on what it will not read: the client's next write would raise
    // SIGPIPE.
    auto const old_pipe = ::signal(SIGPIPE, SIG_IGN);
    // 50 MB announced by Content-Length: refused before it is read.
    std::string const big(50 << 20, ' ');
    auto sized = client.Post("/hooks/anne", big, "application/json");
    CHECK((!sized || sized->status == 413));
    // 50 MB in chunks, unsigned: the receiver stops at its limit and hangs up.
    std::size_t sent = 0;
    auto chunked = client.Post(
        "/hooks/anne",
        [&](std::size_t, httplib::DataSink& sink) {
            if (sent >= std::size_t(50) << 20) {
                sink.done();
                return true;
            }
            std::string const chunk(1 << 20, ' ');
            sent += chunk.size();
            return sink.write(chunk.data(), chunk.size());
        },
        "application/json");
    ::signal(SIGPIPE, old_pipe);
    CHECK((!chunked || chunked->status == 413));
    CHECK(sent < std::size_t(24) << 20);  // what the kernel's buffers took before it hung up
    CHECK(lines_of(dir / "taken.jsonl").empty());
    // And it goes on taking what is signed.
    CHECK(post(port, sign("kiosk-1:12/anne/opened/webhook", "anne", system_now())) == 204);
    CHECK(lines_of(dir / "taken.jsonl").size() == 1);
}
