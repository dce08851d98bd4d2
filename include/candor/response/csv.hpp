// Responses exported as CSV (RFC 4180): one row per response, one column per question.
// Thread safety: pure functions; each call writes only the stream it is given (one stream
// per thread).
#pragma once

#include <istream>
#include <ostream>
#include <span>
#include <string>
#include <string_view>

#include "candor/response/response.hpp"
#include "candor/survey/survey.hpp"

namespace candor::response {

// Columns: survey, version, language, submitted, started, each device field, each question
// (a choice_many cell joins codes with ';', a choice's other text gets an `ID.other` column).
void write_csv_header(std::ostream& out, survey::survey const& s);
void write_csv_row(std::ostream& out, survey::survey const& s, response const& r);

// What `candor export` writes: the header, then a row for each response of a JSON Lines
// stream (response/json.hpp) that `s` accepts (validate.hpp); a line that is not a response,
// or that `s` refuses, is skipped and counted. Rows are written in blocks, as they come.
struct export_counts {
    std::size_t exported = 0;
    std::size_t skipped = 0;
};
// With `anonymize`, each row is of the response as anonymize() leaves it (anonymize.hpp):
// its personal cells empty, contact details redacted, times at midnight UTC.
export_counts export_csv(std::istream& in, std::string const& file_name, survey::survey const& s,
                         std::ostream& out, bool anonymize = false);

// One cell, quoted when needed (RFC 4180); a cell starting with = + - @ (or tab/CR) is
// prefixed with ' so that spreadsheets do not run it as a formula. `candor::stats` reads the
// same dialect back.
std::string csv_cell(std::string_view value);

}  // namespace candor::response
