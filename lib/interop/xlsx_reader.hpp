// The cells of an .xlsx workbook, as text: enough of Office Open XML to read an XLSForm
// (shared strings, inline strings, numbers and booleans as written). libzip opens the
// archive, expat reads each part; sizes and cell counts are capped. Private to interop.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "candor/error.hpp"

namespace candor::interop::detail {

struct sheet_row {
    std::uint32_t index = 0;                                   // 0-based row number
    std::vector<std::pair<std::uint32_t, std::string>> cells;  // (0-based column, text), by column
};

struct sheet {
    std::string name;
    std::vector<sheet_row> rows;  // rows that have cells, in order
};

// Every sheet of the workbook, in workbook order. Errors: `bad-xlsx` (not a workbook, or
// a part that is not well-formed), `too-large` (a part or sheet over the limits).
result<std::vector<sheet>> read_xlsx(std::string_view bytes, std::string const& file);

// "A1" for (0, 0); "AB12" for (11, 27).
std::string cell_name(std::uint32_t row, std::uint32_t column);

}  // namespace candor::interop::detail
