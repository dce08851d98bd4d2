// Response checking: a response as JSON text in, its problems out.
#include <pybind11/stl.h>

#include "candor/capture/check.hpp"
#include "candor/capture/json.hpp"
#include "module.hpp"

namespace candor::python {

void register_capture(py::module_& m) {
    py::class_<capture::problem>(m, "Problem", "Why a response is refused, question by question.")
        .def_readonly("question", &capture::problem::question)
        .def_property_readonly("code", [](capture::problem const& p) { return std::string(capture::to_string(p.code)); })
        .def_readonly("message", &capture::problem::message)
        .def("__str__", [](capture::problem const& p) {
            return (p.question.empty() ? std::string("response") : p.question) + ": " + p.message +
                   " [" + std::string(capture::to_string(p.code)) + "]";
        })
        .def("__repr__", [](capture::problem const& p) {
            return "<Problem " + p.question + " " + std::string(capture::to_string(p.code)) + ">";
        });

    // (problems or None, diagnostics): diagnostics when the text is not a response.
    m.def("check", [](schema::survey const& s, std::string const& json) {
        py::gil_scoped_release nogil;
        auto parsed = capture::from_json(json, {"<response>", 1, 1});
        if (!parsed) return std::make_pair(std::optional<capture::problems>(), std::move(parsed).error());
        return std::make_pair(std::optional<capture::problems>(capture::check(s, *parsed)), diagnostics{});
    }, py::arg("survey"), py::arg("json"));

    // The canonical JSON of a response (times as ISO 8601, answers typed by the JSON).
    m.def("normalize_response", [](std::string const& json) -> std::optional<std::string> {
        auto parsed = capture::from_json(json);
        if (!parsed) return std::nullopt;
        return capture::to_json(*parsed);
    });
}

}  // namespace candor::python
