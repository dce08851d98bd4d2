// NPS by site over 10,000,000 cards from 1,000 sites, in C++: the data of the stats bench
// (tests/bench/stats), written to DIR for the Python side to read the same bytes, then the
// median wall time of
//   library: stats::group_by + stats::histograms_by on a stats::frame, stats::nps per site
//   arrays:  stats::histograms_by on the raw arrays (spans, what the bindings call), stats::nps
// Usage: bindings_bench DIR [REPETITIONS]; prints "library MS...", "arrays MS..." (every
// call's time) and site 0's NPS.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
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

template <class F>
double median_ms(int reps, F f) {
    std::vector<double> ms;
    for (int i = 0; i < reps; ++i) {
        auto t0 = std::chrono::steady_clock::now();
        f();
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

volatile double sink;

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bindings_bench DIR [REPETITIONS]\n");
        return 2;
    }
    std::filesystem::path dir = argv[1];
    int reps = argc > 2 ? std::stoi(argv[2]) : 21;
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
        auto h = histograms_by(g, cols);
        out.clear();
        for (auto const& x : h[0]) out.push_back(nps(x));
        sink = out[0].score;
    };
    auto arrays = [&] {
        scale_span const col{std::span(n->values.data(), cards), 0, 10};
        auto h = histograms_by(std::span(s->codes.data(), cards), static_cast<std::size_t>(sites),
                               std::span(&col, 1));
        out.clear();
        for (auto const& x : h[0]) out.push_back(nps(x));
        sink = out[0].score;
    };
    library();  // warm up: pages in, threads started once
    arrays();
    // Interleaved, so that both see the same machine load.
    std::vector<double> a, b;
    for (int i = 0; i < reps; ++i) {
        a.push_back(median_ms(1, library));
        b.push_back(median_ms(1, arrays));
    }
    std::printf("library");
    for (double x : a) std::printf(" %.3f", x);
    std::printf("\narrays");
    for (double x : b) std::printf(" %.3f", x);
    std::printf("\nsite0 %.12f %.12f %llu\n", out[0].score, out[0].se,
                static_cast<unsigned long long>(out[0].n));
    return 0;
}
