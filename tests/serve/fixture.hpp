// Shared by the serve tests: head office's server run on a free port of 127.0.0.1, on a
// thread of the test, and a client of it.
#pragma once

#include <doctest/doctest.h>
#include <httplib.h>

#include <chrono>
#include <memory>
#include <thread>

#include "candor/seal/keys.hpp"
#include "candor/serve/server.hpp"

namespace candor::serve::testing {

// The keys of a head office taking pushes: its own, its server's (hq-web, no site) and two
// kiosks'.
struct pushing_keys {
    seal::hq_secret hq = seal::make_hq_keys();
    seal::device_secret server_key = seal::make_device_keys("hq-web");
    seal::device_secret a = seal::make_device_keys("kiosk-a");
    seal::device_secret b = seal::make_device_keys("kiosk-b");
};

struct running_server {
    std::unique_ptr<serve::server> server;
    int port = 0;
    std::thread thread;

    ~running_server() { stop(); }
    // Serves what serve::server::open opened.
    void run(result<std::unique_ptr<serve::server>> opened) {
        if (!opened) FAIL(render(opened.error()));
        server = std::move(*opened);
        port = server->bind("127.0.0.1", 0).value();
        thread = std::thread([this] { server->listen(); });
    }
    void stop() {
        if (!server) return;
        server->stop();
        thread.join();
        server.reset();
    }
    httplib::Client client() const {
        httplib::Client c("127.0.0.1", port);
        c.set_read_timeout(std::chrono::seconds(30));
        return c;
    }
};

}  // namespace candor::serve::testing
