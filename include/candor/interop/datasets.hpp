// Responses as data sets that analysts open: SPSS (.sav, through ReadStat) and Excel
// (.xlsx, through libxlsxwriter), labelled from the survey. CSV is response::write_csv_*.
// Thread safety: each call writes its own file; calls on distinct files may run on
// distinct threads.
#pragma once

#include <span>
#include <string>

#include "candor/error.hpp"
#include "candor/response/response.hpp"
#include "candor/survey/survey.hpp"

namespace candor::interop {

struct dataset_options {
    std::string language;    // of labels; empty: the survey's default language
    bool anonymize = false;  // each row as response::anonymize leaves it (--anonymize)
};

// One variable per column of the CSV export (response/csv.hpp), in the same order, except
// that a `choice many` question becomes one 0/1 variable per option (ID_CODE), as SPSS
// users expect. Variable labels are the question texts; value labels are the options'
// labels (choice one: 1..n in option order), yes/no and the scales' end labels.
// submitted/started are SPSS DATETIME, dates DATE. Names that SPSS cannot take are
// changed (`.` and other characters to `_`), a warning each in the result.
// Errors: `io` (cannot write), `spss` (ReadStat refused).
result<errors> write_sav(std::string const& path, survey::survey const& s,
                         std::span<response::response const> rows,
                         dataset_options const& options = {});

// Sheet `responses`: the CSV export's columns and cells, typed (numbers as numbers,
// submitted/started as date-times, dates as dates, text as text, never as a formula).
// Sheet `variables`: each column with its question text, kind and value labels.
// Errors: `io`, `xlsx` (libxlsxwriter refused).
result<errors> write_xlsx(std::string const& path, survey::survey const& s,
                          std::span<response::response const> rows,
                          dataset_options const& options = {});

}  // namespace candor::interop
