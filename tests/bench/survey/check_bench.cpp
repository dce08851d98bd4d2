// response::validate over hotel-stay cards. The responses come from a fixed seed, mostly
// valid, about one in twelve broken in a way a real kiosk or email form can break them.
// `--responses_out=FILE` also writes them as JSON lines (and FILE.verdicts, one line per
// response: `accepted` or the problem codes) for the SurveyJS peer in surveyjs/check.js.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "../common/hotel_cards.hpp"
#include "candor/response/json.hpp"
#include "candor/response/validate.hpp"
#include "candor/survey/parse.hpp"

namespace {

using candor::response::response;

constexpr std::size_t response_count = 10'000;

struct fixture {
    candor::survey::survey survey;
    std::vector<response> responses;
    std::size_t rejected = 0;
};

fixture& cards() {
    static fixture f = [] {
        fixture out;
        std::string const path = CANDOR_SOURCE_DIR "/examples/surveys/hotel-stay.survey";
        auto parsed = candor::survey::parse_file(path);
        if (!parsed.has_value()) {
            std::fprintf(stderr, "%s\n", candor::render(parsed.error()).c_str());
            std::exit(1);
        }
        out.survey = std::move(*parsed);
        candor::bench::dice d;
        out.responses.reserve(response_count);
        for (std::size_t i = 0; i < response_count; ++i)
            out.responses.push_back(candor::bench::hotel_card(d, i));
        for (auto const& r : out.responses)
            if (!candor::response::validate(out.survey, r).empty()) ++out.rejected;
        return out;
    }();
    return f;
}

void write_responses(std::string const& path) {
    auto const& f = cards();
    std::ofstream json(path), verdicts(path + ".verdicts");
    for (auto const& r : f.responses) {
        json << candor::response::to_json(r) << '\n';
        auto const problems = candor::response::validate(f.survey, r);
        if (problems.empty()) verdicts << "accepted";
        for (std::size_t i = 0; i < problems.size(); ++i)
            verdicts << (i ? "," : "") << problems[i].where.field << ':' << problems[i].code;
        verdicts << '\n';
    }
    if (!json || !verdicts) {
        std::fprintf(stderr, "cannot write %s\n", path.c_str());
        std::exit(1);
    }
}

void BM_check_hotel_card(benchmark::State& state) {
    auto const& f = cards();
    std::size_t i = 0, rejected = 0;
    for (auto _ : state) {
        auto problems = candor::response::validate(f.survey, f.responses[i]);
        rejected += !problems.empty();
        benchmark::DoNotOptimize(problems);
        if (++i == f.responses.size()) i = 0;
    }
    benchmark::DoNotOptimize(rejected);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    state.counters["responses"] = static_cast<double>(f.responses.size());
    state.counters["rejected"] = static_cast<double>(f.rejected);
}
BENCHMARK(BM_check_hotel_card);

}  // namespace

int main(int argc, char** argv) {
    // Our one flag is taken out before Google Benchmark sees the others.
    std::string responses_out;
    int kept = 1;
    for (int i = 1; i < argc; ++i) {
        constexpr std::string_view flag = "--responses_out=";
        if (std::string_view(argv[i]).starts_with(flag))
            responses_out = argv[i] + flag.size();
        else
            argv[kept++] = argv[i];
    }
    argc = kept;

    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    auto const& f = cards();
    std::fprintf(stderr, "hotel-stay: %zu responses, %zu rejected by response::validate\n",
                 f.responses.size(), f.rejected);
    if (!responses_out.empty()) write_responses(responses_out);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
