// XLSForm (https://xlsform.org; ODK, KoboToolbox, SurveyCTO) imported as a Candor survey:
// the `survey`, `choices` and `settings` sheets of an .xlsx workbook.
// docs/interop.md lists what is carried over, what is refused and each code.
// Thread safety: pure functions over values; calls may run on distinct threads.
#pragma once

#include <string>
#include <string_view>

#include "candor/error.hpp"
#include "candor/interop/import.hpp"

namespace candor::interop {

// Imports an XLSForm from the bytes of an .xlsx file. Errors and notes point at a cell in
// `where.field` ("survey!C5", "choices!B12"), `where.file` = file_name. A file that is
// not a readable workbook is one error, code `bad-xlsx`.
result<imported> import_xlsform(std::string_view xlsx, import_options const& options,
                                std::string_view file_name = "<input>");

}  // namespace candor::interop
