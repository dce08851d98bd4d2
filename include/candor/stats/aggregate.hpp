// Mergeable partial aggregates: shards computed apart (threads, machines, days) combine
// into the same figures as one pass. Boost.Serialization of each is in archive.hpp.
// Thread safety: value types; distinct objects on distinct threads, one read from many.
// histogram_of may run threads of its own, joined before it returns (see segments.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include <Eigen/Core>

#include "candor/stats/frame.hpp"

namespace candor::stats {

// Weights of the rows of a frame; empty means every row weighs 1.
using weights = Eigen::ArrayXd;

// Weighted moments of one variable, kept centred (Chan et al.) so that merging does not
// lose precision to cancellation. Unweighted data has every w = 1.
struct moments {
    std::uint64_t n = 0;
    double w = 0;     // sum of w
    double w2 = 0;    // sum of w^2
    double mean = 0;  // sum(w x) / w
    double m2 = 0;    // sum of w (x - mean)^2
    double l = 0;     // sum of w^2 (x - mean)
    double q = 0;     // sum of w^2 (x - mean)^2: the linearized variance of the mean

    void add(double x, double weight = 1) { merge(bucket(x, 1, weight, weight * weight)); }
    void merge(moments const& o);
    // `count` rows all equal to x, of total weight w and sum of squared weights w2.
    static moments bucket(double x, std::uint64_t count, double w, double w2);

    friend bool operator==(moments const&, moments const&) = default;
};

// Answers to one scale question: per value, the count, sum of weights and of squared
// weights. Every figure of a scale (NPS, CSAT, mean, distribution) derives from it.
struct histogram {
    std::int8_t lo = 0;  // value of bucket 0
    std::vector<std::uint64_t> n;
    std::vector<double> w, w2;

    histogram() = default;
    histogram(std::int8_t lo, std::int8_t hi);

    std::int8_t hi() const noexcept { return static_cast<std::int8_t>(lo + n.size() - 1); }
    std::uint64_t count() const noexcept;
    // Moments of f(value) over the answers.
    template <class F>
    moments moments_of(F f) const {
        moments m;
        for (std::size_t k = 0; k < n.size(); ++k)
            if (n[k]) m.merge(moments::bucket(f(lo + static_cast<int>(k)), n[k], w[k], w2[k]));
        return m;
    }
    // Counts and sums of weights of the answers within [a, b].
    std::uint64_t count_in(int a, int b) const noexcept;
    double weight_in(int a, int b) const noexcept;
    void merge(histogram const& o);  // widens the range when they differ

    friend bool operator==(histogram const&, histogram const&) = default;
};

// Fail with "length-mismatch" (weights of another length); a histogram also with
// "out-of-range" (a value off the column's lo..hi) or "bad-scale" (lo..hi not in -127..127).
// On up to `threads` threads, as histograms_by (segments.hpp).
result<histogram> histogram_of(scale_column const& c, weights const& wt = {},
                               unsigned threads = std::thread::hardware_concurrency());
result<moments> moments_of(number_column const& c, weights const& wt = {});

// Weighted means and centred cross-products of several variables over the rows where all
// are present (listwise): the input of regression and reliability.
struct comoments {
    std::uint64_t n = 0;
    double w = 0;
    Eigen::VectorXd mean;
    Eigen::MatrixXd c;  // sum of w (x - mean)(x - mean)'

    explicit comoments(Eigen::Index k = 0)
        : mean(Eigen::VectorXd::Zero(k)), c(Eigen::MatrixXd::Zero(k, k)) {}

    // Rows of x are observations; `wt` holds one weight per row or is empty.
    void add_block(Eigen::Ref<Eigen::MatrixXd const> x, Eigen::Ref<Eigen::VectorXd const> wt);
    void merge(comoments const& o);
    Eigen::MatrixXd covariance() const;  // c / w * n / (n - 1): c / (n - 1) when unweighted
    Eigen::MatrixXd correlation() const;
};

// Comoments of the named columns (scale or number) over complete rows.
result<comoments> comoments_of(frame const& f, std::vector<std::string> const& columns,
                               weights const& wt = {});

}  // namespace candor::stats

#ifdef CANDOR_HEADER_ONLY
#include "candor/stats/detail/aggregate-inl.hpp"
#endif
