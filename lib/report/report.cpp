// build_report: the head-office report's model from a frame of the survey's cards.
#include "candor/report/report.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "candor/response/anonymize.hpp"
#include "candor/stats/quality.hpp"
#include "candor/time.hpp"

namespace candor::report {

namespace {

std::int64_t floor_day(std::int64_t s) {
    return s >= 0 ? s / 86400 : (s - 86399) / 86400;
}

// Sets p_adjusted and significant on each tested change of one figure: one family.
template <class Change>
void adjust(std::vector<Change*> const& tests) {
    std::vector<double> p;
    for (auto const* t : tests) p.push_back(t->change.p);
    auto q = stats::adjust_bh(p);
    for (std::size_t k = 0; k < tests.size(); ++k)
        tests[k]->p_adjusted = q[k], tests[k]->significant = q[k] < significant_p;
}

// The change of a figure from histogram a to b; nullopt when a side has fewer than min_n
// answers or they do not vary (no test).
template <class Row, class Figure, class Test>
std::optional<Row> tested(stats::histogram const& a, stats::histogram const& b, std::uint64_t min_n,
                          Figure figure, Test test) {
    auto x = figure(a), y = figure(b);
    if (x.n < min_n || y.n < min_n) return std::nullopt;
    auto c = test(x, y);
    if (!std::isfinite(c.p)) return std::nullopt;
    return Row{x, y, c};
}

// NPS, CSAT and CES of the last calendar period with cards against the one before, overall
// and per group of `by`.
std::optional<period_change> changes(figures_options const& fo, stats::frame const& f,
                                     stats::period p, std::string const& by, std::uint64_t min_n) {
    auto const& t = **f.get<stats::time_column>(fo.date);
    std::int64_t last = stats::missing_time;
    for (auto s : t.seconds)
        if (s != stats::missing_time) last = std::max(last, s);
    if (last == stats::missing_time) return std::nullopt;
    auto after = stats::period_start(floor_day(last), p);
    auto before = stats::period_start(after - 1, p);
    // Row i is in group 0 (before) or 1 (after); per site, 2 site + side.
    stats::grouping g;
    g.labels = {"before", "after"};
    g.owned.resize(f.rows());
    for (std::size_t i = 0; i < f.rows(); ++i) {
        auto s = t.seconds[static_cast<Eigen::Index>(i)];
        auto d = s == stats::missing_time ? 0 : floor_day(s);
        g.owned[i] = s == stats::missing_time ? stats::missing_code
                     : d >= after             ? 1
                     : d >= before            ? 0
                                              : stats::missing_code;
    }
    g.codes = g.owned;
    // NPS first, then CSAT and CES when the survey has them.
    std::vector<stats::scale_column const*> cols;
    for (auto const* c : {&fo.nps, &fo.csat, &fo.ces})
        cols.push_back(c->empty() ? nullptr : *f.get<stats::scale_column>(*c));
    std::vector<stats::scale_column const*> asked;
    for (auto const* c : cols)
        if (c) asked.push_back(c);
    auto at = [&](std::vector<std::vector<stats::histogram>> const& h, std::size_t figure) {
        std::size_t k = 0;
        for (std::size_t j = 0; j < figure; ++j) k += cols[j] != nullptr;
        return &h[k];
    };
    auto overall = stats::histograms_by(g, asked).value();  // columns of one frame
    std::vector<std::vector<stats::histogram>> per;
    auto const* groups = f.get<stats::category_column>(by).value_or(nullptr);
    if (groups) {
        stats::grouping gg;
        for (auto const& l : groups->labels)
            gg.labels.push_back(l + "/before"), gg.labels.push_back(l + "/after");
        gg.owned.resize(f.rows());
        for (std::size_t i = 0; i < f.rows(); ++i) {
            auto s = g.owned[i], c = groups->codes[static_cast<Eigen::Index>(i)];
            gg.owned[i] = s == stats::missing_code || c == stats::missing_code ? stats::missing_code
                                                                               : 2 * c + s;
        }
        gg.codes = gg.owned;
        per = stats::histograms_by(gg, asked).value();
    }
    // The change of each figure between histograms k (before) and k + 1, if tested.
    auto nps_row = [&](std::vector<stats::histogram> const& h, std::size_t k) {
        return tested<nps_change>(
            h[k], h[k + 1], min_n, [&](auto const& x) { return stats::nps(x, fo.interval); },
            [](auto const& x, auto const& y) {
                return stats::compare(x.score, x.se, y.score, y.se);
            });
    };
    auto csat_row = [&](std::vector<stats::histogram> const& h, std::size_t k) {
        return tested<csat_change>(
            h[k], h[k + 1], min_n, [](auto const& x) { return stats::csat(x); },
            [](auto const& x, auto const& y) { return stats::compare_shares(x, y); });
    };
    auto ces_row = [&](std::vector<stats::histogram> const& h, std::size_t k) {
        return tested<ces_change>(
            h[k], h[k + 1], min_n, [](auto const& x) { return stats::scale_mean(x); },
            [](auto const& x, auto const& y) { return stats::welch(x, y); });
    };
    period_change out{p, before * 86400, after * 86400, nps_row(overall[0], 0), {}, {}, {}};
    if (cols[1]) out.csat = csat_row(*at(overall, 1), 0);
    if (cols[2]) out.ces = ces_row(*at(overall, 2), 0);
    for (std::size_t k = 0; groups && k < groups->labels.size(); ++k)
        if (auto r = nps_row(per[0], 2 * k)) {
            site_change s{groups->labels[k], *r, {}, {}};
            if (cols[1]) s.csat = csat_row(*at(per, 1), 2 * k);
            if (cols[2]) s.ces = ces_row(*at(per, 2), 2 * k);
            out.by.push_back(std::move(s));
        }
    std::sort(out.by.begin(), out.by.end(),
              [](site_change const& a, site_change const& b) { return a.site < b.site; });
    std::vector<nps_change*> nps_tests;
    std::vector<csat_change*> csat_tests;
    std::vector<ces_change*> ces_tests;
    auto add = [](auto& tests, auto& x) {
        if (x) tests.push_back(&*x);
    };
    add(nps_tests, out.overall);
    add(csat_tests, out.csat);
    add(ces_tests, out.ces);
    for (auto& s : out.by) {
        nps_tests.push_back(&s.change);
        add(csat_tests, s.csat);
        add(ces_tests, s.ces);
    }
    adjust(nps_tests);
    adjust(csat_tests);
    adjust(ces_tests);
    return out;
}

quality_flags quality(survey::survey const& s, stats::frame const& f, std::string const& by) {
    auto rows = static_cast<Eigen::Index>(f.rows());
    stats::flags any = stats::flags::Constant(rows, false);
    quality_flags out;
    out.cards = f.rows();
    auto count = [&](stats::flags const& fl) {
        any = any || fl;
        return static_cast<std::uint64_t>(fl.count());
    };
    auto started = f.get<stats::time_column>("started");
    auto submitted = f.get<stats::time_column>("submitted");
    if (started && submitted)
        out.speeders = count(stats::speeders(**started, **submitted, out.speeder_seconds).value());
    std::vector<std::string> grid;
    for (auto const& q : s.questions)
        if (q.kind == survey::question_kind::rating || q.kind == survey::question_kind::likert)
            grid.push_back(q.id);
    if (grid.size() >= 2)
        if (auto fl = stats::straight_liners(f, grid)) out.straight_liners = count(*fl);
    stats::flags dup = stats::flags::Constant(rows, false);
    for (auto const& q : s.questions)
        if (q.kind == survey::question_kind::text && !q.personal)
            if (auto c = f.get<stats::category_column>(q.id))
                dup = dup || stats::duplicate_text(**c).value();
    out.duplicate_text = count(dup);
    auto device = f.get<stats::category_column>("device");
    if (device && submitted)
        out.bursts =
            count(stats::bursts(**device, **submitted, out.burst_cards, out.burst_minutes).value());
    out.any = static_cast<std::uint64_t>(any.count());
    if (auto g = f.get<stats::category_column>(by)) {
        std::vector<std::uint64_t> n((*g)->labels.size()), flagged((*g)->labels.size());
        for (Eigen::Index i = 0; i < rows; ++i)
            if (auto c = (*g)->codes[i]; c != stats::missing_code) {
                ++n[static_cast<std::size_t>(c)];
                flagged[static_cast<std::size_t>(c)] += any[i];
            }
        for (std::size_t k = 0; k < n.size(); ++k)
            if (n[k]) out.by.push_back({(*g)->labels[k], n[k], flagged[k]});
        std::sort(out.by.begin(), out.by.end(),
                  [](site_quality const& a, site_quality const& b) { return a.site < b.site; });
    }
    return out;
}

// The newest detractors' comments; contact details only for a reader who may see them.
std::vector<verbatim> verbatims(survey::survey const& s, figures_options const& fo,
                                std::string const& by, stats::frame const& f, std::size_t count,
                                bool personal) {
    auto const* nps = *f.get<stats::scale_column>(fo.nps);
    auto t = f.get<stats::time_column>(fo.date);
    std::vector<std::pair<std::string, stats::category_column const*>> texts, contacts;
    for (auto const& q : s.questions) {
        auto c = f.get<stats::category_column>(q.id);
        if (!c) continue;
        if (q.personal)
            contacts.emplace_back(q.id, *c);
        else if (q.kind == survey::question_kind::text)
            texts.emplace_back(q.id, *c);
    }
    auto by_id = [](auto const& a, auto const& b) { return a.first < b.first; };
    std::sort(texts.begin(), texts.end(), by_id);
    std::sort(contacts.begin(), contacts.end(), by_id);
    std::vector<Eigen::Index> rows;
    for (Eigen::Index i = 0; i < nps->values.size(); ++i) {
        auto v = nps->values[i];
        if (v == stats::missing_scale || v > 6) continue;
        if (std::any_of(texts.begin(), texts.end(),
                        [&](auto const& c) { return c.second->codes[i] != stats::missing_code; }))
            rows.push_back(i);
    }
    auto when = [&](Eigen::Index i) { return t ? (*t)->seconds[i] : stats::missing_time; };
    auto newest = [&](Eigen::Index a, Eigen::Index b) {
        return std::pair(when(a), a) > std::pair(when(b), b);
    };
    auto keep = std::min(count, rows.size());
    std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(keep), rows.end(),
                      newest);
    rows.resize(keep);
    auto label = [&](std::string const& name, Eigen::Index i) -> std::optional<std::string> {
        auto c = f.get<stats::category_column>(name);
        if (!c || (*c)->codes[i] == stats::missing_code) return std::nullopt;
        return (*c)->labels[static_cast<std::size_t>((*c)->codes[i])];
    };
    auto answer = [](stats::category_column const& c, Eigen::Index i) -> std::string const* {
        auto code = c.codes[i];
        return code == stats::missing_code ? nullptr : &c.labels[static_cast<std::size_t>(code)];
    };
    std::vector<verbatim> out;
    for (auto i : rows) {
        verbatim v;
        v.nps = nps->values[i];
        if (when(i) != stats::missing_time) v.submitted = when(i);
        v.site = label(by, i);
        v.language = label("language", i);
        for (auto const& [id, c] : texts)
            if (auto const* text = answer(*c, i))
                v.text.emplace_back(id, personal ? *text : response::redact_contacts(*text));
        if (personal)
            for (auto const& [id, c] : contacts)
                if (auto const* text = answer(*c, i)) v.contact.emplace_back(id, *text);
        out.push_back(std::move(v));
    }
    return out;
}

bool is_escalation(routing::case_event const& e) {
    return e.what == "escalated";
}

}  // namespace

case_summary summarize_cases(routing::case_log const& log, std::int64_t now) {
    case_summary out;
    std::vector<routing::routed_case const*> overdue;
    for (auto const& c : log.cases()) {
        switch (c.state) {
            case routing::case_state::open:
                ++out.open;
                break;
            case routing::case_state::acknowledged:
                ++out.acknowledged;
                break;
            case routing::case_state::resolved:
                ++out.resolved;
                break;
        }
        if (std::any_of(c.history.begin(), c.history.end(), is_escalation)) ++out.escalated;
        if (c.state == routing::case_state::open && c.deadline != 0 && c.deadline <= now)
            overdue.push_back(&c);
    }
    std::sort(overdue.begin(), overdue.end(), [](auto a, auto b) {
        return std::pair(a->opened, a->id) < std::pair(b->opened, b->id);
    });
    for (auto const* c : overdue)
        out.overdue.push_back({c->id, c->site, c->role, c->opened, c->deadline,
                               static_cast<std::size_t>(std::count_if(
                                   c->history.begin(), c->history.end(), is_escalation))});
    return out;
}

std::vector<segment const*> ranked_by_nps(breakdown const& b) {
    std::vector<segment const*> out;
    for (auto const& s : b.shown) out.push_back(&s);
    // A segment of cards none of which answered (possible with min_n 0) has a NaN score.
    auto score = [](segment const* s) {
        return s->figures.nps && std::isfinite(s->figures.nps->score)
                   ? std::optional(s->figures.nps->score)
                   : std::nullopt;
    };
    std::sort(out.begin(), out.end(), [&](segment const* x, segment const* y) {
        auto a = score(x), b = score(y);
        if (a.has_value() != b.has_value()) return a.has_value();
        if (a && *a != *b) return *a > *b;
        return x->label < y->label;
    });
    return out;
}

figures_options report_figures(survey::survey const& s, report_options const& o) {
    figures_options fo;
    fo.by = {o.by};
    fo.period = stats::period::week;
    fo.min_n = o.min_n;
    fo.interval = o.interval;
    use_survey_questions(fo, s);
    drivers_spec d{fo.nps, {}};
    for (auto const& q : s.questions)
        if (q.kind == survey::question_kind::rating || q.kind == survey::question_kind::likert)
            d.attributes.push_back(q.id);
    if (!d.attributes.empty() && !fo.nps.empty()) fo.drivers = std::move(d);
    return fo;
}

result<report_model> build_report(survey::survey const& s, stats::frame const& cards,
                                  report_context const& context, report_options const& o) {
    bool personal = false;
    if (!o.reader_role.empty()) {
        if (!context.org)
            return fail("no-org", "a reader role needs the organisation that defines it");
        auto const* role = context.org->find_role(o.reader_role);
        if (!role)
            return fail("unknown-role", "no role '" + o.reader_role + "' in " + context.org->file);
        personal = role->contacts_guests && !o.anonymize;
    }
    auto fo = report_figures(s, o);
    if (fo.nps.empty())
        return fail("no-nps", "survey \"" + s.id + "\" has no NPS question: the report needs one");
    if (cards.rows() == 0)
        return fail("no-responses", "no responses to \"" + s.id + "\" to report on");

    report_model r;
    auto figures = compute_figures(fo, cards);
    if (!figures && fo.drivers &&
        (figures.error().front().code == "too-few-cases" ||
         figures.error().front().code == "singular")) {
        // Too few cards, or ratings that do not vary, leave the drivers out, not the report.
        r.no_drivers = figures.error().front().message;
        fo.drivers.reset();
        figures = compute_figures(fo, cards);
    }
    if (!figures) return unexpected(figures.error());
    r.figures = std::move(*figures);
    r.survey = s.id;
    r.version = s.version;
    r.title = std::string(s.title.in(s.default_language()));
    r.generated = o.now;
    r.other_surveys = context.other_surveys;
    r.personal_data = personal;
    r.reader_role = o.reader_role;
    r.by = o.by;
    r.few_cards = o.few_cards;
    if (auto t = cards.get<stats::time_column>(fo.date)) {
        auto lo = std::numeric_limits<std::int64_t>::max(), hi = stats::missing_time;
        for (auto x : (*t)->seconds)
            if (x != stats::missing_time) lo = std::min(lo, x), hi = std::max(hi, x);
        if (hi != stats::missing_time) r.from = lo, r.to = hi;
        if (r.from && o.anonymize)
            r.from = response::day_of(*r.from), r.to = response::day_of(*r.to);
    }
    r.change = changes(fo, cards, o.compare, o.by, o.min_n);
    r.quality = quality(s, cards, o.by);
    r.verbatims = verbatims(s, fo, o.by, cards, o.verbatims, personal);
    if (o.anonymize)
        for (auto& v : r.verbatims)
            if (v.submitted) v.submitted = response::day_of(*v.submitted);
    if (context.org)
        for (auto const& site : context.org->sites) r.names.emplace_back(site.id, site.name);
    std::sort(r.names.begin(), r.names.end());
    r.cases = context.cases;
    r.invitations = context.invitations;
    return r;
}

}  // namespace candor::report
