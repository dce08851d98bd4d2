// Response checking: a response as JSON text in, its problems out.
#include <pybind11/stl.h>

#include "candor/response/json.hpp"
#include "candor/response/validate.hpp"
#include "module.hpp"

namespace candor::python {

void register_response(py::module_& m) {
    // (problems or None, errors): errors when the text is not a response.
    m.def(
        "validate",
        [](survey::survey const& s, std::string const& json) {
            py::gil_scoped_release nogil;
            auto parsed = response::from_json(json, {"<response>", 1, 1});
            if (!parsed) return std::make_pair(std::optional<errors>(), std::move(parsed).error());
            return std::make_pair(std::optional<errors>(response::validate(s, *parsed)), errors{});
        },
        py::arg("survey"), py::arg("json"));

    // The canonical JSON of a response (times as ISO 8601, answers typed by the JSON).
    m.def("normalize_response", [](std::string const& json) -> std::optional<std::string> {
        auto parsed = response::from_json(json);
        if (!parsed) return std::nullopt;
        return response::to_json(*parsed);
    });
}

}  // namespace candor::python
