#include <random>

#include <doctest/doctest.h>
#include <Eigen/Dense>

#include "candor/stats/csv.hpp"
#include "candor/stats/drivers.hpp"
#include "candor/stats/figures.hpp"
#include "candor/stats/reliability.hpp"
#include "candor/stats/weighting.hpp"
#include "helpers.hpp"

using namespace candor::stats;
using namespace candor::stats::test;

namespace {

number_column numbers(std::vector<double> const& v) {
    return {array(v)};
}

}  // namespace

TEST_CASE("key drivers: simple regression worked by hand") {
    // x = 1..5, y = 1 3 2 5 4: b = 8/10, a = 0.6, RSS = 3.6, R^2 = 0.64, sigma^2 = 1.2.
    frame f;
    f.add("x", scale({1, 2, 3, 4, 5, na}, 1, 5));
    f.add("y", numbers({1, 3, 2, 5, 4, 9}));
    auto r = key_drivers(f, "y", {"x"});
    REQUIRE(r.has_value());
    CHECK(r->n == 5);
    CHECK(r->names == std::vector<std::string>{"(intercept)", "x"});
    CHECK(close(r->coef[0], 0.6));
    CHECK(close(r->coef[1], 0.8));
    CHECK(close(r->se[1], std::sqrt(1.2 / 10)));
    CHECK(close(r->se[0], std::sqrt(1.2 * (0.2 + 0.9))));
    CHECK(close(r->r2, 0.64));
    CHECK(close(r->std_beta[0], 0.8));
    CHECK(close(r->relative_weight[0], 0.64));
}

TEST_CASE("key drivers on generated data against the normal equations and an SVD") {
    std::mt19937 rng(3);
    std::normal_distribution<double> z;
    const int n = 2000, p = 4;
    Eigen::MatrixXd x(n, p);
    Eigen::VectorXd y(n);
    frame f;
    for (int i = 0; i < n; ++i) {
        double common = z(rng);
        for (int j = 0; j < p; ++j) x(i, j) = 5 + common * 0.7 + z(rng) * (j + 1) * 0.5;
        y[i] = 2 + 0.5 * x(i, 0) - 0.3 * x(i, 1) + 0.2 * x(i, 3) + z(rng);
    }
    std::vector<std::string> names;
    for (int j = 0; j < p; ++j) {
        names.push_back("a" + std::to_string(j));
        f.add(names.back(), number_column{x.col(j).array()});
    }
    f.add("overall", number_column{y.array()});
    auto r = key_drivers(f, "overall", names);
    REQUIRE(r.has_value());

    // Independent: least squares on the design with an intercept column.
    Eigen::MatrixXd design(n, p + 1);
    design << Eigen::VectorXd::Ones(n), x;
    Eigen::VectorXd coef = design.householderQr().solve(y);
    Eigen::VectorXd resid = y - design * coef;
    double sigma2 = resid.squaredNorm() / (n - p - 1);
    Eigen::MatrixXd cov = sigma2 * (design.transpose() * design).inverse();
    double r2 = 1 - resid.squaredNorm() / (y.array() - y.mean()).square().sum();
    for (int j = 0; j <= p; ++j) {
        CHECK(close(r->coef[j], coef[j]));
        CHECK(close(r->se[j], std::sqrt(cov(j, j))));
    }
    CHECK(close(r->r2, r2));

    // Johnson (2000) from the data: Z = U V' of the standardized X = U D V'.
    Eigen::MatrixXd xs = x.rowwise() - x.colwise().mean();
    Eigen::VectorXd norms = xs.colwise().norm().transpose();
    xs = xs * norms.cwiseInverse().asDiagonal();
    Eigen::VectorXd ys = (y.array() - y.mean()).matrix();
    ys /= ys.norm();
    Eigen::JacobiSVD<Eigen::MatrixXd> svd(xs, Eigen::ComputeThinU | Eigen::ComputeThinV);
    Eigen::MatrixXd zm = svd.matrixU() * svd.matrixV().transpose();
    Eigen::MatrixXd lambda = zm.transpose() * xs;
    Eigen::VectorXd beta = zm.transpose() * ys;
    double sum = 0;
    for (int j = 0; j < p; ++j) {
        double eps = 0;
        for (int k = 0; k < p; ++k) eps += lambda(k, j) * lambda(k, j) * beta[k] * beta[k];
        CHECK(close(r->relative_weight[j], eps));
        double sx = std::sqrt((x.col(j).array() - x.col(j).mean()).square().sum());
        double sy = std::sqrt((y.array() - y.mean()).square().sum());
        CHECK(close(r->std_beta[j], coef[j + 1] * sx / sy));
        sum += r->relative_weight[j];
    }
    CHECK(close(sum, r->r2));
}

TEST_CASE("key drivers refuse a singular design and an unknown column") {
    frame f;
    f.add("a", scale({1, 2, 3, 4, 5}, 1, 5));
    f.add("b", scale({2, 4, 6, 8, 10}, 0, 10));
    f.add("y", scale({1, 3, 2, 5, 4}, 1, 5));
    f.add("site", category({0, 0, 0, 0, 0}, {"x"}));
    auto r = key_drivers(f, "y", {"a", "b"});
    REQUIRE(!r.has_value());
    CHECK(r.error().front().code == "singular");
    CHECK(key_drivers(f, "y", {"nope"}).error().front().code == "unknown-column");
    CHECK(key_drivers(f, "y", {"site"}).error().front().code == "wrong-kind");
    frame few;
    few.add("a", scale({1, 2}, 1, 5));
    few.add("y", scale({1, 3}, 1, 5));
    CHECK(key_drivers(few, "y", {"a"}).error().front().code == "too-few-cases");
}

TEST_CASE("Cronbach's alpha, worked by hand and against the definition") {
    // x = 1 2 3 4, y = 2 1 4 3: var 5/3 each, cov 1, total 16/3: alpha = 2 (1 - (10/3)/(16/3)) =
    // 0.75.
    frame f;
    f.add("x", scale({1, 2, 3, 4, na}, 1, 5));
    f.add("y", scale({2, 1, 4, 3, 5}, 1, 5));
    auto a = cronbach_alpha(f, {"x", "y"});
    REQUIRE(a.has_value());
    CHECK(a->n == 4);
    CHECK(close(a->raw, 0.75));
    CHECK(close(a->standardized, 0.75));  // r = 0.6: 2 (0.6) / 1.6

    std::mt19937 rng(9);
    std::normal_distribution<double> z;
    const int n = 500, k = 3;
    Eigen::MatrixXd x(n, k);
    frame g;
    std::vector<std::string> items{"i0", "i1", "i2"};
    for (int i = 0; i < n; ++i) {
        double t = z(rng);
        for (int j = 0; j < k; ++j) x(i, j) = t + z(rng) * (j + 1);
    }
    for (int j = 0; j < k; ++j)
        g.add(items[static_cast<std::size_t>(j)], number_column{x.col(j).array()});
    Eigen::MatrixXd c = x.rowwise() - x.colwise().mean();
    Eigen::MatrixXd cov = c.transpose() * c / (n - 1);
    double total = cov.sum(), items_var = cov.trace();
    double rbar = 0;
    for (int i = 0; i < k; ++i)
        for (int j = 0; j < k; ++j)
            if (i != j) rbar += cov(i, j) / std::sqrt(cov(i, i) * cov(j, j));
    rbar /= k * (k - 1);
    auto b = cronbach_alpha(g, items);
    REQUIRE(b.has_value());
    CHECK(close(b->raw, 1.5 * (1 - items_var / total)));
    CHECK(close(b->standardized, k * rbar / (1 + (k - 1) * rbar)));
    CHECK(cronbach_alpha(g, {"i0"}).error().front().code == "too-few-items");
}

TEST_CASE("raking meets every margin and reports convergence") {
    std::mt19937 rng(1);
    std::uniform_int_distribution<int> a(0, 2), b(0, 1);
    std::vector<int> va, vb;
    for (int i = 0; i < 400; ++i)
        va.push_back(a(rng)), vb.push_back(i % 7 == 0 ? missing_code : b(rng));
    frame f;
    f.add("site", category(va, {"lyon", "nice", "paris"}));
    f.add("channel", category(vb, {"kiosk", "web"}));
    std::vector<margin> margins{{"site", {{"lyon", 500}, {"nice", 300}, {"paris", 200}}},
                                {"channel", {{"web", 30}, {"kiosk", 70}}}};  // rescaled to 1000
    auto r = rake(f, margins);
    REQUIRE(r.has_value());
    CHECK(r->converged);
    CHECK(r->rounds > 1);
    CHECK(r->rounds <= 100);
    double site[3] = {}, channel[2] = {};
    for (int i = 0; i < 400; ++i) {
        site[va[static_cast<std::size_t>(i)]] += r->w[i];
        if (vb[static_cast<std::size_t>(i)] != missing_code)
            channel[vb[static_cast<std::size_t>(i)]] += r->w[i];
    }
    CHECK(close(site[0], 500, 1e-9));
    CHECK(close(site[1], 300, 1e-9));
    CHECK(close(site[2], 200, 1e-9));
    // Rows without a channel keep their weight; the channel margin shares out the rest.
    double answered = channel[0] + channel[1];
    CHECK(answered < 1000);
    CHECK(close(channel[0], 0.7 * answered, 1e-9));
    CHECK(close(channel[1], 0.3 * answered, 1e-9));

    // One variable: one round gives target / count.
    auto one = rake(f, {margins[0]});
    REQUIRE(one.has_value());
    CHECK(one->rounds == 1);
    double lyon = static_cast<double>(std::count(va.begin(), va.end(), 0));
    for (int i = 0; i < 400; ++i)
        if (va[static_cast<std::size_t>(i)] == 0) CHECK(close(one->w[i], 500 / lyon));

    auto missing = rake(f, {{"site", {{"lyon", 1}, {"nice", 1}}}});
    REQUIRE(!missing.has_value());
    CHECK(missing.error().front().code == "margin-missing-value");
    auto few = rake(f, margins, {}, {1e-10, 1});
    REQUIRE(few.has_value());
    CHECK(!few->converged);
    CHECK(few->rounds == 1);
}

TEST_CASE("margins files: value,count rows with line-numbered errors") {
    auto m = parse_margin("value,count\nlyon,500\nnice,300.5\n", "site");
    REQUIRE(m.has_value());
    CHECK(m->targets.size() == 2);
    CHECK(m->targets[1].second == 300.5);
    auto bad = parse_margin("lyon,500\nnice,many\nparis\n", "site", "m.csv");
    REQUIRE(!bad.has_value());
    REQUIRE(bad.error().size() == 2);
    CHECK(bad.error()[0].code == "margin-count");
    CHECK(bad.error()[0].where.line == 2);
    CHECK(bad.error()[1].where.line == 3);
}
