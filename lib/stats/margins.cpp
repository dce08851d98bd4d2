// Margins files: CSV, so compiled only (candor::stats), declared in csv.hpp.
#include <charconv>
#include <cmath>

#include "candor/stats/csv.hpp"
#include "csv_reader.hpp"

namespace candor::stats {

result<margin> parse_margin(std::string_view text, std::string column, std::string_view file_name) {
    margin m;
    m.column = std::move(column);
    candor::errors errors;
    auto fail = [&](std::uint32_t line, std::string code, std::string message) {
        errors.push_back({severity::error,
                          std::move(code),
                          std::move(message),
                          {std::string(file_name), line, 1}});
    };
    auto rows = detail::read_records(text, file_name);
    if (!rows) return unexpected(rows.error());
    for (auto const& row : *rows) {
        auto const& cells = row.cells;
        if (cells.size() != 2) {
            fail(row.line, "margin-row",
                 "a margins row is 'value,count', this one has " + std::to_string(cells.size()) +
                     " cells");
            continue;
        }
        if (row.line == rows->front().line && cells[1] == "count") continue;  // header
        double count = 0;
        auto [end, ec] = std::from_chars(cells[1].data(), cells[1].data() + cells[1].size(), count);
        if (ec != std::errc{} || end != cells[1].data() + cells[1].size() || !(count > 0) ||
            !std::isfinite(count)) {
            fail(row.line, "margin-count", "'" + cells[1] + "' is not a positive count");
            continue;
        }
        for (auto const& [value, c] : m.targets)
            if (value == cells[0])
                fail(row.line, "margin-duplicate", "value '" + value + "' appears twice");
        m.targets.emplace_back(cells[0], count);
    }
    if (errors.empty() && m.targets.empty())
        fail(1, "margin-empty", "the margins of '" + m.column + "' are empty");
    if (!errors.empty()) return unexpected(std::move(errors));
    return m;
}

result<margin> read_margin(std::string const& path, std::string column) {
    auto text = detail::read_file(path);
    if (!text) return unexpected(text.error());
    return parse_margin(*text, std::move(column), path);
}

}  // namespace candor::stats
