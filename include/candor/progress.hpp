// How far along long work is (importing a million cards, a route pass, an export, a report):
// the library reports it through a callback and never prints. The CLI draws one line on a
// terminal from it; a product may show a bar, log, or ignore it.
// Thread safety: the callback is called on the thread doing the work, and must not call
// back into the object reporting.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

namespace candor {

struct progress {
    std::string_view stage;   // what is being done: "import", "route", "export", "report"...
    std::uint64_t done = 0;   // units (cards, records, deliveries) done so far
    std::uint64_t total = 0;  // units in all; 0 when not known in advance
};

// Called now and then (not for every unit): at least once at the end of a stage.
using progress_fn = std::function<void(progress const&)>;

// Units between two calls: often enough for a person to see it move, rarely enough to
// cost nothing.
inline constexpr std::uint64_t progress_every = 4096;

}  // namespace candor
