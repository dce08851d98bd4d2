// Candor's one error type. Every call that can fail in an expected way returns
// candor::result<T>: the value, or every problem found, each an `error` with a severity,
// a stable kebab-case code a program can match on, a plain message and where it is.
// Codes are the interface; messages may change. Warnings travel the same way, beside a
// value (a survey's warnings, what a journal's recovery found).
// Exceptions are left for broken invariants (bad_result_access, std::logic_error) and for
// I/O that cannot go on (std::system_error from a writer that cannot write).
// Thread safety: value types; distinct objects may be used from distinct threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "candor/detail/config.hpp"
#include "candor/expected.hpp"

namespace candor {

enum class severity : std::uint8_t { error, warning, note };

std::string_view to_string(severity s) noexcept;

// Where an error points. Any of the parts may be set, and render() shows those that are:
//   FILE:LINE:COL  a place in a text (1-based; columns count characters, as editors do)
//   FILE:LINE      a line of a JSON-lines or CSV file
//   FILE@OFFSET    a byte of a binary file (a journal segment, a bundle)
//   device D seq N a card, by the device that wrote it and its sequence number
//   FIELD          a question or device field of a response
// Every member has a default, so `{file, line, column}` and `{.device = d, .seq = n}` say
// only what is known.
struct location {
    std::string file{};
    std::uint32_t line = 0;
    std::uint32_t column = 0;
    std::optional<std::uint64_t> offset{};
    std::string device{};
    std::uint64_t seq = 0;
    std::string field{};
    friend bool operator==(location const&, location const&) = default;
};

struct error {
    severity level = severity::error;
    std::string code{};     // stable, kebab-case: "duplicate-question", "bad-signature", ...
    std::string message{};  // plain words for a person
    location where{};
    friend bool operator==(error const&, error const&) = default;
};

using errors = std::vector<error>;

template <class T>
using result = expected<T, errors>;

// The usual way to fail: `return fail("unknown-column", "no column `x`");`
unexpected<errors> fail(std::string code, std::string message, location where = {});
unexpected<errors> fail(error e);
unexpected<errors> fail(errors all);

bool has_errors(errors const& all) noexcept;

// `text` safe to print on a terminal: control characters (C0 but tab, DEL, C1) and bytes that
// are no UTF-8 written \xNN. What render() prints of an error's parts is so.
std::string printable(std::string_view text);

// "PLACE: SEVERITY: [device D seq N: | FIELD: ]message [code]" and a newline; with
// `source` (the whole text the line and column point into), the source line follows
// with a caret under the column.
std::string render(error const& e, std::string_view source = {});
std::string render(errors const& all, std::string_view source = {});

}  // namespace candor

#ifdef CANDOR_HEADER_ONLY
#include "candor/detail/error-inl.hpp"
#endif
