// candor-webhook-receiver: what a receiver of Candor's webhooks does, in one page. Checks
// each POST's signature and freshness, keeps each idempotency key once, appends what it
// took to a JSON-lines file. The README's demo starts it on 127.0.0.1.
#include <httplib.h>

#include <csignal>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "candor/routing/delivery.hpp"

namespace {

httplib::Server* running = nullptr;
void stop(int) {
    if (running) running->stop();
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Receives Candor's webhook deliveries, checks their signature, keeps each once"};
    std::string listen = "127.0.0.1";
    int port = 8787;
    std::string secret_file, out_file;
    app.add_option("--listen", listen, "Address to listen on");
    app.add_option("--port", port, "Port");
    app.add_option("--secret", secret_file, "File holding the shared HMAC secret")->required();
    app.add_option("--out", out_file, "JSON-lines file the deliveries are appended to")->required();
    CLI11_PARSE(app, argc, argv);

    std::ifstream in(secret_file);
    std::string secret;
    std::getline(in, secret);
    if (secret.size() < 16) {
        std::cerr << secret_file << ": no secret of at least 16 characters\n";
        return 2;
    }
    std::ofstream out(out_file, std::ios::app);
    std::mutex mutex;
    std::set<std::string> seen;
    httplib::Server server;
    server.Post(R"(/.*)", [&](httplib::Request const& req, httplib::Response& res) {
        auto const key = req.get_header_value("Candor-Idempotency-Key");
        if (!candor::routing::verify_webhook(secret, req.get_header_value("Candor-Timestamp"),
                                             req.body, req.get_header_value("Candor-Signature"),
                                             candor::routing::system_now())) {
            res.status = 401;  // not from Candor, or too old: never taken
            return;
        }
        std::lock_guard lock(mutex);
        res.status = 204;
        if (!seen.insert(key).second) return;  // a retry of what we have: taken, not kept twice
        out << nlohmann::json{{"key", key},
                              {"path", req.path},
                              {"body", nlohmann::json::parse(req.body, nullptr, false)}}
                   .dump()
            << std::endl;
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
    return 0;
}
