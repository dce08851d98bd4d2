// Surveys: parse, check, format; diagnostics as objects.
#include <pybind11/stl.h>

#include "candor/diagnostic.hpp"
#include "candor/schema/parse.hpp"
#include "module.hpp"

namespace candor::python {

namespace {

std::vector<std::string> option_codes(schema::question const& q) {
    std::vector<std::string> out;
    for (auto const& o : q.options) out.push_back(o.code);
    return out;
}

// (survey or None, diagnostics, the diagnostics rendered with their source lines)
py::tuple outcome(parse_result<schema::survey> parsed, std::string_view source) {
    if (parsed) return py::make_tuple(std::move(parsed).value(), diagnostics{}, std::string());
    auto text = render(parsed.error(), source);
    return py::make_tuple(py::none(), std::move(parsed).error(), std::move(text));
}

}  // namespace

void register_schema(py::module_& m) {
    py::class_<diagnostic>(m, "Diagnostic", "A problem found in a text: where, a stable code, a message.")
        .def_property_readonly("level", [](diagnostic const& d) { return std::string(to_string(d.level)); })
        .def_readonly("code", &diagnostic::code)
        .def_readonly("message", &diagnostic::message)
        .def_property_readonly("file", [](diagnostic const& d) { return d.where.file; })
        .def_property_readonly("line", [](diagnostic const& d) { return d.where.line; })
        .def_property_readonly("column", [](diagnostic const& d) { return d.where.column; })
        .def("__str__", [](diagnostic const& d) { return render(d); })
        .def("__repr__", [](diagnostic const& d) {
            return "<Diagnostic " + d.where.file + ":" + std::to_string(d.where.line) + ":" +
                   std::to_string(d.where.column) + " " + d.code + ">";
        });

    py::class_<schema::question>(m, "Question")
        .def_readonly("id", &schema::question::id)
        .def_property_readonly("kind", [](schema::question const& q) { return std::string(schema::to_string(q.kind)); })
        .def_readonly("page", &schema::question::page)
        .def_readonly("required", &schema::question::required)
        .def_property_readonly("conditional", [](schema::question const& q) { return q.show_if.has_value(); })
        .def_readonly("min", &schema::question::min)
        .def_readonly("max", &schema::question::max)
        .def_readonly("integer", &schema::question::integer)
        .def_property_readonly("is_scale", [](schema::question const& q) { return schema::is_scale(q.kind); })
        .def_property_readonly("options", &option_codes)
        .def_readonly("personal", &schema::question::personal)
        .def_property_readonly("line", [](schema::question const& q) { return q.where.line; })
        .def("__repr__", [](schema::question const& q) {
            return "<Question " + q.id + ": " + std::string(schema::to_string(q.kind)) + ">";
        });

    py::class_<schema::survey>(m, "Survey")
        .def_readonly("id", &schema::survey::id)
        .def_readonly("version", &schema::survey::version)
        .def_readonly("languages", &schema::survey::languages)
        .def_readonly("fields", &schema::survey::fields)
        .def_readonly("questions", &schema::survey::questions)
        .def_readonly("warnings", &schema::survey::warnings)
        .def("format", [](schema::survey const& s) { return schema::format(s); },
             "The canonical text of the survey.")
        .def("__eq__", [](schema::survey const& a, schema::survey const& b) { return a == b; })
        .def("__repr__", [](schema::survey const& s) {
            return "<Survey " + s.id + " version " + std::to_string(s.version) + ", " +
                   std::to_string(s.questions.size()) + " questions>";
        });

    m.def("parse", [](std::string const& text, std::string const& file) {
        parse_result<schema::survey> parsed = [&] {
            py::gil_scoped_release nogil;
            return schema::parse(text, file);
        }();
        return outcome(std::move(parsed), text);
    }, py::arg("text"), py::arg("file") = "<input>");
    m.def("parse_file", [](std::string const& path) {
        parse_result<schema::survey> parsed = [&] {
            py::gil_scoped_release nogil;
            return schema::parse_file(path);
        }();
        return outcome(std::move(parsed), {});
    }, py::arg("path"));
}

}  // namespace candor::python
