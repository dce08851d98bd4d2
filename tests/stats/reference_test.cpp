// The change tests, Benjamini-Hochberg and the clipped t-interval against R (one Rscript run
// for them all: R's start-up is most of the cost), the adjusted-Wald NPS interval against its
// formula worked here, and the coverage of the NPS intervals on simulated cards.
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "../support/temp_dir.hpp"
#include "candor/stats/figures.hpp"
#include "helpers.hpp"

using namespace candor::stats;
using namespace candor::stats::test;

namespace {

std::string exact(double x) {
    if (std::isnan(x)) return "NA";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", x);
    return buf;
}

// An R script that defines vectors and prints named values; run() runs it once and reads them.
class r_script {
  public:
    void vec(std::string const& name, std::vector<double> const& v) {
        text_ += name + " <- c(";
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (i) text_ += ',';
            text_ += exact(v[i]);
        }
        text_ += ")\n";
    }
    void line(std::string const& code) { text_ += code + '\n'; }
    // Prints each element of the R expression as "NAME.i VALUE" (i from 1).
    void print(std::string const& name, std::string const& expr) {
        text_ += "local({v <- as.numeric(" + expr + "); for (i in seq_along(v)) cat('" + name +
                 ".', i, ' ', sprintf('%.17g', v[i]), '\\n', sep = '')})\n";
    }

    std::map<std::string, double> run() const {
        candor::test::temp_dir dir;
        auto file = dir / "reference.R";
        std::ofstream(file) << text_;
        std::string command = "Rscript --vanilla " + file.string() + " 2>&1";
        FILE* pipe = ::popen(command.c_str(), "r");
        REQUIRE(pipe != nullptr);
        std::string out;
        char buf[4096];
        for (std::size_t got; (got = std::fread(buf, 1, sizeof buf, pipe)) > 0;)
            out.append(buf, got);
        int status = ::pclose(pipe);
        INFO("Rscript (Debian's r-base-core, ./setup.sh installs it) said:\n" << out);
        REQUIRE((WIFEXITED(status) && WEXITSTATUS(status) == 0));
        std::map<std::string, double> values;
        std::istringstream lines(out);
        std::string name, value;
        while (lines >> name >> value)
            values[name] = value == "NA" ? std::nan("") : std::stod(value);
        return values;
    }

  private:
    std::string text_ = "options(warn = -1)\n";
};

double get(std::map<std::string, double> const& r, std::string const& name) {
    auto it = r.find(name);
    INFO("R value " << name);
    REQUIRE(it != r.end());
    return it->second;
}

// Answers on lo..hi; weights in [0.2, 3) or none.
struct sample {
    std::vector<int> v;
    std::vector<double> w;
};

sample generate(std::mt19937& rng, int n, int lo, int hi, double lean, bool weighted) {
    std::uniform_real_distribution<double> u(0, 1);
    sample s;
    for (int i = 0; i < n; ++i) {
        // Leaning towards the top by `lean` (0: uniform).
        double x = std::pow(u(rng), 1 - lean);
        s.v.push_back(lo + std::min(hi - lo, static_cast<int>(x * (hi - lo + 1))));
        if (weighted) s.w.push_back(0.2 + 2.8 * u(rng));
    }
    return s;
}

histogram hist(sample const& s, int lo, int hi) {
    return histogram_of(scale(s.v, lo, hi), s.w.empty() ? weights{} : array(s.w)).value();
}

std::vector<double> doubles(std::vector<int> const& v) {
    return {v.begin(), v.end()};
}

}  // namespace

TEST_CASE("CSAT and mean changes, Benjamini-Hochberg and clipped means against R") {
    std::mt19937 rng(19);
    r_script r;
    r.line(
        "wm <- function(x, w) sum(w * x) / sum(w)\n"
        "wse <- function(x, w) { n <- length(x); sqrt(n / (n - 1) * sum((w * (x - wm(x, w)))^2))"
        " / sum(w) }\n"
        "neff <- function(w) sum(w)^2 / sum(w^2)\n"
        "welch_w <- function(xa, wa, xb, wb) { va <- wse(xa, wa)^2; vb <- wse(xb, wb)^2;"
        " se <- sqrt(va + vb); d <- wm(xa, wa) - wm(xb, wb); t <- d / se;"
        " df <- (va + vb)^2 / (va^2 / (neff(wa) - 1) + vb^2 / (neff(wb) - 1));"
        " q <- qt(0.975, df); c(t, df, 2 * pt(-abs(t), df), d - q * se, d + q * se) }\n"
        "newcombe <- function(xa, na, xb, nb) { a <- prop.test(xa, na, correct = FALSE)$conf.int;"
        " b <- prop.test(xb, nb, correct = FALSE)$conf.int; pa <- xa / na; pb <- xb / nb;"
        " d <- pa - pb; c(d - sqrt((pa - a[1])^2 + (b[2] - pb)^2),"
        " d + sqrt((a[2] - pa)^2 + (pb - b[1])^2)) }");

    // CSAT: 1-5, before and after, plain and weighted.
    std::vector<share_change> shares;
    for (int k = 0; k < 6; ++k) {
        bool weighted = k >= 3;
        std::uniform_int_distribution<int> size(15, 400);
        auto b = csat(hist(generate(rng, size(rng), 1, 5, 0.1 * k, weighted), 1, 5));
        auto a = csat(hist(generate(rng, size(rng), 1, 5, 0.3, weighted), 1, 5));
        shares.push_back(compare_shares(b, a));
        auto id = std::to_string(k);
        // Weighted: the weighted share on Kish's effective n, as docs/statistics.md defines.
        r.vec("s" + id, {a.share * a.n_eff, a.n_eff, b.share * b.n_eff, b.n_eff});
        r.line("t" + id + " <- prop.test(s" + id + "[c(1, 3)], s" + id +
               "[c(2, 4)], correct = FALSE)");
        r.print("share" + id, "c(t" + id + "$estimate[1] - t" + id + "$estimate[2], t" + id +
                                  "$statistic, t" + id + "$p.value, newcombe(s" + id + "[1], s" +
                                  id + "[2], s" + id + "[3], s" + id + "[4]))");
    }

    // Means: CES on 1-7, plain (t.test) and weighted (the linearized SE, Welch's df on Kish's n).
    std::vector<mean_change> means;
    for (int k = 0; k < 5; ++k) {
        bool weighted = k >= 3;
        std::uniform_int_distribution<int> size(4, 300);
        auto sb = generate(rng, size(rng), 1, 7, 0.2, weighted);
        auto sa = generate(rng, size(rng), 1, 7, 0.15 * k, weighted);
        means.push_back(welch(scale_mean(hist(sb, 1, 7)), scale_mean(hist(sa, 1, 7))));
        auto id = std::to_string(k);
        r.vec("xa" + id, doubles(sa.v));
        r.vec("xb" + id, doubles(sb.v));
        if (weighted) {
            r.vec("wa" + id, sa.w);
            r.vec("wb" + id, sb.w);
            r.print("mean" + id, "c(wm(xa" + id + ", wa" + id + ") - wm(xb" + id + ", wb" + id +
                                     "), welch_w(xa" + id + ", wa" + id + ", xb" + id + ", wb" +
                                     id + "))");
        } else {
            r.line("m" + id + " <- t.test(xa" + id + ", xb" + id + ")");
            r.print("mean" + id, "c(m" + id + "$estimate[1] - m" + id + "$estimate[2], m" + id +
                                     "$statistic, m" + id + "$parameter, m" + id + "$p.value, m" +
                                     id + "$conf.int)");
        }
    }

    // Benjamini-Hochberg: p-values with ties, ones, tiny ones and NaNs.
    std::vector<double> p;
    std::uniform_real_distribution<double> u(0, 1);
    for (int i = 0; i < 40; ++i) p.push_back(std::pow(u(rng), 3));
    p[3] = p[7] = p[11];
    p[5] = 1;
    p[9] = 1e-12;
    p[13] = p[21] = std::nan("");
    r.vec("p", p);
    r.print("bh", "p.adjust(p, method = 'BH')");
    std::vector<double> one{0.2};
    r.vec("p1", one);
    r.print("bh1", "p.adjust(p1, method = 'BH')");

    // Means of a scale near its top: the t-interval clipped to 1..7, and one left whole.
    std::vector<std::vector<int>> near_top{{7, 7, 7, 7, 6, 7}, {3, 4, 5, 4, 6, 2, 5}, {1, 1, 2, 1}};
    std::vector<mean_figure> clipped;
    for (std::size_t k = 0; k < near_top.size(); ++k) {
        clipped.push_back(scale_mean(histogram_of(scale(near_top[k], 1, 7)).value()));
        auto id = std::to_string(k);
        r.vec("c" + id, doubles(near_top[k]));
        r.print("clip" + id, "pmin(7, pmax(1, t.test(c" + id + ")$conf.int))");
    }

    auto ref = r.run();

    for (std::size_t k = 0; k < shares.size(); ++k) {
        auto id = "share" + std::to_string(k) + '.';
        auto const& c = shares[k];
        CHECK(close(c.diff, get(ref, id + "1")));
        CHECK(close(c.z * c.z, get(ref, id + "2")));
        CHECK(close(c.p, get(ref, id + "3")));
        CHECK(close(c.ci95.lo, get(ref, id + "4")));
        CHECK(close(c.ci95.hi, get(ref, id + "5")));
    }
    for (std::size_t k = 0; k < means.size(); ++k) {
        auto id = "mean" + std::to_string(k) + '.';
        auto const& c = means[k];
        CHECK(close(c.diff, get(ref, id + "1")));
        CHECK(close(c.t, get(ref, id + "2")));
        CHECK(close(c.df, get(ref, id + "3")));
        CHECK(close(c.p, get(ref, id + "4")));
        CHECK(close(c.ci95.lo, get(ref, id + "5")));
        CHECK(close(c.ci95.hi, get(ref, id + "6")));
    }
    auto bh = adjust_bh(p);
    REQUIRE(bh.size() == p.size());
    for (std::size_t i = 0; i < p.size(); ++i) {
        auto want = get(ref, "bh." + std::to_string(i + 1));
        if (std::isnan(want))
            CHECK(std::isnan(bh[i]));
        else
            CHECK(close(bh[i], want));
    }
    CHECK(close(adjust_bh(one)[0], get(ref, "bh1.1")));
    CHECK(adjust_bh(std::vector<double>{}).empty());
    for (std::size_t k = 0; k < clipped.size(); ++k) {
        auto id = "clip" + std::to_string(k) + '.';
        CHECK(close(clipped[k].ci95.lo, get(ref, id + "1")));
        CHECK(close(clipped[k].ci95.hi, get(ref, id + "2")));
    }
    CHECK(clipped[0].clipped);
    CHECK(clipped[0].ci95.hi == 7);
    CHECK_FALSE(clipped[1].clipped);
    CHECK(clipped[2].clipped);
    CHECK(clipped[2].ci95.lo == 1);
}

TEST_CASE("the adjusted-Wald NPS interval is Rocks's formula, plain and weighted, within +-100") {
    std::mt19937 rng(2016);
    // Worked from the raw answers here, not through the histogram.
    auto formula = [](double p, double d, double n) {
        double n1 = n + 3, pp = (p + 0.75) / n1, dd = (d + 0.75) / n1;
        double half = 1.959963984540054 * std::sqrt((pp + dd - (pp - dd) * (pp - dd)) / n1);
        return interval{std::max(-100.0, 100 * (pp - dd - half)),
                        std::min(100.0, 100 * (pp - dd + half))};
    };
    for (int k = 0; k < 12; ++k) {
        bool weighted = k % 2 == 1;
        std::uniform_int_distribution<int> size(2, k < 6 ? 12 : 800);
        auto s = generate(rng, size(rng), 0, 10, 0.1 * (k % 6), weighted);
        double sw = 0, sw2 = 0, pw = 0, dw = 0;
        for (std::size_t i = 0; i < s.v.size(); ++i) {
            double w = weighted ? s.w[i] : 1;
            sw += w, sw2 += w * w;
            pw += s.v[i] >= 9 ? w : 0;
            dw += s.v[i] <= 6 ? w : 0;
        }
        double n_eff = sw * sw / sw2;
        auto want = formula(pw / sw * n_eff, dw / sw * n_eff, n_eff);
        auto f = nps(hist(s, 0, 10));
        INFO("sample " << k << ", n = " << s.v.size());
        CHECK(close(f.ci95.lo, want.lo));
        CHECK(close(f.ci95.hi, want.hi));
        CHECK(f.ci95.lo >= -100);
        CHECK(f.ci95.hi <= 100);
        // Wald's stays available, from the same SE.
        auto w = nps(hist(s, 0, 10), nps_interval::wald);
        CHECK(close(w.ci95.lo, f.score - 1.959964 * f.se));
        CHECK(close(w.ci95.hi, f.score + 1.959964 * f.se));
    }
    // Five promoters: Wald's reaches past 100 (the issue's +119.2 is of this kind), Rocks's not.
    auto all = nps(histogram_of(scale({10, 9, 10, 10, 9}, 0, 10)).value());
    CHECK(all.ci95.hi == 100);
    CHECK(close(all.ci95.lo, formula(5, 0, 5).lo));
    CHECK(std::isnan(nps(histogram_of(scale({10}, 0, 10)).value()).ci95.lo));  // no SE either
    CHECK(parse_nps_interval("wald").value() == nps_interval::wald);
    CHECK(parse_nps_interval("adjusted-wald").value() == nps_interval::adjusted_wald);
    CHECK(parse_nps_interval("Wald").error().front().code == "unknown-interval");
    CHECK(to_string(nps_interval::adjusted_wald) == "adjusted-wald");
}

TEST_CASE("coverage of the 95% NPS intervals on simulated trinomial samples") {
    // True NPS -80..+80 in steps of 20, passives (1 - |NPS|)/2; 2,000 samples per cell.
    constexpr int reps = 2000;
    std::mt19937_64 rng(1998);
    int outside = 0;  // adjusted-Wald intervals reaching past -100..100
    std::printf("coverage of the 95%% NPS interval, %d samples per true NPS -80, -60, ..., +80\n",
                reps);
    std::printf("%6s  %-28s  %-28s\n", "n", "adjusted-Wald: mean (min-max)",
                "Wald: mean (min-max)");
    for (int n : {5, 10, 30, 100, 1000}) {
        double sum[2] = {0, 0}, lo[2] = {100, 100}, hi[2] = {0, 0};
        int cells = 0;
        for (int truth = -80; truth <= 80; truth += 20, ++cells) {
            double t = truth / 100.0, q = (1 - std::abs(t)) / 2;
            double pp = (1 - q + t) / 2, pd = (1 - q - t) / 2;
            std::binomial_distribution<int> promoters(n, pp);
            int covered[2] = {0, 0};
            for (int r = 0; r < reps; ++r) {
                int p = promoters(rng);
                int d = n == p ? 0 : std::binomial_distribution<int>(n - p, pd / (1 - pp))(rng);
                histogram h(0, 10);
                for (auto [value, count] : {std::pair{10, p}, {7, n - p - d}, {0, d}}) {
                    auto c = static_cast<std::uint64_t>(count);
                    h.n[static_cast<std::size_t>(value)] = c;
                    h.w[static_cast<std::size_t>(value)] = h.w2[static_cast<std::size_t>(value)] =
                        static_cast<double>(c);
                }
                for (int m = 0; m < 2; ++m) {
                    auto f = nps(h, m == 0 ? nps_interval::adjusted_wald : nps_interval::wald);
                    if (m == 0) outside += !(f.ci95.lo >= -100 && f.ci95.hi <= 100);
                    covered[m] += f.ci95.lo <= truth && truth <= f.ci95.hi;
                }
            }
            for (int m = 0; m < 2; ++m) {
                double c = 100.0 * covered[m] / reps;
                sum[m] += c, lo[m] = std::min(lo[m], c), hi[m] = std::max(hi[m], c);
                if (m == 0 && n >= 30) {
                    INFO("n = " << n << ", true NPS " << truth);
                    CHECK(c >= 93);
                    CHECK(c <= 97.5);
                }
            }
        }
        char cell[2][40];
        for (int m = 0; m < 2; ++m)
            std::snprintf(cell[m], sizeof cell[m], "%.1f%% (%.1f-%.1f)", sum[m] / cells, lo[m],
                          hi[m]);
        std::printf("%6d  %-28s  %-28s\n", n, cell[0], cell[1]);
    }
    CHECK(outside == 0);
}
