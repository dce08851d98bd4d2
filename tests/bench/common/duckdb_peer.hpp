// DuckDB as a benchmark peer: duckdb/peer.mjs under node, its @duckdb/node-api installed by
// `npm ci` from the pinned package-lock.json into the build tree on first use. Where node,
// npm or the registry is missing, the peer is skipped (a note says why), never failed.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

namespace candor::bench {

struct duckdb_result {
    double ms_1_thread = 0, ms_2_threads = 0;  // medians of the peer's own runs
    std::string check;                         // "NPS SE CSAT CES" of the first group
    std::string skipped;                       // why it did not run, or empty
};

// `mode` is "stats" or "report" (see peer.mjs); `source` is the folder of peer.mjs and
// its package files, `work` where they are installed.
inline duckdb_result run_duckdb(std::string const& mode, std::filesystem::path const& csv,
                                std::filesystem::path const& source,
                                std::filesystem::path const& work) {
    duckdb_result out;
    if (std::system("command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1") != 0) {
        out.skipped = "node or npm is not installed";
        return out;
    }
    std::error_code ec;
    std::filesystem::create_directories(work, ec);
    for (auto const* f : {"package.json", "package-lock.json", "peer.mjs"})
        std::filesystem::copy_file(source / f, work / f,
                                   std::filesystem::copy_options::overwrite_existing, ec);
    if (!std::filesystem::exists(work / "node_modules/@duckdb/node-api/package.json")) {
        auto install = "cd '" + work.string() +
                       "' && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1";
        if (std::system(install.c_str()) != 0) {
            out.skipped =
                "npm ci of @duckdb/node-api failed (offline, or no build for this machine)";
            return out;
        }
    }
    auto cmd = "node '" + (work / "peer.mjs").string() + "' " + mode + " '" + csv.string() + "'";
    std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
    char line[512];
    while (p && std::fgets(line, sizeof line, p.get())) {
        int threads = 0;
        double ms = 0;
        if (std::sscanf(line, "threads=%d ms=%lf", &threads, &ms) == 2)
            (threads == 1 ? out.ms_1_thread : out.ms_2_threads) = ms;
        else if (std::string(line).rfind("check ", 0) == 0)
            out.check = line + 6;
    }
    if (out.ms_1_thread <= 0 || out.ms_2_threads <= 0) out.skipped = "the DuckDB peer did not run";
    return out;
}

}  // namespace candor::bench
