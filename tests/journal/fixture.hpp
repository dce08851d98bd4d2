// Shared by the journal tests: temporary directories, keys and journals of N cards.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "../support/temp_dir.hpp"
#include "candor/journal/bundle.hpp"
#include "candor/journal/journal.hpp"
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

inline segment_options fast() { return {64u << 20, false}; }

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
    out.write(reinterpret_cast<char const*>(data.data()), static_cast<std::streamsize>(data.size()));
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
