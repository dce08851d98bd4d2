// The synthetic cards of the statistics benchmarks, shared so that every bench that
// compares with another (C++ vs pandas, SQLite, Python) scans the same data.
#pragma once

#include <algorithm>
#include <cstdint>

#include "candor/stats/frame.hpp"

namespace candor::bench {

struct xorshift {
    std::uint64_t s = 0x9E3779B97F4A7C15ull;
    std::uint64_t operator()() {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        return s;
    }
};

// Answers skew to the top like real cards; about 5% of each question is skipped.
inline std::int8_t answer(xorshift& r, int lo, int hi) {
    if (r() % 20 == 0) return stats::missing_scale;
    auto const span = static_cast<std::uint64_t>(hi - lo + 1);
    int const a = static_cast<int>(r() % span);
    int const b = static_cast<int>(r() % span);
    return static_cast<std::int8_t>(lo + std::max(a, b));
}

}  // namespace candor::bench
