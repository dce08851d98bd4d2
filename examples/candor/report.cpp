// candor report: the head-office report from the store (or an export): NPS by site and by
// week, CSAT, CES, key drivers, what changed, open cases, quality flags, detractors' words.
#include "report.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>
#include <sstream>

#include "candor/response/json.hpp"
#include "candor/routing/cases.hpp"
#include "candor/routing/org.hpp"
#include "candor/seal/box.hpp"
#include "candor/stats/quality.hpp"
#include "candor/stats/responses.hpp"
#include "candor/time.hpp"
#include "commands.hpp"
#include "io.hpp"
#include "stats.hpp"

namespace candor::cli {

struct report_options {
    std::string survey;
    std::string store, hq_key;  // the head-office store and the key that opens its cards
    std::string csv;            // or an export
    std::string responses;      // or JSON lines
    std::string org;
    std::string reader_role;
    std::string cases;
    std::string now;
    std::string by = "site";
    std::string compare = "month";
    std::size_t verbatims = 10;
    std::uint64_t min_n = stats::default_min_n;
    std::string format = "html";
    std::string out = "-";
};

namespace {

using nlohmann::json;

// Thresholds of the quality flags (docs/user-guide.md).
constexpr double speeder_seconds = 20;
constexpr std::uint32_t burst_cards = 10;
constexpr double burst_minutes = 10;
constexpr double significant_p = 0.05;

int fail(std::string const& message) {
    std::cerr << "candor report: " << message << '\n';
    return 1;
}

// Replaces what looks like an e-mail address or a phone number (8 digits or more) in free
// text: guests write their contact details in comments too.
std::string redact(std::string text) {
    auto word_char = [](char c) {
        return !std::isspace(static_cast<unsigned char>(c)) &&
               std::string_view("<>()[],;:\"'").find(c) == std::string_view::npos;
    };
    std::string out;
    for (std::size_t at = text.find('@'); at != std::string::npos; at = text.find('@', at + 1)) {
        std::size_t a = at, b = at + 1;
        while (a > 0 && word_char(text[a - 1])) --a;
        while (b < text.size() && word_char(text[b])) ++b;
        while (b > at + 1 && text[b - 1] == '.') --b;
        if (a < at && text.find('.', at) < b) {
            text.replace(a, b - a, "[removed]");
            at = a;
        }
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c != '+' && !std::isdigit(static_cast<unsigned char>(c))) {
            out += c;
            continue;
        }
        std::size_t j = i, digits = 0, end = i;
        for (; j < text.size() &&
               std::string_view("+0123456789 .-()").find(text[j]) != std::string_view::npos;
             ++j)
            if (std::isdigit(static_cast<unsigned char>(text[j]))) ++digits, end = j + 1;
        if (digits >= 8) {
            out += "[removed]";
            i = end - 1;
        } else {
            out.append(text, i, std::max(end, i + 1) - i);
            i = std::max(end, i + 1) - 1;
        }
    }
    return out;
}

// The responses of the survey, opened from the store or read from JSON lines.
std::optional<std::vector<response::response>> read_responses(report_options const& o,
                                                             survey::survey const& s,
                                                             std::size_t& others) {
    std::vector<response::response> out;
    auto keep = [&](response::response r) {
        if (r.survey == s.id)
            out.push_back(std::move(r));
        else
            ++others;
    };
    if (!o.responses.empty()) {
        std::ifstream file;
        auto* in = open_input(o.responses, file);
        if (!in) return std::nullopt;
        bool bad = false;
        for (auto& line : response::read_json_lines(*in, o.responses)) {
            if (line.value)
                keep(std::move(*line.value));
            else
                std::cerr << render(line.value.error()), bad = true;
        }
        if (bad) return std::nullopt;
        return out;
    }
    auto store = open_store(o.store);
    if (!store) return std::nullopt;
    auto hq = seal::read_hq_secret(o.hq_key);
    if (!hq) {
        std::cerr << render(hq.error());
        return std::nullopt;
    }
    std::size_t unreadable = 0, records = 0;
    store->for_each([&](journal::record const& r) {
        ++records;
        auto content = seal::open_sealed(*hq, r.sealed);
        if (!content) return void(++unreadable);
        auto resp = response::from_json(seal::as_chars(*content));
        if (resp)
            keep(std::move(*resp));
        else
            ++unreadable;
    });
    if (unreadable) {
        std::cerr << "candor report: " << unreadable << " of " << records
                  << " records do not open with this key (is --hq-key head office's?)\n";
        return std::nullopt;
    }
    return out;
}

std::string day_label(std::int64_t day) {
    return format_timestamp(day * 86400).substr(0, 10);
}

// NPS of the last calendar period with cards against the one before, overall and per
// group of `by`.
json changes(stats_options const& so, stats::frame const& f, stats::period p, std::string const& by,
             std::uint64_t min_n) {
    auto const& t = **f.get<stats::time_column>(so.date);
    auto const* nps = *f.get<stats::scale_column>(so.nps);
    std::int64_t last = stats::missing_time;
    for (auto s : t.seconds)
        if (s != stats::missing_time) last = std::max(last, s);
    if (last == stats::missing_time) return nullptr;
    auto floor_day = [](std::int64_t s) { return s >= 0 ? s / 86400 : (s - 86399) / 86400; };
    auto after = stats::period_start(floor_day(last), p);
    auto before = stats::period_start(after - 1, p);
    auto side = [&](Eigen::Index i) -> std::int32_t {
        auto s = t.seconds[i];
        if (s == stats::missing_time) return stats::missing_code;
        auto d = floor_day(s);
        return d >= after ? 1 : d >= before ? 0 : stats::missing_code;
    };
    std::vector<stats::scale_column const*> cols{nps};
    // Row i is in group 0 (before) or 1 (after); per site, 2 site + side.
    stats::grouping g;
    g.labels = {"before", "after"};
    g.owned.resize(f.rows());
    for (std::size_t i = 0; i < f.rows(); ++i) g.owned[i] = side(static_cast<Eigen::Index>(i));
    g.codes = g.owned;
    auto overall = stats::histograms_by(g, cols).value()[0];
    std::vector<stats::histogram> per;
    auto const* groups = f.get<stats::category_column>(by).value_or(nullptr);
    if (groups) {
        stats::grouping gg;
        for (auto const& l : groups->labels)
            gg.labels.push_back(l + "/before"), gg.labels.push_back(l + "/after");
        gg.owned.resize(f.rows());
        for (std::size_t i = 0; i < f.rows(); ++i) {
            auto k = static_cast<Eigen::Index>(i);
            auto s = g.owned[i], c = groups->codes[k];
            gg.owned[i] = s == stats::missing_code || c == stats::missing_code ? stats::missing_code
                                                                               : 2 * c + s;
        }
        gg.codes = gg.owned;
        per = stats::histograms_by(gg, cols).value()[0];
    }
    auto row = [&](stats::histogram const& a, stats::histogram const& b) -> json {
        auto x = stats::nps(a), y = stats::nps(b);
        if (x.n < min_n || y.n < min_n) return nullptr;
        auto c = stats::compare(x.score, x.se, y.score, y.se);
        if (!std::isfinite(c.p)) return nullptr;  // no spread on either side: nothing to test
        return {{"before", to_json(x)},
                {"after", to_json(y)},
                {"diff", num(c.diff)},
                {"se", num(c.se)},
                {"z", num(c.z)},
                {"p", num(c.p)},
                {"significant", c.p < significant_p}};
    };
    json out = {{"period", so.period.empty() ? "" : so.period},
                {"before", day_label(before)},
                {"after", day_label(after)},
                {"overall", row(overall[0], overall[1])},
                {"by", json::object()}};
    for (std::size_t k = 0; groups && k < groups->labels.size(); ++k)
        if (auto r = row(per[2 * k], per[2 * k + 1]); !r.is_null())
            out["by"][groups->labels[k]] = r;
    return out;
}

json quality(survey::survey const& s, stats::frame const& f, std::string const& by) {
    auto rows = static_cast<Eigen::Index>(f.rows());
    stats::flags none = stats::flags::Constant(rows, false);
    json out = {{"cards", f.rows()},
                {"speeder_seconds", speeder_seconds},
                {"burst", {{"cards", burst_cards}, {"minutes", burst_minutes}}}};
    stats::flags any = none;
    auto count = [&](char const* name, stats::flags const& fl) {
        out[name] = fl.count();
        any = any || fl;
    };
    auto started = f.get<stats::time_column>("started");
    auto submitted = f.get<stats::time_column>("submitted");
    if (started && submitted)
        count("speeders", stats::speeders(**started, **submitted, speeder_seconds).value());
    std::vector<std::string> grid;
    for (auto const& q : s.questions)
        if (q.kind == survey::question_kind::rating || q.kind == survey::question_kind::likert)
            grid.push_back(q.id);
    if (grid.size() >= 2)
        if (auto fl = stats::straight_liners(f, grid)) count("straight_liners", *fl);
    stats::flags dup = none;
    for (auto const& q : s.questions)
        if (q.kind == survey::question_kind::text && !q.personal)
            if (auto c = f.get<stats::category_column>(q.id))
                dup = dup || stats::duplicate_text(**c).value();
    count("duplicate_text", dup);
    auto device = f.get<stats::category_column>("device");
    if (device && submitted)
        count("bursts", stats::bursts(**device, **submitted, burst_cards, burst_minutes).value());
    out["any"] = any.count();
    if (auto g = f.get<stats::category_column>(by)) {
        std::vector<std::uint64_t> n((*g)->labels.size()), flagged((*g)->labels.size());
        for (Eigen::Index i = 0; i < rows; ++i)
            if (auto c = (*g)->codes[i]; c != stats::missing_code) {
                ++n[static_cast<std::size_t>(c)];
                flagged[static_cast<std::size_t>(c)] += any[i];
            }
        for (std::size_t k = 0; k < n.size(); ++k)
            if (n[k]) out["by"][(*g)->labels[k]] = {{"cards", n[k]}, {"flagged", flagged[k]}};
    }
    return out;
}

// The newest detractors' comments; contact details only for a reader who may see them.
json verbatims(survey::survey const& s, stats_options const& so, stats::frame const& f,
               std::size_t count, bool personal) {
    auto const* nps = *f.get<stats::scale_column>(so.nps);
    auto t = f.get<stats::time_column>(so.date);
    std::vector<std::pair<std::string, stats::category_column const*>> texts, contacts;
    for (auto const& q : s.questions) {
        auto c = f.get<stats::category_column>(q.id);
        if (!c) continue;
        if (q.personal)
            contacts.emplace_back(q.id, *c);
        else if (q.kind == survey::question_kind::text)
            texts.emplace_back(q.id, *c);
    }
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
    auto label = [&](char const* name, Eigen::Index i) -> json {
        auto c = f.get<stats::category_column>(name);
        if (!c || (*c)->codes[i] == stats::missing_code) return nullptr;
        return (*c)->labels[static_cast<std::size_t>((*c)->codes[i])];
    };
    json out = json::array();
    for (auto i : rows) {
        json v = {{"nps", nps->values[i]},
                  {"submitted", when(i) == stats::missing_time ? json(nullptr)
                                                               : json(format_timestamp(when(i)))},
                  {"site", label(so.by.empty() ? "site" : so.by.front().c_str(), i)},
                  {"language", label("language", i)}};
        for (auto const& [id, c] : texts)
            if (auto code = c->codes[i]; code != stats::missing_code) {
                auto const& text = c->labels[static_cast<std::size_t>(code)];
                v["text"][id] = personal ? text : redact(text);
            }
        if (personal)
            for (auto const& [id, c] : contacts)
                if (auto code = c->codes[i]; code != stats::missing_code)
                    v["contact"][id] = c->labels[static_cast<std::size_t>(code)];
        out.push_back(v);
    }
    return out;
}

expected<json, std::string> cases(std::string const& dir, routing::timestamp now) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        return unexpected(dir + ": no case log there (--cases takes its directory)");
    auto log = routing::case_log::open(dir);
    if (!log) return unexpected(render(log.error()));
    json out = {{"open", 0},
                {"acknowledged", 0},
                {"resolved", 0},
                {"escalated", 0},
                {"overdue", json::array()}};
    std::vector<routing::routed_case const*> overdue;
    for (auto const& c : log->cases()) {
        out[std::string(routing::to_string(c.state))] =
            out[std::string(routing::to_string(c.state))].get<int>() + 1;
        bool escalated = std::any_of(c.history.begin(), c.history.end(),
                                     [](auto const& e) { return e.what == "escalated"; });
        if (escalated) out["escalated"] = out["escalated"].get<int>() + 1;
        // As `candor cases list --overdue`: still open past the deadline to acknowledge.
        if (c.state == routing::case_state::open && c.deadline != 0 && c.deadline <= now)
            overdue.push_back(&c);
    }
    std::sort(overdue.begin(), overdue.end(), [](auto a, auto b) {
        return std::pair(a->opened, a->id) < std::pair(b->opened, b->id);
    });
    for (auto const* c : overdue) {
        auto escalations = std::count_if(c->history.begin(), c->history.end(),
                                         [](auto const& e) { return e.what == "escalated"; });
        out["overdue"].push_back(
            {{"id", c->id},
             {"site", c->site},
             {"role", c->role},
             {"opened", format_timestamp(c->opened)},
             {"deadline", c->deadline ? json(format_timestamp(c->deadline)) : json(nullptr)},
             {"escalations", escalations}});
    }
    return out;
}

int run_report(report_options const& o) {
    int sources = !o.store.empty() + !o.csv.empty() + !o.responses.empty();
    if (sources != 1)
        return fail("give one source: --store DIR (with --hq-key), --csv FILE or --responses FILE");
    if (!o.store.empty() && o.hq_key.empty())
        return fail("--store needs --hq-key, head office's secret key");
    if (!o.reader_role.empty() && o.org.empty())
        return fail("--reader-role needs --org, the file that defines the role");
    routing::timestamp now = routing::system_now();
    if (!o.now.empty()) {
        auto t = parse_timestamp(o.now);
        if (!t) return fail("--now takes a time like 2026-11-16T09:00:00Z, not '" + o.now + "'");
        now = *t;
    }
    auto survey = load_survey(o.survey);
    if (!survey) return 1;
    std::optional<routing::organisation> org;
    bool personal = false;
    if (!o.org.empty()) {
        auto parsed = routing::parse_org_file(o.org);
        if (!parsed) {
            std::cerr << render(parsed.error());
            return 1;
        }
        org = std::move(*parsed);
        if (!o.reader_role.empty()) {
            auto const* role = org->find_role(o.reader_role);
            if (!role) return fail("no role '" + o.reader_role + "' in " + o.org);
            personal = role->contacts_guests;
        }
    }

    stats_options so;
    so.by = {o.by};
    so.period = "week";
    so.min_n = o.min_n;
    stats::csv_options csv;
    csv.survey = &*survey;
    complete(so, csv, &*survey);
    if (so.nps.empty()) return fail(o.survey + ": the report needs an NPS question");
    std::vector<std::string> drivers;
    for (auto const& q : survey->questions)
        if (q.kind == survey::question_kind::rating || q.kind == survey::question_kind::likert)
            drivers.push_back(q.id);
    if (!drivers.empty()) {
        so.drivers = so.nps + "=";
        for (auto const& d : drivers) so.drivers += (d == drivers.front() ? "" : ",") + d;
    }

    std::size_t others = 0;
    auto f = [&]() -> std::optional<stats::frame> {
        auto frame = [&]() -> result<stats::frame> {
            if (!o.csv.empty()) return stats::read_csv(o.csv, csv);
            auto r = read_responses(o, *survey, others);
            if (!r) return unexpected(errors{});
            return stats::frame_of(*r, *survey);
        }();
        if (!frame) {
            std::cerr << render(frame.error());
            return std::nullopt;
        }
        return std::move(*frame);
    }();
    if (!f) return 1;
    if (f->rows() == 0) return fail("no responses to \"" + survey->id + "\" to report on");
    auto period = stats::parse_period(o.compare);
    if (!period) return fail(period.error().front().message);

    auto figures = compute_stats(so, *f);
    std::string no_drivers;
    if (!figures &&
        (figures.error().front().code == "too-few-cases" || figures.error().front().code == "singular")) {
        // Too few cards, or ratings that do not vary, leave the drivers out, not the report.
        no_drivers = figures.error().front().message;
        so.drivers.clear();
        figures = compute_stats(so, *f);
    }
    if (!figures) return fail(figures.error().front().message + " [" + figures.error().front().code + "]");
    json report = {{"survey", survey->id},
                   {"version", survey->version},
                   {"title", std::string(survey->title.in(survey->default_language()))},
                   {"generated", format_timestamp(now)},
                   {"other_surveys", others},
                   {"personal_data", personal},
                   {"reader_role", o.reader_role.empty() ? json(nullptr) : json(o.reader_role)},
                   {"by", o.by}};
    report["suppressed"] = (*figures)["suppressed"];
    figures->erase("suppressed");
    report["stats_args"] = {"--by",    o.by,      "--period",
                            so.period, "--min-n", std::to_string(o.min_n)};
    if (!so.drivers.empty())
        report["stats_args"].insert(report["stats_args"].end(), {"--drivers", so.drivers});
    report["figures"] = std::move(*figures);
    if (!no_drivers.empty()) report["no_drivers"] = no_drivers;
    if (auto t = f->get<stats::time_column>(so.date)) {
        auto const& s = (*t)->seconds;
        auto lo = std::numeric_limits<std::int64_t>::max(), hi = stats::missing_time;
        for (auto x : s)
            if (x != stats::missing_time) lo = std::min(lo, x), hi = std::max(hi, x);
        if (hi != stats::missing_time)
            report["from"] = format_timestamp(lo), report["to"] = format_timestamp(hi);
    }
    so.period = o.compare;
    report["change"] = changes(so, *f, *period, o.by, o.min_n);
    report["quality"] = quality(*survey, *f, o.by);
    report["verbatims"] = verbatims(*survey, so, *f, o.verbatims, personal);
    if (org)
        for (auto const& s : org->sites) report["names"][s.id] = s.name;
    if (!o.cases.empty()) {
        auto c = cases(o.cases, now);
        if (!c) return fail(c.error());
        report["cases"] = std::move(*c);
    }

    std::ostringstream text;
    if (o.format == "json")
        text << report.dump(2) << '\n';
    else if (o.format == "text")
        render_text(text, report);
    else
        render_html(text, report);
    if (o.out == "-") {
        std::cout << text.str();
        return 0;
    }
    std::ofstream file(o.out, std::ios::binary | std::ios::trunc);
    file << text.str();
    file.close();
    if (!file) return fail(o.out + ": cannot write");
    return 0;
}

}  // namespace

std::string number_text(char const* format, double x) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, x);
    return buf;
}

double number_of(json const& j) {
    return j.is_number() ? j.get<double>() : std::numeric_limits<double>::quiet_NaN();
}

std::string str(json const& j) {
    return j.is_string() ? j.get<std::string>() : std::string();
}

void setup_report(CLI::App& app) {
    auto opts = std::make_shared<report_options>();
    auto* sub = app.add_subcommand(
        "report",
        "The head-office report: NPS by site and week, drivers, changes, cases, comments");
    sub->add_option("--survey", opts->survey, "The survey the responses answer")
        ->required()
        ->check(CLI::ExistingFile);
    sub->add_option("--store", opts->store, "Head office's store directory");
    sub->add_option("--hq-key", opts->hq_key,
                    "Head office's secret key (hq.key), to open the store's cards");
    sub->add_option("--csv", opts->csv, "Or: responses exported as CSV")->check(CLI::ExistingFile);
    sub->add_option("--responses", opts->responses, "Or: responses as JSON lines")
        ->check(CLI::ExistingFile);
    sub->add_option("--org", opts->org, "The org file: site names, and the role of --reader-role")
        ->check(CLI::ExistingFile);
    sub->add_option("--reader-role", opts->reader_role,
                    "The reader's role; contact details only if it contacts-guests");
    sub->add_option("--cases", opts->cases,
                    "The case log directory: open cases and overdue escalations");
    sub->add_option("--now", opts->now, "The time cases are overdue at (default: now)");
    sub->add_option("--by", opts->by, "The column of sites")->capture_default_str();
    sub->add_option("--compare", opts->compare,
                    "Changes: the last period with cards against the one before")
        ->check(CLI::IsMember({"week", "month", "quarter"}))
        ->capture_default_str();
    sub->add_option("--verbatims", opts->verbatims, "How many detractors' comments to show")
        ->capture_default_str();
    sub->add_option("--min-n", opts->min_n, "Suppress segments and figures under this many cards")
        ->capture_default_str();
    sub->add_option("--format", opts->format, "html, text or json")
        ->check(CLI::IsMember({"html", "text", "json"}))
        ->capture_default_str();
    sub->add_option("--out", opts->out, "Write here instead of standard output");
    sub->callback([opts] { exit_code() = run_report(*opts); });
}

}  // namespace candor::cli
