#include "io.hpp"

#include <fstream>
#include <sstream>

#include "candor/survey/parse.hpp"

namespace candor::cli {

std::optional<std::string> read_file(std::string const& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::cerr << path << ": cannot open\n";
        return std::nullopt;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::istream* open_input(std::string const& path, std::ifstream& file) {
    if (path == "-") return &std::cin;
    file.open(path, std::ios::binary);
    if (!file) {
        std::cerr << path << ": cannot open\n";
        return nullptr;
    }
    return &file;
}

std::optional<survey::survey> load_survey(std::string const& path, std::ostream& err) {
    auto text = read_file(path);
    if (!text) return std::nullopt;
    auto parsed = survey::parse(*text, path);
    if (!parsed) {
        err << render(parsed.error(), *text);
        return std::nullopt;
    }
    err << render(parsed->warnings, *text);
    return std::move(*parsed);
}

void print_problems(std::ostream& out, errors const& problems) {
    for (auto const& p : problems)
        out << "  " << (p.where.field.empty() ? "response" : p.where.field) << ": " << p.message
            << " [" << p.code << "]\n";
}

std::optional<journal::store> open_store(std::string const& dir) {
    auto s = journal::store::open(dir);
    if (!s) {
        std::cerr << render(s.error());
        return std::nullopt;
    }
    std::cerr << render(s->recovery());
    return std::move(*s);
}

}  // namespace candor::cli
