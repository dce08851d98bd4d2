// Response checking: a response as JSON text in, its problems out.
#include <pybind11/stl.h>

#include "candor/response/validate.hpp"
#include "candor/response/json.hpp"
#include "module.hpp"

namespace candor::python {

void register_response(py::module_& m) {
    py::class_<response::problem>(m, "Problem", "Why a response is refused, question by question.")
        .def_readonly("question", &response::problem::question)
        .def_property_readonly("code", [](response::problem const& p) { return std::string(response::to_string(p.code)); })
        .def_readonly("message", &response::problem::message)
        .def("__str__", [](response::problem const& p) {
            return (p.question.empty() ? std::string("response") : p.question) + ": " + p.message +
                   " [" + std::string(response::to_string(p.code)) + "]";
        })
        .def("__repr__", [](response::problem const& p) {
            return "<Problem " + p.question + " " + std::string(response::to_string(p.code)) + ">";
        });

    // (problems or None, diagnostics): diagnostics when the text is not a response.
    m.def("check", [](survey::survey const& s, std::string const& json) {
        py::gil_scoped_release nogil;
        auto parsed = response::from_json(json, {"<response>", 1, 1});
        if (!parsed) return std::make_pair(std::optional<response::problems>(), std::move(parsed).error());
        return std::make_pair(std::optional<response::problems>(response::validate(s, *parsed)), diagnostics{});
    }, py::arg("survey"), py::arg("json"));

    // The canonical JSON of a response (times as ISO 8601, answers typed by the JSON).
    m.def("normalize_response", [](std::string const& json) -> std::optional<std::string> {
        auto parsed = response::from_json(json);
        if (!parsed) return std::nullopt;
        return response::to_json(*parsed);
    });
}

}  // namespace candor::python
