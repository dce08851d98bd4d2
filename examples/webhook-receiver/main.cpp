// candor-webhook-receiver: what a receiver of Candor's webhooks does, in one page. Checks
// each POST as Standard Webhooks says (webhook-id, webhook-timestamp, webhook-signature:
// HMAC-SHA256 under one of its secrets, within 5 minutes), keeps each webhook-id once, and
// appends what it took to a JSON-lines file (0600, synced before the 2xx). The ids it took
// are read back from that file when it starts, so a delivery captured and replayed after a
// restart is recognised too. The README's demo starts it on 127.0.0.1.
#include <fcntl.h>
#include <httplib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <deque>
#include <fstream>
#include <iostream>
#include <mutex>
#include <unordered_map>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "candor/routing/delivery.hpp"

namespace {

using candor::routing::timestamp;

// Ids are remembered this long (retries after a crash come within hours) and at most this
// many, the oldest forgotten first: memory stays bounded however long it runs.
constexpr timestamp default_remember_seconds = 7 * 24 * 3600;
constexpr std::size_t max_remembered = 1'000'000;
// A body is read no further than this, whatever its transfer encoding, before its signature
// is checked: Candor's notifications are a few KiB, and an unsigned 300 MB body must not
// be buffered to be refused.
constexpr std::size_t max_body_bytes = 1 << 20;
constexpr time_t read_timeout_seconds = 10;

httplib::Server* running = nullptr;
void stop(int) {
    if (running) running->stop();
}

class seen_ids {
  public:
    explicit seen_ids(timestamp remember) : remember_(remember) {}
    bool contains(std::string const& id) const { return at_.count(id) != 0; }
    void add(std::string id, timestamp when, timestamp now) {
        if (when < now - remember_ || !at_.emplace(id, when).second) return;
        order_.emplace_back(when, std::move(id));
        while (order_.size() > max_remembered ||
               (!order_.empty() && order_.front().first < now - remember_)) {
            at_.erase(order_.front().second);
            order_.pop_front();
        }
    }

  private:
    timestamp remember_;
    std::unordered_map<std::string, timestamp> at_;
    std::deque<std::pair<timestamp, std::string>> order_;  // oldest first
};

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Receives Candor's webhook deliveries, checks their signature, keeps each once"};
    std::string listen = "127.0.0.1";
    int port = 8787;
    std::string secret_file, out_file, to;
    timestamp remember = default_remember_seconds;
    app.add_option("--listen", listen, "Address to listen on");
    app.add_option("--port", port, "Port");
    app.add_option("--secret", secret_file,
                   "File holding the shared secret(s), whsec_BASE64 one a line, mode 0600")
        ->required();
    app.add_option("--out", out_file, "JSON-lines file the deliveries are appended to")->required();
    app.add_option("--to", to, "Take only deliveries whose body names this recipient");
    app.add_option("--remember", remember, "Seconds a delivery's id is remembered");
    CLI11_PARSE(app, argc, argv);

    auto secrets = candor::routing::read_webhook_secrets(secret_file);
    if (!secrets) {
        std::cerr << candor::render(secrets.error());
        return 2;
    }
    // The ids taken before, from the file itself: one write and one sync per delivery.
    auto const started = candor::routing::system_now();
    seen_ids seen(remember);
    {
        std::ifstream before(out_file);
        for (std::string line; std::getline(before, line);) {
            auto j = nlohmann::json::parse(line, nullptr, false);
            if (!j.is_object()) continue;
            auto id = j.contains("id") ? j.value("id", "")
                                       : candor::routing::webhook_id(j.value("key", ""));
            if (!id.empty()) seen.add(std::move(id), j.value("received", started), started);
        }
    }
    int const out = ::open(out_file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (out < 0 || ::fchmod(out, 0600) != 0) {
        std::cerr << out_file << ": cannot open: " << std::strerror(errno) << '\n';
        return 2;
    }
    std::mutex mutex;
    httplib::Server server;
    server.set_payload_max_length(max_body_bytes);
    server.set_read_timeout(read_timeout_seconds, 0);
    server.Post(R"(/.*)", [&](httplib::Request const& req, httplib::Response& res,
                              httplib::ContentReader const& read) {
        // Announced too long: refused unread.
        bool over = req.get_header_value<std::uint64_t>("Content-Length") > max_body_bytes;
        std::string body_text;
        bool const whole = over || read([&](char const* data, std::size_t size) {
                               over = body_text.size() + size > max_body_bytes;
                               if (!over) body_text.append(data, size);
                               return !over;
                           });
        if (over || !whole) {
            res.status = over ? 413 : 400;
            return;
        }
        auto const now = candor::routing::system_now();
        auto const id = req.get_header_value("webhook-id");
        if (!candor::routing::verify_webhook(*secrets, id,
                                             req.get_header_value("webhook-timestamp"), body_text,
                                             req.get_header_value("webhook-signature"), now)) {
            res.status = 401;  // not from Candor, or too old: never taken
            return;
        }
        auto body = nlohmann::json::parse(body_text, nullptr, false);
        if (!to.empty() && (!body.is_object() || body.value("to", "") != to)) {
            res.status = 403;  // signed for another recipient: replayed to the wrong URL
            return;
        }
        std::lock_guard lock(mutex);
        if (seen.contains(id)) {
            res.status = 204;  // a retry or a replay of what we have: taken, not kept twice
            return;
        }
        auto line = nlohmann::json{{"id", id},
                                   {"key", req.get_header_value("Candor-Idempotency-Key")},
                                   {"path", req.path},
                                   {"received", now},
                                   {"body", body}}
                        .dump() +
                    '\n';
        struct stat st {};
        if (::fstat(out, &st) != 0 ||
            ::write(out, line.data(), line.size()) != static_cast<ssize_t>(line.size()) ||
            ::fdatasync(out) != 0) {
            (void)::ftruncate(out, st.st_size);  // no half line for the next one to join
            res.status = 500;                    // not kept: Candor retries
            return;
        }
        seen.add(id, now, now);
        res.status = 204;
    });
    if (!server.bind_to_port(listen, port)) {
        std::cerr << "cannot listen on " << listen << ':' << port << '\n';
        return 2;
    }
    running = &server;
    std::signal(SIGTERM, stop);
    std::signal(SIGINT, stop);
    std::cout << "listening on http://" << listen << ':' << port << std::endl;
    server.listen_after_bind();
    ::close(out);
    return 0;
}
