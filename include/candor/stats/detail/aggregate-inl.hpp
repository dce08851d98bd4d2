// Definitions of aggregate.hpp: compiled once into candor::stats, or inline with
// CANDOR_HEADER_ONLY.
#pragma once

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "candor/stats/aggregate.hpp"
#include "candor/stats/detail/numeric.hpp"
#include "candor/stats/segments.hpp"

namespace candor::stats {

CANDOR_INLINE void moments::merge(moments const& o) {
    if (o.n == 0) return;
    if (n == 0) {
        *this = o;
        return;
    }
    double total = w + o.w;
    double m = total == 0 ? mean : mean + (o.mean - mean) * (o.w / total);
    double da = m - mean, db = m - o.mean;
    // Re-centre both sides on the merged mean: sum w (x - mean) is zero on each side.
    m2 += da * da * w + o.m2 + db * db * o.w;
    q += -2 * da * l + da * da * w2 + o.q - 2 * db * o.l + db * db * o.w2;
    l += -da * w2 + o.l - db * o.w2;
    n += o.n;
    w = total;
    w2 += o.w2;
    mean = m;
}

CANDOR_INLINE moments moments::bucket(double x, std::uint64_t count, double w, double w2) {
    moments m;
    m.n = count;
    m.w = w;
    m.w2 = w2;
    m.mean = x;
    return m;
}

CANDOR_INLINE histogram::histogram(std::int8_t low, std::int8_t high) : lo(low) {
    if (high < low) throw std::invalid_argument("stats::histogram: empty range");
    auto size = static_cast<std::size_t>(high - low + 1);
    n.assign(size, 0);
    w.assign(size, 0);
    w2.assign(size, 0);
}

CANDOR_INLINE std::uint64_t histogram::count() const noexcept {
    std::uint64_t total = 0;
    for (auto c : n) total += c;
    return total;
}

CANDOR_INLINE std::uint64_t histogram::count_in(int a, int b) const noexcept {
    std::uint64_t total = 0;
    for (std::size_t k = 0; k < n.size(); ++k)
        if (lo + static_cast<int>(k) >= a && lo + static_cast<int>(k) <= b) total += n[k];
    return total;
}

CANDOR_INLINE double histogram::weight_in(int a, int b) const noexcept {
    double total = 0;
    for (std::size_t k = 0; k < n.size(); ++k)
        if (lo + static_cast<int>(k) >= a && lo + static_cast<int>(k) <= b) total += w[k];
    return total;
}

CANDOR_INLINE void histogram::merge(histogram const& o) {
    if (o.n.empty()) return;
    if (n.empty()) {
        *this = o;
        return;
    }
    auto low = std::min(lo, o.lo);
    auto high = std::max(hi(), o.hi());
    if (low != lo || high != hi()) {
        histogram wide(low, high);
        for (std::size_t k = 0; k < n.size(); ++k) {
            auto j = k + static_cast<std::size_t>(lo - low);
            wide.n[j] = n[k];
            wide.w[j] = w[k];
            wide.w2[j] = w2[k];
        }
        *this = std::move(wide);
    }
    for (std::size_t k = 0; k < o.n.size(); ++k) {
        auto j = k + static_cast<std::size_t>(o.lo - lo);
        n[j] += o.n[k];
        w[j] += o.w[k];
        w2[j] += o.w2[k];
    }
}

// The counting pass of histograms_by, on one column and no groups.
CANDOR_INLINE result<histogram> histogram_of(scale_column const& c, weights const& wt,
                                             unsigned threads) {
    return histogram_of(
        scale_span<std::int8_t>{
            std::span(c.values.data(), static_cast<std::size_t>(c.values.size())), c.lo, c.hi},
        std::span<double const>(wt.data(), static_cast<std::size_t>(wt.size())), threads);
}

CANDOR_INLINE result<moments> moments_of(number_column const& c, weights const& wt) {
    bool weighted = wt.size() != 0;
    if (weighted && wt.size() != c.values.size())
        return fail("length-mismatch", "weights and column differ in length");
    moments m;
    for (Eigen::Index i = 0; i < c.values.size(); ++i)
        if (!std::isnan(c.values[i])) m.add(c.values[i], weighted ? wt[i] : 1.0);
    return m;
}

CANDOR_INLINE void comoments::add_block(Eigen::Ref<Eigen::MatrixXd const> x,
                                        Eigen::Ref<Eigen::VectorXd const> wt) {
    if (x.rows() == 0) return;
    comoments b(x.cols());
    b.n = static_cast<std::uint64_t>(x.rows());
    if (wt.size() == 0) {
        b.w = static_cast<double>(x.rows());
        b.mean = x.colwise().mean().transpose();
        Eigen::MatrixXd centred = x.rowwise() - b.mean.transpose();
        b.c.selfadjointView<Eigen::Lower>().rankUpdate(centred.transpose());
    } else {
        b.w = wt.sum();
        b.mean = x.transpose() * wt / b.w;
        Eigen::MatrixXd centred = x.rowwise() - b.mean.transpose();
        Eigen::MatrixXd scaled = centred.array().colwise() * wt.array().sqrt();
        b.c.selfadjointView<Eigen::Lower>().rankUpdate(scaled.transpose());
    }
    b.c = b.c.selfadjointView<Eigen::Lower>();
    merge(b);
}

CANDOR_INLINE void comoments::merge(comoments const& o) {
    if (o.n == 0) return;
    if (n == 0) {
        *this = o;
        return;
    }
    double total = w + o.w;
    Eigen::VectorXd d = o.mean - mean;
    c += o.c + d * d.transpose() * (w * o.w / total);
    mean += d * (o.w / total);
    n += o.n;
    w = total;
}

CANDOR_INLINE Eigen::MatrixXd comoments::covariance() const {
    double nn = static_cast<double>(n);
    return c / w * (nn / (nn - 1));
}

CANDOR_INLINE Eigen::MatrixXd comoments::correlation() const {
    Eigen::VectorXd inv = c.diagonal().cwiseSqrt().cwiseInverse();
    return inv.asDiagonal() * c * inv.asDiagonal();
}

CANDOR_INLINE result<comoments> comoments_of(frame const& f,
                                             std::vector<std::string> const& columns,
                                             weights const& wt) {
    std::vector<detail::numeric_view> views;
    for (auto const& name : columns) {
        auto v = detail::numeric(f, name);
        if (!v) return unexpected(v.error());
        views.push_back(*v);
    }
    bool weighted = wt.size() != 0;
    if (weighted && wt.size() != static_cast<Eigen::Index>(f.rows()))
        return fail("length-mismatch", "weights and frame differ in length");
    auto rows = static_cast<Eigen::Index>(f.rows());
    std::vector<Eigen::Index> complete;
    complete.reserve(f.rows());
    for (Eigen::Index i = 0; i < rows; ++i)
        if (std::all_of(views.begin(), views.end(), [i](auto const& v) { return v.present(i); }))
            complete.push_back(i);

    // Blocks small enough for the cache, large enough for Eigen's matrix products.
    constexpr Eigen::Index block = 4096;
    auto k = static_cast<Eigen::Index>(views.size());
    comoments all(k);
    Eigen::MatrixXd x(block, k);
    Eigen::VectorXd bw(weighted ? block : 0);
    auto total = static_cast<Eigen::Index>(complete.size());
    for (Eigen::Index start = 0; start < total; start += block) {
        auto len = std::min(block, total - start);
        for (Eigen::Index j = 0; j < k; ++j)
            for (Eigen::Index r = 0; r < len; ++r)
                x(r, j) = views[static_cast<std::size_t>(j)]
                               [complete[static_cast<std::size_t>(start + r)]];
        if (weighted)
            for (Eigen::Index r = 0; r < len; ++r)
                bw[r] = wt[complete[static_cast<std::size_t>(start + r)]];
        all.add_block(x.topRows(len), weighted ? Eigen::VectorXd(bw.head(len)) : Eigen::VectorXd());
    }
    return all;
}

namespace detail {

CANDOR_INLINE result<numeric_view> numeric(frame const& f, std::string_view name) {
    auto c = find_column(f, name);
    if (!c) return unexpected(c.error());
    if (auto const* s = std::get_if<scale_column>(*c)) return numeric_view{s, nullptr};
    if (auto const* d = std::get_if<number_column>(*c)) return numeric_view{nullptr, d};
    return fail("wrong-kind", "column '" + std::string(name) + "' is a " +
                                  std::string(to_string(kind_of(**c))) +
                                  " column, not a rating or number");
}

}  // namespace detail
}  // namespace candor::stats
