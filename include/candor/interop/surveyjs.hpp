// SurveyJS (https://surveyjs.io) form JSON, both ways: a SurveyJS survey imported as a
// Candor survey, and a Candor survey written as SurveyJS JSON for SurveyJS front-ends.
// docs/interop.md lists what is carried over, what is refused and each code.
// Thread safety: pure functions over values; calls may run on distinct threads.
#pragma once

#include <string>
#include <string_view>

#include "candor/error.hpp"
#include "candor/interop/import.hpp"
#include "candor/survey/survey.hpp"

namespace candor::interop {

// Imports a SurveyJS survey (its JSON text). Errors and notes point at the JSON by a JSON
// pointer in `where.field` ("/pages/0/elements/2/visibleIf"), `where.file` = file_name.
result<imported> import_surveyjs(std::string_view json, import_options const& options,
                                 std::string_view file_name = "<input>");

// The survey as SurveyJS JSON (pretty, 2 spaces): pages, questions, choices, `other`,
// end labels, every language (texts as {"default": ..., "fr": ...}), required, and
// visibleIf/requiredIf written so that SurveyJS shows what Candor shows. Device fields
// are SurveyJS variables ({site}): the front end sets them with survey.setVariable().
std::string export_surveyjs(survey::survey const& s);

}  // namespace candor::interop
