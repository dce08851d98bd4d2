// Responses as JSON, one object per line (JSON Lines):
//   {"survey":"hotel-stay","version":3,"language":"en",
//    "fields":{"site":"paris-01","device":"kiosk-3"},
//    "started":"2026-11-02T10:14:00Z","submitted":"2026-11-02T10:16:12Z",
//    "answers":{"recommend":9,"reason":"leisure","visits":["spa","bar"]}}
#pragma once

#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "candor/response/response.hpp"
#include "candor/error.hpp"

namespace candor::response {

// One response from one JSON object. Errors carry code "json" (not JSON) or
// "response-shape" (JSON, but not a response) and the given location.
result<response> from_json(std::string_view text, location where = {});
std::string to_json(response const& r);

// One line of a JSON Lines stream: the response, or why that line was refused.
struct json_line {
    std::uint32_t line = 0;
    result<response> value;
};
// Reads every non-blank line; a bad line does not stop the others.
std::vector<json_line> read_json_lines(std::istream& in, std::string const& file_name);

}  // namespace candor::response
