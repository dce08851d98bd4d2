// Messages read back by Python's email package (check_mail.py), for the tests of every mail
// Candor writes.
#pragma once

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace candor::routing::testing {

// Runs the checker on DIR; its findings, or the messages it read.
inline nlohmann::json python_reads(std::filesystem::path const& dir) {
    auto const out = dir / "read.json";
    std::string const cmd = "python3 " CANDOR_SOURCE_DIR "/tests/routing/check_mail.py '" +
                            dir.string() + "' '" + out.string() + "' > '" + (dir / "log").string() +
                            "' 2>&1";
    int const rc = std::system(cmd.c_str());
    std::ifstream log(dir / "log");
    std::stringstream text;
    text << log.rdbuf();
    INFO(text.str());
    CHECK(rc == 0);
    std::ifstream in(out);
    return nlohmann::json::parse(in);
}

}  // namespace candor::routing::testing
