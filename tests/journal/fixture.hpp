// Shared by the journal tests: temporary directories, keys and journals of N cards.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "../support/postgres_server.hpp"
#include "../support/temp_dir.hpp"
#include "candor/journal/bundle.hpp"
#include "candor/journal/journal.hpp"
#include "candor/journal/store.hpp"
#include "candor/pg/store.hpp"
#include "candor/seal/keys.hpp"
#include "candor/time.hpp"

namespace candor::journal::testing {

namespace fs = std::filesystem;

using candor::test::temp_dir;

// A card whose sealed response agrees with its header, as intake makes them.
inline card make_card(int i) {
    std::int64_t const time = 1793607372 + i;
    return {"hotel-stay", 3, "paris-01", time,
            R"({"survey":"hotel-stay","version":3,"fields":{"site":"paris-01"},"submitted":")" +
                format_timestamp(time) + R"(","answers":{"recommend":)" + std::to_string(i % 11) +
                "}}"};
}

using device_journal = candor::journal::journal;

inline segment_options fast() {
    return {64u << 20, false};
}

// The store suite runs on both backends: the file store in DIR, or, when
// CANDOR_TEST_STORE=postgres, a database on the binary's PostgreSQL server, the same whenever
// DIR is opened again. DIR is made, so that a database whose DIR is gone (its test ended) is
// emptied and taken again rather than a new one created.
inline result<store> open_test_store(fs::path const& dir) {
    auto const* backend = std::getenv("CANDOR_TEST_STORE");
    if (backend == nullptr || std::string(backend) != "postgres") return store::open(dir, fast());
    auto& server = candor::test::postgres_server::shared();
    static std::map<std::string, std::string> databases;  // by DIR
    fs::create_directories(dir);
    auto& location = databases[dir.string()];
    if (location.empty()) {
        for (auto it = databases.begin(); it != databases.end(); ++it) {
            if (it->second.empty() || fs::exists(it->first)) continue;
            location = it->second;
            databases.erase(it);
            server.sql("TRUNCATE records, heads, alerts", location.substr(location.rfind('=') + 1));
            return pg::open(location);
        }
        location = server.create_database();
        if (auto migrated = pg::migrate(location); !migrated)
            return unexpected(std::move(migrated).error());
    }
    return pg::open(location);
}

// A journal in `dir` holding cards 1..n of `key`'s device.
inline std::vector<stamped> fill(fs::path const& dir, seal::device_secret const& key,
                                 seal::hq_public const& hq, int n, int first = 1,
                                 segment_options options = fast()) {
    auto j = journal::open(dir, key, hq, options);
    std::vector<card> cards;
    for (int i = first; i < first + n; ++i) cards.push_back(make_card(i));
    return j.value().submit(cards).value();
}

inline seal::bytes slurp(fs::path const& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
inline void spit(fs::path const& file, seal::byte_view data) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<char const*>(data.data()),
              static_cast<std::streamsize>(data.size()));
}

inline seal::device_list list_of(std::initializer_list<seal::device_secret const*> keys) {
    seal::device_list l;
    for (auto const* k : keys) l.devices.push_back(k->public_part());
    return l;
}

inline bool has_code(errors const& all, std::string const& code) {
    for (auto const& p : all)
        if (p.code == code) return true;
    return false;
}

}  // namespace candor::journal::testing
