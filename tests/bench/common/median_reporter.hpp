// Keeps the median of each repeated benchmark, so a bench can print ratios against its
// peer at the end (medians: this machine is shared and noisy).
#pragma once

#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <vector>

namespace candor::bench {

class median_reporter : public benchmark::ConsoleReporter {
  public:
    struct median {
        double real_time = 0;  // in the benchmark's time unit
        double items_per_second = 0;
    };
    std::map<std::string, median> medians;  // by name, with "/ARG" when it has one

    void ReportRuns(std::vector<Run> const& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (auto const& r : runs) {
            if (r.aggregate_name != "median") continue;
            auto it = r.counters.find("items_per_second");
            medians[r.run_name.function_name +
                    (r.run_name.args.empty() ? "" : "/" + r.run_name.args)] = {
                r.GetAdjustedRealTime(), it == r.counters.end() ? 0.0 : double(it->second)};
        }
    }
};

// Runs the registered benchmarks 5 times each, reporting only their aggregates, and keeps
// the medians in `reporter`.
inline void run_medians(int argc, char** argv, median_reporter& reporter) {
    std::vector<char*> args(argv, argv + argc);
    std::string reps = "--benchmark_repetitions=5",
                only = "--benchmark_report_aggregates_only=true";
    args.push_back(reps.data());
    args.push_back(only.data());
    int n = static_cast<int>(args.size());
    benchmark::Initialize(&n, args.data());
    benchmark::RunSpecifiedBenchmarks(&reporter);
}

}  // namespace candor::bench
