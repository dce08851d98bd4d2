// A diagnostic: one problem found in a text file (a survey, an org file) or in data,
// with a stable code a program can match on, a place and a plain message.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "candor/result.hpp"

namespace candor {

enum class severity : std::uint8_t { error, warning, note };

// Where in a text a diagnostic points: 1-based line and column (columns count characters,
// that is UTF-8 code points, as editors show them).
struct source_location {
    std::string file;
    std::uint32_t line = 0;
    std::uint32_t column = 0;
    friend bool operator==(source_location const&, source_location const&) = default;
};

struct diagnostic {
    severity level = severity::error;
    std::string code;  // stable, kebab-case: "duplicate-question", "syntax", ...
    std::string message;
    source_location where;
};

using diagnostics = std::vector<diagnostic>;

bool has_errors(diagnostics const& all) noexcept;

// "FILE:LINE:COL: error: message [code]", then the source line and a caret under the
// column when `source` (the whole text the locations point into) is given.
std::string render(diagnostic const& d, std::string_view source = {});
std::string render(diagnostics const& all, std::string_view source = {});

std::string_view to_string(severity s) noexcept;

// The error type of operations on text: every diagnostic, not only the first.
template <class T>
using parse_result = result<T, diagnostics>;

}  // namespace candor
