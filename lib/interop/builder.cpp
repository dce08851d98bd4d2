#include "builder.hpp"

#include <algorithm>

#include "candor/survey/parse.hpp"

namespace candor::interop::detail {

void report::not_carried(std::string place, std::string code, std::string message) {
    error e;
    e.level = lenient_ ? severity::warning : severity::error;
    e.code = std::move(code);
    e.message = lenient_ ? message + "; dropped" : std::move(message);
    e.where.file = file_;
    e.where.field = std::move(place);
    failed_ = failed_ || !lenient_;
    all_.push_back(std::move(e));
}

void report::note(std::string place, std::string code, std::string message) {
    all_.push_back({severity::warning,
                    std::move(code),
                    std::move(message),
                    {.file = file_, .field = std::move(place)}});
}

void report::broken(std::string place, std::string code, std::string message) {
    failed_ = true;
    all_.push_back({severity::error,
                    std::move(code),
                    std::move(message),
                    {.file = file_, .field = std::move(place)}});
}

namespace {

bool reserved(std::string_view w) {
    for (auto r : {"and", "or", "not", "in", "contains", "yes", "no", "answered", "count", "any",
                   "all", "survey", "question", "page", "title", "languages", "field", "fields"})
        if (w == r) return true;
    return false;
}

bool alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool digit(char c) {
    return c >= '0' && c <= '9';
}

}  // namespace

bool is_name(std::string_view s) {
    if (s.empty() || !(alpha(s[0]) || s[0] == '_')) return false;
    for (char c : s)
        if (!(alpha(c) || digit(c) || c == '_')) return false;
    return !reserved(s);
}

std::string make_name(std::string_view source, char prefix) {
    std::string out;
    for (char c : source) {
        if (alpha(c) || digit(c) || c == '_')
            out += c;
        else if (c == '-' && out.empty())
            out += 'm';  // -1 -> m1, not _1
        else if (out.empty() || out.back() != '_')
            out += '_';
    }
    while (out.size() > 1 && out.back() == '_') out.pop_back();
    if (out.empty() || out == "_") out = std::string(1, prefix);
    if (digit(out[0])) out.insert(out.begin(), prefix);
    if (reserved(out)) out += '_';
    return out;
}

bool is_language_code(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && s[i] >= 'a' && s[i] <= 'z') ++i;
    if (i < 2 || i > 3) return false;
    while (i < s.size()) {
        if (s[i] != '-') return false;
        std::size_t j = ++i;
        while (j < s.size() && (alpha(s[j]) || digit(s[j]))) ++j;
        if (j - i < 2 || j - i > 8) return false;
        i = j;
    }
    return true;
}

std::string namer::take(std::string_view source) {
    std::string base = make_name(source, prefix_);
    std::string name = base;
    for (int n = 2; used_.count(name); ++n) name = base + "_" + std::to_string(n);
    used_.insert(name);
    return name;
}

builder::builder(report& r, std::string default_language)
    : r_(r), default_language_(std::move(default_language)) {
    languages_.push_back(default_language_);
}

void builder::add_text(survey::translated_text& t, std::string language, std::string text,
                       std::string const& place) {
    if (language.empty()) language = default_language_;
    if (!is_language_code(language)) {
        r_.not_carried(place, "bad-language",
                       "`" + language + "` is not a language code Candor takes (en, fr, pt-BR)");
        return;
    }
    if (t.has(language)) {
        r_.note(place, "duplicate-translation",
                "two texts in `" + language + "`: the first is kept");
        return;
    }
    if (std::find(languages_.begin(), languages_.end(), language) == languages_.end())
        languages_.push_back(language);
    t.by_language.emplace_back(std::move(language), std::move(text));
}

std::string builder::add_page(std::string_view source_name, survey::translated_text title) {
    std::string id = pages_.take(source_name);
    s_.pages.push_back({id, std::move(title)});
    return id;
}

std::string builder::question_id(std::string_view source_name, std::string const& place) {
    std::string id = ids_.take(source_name);
    if (id != source_name) {
        // Appended piece by piece: g++ 12 warns falsely (-Wrestrict) on one long `+` chain.
        std::string message = "`";
        message.append(source_name).append("` is named `").append(id);
        message += "` in Candor (a name is letters, digits and _)";
        r_.note(place, "renamed", std::move(message));
    }
    return id;
}

survey::question const* builder::find(std::string_view source_name) const {
    for (std::size_t i = 0; i < sources_.size(); ++i)
        if (sources_[i].name == source_name) return &s_.questions[i];
    return nullptr;
}

source_question const* builder::source(std::string_view source_name) const {
    for (auto const& q : sources_)
        if (q.name == source_name) return &q;
    return nullptr;
}

std::optional<survey::expr> builder::condition(std::string const& text, std::string const& place) {
    if (text.empty()) return std::nullopt;
    auto e = survey::parse_condition(text, s_);
    if (e && e->nodes.size() > max_condition_nodes) {
        r_.not_carried(place, "too-large",
                       "the condition has more than " + std::to_string(max_condition_nodes) +
                           " terms and operators");
        return std::nullopt;
    }
    if (e) return std::move(*e);
    std::string why;
    for (auto const& d : e.error())
        if (d.level == severity::error) why += (why.empty() ? "" : "; ") + d.message;
    r_.not_carried(place, "unsupported-expression",
                   "the condition, written in Candor as `" + text + "`, does not check: " + why);
    return std::nullopt;
}

void builder::add_question(survey::question q, source_question src, std::string show_if,
                           std::string const& show_place, std::string require_if,
                           std::string const& require_place) {
    // Candor's texts always have a limit; the model spells out the default one.
    if (q.kind == survey::question_kind::text && q.max_length == 0)
        q.max_length = survey::default_text_max_length;
    q.show_if = condition(show_if, show_place);
    q.require_if = condition(require_if, require_place);
    s_.questions.push_back(std::move(q));
    s_.reindex();
    sources_.push_back(std::move(src));
}

result<imported> builder::finish() {
    // Pages every question of which was dropped are dropped too.
    std::erase_if(s_.pages, [&](survey::page const& p) {
        bool const used = std::any_of(s_.questions.begin(), s_.questions.end(),
                                      [&](survey::question const& q) { return q.page == p.id; });
        if (!used) r_.note({}, "empty-page", "page `" + p.id + "` has no question left: dropped");
        return !used;
    });
    if (s_.questions.empty()) r_.broken({}, "no-questions", "no question could be carried over");
    if (r_.failed()) return fail(std::move(r_.all()));

    s_.languages = languages_;
    s_.fallback_language = default_language_;
    imported out;
    out.text = survey::format(s_);

    // The checker's diagnostics point into the generated text: move them to the source
    // question whose line they are on.
    std::vector<std::size_t> line_question;  // per line of the text, the question on it
    std::size_t current = sources_.size();
    for (std::size_t at = 0, q = 0; at < out.text.size();) {
        std::size_t end = out.text.find('\n', at);
        if (end == std::string::npos) end = out.text.size();
        if (out.text.compare(at, 11, "  question ") == 0 && q < sources_.size()) current = q++;
        line_question.push_back(current);
        at = end + 1;
    }
    auto move_to_source = [&](errors diags) {
        for (auto& d : diags) {
            std::size_t const line = d.where.line;
            std::size_t const q = line > 0 && line <= line_question.size() ? line_question[line - 1]
                                                                           : sources_.size();
            std::string place = q < sources_.size() ? sources_[q].place : std::string();
            std::string message = d.message;
            if (q < sources_.size()) message = "`" + sources_[q].name + "`: " + message;
            d.where = {.file = r_.file(), .field = std::move(place)};
            d.message = std::move(message);
            r_.all().push_back(std::move(d));
        }
    };
    auto parsed = survey::parse(out.text, r_.file());
    if (!parsed) {
        move_to_source(std::move(parsed.error()));
        return fail(std::move(r_.all()));
    }
    move_to_source(std::move(parsed->warnings));
    parsed->warnings.clear();
    out.survey = std::move(*parsed);
    out.questions = std::move(sources_);
    out.notes = std::move(r_.all());
    return out;
}

}  // namespace candor::interop::detail
