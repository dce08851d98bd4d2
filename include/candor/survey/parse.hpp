// Reading and writing the survey language.
// Thread safety: pure functions of their arguments (parse_file reads its file); calls may run
// on distinct threads at once.
#pragma once

#include <string>
#include <string_view>

#include "candor/error.hpp"
#include "candor/survey/survey.hpp"

namespace candor::survey {

// Parses and checks a survey. On failure, every error found (syntax errors from
// each question, then semantic errors); on success, warnings are in survey::warnings.
// `file_name` only labels the errors.
result<survey> parse(std::string_view text, std::string_view file_name = "<input>");

// Reads a file and parses it; a file that cannot be read is one error (code "io").
result<survey> parse_file(std::string const& path);

// A condition in the survey's expression language, checked against `s` as if written
// after its last question: it may read every question and device field. Routing rules
// use it. `origin` is where the text starts in its file, so errors point there.
result<expr> parse_condition(std::string_view text, survey const& s, location origin = {});

// The canonical text of a survey: parse(format(s)) == s.
std::string format(survey const& s);

// An expression written back in the language, e.g. for errors and format().
std::string format(expr const& e, survey const& s);
// A text as the language's string literal: in double quotes, with \" \\ \n \t escaped.
std::string quote(std::string_view text);

}  // namespace candor::survey
