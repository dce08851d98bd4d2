// Building a frame from responses in memory. Compiled only (candor::stats, which links
// candor::response): not part of candor::stats-header-only.
// Thread safety: a pure function of its arguments.
#pragma once

#include <vector>

#include "candor/response/response.hpp"
#include "candor/stats/frame.hpp"
#include "candor/survey/survey.hpp"

namespace candor::stats {

// The columns of the export (language, submitted, started, device fields, questions),
// typed by the survey.
result<frame> frame_of(std::vector<response::response> const& responses, survey::survey const& s);

}  // namespace candor::stats
