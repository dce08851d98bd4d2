// candor::report from Python: the figures of `candor stats` and the head-office report of
// `candor report`, each kept as the library's model and printed by the library (JSON, text,
// HTML). bindings/python/candor/report.py and stats.py turn them into dicts.
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "candor/report/figures.hpp"
#include "candor/report/render.hpp"
#include "candor/report/report.hpp"
#include "candor/stats/csv.hpp"
#include "candor/time.hpp"
#include "module.hpp"

namespace candor::python {

namespace {

// (value or None, errors): the Python layer raises ReportError with them.
template <class T>
py::tuple outcome(result<T> r) {
    if (r) return py::make_tuple(std::move(r).value(), errors{});
    return py::make_tuple(py::none(), std::move(r).error());
}

using margin_targets = std::vector<std::pair<std::string, double>>;

}  // namespace

void register_report(py::module_& m) {
    py::class_<report::figures>(m, "Figures", "The figures of `candor stats`.")
        .def("json", [](report::figures const& f) { return report::to_json(f); })
        .def("text", [](report::figures const& f) { return report::to_text(f); });

    py::class_<report::report_model>(m, "ReportModel", "The head-office report.")
        .def("json", [](report::report_model const& r) { return report::to_json(r); })
        .def("text", [](report::report_model const& r) { return report::to_text(r); })
        .def("html", [](report::report_model const& r) { return report::to_html(r); })
        .def_readonly("warnings", &report::report_model::warnings);

    m.def(
        "figures",
        [](std::string const& data, survey::survey const* survey, std::string nps, std::string csat,
           std::string ces, std::vector<std::string> means, std::vector<std::string> by,
           std::string const& period, std::string date, std::optional<std::string> const& compare,
           std::string const& drivers_outcome, std::vector<std::string> drivers,
           std::vector<std::string> alpha, std::string weights,
           std::vector<std::pair<std::string, std::string>> const& rake_files,
           std::vector<std::pair<std::string, margin_targets>> const& rake_targets,
           std::uint64_t min_n) {
            auto compute = [&]() -> result<report::figures> {
                report::figures_options o;
                o.nps = std::move(nps), o.csat = std::move(csat), o.ces = std::move(ces);
                o.means = std::move(means), o.by = std::move(by);
                if (!period.empty()) {
                    auto p = stats::parse_period(period);
                    if (!p) return unexpected(p.error());
                    o.period = *p;
                }
                o.date = std::move(date);
                if (compare) {
                    o.compare = parse_date(*compare);
                    if (!o.compare)
                        return fail("bad-date",
                                    "compare takes a date YYYY-MM-DD, not '" + *compare + "'");
                }
                if (!drivers_outcome.empty())
                    o.drivers = report::drivers_spec{drivers_outcome, std::move(drivers)};
                o.alpha = std::move(alpha);
                o.weights = std::move(weights);
                o.min_n = min_n;
                report::csv_input in{data, survey, rake_files, {}};
                for (auto const& [column, targets] : rake_targets)
                    in.margins.push_back({column, targets});
                return report::figures_of_csv(std::move(o), in);
            };
            result<report::figures> r = [&] {
                py::gil_scoped_release nogil;
                return compute();
            }();
            return outcome(std::move(r));
        },
        py::arg("data"), py::arg("survey"), py::arg("nps"), py::arg("csat"), py::arg("ces"),
        py::arg("means"), py::arg("by"), py::arg("period"), py::arg("date"), py::arg("compare"),
        py::arg("drivers_outcome"), py::arg("drivers"), py::arg("alpha"), py::arg("weights"),
        py::arg("rake_files"), py::arg("rake_targets"), py::arg("min_n"));

    m.def(
        "build_report",
        [](survey::survey const& survey, std::string const& source, std::filesystem::path from,
           std::filesystem::path hq_key, std::filesystem::path org, std::filesystem::path cases,
           std::string reader_role, std::int64_t now, std::string by, std::string const& compare,
           std::size_t verbatims, std::uint64_t min_n) -> py::tuple {
            report::report_options o;
            o.by = std::move(by);
            auto p = stats::parse_period(compare);
            if (!p) return outcome(result<report::report_model>(unexpected(p.error())));
            o.compare = *p;
            o.verbatims = verbatims;
            o.min_n = min_n;
            o.reader_role = std::move(reader_role);
            o.now = now;
            report::report_files files;
            if (source == "store")
                files.cards = report::store_source{std::move(from), std::move(hq_key)};
            else if (source == "csv")
                files.cards = report::csv_source{std::move(from)};
            else
                files.cards = report::json_lines_source{std::move(from)};
            files.org = std::move(org);
            files.cases = std::move(cases);
            result<report::report_model> r = [&] {
                py::gil_scoped_release nogil;
                return report::build_report(survey, files, o);
            }();
            return outcome(std::move(r));
        },
        py::arg("survey"), py::arg("source"), py::arg("path"), py::arg("hq_key"), py::arg("org"),
        py::arg("cases"), py::arg("reader_role"), py::arg("now"), py::arg("by"), py::arg("compare"),
        py::arg("verbatims"), py::arg("min_n"));
}

}  // namespace candor::python
