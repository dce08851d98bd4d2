// _candor: the private extension under the `candor` Python package (bindings/python/candor).
#include "module.hpp"

#include "candor/version.hpp"

PYBIND11_MODULE(_candor, m) {
    m.doc() = "Candor's C++ library; use the `candor` package, not this module.";
    m.attr("__version__") = CANDOR_VERSION_STRING;  // the headers compiled against
    m.def("version", [] { return std::string(candor::version()); },
          "The version of the library linked.");
    candor::python::register_survey(m);
    candor::python::register_response(m);
    candor::python::register_stats(m);
    candor::python::register_journal(m);
}
