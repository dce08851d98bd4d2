// candor::stats on 10 million cards from 1,000 sites: NPS, CSAT and CES by site in one
// pass, against pandas groupby, SQLite GROUP BY and a pass that only sums the same bytes.
// Key drivers on 1 million cards and 20 attributes.
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include <benchmark/benchmark.h>

#include "../common/duckdb_peer.hpp"
#include "../common/generated_cards.hpp"

#include "candor/stats/drivers.hpp"
#include "candor/stats/figures.hpp"
#include "candor/stats/segments.hpp"

namespace {

using namespace candor::stats;

constexpr std::size_t cards = 10'000'000;
constexpr int sites = 1000;

// prefix + k (g++ 12 warns falsely on "literal" + std::to_string under -O3).
std::string label(char const* prefix, std::size_t k) {
    char buf[32];
    return {buf, static_cast<std::size_t>(std::snprintf(buf, sizeof buf, "%s%zu", prefix, k))};
}

using candor::bench::answer;
using candor::bench::xorshift;

struct data {
    frame f;
    category_column const* site = nullptr;
    std::array<scale_column const*, 3> scales{};
    std::filesystem::path dir = std::filesystem::temp_directory_path() / "candor-stats-bench";

    data() {
        xorshift r;
        category_column site_col;
        site_col.codes.resize(cards);
        for (int s = 0; s < sites; ++s) site_col.labels.push_back(label("site-", static_cast<std::size_t>(s)));
        scale_column n{{}, 0, 10}, c{{}, 1, 5}, e{{}, 1, 7};
        n.values.resize(cards), c.values.resize(cards), e.values.resize(cards);
        for (std::size_t i = 0; i < cards; ++i) {
            auto k = static_cast<Eigen::Index>(i);
            site_col.codes[k] = static_cast<std::int32_t>(r() % sites);
            n.values[k] = answer(r, 0, 10);
            c.values[k] = answer(r, 1, 5);
            e.values[k] = answer(r, 1, 7);
        }
        std::filesystem::create_directories(dir);
        write("site", site_col.codes);
        write("nps", n.values);
        write("csat", c.values);
        write("ces", e.values);
        write_csv(site_col.codes, n.values, c.values, e.values);
        f.add("site", std::move(site_col));
        f.add("nps", std::move(n));
        f.add("csat", std::move(c));
        f.add("ces", std::move(e));
        site = *f.get<category_column>("site");
        scales = {*f.get<scale_column>("nps"), *f.get<scale_column>("csat"), *f.get<scale_column>("ces")};
    }
    // The same columns as CSV for DuckDB (empty: skipped), loaded by it before it is timed.
    void write_csv(auto const& site, auto const&... scales) {
        std::ofstream out(dir / "cards.csv", std::ios::binary);
        out << "site,nps,csat,ces\n";
        std::string line;
        for (Eigen::Index i = 0; i < site.size(); ++i) {
            line = std::to_string(site[i]);
            ((line += ',', line += scales[i] == missing_scale ? "" : std::to_string(scales[i])), ...);
            line += '\n';
            out << line;
        }
    }
    template <class A>
    void write(char const* name, A const& a) {
        std::ofstream out(dir / (std::string(name) + ".bin"), std::ios::binary);
        out.write(reinterpret_cast<char const*>(a.data()), static_cast<std::streamsize>(a.size() * sizeof(a[0])));
    }
};

data& shared() {
    static data d;
    return d;
}

struct site_figures {
    std::vector<nps_figure> nps;
    std::vector<share_figure> csat;
    std::vector<mean_figure> ces;
};

site_figures by_site(data const& d, unsigned threads = 2) {
    auto g = group_by(*d.site);
    auto h = histograms_by(g, d.scales, {}, threads).value();
    site_figures out;
    for (int s = 0; s < sites; ++s) {
        out.nps.push_back(nps(h[0][static_cast<std::size_t>(s)]));
        out.csat.push_back(csat(h[1][static_cast<std::size_t>(s)]));
        out.ces.push_back(mean(h[2][static_cast<std::size_t>(s)].moments_of([](int x) { return double(x); })));
    }
    return out;
}

void BM_candor_by_site(benchmark::State& state) {
    auto& d = shared();
    for (auto _ : state) benchmark::DoNotOptimize(by_site(d, static_cast<unsigned>(state.range(0))));
    state.counters["bytes_per_card"] = static_cast<double>(d.f.memory_bytes()) / cards;
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * cards * 7));
}

// The memory-bandwidth floor: read every byte the figures read and only add them up, on
// as many threads as the engine uses.
void BM_floor_sum(benchmark::State& state) {
    auto& d = shared();
    std::size_t threads = static_cast<std::size_t>(state.range(0));
    for (auto _ : state) {
        std::vector<std::int64_t> part(threads);
        auto run = [&](std::size_t t) {
            std::size_t b = cards * t / threads, e = cards * (t + 1) / threads;
            std::int64_t s = 0;
            for (std::size_t i = b; i < e; ++i) {
                auto k = static_cast<Eigen::Index>(i);
                s += d.site->codes[k] + d.scales[0]->values[k] + d.scales[1]->values[k] + d.scales[2]->values[k];
            }
            part[t] = s;
        };
        std::vector<std::thread> pool;
        for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(run, t);
        run(0);
        for (auto& t : pool) t.join();
        benchmark::DoNotOptimize(part);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * cards * 7));
}

struct sqlite_db {
    sqlite3* db = nullptr;
    sqlite_db() {
        auto& d = shared();
        sqlite3_open(":memory:", &db);
        sqlite3_exec(db, "CREATE TABLE cards(site INTEGER, nps INTEGER, csat INTEGER, ces INTEGER);"
                         "BEGIN", nullptr, nullptr, nullptr);
        sqlite3_stmt* ins = nullptr;
        sqlite3_prepare_v2(db, "INSERT INTO cards VALUES(?,?,?,?)", -1, &ins, nullptr);
        for (std::size_t i = 0; i < cards; ++i) {
            auto k = static_cast<Eigen::Index>(i);
            sqlite3_bind_int(ins, 1, d.site->codes[k]);
            for (int j = 0; j < 3; ++j) {
                auto v = d.scales[static_cast<std::size_t>(j)]->values[k];
                if (v == missing_scale) sqlite3_bind_null(ins, j + 2);
                else sqlite3_bind_int(ins, j + 2, v);
            }
            sqlite3_step(ins);
            sqlite3_reset(ins);
        }
        sqlite3_finalize(ins);
        sqlite3_exec(db, "COMMIT; CREATE INDEX cards_site ON cards(site);", nullptr, nullptr, nullptr);
    }
    ~sqlite_db() { sqlite3_close(db); }
};

// The same figures from SQL sums: NPS and its SE, CSAT, CES mean and SD per site.
void BM_sqlite_group_by(benchmark::State& state) {
    static sqlite_db s;
    char const* sql =
        "SELECT site, count(nps), sum(nps >= 9), sum(nps <= 6), count(csat), sum(csat >= 4),"
        " count(ces), sum(ces), sum(ces * ces) FROM cards GROUP BY site";
    for (auto _ : state) {
        sqlite3_stmt* q = nullptr;
        sqlite3_prepare_v2(s.db, sql, -1, &q, nullptr);
        std::vector<double> score, se, share, ces_mean, ces_sd;
        while (sqlite3_step(q) == SQLITE_ROW) {
            double n = sqlite3_column_double(q, 1), p = sqlite3_column_double(q, 2), dd = sqlite3_column_double(q, 3);
            double m = 100 * (p - dd) / n;
            score.push_back(m);
            se.push_back(std::sqrt((1e4 * (p + dd) - n * m * m) / (n - 1) / n));
            share.push_back(sqlite3_column_double(q, 5) / sqlite3_column_double(q, 4));
            double cn = sqlite3_column_double(q, 6), cs = sqlite3_column_double(q, 7), css = sqlite3_column_double(q, 8);
            ces_mean.push_back(cs / cn);
            ces_sd.push_back(std::sqrt((css - cs * cs / cn) / (cn - 1)));
        }
        sqlite3_finalize(q);
        benchmark::DoNotOptimize(score);
    }
}

// pandas in a subprocess (Debian's python3-pandas); it times its own groupby.
std::string pandas_check;
void BM_pandas_groupby(benchmark::State& state) {
    auto& d = shared();
    std::string cmd = d.dir.string().insert(0, "/usr/bin/python3 " CANDOR_BENCH_DIR "/pandas_groupby.py ");
    for (auto _ : state) {
        std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
        char line[256] = {};
        double seconds = 0;
        if (!p || !std::fgets(line, sizeof line, p.get()) || std::sscanf(line, "%lf", &seconds) != 1) {
            state.SkipWithError("pandas did not run");
            return;
        }
        if (std::fgets(line, sizeof line, p.get())) pandas_check = line;
        state.SetIterationTime(seconds);
    }
}

void BM_key_drivers(benchmark::State& state) {
    constexpr std::size_t n = 1'000'000, p = 20;
    static frame f = [] {
        frame g;
        xorshift r;
        std::vector<scale_column> attr(p, scale_column{{}, 1, 10});
        scale_column overall{{}, 0, 10};
        overall.values.resize(n);
        for (auto& a : attr) a.values.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            auto k = static_cast<Eigen::Index>(i);
            int common = static_cast<int>(r() % 5);
            double y = 0;
            for (std::size_t j = 0; j < p; ++j) {
                auto v = static_cast<std::int8_t>(1 + common + static_cast<int>(r() % 6));
                attr[j].values[k] = r() % 50 == 0 ? missing_scale : v;
                y += v * (j + 1) / 210.0;
            }
            overall.values[k] = static_cast<std::int8_t>(std::clamp(static_cast<int>(y) + static_cast<int>(r() % 3) - 1, 0, 10));
        }
        for (std::size_t j = 0; j < p; ++j) g.add(label("a", j), std::move(attr[j]));
        g.add("overall", std::move(overall));
        return g;
    }();
    std::vector<std::string> names;
    for (std::size_t j = 0; j < p; ++j) names.push_back(label("a", j));
    for (auto _ : state) {
        auto r = key_drivers(f, "overall", names);
        if (!r) state.SkipWithError("key drivers failed");
        benchmark::DoNotOptimize(r);
    }
}

BENCHMARK(BM_candor_by_site)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->Repetitions(9)->ReportAggregatesOnly(true);
BENCHMARK(BM_floor_sum)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->Repetitions(9)->ReportAggregatesOnly(true);
BENCHMARK(BM_pandas_groupby)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond)->Repetitions(3)->ReportAggregatesOnly(true);
BENCHMARK(BM_sqlite_group_by)->Iterations(1)->Unit(benchmark::kMillisecond)->Repetitions(3)->ReportAggregatesOnly(true);
BENCHMARK(BM_key_drivers)->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true);

// Keeps the medians, to print the ratios after the tables.
class ratios : public benchmark::ConsoleReporter {
public:
    std::map<std::string, double> median_ms;
    void ReportRuns(std::vector<Run> const& runs) override {
        for (auto const& r : runs)
            if (r.aggregate_name == "median") median_ms[r.run_name.str()] = r.GetAdjustedRealTime();
        ConsoleReporter::ReportRuns(runs);
    }
};

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    ratios rep;
    benchmark::RunSpecifiedBenchmarks(&rep);
    auto get = [&](std::string const& prefix) {
        for (auto const& [name, ms] : rep.median_ms)
            if (name.rfind(prefix, 0) == 0) return ms;
        return 0.0;
    };
    double engine = get("BM_candor_by_site/2"), engine1 = get("BM_candor_by_site/1"), floor1 = get("BM_floor_sum/1"), floor2 = get("BM_floor_sum/2");
    double pandas = get("BM_pandas_groupby"), sqlite = get("BM_sqlite_group_by");
    std::printf("\nmedians, NPS+CSAT+CES by site over %zu cards, %d sites:\n", cards, sites);
    std::printf("  candor::stats, 2 threads %7.2f ms  (%.1f bytes per card)\n", engine,
                static_cast<double>(shared().f.memory_bytes()) / cards);
    std::printf("  candor::stats, 1 thread  %7.2f ms\n", engine1);
    std::printf("  floor, sum 1 thread   %10.2f ms  1-thread engine / floor = %.2fx\n", floor1, engine1 / floor1);
    std::printf("  floor, sum 2 threads  %10.2f ms  2-thread engine / floor = %.2fx (aim: 2x or less)\n", floor2,
                engine / floor2);
    if (pandas > 0) std::printf("  pandas groupby        %10.2f ms  %.0fx slower than candor\n", pandas, pandas / engine);
    if (sqlite > 0) std::printf("  SQLite GROUP BY       %10.2f ms  %.0fx slower than candor\n", sqlite, sqlite / engine);
    auto duck = candor::bench::run_duckdb("stats", shared().dir / "cards.csv", CANDOR_DUCKDB_PEER, CANDOR_DUCKDB_WORK);
    if (!duck.skipped.empty()) {
        std::printf("  DuckDB GROUP BY       skipped: %s\n", duck.skipped.c_str());
    } else {
        std::printf("  DuckDB, 1 thread      %10.2f ms  %.1fx slower than candor (aim: 20x or more)\n", duck.ms_1_thread,
                    duck.ms_1_thread / engine);
        std::printf("  DuckDB, 2 threads     %10.2f ms  %.1fx slower than candor\n", duck.ms_2_threads,
                    duck.ms_2_threads / engine);
    }
    std::printf("  key drivers 1M x 20   %10.2f ms\n", get("BM_key_drivers"));
    if (!pandas_check.empty()) {
        auto f = by_site(shared());
        std::printf("site 0, candor: NPS %.12f SE %.12f CSAT %.12f CES %.12f\n", f.nps[0].score, f.nps[0].se,
                    f.csat[0].share, f.ces[0].mean);
        std::printf("site 0, pandas: %s", pandas_check.c_str());
    }
    if (!duck.check.empty()) std::printf("site 0, DuckDB: %s", duck.check.c_str());
    benchmark::Shutdown();
}
