// XLSForm into a Candor survey: the survey sheet row by row, choices by list, settings.
// Top-level groups become pages; a cell Candor cannot carry over is reported at SHEET!CELL.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "builder.hpp"
#include "candor/interop/xlsform.hpp"
#include "condition.hpp"
#include "util/ascii.hpp"
#include "xlsx_reader.hpp"

namespace candor::interop {

namespace {

using detail::node;
using detail::refuse;
using detail::value;

std::string trim(std::string_view s) {
    auto b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
    return b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
}

std::vector<std::string> words(std::string_view s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        std::size_t j = i;
        while (j < s.size() && s[j] != ' ' && s[j] != '\t') ++j;
        if (j > i) out.emplace_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

// A table: the header row's columns by name, and the rows below it.
struct table {
    std::string sheet;
    std::vector<std::pair<std::uint32_t, std::string>> header;  // (column, name as written)
    std::vector<detail::sheet_row> const* rows = nullptr;
    std::uint32_t header_row = 0;

    std::string place(std::uint32_t row, std::uint32_t col) const {
        return sheet + "!" + detail::cell_name(row, col);
    }
};

std::string cell(detail::sheet_row const& r, std::uint32_t col) {
    for (auto const& [c, text] : r.cells)
        if (c == col) return trim(text);
    return {};
}

// "label::English (en)" -> ("label", "en"); "label::fr" -> ("label", "fr");
// "label" -> ("label", ""); "label::English" -> ("label", "?English").
std::pair<std::string, std::string> column_name(std::string const& header) {
    auto sep = header.find("::");
    if (sep == std::string::npos)
        sep = header.find(':') != std::string::npos && header.rfind("jr:", 0) != 0
                  ? header.find(':')
                  : std::string::npos;
    std::string base = util::ascii_lower(trim(header.substr(0, sep)));
    if (sep == std::string::npos) return {base, ""};
    std::string lang = trim(header.substr(sep + (header.compare(sep, 2, "::") == 0 ? 2 : 1)));
    auto open = lang.rfind('('), close = lang.rfind(')');
    if (open != std::string::npos && close != std::string::npos && close > open)
        return {base, trim(lang.substr(open + 1, close - open - 1))};
    if (detail::is_language_code(lang)) return {base, lang};
    return {base, "?" + lang};
}

std::string language_of_setting(std::string const& s) {
    auto open = s.rfind('('), close = s.rfind(')');
    if (open != std::string::npos && close != std::string::npos && close > open)
        return trim(s.substr(open + 1, close - open - 1));
    return s;
}

// XPath's comparisons for a choice's name against a literal: numbers when either side is
// a number, else strings exactly.
bool xpath_equal(std::string const& name, value const& lit) {
    if (lit.k == value::kind::number) {
        value v;
        v.k = value::kind::string;
        v.text = name;
        auto n = v.as_number();
        return n && *n == lit.number;
    }
    return lit.k == value::kind::string && name == lit.text;
}

struct option_source {
    std::string name;
    survey::translated_text label;
    std::string place;
};

class xls_import {
  public:
    xls_import(std::vector<detail::sheet> const& sheets, import_options const& opts,
               std::string const& file)
        : sheets_(sheets),
          opts_(opts),
          report_(file, opts.lenient),
          build_(report_, default_language(sheets, opts)) {}

    result<imported> run(std::string_view file_name) {
        auto const* survey_sheet = find_sheet("survey");
        if (!survey_sheet) {
            report_.broken("", "bad-xlsform", "an XLSForm has a `survey` sheet");
            return build_.finish();
        }
        settings(file_name);
        if (auto const* c = find_sheet("choices")) choices(*c);
        survey_rows(*survey_sheet);
        return build_.finish();
    }

  private:
    static detail::sheet const* find_sheet(std::vector<detail::sheet> const& sheets,
                                           std::string_view name) {
        for (auto const& s : sheets)
            if (util::ascii_lower(trim(s.name)) == name) return &s;
        return nullptr;
    }
    detail::sheet const* find_sheet(std::string_view name) const {
        return find_sheet(sheets_, name);
    }

    // The option's, else the settings' default_language ("English (en)" or "en"), else en.
    static std::string default_language(std::vector<detail::sheet> const& sheets,
                                        import_options const& opts) {
        if (!opts.default_language.empty()) return opts.default_language;
        if (auto const* s = find_sheet(sheets, "settings"); s && s->rows.size() >= 2)
            for (auto const& [col, name] : s->rows.front().cells)
                if (column_name(name).first == "default_language") {
                    std::string v = language_of_setting(cell(s->rows[1], col));
                    if (!v.empty()) return v;
                }
        return "en";
    }

    table header_of(detail::sheet const& s) const {
        table t;
        t.sheet = s.name;
        t.rows = &s.rows;
        if (!s.rows.empty()) {
            t.header_row = s.rows.front().index;
            for (auto const& [c, text] : s.rows.front().cells)
                if (!trim(text).empty()) t.header.emplace_back(c, trim(text));
        }
        return t;
    }

    void settings(std::string_view file_name) {
        std::string id, version, title;
        std::string title_place;
        if (auto const* sheet = find_sheet("settings")) {
            table t = header_of(*sheet);
            for (auto const& row : *t.rows) {
                if (row.index == t.header_row) continue;
                for (auto const& [col, name] : t.header) {
                    std::string v = cell(row, col);
                    if (v.empty()) continue;
                    auto [base, lang] = column_name(name);
                    if (base == "form_id")
                        id = v;
                    else if (base == "version")
                        version = v;
                    else if (base == "form_title")
                        title = v, title_place = t.place(row.index, col);
                    else if (base == "default_language")
                        continue;  // read first
                    else if (base == "style" || base == "instance_name" ||
                             base == "submission_url" || base == "public_key" ||
                             base == "allow_choice_duplicates")
                        continue;  // how ODK lays out or sends the form, not what it asks
                    else
                        report_.not_carried(
                            t.place(row.index, col), "unsupported-setting",
                            "the setting `" + name + "` cannot be carried over to Candor");
                }
                break;  // settings are the one row under the header
            }
        }
        auto& out = build_.survey();
        out.id = !opts_.survey_id.empty() ? opts_.survey_id : id;
        if (out.id.empty()) {
            std::string_view stem = file_name.substr(file_name.find_last_of('/') + 1);
            stem = stem.substr(0, stem.find('.'));
            out.id = stem.empty() || stem == "<input>" ? "imported" : std::string(stem);
        }
        out.version = opts_.version;
        if (!out.version) {
            std::uint64_t v = 0;
            auto [p, ec] = std::from_chars(version.data(), version.data() + version.size(), v);
            if (!version.empty() && (ec != std::errc() || p != version.data() + version.size() ||
                                     v == 0 || v > 4294967295u))
                report_.note("settings", "bad-version",
                             "the version `" + version +
                                 "` is not a whole number from 1 to 4294967295: "
                                 "version 1 is used (or give one)");
            out.version = ec == std::errc() && !version.empty() && v > 0 && v <= 4294967295u
                              ? static_cast<std::uint32_t>(v)
                              : 1;
        }
        if (!title.empty()) build_.add_text(out.title, "", title, title_place);
    }

    // Columns of the choices sheet that say what a respondent sees: reported.
    void choices(detail::sheet const& sheet) {
        table t = header_of(sheet);
        std::optional<std::uint32_t> list_col, name_col;
        std::vector<std::pair<std::uint32_t, std::string>> labels;  // (column, language)
        for (auto const& [col, name] : t.header) {
            auto [base, lang] = column_name(name);
            if (base == "list_name" || base == "list name")
                list_col = col;
            else if (base == "name" || base == "value")
                name_col = col;
            else if (base == "label")
                labels.emplace_back(col, lang);
            else if (base == "media" || base == "image" || base == "audio" || base == "video")
                for (auto const& row : *t.rows)
                    if (row.index != t.header_row && !cell(row, col).empty()) {
                        report_.not_carried(
                            t.place(row.index, col), "unsupported-column",
                            "pictures and sounds on choices cannot be carried over");
                        break;
                    }
        }
        if (!list_col || !name_col) {
            report_.broken(t.place(t.header_row, 0), "bad-xlsform",
                           "the choices sheet has `list_name` and `name` columns");
            return;
        }
        for (auto const& row : *t.rows) {
            if (row.index == t.header_row) continue;
            std::string list = cell(row, *list_col), name = cell(row, *name_col);
            if (list.empty() && name.empty()) continue;
            if (list.empty() || name.empty()) {
                report_.broken(t.place(row.index, list.empty() ? *list_col : *name_col),
                               "bad-xlsform", "a choice has a list name and a name");
                continue;
            }
            option_source o{name, {}, t.place(row.index, *name_col)};
            for (auto const& [col, lang] : labels)
                label(o.label, lang, cell(row, col), t.place(row.index, col));
            lists_[list].push_back(std::move(o));
        }
    }

    void label(survey::translated_text& t, std::string const& lang, std::string const& text,
               std::string const& place) {
        if (text.empty()) return;
        if (!lang.empty() && lang[0] == '?') {
            report_.not_carried(place, "bad-language",
                                "the column's language `" + lang.substr(1) +
                                    "` has no code: write label::" + lang.substr(1) + " (xx)");
            return;
        }
        build_.add_text(t, lang, text, place);
    }

    struct group {
        std::string name;
        std::vector<std::pair<std::string, std::string>> relevant;  // (expression, place)
    };

    void survey_rows(detail::sheet const& sheet) {
        table t = header_of(sheet);
        std::optional<std::uint32_t> type_col, name_col;
        for (auto const& [col, name] : t.header) {
            auto base = column_name(name).first;
            if (base == "type")
                type_col = col;
            else if (base == "name")
                name_col = col;
        }
        if (!type_col || !name_col) {
            report_.broken(t.place(t.header_row, 0), "bad-xlsform",
                           "the survey sheet has `type` and `name` columns");
            return;
        }
        // Pages: top-level groups; questions outside them get pages of their own.
        bool const paged =
            std::any_of(t.rows->begin(), t.rows->end(), [&](detail::sheet_row const& r) {
                auto w = words(util::ascii_lower(cell(r, *type_col)));
                return !w.empty() && (w[0] == "begin" || w[0] == "begin_group");
            });
        std::vector<group> groups;
        std::size_t skipping_repeat = 0;
        bool outside_page = true;
        for (auto const& row : *t.rows) {
            if (row.index == t.header_row) continue;
            std::string const type_text = cell(row, *type_col);
            std::string const type_place = t.place(row.index, *type_col);
            auto type = words(util::ascii_lower(type_text));
            if (type.size() >= 2 && type[0] == "begin")
                type = {"begin_" + type[1]};
            else if (type.size() >= 2 && type[0] == "end")
                type = {"end_" + type[1]};
            if (type.empty()) {
                if (!cell(row, *name_col).empty())
                    report_.broken(type_place, "bad-xlsform", "a row with a name has a type");
                continue;
            }
            std::string const& kind = type[0];
            if (skipping_repeat) {
                if (kind == "begin_repeat")
                    ++skipping_repeat;
                else if (kind == "end_repeat")
                    --skipping_repeat;
                continue;
            }
            if (kind == "begin_repeat") {
                report_.not_carried(
                    type_place, "unsupported-type",
                    "a repeat (`" + cell(row, *name_col) + "`) has no Candor equivalent");
                skipping_repeat = 1;
                continue;
            }
            if (kind == "begin_group") {
                if (groups.size() >= max_panel_depth) {
                    report_.broken(
                        type_place, "too-deep",
                        "groups nested more than " + std::to_string(max_panel_depth) + " deep");
                    return;
                }
                group g{cell(row, *name_col), {}};
                survey::translated_text title;
                for (auto const& [col, name] : t.header) {
                    std::string v = cell(row, col);
                    if (v.empty() || col == *type_col || col == *name_col) continue;
                    auto [base, lang] = column_name(name);
                    std::string const place = t.place(row.index, col);
                    if (base == "relevant")
                        g.relevant.emplace_back(v, place);
                    else if (base == "label" && groups.empty())
                        label(title, lang, v, place);
                    else if (base == "appearance")
                        continue;
                    else if (base == "label")
                        report_.not_carried(
                            place, "unsupported-property",
                            "the label of a group within a group cannot be carried over");
                    else
                        report_.not_carried(place, "unsupported-column",
                                            "`" + name + "` on a group cannot be carried over");
                }
                if (groups.empty()) {
                    current_page_ =
                        build_.add_page(g.name.empty() ? "group" : g.name, std::move(title));
                    outside_page = false;
                }
                groups.push_back(std::move(g));
                continue;
            }
            if (kind == "end_group") {
                if (groups.empty())
                    report_.broken(type_place, "bad-xlsform", "`end group` without `begin group`");
                else
                    groups.pop_back();
                if (groups.empty()) outside_page = true;
                continue;
            }
            if (kind == "end_repeat") {
                report_.broken(type_place, "bad-xlsform", "`end repeat` without `begin repeat`");
                continue;
            }
            if (paged && groups.empty() && outside_page && !is_timestamp(kind)) {
                current_page_ = build_.add_page("section", {});
                outside_page = false;
            }
            question(t, row, type, type_place, *name_col, groups);
        }
        if (!groups.empty())
            report_.broken(sheet.name, "bad-xlsform", "a group is not closed (`end group`)");
    }

    static bool is_timestamp(std::string const& kind) {
        return kind == "start" || kind == "end" || kind == "today";
    }

    void question(table const& t, detail::sheet_row const& row,
                  std::vector<std::string> const& type, std::string const& type_place,
                  std::uint32_t name_col, std::vector<group> const& groups) {
        using survey::question_kind;
        std::string const& kind = type[0];
        std::string const name = cell(row, name_col);
        if (is_timestamp(kind)) {
            report_.note(type_place, "metadata",
                         "`" + kind +
                             "` is what Candor records anyway, as each response's started "
                             "and submitted times");
            return;
        }
        if (name.empty()) {
            report_.broken(t.place(row.index, name_col), "bad-xlsform", "a question has a name");
            return;
        }
        survey::question q;
        q.page = current_page_;
        source_question src{"", name, t.place(row.index, name_col), {}};
        std::string list;
        bool other = false;
        if (kind == "select_one" || kind == "select_multiple") {
            q.kind = kind == "select_one" ? question_kind::choice_one : question_kind::choice_many;
            if (type.size() < 2 || type.size() > 3 || (type.size() == 3 && type[2] != "or_other")) {
                report_.broken(type_place, "bad-xlsform",
                               "write `" + kind + " LIST` or `" + kind + " LIST or_other`");
                return;
            }
            list = type[1];
            other = type.size() == 3;
        } else if (type.size() > 1 &&
                   !(kind == "select_one_from_file" || kind == "select_multiple_from_file")) {
            report_.broken(type_place, "bad-xlsform", "`" + kind + "` takes no list");
            return;
        } else if (kind == "integer" || kind == "decimal") {
            q.kind = question_kind::number;
            q.integer = kind == "integer";
        } else if (kind == "text") {
            q.kind = question_kind::text;
        } else if (kind == "date") {
            q.kind = question_kind::date;
        } else if (kind == "range") {
            q.kind = question_kind::rating;  // set from `parameters` below
        } else {
            std::string why =
                kind == "note"        ? "a note (text without a question) has no Candor equivalent"
                : kind == "calculate" ? "a calculated value has no Candor equivalent"
                                      : "the type `" + kind + "` has no Candor equivalent";
            report_.not_carried(type_place, "unsupported-type", "`" + name + "`: " + why);
            return;
        }
        if (build_.find(name)) {
            report_.broken(src.place, "duplicate-question", "`" + name + "` is named twice");
            return;
        }

        std::vector<std::pair<std::string, std::string>> relevant;
        for (auto const& g : groups)
            relevant.insert(relevant.end(), g.relevant.begin(), g.relevant.end());
        std::string require_if, require_place;
        std::string parameters, parameters_place;
        for (auto const& [col, header] : t.header) {
            std::string const v = cell(row, col);
            if (v.empty() || col == name_col || header == "type") continue;
            auto [base, lang] = column_name(header);
            std::string const place = t.place(row.index, col);
            if (base == "type") continue;
            if (base == "label") {
                label(q.prompt, lang, v, place);
            } else if (base == "required") {
                std::string const r = util::ascii_lower(v);
                if (r == "yes" || r == "true" || r == "true()" || r == "1")
                    q.required = true;
                else if (r == "no" || r == "false" || r == "false()" || r == "0")
                    continue;
                else
                    require_if = v, require_place = place;
            } else if (base == "relevant") {
                relevant.emplace_back(v, place);
            } else if (base == "parameters" && kind == "range") {
                parameters = v, parameters_place = place;
            } else if (base == "appearance" || base == "required_message" ||
                       base == "constraint_message" || base == "jr:requiredmsg" ||
                       base == "jr:constraintmsg") {
                continue;  // layout, and the wording of error messages
            } else {
                report_.not_carried(
                    place, "unsupported-column",
                    "`" + header + "` (`" + v + "`) cannot be carried over to Candor");
            }
        }
        q.id = build_.question_id(name, src.place);
        src.id = q.id;
        if (!list.empty() && !choice(q, src, list, other, type_place)) return;
        if (kind == "range" &&
            !range(q, name, parameters, parameters_place.empty() ? type_place : parameters_place))
            return;
        std::string show_if;
        std::string show_place = src.place;
        for (auto const& [expr, place] : relevant) {
            std::string one = condition(expr, place);
            if (one.empty()) continue;
            show_if = show_if.empty()
                          ? one
                          : detail::parenthesise(show_if) + " and " + detail::parenthesise(one);
            show_place = place;
        }
        std::string require =
            require_if.empty() ? std::string() : condition(require_if, require_place);
        build_.add_question(std::move(q), std::move(src), show_if, show_place, require,
                            require_place.empty() ? type_place : require_place);
    }

    bool choice(survey::question& q, source_question& src, std::string const& list, bool other,
                std::string const& place) {
        auto it = lists_.find(list);
        if (it == lists_.end()) {
            report_.broken(place, "bad-xlsform", "no choices list `" + list + "`");
            return false;
        }
        detail::namer codes('v');
        if (other) codes.take("other");
        std::string renamed;
        for (auto const& o : it->second) {
            std::string code = codes.take(o.name);
            if (code != o.name) renamed += (renamed.empty() ? "" : ", ") + o.name + " -> " + code;
            survey::translated_text label = o.label;
            if (label.empty() && code != o.name) build_.add_text(label, "", o.name, o.place);
            q.options.push_back({code, std::move(label)});
            value v;
            v.k = value::kind::string;
            v.text = o.name;
            src.options.push_back({code, v.json()});
        }
        if (other) {
            build_.add_text(q.other.emplace(), "", "Other", place);
            src.options.push_back({"other", "\"other\""});
        }
        if (!renamed.empty())
            report_.note(place, "renamed-codes",
                         "choice names that are not Candor names are coded " + renamed);
        return true;
    }

    bool range(survey::question& q, std::string const& name, std::string const& parameters,
               std::string const& place) {
        double start = 1, end = 10, step = 1;
        for (auto const& w : words(parameters)) {
            auto eq = w.find('=');
            std::string key = eq == std::string::npos ? w : w.substr(0, eq);
            std::string v = eq == std::string::npos ? "" : w.substr(eq + 1);
            double d = 0;
            auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
            if (ec != std::errc() || p != v.data() + v.size() || !std::isfinite(d) ||
                (key != "start" && key != "end" && key != "step")) {
                report_.not_carried(place, "unsupported-property",
                                    "the range parameter `" + w + "` cannot be carried over");
                return false;
            }
            (key == "start" ? start : key == "end" ? end : step) = d;
        }
        if (step != 1 || std::floor(start) != start || std::floor(end) != end || !(start < end) ||
            end - start > 100) {
            report_.not_carried(
                place, "unsupported-scale",
                "a range is carried over as a Candor scale: whole numbers in steps of 1, "
                "start below end, at most 100 apart");
            return false;
        }
        bool const nps = start == 0 && end == 10 &&
                         std::any_of(opts_.nps.begin(), opts_.nps.end(),
                                     [&](std::string const& n) { return n == "*" || n == name; });
        q.kind = nps ? survey::question_kind::nps : survey::question_kind::rating;
        q.min = start;
        q.max = end;
        return true;
    }

    // ---- relevant and required expressions (ODK XPath)

    std::string condition(std::string const& text, std::string const& place) {
        return detail::translate(report_, detail::parse_xpath(text), text, place,
                                 [&](node const& n) { return boolean(n); });
    }

    struct operand {
        survey::question const* q = nullptr;
        source_question const* src = nullptr;
    };

    operand question_of(node const& n) {
        if (n.name == ".")
            refuse("unsupported-expression",
                   "`.` (the question itself) has no Candor equivalent here");
        operand out{build_.find(n.name), build_.source(n.name)};
        if (!out.q) {
            if (later(n.name))
                refuse("forward-reference",
                       "`${" + n.name +
                           "}` is asked later; a Candor condition reads only earlier questions");
            refuse("unknown-variable",
                   "`${" + n.name + "}` is no question asked before (a calculation?)");
        }
        return out;
    }

    bool later(std::string const& name) const {
        auto const* s = find_sheet("survey");
        if (!s) return false;
        for (auto const& row : s->rows)
            for (auto const& [col, text] : row.cells)
                if (trim(text) == name) return true;
        return false;
    }

    static bool is_empty_string(node const& n) {
        return n.k == node::kind::literal && n.literal.k == value::kind::string &&
               n.literal.text.empty();
    }

    std::string boolean(node const& n) {
        using K = node::kind;
        if (n.k == K::binary && (n.name == "and" || n.name == "or"))
            return detail::join(n, [&](node const& a) { return boolean(a); });
        if (n.k == K::call) {
            if (n.name == "not" && n.args.size() == 1) return detail::negate(boolean(n.args[0]));
            if ((n.name == "true" || n.name == "false") && n.args.empty())
                return n.name == "true" ? "yes" : "no";
            if (n.name == "selected" && n.args.size() == 2) return selected(n.args[0], n.args[1]);
            refuse("unsupported-function",
                   "the function `" + n.name + "()` has no Candor equivalent");
        }
        if (n.k == K::binary && detail::is_ordering(n.name)) return comparison(n);
        refuse("unsupported-expression", "this is not a condition Candor can carry over");
    }

    std::string selected(node const& q, node const& code) {
        if (q.k != node::kind::variable || code.k != node::kind::literal)
            refuse("unsupported-expression", "selected() takes ${question} and 'choice'");
        auto a = question_of(q);
        using survey::question_kind;
        if (a.q->kind != question_kind::choice_one && a.q->kind != question_kind::choice_many)
            refuse("unsupported-expression", "selected() reads a select_one or select_multiple");
        std::vector<std::string> codes = codes_where(a, [&](std::string const& name) {
            value lit = code.literal;
            if (lit.k == value::kind::number) lit.k = value::kind::string, lit.text = lit.json();
            return xpath_equal(name, lit);
        });
        if (a.q->kind == question_kind::choice_one) return detail::any_code(a.q->id, codes);
        return codes.empty() ? "no" : a.q->id + " contains " + survey::quote(codes.front());
    }

    template <class Test>
    std::vector<std::string> codes_where(operand const& a, Test test) {
        std::vector<std::string> out;
        for (auto const& o : a.src->options) {
            // Option values were stored as JSON strings: "name".
            std::string name =
                o.value.size() >= 2 ? o.value.substr(1, o.value.size() - 2) : o.value;
            std::string unescaped;
            for (std::size_t i = 0; i < name.size(); ++i) {
                if (name[i] == '\\' && i + 1 < name.size()) ++i;
                unescaped += name[i];
            }
            if (test(unescaped)) out.push_back(o.code);
        }
        return out;
    }

    // A number-valued operand in Candor's language: a number question, count-selected(),
    // a literal, or arithmetic over them. XPath's '' is NaN, as Candor's missing answer:
    // both make every comparison false but !=, which is written `not ==`.
    std::string number(node const& n) {
        using K = node::kind;
        using survey::question_kind;
        if (n.k == K::literal) {
            auto d = n.literal.as_number();
            if (!d) refuse("unsupported-expression", "a number is compared with a number");
            return detail::number_text(*d);
        }
        if (n.k == K::variable) {
            auto a = question_of(n);
            if (!survey::is_scale(a.q->kind) && a.q->kind != question_kind::number)
                refuse("unsupported-expression", "`${" + n.name + "}` is not a number");
            return a.q->id;
        }
        if (n.k == K::call && n.name == "count-selected" && n.args.size() == 1 &&
            n.args[0].k == K::variable) {
            auto a = question_of(n.args[0]);
            if (a.q->kind != question_kind::choice_many)
                refuse("unsupported-expression", "count-selected() reads a select_multiple");
            return detail::cat("count(", a.q->id, ")");
        }
        if (n.k == K::unary && n.name == "-") return detail::cat("-(", number(n.args[0]), ")");
        if (n.k == K::binary && (n.name == "+" || n.name == "-" || n.name == "*")) {
            return detail::cat("(", number(n.args[0]), ") ", n.name, " (", number(n.args[1]), ")");
        }
        if (n.k == K::binary && n.name == "/") {
            // Candor's x / 0 has no value, XPath's is infinite: only a non-zero constant.
            auto const& d = n.args[1];
            if (d.k != K::literal || !d.literal.as_number() || *d.literal.as_number() == 0)
                refuse("unsupported-expression", "`div` is carried over only by a non-zero number");
            return detail::cat("(", number(n.args[0]), ") / ", number(d));
        }
        if (n.k == K::call)
            refuse("unsupported-function",
                   "the function `" + n.name + "()` has no Candor equivalent");
        refuse("unsupported-expression", detail::cat("`", n.name, "` has no Candor equivalent"));
    }

    std::string comparison(node const& n) {
        using K = node::kind;
        using survey::question_kind;
        std::string op = n.name;
        node const* left = &n.args[0];
        node const* right = &n.args[1];
        if (left->k == K::literal && right->k != K::literal) {
            std::swap(left, right);
            op = detail::mirror(op);
        }
        // ${q} = '' and ${q} != '': unanswered, answered.
        if (left->k == K::variable && is_empty_string(*right) && (op == "=" || op == "!=")) {
            auto a = question_of(*left);
            return (op == "=" ? "not answered(" : "answered(") + a.q->id + ")";
        }
        if (left->k == K::variable) {
            auto a = question_of(*left);
            switch (a.q->kind) {
                case question_kind::choice_one:
                    return one_choice(a, op, *right);
                case question_kind::choice_many:
                    refuse("unsupported-expression",
                           "a select_multiple is read with selected() or count-selected()");
                case question_kind::text:
                case question_kind::date: {
                    if (right->k != K::literal || right->literal.k != value::kind::string ||
                        (op != "=" && op != "!="))
                        refuse("unsupported-expression",
                               "a text is compared with = or != and a text");
                    return detail::compare_text(a.q->id, op, survey::quote(right->literal.text));
                }
                default:
                    break;
            }
            if (right->k == K::variable && (op == "=" || op == "!=")) {
                std::string const x = number(*left), y = number(*right);
                {
                    // Two empty answers are equal strings in XPath.
                    std::string eq =
                        x + " == " + y + " or not answered(" + x + ") and not answered(" + y + ")";
                    return op == "=" ? eq : detail::negate(eq);
                }
            }
        }
        return detail::compare_text(number(*left), op, number(*right));
    }

    std::string one_choice(operand const& a, std::string const& op, node const& right) {
        if (right.k != node::kind::literal)
            refuse("unsupported-expression", "a select_one is compared with a value");
        value const lit = right.literal;
        std::vector<std::string> codes;
        bool negated = false;
        if (op == "=" || op == "!=") {
            codes = codes_where(a, [&](std::string const& name) { return xpath_equal(name, lit); });
            negated = op == "!=";
        } else {
            auto bound = lit.as_number();
            if (!bound)
                refuse("unsupported-expression", "a select_one is ordered only against a number");
            codes = codes_where(a, [&](std::string const& name) {
                value v;
                v.k = value::kind::string;
                v.text = name;
                auto d = v.as_number();
                if (!d) return false;
                return op == "<"    ? *d < *bound
                       : op == ">"  ? *d > *bound
                       : op == "<=" ? *d <= *bound
                                    : *d >= *bound;
            });
        }
        std::string in = codes.size() == a.src->options.size() && !codes.empty()
                             ? "answered(" + a.q->id + ")"
                             : detail::any_code(a.q->id, codes);
        return negated ? detail::negate(in) : in;
    }

    std::vector<detail::sheet> const& sheets_;
    import_options const& opts_;
    detail::report report_;
    detail::builder build_;
    std::map<std::string, std::vector<option_source>> lists_;
    std::string current_page_;
};

}  // namespace

result<imported> import_xlsform(std::string_view xlsx, import_options const& options,
                                std::string_view file_name) {
    std::string const file(file_name);
    auto sheets = detail::read_xlsx(xlsx, file);
    if (!sheets) return unexpected(std::move(sheets.error()));
    return xls_import(*sheets, options, file).run(file_name);
}

}  // namespace candor::interop
