// What durability and sealing cost, beside their floors:
//   per-card durable submit        vs  a bare write + fdatasync of the same size, and the
//                                      same into preallocated space (the cheapest append)
//   bulk submit + import, grouped   vs  the crypto alone (seal + sign + verify + open)
//   SQLite (WAL, synchronous=FULL)  storing the same sealed blobs, per card and in batches
// Runs in the current directory (put it on the disk you care about). Medians of 5 runs.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>

#include "../common/durable_floor.hpp"
#include "../common/median_reporter.hpp"
#include "candor/journal/bundle.hpp"
#include "candor/journal/journal.hpp"
#include "candor/journal/record.hpp"
#include "candor/journal/store.hpp"
#include "candor/seal/box.hpp"
#include "candor/seal/sign.hpp"
#include "candor/time.hpp"
#include "util/frame.hpp"

using namespace candor;
namespace fs = std::filesystem;

namespace {

constexpr int batch = 1000;

struct keys {
    seal::hq_secret hq = seal::make_hq_keys();
    seal::device_secret device = seal::make_device_keys("kiosk-bench");
    seal::device_list devices{{device.public_part()}};
};
keys const& the_keys() {
    static keys k;
    return k;
}

// The sealed card agrees with its header (time included), or import refuses it as misfiled.
journal::card card_number(int i) {
    std::int64_t const time = 1793607372 + i;
    return {"hotel-stay", 3, "paris-01", time,
            R"({"survey":"hotel-stay","version":3,"language":"en","fields":{"site":"paris-01",)"
            R"("device":"kiosk-bench"},"submitted":")" +
                format_timestamp(time) + R"(","answers":{"recommend":)" + std::to_string(i % 11) +
                R"(,"satisfaction":4,"best_part":"the view from the fourth floor"}})"};
}

// A fresh directory under the current one, removed at the end of the benchmark.
using bench::scratch;

std::size_t frame_size() {
    auto const& k = the_keys();
    auto c = card_number(1);
    journal::record r{
        k.device.id, 1,      c.survey, c.survey_version,
        c.site,      c.time, {},       seal::seal_to(k.hq.public_part(), seal::as_bytes(c.content)),
        {}};
    journal::sign_record(r, k.device);
    return journal::to_payload(r).size() + util::frame_overhead;
}

void floor_write_fdatasync(benchmark::State& state) {
    bench::floor_write_fdatasync(state, frame_size());
}

void floor_preallocated_fdatasync(benchmark::State& state) {
    bench::floor_preallocated_fdatasync(state, frame_size());
}

// The floor of a submit that keeps a high-water mark: the append + fdatasync above, then an
// overwrite in place of 512 bytes in a second, preallocated file + fdatasync.
void floor_append_and_mark(benchmark::State& state) {
    scratch dir("floor-mark");
    int fd = ::open((dir.path / "f").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    int mark = ::open((dir.path / "m").c_str(), O_WRONLY | O_CREAT, 0644);
    std::string block(frame_size(), 'x'), slot(512, 'm');
    if (::pwrite(mark, slot.data(), slot.size(), 0) != 512 ||
        ::pwrite(mark, slot.data(), slot.size(), 512) != 512 || ::fsync(mark) != 0)
        throw std::runtime_error("write failed");
    off_t at = 0;
    for (auto _ : state) {
        if (::write(fd, block.data(), block.size()) != static_cast<ssize_t>(block.size()) ||
            ::fdatasync(fd) != 0 || ::pwrite(mark, slot.data(), slot.size(), at) != 512 ||
            ::fdatasync(mark) != 0)
            throw std::runtime_error("write failed");
        at = 512 - at;
    }
    ::close(fd);
    ::close(mark);
}

void submit_durable(benchmark::State& state) {
    scratch dir("submit");
    auto const& k = the_keys();
    auto j = journal::journal::open(dir.path / "j", k.device, k.hq.public_part()).value();
    int i = 0;
    for (auto _ : state) {
        auto c = card_number(++i);
        benchmark::DoNotOptimize(j.submit(std::span(&c, 1)).value());
    }
}

// Per card: what the device and head office must compute whatever the storage.
void crypto_floor(benchmark::State& state) {
    auto const& k = the_keys();
    int i = 0;
    for (auto _ : state) {
        auto c = card_number(++i);
        auto sealed = seal::seal_to(k.hq.public_part(), seal::as_bytes(c.content));
        auto sig = seal::sign(k.device, sealed);
        if (!seal::verify(k.device.pub, sealed, sig) || !seal::open_sealed(k.hq, sealed))
            throw std::logic_error("crypto");
    }
}

// Per card: a device's bulk submit in group commits of 1000, export, head office's import.
void bulk_submit_import(benchmark::State& state) {
    auto const& k = the_keys();
    std::vector<journal::card> cards;
    for (int i = 0; i < batch; ++i) cards.push_back(card_number(i));
    scratch dir("bulk");
    int round = 0;
    for (auto _ : state) {
        auto here = dir.path / std::to_string(++round);
        auto j = journal::journal::open(here / "j", k.device, k.hq.public_part()).value();
        (void)j.submit(cards).value();
        (void)journal::export_bundle(here / "j", 0, here / "b").value();
        auto s = journal::store::open(here / "store").value();
        std::vector<journal::bundle_input> in{{"b", {}}};
        std::FILE* f = std::fopen((here / "b").c_str(), "rb");
        in[0].data.resize(fs::file_size(here / "b"));
        if (std::fread(in[0].data.data(), 1, in[0].data.size(), f) != in[0].data.size())
            throw std::runtime_error("read");
        std::fclose(f);
        auto report = s.import(in, k.devices, k.hq);
        if (report.accepted != batch) throw std::logic_error("import");
    }
    state.SetItemsProcessed(state.iterations() * batch);
}

void sqlite_blobs(benchmark::State& state) {
    bool batched = state.range(0) != 0;
    auto const& k = the_keys();
    std::vector<seal::bytes> blobs;
    for (int i = 0; i < batch; ++i) {
        auto c = card_number(i);
        blobs.push_back(seal::seal_to(k.hq.public_part(), seal::as_bytes(c.content)));
    }
    scratch dir(batched ? "sqlite-batch" : "sqlite-card");
    sqlite3* db = nullptr;
    sqlite3_open((dir.path / "cards.db").c_str(), &db);
    sqlite3_exec(db,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                 "CREATE TABLE card(device TEXT, seq INTEGER, sealed BLOB,"
                 " PRIMARY KEY(device, seq))",
                 nullptr, nullptr, nullptr);
    sqlite3_stmt* insert = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO card VALUES('kiosk-bench', ?, ?)", -1, &insert, nullptr);
    std::int64_t seq = 0;
    for (auto _ : state) {
        int per_txn = batched ? batch : 1;
        for (int n = 0; n < batch; n += per_txn) {
            sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
            for (int i = n; i < n + per_txn; ++i) {
                sqlite3_bind_int64(insert, 1, ++seq);
                sqlite3_bind_blob(insert, 2, blobs[static_cast<std::size_t>(i)].data(),
                                  static_cast<int>(blobs[static_cast<std::size_t>(i)].size()),
                                  SQLITE_STATIC);
                if (sqlite3_step(insert) != SQLITE_DONE) throw std::runtime_error("sqlite");
                sqlite3_reset(insert);
            }
            sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
        }
    }
    sqlite3_finalize(insert);
    sqlite3_close(db);
    state.SetItemsProcessed(state.iterations() * batch);
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::RegisterBenchmark("floor_write_fdatasync", floor_write_fdatasync)->MinTime(1);
    benchmark::RegisterBenchmark("floor_preallocated_fdatasync", floor_preallocated_fdatasync)
        ->MinTime(1);
    benchmark::RegisterBenchmark("floor_append_and_mark", floor_append_and_mark)->MinTime(1);
    benchmark::RegisterBenchmark("submit_durable", submit_durable)->MinTime(1);
    benchmark::RegisterBenchmark("crypto_floor", crypto_floor)->MinTime(1);
    benchmark::RegisterBenchmark("bulk_submit_import", bulk_submit_import)->MinTime(1);
    benchmark::RegisterBenchmark("sqlite_blobs", sqlite_blobs)->Arg(0)->MinTime(1);
    benchmark::RegisterBenchmark("sqlite_blobs", sqlite_blobs)->Arg(1)->MinTime(1);
    bench::median_reporter reporter;
    bench::run_medians(argc, argv, reporter);

    // Per card, in microseconds (the time unit is ns; batched benchmarks count items).
    std::map<std::string, double> t;
    for (auto const& [name, m] : reporter.medians)
        t[name] = m.real_time / 1000.0 / (m.items_per_second != 0 ? batch : 1);
    auto show = [&](char const* what, std::string const& a, std::string const& b) {
        if (t.count(a) != 0 && t.count(b) != 0)
            std::printf("%-52s %9.1f us / %9.1f us = %.2fx\n", what, t[a], t[b], t[a] / t[b]);
    };
    std::printf("\nPer card, medians of 5 runs:\n");
    show("durable submit / bare write+fdatasync (aim <= 1.3)", "submit_durable",
         "floor_write_fdatasync");
    show("durable submit / preallocated write+fdatasync (aim <= 1.2)", "submit_durable",
         "floor_preallocated_fdatasync");
    show("durable submit / SQLite txn per card (aim <= 1)", "submit_durable", "sqlite_blobs/0");
    show("durable submit / append+sync, mark overwrite+sync", "submit_durable",
         "floor_append_and_mark");
    show("append+sync, mark overwrite+sync / append+sync", "floor_append_and_mark",
         "floor_write_fdatasync");
    show("bulk submit+import / crypto floor (aim <= 1.3)", "bulk_submit_import", "crypto_floor");
    show("SQLite txn per card / bare write+fdatasync", "sqlite_blobs/0", "floor_write_fdatasync");
    show("SQLite txn per card / durable submit", "sqlite_blobs/0", "submit_durable");
    show("SQLite batched / bulk submit+import", "sqlite_blobs/1", "bulk_submit_import");
    return 0;
}
