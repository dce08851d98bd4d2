// compute_figures: the candor::stats calls behind `candor stats` and the report's figures.
#include "candor/report/figures.hpp"

#include <algorithm>
#include <variant>

#include "candor/survey/survey.hpp"

namespace candor::report {

namespace {

// The figures asked for, over the whole frame or per group of a grouping.
class calculator {
  public:
    calculator(figures_options const& o, stats::frame const& f, stats::weights const& w)
        : opts_(o), w_(w), rows_(f.rows()) {
        for (auto const* name : {&o.nps, &o.csat, &o.ces})
            scales_.push_back(name->empty() ? nullptr : *f.get<stats::scale_column>(*name));
        for (auto const& m : o.means) {
            if (std::any_of(means_.begin(), means_.end(),
                            [&](mean_source const& x) { return *x.column == m; }))
                continue;  // named twice
            if (auto s = f.get<stats::scale_column>(m)) {
                means_.push_back({&m, true, scales_.size()});
                scales_.push_back(*s);
            } else {
                means_.push_back({&m, false, numbers_.size()});
                numbers_.push_back(*f.get<stats::number_column>(m));
            }
        }
    }

    // The figures of every card: one histogram per scale column, moments per number column.
    figure_set all() const {
        std::vector<stats::histogram> h;
        for (auto const* s : scales_)
            if (s) h.push_back(stats::histogram_of(*s, w_).value());  // columns of one frame
        std::vector<stats::moments> m;
        for (auto const* c : numbers_) m.push_back(stats::moments_of(*c, w_).value());
        std::vector<stats::histogram const*> hp;
        for (auto const& x : h) hp.push_back(&x);
        std::vector<stats::moments const*> mp;
        for (auto const& x : m) mp.push_back(&x);
        return of(rows_, hp, mp);
    }

    // Per group, those of min_n cards or more; the others are counted in `suppressed`.
    breakdown by(std::string column, stats::grouping const& g) const {
        std::vector<stats::scale_column const*> cols;
        for (auto const* s : scales_)
            if (s) cols.push_back(s);
        auto h = stats::histograms_by(g, cols, w_).value();  // columns of one frame
        std::vector<std::vector<stats::moments>> m;
        for (auto const* c : numbers_) m.push_back(stats::moments_by(g, *c, w_).value());
        auto n = stats::sizes(g);
        breakdown out{std::move(column), {}, 0};
        for (std::size_t k = 0; k < g.labels.size(); ++k) {
            if (n[k] < opts_.min_n) {
                ++out.suppressed;
                continue;
            }
            std::vector<stats::histogram const*> hk;
            for (auto const& col : h) hk.push_back(&col[k]);
            std::vector<stats::moments const*> mk;
            for (auto const& col : m) mk.push_back(&col[k]);
            out.shown.push_back({g.labels[k], of(n[k], hk, mk)});
        }
        return out;
    }

  private:
    // Figures from one histogram per set scale column (in scales_ order) and moments per
    // number column; a figure under min_n answers is left out.
    figure_set of(std::uint64_t cards, std::vector<stats::histogram const*> const& h,
                  std::vector<stats::moments const*> const& m) const {
        figure_set out;
        out.n = cards;
        auto enough = [&](std::uint64_t n) { return n >= opts_.min_n; };
        std::vector<stats::histogram const*> at(scales_.size(), nullptr);
        for (std::size_t k = 0, next = 0; k < scales_.size(); ++k)
            if (scales_[k]) at[k] = h[next++];
        if (at[0] && enough(at[0]->count())) out.nps = stats::nps(*at[0], opts_.interval);
        if (at[1] && enough(at[1]->count())) out.csat = stats::csat(*at[1]);
        if (at[2] && enough(at[2]->count())) out.ces = stats::scale_mean(*at[2]);
        for (auto const& [column, scale, index] : means_) {
            auto fig = scale ? stats::scale_mean(*at[index]) : stats::mean(*m[index]);
            out.means.push_back({*column, enough(fig.n) ? std::optional(fig) : std::nullopt});
        }
        return out;
    }

    struct mean_source {
        std::string const* column;
        bool scale;  // a scale column (in scales_) or a number column (in numbers_)
        std::size_t index;
    };

    figures_options const& opts_;
    stats::weights const& w_;
    std::uint64_t rows_;
    std::vector<stats::scale_column const*> scales_;  // nps, csat, ces (null when unset), means
    std::vector<stats::number_column const*> numbers_;
    std::vector<mean_source> means_;  // per column of opts_.means
};

result<void> check_columns(figures_options const& o, stats::frame const& f) {
    for (auto const* c : {&o.nps, &o.csat, &o.ces})
        if (!c->empty())
            if (auto s = f.get<stats::scale_column>(*c); !s) return unexpected(s.error());
    for (auto const& m : o.means)
        if (!f.get<stats::scale_column>(m))
            if (auto n = f.get<stats::number_column>(m); !n) return unexpected(n.error());
    return {};
}

result<std::optional<weighting>> weigh(figures_options const& o, stats::frame const& f,
                                       std::vector<stats::margin> const& margins,
                                       stats::weights& w) {
    std::optional<weighting> out;
    if (!o.weights.empty()) {
        auto c = f.get<stats::number_column>(o.weights);
        if (!c) return unexpected(c.error());
        w = (*c)->values;
        if (!w.isFinite().all() || (w <= 0).any())
            return fail("bad-weight",
                        "weights in '" + o.weights + "' must be positive numbers on every row");
        out = weighting{};
    }
    if (!margins.empty()) {
        auto r = stats::rake(f, margins, w);
        if (!r) return unexpected(r.error());
        w = std::move(r->w);
        out = weighting{r->converged, r->rounds, 0};
    }
    if (out) out->sum = w.sum();
    return out;
}

// NPS, CSAT and CES of the cards before the cut against those from it.
void change_at(figures& out, stats::frame const& f, stats::time_column const& date,
               std::int64_t cut, stats::weights const& w) {
    auto const& o = out.asked;
    stats::grouping g;
    g.labels = {"before", "after"};
    g.owned.resize(f.rows());
    for (std::size_t i = 0; i < f.rows(); ++i) {
        auto t = date.seconds[static_cast<Eigen::Index>(i)];
        g.owned[i] = t == stats::missing_time ? stats::missing_code : t < cut ? 0 : 1;
    }
    g.codes = g.owned;
    std::vector<stats::scale_column const*> cols;
    for (auto const* c : {&o.nps, &o.csat, &o.ces})
        if (!c->empty()) cols.push_back(*f.get<stats::scale_column>(*c));
    auto h = stats::histograms_by(g, cols, w).value();  // columns of one frame
    auto a = stats::nps(h[0][0]), b = stats::nps(h[0][1]);
    out.change = stats::compare(a.score, a.se, b.score, b.se);
    std::size_t next = 1;
    if (!o.csat.empty()) {
        out.csat_change = stats::compare_shares(stats::csat(h[next][0]), stats::csat(h[next][1]));
        ++next;
    }
    if (!o.ces.empty())
        out.ces_change = stats::welch(stats::scale_mean(h[next][0]), stats::scale_mean(h[next][1]));
}

}  // namespace

breakdown const* find_breakdown(figures const& f, std::string_view column) {
    for (auto const& b : f.by)
        if (b.column == column) return &b;
    return nullptr;
}

void use_survey_questions(figures_options& o, survey::survey const& s) {
    auto first = [&](survey::question_kind k) -> std::string {
        for (auto const& q : s.questions)
            if (q.kind == k) return q.id;
        return {};
    };
    if (o.nps.empty()) o.nps = first(survey::question_kind::nps);
    if (o.csat.empty()) o.csat = first(survey::question_kind::csat);
    if (o.ces.empty()) o.ces = first(survey::question_kind::ces);
}

stats::csv_options csv_options_of(figures_options const& o, std::vector<std::string> const& raked,
                                  survey::survey const* s) {
    using stats::column_kind;
    stats::csv_options out;
    out.survey = s;
    for (auto [c, ends] :
         {std::pair(&o.nps, stats::nps_scale), std::pair(&o.csat, stats::csat_scale),
          std::pair(&o.ces, stats::ces_scale)})
        if (!c->empty()) out.scales.emplace_back(*c, ends);
    for (auto const& c : o.by) out.kinds.emplace_back(c, column_kind::category);
    if (o.period || o.compare) out.kinds.emplace_back(o.date, column_kind::time);
    if (!o.weights.empty()) out.kinds.emplace_back(o.weights, column_kind::number);
    for (auto const& c : raked) out.kinds.emplace_back(c, column_kind::category);
    return out;
}

result<figures> compute_figures(figures_options const& o, stats::frame const& f,
                                std::vector<stats::margin> const& margins) {
    if (auto ok = check_columns(o, f); !ok) return unexpected(ok.error());
    figures out;
    out.asked = o;

    stats::weights w;
    auto weights = weigh(o, f, margins, w);
    if (!weights) return unexpected(weights.error());
    out.weights = *weights;

    calculator calc(o, f, w);
    out.all = calc.all();

    for (auto const& col : o.by) {
        if (find_breakdown(out, col)) continue;  // named twice
        auto c = f.get<stats::category_column>(col);
        if (!c) return unexpected(c.error());
        auto b = calc.by(col, stats::group_by(**c));
        std::sort(b.shown.begin(), b.shown.end(),
                  [](segment const& x, segment const& y) { return x.label < y.label; });
        out.by.push_back(std::move(b));
    }
    stats::time_column const* date = nullptr;
    if (o.period || o.compare) {
        auto c = f.get<stats::time_column>(o.date);
        if (!c) return unexpected(c.error());
        date = *c;
    }
    if (o.period) out.periods = calc.by(o.date, stats::group_by(*date, *o.period));
    if (o.compare) {
        if (o.nps.empty())
            return fail("no-nps", "the change at a date compares NPS: no NPS column is named");
        change_at(out, f, *date, *o.compare, w);
    }
    if (o.drivers) {
        auto d = stats::key_drivers(f, o.drivers->outcome, o.drivers->attributes, w);
        if (!d) return unexpected(d.error());
        out.drivers = std::move(*d);
    }
    if (!o.alpha.empty()) {
        auto a = stats::cronbach_alpha(f, o.alpha, w);
        if (!a) return unexpected(a.error());
        out.alpha = *a;
    }
    return out;
}

result<figures> figures_of_csv(figures_options o, csv_input const& in) {
    if (in.survey) use_survey_questions(o, *in.survey);
    std::vector<std::string> raked;
    for (auto const& [column, file] : in.margin_files) raked.push_back(column);
    for (auto const& m : in.margins) raked.push_back(m.column);
    auto read = csv_options_of(o, raked, in.survey);
    // The figures read these columns only: the others are left untyped.
    read.columns = {o.nps, o.csat, o.ces, o.weights};
    if (o.period || o.compare) read.columns.push_back(o.date);
    for (auto const* names : {&o.means, &o.by, &o.alpha, &raked})
        read.columns.insert(read.columns.end(), names->begin(), names->end());
    if (o.drivers) {
        read.columns.push_back(o.drivers->outcome);
        read.columns.insert(read.columns.end(), o.drivers->attributes.begin(),
                            o.drivers->attributes.end());
    }
    std::erase(read.columns, std::string());
    auto frame = stats::read_csv(in.path, read);
    if (!frame) return unexpected(std::move(frame).error());
    std::vector<stats::margin> margins;
    for (auto const& [column, file] : in.margin_files) {
        auto m = stats::read_margin(file, column);
        if (!m) return unexpected(std::move(m).error());
        margins.push_back(std::move(*m));
    }
    margins.insert(margins.end(), in.margins.begin(), in.margins.end());
    return compute_figures(o, *frame, margins);
}

}  // namespace candor::report
