// _candor: the private extension under the `candor` Python package (bindings/python/candor).
#include "module.hpp"

#include <pybind11/stl.h>

#include "candor/error.hpp"
#include "candor/version.hpp"

namespace candor::python {

void register_error(py::module_& m) {
    py::class_<error>(m, "Error",
                      "Candor's one error type: a severity, a stable code, a message and where.")
        .def_property_readonly("level", [](error const& e) { return std::string(to_string(e.level)); })
        .def_readonly("code", &error::code)
        .def_readonly("message", &error::message)
        .def_property_readonly("file", [](error const& e) { return e.where.file; })
        .def_property_readonly("line", [](error const& e) { return e.where.line; })
        .def_property_readonly("column", [](error const& e) { return e.where.column; })
        .def_property_readonly("offset", [](error const& e) { return e.where.offset; })
        .def_property_readonly("device", [](error const& e) { return e.where.device; })
        .def_property_readonly("seq", [](error const& e) { return e.where.seq; })
        .def_property_readonly("field", [](error const& e) { return e.where.field; })
        .def("__str__", [](error const& e) {
            auto text = render(e);
            if (!text.empty() && text.back() == '\n') text.pop_back();
            return text;
        })
        .def("__repr__", [](error const& e) { return "<Error " + e.code + ">"; });
}

}  // namespace candor::python

PYBIND11_MODULE(_candor, m) {
    m.doc() = "Candor's C++ library; use the `candor` package, not this module.";
    m.attr("__version__") = CANDOR_VERSION_STRING;  // the headers compiled against
    m.def("version", [] { return std::string(candor::version()); },
          "The version of the library linked.");
    candor::python::register_error(m);
    candor::python::register_survey(m);
    candor::python::register_response(m);
    candor::python::register_stats(m);
    candor::python::register_journal(m);
    candor::python::register_report(m);
}
