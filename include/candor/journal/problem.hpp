// What verify and import find: each problem names the file and offset, and where it can,
// the device and sequence number of the card concerned.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "candor/diagnostic.hpp"

namespace candor::journal {

struct problem {
    severity level = severity::error;
    std::string code;  // stable, kebab-case: "bad-crc", "gap", "fork", "bad-signature", ...
    std::string message;
    std::string device;        // empty when not known
    std::uint64_t seq = 0;     // 0 when not known
    std::string file;          // segment or bundle; empty when not about one place
    std::optional<std::uint64_t> offset;  // byte offset in `file`
};

using problems = std::vector<problem>;

bool has_errors(problems const& all) noexcept;

// "FILE@OFFSET: error: device D seq N: message [code]"
std::string render(problem const& p);
std::string render(problems const& all);

}  // namespace candor::journal
