#include "csv_reader.hpp"

#include <filesystem>
#include <fstream>

#include "util/csv.hpp"

namespace candor::stats::detail {

using util::csv_scanner;

result<std::vector<record>> read_records(std::string_view text, std::string_view file_name) {
    std::vector<record> out;
    csv_scanner s(text);
    while (s.next_record()) {
        record r;
        r.line = s.record_line();
        for (auto more = csv_scanner::cut::more; more == csv_scanner::cut::more;) {
            std::string_view cell;
            more = s.cell(cell);
            if (more == csv_scanner::cut::bad)
                return unexpected(candor::errors{{severity::error,
                                                  "csv-syntax",
                                                  s.error(),
                                                  {std::string(file_name), s.error_line(), 1}}});
            r.cells.emplace_back(cell);
        }
        out.push_back(std::move(r));
    }
    return out;
}

result<std::string> read_file(std::string const& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return unexpected(
            candor::errors{{severity::error, "io", "cannot read '" + path + "'", {path, 0, 0}}});
    std::string text;
    // Sized once when the size is known; a pipe has none and grows as it is read.
    std::error_code ec;
    if (auto size = std::filesystem::file_size(path, ec); !ec) text.reserve(size);
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0)
        text.append(buf, static_cast<std::size_t>(in.gcount()));
    return text;
}

}  // namespace candor::stats::detail
