// Where the report's cards come from: head office's store, an export, JSON lines; and the
// report from files, as `candor report` makes it.
#include <fstream>
#include <system_error>

#include "candor/journal/opening.hpp"
#include "candor/pg/store.hpp"
#include "candor/report/report.hpp"
#include "candor/response/json.hpp"
#include "candor/stats/csv.hpp"
#include "candor/stats/responses.hpp"

namespace candor::report {

namespace {

void keep(survey_responses& out, survey::survey const& s, response::response r) {
    if (r.survey == s.id)
        out.responses.push_back(std::move(r));
    else
        ++out.other_surveys;
}

// Overloaded visitor of the sources.
template <class... F>
struct overloaded : F... {
    using F::operator()...;
};

}  // namespace

result<survey_responses> read_store(journal::store const& store, seal::hq_secret const& hq,
                                    survey::survey const& s) {
    survey_responses out;
    errors found;
    std::uint64_t records = 0, unreadable = 0;
    store.for_each([&](journal::record const& r) {
        ++records;
        auto opened = journal::open_card(r, hq);
        if (opened) return keep(out, s, std::move(*opened));
        for (auto& e : opened.error()) {
            if (e.code == "unreadable")
                ++unreadable;
            else
                found.push_back(std::move(e));
        }
    });
    if (unreadable)
        found.insert(found.begin(),
                     error{severity::error,
                           "unreadable",
                           std::to_string(unreadable) + " of " + std::to_string(records) +
                               " records do not open with this key (is it head office's?)",
                           {}});
    if (!found.empty()) return fail(std::move(found));
    return out;
}

result<survey_responses> read_json_lines(std::istream& in, std::string const& file_name,
                                         survey::survey const& s) {
    survey_responses out;
    errors found;
    for (auto& line : response::read_json_lines(in, file_name)) {
        if (line.value)
            keep(out, s, std::move(*line.value));
        else
            found.insert(found.end(), line.value.error().begin(), line.value.error().end());
    }
    if (!found.empty()) return fail(std::move(found));
    return out;
}

result<report_model> build_report(survey::survey const& s, report_files const& files,
                                  report_options const& o) {
    report_context context;
    std::optional<routing::organisation> org;
    if (!files.org.empty()) {
        auto parsed = routing::parse_org_file(files.org.string());
        if (!parsed) return unexpected(parsed.error());
        org = std::move(*parsed);
        context.org = &*org;
    }
    errors warnings;
    auto read = [&](survey_responses r) -> result<stats::frame> {
        context.other_surveys = r.other_surveys;
        return stats::frame_of(r.responses, s);
    };
    auto cards = std::visit(
        overloaded{[&](store_source const& from) -> result<stats::frame> {
                       auto hq = seal::read_hq_secret(from.hq_key);
                       if (!hq) return unexpected(hq.error());
                       auto store = pg::open_store(from.dir.string());
                       if (!store) return unexpected(store.error());
                       warnings = store->recovery();
                       auto r = read_store(*store, *hq, s);
                       if (!r) return unexpected(r.error());
                       return read(std::move(*r));
                   },
                   [&](csv_source const& from) -> result<stats::frame> {
                       return stats::read_csv(from.file.string(),
                                              csv_options_of(report_figures(s, o), {}, &s));
                   },
                   [&](json_lines_source const& from) -> result<stats::frame> {
                       std::ifstream in(from.file, std::ios::binary);
                       if (!in) return fail("io", "cannot open", {.file = from.file.string()});
                       auto r = read_json_lines(in, from.file.string(), s);
                       if (!r) return unexpected(r.error());
                       return read(std::move(*r));
                   }},
        files.cards);
    if (!cards) return unexpected(cards.error());
    if (!files.cases.empty()) {
        std::error_code ec;
        if (!std::filesystem::is_directory(files.cases, ec))
            return fail("no-case-log", files.cases.string() + ": no case log there");
        auto log = routing::case_log::open(files.cases);
        if (!log) return unexpected(log.error());
        context.cases = summarize_cases(*log, o.now);
    }
    context.invitations = files.invitations;
    auto r = build_report(s, *cards, context, o);
    if (r) r->warnings = std::move(warnings);
    return r;
}

}  // namespace candor::report
