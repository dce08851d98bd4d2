#include "csv_reader.hpp"

#include <fstream>
#include <sstream>

namespace candor::stats::detail {

namespace {

void unguard(std::string& cell) {
    if (cell.size() >= 2 && cell[0] == '\'' &&
        std::string_view("=+-@\t\r").find(cell[1]) != std::string_view::npos)
        cell.erase(0, 1);
}

}  // namespace

parse_result<std::vector<record>> read_records(std::string_view text, std::string_view file_name) {
    std::vector<record> out;
    std::uint32_t line = 1;
    std::size_t i = 0;
    auto fail = [&](std::uint32_t at, std::string message) -> parse_result<std::vector<record>> {
        return unexpected(diagnostics{
            {severity::error, "csv-syntax", std::move(message), {std::string(file_name), at, 1}}});
    };
    while (i < text.size()) {
        if (text[i] == '\n' || text[i] == '\r') {  // blank line
            if (text[i] == '\n') ++line;
            ++i;
            continue;
        }
        record r;
        r.line = line;
        for (;;) {
            std::string cell;
            if (i < text.size() && text[i] == '"') {
                auto start = line;
                ++i;
                for (;;) {
                    if (i >= text.size()) return fail(start, "a quoted cell is never closed");
                    if (text[i] == '"') {
                        if (i + 1 < text.size() && text[i + 1] == '"') {
                            cell += '"';
                            i += 2;
                            continue;
                        }
                        ++i;
                        break;
                    }
                    if (text[i] == '\n') ++line;
                    cell += text[i++];
                }
                if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                    return fail(line, "text after the closing quote of a cell");
            } else {
                while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                    cell += text[i++];
            }
            unguard(cell);
            r.cells.push_back(std::move(cell));
            if (i < text.size() && text[i] == ',') {
                ++i;
                continue;
            }
            if (i < text.size() && text[i] == '\r') ++i;
            if (i < text.size() && text[i] == '\n') {
                ++i;
                ++line;
            }
            break;
        }
        out.push_back(std::move(r));
    }
    return out;
}

parse_result<std::string> read_file(std::string const& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return unexpected(diagnostics{{severity::error, "io", "cannot read '" + path + "'", {path, 0, 0}}});
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace candor::stats::detail
