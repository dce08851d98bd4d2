// Typing text cells into columns: shared by CSV files and responses in memory.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "candor/stats/csv.hpp"
#include "candor/stats/frame.hpp"

namespace candor::stats::detail {

struct column_spec {
    std::string name;
    std::optional<column_kind> kind;           // inferred from the cells when empty
    std::optional<std::pair<int, int>> range;  // a scale's ends, when the survey gives them
    std::vector<std::string> options;          // choice codes in the survey's order
};

// The spec of each named column from the options (explicit kinds, then the survey).
// A whole cell as an integer, a finite number, or a timestamp or date; nullopt otherwise.
std::optional<long long> to_integer(std::string_view s);
std::optional<double> to_number(std::string_view s);
std::optional<std::int64_t> to_time(std::string_view s);

std::vector<column_spec> specs_for(std::vector<std::string> const& names, csv_options const& opt);

class frame_builder {
  public:
    frame_builder(std::vector<column_spec> specs, std::string file_name);
    // One row of cells, one per spec; `line` labels candor::errors. Empty cells are missing.
    void add_row(std::vector<std::string> cells, std::uint32_t line);
    result<frame> finish() &&;

  private:
    std::vector<column_spec> specs_;
    std::string file_;
    std::vector<std::vector<std::string>> cells_;  // [column][row]
    std::vector<std::uint32_t> lines_;
};

}  // namespace candor::stats::detail
