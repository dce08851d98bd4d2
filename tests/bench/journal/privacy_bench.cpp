// What sealing personal answers apart (format 2) costs, against format 1 sealing the same
// card whole, per card:
//   intake + seal + sign (journal::submit, no fdatasync)   format 2 vs format 1
//   head office's opening (journal::open_card)             format 2 vs format 1
// and what erasing one guest costs in a store of N cards (a lookup in the guest index, the
// log record and one key segment rewritten, all synced): CANDOR_BENCH_CARDS (default
// 200000) cards of distinct guests, made and imported first (not timed).
// Runs in the current directory. Medians of 5 runs.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "../common/durable_floor.hpp"
#include "../common/median_reporter.hpp"
#include "candor/journal/bundle.hpp"
#include "candor/journal/erasure.hpp"
#include "candor/journal/inspect.hpp"
#include "candor/journal/intake.hpp"
#include "candor/journal/journal.hpp"
#include "candor/journal/opening.hpp"
#include "candor/journal/store.hpp"
#include "candor/response/json.hpp"
#include "candor/survey/parse.hpp"
#include "candor/time.hpp"

using namespace candor;
namespace fs = std::filesystem;

namespace {

struct keys {
    seal::hq_secret hq = seal::make_hq_keys();
    seal::device_secret device = seal::make_device_keys("kiosk-bench");
    seal::device_list devices{{device.public_part()}};
};
keys const& the_keys() {
    static keys k;
    return k;
}

survey::survey const& hotel() {
    static auto const s =
        survey::parse_file(CANDOR_SOURCE_DIR "/examples/surveys/hotel-stay.survey").value();
    return s;
}

std::string guest_json(int i) {
    return R"({"survey":"hotel-stay","version":3,"language":"en","fields":{"site":"paris-01","device":"kiosk-bench","channel":"kiosk","shift":"day"},"submitted":")" +
           format_timestamp(1793607372 + i) + R"(","answers":{"recommend":)" +
           std::to_string(i % 11) +
           R"(,"satisfaction":4,"reason":"leisure","contact_me":true,"phone":"+33 6 12 34 )" +
           std::to_string(10 + i % 90) + R"( 00","email":"guest)" + std::to_string(i) +
           R"(@example.com"}})";
}

// The card as intake makes it; `whole`: sealed in one box with the rest, as format 1 did.
journal::card make(int i, bool whole) {
    auto text = guest_json(i);
    auto c = journal::intake(hotel(), text, {"kiosk-bench", {}}).value();
    if (whole) {
        c.content = response::to_json(response::from_json(text).value());
        c.personal.clear();
    }
    return c;
}

using bench::scratch;

journal::journal open_journal(fs::path const& dir) {
    auto const& k = the_keys();
    return journal::journal::open(dir, k.device, k.hq.public_part(), {64u << 20, false}).value();
}

void intake_submit(benchmark::State& state) {
    bool const whole = state.range(0) == 1;
    scratch dir(whole ? "submit-v1" : "submit-v2");
    auto j = open_journal(dir.path / "j");
    int i = 0;
    for (auto _ : state) {
        auto c = make(++i, whole);
        benchmark::DoNotOptimize(j.submit(std::span(&c, 1)).value());
    }
}

void open_card(benchmark::State& state) {
    bool const whole = state.range(0) == 1;
    scratch dir(whole ? "open-v1" : "open-v2");
    auto const& k = the_keys();
    {
        auto j = open_journal(dir.path / "j");
        std::vector<journal::card> cards;
        for (int i = 0; i < 1000; ++i) cards.push_back(make(i, whole));
        (void)j.submit(cards).value();
    }
    auto records = journal::inspect_journal(dir.path / "j").records;
    std::size_t i = 0;
    for (auto _ : state) {
        auto opened = journal::open_card(records[i++ % records.size()], k.hq);
        if (!opened || opened->find("email") == nullptr) throw std::logic_error("open");
        benchmark::DoNotOptimize(opened);
    }
}

std::size_t store_cards() {
    auto const* n = std::getenv("CANDOR_BENCH_CARDS");
    return n != nullptr ? std::stoul(n) : 200000;
}

// The store of N cards, made once.
struct big_store {
    scratch dir{"erase"};
    std::size_t cards = store_cards();
    double open_seconds = 0;
    double make_seconds = 0;
    big_store() {
        auto const& k = the_keys();
        auto const start = std::chrono::steady_clock::now();
        constexpr int batch = 5000;
        auto j = open_journal(dir.path / "j");
        auto store = journal::store::open(dir.path / "store", {64u << 20, false}).value();
        std::uint64_t after = 0;
        for (std::size_t from = 0; from < cards; from += batch) {
            std::vector<journal::card> cs;
            for (std::size_t i = from; i < std::min(cards, from + batch); ++i)
                cs.push_back(make(static_cast<int>(i), false));
            (void)j.submit(cs).value();
            auto b = journal::make_bundle(dir.path / "j", after, k.device, unix_now()).value();
            after = j.last_seq();
            std::vector<journal::bundle_input> in{{"b", std::move(b.data)}};
            if (store.import(in, k.devices, k.hq).accepted != cs.size())
                throw std::logic_error("import");
        }
        make_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
};
big_store& the_store() {
    static big_store s;
    return s;
}

// One guest erased per iteration, in the store opened once (durable: every write synced).
void erase_one_guest(benchmark::State& state) {
    auto& big = the_store();
    auto const start = std::chrono::steady_clock::now();
    auto store = journal::store::open(big.dir.path / "store").value();
    big.open_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    auto const& k = the_keys();
    static std::size_t next = 0;  // across repetitions: every guest erased once
    for (auto _ : state) {
        auto const guest = (7 + 7919 * next++) % big.cards;  // 7919 is prime
        auto done = journal::erase_guest(
            store, {"", "guest" + std::to_string(guest) + "@example.com"}, "bench", k.hq, 1);
        if (!done || done->erased.empty()) throw std::logic_error("erase");
    }
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::RegisterBenchmark("intake_submit", intake_submit)->Arg(1)->MinTime(1);
    benchmark::RegisterBenchmark("intake_submit", intake_submit)->Arg(2)->MinTime(1);
    benchmark::RegisterBenchmark("open_card", open_card)->Arg(1)->MinTime(1);
    benchmark::RegisterBenchmark("open_card", open_card)->Arg(2)->MinTime(1);
    benchmark::RegisterBenchmark("erase_one_guest", erase_one_guest)->Iterations(20);
    bench::median_reporter reporter;
    bench::run_medians(argc, argv, reporter);

    std::map<std::string, double> t;  // microseconds
    for (auto const& [name, m] : reporter.medians) t[name] = m.real_time / 1000.0;
    auto show = [&](char const* what, std::string const& a, std::string const& b) {
        if (t.count(a) != 0 && t.count(b) != 0)
            std::printf("%-52s %9.1f us / %9.1f us = %.2fx\n", what, t[a], t[b], t[a] / t[b]);
    };
    std::printf("\nPer card, medians of 5 runs:\n");
    show("intake+seal+sign, format 2 / format 1 (aim <= 1.2)", "intake_submit/2",
         "intake_submit/1");
    show("open_card, format 2 / format 1 (aim <= 1.2)", "open_card/2", "open_card/1");
    if (t.count("erase_one_guest") != 0)
        std::printf(
            "erase one guest in a store of %zu cards: %.1f ms (aim < 1000 ms); "
            "made in %.0f s, opened in %.1f s\n",
            the_store().cards, t["erase_one_guest"] / 1000.0, the_store().make_seconds,
            the_store().open_seconds);
    return 0;
}
