// Runs the survey grammar statement by statement, so one mistake does not hide the next,
// then lowers the tree into the checked model.
#include "candor/survey/parse.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <tuple>

#include "grammar.hpp"
#include "lower.hpp"
#include "util/x3/config.hpp"

namespace candor::survey {

namespace {

namespace x3 = boost::spirit::x3;
using parser::iterator_type;

error error_at(location where, std::string code, std::string message) {
    return {severity::error, std::move(code), std::move(message), std::move(where)};
}

// Parentheses nested past max_nesting would recurse deeply in the parser: refuse early.
// (Braces do not nest in the language, so only parentheses count.)
char const* too_deep(std::string_view text) {
    std::uint32_t depth = 0;
    bool in_string = false, in_comment = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (in_comment) {
            in_comment = c != '\n';
        } else if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"' || c == '\n')
                in_string = false;
        } else if (c == '#') {
            in_comment = true;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '(') {
            if (++depth > max_nesting) return text.data() + i;
        } else if (c == ')' && depth > 0) {
            --depth;
        }
    }
    return nullptr;
}

void skip_blanks(iterator_type& first, iterator_type last) {
    x3::unused_type unused;
    while (parser::skipper.parse(first, last, unused, unused, unused)) {
    }
}

bool starts_statement(iterator_type p, iterator_type last) {
    static constexpr std::string_view keywords[] = {"question", "page",  "fields",
                                                    "field",    "title", "languages"};
    std::string_view rest(p, static_cast<std::size_t>(last - p));
    for (auto k : keywords) {
        if (rest.substr(0, k.size()) == k &&
            (rest.size() == k.size() ||
             !(std::isalnum(static_cast<unsigned char>(rest[k.size()])) || rest[k.size()] == '_')))
            return true;
    }
    return false;
}

bool only_blanks_after(iterator_type p, iterator_type last) {
    skip_blanks(p, last);
    return p == last;
}

// After a syntax error: the next line that starts a statement, or the survey's final `}`.
iterator_type resume_point(iterator_type from, iterator_type last) {
    iterator_type p = from;
    while (p != last) {
        while (p != last && *p != '\n') ++p;
        if (p == last) break;
        ++p;
        iterator_type q = p;
        while (q != last && (*q == ' ' || *q == '\t' || *q == '\r')) ++q;
        if (starts_statement(q, last)) return q;
        if (q != last && *q == '}' && only_blanks_after(q + 1, last)) return q;
    }
    return last;
}

}  // namespace

result<survey> parse(std::string_view text, std::string_view file_name) {
    source_map source(text, file_name);
    errors diags;
    auto fail = [&](error d) {
        diags.push_back(std::move(d));
        return result<survey>(unexpected(std::move(diags)));
    };
    if (text.size() > max_survey_bytes)
        return fail(error_at(
            source.at(std::size_t{0}), "too-large",
            "a survey file may hold at most " + std::to_string(max_survey_bytes >> 20) + " MiB"));
    if (auto bad = util::first_bad_byte(text))
        return fail(error_at(source.at(bad), "encoding",
                             "not a survey: the file holds a byte that is neither text nor "
                             "UTF-8"));
    if (auto deep = too_deep(text))
        return fail(error_at(source.at(deep), "too-deep",
                             "nested more than " + std::to_string(max_nesting) + " levels deep"));

    iterator_type first = text.data();
    iterator_type const last = text.data() + text.size();
    if (text.substr(0, 3) == "\xEF\xBB\xBF") first += 3;  // a byte order mark some editors add

    parser::tracker tracker(text.data());
    // A named wrapper: x3::with keeps a reference to it, so it must outlive the parsers.
    std::reference_wrapper<parser::tracker> tracker_ref(tracker);
    auto const with_tracker = x3::with<x3::error_handler_tag>(tracker_ref);

    ast::header header;
    if (!x3::phrase_parse(first, last, with_tracker[parser::header()], parser::skipper, header)) {
        auto where = tracker.has_error() ? tracker.where() : first;
        return fail(error_at(source.at(where), "syntax",
                             tracker.has_error()
                                 ? tracker.what()
                                 : "a survey starts with: survey \"id\" version N {"));
    }

    std::vector<ast::statement> statements;
    for (;;) {
        skip_blanks(first, last);
        if (first == last) {
            diags.push_back(
                error_at(source.at(first), "syntax", "the survey's closing } is missing"));
            break;
        }
        if (*first == '}') {
            if (!only_blanks_after(first + 1, last))
                diags.push_back(error_at(source.at(first + 1), "syntax",
                                         "nothing may follow the survey's closing }"));
            break;
        }
        iterator_type const start = first;
        tracker.clear();
        ast::statement statement;
        if (x3::phrase_parse(first, last, with_tracker[parser::statement()], parser::skipper,
                             statement)) {
            statements.push_back(std::move(statement));
            continue;
        }
        diags.push_back(
            error_at(source.at(tracker.has_error() ? tracker.where() : start), "syntax",
                     tracker.has_error()
                         ? tracker.what()
                         : "expected a statement: languages, title, field, page or question"));
        if (diags.size() >= max_diagnostics) break;
        first = resume_point(std::max(start, tracker.has_error() ? tracker.where() : start), last);
    }

    survey result = lower(header, statements, source, diags);
    // Found in passes (syntax, then statements, then conditions); read in file order.
    std::stable_sort(diags.begin(), diags.end(), [](error const& a, error const& b) {
        return std::tie(a.where.line, a.where.column) < std::tie(b.where.line, b.where.column);
    });
    if (has_errors(diags)) return unexpected(std::move(diags));
    result.warnings = std::move(diags);
    return result;
}

result<expr> parse_condition(std::string_view text, survey const& s, location origin) {
    source_map source(text, origin.file);
    errors diags;
    // Positions within the text, moved to where the text stands in its file.
    auto place = [&](errors& all) {
        for (auto& d : all) {
            if (origin.line == 0) continue;
            if (d.where.line == 1) d.where.column += origin.column - 1;
            d.where.line += origin.line - 1;
        }
        return unexpected(std::move(all));
    };
    if (auto bad = util::first_bad_byte(text))
        diags.push_back(error_at(source.at(bad), "encoding", "a condition must be UTF-8 text"));
    else if (auto deep = too_deep(text))
        diags.push_back(
            error_at(source.at(deep), "too-deep",
                     "nested more than " + std::to_string(max_nesting) + " levels deep"));
    if (!diags.empty()) return place(diags);

    iterator_type first = text.data();
    iterator_type const last = text.data() + text.size();
    parser::tracker tracker(text.data());
    std::reference_wrapper<parser::tracker> tracker_ref(tracker);
    ast::expression tree;
    bool const ok = x3::phrase_parse(
        first, last, x3::with<x3::error_handler_tag>(tracker_ref)[parser::expression()],
        parser::skipper, tree);
    if (!ok || first != last || tracker.has_error()) {
        auto where = tracker.has_error() ? tracker.where() : first;
        diags.push_back(
            error_at(source.at(where), "syntax",
                     tracker.has_error() ? tracker.what() : "expected the end of the condition"));
        return place(diags);
    }
    auto condition = lower_condition(tree, s, source, diags);
    if (!condition || has_errors(diags)) return place(diags);
    return std::move(*condition);
}

result<survey> parse_file(std::string const& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    if (in) buffer << in.rdbuf();
    if (!in || in.bad()) {
        return unexpected(errors{{severity::error, "io", "cannot read " + path, {path, 0, 0}}});
    }
    return parse(buffer.str(), path);
}

}  // namespace candor::survey
