// The head-office report through the C API: candor::report builds and prints it.
#include "candor/report/report.hpp"
#include "candor/report/render.hpp"
#include "candor/routing/time.hpp"
#include "internal.hpp"

struct candor_report {
    candor::report::report_model value;
};

using namespace candor::c_api;
namespace report = candor::report;

namespace {

bool given(const char* s) {
    return s != nullptr && *s != '\0';
}

// A file that cannot be read, one that does not parse, or anything else wrong.
candor_status status_of(candor::errors const& all) {
    auto const& e = all.front();
    if (e.code == "io" || e.code == "cannot-open" || e.code == "no-case-log")
        return CANDOR_IO_ERROR;
    if (e.where.line != 0) return CANDOR_PARSE_ERROR;
    return CANDOR_INVALID_ARGUMENT;
}

template <class Print>
candor_status print(const candor_report* r, char* buf, size_t* size, Print to_text) {
    return guarded([&] {
        CANDOR_REQUIRE(r != nullptr, "report is NULL");
        return copy_out(to_text(r->value), buf, size);
    });
}

}  // namespace

extern "C" {

candor_status candor_report_options_init(candor_report_options* options) {
    CANDOR_REQUIRE(options != nullptr, "options is NULL");
    *options = {};
    options->now = candor::routing::system_now();
    options->by = "site";
    options->compare = "month";
    options->verbatims = report::default_verbatims;
    options->min_n = candor::stats::default_min_n;
    return CANDOR_OK;
}

candor_status candor_report_build(const candor_survey* survey, const candor_report_options* o,
                                  candor_report** out) {
    return guarded([&] {
        CANDOR_REQUIRE(survey != nullptr && o != nullptr && out != nullptr, "NULL argument");
        *out = nullptr;
        int sources = given(o->store_dir) + given(o->csv_file) + given(o->responses_file);
        CANDOR_REQUIRE(sources == 1,
                       "give one source: store_dir (with hq_key_file), csv_file "
                       "or responses_file");
        CANDOR_REQUIRE(!given(o->store_dir) || given(o->hq_key_file),
                       "store_dir needs hq_key_file, head office's secret key");
        CANDOR_REQUIRE(!given(o->reader_role) || given(o->org_file),
                       "reader_role needs org_file, the file that defines the role");
        report::report_options options;
        options.now = o->now;
        if (given(o->by)) options.by = o->by;
        if (given(o->compare)) {
            auto p = candor::stats::parse_period(o->compare);
            if (!p) return fail(CANDOR_INVALID_ARGUMENT, p.error());
            options.compare = *p;
        }
        options.verbatims = o->verbatims;
        options.min_n = o->min_n;
        if (given(o->reader_role)) options.reader_role = o->reader_role;
        report::report_files files;
        if (given(o->store_dir))
            files.cards = report::store_source{o->store_dir, o->hq_key_file};
        else if (given(o->csv_file))
            files.cards = report::csv_source{o->csv_file};
        else
            files.cards = report::json_lines_source{o->responses_file};
        if (given(o->org_file)) files.org = o->org_file;
        if (given(o->cases_dir)) files.cases = o->cases_dir;
        auto built = report::build_report(survey->value, files, options);
        if (!built) return fail(status_of(built.error()), built.error());
        *out = new candor_report{std::move(*built)};
        return CANDOR_OK;
    });
}

void candor_report_free(candor_report* report) {
    delete report;
}

candor_status candor_report_json(const candor_report* r, char* buf, size_t* size) {
    return print(r, buf, size, [](auto const& m) { return report::to_json(m); });
}
candor_status candor_report_html(const candor_report* r, char* buf, size_t* size) {
    return print(r, buf, size, [](auto const& m) { return report::to_html(m); });
}
candor_status candor_report_text(const candor_report* r, char* buf, size_t* size) {
    return print(r, buf, size, [](auto const& m) { return report::to_text(m); });
}

}  // extern "C"
