// The figures and the report, printed: JSON (the keys of docs/statistics.md and
// docs/report.md), plain text for a terminal, and the report as one self-contained HTML
// page (inline CSS and SVG, no script, nothing from elsewhere, every text from the data
// escaped). What is suppressed for too few cards is said, not left out silently.
// Thread safety: pure functions of their arguments.
#pragma once

#include <string>
#include <string_view>

#include "candor/report/figures.hpp"
#include "candor/report/report.hpp"

namespace candor::report {

// JSON text, indented by two spaces, without a final newline. Undefined figures are null.
std::string to_json(figures const& f);  // what `candor stats --json` prints
std::string to_json(report_model const& r);

std::string to_text(figures const& f);  // what `candor stats` prints
std::string to_text(report_model const& r);
std::string to_html(report_model const& r);

// Text made safe inside HTML and SVG elements and attribute values.
std::string html_escape(std::string_view text);

}  // namespace candor::report
