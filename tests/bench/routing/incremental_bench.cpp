// Incremental passes: `route run` for 1,000 new cards into a store holding 10,000, 100,000
// and more cards already routed, and a pass with nothing new. Each pass runs as
// `candor route run` does, in a child process of its own (the store, the case log and the
// outbox opened, the pass, everything closed): its time and its peak RSS (getrusage). The
// store is built once with the library's intake, on both cores, and grown from one size to
// the next; its history is routed (and its cases resolved, as managers do) a month and more
// before the measured passes, so that what the outbox keeps (sent_kept_for) is what is new.
// Aim: flat, within 1.5x from the smallest size to the largest.
// Usage: incremental_bench [SIZE...] (default 10000 100000 1000000); CANDOR_BENCH_DIR
// names the work directory (a temporary one otherwise; it is removed at the end).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "../common/hotel_cards.hpp"
#include "candor/journal/bundle.hpp"
#include "candor/journal/intake.hpp"
#include "candor/journal/journal.hpp"
#include "candor/journal/store.hpp"
#include "candor/routing/cases.hpp"
#include "candor/routing/outbox.hpp"
#include "candor/routing/pass.hpp"
#include "candor/routing/rules.hpp"
#include "candor/survey/parse.hpp"

using namespace candor;
namespace fs = std::filesystem;

namespace {

std::string const examples = CANDOR_SOURCE_DIR "/examples";
constexpr std::size_t new_cards = 1000;
constexpr int repeats = 3;           // each adds its 1,000 cards: the store holds N to N + 3,000
constexpr std::size_t batch = 2000;  // cards per journal write while building the store
constexpr routing::timestamp day = 86400;

struct null_sink final : routing::sink {
    result<void> send(routing::delivery const&) override { return {}; }
    std::size_t parallel() const noexcept override { return 1; }
};

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

struct world {
    fs::path dir;
    survey::survey survey = survey::parse_file(examples + "/surveys/hotel-stay.survey").value();
    routing::organisation org = routing::parse_org_file(examples + "/org/hotel-chain.org").value();
    routing::rule_set rules =
        routing::load_rules_file(examples + "/org/hotel-stay.rules", org, survey).value();
    seal::hq_secret hq = seal::make_hq_keys();
    std::vector<seal::device_secret> keys{seal::make_device_keys("kiosk-1"),
                                          seal::make_device_keys("kiosk-2")};
    std::vector<std::uint64_t> exported = {0, 0};
    std::size_t cards = 0;

    fs::path store() const { return dir / "store"; }

    // `n` more cards, half from each kiosk (one thread each), imported into the store.
    void grow(std::size_t n) {
        if (n == 0) return;
        std::vector<std::thread> threads;
        for (std::size_t k = 0; k < keys.size(); ++k)
            threads.emplace_back([this, k, n] {
                auto j = journal::journal::open(dir / ("kiosk-" + std::to_string(k)), keys[k],
                                                hq.public_part(), {64u << 20, false})
                             .value();
                bench::dice dice;
                std::string const id = keys[k].public_part().id;
                std::vector<journal::card> cards;
                for (std::size_t i = 0; i < n / keys.size(); ++i) {
                    auto r = bench::valid_card(dice, this->cards + i);
                    for (auto& [field, value] : r.fields)
                        if (field == "device") value = id;
                    journal::device_setting setting{id, r.fields};
                    cards.push_back(journal::intake(survey, std::move(r), setting).value());
                    if (cards.size() == batch) {
                        (void)j.submit(cards).value();
                        cards.clear();
                    }
                }
                if (!cards.empty()) (void)j.submit(cards).value();
            });
        for (auto& t : threads) t.join();
        auto s = journal::store::open(store(), {64u << 20, false}).value();
        std::vector<journal::bundle_input> in;
        seal::device_list devices;
        for (std::size_t k = 0; k < keys.size(); ++k) {
            auto const from = dir / ("kiosk-" + std::to_string(k));
            auto const bundle = dir / ("bundle-" + std::to_string(k) + ".cnb");
            auto const done = journal::export_bundle(from, exported[k], bundle).value();
            if (done.last != exported[k] + n / keys.size())
                throw std::runtime_error("the bundle lacks cards");
            std::ifstream file(bundle, std::ios::binary);
            in.push_back({bundle.string(), {std::istreambuf_iterator<char>(file), {}}});
            devices.devices.push_back(keys[k].public_part());
        }
        auto const report = s.import(in, devices, hq);
        if (report.refused_any()) throw std::runtime_error("cards refused at import");
    }

    // `route run`: the store opened (`opened` gets when that was done), then the pass.
    // `sync` off only to set the history up faster; the measured passes sync as route run.
    routing::pass_report pass(routing::timestamp now,
                              std::chrono::steady_clock::time_point* opened = nullptr,
                              bool sync = true) const {
        auto s = journal::store::open(store(), {64u << 20, false}).value();
        if (opened) *opened = std::chrono::steady_clock::now();
        auto const layout = routing::layout_of(store());
        journal::segment_options const options{64u << 20, sync};
        auto cases = routing::case_log::open(layout.cases, options).value();
        auto out = routing::outbox::open(layout.outbox, {}, options).value();
        routing::router router(org, survey, rules);
        null_sink sink;
        return routing::route_pass(s, hq, router, cases, out, {&sink, &sink, &sink}, now);
    }

    // Managers close what the history opened.
    void resolve_all(routing::timestamp now) const {
        auto cases =
            routing::case_log::open(routing::layout_of(store()).cases, {64u << 20, false}).value();
        std::vector<std::pair<std::string, std::string>> open;
        for (auto const& c : cases.cases())
            if (c.state != routing::case_state::resolved) open.emplace_back(c.id, c.owner);
        for (auto const& [id, owner] : open) (void)cases.resolve(id, owner, "done", now);
    }
};

struct measured {
    double seconds = 0;       // the whole run: the store opened, the pass
    double pass_seconds = 0;  // the pass, with the case log and the outbox opened
    long max_rss_kb = 0;
    std::uint64_t routed = 0;
};

// `work` in a child process, so that what it holds is measured and then gone (the parent
// stays small: a child's peak RSS counts the pages it was forked with).
measured in_child(std::function<measured()> const& work) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe");
    pid_t const pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        measured m = work();
        rusage u{};
        ::getrusage(RUSAGE_SELF, &u);
        m.max_rss_kb = u.ru_maxrss;
        (void)!::write(fds[1], &m, sizeof m);
        ::_exit(0);
    }
    ::close(fds[1]);
    measured m;
    auto const got = ::read(fds[0], &m, sizeof m);
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (got != static_cast<ssize_t>(sizeof m) || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error("the work failed in its child");
    return m;
}

// One pass, as `candor route run`.
measured pass_in_child(world const& w, routing::timestamp now, bool sync = true) {
    return in_child([&] {
        auto const start = std::chrono::steady_clock::now();
        auto opened = start;
        auto const r = w.pass(now, &opened, sync);
        return measured{seconds_since(start), seconds_since(opened), 0, r.routed};
    });
}

// The store grown by `n` cards, in a child.
void grow(world& w, std::size_t n) {
    in_child([&] {
        w.grow(n);
        return measured{};
    });
    w.cards += n;
    for (auto& e : w.exported) e += n / w.exported.size();
}

template <class T>
T median(std::vector<T> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::size_t> sizes;
    for (int i = 1; i < argc; ++i) sizes.push_back(std::stoul(argv[i]));
    if (sizes.empty()) sizes = {10'000, 100'000, 1'000'000};
    std::sort(sizes.begin(), sizes.end());
    world w;
    char const* given = std::getenv("CANDOR_BENCH_DIR");
    w.dir = given
                ? fs::path(given)
                : fs::temp_directory_path() / ("candor-incremental-" + std::to_string(::getpid()));
    fs::remove_all(w.dir);
    fs::create_directories(w.dir);

    struct row {
        std::size_t size;
        measured fresh, idle;
    };
    std::vector<row> rows;
    routing::timestamp now = 1'800'000'000;
    for (auto const size : sizes) {
        auto const start = std::chrono::steady_clock::now();
        grow(w, size > w.cards ? size - w.cards : 0);
        auto const built = seconds_since(start);
        auto const history = pass_in_child(w, now, false);  // the history, routed
        in_child([&] {
            w.resolve_all(now + 3600);
            return measured{};
        });
        (void)pass_in_child(w, now + day + 3600, false);  // the day's digests sent
        now += 40 * day;                                  // a month and more later,
        (void)pass_in_child(w, now);  // a pass that checkpoints what is still needed
        std::cerr << size << " cards: built in " << built << " s, history routed ("
                  << history.routed << " responses) in " << seconds_since(start) - built << " s\n";
        std::vector<measured> fresh, idle;
        for (int k = 0; k < repeats; ++k) {
            grow(w, new_cards);
            now += 600;
            fresh.push_back(pass_in_child(w, now));
            if (fresh.back().routed != new_cards) throw std::runtime_error("not all routed");
            now += 600;
            idle.push_back(pass_in_child(w, now));
        }
        auto by_time = [](auto const& v, double measured::*what) {
            std::vector<double> t;
            for (auto const& m : v) t.push_back(m.*what);
            return median(t);
        };
        auto by_rss = [](auto const& v) {
            std::vector<long> r;
            for (auto const& m : v) r.push_back(m.max_rss_kb);
            return median(r);
        };
        rows.push_back({size,
                        {by_time(fresh, &measured::seconds),
                         by_time(fresh, &measured::pass_seconds), by_rss(fresh), new_cards},
                        {by_time(idle, &measured::seconds), by_time(idle, &measured::pass_seconds),
                         by_rss(idle), 0}});
        now += 2 * day;
    }
    std::printf("%-9s | 1000 new: %8s %8s %8s | nothing new: %8s %8s %8s\n", "store", "run s",
                "pass s", "RSS MB", "run s", "pass s", "RSS MB");
    for (auto const& r : rows)
        std::printf("%-9zu |           %8.3f %8.3f %8.1f |              %8.3f %8.3f %8.1f\n",
                    r.size, r.fresh.seconds, r.fresh.pass_seconds,
                    double(r.fresh.max_rss_kb) / 1024, r.idle.seconds, r.idle.pass_seconds,
                    double(r.idle.max_rss_kb) / 1024);
    auto const& a = rows.front();
    auto const& b = rows.back();
    auto ratio = [](double x, double y) { return y > 0 ? x / y : 0.0; };
    std::printf(
        "ratios %zu/%zu (medians of %d; aim within 1.5x):\n"
        "  1000 new:    run %.2fx, pass %.2fx, RSS %.2fx\n"
        "  nothing new: run %.2fx, pass %.2fx, RSS %.2fx\n"
        "(run: the store opened, its index rebuilt from all its records, then the pass; pass: "
        "the case log and the outbox opened, the pass)\n",
        b.size, a.size, repeats, ratio(b.fresh.seconds, a.fresh.seconds),
        ratio(b.fresh.pass_seconds, a.fresh.pass_seconds),
        ratio(double(b.fresh.max_rss_kb), double(a.fresh.max_rss_kb)),
        ratio(b.idle.seconds, a.idle.seconds), ratio(b.idle.pass_seconds, a.idle.pass_seconds),
        ratio(double(b.idle.max_rss_kb), double(a.idle.max_rss_kb)));
    if (!given) fs::remove_all(w.dir);
    return 0;
}
