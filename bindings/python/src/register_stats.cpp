// candor::stats from numpy arrays. The scale figures (NPS, CSAT, CES, means, shares, by
// segment), the multivariate ones (key drivers, alpha) and the periods read the caller's
// arrays in place, with the GIL released: 1-D, C-contiguous, of the dtypes listed in
// kinds_text. The rest (choice shares, raking, quality flags) build a stats column first,
// a copy, as docs/python.md says.
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cmath>
#include <cstring>

#include "candor/stats/arrays.hpp"
#include "candor/stats/drivers.hpp"
#include "candor/stats/figures.hpp"
#include "candor/stats/quality.hpp"
#include "candor/stats/reliability.hpp"
#include "candor/stats/segments.hpp"
#include "candor/stats/weighting.hpp"
#include "module.hpp"

namespace candor::python {

namespace {

using stats::numeric_view;

constexpr char const* kinds_text = "int8, int16, int32, int64, uint8, float32 or float64";

// The caller's 1-D array, checked: contiguous (a strided view is refused, not copied).
py::array one_d(py::handle h, char const* what, std::size_t rows = SIZE_MAX) {
    if (!py::isinstance<py::array>(h))
        throw py::type_error(std::string(what) + ": expected a numpy array, got " +
                             std::string(py::str(py::type::handle_of(h).attr("__name__"))));
    auto a = py::reinterpret_borrow<py::array>(h);
    if (a.ndim() != 1) throw py::type_error(std::string(what) + ": expected a 1-D array");
    if (!(a.flags() & py::array::c_style))
        throw py::type_error(std::string(what) +
                             ": the array is not contiguous (a strided view); pass "
                             "numpy.ascontiguousarray(x), which copies it");
    if (rows != SIZE_MAX && static_cast<std::size_t>(a.shape(0)) != rows)
        throw py::value_error(std::string(what) + ": " + std::to_string(a.shape(0)) +
                              " rows where " + std::to_string(rows) + " were expected");
    return a;
}

numeric_view view_of(py::array const& a, char const* what) {
    auto kind = a.dtype().kind();
    auto size = a.itemsize();
    using t = numeric_view::type;
    auto v = [&](t type) { return numeric_view{type, a.data()}; };
    if (kind == 'i' && size == 1) return v(t::i8);
    if (kind == 'i' && size == 2) return v(t::i16);
    if (kind == 'i' && size == 4) return v(t::i32);
    if (kind == 'i' && size == 8) return v(t::i64);
    if (kind == 'u' && size == 1) return v(t::u8);
    if (kind == 'f' && size == 4) return v(t::f32);
    if (kind == 'f' && size == 8) return v(t::f64);
    throw py::type_error(std::string(what) + ": dtype " + std::string(py::str(a.dtype())) +
                         " is not one of " + kinds_text);
}

// fn(pointer to the array's elements), the pointer typed by the array's dtype: numpy's
// run-time dtypes onto stats::histograms_by's compile-time ones.
template <class Fn>
auto with_values(py::array const& a, Fn fn) {
    auto view = view_of(a, "values");
    using t = numeric_view::type;
    switch (view.t) {
        case t::i8:
            return fn(static_cast<std::int8_t const*>(view.data));
        case t::i16:
            return fn(static_cast<std::int16_t const*>(view.data));
        case t::i32:
            return fn(static_cast<std::int32_t const*>(view.data));
        case t::i64:
            return fn(static_cast<std::int64_t const*>(view.data));
        case t::u8:
            return fn(static_cast<std::uint8_t const*>(view.data));
        case t::f32:
            return fn(static_cast<float const*>(view.data));
        case t::f64:
            break;
    }
    return fn(static_cast<double const*>(view.data));
}

// Group codes: signed integers; negative is no group (pandas' categorical -1).
template <class Fn>
auto with_codes(py::array const& a, Fn fn) {
    auto kind = a.dtype().kind();
    auto size = a.itemsize();
    if (kind == 'i' && size == 1) return fn(static_cast<std::int8_t const*>(a.data()));
    if (kind == 'i' && size == 2) return fn(static_cast<std::int16_t const*>(a.data()));
    if (kind == 'i' && size == 4) return fn(static_cast<std::int32_t const*>(a.data()));
    if (kind == 'i' && size == 8) return fn(static_cast<std::int64_t const*>(a.data()));
    throw py::type_error("codes: dtype " + std::string(py::str(a.dtype())) +
                         " is not a signed integer type (int8, int16, int32 or int64)");
}

double const* weights_of(py::object const& w, std::size_t rows, std::optional<py::array>& keep) {
    if (w.is_none()) return nullptr;
    keep = one_d(w, "weights", rows);
    if (keep->dtype().kind() != 'f' || keep->itemsize() != 8)
        throw py::type_error("weights: dtype must be float64");
    return static_cast<double const*>(keep->data());
}

// Library errors (unknown column, singular design, ...) as ValueError "message [code]".
template <class T>
T take(result<T> r) {
    if (!r) throw py::value_error(r.error().front().message + " [" + r.error().front().code + "]");
    return std::move(r).value();
}

// A dict of equally long numpy columns, built from one row per item.
class table {
  public:
    explicit table(std::size_t rows) : rows_(rows) {}
    template <class T>
    T* column(char const* name) {
        py::array_t<T> a(static_cast<py::ssize_t>(rows_));
        out_[name] = a;
        return a.mutable_data();
    }
    py::dict done() { return out_; }

  private:
    std::size_t rows_;
    py::dict out_;
};

struct histogram_set {
    std::vector<stats::histogram> h;
};

py::dict nps_table(std::vector<stats::histogram> const& hs, stats::nps_interval method) {
    table t(hs.size());
    auto* score = t.column<double>("nps");
    auto* se = t.column<double>("se");
    auto* lo = t.column<double>("ci_lo");
    auto* hi = t.column<double>("ci_hi");
    auto* pro = t.column<std::uint64_t>("promoters");
    auto* pas = t.column<std::uint64_t>("passives");
    auto* det = t.column<std::uint64_t>("detractors");
    auto* n = t.column<std::uint64_t>("n");
    for (std::size_t g = 0; g < hs.size(); ++g) {
        auto f = stats::nps(hs[g], method);
        score[g] = f.score, se[g] = f.se, lo[g] = f.ci95.lo, hi[g] = f.ci95.hi;
        pro[g] = f.promoters, pas[g] = f.passives, det[g] = f.detractors, n[g] = f.n;
    }
    return t.done();
}

py::dict share_table(std::vector<stats::share_figure> const& fs) {
    table t(fs.size());
    auto* share = t.column<double>("share");
    auto* hits = t.column<double>("hits");
    auto* lo = t.column<double>("ci_lo");
    auto* hi = t.column<double>("ci_hi");
    auto* n = t.column<std::uint64_t>("n");
    for (std::size_t g = 0; g < fs.size(); ++g)
        share[g] = fs[g].share, hits[g] = fs[g].hits, lo[g] = fs[g].ci95.lo, hi[g] = fs[g].ci95.hi,
        n[g] = fs[g].n;
    return t.done();
}

py::dict mean_table(std::vector<stats::histogram> const& hs) {
    table t(hs.size());
    auto* mean = t.column<double>("mean");
    auto* sd = t.column<double>("sd");
    auto* se = t.column<double>("se");
    auto* lo = t.column<double>("ci_lo");
    auto* hi = t.column<double>("ci_hi");
    auto* n = t.column<std::uint64_t>("n");
    for (std::size_t g = 0; g < hs.size(); ++g) {
        auto f = stats::mean(hs[g].moments_of([](int x) { return static_cast<double>(x); }));
        mean[g] = f.mean, sd[g] = f.sd, se[g] = f.se, lo[g] = f.ci95.lo, hi[g] = f.ci95.hi,
        n[g] = f.n;
    }
    return t.done();
}

py::dict to_dict(stats::share_figure const& f) {
    return py::dict(py::arg("share") = f.share, py::arg("hits") = f.hits,
                    py::arg("ci95") = py::make_tuple(f.ci95.lo, f.ci95.hi), py::arg("n") = f.n);
}

py::dict to_dict(stats::mean_figure const& f) {
    return py::dict(py::arg("mean") = f.mean, py::arg("sd") = f.sd, py::arg("se") = f.se,
                    py::arg("ci95") = py::make_tuple(f.ci95.lo, f.ci95.hi), py::arg("n") = f.n);
}

// Copies of the caller's arrays into the library's columns, for the figures that take a
// stats::frame or column.
stats::category_column category_of(py::handle codes, std::size_t labels, char const* what) {
    auto a = one_d(codes, what);
    stats::category_column c;
    c.codes.resize(a.shape(0));
    with_codes(a, [&](auto const* p) {
        for (Eigen::Index i = 0; i < c.codes.size(); ++i) {
            auto v = p[i];
            if (v >= 0 && static_cast<std::size_t>(v) >= labels)
                throw py::value_error(std::string(what) +
                                      ": a code is not below the number of labels");
            c.codes[i] = v < 0 ? stats::missing_code : static_cast<std::int32_t>(v);
        }
    });
    for (std::size_t k = 0; k < labels; ++k) c.labels.push_back(std::to_string(k));
    return c;
}

// Unix seconds, in place (valid while the caller's array is: for the call).
std::span<std::int64_t const> seconds_of(py::handle seconds, char const* what) {
    auto a = one_d(seconds, what);
    if (a.dtype().kind() != 'i' || a.itemsize() != 8)
        throw py::type_error(std::string(what) + ": dtype must be int64 (Unix seconds)");
    return {static_cast<std::int64_t const*>(a.data()), static_cast<std::size_t>(a.shape(0))};
}

stats::time_column time_of(py::handle seconds, char const* what) {
    auto s = seconds_of(seconds, what);
    stats::time_column t;
    t.seconds = Eigen::Map<stats::column_array<std::int64_t> const>(
        s.data(), static_cast<Eigen::Index>(s.size()));
    return t;
}

py::array_t<bool> to_numpy(stats::flags const& f) {
    py::array_t<bool> out(f.size());
    std::memcpy(out.mutable_data(), f.data(), static_cast<std::size_t>(f.size()));
    return out;
}

stats::weights base_weights(py::object const& w, std::size_t rows) {
    std::optional<py::array> keep;
    auto const* p = weights_of(w, rows, keep);
    if (!p) return {};
    return Eigen::Map<Eigen::ArrayXd const>(p, static_cast<Eigen::Index>(rows));
}

}  // namespace

void register_stats(py::module_& m) {
    py::class_<stats::histogram>(m, "Histogram",
                                 "Answers to one scale: counts and weights per value.")
        .def_readonly("lo", &stats::histogram::lo)
        .def_property_readonly("hi", &stats::histogram::hi)
        .def_readonly("n", &stats::histogram::n)
        .def_readonly("w", &stats::histogram::w)
        .def("count", &stats::histogram::count);

    py::class_<histogram_set>(m, "Histograms", "One histogram per group; the figures of each.")
        .def("__len__", [](histogram_set const& s) { return s.h.size(); })
        .def("__getitem__", [](histogram_set const& s, std::size_t i) { return s.h.at(i); })
        .def(
            "total",
            [](histogram_set const& s) {
                stats::histogram all;
                for (auto const& h : s.h) all.merge(h);
                return histogram_set{{all}};
            },
            "The groups merged into one.")
        .def(
            "nps",
            [](histogram_set const& s, std::string const& interval) {
                return nps_table(s.h, take(stats::parse_nps_interval(interval)));
            },
            py::arg("interval") = "adjusted-wald")
        .def("in_range",
             [](histogram_set const& s, int a, int b) {
                 std::vector<stats::share_figure> f;
                 for (auto const& h : s.h) f.push_back(stats::in_range(h, a, b));
                 return share_table(f);
             })
        .def("mean", [](histogram_set const& s) { return mean_table(s.h); })
        .def("describe", [](histogram_set const& s, std::size_t i) {
            auto f = stats::describe(s.h.at(i));
            return py::dict(py::arg("mean") = to_dict(f.mean),
                            py::arg("distribution") = f.distribution,
                            py::arg("top_box") = to_dict(f.top_box),
                            py::arg("bottom_box") = to_dict(f.bottom_box));
        });

    m.def(
        "histograms",
        [](py::handle values, py::handle codes, std::size_t groups, int lo, int hi,
           py::object const& weights) {
            auto v = one_d(values, "values");
            auto rows = static_cast<std::size_t>(v.shape(0));
            std::optional<py::array> c, keep;
            if (!codes.is_none()) c = one_d(codes, "codes", rows);
            auto const* w = weights_of(weights, rows, keep);
            if (groups == 0) throw py::value_error("groups must be at least 1");
            if (lo < -127 || hi > 127 || hi < lo)
                throw py::value_error("scale must lie within -127..127");
            auto ws = w ? std::span(w, rows) : std::span<double const>();
            auto h = with_values(v, [&](auto const* values) {
                stats::scale_span const column{std::span(values, rows),
                                               static_cast<std::int8_t>(lo),
                                               static_cast<std::int8_t>(hi)};
                // Without codes every row is in group 0.
                if (!c) {
                    py::gil_scoped_release nogil;
                    auto one = stats::histogram_of(column, ws);
                    if (!one) return result<std::vector<stats::histogram>>(unexpected(one.error()));
                    std::vector<stats::histogram> all(groups,
                                                      stats::histogram(column.lo, column.hi));
                    all[0] = std::move(*one);
                    return result<std::vector<stats::histogram>>(std::move(all));
                }
                return with_codes(*c, [&](auto const* codes) {
                    py::gil_scoped_release nogil;
                    auto table = stats::histograms_by(std::span(codes, rows), groups,
                                                      std::span(&column, 1), ws);
                    if (!table)
                        return result<std::vector<stats::histogram>>(unexpected(table.error()));
                    return result<std::vector<stats::histogram>>(std::move((*table)[0]));
                });
            });
            histogram_set out;
            out.h = take(std::move(h));  // off the scale, a code >= groups: ValueError
            return out;
        },
        py::arg("values"), py::arg("codes"), py::arg("groups"), py::arg("lo"), py::arg("hi"),
        py::arg("weights"));

    py::class_<stats::comoments>(m, "Comoments", "Means and cross-products over complete rows.")
        .def_readonly("n", &stats::comoments::n)
        .def_readonly("w", &stats::comoments::w)
        .def_readonly("mean", &stats::comoments::mean)
        .def("covariance", &stats::comoments::covariance)
        .def("correlation", &stats::comoments::correlation);

    m.def(
        "comoments",
        [](std::vector<py::handle> const& columns, py::object const& weights) {
            std::vector<py::array> keep_columns;
            std::vector<numeric_view> views;
            std::size_t rows = 0;
            for (std::size_t j = 0; j < columns.size(); ++j) {
                keep_columns.push_back(one_d(columns[j], "column", j == 0 ? SIZE_MAX : rows));
                rows = static_cast<std::size_t>(keep_columns.back().shape(0));
                views.push_back(view_of(keep_columns.back(), "column"));
            }
            std::optional<py::array> keep;
            auto const* w = weights_of(weights, rows, keep);
            py::gil_scoped_release nogil;
            return stats::comoments_of(views, rows, w);
        },
        py::arg("columns"), py::arg("weights"));

    m.def("ols",
          [](stats::comoments const& cm, std::string outcome, std::vector<std::string> attributes) {
              auto r = take(stats::ols(cm, std::move(outcome), std::move(attributes)));
              return py::dict(py::arg("outcome") = r.outcome, py::arg("names") = r.names,
                              py::arg("coef") = Eigen::VectorXd(r.coef),
                              py::arg("se") = Eigen::VectorXd(r.se),
                              py::arg("std_beta") = Eigen::VectorXd(r.std_beta),
                              py::arg("relative_weight") = Eigen::VectorXd(r.relative_weight),
                              py::arg("r2") = r.r2, py::arg("n") = r.n);
          });
    m.def("cronbach_alpha", [](stats::comoments const& cm) {
        auto r = take(stats::cronbach_alpha(cm));
        return py::dict(py::arg("raw") = r.raw, py::arg("standardized") = r.standardized,
                        py::arg("n") = r.n);
    });

    m.def(
        "wilson",
        [](double successes, double n) {
            auto i = stats::wilson(successes, n);
            return py::make_tuple(i.lo, i.hi);
        },
        py::arg("successes"), py::arg("n"));
    m.def("t975", &stats::t975, py::arg("df"));
    m.def(
        "t_interval",
        [](double mean, double se, double df) {
            auto i = stats::t_interval(mean, se, df);
            return py::make_tuple(i.lo, i.hi);
        },
        py::arg("mean"), py::arg("se"), py::arg("df"));
    m.def("two_sided_p", &stats::two_sided_p, py::arg("z"));
    m.def(
        "compare",
        [](double before, double se_before, double after, double se_after) {
            auto c = stats::compare(before, se_before, after, se_after);
            return py::dict(py::arg("before") = c.before, py::arg("after") = c.after,
                            py::arg("diff") = c.diff, py::arg("se") = c.se, py::arg("z") = c.z,
                            py::arg("p") = c.p);
        },
        py::arg("before"), py::arg("se_before"), py::arg("after"), py::arg("se_after"));

    // ---- Through a copy into the library's columns. ----
    m.def("choice_shares", [](py::handle codes, std::size_t labels, py::object const& weights) {
        auto c = category_of(codes, labels, "codes");
        auto w = base_weights(weights, static_cast<std::size_t>(c.codes.size()));
        return share_table(take(stats::choice_shares(c, w)));
    });
    m.def("set_shares", [](py::handle sets, std::size_t labels, py::object const& weights) {
        auto a = one_d(sets, "sets");
        if (a.dtype().kind() != 'u' || a.itemsize() != 8)
            throw py::type_error("sets: dtype must be uint64 (bit k: option k chosen)");
        if (labels > stats::max_set_options) throw py::value_error("at most 63 options");
        stats::set_column c;
        c.sets = Eigen::Map<stats::column_array<std::uint64_t> const>(
            static_cast<std::uint64_t const*>(a.data()), a.shape(0));
        for (std::size_t k = 0; k < labels; ++k) c.labels.push_back(std::to_string(k));
        auto w = base_weights(weights, static_cast<std::size_t>(c.sets.size()));
        return share_table(take(stats::choice_shares(c, w)));
    });
    m.def("period_groups", [](py::handle seconds, std::string const& period) {
        auto p = take(stats::parse_period(period));
        auto in = seconds_of(seconds, "seconds");
        stats::grouping g;
        {
            py::gil_scoped_release nogil;
            g = stats::group_by(in, p);
        }
        py::array_t<std::int32_t> codes(static_cast<py::ssize_t>(g.codes.size()));
        std::copy(g.codes.begin(), g.codes.end(), codes.mutable_data());
        return py::make_tuple(codes, g.labels);
    });
    m.def("rake", [](std::vector<std::pair<py::handle, std::vector<std::string>>> const& columns,
                     std::vector<std::vector<std::pair<std::string, double>>> const& targets,
                     py::object const& base, double tolerance, int max_rounds) {
        stats::frame f;
        std::vector<stats::margin> margins;
        for (std::size_t j = 0; j < columns.size(); ++j) {
            auto c = category_of(columns[j].first, columns[j].second.size(), "column");
            c.labels = columns[j].second;
            f.add("c" + std::to_string(j), std::move(c));
            margins.push_back({"c" + std::to_string(j), targets.at(j)});
        }
        auto w = base_weights(base, f.rows());
        auto r = take(stats::rake(f, margins, w, {tolerance, max_rounds}));
        return py::make_tuple(Eigen::ArrayXd(r.w), r.converged, r.rounds);
    });
    m.def("speeders", [](py::handle started, py::handle submitted, double min_seconds) {
        return to_numpy(take(stats::speeders(time_of(started, "started"),
                                             time_of(submitted, "submitted"), min_seconds)));
    });
    m.def("straight_liners", [](std::vector<py::handle> const& grid) {
        stats::frame f;
        std::vector<std::string> names;
        for (std::size_t j = 0; j < grid.size(); ++j) {
            auto a = one_d(grid[j], "grid column", j == 0 ? SIZE_MAX : f.rows());
            auto v = view_of(a, "grid column");
            stats::scale_column c;
            c.values.resize(a.shape(0));
            c.lo = 127, c.hi = -127;
            for (Eigen::Index i = 0; i < c.values.size(); ++i) {
                double x = v.at(static_cast<std::size_t>(i));
                if (std::isnan(x)) {
                    c.values[i] = stats::missing_scale;
                    continue;
                }
                if (x < -127 || x > 127 || x != std::floor(x))
                    throw py::value_error(
                        "grid column: not a scale answer (an integer in -127..127)");
                c.values[i] = static_cast<std::int8_t>(x);
                c.lo = std::min(c.lo, c.values[i]), c.hi = std::max(c.hi, c.values[i]);
            }
            if (c.lo > c.hi) c.lo = c.hi = 0;
            names.push_back("g" + std::to_string(j));
            f.add(names.back(), std::move(c));
        }
        return to_numpy(take(stats::straight_liners(f, names)));
    });
    m.def("duplicate_text", [](py::handle codes, std::size_t labels) {
        return to_numpy(take(stats::duplicate_text(category_of(codes, labels, "codes"))));
    });
    m.def("bursts", [](py::handle device, std::size_t labels, py::handle submitted,
                       std::uint32_t max_cards, double minutes) {
        return to_numpy(take(stats::bursts(category_of(device, labels, "device"),
                                           time_of(submitted, "submitted"), max_cards, minutes)));
    });
}

}  // namespace candor::python
