// Surveys: parse, check, format; errors as objects.
#include <pybind11/stl.h>

#include "candor/error.hpp"
#include "candor/survey/parse.hpp"
#include "module.hpp"

namespace candor::python {

namespace {

std::vector<std::string> option_codes(survey::question const& q) {
    std::vector<std::string> out;
    for (auto const& o : q.options) out.push_back(o.code);
    return out;
}

// (survey or None, errors, the errors rendered with their source lines)
py::tuple outcome(result<survey::survey> parsed, std::string_view source) {
    if (parsed) return py::make_tuple(std::move(parsed).value(), errors{}, std::string());
    auto text = render(parsed.error(), source);
    return py::make_tuple(py::none(), std::move(parsed).error(), std::move(text));
}

}  // namespace

void register_survey(py::module_& m) {
    py::class_<survey::question>(m, "Question")
        .def_readonly("id", &survey::question::id)
        .def_property_readonly(
            "kind",
            [](survey::question const& q) { return std::string(survey::to_string(q.kind)); })
        .def_readonly("page", &survey::question::page)
        .def_readonly("required", &survey::question::required)
        .def_property_readonly("conditional",
                               [](survey::question const& q) { return q.show_if.has_value(); })
        .def_readonly("min", &survey::question::min)
        .def_readonly("max", &survey::question::max)
        .def_readonly("integer", &survey::question::integer)
        .def_property_readonly("is_scale",
                               [](survey::question const& q) { return survey::is_scale(q.kind); })
        .def_property_readonly("options", &option_codes)
        .def_readonly("personal", &survey::question::personal)
        .def_property_readonly("line", [](survey::question const& q) { return q.where.line; })
        .def("__repr__", [](survey::question const& q) {
            return "<Question " + q.id + ": " + std::string(survey::to_string(q.kind)) + ">";
        });

    py::class_<survey::survey>(m, "Survey")
        .def_readonly("id", &survey::survey::id)
        .def_readonly("version", &survey::survey::version)
        .def_readonly("languages", &survey::survey::languages)
        .def_readonly("fields", &survey::survey::fields)
        .def_readonly("optional_fields", &survey::survey::optional_fields)
        .def_readonly("questions", &survey::survey::questions)
        .def_readonly("warnings", &survey::survey::warnings)
        .def(
            "format", [](survey::survey const& s) { return survey::format(s); },
            "The canonical text of the survey.")
        .def("__eq__", [](survey::survey const& a, survey::survey const& b) { return a == b; })
        .def("__repr__", [](survey::survey const& s) {
            return "<Survey " + s.id + " version " + std::to_string(s.version) + ", " +
                   std::to_string(s.questions.size()) + " questions>";
        });

    m.def(
        "parse",
        [](std::string const& text, std::string const& file) {
            result<survey::survey> parsed = [&] {
                py::gil_scoped_release nogil;
                return survey::parse(text, file);
            }();
            return outcome(std::move(parsed), text);
        },
        py::arg("text"), py::arg("file") = "<input>");
    m.def(
        "parse_file",
        [](std::string const& path) {
            result<survey::survey> parsed = [&] {
                py::gil_scoped_release nogil;
                return survey::parse_file(path);
            }();
            return outcome(std::move(parsed), {});
        },
        py::arg("path"));
}

}  // namespace candor::python
