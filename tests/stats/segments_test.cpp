#include <cstdio>
#include <limits>
#include <random>
#include <sstream>

#include <doctest/doctest.h>
#include <boost/archive/text_iarchive.hpp>
#include <boost/archive/text_oarchive.hpp>

#include "candor/stats/archive.hpp"
#include "candor/stats/figures.hpp"
#include "candor/stats/segments.hpp"
#include "candor/time.hpp"
#include "helpers.hpp"

using namespace candor::stats;
using namespace candor::stats::test;

TEST_CASE("NPS and CSAT by site in one pass, worked by hand") {
    auto site = category({0, 0, 1, 1, 1, missing_code}, {"lyon", "nice"});
    auto n = scale({10, 6, 9, 9, na, 0}, 0, 10);
    auto c = scale({5, 1, 4, na, 2, 5}, 1, 5);
    auto g = group_by(site);
    std::vector<scale_column const*> cols{&n, &c};
    auto h = histograms_by(g, cols).value();
    CHECK(nps(h[0][0]).score == 0);    // one promoter, one detractor
    CHECK(nps(h[0][1]).score == 100);  // two promoters, one skipped
    CHECK(nps(h[0][1]).n == 2);
    CHECK(close(csat(h[1][1]).share, 0.5));
    CHECK(sizes(g) == std::vector<std::uint64_t>{2, 3});
}

TEST_CASE("calendar periods: day, ISO week, month, quarter") {
    auto day = candor::days_from_civil(2026, 11, 4);  // a Wednesday
    CHECK(period_start(day, period::day) == day);
    CHECK(period_start(day, period::week) == candor::days_from_civil(2026, 11, 2));
    CHECK(period_start(day, period::month) == candor::days_from_civil(2026, 11, 1));
    CHECK(period_start(day, period::quarter) == candor::days_from_civil(2026, 10, 1));
    // 1 January 2026 is a Thursday: its ISO week began on Monday 29 December 2025.
    CHECK(period_start(candor::days_from_civil(2026, 1, 1), period::week) ==
          candor::days_from_civil(2025, 12, 29));
    CHECK(period_start(-1, period::week) == -3);  // 1969-12-31, a Wednesday

    time_column t;
    t.seconds.resize(4);
    t.seconds << *candor::parse_timestamp("2026-03-31T23:00:00Z"),
        *candor::parse_timestamp("2026-01-02T08:00:00Z"), missing_time,
        *candor::parse_timestamp("2026-04-01T00:30:00+02:00");
    auto g = group_by(t, period::quarter);
    CHECK(g.labels == std::vector<std::string>{"2026-01-01"});
    CHECK(g.codes[2] == missing_code);
    auto m = group_by(t, period::month);
    CHECK(m.labels ==
          std::vector<std::string>{"2026-01-01", "2026-03-01"});  // +02:00 is still March UTC
    CHECK(!parse_period("fortnight").has_value());
    CHECK(parse_period("fortnight").error().front().code == "unknown-period");
}

namespace {

struct generated {
    category_column site;
    scale_column nps_col, csat_col;
    Eigen::ArrayXd w;
};

generated generate(std::size_t rows, int sites, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> s(-1, sites - 1), a(-1, 10), b(0, 5);
    std::uniform_real_distribution<double> wd(0.5, 2);
    std::vector<int> site, n, c;
    std::vector<double> w;
    for (std::size_t i = 0; i < rows; ++i) {
        site.push_back(s(rng));
        int x = a(rng), y = b(rng);
        n.push_back(x < 0 ? na : x);
        c.push_back(y == 0 ? na : y);
        w.push_back(wd(rng));
    }
    std::vector<std::string> labels;
    char label[16];
    for (int k = 0; k < sites; ++k)
        labels.emplace_back(label,
                            static_cast<std::size_t>(std::snprintf(label, sizeof label, "s%d", k)));
    return {category(site, labels), scale(n, 0, 10), scale(c, 1, 5), array(w)};
}

}  // namespace

TEST_CASE("by-site figures on generated data against a direct computation, threads included") {
    // 2.5M rows: large enough to be split across threads.
    auto d = generate(2'500'000, 37, 11);
    auto g = group_by(d.site);
    std::vector<scale_column const*> cols{&d.nps_col, &d.csat_col};
    auto h = histograms_by(g, cols).value();
    auto hw = histograms_by(g, cols, d.w).value();
    std::vector<double> n(37), sum(37), hits(37), base(37), sw(37), swv(37);
    for (Eigen::Index i = 0; i < d.w.size(); ++i) {
        int s = d.site.codes[i];
        if (s < 0) continue;
        auto su = static_cast<std::size_t>(s);
        if (auto x = d.nps_col.values[i]; x != na) {
            double v = x >= 9 ? 100 : x <= 6 ? -100 : 0;
            n[su] += 1, sum[su] += v, sw[su] += d.w[i], swv[su] += d.w[i] * v;
        }
        if (auto y = d.csat_col.values[i]; y != na) base[su] += 1, hits[su] += y >= 4;
    }
    for (std::size_t s = 0; s < 37; ++s) {
        CHECK(nps(h[0][s]).n == static_cast<std::uint64_t>(n[s]));
        CHECK(close(nps(h[0][s]).score, sum[s] / n[s]));
        CHECK(close(nps(hw[0][s]).score, swv[s] / sw[s]));
        CHECK(close(csat(h[1][s]).share, hits[s] / base[s]));
    }
}

namespace {

// A scale column's answers in another element type: missing as -128 or NaN.
template <class V>
std::vector<V> widened(scale_column const& c) {
    std::vector<V> out;
    for (auto x : c.values)
        out.push_back(std::is_floating_point_v<V> && x == na ? std::numeric_limits<V>::quiet_NaN()
                                                             : static_cast<V>(x));
    return out;
}

bool same(std::vector<histogram> const& a, std::vector<histogram> const& b) {
    for (std::size_t g = 0; g < a.size(); ++g)
        if (a[g].n != b[g].n || !std::equal(a[g].w.begin(), a[g].w.end(), b[g].w.begin(),
                                            [](double x, double y) { return close(x, y); }))
            return false;
    return a.size() == b.size();
}

}  // namespace

TEST_CASE("arrays of every element type are counted as their bytes are, mixed types in one call") {
    auto d = generate(2'200'000, 23, 7);  // split across threads
    auto g = group_by(d.site);
    std::vector<scale_column const*> cols{&d.nps_col, &d.csat_col};
    auto want = histograms_by(g, cols).value(), want_w = histograms_by(g, cols, d.w).value();
    auto rows = static_cast<std::size_t>(d.w.size());
    std::vector<std::int16_t> codes16(d.site.codes.begin(), d.site.codes.end());
    std::span<double const> w(d.w.data(), rows);
    auto check = [&]<class V, class W>(V, W) {
        auto n = widened<V>(d.nps_col);
        auto c = widened<W>(d.csat_col);
        std::vector<scale_span<V>> vs{{std::span<V const>(n), 0, 10}};
        std::vector<scale_span<W>> ws{{std::span<W const>(c), 1, 5}};
        std::span<scale_span<V> const> first(vs);
        std::span<scale_span<W> const> second(ws);
        std::span<std::int16_t const> by(codes16);
        auto h = histograms_by(by, 23, {}, first, second, first).value();
        auto hw = histograms_by(by, 23, w, first, second).value();
        CHECK(same(h[0], want[0]));
        CHECK(same(h[1], want[1]));
        CHECK(same(h[2], want[0]));
        CHECK(same(hw[0], want_w[0]));
        CHECK(same(hw[1], want_w[1]));
    };
    check(std::int8_t{}, std::int64_t{});
    check(std::int16_t{}, float{});
    check(std::int32_t{}, std::int32_t{});
    check(double{}, std::int8_t{});
}

TEST_CASE("1, 2 and 7 threads give the same bits, weighted sums whose order matters too") {
    // Weights over 16 orders of magnitude: their sums depend on the order they are added in.
    // 2.2M rows: three weighted blocks, and seven slices of min_rows_per_thread rows or more.
    static_assert(2'200'000 > 2 * weighted_block_rows && 2'200'000 >= 7 * min_rows_per_thread);
    auto d = generate(2'200'000, 23, 13);
    std::mt19937 rng(3);
    std::uniform_real_distribution<double> e(-8, 8);
    for (auto& x : d.w) x = std::pow(10.0, e(rng));
    auto g = group_by(d.site);
    std::vector<scale_column const*> cols{&d.nps_col, &d.csat_col};
    auto one = histograms_by(g, cols, d.w, 1).value();
    CHECK(one == histograms_by(g, cols, d.w, 2).value());
    CHECK(one == histograms_by(g, cols, d.w, 7).value());
    auto counts = histograms_by(g, cols, {}, 1).value();
    CHECK(counts == histograms_by(g, cols, {}, 2).value());
    CHECK(counts == histograms_by(g, cols, {}, 7).value());
    CHECK(histogram_of(d.nps_col, d.w, 1).value() == histogram_of(d.nps_col, d.w, 7).value());

    // The merge is the one stated: each block's running sum, folded in row order; and the
    // counts are those of one pass. A single running sum differs (the data is order-sensitive).
    auto rows = static_cast<std::size_t>(d.w.size());
    std::vector<double> folded(23 * 11, 0.0), block(23 * 11, 0.0), running(23 * 11, 0.0);
    std::vector<std::uint64_t> n(23 * 11, 0);
    for (std::size_t i = 0; i < rows; ++i) {
        auto k = static_cast<Eigen::Index>(i);
        auto s = d.site.codes[k];
        auto v = d.nps_col.values[k];
        if (s >= 0 && v != na) {
            auto at = static_cast<std::size_t>(s) * 11 + static_cast<std::size_t>(v);
            block[at] += d.w[k];
            running[at] += d.w[k];
            ++n[at];
        }
        if ((i + 1) % weighted_block_rows == 0 || i + 1 == rows)
            for (std::size_t at = 0; at < block.size(); ++at)
                folded[at] += std::exchange(block[at], 0.0);
    }
    bool order_matters = false;
    for (std::size_t s = 0; s < 23; ++s)
        for (std::size_t v = 0; v < 11; ++v) {
            CHECK(one[0][s].w[v] == folded[s * 11 + v]);
            CHECK(counts[0][s].n[v] == n[s * 11 + v]);
            order_matters |= folded[s * 11 + v] != running[s * 11 + v];
        }
    CHECK(order_matters);

    // Up to one block, the figures are those of a single running sum, on any threads.
    auto head = [&](auto const& a) {
        return a.head(static_cast<Eigen::Index>(weighted_block_rows));
    };
    scale_column first{head(d.nps_col.values), 0, 10};
    double sum = 0;
    for (Eigen::Index i = 0; i < first.values.size(); ++i)
        if (first.values[i] == 10) sum += d.w[i];
    CHECK(histogram_of(first, head(d.w), 7).value().w[10] == sum);
}

TEST_CASE("a value no byte of the scale holds is off it, in any element type") {
    auto code = []<class V>(V x) {
        std::vector<V> v{V(10), x};
        auto h = histogram_of(scale_span<V>{std::span<V const>(v), 0, 10});
        return h ? std::string() : h.error().front().code;
    };
    CHECK(code(std::int16_t{300}) == "out-of-range");
    CHECK(code(std::int64_t{1} << 40) == "out-of-range");
    CHECK(code(std::uint8_t{200}) == "out-of-range");
    CHECK(code(3.5) == "out-of-range");
    CHECK(code(-128.0f) == "out-of-range");  // missing is NaN in floats
    CHECK(code(std::numeric_limits<double>::infinity()) == "out-of-range");
    CHECK(code(std::int8_t{missing_scale}).empty());
    std::vector<float> f{10, std::numeric_limits<float>::quiet_NaN(), -0.0f};
    auto h = histogram_of(scale_span<float>{std::span<float const>(f), 0, 10}).value();
    CHECK(h.n[10] == 1);
    CHECK(h.n[0] == 1);  // -0.0 is 0
    CHECK(h.count() == 2);
}

TEST_CASE("shards serialized apart merge into the figures of one pass") {
    auto d = generate(3000, 4, 5);
    auto whole = histogram_of(d.nps_col, d.w).value();
    moments whole_m;
    for (Eigen::Index i = 0; i < d.w.size(); ++i)
        whole_m.add(d.nps_col.values[i] == na ? 0 : d.nps_col.values[i] * 1.5 + 1e6, d.w[i]);

    histogram merged;
    moments merged_m;
    for (Eigen::Index start = 0; start < 3000; start += 1000) {
        scale_column part = d.nps_col;
        part.values = d.nps_col.values.segment(start, 1000);
        histogram h = histogram_of(part, d.w.segment(start, 1000)).value();
        moments m;
        for (Eigen::Index i = start; i < start + 1000; ++i)
            m.add(d.nps_col.values[i] == na ? 0 : d.nps_col.values[i] * 1.5 + 1e6, d.w[i]);
        std::stringstream buf;
        {
            boost::archive::text_oarchive out(buf);
            out << h << m;
        }
        histogram h2;
        moments m2;
        boost::archive::text_iarchive in(buf);
        in >> h2 >> m2;
        CHECK(h2 == h);
        merged.merge(h2);
        merged_m.merge(m2);
    }
    CHECK(merged.n == whole.n);
    CHECK(close(nps(merged).score, nps(whole).score, 1e-12));
    CHECK(close(nps(merged).se, nps(whole).se, 1e-12));
    auto a = mean(merged_m), b = mean(whole_m);
    CHECK(close(a.mean, b.mean, 1e-13));
    CHECK(close(a.sd, b.sd, 1e-9));
    CHECK(close(a.se, b.se, 1e-9));
}

TEST_CASE("histograms of different ranges merge by widening") {
    auto a = histogram_of(scale({1, 2}, 1, 2)).value();
    auto b = histogram_of(scale({5}, 4, 5)).value();
    a.merge(b);
    CHECK(a.lo == 1);
    CHECK(a.hi() == 5);
    CHECK(a.n == std::vector<std::uint64_t>{1, 1, 0, 0, 1});
}

TEST_CASE("a value off its scale, arrays of different lengths, a code past the groups: errors") {
    auto site = category({0, 0}, {"a"});
    auto g = group_by(site);
    auto bad = scale({11, 3}, 0, 10), good = scale({10, 3}, 0, 10), short_col = scale({10}, 0, 10);
    auto code = [](auto const& r) { return r ? std::string() : r.error().front().code; };
    auto by = [&](scale_column const& c, Eigen::ArrayXd const& w = {}) {
        std::vector<scale_column const*> cols{&c};
        return code(histograms_by(g, cols, w));
    };
    CHECK(by(good).empty());
    CHECK(by(bad) == "out-of-range");
    CHECK(histograms_by(g, std::vector<scale_column const*>{&bad})
              .error()
              .front()
              .message.find("outside the scale 0..10") != std::string::npos);
    CHECK(by(short_col) == "length-mismatch");
    CHECK(by(good, array({1, 2, 3})) == "length-mismatch");
    CHECK(code(histogram_of(bad)) == "out-of-range");
    CHECK(code(histogram_of(good, array({1}))) == "length-mismatch");
    CHECK(code(histogram_of(scale({1}, 5, 1))) == "bad-scale");
    number_column x{array({1, 2})};
    CHECK(code(moments_of(x, array({1}))) == "length-mismatch");
    CHECK(code(moments_by(g, number_column{array({1})})) == "length-mismatch");
    CHECK(code(moments_by(g, x)).empty());

    std::vector<std::int32_t> past{0, 1};  // one group only
    std::vector<scale_span<std::int8_t>> span{{std::span(good.values.data(), 2), good.lo, good.hi}};
    std::span<scale_span<std::int8_t> const> cols(span);
    CHECK(code(histograms_by(std::span<std::int32_t const>(past), 1, cols)) == "bad-group");
    CHECK(code(histograms_by(std::span<std::int32_t const>(past), 2, cols)).empty());
    CHECK(code(histograms_by(std::span<std::int32_t const>(past).first(1), 2, cols)) ==
          "length-mismatch");
    grouping past_groups;
    past_groups.owned = past;
    past_groups.codes = past_groups.owned;
    past_groups.labels = {"a"};
    CHECK(code(moments_by(past_groups, x)) == "bad-group");
    CHECK(sizes(past_groups) == std::vector<std::uint64_t>{1});
}
