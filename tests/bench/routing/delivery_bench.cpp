// Webhook deliveries through the durable outbox (queued with fdatasync, POSTed signed,
// outcomes written) beside the bare HTTP POST rate to the same receiver on 127.0.0.1:
// the price of never losing a delivery. Peer: a keep-alive cpp-httplib client POSTing the
// same bodies with no outbox, no signature and no journal.
#include <benchmark/benchmark.h>
#include <httplib.h>

#include <cstdio>
#include <filesystem>
#include <thread>

#include "../common/median_reporter.hpp"
#include "candor/routing/outbox.hpp"

using namespace candor;

namespace {

constexpr char const* secret = "benchmark secret, 32 bytes long.";
constexpr int batch = 200;  // deliveries per iteration, as a busy route run sends

struct receiver {
    httplib::Server server;
    std::thread thread;
    int port = 0;
    receiver() {
        server.Post("/hooks/anne",
                    [](httplib::Request const&, httplib::Response& res) { res.status = 204; });
        port = server.bind_to_any_port("127.0.0.1");
        thread = std::thread([this] { server.listen_after_bind(); });
        while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~receiver() {
        server.stop();
        thread.join();
    }
};

receiver& rx() {
    static receiver r;
    return r;
}

std::string const body =
    R"({"event":"opened","response":"kiosk-1:7","survey":"hotel-stay","site":{"id":"paris-01"},)"
    R"("role":"regional_director","answers":{"recommend":3,"satisfaction":2,)"
    R"("what_went_wrong":"The night auditor was rude and we waited two hours."}})";

void BM_bare_post(benchmark::State& state) {
    httplib::Client client("http://127.0.0.1:" + std::to_string(rx().port));
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true);
    for (auto _ : state)
        for (int i = 0; i < batch; ++i) {
            auto res = client.Post("/hooks/anne", body, "application/json");
            if (!res || res->status != 204) state.SkipWithError("POST failed");
        }
    state.SetItemsProcessed(state.iterations() * batch);
}
BENCHMARK(BM_bare_post)->Unit(benchmark::kMillisecond)->UseRealTime()->Repetitions(5);

void BM_outbox_webhook(benchmark::State& state) {
    auto dir = std::filesystem::temp_directory_path() / "candor-delivery-bench";
    std::filesystem::remove_all(dir);
    auto box = routing::outbox::open(dir).value();  // fdatasync on, as in production
    routing::webhook_sink hooks({routing::parse_webhook_secrets(secret, "bench").value()},
                                routing::system_now);
    routing::sinks to{nullptr, &hooks, nullptr};
    std::string const url = "http://127.0.0.1:" + std::to_string(rx().port) + "/hooks/anne";
    std::int64_t n = 0;
    for (auto _ : state) {
        std::vector<routing::delivery> ds;
        for (int i = 0; i < batch; ++i, ++n) {
            routing::delivery d;
            d.key = "kiosk-1:" + std::to_string(n) + "/anne/opened/webhook";
            d.person = "anne";
            d.channel = routing::channel_kind::webhook;
            d.address = url;
            d.body = body;
            ds.push_back(std::move(d));
        }
        box.queue(ds, 1000);
        auto r = box.send_due(to, 1000);
        if (r.sent != batch) state.SkipWithError("not all sent");
    }
    state.SetItemsProcessed(state.iterations() * batch);
    std::filesystem::remove_all(dir);
}
BENCHMARK(BM_outbox_webhook)->Unit(benchmark::kMillisecond)->UseRealTime()->Repetitions(5);

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    bench::median_reporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    auto const& m = reporter.medians;
    if (m.count("BM_bare_post") && m.count("BM_outbox_webhook")) {
        double const bare = m.at("BM_bare_post").items_per_second,
                     outbox = m.at("BM_outbox_webhook").items_per_second;
        std::printf(
            "\nMedians of 5 runs: bare keep-alive POST %.0f/s; through the durable outbox %.0f/s = "
            "%.2fx\n",
            bare, outbox, outbox / bare);
    }
    return 0;
}
