// The extension _candor: one register_* per area of the library.
#pragma once

#include <pybind11/pybind11.h>

namespace candor::python {

namespace py = pybind11;

void register_error(py::module_& m);
void register_survey(py::module_& m);
void register_response(py::module_& m);
void register_stats(py::module_& m);
void register_journal(py::module_& m);
void register_report(py::module_& m);

}  // namespace candor::python
