// NPS by site over 10,000,000 cards from 1,000 sites, in C++: the data of the stats bench
// (tests/bench/stats), written to DIR for the Python side to read the same bytes. Then, one
// call per line read from stdin, so that the Python side can alternate with it call by call:
//   library: stats::group_by + stats::histograms_by on a stats::frame, stats::nps per site
//   arrays:  stats::histograms_by on the raw arrays (spans, what the bindings call), stats::nps
// each answered with "WALL_MS CPU_MS" (CPU: of the whole process, every thread).
// Usage: bindings_bench DIR; prints "ready" once the data is written, and site 0's NPS
// "SCORE SE N" at the end of its input.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "../common/generated_cards.hpp"
#include "candor/stats/figures.hpp"
#include "candor/stats/segments.hpp"

namespace {

using namespace candor::stats;

constexpr std::size_t cards = 10'000'000;
constexpr int sites = 1000;

using candor::bench::answer;
using candor::bench::xorshift;

template <class A>
void write(std::filesystem::path const& file, A const& a) {
    std::ofstream out(file, std::ios::binary);
    out.write(reinterpret_cast<char const*>(a.data()),
              static_cast<std::streamsize>(static_cast<std::size_t>(a.size()) * sizeof(a[0])));
}

// One call's wall and CPU time in ms.
template <class F>
void time_call(F f) {
    auto t0 = std::chrono::steady_clock::now();
    auto c0 = std::clock();
    f();
    auto c1 = std::clock();
    auto t1 = std::chrono::steady_clock::now();
    std::printf("%.3f %.3f\n", std::chrono::duration<double, std::milli>(t1 - t0).count(),
                1e3 * static_cast<double>(c1 - c0) / CLOCKS_PER_SEC);
    std::fflush(stdout);
}

volatile double sink;

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bindings_bench DIR\n");
        return 2;
    }
    std::filesystem::path dir = argv[1];
    std::filesystem::create_directories(dir);

    xorshift r;
    category_column site;
    site.codes.resize(cards);
    for (int s = 0; s < sites; ++s) site.labels.push_back("site-" + std::to_string(s));
    scale_column nps_col{{}, 0, 10};
    nps_col.values.resize(cards);
    for (std::size_t i = 0; i < cards; ++i) {
        auto k = static_cast<Eigen::Index>(i);
        site.codes[k] = static_cast<std::int32_t>(r() % sites);
        nps_col.values[k] = answer(r, 0, 10);
    }
    write(dir / "site.bin", site.codes);
    write(dir / "nps.bin", nps_col.values);
    frame f;
    f.add("site", std::move(site));
    f.add("nps", std::move(nps_col));
    auto const* s = *f.get<category_column>("site");
    auto const* n = *f.get<scale_column>("nps");

    std::vector<nps_figure> out;
    auto library = [&] {
        auto g = group_by(*s);
        scale_column const* cols[] = {n};
        auto h = histograms_by(g, cols).value();
        out.clear();
        for (auto const& x : h[0]) out.push_back(nps(x));
        sink = out[0].score;
    };
    auto arrays = [&] {
        scale_span const col{std::span(n->values.data(), cards), 0, 10};
        auto h = histograms_by(std::span(s->codes.data(), cards), static_cast<std::size_t>(sites),
                               std::span(&col, 1))
                     .value();
        out.clear();
        for (auto const& x : h[0]) out.push_back(nps(x));
        sink = out[0].score;
    };
    std::printf("ready\n");
    std::fflush(stdout);
    std::string line;
    while (std::getline(std::cin, line)) {
        if (line == "library")
            time_call(library);
        else if (line == "arrays")
            time_call(arrays);
        else {
            std::fprintf(stderr, "bindings_bench: unknown call '%s'\n", line.c_str());
            return 2;
        }
    }
    std::printf("%.12f %.12f %llu\n", out[0].score, out[0].se,
                static_cast<unsigned long long>(out[0].n));
    return 0;
}
