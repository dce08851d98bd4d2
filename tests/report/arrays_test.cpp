// stats::comoments_of over arrays the caller owns (the Python binding's path) against the
// frame's: the same figures, whatever each array's type, skipped answers left out.
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <doctest/doctest.h>

#include "candor/stats/arrays.hpp"
#include "candor/stats/drivers.hpp"

using namespace candor::stats;

TEST_CASE("comoments of caller-owned arrays equal the frame's, listwise, across types") {
    double const nan = std::numeric_limits<double>::quiet_NaN();
    // 5000 rows: more than one block of 4096. Row 7 misses x (-128), row 11 misses y (NaN).
    std::size_t const rows = 5000;
    std::vector<std::int8_t> x(rows);
    std::vector<float> y(rows);
    std::vector<std::int64_t> z(rows);
    frame f;
    scale_column xs;
    xs.values.resize(rows), xs.lo = 0, xs.hi = 10;
    number_column ys, zs;
    ys.values.resize(rows), zs.values.resize(rows);
    for (std::size_t i = 0; i < rows; ++i) {
        auto k = static_cast<Eigen::Index>(i);
        x[i] = static_cast<std::int8_t>(i % 11);
        y[i] = static_cast<float>((i * 7) % 13) / 4;
        z[i] = static_cast<std::int64_t>((i * 5) % 17) - 3;
        if (i == 7) x[i] = missing_scale;
        if (i == 11) y[i] = static_cast<float>(nan);
        xs.values[k] = x[i];
        ys.values[k] = i == 11 ? nan : static_cast<double>(y[i]);
        zs.values[k] = static_cast<double>(z[i]);
    }
    f.add("x", std::move(xs));
    f.add("y", std::move(ys));
    f.add("z", std::move(zs));

    std::vector<numeric_view> views{{numeric_view::type::i8, x.data()},
                                    {numeric_view::type::f32, y.data()},
                                    {numeric_view::type::i64, z.data()}};
    auto in_place = comoments_of(views, rows);
    auto from_frame = comoments_of(f, {"x", "y", "z"});
    REQUIRE(from_frame.has_value());
    CHECK(in_place.n == rows - 2);
    CHECK(in_place.n == from_frame->n);
    CHECK(in_place.mean.isApprox(from_frame->mean, 1e-12));
    CHECK(in_place.covariance().isApprox(from_frame->covariance(), 1e-12));

    auto d = ols(in_place, "z", {"x", "y"});
    auto e = key_drivers(f, "z", {"x", "y"});
    REQUIRE(d.has_value());
    REQUIRE(e.has_value());
    CHECK(d->r2 == doctest::Approx(e->r2).epsilon(1e-12));
    CHECK(d->coef.isApprox(e->coef, 1e-10));
}
