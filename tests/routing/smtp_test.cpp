// Mail through a real SMTP server on 127.0.0.1 (aiosmtpd, started by the test): through the
// outbox, every message arrives exactly once, a server down then up gets its mail on the
// retry, a refused recipient is given up and recorded; STARTTLS and authentication.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "candor/routing/outbox.hpp"
#include "fixture.hpp"

extern char** environ;

using namespace candor;
using namespace candor::routing;

namespace {

journal::segment_options fast() {
    return {64u << 20, false};
}

int free_port() {
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t n = sizeof a;
    ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &n);
    ::close(s);
    return ntohs(a.sin_port);
}

std::string read_all(std::filesystem::path const& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// aiosmtpd as a process: up until stop() or the end of the scope.
struct smtp_server {
    pid_t pid = -1;
    std::filesystem::path out;
    smtp_server(int port, std::filesystem::path dir, std::vector<std::string> extra = {})
        : out(std::move(dir)) {
        std::filesystem::create_directories(out);
        auto const log = out.parent_path() / (out.filename().string() + ".log");
        std::vector<std::string> args = {"/usr/bin/python3",
                                         CANDOR_SOURCE_DIR "/tests/routing/smtp_server.py",
                                         "--port",
                                         std::to_string(port),
                                         "--out",
                                         out.string()};
        args.insert(args.end(), extra.begin(), extra.end());
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t files;
        posix_spawn_file_actions_init(&files);
        posix_spawn_file_actions_addopen(&files, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                         0600);
        posix_spawn_file_actions_adddup2(&files, 1, 2);
        REQUIRE(posix_spawn(&pid, argv[0], &files, nullptr, argv.data(), environ) == 0);
        posix_spawn_file_actions_destroy(&files);
        for (int i = 0; i < 200 && read_all(log).find("ready") == std::string::npos; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
        INFO(read_all(log));
        REQUIRE(read_all(log).find("ready") != std::string::npos);
    }
    void stop() {
        if (pid <= 0) return;
        ::kill(pid, SIGTERM);
        int status = 0;
        ::waitpid(pid, &status, 0);
        pid = -1;
    }
    ~smtp_server() { stop(); }
    // What arrived: Message-ID -> times, and the envelopes.
    std::map<std::string, int> message_ids() const {
        std::map<std::string, int> out_ids;
        for (auto const& f : std::filesystem::directory_iterator(out)) {
            if (f.path().extension() != ".eml") continue;
            auto const text = read_all(f.path());
            auto const at = text.find("Message-ID: <");
            REQUIRE(at != std::string::npos);
            ++out_ids[text.substr(at + 13, text.find('>', at) - at - 13)];
        }
        return out_ids;
    }
};

delivery mail_to(std::string const& address, int n) {
    delivery d;
    d.key = "kiosk-3:" + std::to_string(n) + "/marie/opened/email";
    d.person = "marie";
    d.address = address;
    d.subject = "Guest feedback, Lumi\xC3\xA8re (kiosk-3:" + std::to_string(n) + ")";
    d.body = R"({"event":"opened"})";
    d.text = "Hello Marie,\n\n.a line starting with a dot\n";
    d.html = "<p>Hello Marie,</p>";
    d.thread = "kiosk-3:" + std::to_string(n);
    return d;
}

timestamp fixed_clock() {
    return 1794000000;
}

}  // namespace

TEST_CASE("through the outbox to a real SMTP server: exactly once, retried when down, refusals") {
    routing::testing::temp_dir dir;
    int const port = free_port();
    auto box = outbox::open(dir.path() / "outbox", {}, fast()).value();
    std::vector<delivery> all;
    for (int i = 1; i <= 12; ++i) all.push_back(mail_to("marie.dubois@lumiere.example", i));
    all.push_back(mail_to("refused@lumiere.example", 99));
    timestamp const now = 1794000000;
    REQUIRE(box.queue(all, now) == all.size());
    smtp_sink smtp({"smtp://127.0.0.1:" + std::to_string(port), "Candor <candor@localhost>", "", "",
                    smtp_tls::never, "", 5},
                   fixed_clock);
    sinks to{&smtp, nullptr, nullptr};

    // Nobody listens yet: every attempt fails and waits for its retry; nothing is lost.
    auto const down = box.send_due(to, now);
    CHECK(down.sent == 0);
    CHECK(down.failed == all.size());
    CHECK(box.unsent() == all.size());

    smtp_server server(port, dir.path() / "in");
    CHECK(box.send_due(to, now + 1).sent == 0);  // not due again yet
    auto const up = box.send_due(to, now + 7200);
    CHECK(up.sent == 12);
    CHECK(up.gone == 1);  // the refused recipient: given up, and recorded
    CHECK(box.unsent() == 0);
    for (auto const& e : box.entries())
        if (e.message.address.rfind("refused", 0) == 0) {
            CHECK(e.gone);
            CHECK(e.last_error.find("550") != std::string::npos);
        }
    CHECK(box.send_due(to, now + 99999).sent == 0);  // sent is sent

    auto const ids = server.message_ids();
    CHECK(ids.size() == 12);
    for (auto const& [id, times] : ids) CHECK(times == 1);
    // The envelope and the message as the server got them: dots kept, CRLF, one recipient.
    for (auto const& f : std::filesystem::directory_iterator(server.out)) {
        if (f.path().extension() == ".env")
            CHECK(read_all(f.path()) == "candor@localhost\nmarie.dubois@lumiere.example");
        if (f.path().extension() != ".eml") continue;
        auto const text = read_all(f.path());
        CHECK(text.find("\r\n.a line starting with a dot") != std::string::npos);
        CHECK(text.find("Auto-Submitted: auto-generated\r\n") != std::string::npos);
    }
}

TEST_CASE("STARTTLS and authentication, TLS required refuses a relay without it") {
    routing::testing::temp_dir dir;
    auto const cert = (dir.path() / "cert.pem").string(), key = (dir.path() / "key.pem").string();
    std::string const make_cert =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
        "-addext subjectAltName=IP:127.0.0.1 -keyout '" +
        key + "' -out '" + cert + "' >/dev/null 2>&1";
    REQUIRE(std::system(make_cert.c_str()) == 0);
    int const port = free_port();
    smtp_server server(port, dir.path() / "in",
                       {"--cert", cert, "--key", key, "--require-tls", "--user", "candor",
                        "--password", "s3cret pass"});

    // The password from a file only its owner may read, or from the environment.
    auto const file = dir.path() / "smtp.password";
    std::ofstream(file) << "s3cret pass\n";
    ::chmod(file.c_str(), 0644);
    auto refused = read_smtp_password(file);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error()[0].code == "key-permissions");
    ::chmod(file.c_str(), 0600);
    auto password = read_smtp_password(file);
    REQUIRE(password.has_value());
    CHECK(*password == "s3cret pass");
    ::setenv("CANDOR_TEST_SMTP_PASSWORD", "from the environment", 1);
    CHECK(read_smtp_password({}, "CANDOR_TEST_SMTP_PASSWORD").value() == "from the environment");
    CHECK(read_smtp_password({}, "CANDOR_TEST_NO_SUCH_VARIABLE").error()[0].code == "no-password");

    std::string const url = "smtp://127.0.0.1:" + std::to_string(port);
    smtp_sink good(
        {url, "Candor <candor@localhost>", "candor", *password, smtp_tls::required, cert, 5},
        fixed_clock);
    auto sent = good.send(mail_to("anne@lumiere.example", 1));
    INFO((sent ? std::string() : sent.error()[0].message));
    CHECK(sent.has_value());
    // aiosmtpd holds a wrong password's answer back: a short timeout keeps the test quick.
    smtp_sink wrong(
        {url, "Candor <candor@localhost>", "candor", "wrong", smtp_tls::required, cert, 1},
        fixed_clock);
    auto denied = wrong.send(mail_to("anne@lumiere.example", 2));
    REQUIRE_FALSE(denied.has_value());
    CHECK(denied.error()[0].code == "smtp");  // retried, not given up: the relay's setting
    CHECK(server.message_ids().size() == 1);

    // A relay that offers no STARTTLS: required refuses to send in clear.
    int const plain_port = free_port();
    smtp_server plain(plain_port, dir.path() / "plain");
    smtp_sink strict({"smtp://127.0.0.1:" + std::to_string(plain_port), "Candor <candor@localhost>",
                      "", "", smtp_tls::required, "", 5},
                     fixed_clock);
    CHECK_FALSE(strict.send(mail_to("anne@lumiere.example", 3)).has_value());
    CHECK(plain.message_ids().empty());
    // A hostile address never reaches the envelope.
    auto bad = strict.send(mail_to("a@b.example>\r\nRCPT TO:<evil@x.example", 4));
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error()[0].code == "gone");
}

TEST_CASE("STARTTLS settings read back from their names, another name is refused") {
    for (auto t : {smtp_tls::required, smtp_tls::when_offered, smtp_tls::never})
        CHECK(parse_smtp_tls(to_string(t)).value() == t);
    auto bad = parse_smtp_tls("sometimes");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().front().code == "bad-option");
}
