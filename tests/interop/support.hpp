// Helpers of the interop tests.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <string>

#include "candor/error.hpp"

namespace candor::test {

inline std::string slurp(std::string const& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in, path);
    return std::string((std::istreambuf_iterator<char>(in)), {});
}

// The diagnostic with `code` at `field`, or fails the test.
inline error const& at(errors const& all, std::string const& code, std::string const& field) {
    auto it = std::find_if(all.begin(), all.end(), [&](error const& e) {
        return e.code == code && e.where.field == field;
    });
    if (it == all.end()) FAIL("no [" << code << "] at " << field << " in\n" << render(all));
    return *it;
}

}  // namespace candor::test
