// Building a frame from responses in memory.
#pragma once

#include <vector>

#include "candor/capture/response.hpp"
#include "candor/schema/survey.hpp"
#include "candor/stats/frame.hpp"

namespace candor::stats {

// The columns of the export (language, submitted, started, device fields, questions),
// typed by the survey.
parse_result<frame> frame_of(std::vector<capture::response> const& responses,
                             schema::survey const& s);

}  // namespace candor::stats
