// Responses as JSON, one object per line (JSON Lines), read with simdjson:
//   {"survey":"hotel-stay","version":3,"language":"en",
//    "fields":{"site":"paris-01","device":"kiosk-3"},
//    "started":"2026-11-02T10:14:00Z","submitted":"2026-11-02T10:16:12Z",
//    "answers":{"recommend":9,"reason":"leisure","visits":["spa","bar"]}}
#pragma once

#include <cstddef>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "candor/error.hpp"
#include "candor/response/response.hpp"

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
// The reader takes the stream's bytes in blocks (what the stream has ready, without waiting
// for more), so bytes after the line it returns may already be read from the stream.
class json_line_reader {
  public:
    json_line_reader(std::istream& in, std::string file_name);
    ~json_line_reader();
    json_line_reader(json_line_reader const&) = delete;
    json_line_reader& operator=(json_line_reader const&) = delete;
    // The next non-blank line, or nullopt at the end of the stream.
    std::optional<json_line> next();

  private:
    // Room for the longest line, its newline, and a block more.
    static constexpr std::size_t buffer_bytes = max_json_line_bytes + (1u << 16);
    bool fill();

    std::istream& in_;
    location where_;  // the file; the line of each line read
    std::uint32_t line_ = 0;
    std::unique_ptr<char[]> buffer_;                 // plus simdjson's padding after it
    std::size_t begin_ = 0, scanned_ = 0, end_ = 0;  // the next line; how far it has no \n
};

// Reads every non-blank line; a bad line does not stop the others.
std::vector<json_line> read_json_lines(std::istream& in, std::string const& file_name);

}  // namespace candor::response
