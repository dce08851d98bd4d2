// Building a frame from CSV with a header row, as `candor export` writes it, and reading
// margins files. Compiled only (candor::stats): not part of candor::stats-header-only.
// Thread safety: pure functions; parse_csv may run up to csv_options::threads threads of its
// own (each types a slice of the records), joined before it returns. csv_options is read,
// never written.
#pragma once

#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "candor/stats/frame.hpp"
#include "candor/stats/weighting.hpp"

namespace candor::survey {
struct survey;
}

namespace candor::stats {

// Wider files are refused ("too-many-columns") before any row is read: no export has more
// columns than a spreadsheet (16,384), and each column costs memory for every row.
inline constexpr std::size_t max_csv_columns = 16'384;
// The records are typed in slices of the text, one per thread, each this large or more (a
// thread costs tens of microseconds; a megabyte, a few milliseconds).
inline constexpr std::size_t min_csv_slice_bytes = std::size_t{1} << 20;

struct csv_options {
    // Kinds of named columns; others come from the survey, else from their cells:
    // integers in -127..127 make a scale, other numbers a number column, timestamps and
    // dates a time column, anything else a category.
    std::vector<std::pair<std::string, column_kind>> kinds;
    survey::survey const* survey = nullptr;
    // Named columns read as scales with known ends (nps_scale, csat_scale, ces_scale or a
    // rating's): a cell off them is an "out-of-range" error at its line. Wins over the kinds
    // and the survey.
    std::vector<std::pair<std::string, scale_ends>> scales;
    // At most this many threads (0 or 1: the caller's only); the frame is the same with any.
    unsigned threads = std::thread::hardware_concurrency();
    // Only these columns are typed and kept, as pandas' usecols: the others are cut (the
    // file's syntax and widths are checked whole) but not read, so their cells cost no
    // typing and cannot be refused. Empty: every column.
    std::vector<std::string> columns{};
};

result<frame> parse_csv(std::string_view text, csv_options const& opt = {},
                        std::string_view file_name = "<csv>");
result<frame> read_csv(std::string const& path, csv_options const& opt = {});

// A margins file: CSV rows "value,count", an optional "value,count" header.
result<margin> parse_margin(std::string_view text, std::string column,
                            std::string_view file_name = "<margins>");
result<margin> read_margin(std::string const& path, std::string column);

}  // namespace candor::stats
