// Head office's import into PostgreSQL, beside its peers, per card, 1000 cards an import:
//   hq import into PostgreSQL  vs  a bare binary COPY of the same rows into the same table
//                                   in one transaction (the floor: no checks, no locks)
//   hq import into PostgreSQL  vs  hq import into the file store
// The server is a private PostgreSQL 15 (tests/support/postgres_server.hpp, fsync on) in the
// temporary directory; the file store is under the current one. Medians of 5 runs.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>

#include "../../support/postgres_server.hpp"
#include "../common/durable_floor.hpp"
#include "../common/median_reporter.hpp"
#include "candor/journal/bundle.hpp"
#include "candor/journal/journal.hpp"
#include "candor/journal/store.hpp"
#include "candor/pg/store.hpp"
#include "candor/time.hpp"
#include "pg/connection.hpp"

using namespace candor;
namespace fs = std::filesystem;

namespace {

constexpr int batch = 1000;

using bench::scratch;

// One device's journal of `batch` cards and its bundle, made once.
struct scene {
    seal::hq_secret hq = seal::make_hq_keys();
    seal::device_secret device = seal::make_device_keys("kiosk-bench");
    seal::device_list devices{{device.public_part()}};
    scratch dir{"pg-import"};
    std::vector<journal::bundle_input> bundle;
    std::vector<journal::record> records;
    test::postgres_server server;
    std::string location = server.create_database();

    scene() {
        auto j = journal::journal::open(dir.path / "j", device, hq.public_part()).value();
        std::vector<journal::card> cards;
        for (int i = 0; i < batch; ++i) {
            std::int64_t const time = 1793607372 + i;
            cards.push_back(
                {"hotel-stay", 3, "paris-01", time,
                 R"({"survey":"hotel-stay","version":3,"language":"en","fields":{"site":"paris-01",)"
                 R"("device":"kiosk-bench"},"submitted":")" +
                     format_timestamp(time) + R"(","answers":{"recommend":)" +
                     std::to_string(i % 11) + R"(,"satisfaction":4}})"});
        }
        (void)j.submit(cards).value();
        auto made = journal::make_bundle(dir.path / "j", 0, device, unix_now()).value();
        bundle.push_back({"b", made.data});
        for (auto& r : journal::decode_bundle(made.data, "b").records) records.push_back(r.value);
        if (!pg::migrate(location)) throw std::runtime_error("migrate");
    }
    void empty_tables() {
        server.sql("TRUNCATE records, heads, alerts", location.substr(location.rfind('=') + 1));
    }
};
scene& the_scene() {
    static scene s;
    return s;
}

void import_postgres(benchmark::State& state) {
    auto& s = the_scene();
    auto st = pg::open(s.location).value();
    for (auto _ : state) {
        state.PauseTiming();
        s.empty_tables();
        state.ResumeTiming();
        if (st.import(s.bundle, s.devices, s.hq).accepted != batch)
            throw std::logic_error("import");
    }
    state.SetItemsProcessed(state.iterations() * batch);
}

void import_files(benchmark::State& state) {
    auto& s = the_scene();
    scratch dir("file-import");
    int round = 0;
    for (auto _ : state) {
        state.PauseTiming();
        auto st = journal::store::open(dir.path / std::to_string(++round)).value();
        state.ResumeTiming();
        if (st.import(s.bundle, s.devices, s.hq).accepted != batch)
            throw std::logic_error("import");
    }
    state.SetItemsProcessed(state.iterations() * batch);
}

// The same rows as an import stores, COPY'd bare into `records` and committed.
void copy_floor(benchmark::State& state) {
    auto& s = the_scene();
    auto c = pg::detail::connection::open(s.location).value();
    for (auto _ : state) {
        state.PauseTiming();
        s.empty_tables();
        state.ResumeTiming();
        pg::detail::copy_rows rows;
        std::int64_t position = 0;
        for (auto const& r : s.records) {
            rows.row(7);
            rows.number(++position);
            rows.text(r.device);
            rows.number(static_cast<std::int64_t>(r.seq));
            rows.bytes(journal::to_payload(r));
            rows.bytes(journal::record_hash(r));
            rows.bytes(r.prev);
            rows.text(journal::receipt(r));
        }
        c.run("BEGIN");
        c.copy_in("COPY records FROM STDIN (FORMAT binary)", rows.done());
        c.run("COMMIT");
    }
    state.SetItemsProcessed(state.iterations() * batch);
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::RegisterBenchmark("copy_floor", copy_floor)->Iterations(3)->UseRealTime();
    benchmark::RegisterBenchmark("import_postgres", import_postgres)->Iterations(3)->UseRealTime();
    benchmark::RegisterBenchmark("import_files", import_files)->Iterations(3)->UseRealTime();
    bench::median_reporter reporter;
    bench::run_medians(argc, argv, reporter);

    std::map<std::string, double> per_second;
    for (auto const& [name, m] : reporter.medians) per_second[name] = m.items_per_second;
    auto show = [&](char const* what, std::string const& a, std::string const& b) {
        if (per_second.count(a) != 0 && per_second.count(b) != 0 && per_second[b] != 0)
            std::printf("%-44s %9.0f cards/s / %9.0f cards/s = %.2fx\n", what, per_second[a],
                        per_second[b], per_second[a] / per_second[b]);
    };
    std::printf("\nCards per second, medians of 5 runs (%d cards an import):\n", batch);
    show("import into PostgreSQL / bare binary COPY", "import_postgres", "copy_floor");
    show("import into PostgreSQL / import into files", "import_postgres", "import_files");
    return 0;
}
