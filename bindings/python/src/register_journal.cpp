// Keys, the device's journal (the path of `candor submit`) and its verification.
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "candor/journal/inspect.hpp"
#include "candor/journal/intake.hpp"
#include "candor/journal/journal.hpp"
#include "candor/seal/keys.hpp"
#include "module.hpp"

namespace candor::python {

namespace {

namespace fs = std::filesystem;

[[noreturn]] void io_error(std::string const& what) {
    PyErr_SetString(PyExc_OSError, what.c_str());
    throw py::error_already_set();
}

}  // namespace

void register_journal(py::module_& m) {
    m.def(
        "make_hq_keys",
        [](fs::path const& dir) {
            auto written = seal::write_hq_keys(dir, seal::make_hq_keys());
            if (!written) io_error(render(written.error()));
        },
        py::arg("dir"));
    m.def(
        "make_device_keys",
        [](std::string const& id, fs::path const& dir) {
            if (!seal::valid_device_id(id))
                throw py::value_error("invalid device id '" + id +
                                      "' (1 to 64 of A-Z a-z 0-9 . _ -)");
            auto written = seal::write_device_keys(dir, seal::make_device_keys(id));
            if (!written) io_error(render(written.error()));
        },
        py::arg("device_id"), py::arg("dir"));

    py::class_<journal::journal>(m, "Journal")
        .def(py::init(
                 [](fs::path const& dir, fs::path const& device_key, fs::path const& hq_public) {
                     auto key = seal::read_device_secret(device_key);
                     if (!key) io_error(render(key.error()));
                     auto hq = seal::read_hq_public(hq_public);
                     if (!hq) io_error(render(hq.error()));
                     auto opened = journal::journal::open(dir, std::move(*key), *hq);
                     if (!opened) io_error(render(opened.error()));
                     return std::make_unique<journal::journal>(std::move(opened).value());
                 }),
             py::arg("dir"), py::arg("device_key"), py::arg("hq_public"))
        .def_property_readonly("device", &journal::journal::device)
        .def_property_readonly("last_seq", &journal::journal::last_seq)
        .def_property_readonly("recovery", &journal::journal::recovery)
        // Checks every response; when all pass, writes them with one sync (group commit)
        // and returns [(seq, receipt)], else writes none and returns
        // [(index, problems)] of the refused ones.
        .def(
            "submit",
            [](journal::journal& j, survey::survey const& s,
               std::vector<std::string> const& texts) {
                std::vector<std::pair<std::uint64_t, std::string>> receipts;
                std::vector<std::pair<std::size_t, errors>> refused;
                errors unwritten;
                {
                    py::gil_scoped_release nogil;
                    std::vector<journal::card> cards;
                    journal::device_setting const device{j.device(), {}};
                    for (std::size_t i = 0; i < texts.size(); ++i) {
                        auto c = journal::intake(s, texts[i], device, {"<response>", 1, 1});
                        if (c)
                            cards.push_back(std::move(*c));
                        else
                            refused.emplace_back(i, std::move(c).error());
                    }
                    if (refused.empty() && !cards.empty()) {
                        auto stamped = j.submit(cards);
                        if (!stamped)
                            unwritten = std::move(stamped).error();
                        else
                            for (auto& st : *stamped)
                                receipts.emplace_back(st.seq, std::move(st.receipt));
                    }
                }
                if (!unwritten.empty()) io_error(render(unwritten));
                return std::make_pair(std::move(receipts), std::move(refused));
            },
            py::arg("survey"), py::arg("responses"));

    // Every problem of the journal in DIR (empty: intact), with head office's device list
    // (a file) when given.
    m.def(
        "verify_journal",
        [](fs::path const& dir, std::optional<fs::path> const& devices) {
            std::optional<seal::device_list> list;
            if (devices) {
                auto read = seal::read_device_list(*devices);
                if (!read) io_error(render(read.error()));
                list = std::move(read).value();
            }
            py::gil_scoped_release nogil;
            return journal::inspect_journal(dir, list ? &*list : nullptr).found;
        },
        py::arg("dir"), py::arg("devices") = py::none());
}

}  // namespace candor::python
