#include "candor/stats/csv.hpp"

#include <set>

#include "builder.hpp"
#include "csv_reader.hpp"

namespace candor::stats {

parse_result<frame> parse_csv(std::string_view text, csv_options const& opt, std::string_view file_name) {
    auto records = detail::read_records(text, file_name);
    if (!records) return unexpected(records.error());
    auto at = [&](std::uint32_t line) { return source_location{std::string(file_name), line, 1}; };
    if (records->empty())
        return unexpected(diagnostics{{severity::error, "csv-empty", "no header row", at(1)}});
    auto const& header = records->front();
    std::set<std::string> seen;
    for (auto const& name : header.cells)
        if (name.empty() || !seen.insert(name).second)
            return unexpected(diagnostics{{severity::error, "csv-header",
                                           name.empty() ? "a column has no name" : "two columns named '" + name + "'",
                                           at(header.line)}});
    diagnostics errors;
    detail::frame_builder b(detail::specs_for(header.cells, opt), std::string(file_name));
    for (std::size_t r = 1; r < records->size(); ++r) {
        auto& rec = (*records)[r];
        if (rec.cells.size() != header.cells.size()) {
            errors.push_back({severity::error, "csv-width",
                              "this row has " + std::to_string(rec.cells.size()) + " cells, the header " +
                                  std::to_string(header.cells.size()),
                              at(rec.line)});
            continue;
        }
        b.add_row(std::move(rec.cells), rec.line);
    }
    if (!errors.empty()) return unexpected(std::move(errors));
    return std::move(b).finish();
}

parse_result<frame> read_csv(std::string const& path, csv_options const& opt) {
    auto text = detail::read_file(path);
    if (!text) return unexpected(text.error());
    return parse_csv(*text, opt, path);
}

}  // namespace candor::stats
