// Definitions of drivers.hpp: compiled once into candor::stats, or inline with
// CANDOR_HEADER_ONLY.
#pragma once

#include <cmath>

#include <Eigen/Dense>

#include "candor/stats/drivers.hpp"

// g++ 12 reports a false maybe-uninitialized inside Eigen's eigen-solver, at code generation.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace candor::stats {

CANDOR_INLINE result<drivers_result> ols(comoments const& m, std::string outcome,
                                         std::vector<std::string> attributes) {
    auto p = static_cast<Eigen::Index>(attributes.size());
    if (m.mean.size() != p + 1)
        return fail("length-mismatch", "the comoments are of " + std::to_string(m.mean.size()) +
                                           " variables, not the attributes and the outcome (" +
                                           std::to_string(p + 1) + ")");
    if (p == 0) return fail("no-attributes", "key drivers need at least one attribute");
    if (m.n <= static_cast<std::uint64_t>(p + 1))
        return fail("too-few-cases", "key drivers need more complete cases (" +
                                         std::to_string(m.n) + ") than coefficients (" +
                                         std::to_string(p + 1) + ")");
    Eigen::MatrixXd cxx = m.c.topLeftCorner(p, p);
    Eigen::VectorXd cxy = m.c.col(p).head(p);
    double cyy = m.c(p, p);
    if (!(cyy > 0)) return fail("constant-outcome", "the outcome '" + outcome + "' does not vary");

    // Rank on the correlation scale, so that the units of the attributes do not matter.
    Eigen::VectorXd sd = cxx.diagonal().cwiseSqrt();
    for (Eigen::Index j = 0; j < p; ++j)
        if (!(sd[j] > 0))
            return fail("singular", "attribute '" + attributes[static_cast<std::size_t>(j)] +
                                        "' does not vary");
    Eigen::MatrixXd rxx = sd.cwiseInverse().asDiagonal() * cxx * sd.cwiseInverse().asDiagonal();
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(rxx);
    qr.setThreshold(1e-10);
    if (qr.rank() < p)
        return fail("singular", "the attributes are collinear: the design matrix is singular");
    Eigen::VectorXd rxy = cxy.cwiseQuotient(sd) / std::sqrt(cyy);
    Eigen::VectorXd beta = qr.solve(rxy);  // standardized
    Eigen::MatrixXd rinv = qr.inverse();

    drivers_result r;
    r.outcome = std::move(outcome);
    r.n = m.n;
    r.names.push_back("(intercept)");
    for (auto& a : attributes) r.names.push_back(std::move(a));

    Eigen::VectorXd b =
        beta.cwiseProduct(Eigen::VectorXd::Constant(p, std::sqrt(cyy)).cwiseQuotient(sd));
    double rss = cyy * (1 - rxy.dot(beta));
    double df = static_cast<double>(m.n) - static_cast<double>(p) - 1;
    double sigma2 = rss / df;
    Eigen::MatrixXd cov_b =
        sigma2 * sd.cwiseInverse().asDiagonal() * rinv * sd.cwiseInverse().asDiagonal();
    Eigen::VectorXd mx = m.mean.head(p);

    r.coef.resize(p + 1);
    r.se.resize(p + 1);
    r.coef[0] = m.mean[p] - b.dot(mx);
    r.se[0] = std::sqrt(sigma2 / m.w + mx.dot(cov_b * mx));
    r.coef.tail(p) = b;
    r.se.tail(p) = cov_b.diagonal().cwiseSqrt();
    r.r2 = rxy.dot(beta);
    r.std_beta = beta;

    // Johnson's relative weights: regress on the orthogonal counterparts Z = X R^-1/2.
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(rxx);
    Eigen::MatrixXd const& v = eig.eigenvectors();
    Eigen::VectorXd root = eig.eigenvalues().cwiseSqrt();
    Eigen::MatrixXd lambda = v * root.asDiagonal() * v.transpose();
    Eigen::VectorXd beta_z = v * root.cwiseInverse().asDiagonal() * (v.transpose() * rxy);
    r.relative_weight = lambda.array().square().matrix() * beta_z.array().square().matrix();
    return r;
}

CANDOR_INLINE result<drivers_result> key_drivers(frame const& f, std::string const& outcome,
                                                 std::vector<std::string> const& attributes,
                                                 weights const& wt) {
    auto vars = attributes;
    vars.push_back(outcome);
    auto m = comoments_of(f, vars, wt);
    if (!m) return unexpected(m.error());
    return ols(*m, outcome, attributes);
}

}  // namespace candor::stats

#pragma GCC diagnostic pop
