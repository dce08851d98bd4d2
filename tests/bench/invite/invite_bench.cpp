// Invitations for a PMS export of 1,000,000 stays (the CSV generated here): parsing the
// export, and the whole run (tokens issued in batches with one syncfs each, the mails queued
// in the durable outbox, the index written), against issuing tokens one by one (a sync each).
// Prints the medians and their ratios.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "../common/median_reporter.hpp"
#include "candor/invite/invite.hpp"
#include "candor/routing/org.hpp"
#include "candor/survey/parse.hpp"
#include "candor/time.hpp"

using namespace candor;

namespace {

constexpr std::size_t export_stays = 1'000'000;
constexpr std::size_t one_by_one = 2'000;  // single issues: a sync each, so fewer

std::string const& export_csv() {
    static std::string const csv = [] {
        std::string s = "stay_id,email,name,language,site,checkout\n";
        char const* sites[] = {"paris-01", "lille-04", "nice-03", "lyon-02"};
        char const* langs[] = {"fr", "en", "de", "en-GB"};
        for (std::size_t i = 0; i < export_stays; ++i)
            s += "B-" + std::to_string(i) + ",guest" + std::to_string(i) + "@example.com,Guest " +
                 std::to_string(i) + "," + langs[i % 4] + "," + sites[i % 4] + ",2026-11-23 " +
                 (i % 2 ? "11:00" : "20:30") + "\n";
        return s;
    }();
    return csv;
}

routing::organisation const& org() {
    static auto const o =
        routing::parse_org_file(CANDOR_SOURCE_DIR "/examples/org/hotel-chain.org").value();
    return o;
}
survey::survey const& hotel() {
    static auto const s =
        survey::parse_file(CANDOR_SOURCE_DIR "/examples/surveys/hotel-stay.survey").value();
    return s;
}

std::filesystem::path fresh(char const* name) {
    auto const dir = std::filesystem::temp_directory_path() / name;
    std::filesystem::remove_all(dir);
    return dir;
}

void BM_parse_export(benchmark::State& state) {
    auto const& csv = export_csv();
    for (auto _ : state) {
        auto stays = invite::parse_stays(csv, "stays.csv");
        if (!stays || stays->size() != export_stays) state.SkipWithError("parse");
        benchmark::DoNotOptimize(stays);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * export_stays));
}
BENCHMARK(BM_parse_export)->Unit(benchmark::kMillisecond)->UseRealTime()->Repetitions(3);

void BM_invite_export(benchmark::State& state) {
    auto const stays = invite::parse_stays(export_csv(), "stays.csv").value();
    invite::settings s;
    s.base_url = "https://feedback.example.com";
    s.unsubscribe_address = "unsubscribe@feedback.example.com";
    auto const now = *parse_timestamp("2026-11-23T12:00:00Z");
    for (auto _ : state) {
        state.PauseTiming();
        auto const dir = fresh("candor-invite-bench");
        auto book = serve::invitations::open(dir / "invitations").value();
        auto optouts = serve::optouts::open(dir / "optout").value();
        auto out = routing::outbox::open(dir / "outbox").value();
        auto done = invite::stay_index::open(dir / "invited").value();
        state.ResumeTiming();
        auto r = invite::invite(stays, hotel(), org(), s, book, optouts, out, done, now);
        if (r.invited != export_stays) state.SkipWithError("not all invited");
        state.PauseTiming();
        std::filesystem::remove_all(dir);
        state.ResumeTiming();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * export_stays));
}
BENCHMARK(BM_invite_export)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1)
    ->Repetitions(3);

void BM_issue_one_by_one(benchmark::State& state) {
    auto const now = *parse_timestamp("2026-11-23T12:00:00Z");
    for (auto _ : state) {
        state.PauseTiming();
        auto const dir = fresh("candor-invite-bench-single");
        auto book = serve::invitations::open(dir).value();
        state.ResumeTiming();
        for (std::size_t i = 0; i < one_by_one; ++i)
            if (!book.issue({"B-" + std::to_string(i), "paris-01", "hotel-stay", 0}, now))
                state.SkipWithError("issue");
        state.PauseTiming();
        std::filesystem::remove_all(dir);
        state.ResumeTiming();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * one_by_one));
}
BENCHMARK(BM_issue_one_by_one)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1)
    ->Repetitions(3);

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    bench::median_reporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    auto const& m = reporter.medians;
    if (m.count("BM_parse_export") && m.count("BM_invite_export") &&
        m.count("BM_issue_one_by_one")) {
        double const parse = m.at("BM_parse_export").items_per_second,
                     run = m.at("BM_invite_export").items_per_second,
                     single = m.at("BM_issue_one_by_one").items_per_second;
        std::printf(
            "\nMedians of 3 runs, %zu stays: parsing the export %.0f stays/s; the whole run %.0f "
            "invitations/s (%.1f s); tokens one by one, a sync each, %.0f/s: batching is %.1fx\n",
            export_stays, parse, run, double(export_stays) / run, single, run / single);
    }
    return 0;
}
