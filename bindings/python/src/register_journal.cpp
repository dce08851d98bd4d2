// Keys, the device's journal (the path of `candor submit`) and its verification.
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "candor/response/validate.hpp"
#include "candor/response/json.hpp"
#include "candor/journal/inspect.hpp"
#include "candor/journal/journal.hpp"
#include "candor/journal/record.hpp"
#include "candor/seal/box.hpp"
#include "candor/seal/keys.hpp"
#include "module.hpp"

namespace candor::python {

namespace {

namespace fs = std::filesystem;

[[noreturn]] void io_error(std::string const& what) {
    PyErr_SetString(PyExc_OSError, what.c_str());
    throw py::error_already_set();
}

// One response checked for the journal: its card, or why it is refused.
struct checked {
    std::optional<journal::card> card;
    response::problems problems;
    diagnostics not_a_response;
};

checked check_for(journal::journal const& j, survey::survey const& s, std::string const& text) {
    checked out;
    auto parsed = response::from_json(text, {"<response>", 1, 1});
    if (!parsed) {
        out.not_a_response = std::move(parsed).error();
        return out;
    }
    auto const& r = *parsed;
    out.problems = response::validate(s, r);
    if (auto d = r.field("device"); !d.empty() && d != j.device())
        out.problems.push_back({"device", response::problem_code::device_field,
                                "the response is from device " + std::string(d) +
                                    ", the journal is " + j.device() + "'s"});
    auto content = response::to_json(r);
    if (content.size() + seal::seal_overhead > journal::max_sealed_bytes)
        out.problems.push_back({"", response::problem_code::too_long, "response too large to seal"});
    if (out.problems.empty())
        out.card = journal::card{r.survey, r.version, std::string(r.field("site")), r.submitted,
                                 std::move(content)};
    return out;
}

}  // namespace

void register_journal(py::module_& m) {
    py::class_<journal::problem>(m, "JournalProblem", "What verification found, and where.")
        .def_property_readonly("level", [](journal::problem const& p) { return std::string(to_string(p.level)); })
        .def_readonly("code", &journal::problem::code)
        .def_readonly("message", &journal::problem::message)
        .def_readonly("device", &journal::problem::device)
        .def_readonly("seq", &journal::problem::seq)
        .def_readonly("file", &journal::problem::file)
        .def_readonly("offset", &journal::problem::offset)
        .def("__str__", [](journal::problem const& p) { return journal::render(p); })
        .def("__repr__", [](journal::problem const& p) { return "<JournalProblem " + p.code + ">"; });

    m.def("make_hq_keys", [](fs::path const& dir) {
        auto written = seal::write_hq_keys(dir, seal::make_hq_keys());
        if (!written) io_error(dir.string() + ": " + written.error());
    }, py::arg("dir"));
    m.def("make_device_keys", [](std::string const& id, fs::path const& dir) {
        if (!seal::valid_device_id(id))
            throw py::value_error("invalid device id '" + id + "' (1 to 64 of A-Z a-z 0-9 . _ -)");
        auto written = seal::write_device_keys(dir, seal::make_device_keys(id));
        if (!written) io_error(dir.string() + ": " + written.error());
    }, py::arg("device_id"), py::arg("dir"));

    py::class_<journal::journal>(m, "Journal")
        .def(py::init([](fs::path const& dir, fs::path const& device_key, fs::path const& hq_public) {
            auto key = seal::read_device_secret(device_key);
            if (!key) io_error(device_key.string() + ": " + key.error());
            auto hq = seal::read_hq_public(hq_public);
            if (!hq) io_error(hq_public.string() + ": " + hq.error());
            auto opened = journal::journal::open(dir, std::move(*key), *hq);
            if (!opened) io_error(journal::render(opened.error()));
            return std::make_unique<journal::journal>(std::move(opened).value());
        }), py::arg("dir"), py::arg("device_key"), py::arg("hq_public"))
        .def_property_readonly("device", &journal::journal::device)
        .def_property_readonly("last_seq", &journal::journal::last_seq)
        .def_property_readonly("recovery", &journal::journal::recovery)
        // Checks every response; when all pass, writes them with one sync (group commit)
        // and returns [(seq, receipt)], else writes none and returns
        // [(index, problems, diagnostics)] of the refused ones.
        .def("submit", [](journal::journal& j, survey::survey const& s,
                          std::vector<std::string> const& texts) {
            py::gil_scoped_release nogil;
            std::vector<journal::card> cards;
            std::vector<std::tuple<std::size_t, response::problems, diagnostics>> refused;
            for (std::size_t i = 0; i < texts.size(); ++i) {
                auto c = check_for(j, s, texts[i]);
                if (c.card) cards.push_back(std::move(*c.card));
                else refused.emplace_back(i, std::move(c.problems), std::move(c.not_a_response));
            }
            std::vector<std::pair<std::uint64_t, std::string>> receipts;
            if (refused.empty() && !cards.empty())
                for (auto& st : j.submit(cards)) receipts.emplace_back(st.seq, std::move(st.receipt));
            return std::make_pair(std::move(receipts), std::move(refused));
        }, py::arg("survey"), py::arg("responses"));

    // Every problem of the journal in DIR (empty: intact), with head office's device list
    // (a file) when given.
    m.def("verify_journal", [](fs::path const& dir, std::optional<fs::path> const& devices) {
        std::optional<seal::device_list> list;
        if (devices) {
            auto read = seal::read_device_list(*devices);
            if (!read) {
                std::string text;
                for (auto const& e : read.error()) text += e + "\n";
                io_error(devices->string() + ": " + text);
            }
            list = std::move(read).value();
        }
        py::gil_scoped_release nogil;
        return journal::inspect_journal(dir, list ? &*list : nullptr).found;
    }, py::arg("dir"), py::arg("devices") = py::none());
}

}  // namespace candor::python
