// Responses as SPSS and Excel files. One layout of columns serves both: the CSV export's
// (response/csv.hpp), with each column's label and value labels from the survey.
#include "candor/interop/datasets.hpp"

#include <readstat.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <set>

#include "candor/response/anonymize.hpp"
#include "candor/time.hpp"

namespace candor::interop {

namespace {

using survey::question_kind;

constexpr double spss_epoch_offset = 12219379200.0;  // 1582-10-14 to 1970-01-01, in seconds
constexpr std::size_t spss_max_string = 32767;
constexpr std::size_t spss_max_name = 64;

struct column {
    enum class kind : std::uint8_t { text, number, datetime, date };
    enum class source : std::uint8_t {
        survey,
        version,
        language,
        submitted,
        started,
        field,
        answer,
        other,
        option
    };
    std::string name;   // as in the CSV header
    std::string label;  // a person's words for it
    kind type = kind::text;
    source from = source::answer;
    std::size_t index = 0;  // field or question
    std::string code;       // option (SPSS's one variable per option)
    std::vector<std::pair<double, std::string>> value_labels;
};

struct cell {
    bool missing = true;
    double number = 0;
    std::string text;
};

std::string label_of(survey::translated_text const& t, survey::survey const& s,
                     std::string const& lang) {
    return std::string(t.in(lang.empty() ? s.default_language() : lang, s.fallback_language));
}

// The CSV's columns; `spss` splits each choice many into one 0/1 column per option and
// codes choice one, yes/no as numbers with labels.
std::vector<column> layout(survey::survey const& s, std::string const& lang, bool spss) {
    using K = column::kind;
    using S = column::source;
    std::vector<column> out{{"survey", "Survey", K::text, S::survey, 0, {}, {}},
                            {"version", "Survey version", K::number, S::version, 0, {}, {}},
                            {"language", "Language", K::text, S::language, 0, {}, {}},
                            {"submitted", "Submitted (UTC)", K::datetime, S::submitted, 0, {}, {}},
                            {"started", "Started (UTC)", K::datetime, S::started, 0, {}, {}}};
    for (std::size_t f = 0; f < s.fields.size(); ++f)
        out.push_back({s.fields[f], "Device field " + s.fields[f], K::text, S::field, f, {}, {}});
    for (std::size_t i = 0; i < s.questions.size(); ++i) {
        auto const& q = s.questions[i];
        std::string const prompt = label_of(q.prompt, s, lang);
        column c{q.id, prompt.empty() ? q.id : prompt, K::text, S::answer, i, {}, {}};
        if (survey::is_scale(q.kind) || q.kind == question_kind::number) {
            c.type = K::number;
            if (q.end_labels.size() == 2) {
                for (int end = 0; end < 2; ++end) {
                    std::string l = label_of(q.end_labels[end], s, lang);
                    if (!l.empty()) c.value_labels.emplace_back(end ? q.max : q.min, l);
                }
            }
        } else if (q.kind == question_kind::date) {
            c.type = K::date;
        } else if (spss && q.kind == question_kind::yesno) {
            c.type = K::number;
            c.value_labels = {{1, "Yes"}, {0, "No"}};
        } else if (spss && q.kind == question_kind::choice_one) {
            c.type = K::number;
            double n = 0;
            for (auto const& o : q.options)
                c.value_labels.emplace_back(++n, label_of(o.label, s, lang));
            if (q.other) c.value_labels.emplace_back(++n, label_of(*q.other, s, lang));
        }
        if (spss && q.kind == question_kind::choice_many) {
            auto add = [&](std::string const& code, std::string const& option) {
                out.push_back({q.id + "_" + code,
                               c.label + ": " + option,
                               K::number,
                               S::option,
                               i,
                               code,
                               {{1, "Chosen"}, {0, "Not chosen"}}});
            };
            for (auto const& o : q.options) add(o.code, label_of(o.label, s, lang));
            if (q.other) add("other", label_of(*q.other, s, lang));
        } else {
            out.push_back(std::move(c));
        }
        if (q.other)
            out.push_back(
                {q.id + ".other", c.label + " (other, in words)", K::text, S::other, i, {}, {}});
    }
    return out;
}

std::int64_t days_from_date(std::string const& ymd, bool& ok) {
    int y = 0;
    unsigned m = 0, d = 0;
    ok = std::sscanf(ymd.c_str(), "%4d-%2u-%2u", &y, &m, &d) == 3;
    auto date = std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d};
    ok = ok && date.ok();
    return ok ? std::chrono::sys_days(date).time_since_epoch().count() : 0;
}

// The value of column `c` in `r`, in the column's type (a date as Unix seconds).
cell value_of(column const& c, survey::survey const& s, response::response const& r) {
    using S = column::source;
    cell out;
    auto text = [&](std::string t) {
        out.missing = t.empty();
        out.text = std::move(t);
    };
    auto number = [&](double d) {
        out.missing = false;
        out.number = d;
    };
    switch (c.from) {
        case S::survey:
            text(r.survey);
            return out;
        case S::version:
            number(r.version);
            return out;
        case S::language:
            text(r.language);
            return out;
        case S::submitted:
            number(static_cast<double>(r.submitted));
            return out;
        case S::started:
            if (r.started) number(static_cast<double>(*r.started));
            return out;
        case S::field:
            text(std::string(r.field(s.fields[c.index])));
            return out;
        default:
            break;
    }
    auto const& q = s.questions[c.index];
    if (c.from == S::other) {
        if (auto const* a = r.find(q.id + ".other"); a && std::holds_alternative<std::string>(*a))
            text(std::get<std::string>(*a));
        return out;
    }
    auto const* a = r.find(q.id);
    if (!a) return out;
    if (c.from == S::option) {
        if (auto const* codes = std::get_if<response::choice_codes>(a))
            number(std::find(codes->begin(), codes->end(), c.code) != codes->end() ? 1 : 0);
        return out;
    }
    if (auto const* b = std::get_if<bool>(a)) {
        if (c.type == column::kind::number)
            number(*b ? 1 : 0);
        else
            text(*b ? "yes" : "no");
    } else if (auto const* i = std::get_if<std::int64_t>(a)) {
        number(static_cast<double>(*i));
    } else if (auto const* d = std::get_if<double>(a)) {
        number(*d);
    } else if (auto const* t = std::get_if<std::string>(a)) {
        if (c.type == column::kind::date) {
            bool ok = false;
            auto days = days_from_date(*t, ok);
            if (ok) number(static_cast<double>(days) * 86400);
        } else if (c.type == column::kind::number) {  // choice one, by its place
            double n = 0;
            for (auto const& o : q.options)
                if (++n, o.code == *t) number(n);
            if (q.other && *t == "other") number(static_cast<double>(q.options.size() + 1));
        } else {
            text(*t);
        }
    } else if (auto const* codes = std::get_if<response::choice_codes>(a)) {
        std::string joined;
        for (auto const& code : *codes) joined += (joined.empty() ? "" : ";") + code;
        text(joined);
    }
    return out;
}

// ---- SPSS

bool spss_reserved(std::string const& upper) {
    for (auto w :
         {"ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH"})
        if (upper == w) return true;
    return false;
}

std::string upper(std::string s) {
    for (char& c : s)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return s;
}

// A name SPSS takes: letters, digits, _ (no `.` from ID.other), a letter first, at most
// 64 bytes, no reserved word, unique ignoring case.
std::string spss_name(std::string const& wanted, std::set<std::string>& used) {
    std::string n;
    for (char c : wanted) n += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
    if (n.empty() || !std::isalpha(static_cast<unsigned char>(n[0]))) n.insert(n.begin(), 'v');
    if (spss_reserved(upper(n))) n += '_';
    n.resize(std::min(n.size(), spss_max_name - 4));
    std::string name = n;
    for (int k = 2; used.count(upper(name)); ++k) name = n + "_" + std::to_string(k);
    used.insert(upper(name));
    return name;
}

struct sav_file {
    std::FILE* f = nullptr;
    bool failed = false;
};

ssize_t write_bytes(void const* data, size_t len, void* ctx) {
    auto* out = static_cast<sav_file*>(ctx);
    if (std::fwrite(data, 1, len, out->f) != len) {
        out->failed = true;
        return -1;
    }
    return static_cast<ssize_t>(len);
}

// The row as written: `r` itself, or anonymized into `scratch` when asked.
response::response const& shown(survey::survey const& s, response::response const& r,
                                dataset_options const& options, response::response& scratch) {
    if (!options.anonymize) return r;
    scratch = r;
    response::anonymize(s, scratch);
    return scratch;
}

}  // namespace

result<errors> write_sav(std::string const& path, survey::survey const& s,
                         std::span<response::response const> rows, dataset_options const& options) {
    errors notes;
    auto cols = layout(s, options.language, true);
    std::unique_ptr<readstat_writer_t, decltype(&readstat_writer_free)> w(readstat_writer_init(),
                                                                          &readstat_writer_free);
    if (!w) return fail("spss", "ReadStat could not start a writer", {.file = path});
    readstat_set_data_writer(w.get(), write_bytes);
    std::string const file_label = label_of(s.title, s, options.language);
    readstat_writer_set_file_label(w.get(),
                                   (file_label.empty() ? s.id : file_label).substr(0, 64).c_str());

    // Cells are computed once: string widths are the longest value of each column.
    std::vector<std::vector<cell>> cells(rows.size());
    response::response scratch;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        auto const& row = shown(s, rows[r], options, scratch);
        for (auto const& c : cols) cells[r].push_back(value_of(c, s, row));
    }

    std::set<std::string> used;
    std::vector<readstat_variable_t*> vars;
    for (std::size_t i = 0; i < cols.size(); ++i) {
        auto const& c = cols[i];
        std::string const name = spss_name(c.name, used);
        if (name != c.name)
            notes.push_back({severity::warning,
                             "renamed",
                             "`" + c.name + "` is `" + name + "` in SPSS",
                             {.file = path, .field = c.name}});
        readstat_variable_t* v = nullptr;
        if (c.type == column::kind::text) {
            std::size_t width = 1;
            for (auto const& row : cells) width = std::max(width, row[i].text.size());
            if (width > spss_max_string)
                return fail("spss",
                            "`" + c.name + "` holds a text longer than SPSS's " +
                                std::to_string(spss_max_string) + " bytes",
                            {.file = path, .field = c.name});
            v = readstat_add_variable(w.get(), name.c_str(), READSTAT_TYPE_STRING, width);
        } else {
            v = readstat_add_variable(w.get(), name.c_str(), READSTAT_TYPE_DOUBLE, 0);
            if (c.type == column::kind::datetime)
                readstat_variable_set_format(v, "DATETIME20");
            else if (c.type == column::kind::date)
                readstat_variable_set_format(v, "DATE11");
            else
                readstat_variable_set_measure(v, c.value_labels.size() > 2
                                                     ? READSTAT_MEASURE_NOMINAL
                                                     : READSTAT_MEASURE_SCALE);
        }
        readstat_variable_set_label(v, c.label.c_str());
        if (!c.value_labels.empty()) {
            auto* set = readstat_add_label_set(w.get(), READSTAT_TYPE_DOUBLE,
                                               ("labels" + std::to_string(i)).c_str());
            for (auto const& [value, text] : c.value_labels)
                readstat_label_double_value(set, value, text.c_str());
            readstat_variable_set_label_set(v, set);
        }
        vars.push_back(v);
    }

    sav_file out{std::fopen(path.c_str(), "wb")};
    if (!out.f) return fail("io", "cannot write " + path, {.file = path});
    readstat_error_t e = readstat_begin_writing_sav(w.get(), &out, static_cast<long>(rows.size()));
    for (std::size_t r = 0; r < rows.size() && e == READSTAT_OK; ++r) {
        e = readstat_begin_row(w.get());
        for (std::size_t i = 0; i < cols.size() && e == READSTAT_OK; ++i) {
            auto const& c = cells[r][i];
            if (c.missing)
                e = readstat_insert_missing_value(w.get(), vars[i]);
            else if (cols[i].type == column::kind::text)
                e = readstat_insert_string_value(w.get(), vars[i], c.text.c_str());
            else if (cols[i].type == column::kind::number)
                e = readstat_insert_double_value(w.get(), vars[i], c.number);
            else
                e = readstat_insert_double_value(w.get(), vars[i], c.number + spss_epoch_offset);
        }
        if (e == READSTAT_OK) e = readstat_end_row(w.get());
    }
    if (e == READSTAT_OK) e = readstat_end_writing(w.get());
    bool const closed = std::fclose(out.f) == 0;
    if (out.failed || !closed) {
        std::remove(path.c_str());
        return fail("io", "cannot write " + path, {.file = path});
    }
    if (e != READSTAT_OK) {
        std::remove(path.c_str());
        return fail("spss", std::string("ReadStat: ") + readstat_error_message(e), {.file = path});
    }
    return notes;
}

// ---- Excel

namespace {

lxw_datetime excel_time(double unix_seconds) {
    auto const secs = static_cast<std::int64_t>(unix_seconds);
    auto const days =
        std::chrono::floor<std::chrono::days>(std::chrono::sys_seconds(std::chrono::seconds(secs)));
    std::chrono::year_month_day ymd(days);
    auto const in_day = secs - days.time_since_epoch().count() * 86400;
    return {static_cast<int>(ymd.year()),
            static_cast<int>(static_cast<unsigned>(ymd.month())),
            static_cast<int>(static_cast<unsigned>(ymd.day())),
            static_cast<int>(in_day / 3600),
            static_cast<int>(in_day / 60 % 60),
            static_cast<double>(in_day % 60)};
}

}  // namespace

result<errors> write_xlsx(std::string const& path, survey::survey const& s,
                          std::span<response::response const> rows,
                          dataset_options const& options) {
    auto cols = layout(s, options.language, false);
    lxw_workbook* book = workbook_new(path.c_str());
    if (!book) return fail("io", "cannot write " + path, {.file = path});
    lxw_worksheet* sheet = workbook_add_worksheet(book, "responses");
    lxw_worksheet* about = workbook_add_worksheet(book, "variables");
    lxw_format* datetime = workbook_add_format(book);
    format_set_num_format(datetime, "yyyy-mm-dd hh:mm:ss");
    lxw_format* date = workbook_add_format(book);
    format_set_num_format(date, "yyyy-mm-dd");
    lxw_format* bold = workbook_add_format(book);
    format_set_bold(bold);

    lxw_error e = LXW_NO_ERROR;
    std::string bad_column;
    auto check = [&](lxw_error x, std::string const& name) {
        if (e == LXW_NO_ERROR && x != LXW_NO_ERROR) e = x, bad_column = name;
    };
    for (std::size_t i = 0; i < cols.size(); ++i)
        check(
            worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(i), cols[i].name.c_str(), bold),
            cols[i].name);
    response::response scratch;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        auto const row = static_cast<lxw_row_t>(r + 1);
        auto const& shown_row = shown(s, rows[r], options, scratch);
        for (std::size_t i = 0; i < cols.size(); ++i) {
            cell const c = value_of(cols[i], s, shown_row);
            if (c.missing) continue;
            auto const col = static_cast<lxw_col_t>(i);
            switch (cols[i].type) {
                case column::kind::text:
                    check(worksheet_write_string(sheet, row, col, c.text.c_str(), nullptr),
                          cols[i].name);
                    break;
                case column::kind::number:
                    check(worksheet_write_number(sheet, row, col, c.number, nullptr), cols[i].name);
                    break;
                case column::kind::datetime: {
                    lxw_datetime t = excel_time(c.number);
                    check(worksheet_write_datetime(sheet, row, col, &t, datetime), cols[i].name);
                    break;
                }
                case column::kind::date: {
                    lxw_datetime t = excel_time(c.number);
                    check(worksheet_write_datetime(sheet, row, col, &t, date), cols[i].name);
                    break;
                }
            }
        }
    }
    char const* heads[] = {"column", "label", "type", "value labels"};
    for (lxw_col_t k = 0; k < 4; ++k)
        check(worksheet_write_string(about, 0, k, heads[k], bold), "variables");
    for (std::size_t i = 0; i < cols.size(); ++i) {
        auto const row = static_cast<lxw_row_t>(i + 1);
        auto const& c = cols[i];
        char const* type = c.type == column::kind::text     ? "text"
                           : c.type == column::kind::number ? "number"
                           : c.type == column::kind::date   ? "date"
                                                            : "date-time (UTC)";
        std::string labels;
        for (auto const& [v, l] : c.value_labels)
            labels += (labels.empty() ? "" : "; ") + std::to_string(static_cast<long long>(v)) +
                      " = " + l;
        check(worksheet_write_string(about, row, 0, c.name.c_str(), nullptr), "variables");
        check(worksheet_write_string(about, row, 1, c.label.c_str(), nullptr), "variables");
        check(worksheet_write_string(about, row, 2, type, nullptr), "variables");
        if (!labels.empty())
            check(worksheet_write_string(about, row, 3, labels.c_str(), nullptr), "variables");
    }
    lxw_error const closed = workbook_close(book);
    if (e != LXW_NO_ERROR) {
        std::remove(path.c_str());
        return fail("xlsx", std::string("libxlsxwriter: ") + lxw_strerror(e),
                    {.file = path, .field = bad_column});
    }
    if (closed != LXW_NO_ERROR) {
        std::remove(path.c_str());
        return fail(closed == LXW_ERROR_CREATING_XLSX_FILE || closed == LXW_ERROR_CREATING_TMPFILE
                        ? "io"
                        : "xlsx",
                    std::string("libxlsxwriter: ") + lxw_strerror(closed), {.file = path});
    }
    return errors{};
}

}  // namespace candor::interop
