// Surveys written for other tools, brought into Candor: what the importers share.
// An import builds a candor::survey::survey, writes its canonical text (survey::format) and
// parses that text back, so what it returns is exactly what `candor check` accepts.
// Whatever cannot be carried over (a matrix, a calculated value, a function Candor lacks)
// is an error at its place, with a stable code; `lenient` turns each into a warning and
// drops it. Nothing is changed without a diagnostic: renamed ids and codes are warnings.
// Thread safety: value types and pure functions; distinct calls may run on distinct threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "candor/error.hpp"
#include "candor/survey/survey.hpp"

namespace candor::interop {

// Limits that keep a hostile file from exhausting the importers.
inline constexpr std::size_t max_import_bytes = 16u << 20;     // a SurveyJS JSON file
inline constexpr std::size_t max_xlsx_bytes = 64u << 20;       // an .xlsx file (zipped)
inline constexpr std::size_t max_xlsx_part_bytes = 64u << 20;  // one part, unzipped
inline constexpr std::size_t max_sheet_cells = 1u << 20;       // cells of one XLSForm sheet
inline constexpr std::uint32_t max_expression_depth = survey::max_nesting;  // (, not(), {}
inline constexpr std::uint32_t max_panel_depth = 16;  // panels or groups in groups
// Nodes of one translated condition: survey::format writes a condition recursively, so a
// longer chain of `and`s would be a deep recursion there.
inline constexpr std::size_t max_condition_nodes = 4096;

struct import_options {
    std::string survey_id;      // empty: the form's own id, else the file's stem
    std::uint32_t version = 0;  // 0: the form's own version, else 1
    bool lenient = false;       // drop what cannot be carried over, a warning each
    // Questions (by their name in the source) whose 0..10 rating becomes an `nps`
    // question; "*" takes every 0..10 rating.
    std::vector<std::string> nps;
    // The language of texts not marked with one (SurveyJS "default", XLSForm `label`);
    // empty: the form's own (SurveyJS `locale`, XLSForm `default_language`), else "en".
    std::string default_language;
};

// How a question's name and option values in the source became Candor's ids and codes,
// so that answers collected by the other tool can be read (and tests can compare).
struct source_option {
    std::string code;   // the Candor option code
    std::string value;  // the value in the source, as JSON (1, "yes", true)
};
struct source_question {
    std::string id;                      // the Candor question id
    std::string name;                    // the name in the source
    std::string place;                   // JSON pointer or SHEET!CELL where it was defined
    std::vector<source_option> options;  // choices: every option, `other` included
};

struct imported {
    survey::survey survey;                   // parsed back from `text`; its warnings are in `notes`
    std::string text;                        // the canonical .survey text
    std::vector<source_question> questions;  // in survey order
    errors notes;  // warnings: what was renamed, dropped (lenient) or noted
};

}  // namespace candor::interop
