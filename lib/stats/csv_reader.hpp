// RFC 4180 records with their line numbers, for the frame and the margins files.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "candor/error.hpp"

namespace candor::stats::detail {

struct record {
    std::uint32_t line = 0;  // where the record starts
    std::vector<std::string> cells;
};

// Blank lines are skipped. A cell that `candor export` guarded against spreadsheet
// formulas ('= '+ '- '@) gets its quote back off.
result<std::vector<record>> read_records(std::string_view text, std::string_view file_name);

result<std::string> read_file(std::string const& path);

}  // namespace candor::stats::detail
