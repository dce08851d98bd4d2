// Responses as JSON, one object per line (JSON Lines):
//   {"survey":"hotel-stay","version":3,"language":"en",
//    "fields":{"site":"paris-01","device":"kiosk-3"},
//    "started":"2026-11-02T10:14:00Z","submitted":"2026-11-02T10:16:12Z",
//    "answers":{"recommend":9,"reason":"leisure","visits":["spa","bar"]}}
#pragma once

#include <cstddef>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "candor/response/response.hpp"
#include "candor/error.hpp"

namespace candor::response {

// A response nests three levels (the object, "answers", a list of codes); anything nested
// deeper is refused before it is built.
inline constexpr std::size_t max_json_depth = 64;
// A line longer than this is refused unread: twice what a sealed card may hold.
inline constexpr std::size_t max_json_line_bytes = 1u << 20;

// One response from one JSON object. Errors carry code "json" (not JSON),
// "number-too-large" (a number no double holds, like 1e400), "too-deep" (nested past
// max_json_depth) or "response-shape" (JSON, but not a response), at the given location
// (for a line, the column is the byte where it went wrong). Throws nothing for any text.
result<response> from_json(std::string_view text, location where = {});
std::string to_json(response const& r);

// One line of a JSON Lines stream: the response, or why that line was refused.
struct json_line {
    std::uint32_t line = 0;
    result<response> value;
};
// Reads a JSON Lines stream one line at a time, so that a device reading a pipe handles
// each line as it comes. Blank lines are skipped but counted; a line over
// max_json_line_bytes is refused ("too-large") without being held in memory.
// Thread safety: one reader per stream, used from one thread at a time.
class json_line_reader {
  public:
    json_line_reader(std::istream& in, std::string file_name)
        : in_(in), file_name_(std::move(file_name)) {}
    // The next non-blank line, or nullopt at the end of the stream.
    std::optional<json_line> next();

  private:
    std::istream& in_;
    std::string file_name_;
    std::uint32_t line_ = 0;
    std::string text_;
};

// Reads every non-blank line; a bad line does not stop the others.
std::vector<json_line> read_json_lines(std::istream& in, std::string const& file_name);

}  // namespace candor::response
