// JSON lines at memory speed: 1,000,000 hotel-stay cards (tests/bench/common/hotel_cards.hpp,
// about one in twelve refused by validate) read from JSON lines and checked, and turned into
// CSV as `candor export` does. Peers from the same run: simdjson's own parse of the same lines
// with nothing built or checked (the floor: every byte is read and validated as JSON once,
// by the fastest parser there is), and nlohmann parsing the same lines into its DOM (the
// reader before simdjson). `--jsonl_out=FILE` writes the lines and exits, for timing the CLI.
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <streambuf>
#include <string>
#include <string_view>

#include "../common/hotel_cards.hpp"
#include "../common/median_reporter.hpp"
#include "candor/response/csv.hpp"
#include "candor/response/json.hpp"
#include "candor/response/validate.hpp"
#include "candor/survey/parse.hpp"

namespace {

constexpr std::size_t card_count = 1'000'000;

struct fixture {
    candor::survey::survey survey;
    std::string lines;  // card_count JSON lines
};

fixture const& cards() {
    static fixture const f = [] {
        fixture out;
        auto parsed =
            candor::survey::parse_file(CANDOR_SOURCE_DIR "/examples/surveys/hotel-stay.survey");
        if (!parsed) {
            std::fprintf(stderr, "%s\n", candor::render(parsed.error()).c_str());
            std::exit(1);
        }
        out.survey = std::move(*parsed);
        candor::bench::dice d;
        for (std::size_t i = 0; i < card_count; ++i)
            out.lines += candor::response::to_json(candor::bench::hotel_card(d, i)) + '\n';
        return out;
    }();
    return f;
}

// The lines as a stream, without a copy of 400 MB per run.
class view_buf : public std::streambuf {
  public:
    explicit view_buf(std::string_view text) {
        char* p = const_cast<char*>(text.data());
        setg(p, p, p + text.size());
    }
};

// Counts what it is given and keeps nothing: the CSV's cost without the disk's.
class counting_buf : public std::streambuf {
  public:
    std::size_t bytes = 0;

  protected:
    std::streamsize xsputn(char const*, std::streamsize n) override {
        bytes += static_cast<std::size_t>(n);
        return n;
    }
    int_type overflow(int_type c) override {
        ++bytes;
        return c;
    }
};

void per_card(benchmark::State& state) {
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * card_count));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * cards().lines.size()));
}

void BM_floor_simdjson(benchmark::State& state) {
    auto const& f = cards();
    simdjson::padded_string const text(f.lines);
    simdjson::dom::parser parser;
    parser.threaded = false;  // one core, as the reader
    for (auto _ : state) {
        std::size_t n = 0;
        simdjson::dom::document_stream docs;
        if (parser.parse_many(text).get(docs)) state.SkipWithError("parse_many");
        for (auto doc : docs) n += doc.error() == simdjson::SUCCESS;
        if (n != card_count) state.SkipWithError("not every line parsed");
    }
    per_card(state);
}

void BM_nlohmann_parse(benchmark::State& state) {
    std::string_view const text = cards().lines;
    for (auto _ : state) {
        std::size_t n = 0;
        for (std::size_t at = 0; at < text.size();) {
            auto end = text.find('\n', at);
            auto j = nlohmann::json::parse(text.substr(at, end - at), nullptr, false);
            n += !j.is_discarded();
            at = end + 1;
        }
        if (n != card_count) state.SkipWithError("not every line parsed");
    }
    per_card(state);
}

void BM_read_json_lines(benchmark::State& state) {
    auto const& f = cards();
    for (auto _ : state) {
        view_buf text(f.lines);
        std::istream in(&text);
        candor::response::json_line_reader reader(in, "cards.jsonl");
        std::size_t read = 0;
        while (auto line = reader.next()) read += line->value.has_value();
        if (read != card_count) state.SkipWithError("not every line read");
    }
    per_card(state);
}

void BM_read_and_validate(benchmark::State& state) {
    auto const& f = cards();
    for (auto _ : state) {
        view_buf text(f.lines);
        std::istream in(&text);
        candor::response::json_line_reader reader(in, "cards.jsonl");
        std::size_t accepted = 0, read = 0;
        while (auto line = reader.next()) {
            ++read;
            accepted += line->value && candor::response::validate(f.survey, *line->value).empty();
        }
        if (read != card_count) state.SkipWithError("not every line read");
        state.counters["accepted"] = static_cast<double>(accepted);
    }
    per_card(state);
}

void BM_export_csv(benchmark::State& state) {
    auto const& f = cards();
    for (auto _ : state) {
        view_buf text(f.lines);
        std::istream in(&text);
        counting_buf sink;
        std::ostream out(&sink);
        auto counts = candor::response::export_csv(in, "cards.jsonl", f.survey, out);
        if (counts.exported + counts.skipped != card_count) state.SkipWithError("lines lost");
        state.counters["exported"] = static_cast<double>(counts.exported);
        state.counters["csv_MB"] = static_cast<double>(sink.bytes) / 1e6;
    }
    per_card(state);
}

void whole_run(benchmark::internal::Benchmark* b) {
    b->Unit(benchmark::kMillisecond)->Iterations(1)->Repetitions(5)->ReportAggregatesOnly(true);
}
BENCHMARK(BM_floor_simdjson)->Apply(whole_run);
BENCHMARK(BM_nlohmann_parse)->Apply(whole_run);
BENCHMARK(BM_read_json_lines)->Apply(whole_run);
BENCHMARK(BM_read_and_validate)->Apply(whole_run);
BENCHMARK(BM_export_csv)->Apply(whole_run);

}  // namespace

int main(int argc, char** argv) {
    int kept = 1;
    std::string jsonl_out;
    for (int i = 1; i < argc; ++i) {
        constexpr std::string_view flag = "--jsonl_out=";
        if (std::string_view(argv[i]).starts_with(flag))
            jsonl_out = argv[i] + flag.size();
        else
            argv[kept++] = argv[i];
    }
    argc = kept;
    if (!jsonl_out.empty()) {
        std::ofstream out(jsonl_out, std::ios::binary);
        out << cards().lines;
        return out ? 0 : 1;
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    std::fprintf(stderr, "hotel-stay: %zu cards, %.1f MB of JSON lines\n", card_count,
                 static_cast<double>(cards().lines.size()) / 1e6);
    candor::bench::median_reporter rep;
    benchmark::RunSpecifiedBenchmarks(&rep);
    benchmark::Shutdown();
    auto const& m = rep.medians;
    auto rate = [&](char const* name) {
        auto it = m.find(name);
        return it == m.end() ? 0.0 : it->second.items_per_second;
    };
    double const floor = rate("BM_floor_simdjson"), nlohmann = rate("BM_nlohmann_parse"),
                 read_only = rate("BM_read_json_lines"), read = rate("BM_read_and_validate"),
                 csv = rate("BM_export_csv");
    std::printf("\nmedians over %zu hotel-stay cards, one core:\n", card_count);
    std::printf("  floor: simdjson parse, nothing built  %12.0f cards/s\n", floor);
    std::printf("  nlohmann parse into its DOM           %12.0f cards/s\n", nlohmann);
    std::printf("  json_line_reader, no validate         %12.0f cards/s  %.2fx the floor's time\n",
                read_only, floor / read_only);
    std::printf(
        "  json_line_reader + validate           %12.0f cards/s  %.2fx the floor's time, "
        "%.1fx nlohmann's speed\n",
        read, floor / read, read / nlohmann);
    std::printf("  export_csv (candor export)            %12.0f cards/s  %.2f s for %zu cards\n",
                csv, static_cast<double>(card_count) / csv, card_count);
    return 0;
}
