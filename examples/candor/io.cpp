#include "io.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include "candor/pg/store.hpp"
#include "candor/survey/parse.hpp"
#include "candor/time.hpp"

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

bool replace_file(std::string const& path, std::string_view text) {
    std::string const tmp = path + ".tmp";
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush() || (out.close(), std::rename(tmp.c_str(), path.c_str()) != 0)) {
        std::cerr << path << ": cannot write\n";
        std::remove(tmp.c_str());
        return false;
    }
    return true;
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

std::optional<seal::device_secret> load_device_key(std::string const& path) {
    auto key = seal::read_device_secret(path);
    if (!key) {
        std::cerr << render(key.error());
        return std::nullopt;
    }
    return std::move(*key);
}

std::optional<seal::hq_public> load_hq_public(std::string const& path) {
    auto hq = seal::read_hq_public(path);
    if (!hq) {
        std::cerr << render(hq.error());
        return std::nullopt;
    }
    return *hq;
}

void print_problems(std::ostream& out, errors const& problems) {
    for (auto const& p : problems)
        out << "  " << (p.where.field.empty() ? "response" : p.where.field) << ": " << p.message
            << " [" << p.code << "]\n";
}

progress_fn progress_line(bool quiet) {
    if (quiet || ::isatty(STDERR_FILENO) != 1) return {};
    using clock = std::chrono::steady_clock;
    struct state {
        clock::time_point start = clock::now();
        clock::time_point drawn{};
    };
    auto s = std::make_shared<state>();
    return [s](progress const& p) {
        auto const now = clock::now();
        bool const last = p.total != 0 && p.done >= p.total;
        if (!last && now - s->drawn < std::chrono::milliseconds(100)) return;
        s->drawn = now;
        double const seconds = std::chrono::duration<double>(now - s->start).count();
        double const rate = seconds > 0 ? static_cast<double>(p.done) / seconds : 0;
        char line[160];
        int n =
            std::snprintf(line, sizeof line, "\r\033[K%.*s: %llu", static_cast<int>(p.stage.size()),
                          p.stage.data(), static_cast<unsigned long long>(p.done));
        if (p.total != 0)
            n += std::snprintf(line + n, sizeof line - static_cast<std::size_t>(n), " of %llu",
                               static_cast<unsigned long long>(p.total));
        n += std::snprintf(line + n, sizeof line - static_cast<std::size_t>(n), ", %.0f/s", rate);
        if (p.total != 0 && rate > 0 && !last)
            std::snprintf(line + n, sizeof line - static_cast<std::size_t>(n), ", %.0f s left",
                          static_cast<double>(p.total - p.done) / rate);
        std::fputs(line, stderr);
        if (last) std::fputs("\n", stderr);
        std::fflush(stderr);
    };
}

std::optional<journal::store> open_store(std::string const& location) {
    auto s = pg::open_store(location);
    if (!s) {
        std::cerr << render(s.error());
        return std::nullopt;
    }
    std::cerr << render(s->recovery());
    return std::move(*s);
}

std::optional<routing::timestamp> now_option(std::string const& text, std::string_view command) {
    if (text.empty()) return routing::system_now();
    auto t = parse_timestamp(text);
    if (!t) {
        std::cerr << command << ": --now " << text << ": not a time like 2026-11-23T09:00:00Z\n";
        return std::nullopt;
    }
    return *t;
}

std::optional<routing::organisation> load_org(std::string const& path) {
    auto text = read_file(path);
    if (!text) return std::nullopt;
    auto org = routing::parse_org(*text, path);
    if (!org) {
        std::cerr << render(org.error(), *text);
        return std::nullopt;
    }
    std::cerr << render(org->warnings, *text);
    return std::move(*org);
}

std::optional<routing::rule_set> load_routing_rules(std::string const& path,
                                                    routing::organisation const& org,
                                                    survey::survey const& survey) {
    auto text = read_file(path);
    if (!text) return std::nullopt;
    // Rules may stand in the org file itself.
    auto rules = routing::load_rules(*text, path == org.file ? org.file : path, org, survey);
    if (!rules) {
        std::cerr << render(rules.error(), *text);
        return std::nullopt;
    }
    std::cerr << render(rules->warnings, *text);
    return std::move(*rules);
}

}  // namespace candor::cli
