// Response quality flags: cards that look careless or automated, per row. Columns of
// different lengths are "length-mismatch", a code past the labels "bad-code".
// Thread safety: pure functions; the flags are values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "candor/stats/frame.hpp"

namespace candor::stats {

using flags = column_array<bool>;

// Completed in under `min_seconds` (both times present).
result<flags> speeders(time_column const& started, time_column const& submitted,
                       double min_seconds);
// The same answer to every rating of a grid (all answered, at least two items).
result<flags> straight_liners(frame const& f, std::vector<std::string> const& grid);
// Free text that another card also gave, word for word.
result<flags> duplicate_text(category_column const& text);
// Cards of a device that, with the device's other cards within `minutes` of each other,
// number more than `max_cards`.
result<flags> bursts(category_column const& device, time_column const& submitted,
                     std::uint32_t max_cards, double minutes);

}  // namespace candor::stats

#ifdef CANDOR_HEADER_ONLY
#include "candor/stats/detail/quality-inl.hpp"
#endif
