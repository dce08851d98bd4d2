// What the kiosk costs a guest, beside its floors:
//   page weight: every file the page loads (HTML, CSS, JS, the card model), aim < 100 KB
//   POST /submit -> receipt over HTTP on 127.0.0.1  vs  a bare write + fdatasync of the
//   bytes the journal grows by per card: aim (submit - fdatasync) < 50 ms
// Runs in the current directory (put it on the disk you care about). Medians of 5 runs.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <httplib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>

#include "../common/durable_floor.hpp"
#include "../common/median_reporter.hpp"
#include "candor/kiosk/assets.hpp"
#include "candor/kiosk/desk.hpp"
#include "candor/kiosk/page_model.hpp"
#include "candor/kiosk/server.hpp"
#include "candor/seal/keys.hpp"
#include "candor/survey/parse.hpp"

using namespace candor;
namespace fs = std::filesystem;

namespace {

// The card of the e2e test's first guest, as the page posts it.
constexpr char posted[] =
    R"({"language":"en","seconds":74,"answers":{"recommend":10,"satisfaction":5,"checkin_effort":2,)"
    R"("cleanliness":5,"staff":4,"breakfast":4,"reason":"leisure","amenities":["spa","pool"],)"
    R"("best_part":"The view from the terrace.","contact_me":true,"email":"ana@example.org"}})";

survey::survey hotel() {
    return survey::parse_file(CANDOR_SOURCE_DIR "/examples/surveys/hotel-stay.survey").value();
}
std::vector<std::pair<std::string, std::string>> const paris{
    {"site", "paris-01"}, {"channel", "kiosk"}, {"shift", "day"}};

using bench::scratch;

std::uintmax_t bytes_under(fs::path const& dir) {
    std::uintmax_t n = 0;
    for (auto const& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) n += e.file_size();
    return n;
}

kiosk::desk open_desk(fs::path const& dir) {
    static seal::hq_secret const hq = seal::make_hq_keys();
    auto key = seal::make_device_keys("kiosk-bench");
    auto s = hotel();
    auto fields = journal::settle(s, {key.id, paris}).value();
    return kiosk::desk(std::move(s), std::move(fields),
                       kiosk::keep_in(journal::journal::open(dir, key, hq.public_part()).value()));
}

// What one card adds to the journal, measured on a journal of its own.
std::size_t bytes_per_card() {
    scratch dir("size");
    auto d = open_desk(dir.path / "j");
    d.submit(posted, 1794000000);
    auto before = bytes_under(dir.path / "j");
    d.submit(posted, 1794000001);
    return bytes_under(dir.path / "j") - before;
}

void floor_write_fdatasync(benchmark::State& state) {
    bench::floor_write_fdatasync(state, bytes_per_card());
}

void submit_over_http(benchmark::State& state) {
    scratch dir("kiosk");
    auto d = open_desk(dir.path / "j");
    kiosk::server http(d, kiosk::page_model(d.survey(), {}));
    int port = http.bind("127.0.0.1", 0).value();
    std::thread serving([&] { http.listen(); });
    httplib::Client client("127.0.0.1", port);
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true);  // as a browser does
    for (auto _ : state) {
        auto r = client.Post("/submit", posted, "application/json");
        if (!r || r->status != 200) throw std::runtime_error("submit refused");
    }
    http.stop();
    serving.join();
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t weight = 0;
    for (auto const& a : kiosk::page_assets()) weight += a.body.size();
    auto model = kiosk::page_model(hotel(), {kiosk::layout::page, 60, paris});
    std::printf(
        "page weight: %zu bytes of files + %zu bytes of card model = %.1f KB (aim < 100 KB)\n\n",
        weight, model.size(), static_cast<double>(weight + model.size()) / 1024);

    benchmark::RegisterBenchmark("floor_write_fdatasync", floor_write_fdatasync)->MinTime(1);
    benchmark::RegisterBenchmark("submit_over_http", submit_over_http)->MinTime(1);
    bench::median_reporter reporter;
    bench::run_medians(argc, argv, reporter);

    std::map<std::string, double> t;  // ms
    for (auto const& [name, m] : reporter.medians) t[name] = m.real_time / 1e6;
    if (t.count("submit_over_http") != 0 && t.count("floor_write_fdatasync") != 0)
        std::printf(
            "\nPer card, medians of 5 runs: POST /submit to receipt %.3f ms, bare write+fdatasync "
            "%.3f ms = %.2fx; above the fdatasync: %.3f ms (aim < 50 ms)\n",
            t["submit_over_http"], t["floor_write_fdatasync"],
            t["submit_over_http"] / t["floor_write_fdatasync"],
            t["submit_over_http"] - t["floor_write_fdatasync"]);
    return 0;
}
