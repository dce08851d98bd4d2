// What candor serve costs: `guests` clients at once (1, then 50), each sending invitation
// cards one after another over HTTP on 127.0.0.1 (each card: intake, journal with fdatasync,
// the invitation marked used with fdatasync), beside the floor, a bare write + fdatasync of
// the bytes the journal grows by per card, timed one after another.
// Prints submits/s and p50/p99 latency per load and the page's weight: the bytes a guest's
// phone fetches for a card (the page, its files, card.json), as served over HTTP, plain and
// gzipped. With many guests, latency is guests / throughput (Little's law): the figure to
// hold against the floor there is throughput, against the floor's one-after-another rate;
// with one guest, latency itself. Time to interactive in Chromium: tti.cjs beside this.
// Runs in the current directory (put it on the disk you care about).
#include <fcntl.h>
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "../common/durable_floor.hpp"
#include "candor/kiosk/assets.hpp"
#include "candor/seal/keys.hpp"
#include "candor/serve/server.hpp"
#include "candor/survey/parse.hpp"
#include "candor/time.hpp"

using namespace candor;
using clock_type = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

// One guest sends more, for its percentiles to mean something.
constexpr int cards_per_guest = 20;
constexpr int cards_alone = 300;

constexpr char posted[] =
    R"({"language":"en","seconds":74,"answers":{"recommend":10,"satisfaction":5,"checkin_effort":2,)"
    R"("cleanliness":5,"staff":4,"breakfast":4,"reason":"leisure","amenities":["spa","pool"],)"
    R"("best_part":"The view from the terrace.","contact_me":true,"email":"ana@example.org"}})";

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

std::uintmax_t bytes_under(fs::path const& dir) {
    std::uintmax_t n = 0;
    for (auto const& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) n += e.file_size();
    return n;
}

struct load {
    int guests;
    int cards;
    int failed;
    double seconds;
    std::vector<double> latencies;
    std::uintmax_t journal_bytes;
};

// `guests` clients at once, `cards` cards each, on a fresh server.
load run(int guests, int cards_per_guest, survey::survey const& survey, std::size_t* weight,
         std::size_t* gzipped) {
    bench::scratch dir("serve");
    auto hq = seal::make_hq_keys();
    serve::settings s;
    s.sites = {"paris-01"};
    s.fields = {{"channel", "web"}, {"shift", "day"}};
    auto server = serve::server::open(dir.path / "state", {survey},
                                      seal::make_device_keys("hq-bench"), hq.public_part(), s)
                      .value();
    int const port = server->bind("127.0.0.1", 0).value();
    std::thread serving([&] { server->listen(); });

    std::vector<std::string> tokens;
    for (int i = 0; i < guests * cards_per_guest; ++i)
        tokens.push_back(
            server->book()
                .issue({"B-" + std::to_string(i), "paris-01", "hotel-stay", 0}, unix_now())
                .value());
    if (weight) {
        httplib::Client client("127.0.0.1", port);
        client.set_decompress(false);
        auto count = [&](std::string const& path) {
            for (auto [encoding, total] : {std::pair{"identity", weight}, {"gzip", gzipped}}) {
                auto r = client.Get(path, {{"Accept-Encoding", encoding}});
                if (!r || r->status != 200) throw std::runtime_error("cannot fetch " + path);
                *total += r->body.size();
            }
        };
        count("/s/" + tokens.back());
        count("/s/" + tokens.back() + "/card.json");
        for (auto const& a : kiosk::page_assets())
            if (a.path != "/") count(std::string(a.path));
    }
    auto const journal_before = bytes_under(dir.path / "state" / "journal");
    std::vector<std::vector<double>> latencies(guests);
    std::atomic<int> failed{0};
    auto const start = clock_type::now();
    std::vector<std::thread> threads;
    for (int g = 0; g < guests; ++g)
        threads.emplace_back([&, g] {
            httplib::Client client("127.0.0.1", port);
            client.set_keep_alive(true);
            client.set_tcp_nodelay(true);
            client.set_read_timeout(std::chrono::seconds(60));
            for (int c = 0; c < cards_per_guest; ++c) {
                auto const t0 = clock_type::now();
                auto r = client.Post("/s/" + tokens[g * cards_per_guest + c] + "/submit", posted,
                                     "application/json");
                if (!r || r->status != 200) ++failed;
                latencies[g].push_back(
                    std::chrono::duration<double, std::milli>(clock_type::now() - t0).count());
            }
        });
    for (auto& t : threads) t.join();
    double const seconds = std::chrono::duration<double>(clock_type::now() - start).count();
    server->stop();
    serving.join();
    load l{guests, guests * cards_per_guest, failed.load(), seconds, {}, 0};
    for (auto const& v : latencies) l.latencies.insert(l.latencies.end(), v.begin(), v.end());
    l.journal_bytes = bytes_under(dir.path / "state" / "journal") - journal_before;
    return l;
}

}  // namespace

int main() {
    auto survey = survey::parse_file(CANDOR_SOURCE_DIR "/examples/surveys/hotel-stay.survey");
    if (!survey) throw std::runtime_error("no survey");
    std::size_t weight = 0, gzipped = 0;
    std::vector<load> loads;
    loads.push_back(run(1, cards_alone, *survey, nullptr, nullptr));
    loads.push_back(run(50, cards_per_guest, *survey, &weight, &gzipped));
    auto const per_card = loads.back().journal_bytes / loads.back().cards;

    // The floor: the same bytes appended and fdatasynced, one after another.
    std::vector<double> floor;
    {
        bench::scratch f("serve-floor");
        int fd = ::open((f.path / "f").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        std::string block(per_card, 'x');
        for (int i = 0; i < 200; ++i) {
            auto const t0 = clock_type::now();
            if (::write(fd, block.data(), block.size()) != static_cast<ssize_t>(block.size()) ||
                ::fdatasync(fd) != 0)
                throw std::runtime_error("write failed");
            floor.push_back(
                std::chrono::duration<double, std::milli>(clock_type::now() - t0).count());
        }
        ::close(fd);
    }
    double const floor50 = percentile(floor, 0.5);
    std::printf("floor: bare write+fdatasync of %zu bytes p50 %.3f ms (%.0f/s one after another)\n",
                static_cast<std::size_t>(per_card), floor50, 1000 / floor50);
    int failed = 0;
    for (auto const& l : loads) {
        double const rate = l.cards / l.seconds;
        std::printf(
            "%2d guest(s) at once: %d cards (%d failed) in %.2f s: %.0f submits/s (%.2fx the "
            "floor's rate); latency p50 %.2f ms (%.1fx the floor), p99 %.2f ms\n",
            l.guests, l.cards, l.failed, l.seconds, rate, rate * floor50 / 1000,
            percentile(l.latencies, 0.5), percentile(l.latencies, 0.5) / floor50,
            percentile(l.latencies, 0.99));
        failed += l.failed;
    }
    std::printf(
        "page weight: %zu bytes (%.1f KB), %zu gzipped as sent to a browser: the page, its "
        "files and card.json\n",
        weight, weight / 1024.0, gzipped);
    return failed == 0 ? 0 : 1;
}
