// E-mail through the durable outbox to a real SMTP server on 127.0.0.1 (aiosmtpd, started
// here: Debian's python3-aiosmtpd) beside a bare libcurl SMTP loop to the same server: the
// price of the outbox (queued with fdatasync, outcomes written) and of composing readable
// messages. Peer: one curl easy handle sending a ready-made message, nothing written.
#include <benchmark/benchmark.h>
#include <curl/curl.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "../common/median_reporter.hpp"
#include "candor/routing/outbox.hpp"

extern char** environ;

using namespace candor;

namespace {

constexpr int batch = 50;  // messages per iteration

struct server {
    pid_t pid = -1;
    int port = 0;
    std::filesystem::path dir = std::filesystem::temp_directory_path() / "candor-smtp-bench";
    server() {
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir / "in");
        int s = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
        socklen_t n = sizeof a;
        ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &n);
        ::close(s);
        port = ntohs(a.sin_port);
        std::vector<std::string> args = {"/usr/bin/python3",
                                         CANDOR_SOURCE_DIR "/tests/routing/smtp_server.py",
                                         "--port",
                                         std::to_string(port),
                                         "--out",
                                         (dir / "in").string()};
        std::vector<char*> argv;
        for (auto& x : args) argv.push_back(x.data());
        argv.push_back(nullptr);
        auto const log = (dir / "log").string();
        posix_spawn_file_actions_t files;
        posix_spawn_file_actions_init(&files);
        posix_spawn_file_actions_addopen(&files, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                         0600);
        posix_spawn(&pid, argv[0], &files, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&files);
        for (int i = 0; i < 400; ++i) {
            std::ifstream in(log);
            std::stringstream text;
            text << in.rdbuf();
            if (text.str().find("ready") != std::string::npos) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
        }
    }
    ~server() {
        ::kill(pid, SIGTERM);
        ::waitpid(pid, nullptr, 0);
        std::filesystem::remove_all(dir);
    }
    std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port); }
};

server& smtp() {
    static server s;
    return s;
}

std::string const text =
    "Hello Anne,\n\nA guest's card from Lumiere Opera was escalated to you.\n\n"
    "What went wrong?\n> The night auditor was rude and we waited two hours.\n";

struct upload {
    std::string const* text;
    std::size_t at;
};
std::size_t read_upload(char* buf, std::size_t size, std::size_t n, void* user) {
    auto* u = static_cast<upload*>(user);
    std::size_t const k = std::min(size * n, u->text->size() - u->at);
    std::copy_n(u->text->data() + u->at, k, buf);
    u->at += k;
    return k;
}

void BM_bare_smtp(benchmark::State& state) {
    std::string const message =
        "From: candor@localhost\nTo: anne@lumiere.example\nSubject: Guest feedback\n\n" + text;
    CURL* c = curl_easy_init();
    curl_slist* to = curl_slist_append(nullptr, "<anne@lumiere.example>");
    auto const url = smtp().url();
    for (auto _ : state)
        for (int i = 0; i < batch; ++i) {
            upload u{&message, 0};
            curl_easy_setopt(c, CURLOPT_URL, url.c_str());
            curl_easy_setopt(c, CURLOPT_MAIL_FROM, "<candor@localhost>");
            curl_easy_setopt(c, CURLOPT_MAIL_RCPT, to);
            curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
            curl_easy_setopt(c, CURLOPT_CRLF, 1L);
            curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
            curl_easy_setopt(c, CURLOPT_READDATA, &u);
            if (curl_easy_perform(c) != CURLE_OK) state.SkipWithError("SMTP failed");
        }
    curl_slist_free_all(to);
    curl_easy_cleanup(c);
    state.SetItemsProcessed(state.iterations() * batch);
}
BENCHMARK(BM_bare_smtp)->Unit(benchmark::kMillisecond)->UseRealTime()->Repetitions(5);

void BM_outbox_smtp(benchmark::State& state) {
    auto dir = std::filesystem::temp_directory_path() / "candor-smtp-bench-outbox";
    std::filesystem::remove_all(dir);
    auto box = routing::outbox::open(dir).value();  // fdatasync on, as in production
    routing::smtp_sink mail(
        {smtp().url(), "Candor <candor@localhost>", "", "", routing::smtp_tls::never, "", 10},
        routing::system_now);
    routing::sinks to{&mail, nullptr, nullptr};
    std::int64_t n = 0;
    for (auto _ : state) {
        std::vector<routing::delivery> ds;
        for (int i = 0; i < batch; ++i, ++n) {
            routing::delivery d;
            d.key = "kiosk-1:" + std::to_string(n) + "/anne/opened/email";
            d.person = "anne";
            d.address = "anne@lumiere.example";
            d.subject = "Guest feedback, Lumi\xC3\xA8re Op\xC3\xA9ra (kiosk-1:7)";
            d.body = R"({"event":"opened"})";
            d.text = text;
            d.html = "<p>Hello Anne,</p>";
            d.thread = "kiosk-1:" + std::to_string(n);
            ds.push_back(std::move(d));
        }
        box.queue(ds, 1000);
        auto r = box.send_due(to, 1000);
        if (r.sent != batch) state.SkipWithError("not all sent");
    }
    state.SetItemsProcessed(state.iterations() * batch);
    std::filesystem::remove_all(dir);
}
BENCHMARK(BM_outbox_smtp)->Unit(benchmark::kMillisecond)->UseRealTime()->Repetitions(5);

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    bench::median_reporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    auto const& m = reporter.medians;
    if (m.count("BM_bare_smtp") && m.count("BM_outbox_smtp")) {
        double const bare = m.at("BM_bare_smtp").items_per_second,
                     outbox = m.at("BM_outbox_smtp").items_per_second;
        std::printf(
            "\nMedians of 5 runs: bare libcurl SMTP %.0f/s; through the durable outbox %.0f/s = "
            "%.2fx\n",
            bare, outbox, outbox / bare);
    }
    return 0;
}
