// From syntax tree to checked survey. Statements are lowered in order; conditions last,
// once every question is known, so a forward reference gets its own clear message.
#include "lower.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <stdexcept>
#include <unordered_map>

namespace candor::survey {

namespace {

namespace x3 = boost::spirit::x3;

bool is_numeric(value_type t) {
    return t == value_type::number;
}

std::string_view describe(value_type t) {
    switch (t) {
        case value_type::boolean:
            return "yes/no";
        case value_type::number:
            return "a number";
        case value_type::text:
            return "text";
        case value_type::choice:
            return "a choice";
        case value_type::choices:
            return "a set of choices";
    }
    return "a value";
}

struct kind_info {
    std::string_view name;
    question_kind kind;
};
constexpr kind_info kinds[] = {
    {"nps", question_kind::nps},       {"csat", question_kind::csat},
    {"ces", question_kind::ces},       {"rating", question_kind::rating},
    {"likert", question_kind::likert}, {"choice", question_kind::choice_one},
    {"yesno", question_kind::yesno},   {"text", question_kind::text},
    {"number", question_kind::number}, {"date", question_kind::date},
    {"email", question_kind::email},   {"phone", question_kind::phone},
};

value_type type_of(question_kind k) {
    switch (k) {
        case question_kind::yesno:
            return value_type::boolean;
        case question_kind::text:
        case question_kind::date:
        case question_kind::email:
        case question_kind::phone:
            return value_type::text;
        case question_kind::choice_one:
            return value_type::choice;
        case question_kind::choice_many:
            return value_type::choices;
        default:
            return value_type::number;
    }
}

// A typed subexpression under construction. `name` is set for a bare word that named no
// question or field: it may still be an option code, once the other side is known.
struct typed {
    std::uint32_t node = 0;
    value_type type = value_type::number;
    int choice_question = -1;  // for choice types: the question whose codes apply
    ast::name_ref const* name = nullptr;
    // any(q, ...) / all(q, ...): the questions, not yet emitted. A comparison with a group
    // is written out as one comparison per question joined by or / and, exactly as if the
    // user had written them, so formatting and parsing again gives the same tree.
    std::vector<std::uint32_t> group;
    bool all = false;
    bool ok = true;
};

class lowering {
  public:
    lowering(source_map const& source, errors& out) : source_(source), out_(out) {}

    survey run(ast::header const& header, std::vector<ast::statement> const& statements);
    std::optional<expr> standalone(ast::expression const& e, survey const& s);

  private:
    location at(x3::position_tagged const& node) const {
        return source_.at(static_cast<std::size_t>(std::max(node.id_first, 0)));
    }
    void report(severity level, x3::position_tagged const& node, std::string code,
                std::string message) {
        if (out_.size() < max_diagnostics)
            out_.push_back({level, std::move(code), std::move(message), at(node)});
    }
    void error(x3::position_tagged const& node, std::string code, std::string message) {
        report(severity::error, node, std::move(code), std::move(message));
    }
    void warning(x3::position_tagged const& node, std::string code, std::string message) {
        report(severity::warning, node, std::move(code), std::move(message));
    }

    void languages(ast::languages_stmt const& s);
    translated_text text(ast::text const& t, x3::position_tagged const& owner);
    void add_question(ast::question_stmt const& s);
    void lower_kind(ast::kind_spec const& k, question& q);
    void lower_attribute(ast::attribute const& a, question& q);
    void conditions();
    void check_pipes();
    void check_shown();
    std::optional<double> number(std::string const& text, x3::position_tagged const& node);

    // Expressions.
    std::optional<expr> condition(ast::expression const& e, std::size_t owner);
    typed lower(ast::expression const& e);
    typed lower(ast::operand const& o);
    typed lower(ast::unary const& u);
    typed apply(ast::optoken op, typed left, ast::operand const& right_ast,
                x3::position_tagged const& where);
    typed resolve_name(ast::name_ref const& n);
    bool settle_code(typed& t, typed const& other, x3::position_tagged const& where);
    typed emit(expr::node n, value_type type, int choice_question = -1) {
        expr_.nodes.push_back(std::move(n));
        typed t;
        t.node = static_cast<std::uint32_t>(expr_.nodes.size() - 1);
        t.type = type;
        t.choice_question = choice_question;
        return t;
    }
    typed failed() {
        typed t;
        t.ok = false;
        return t;
    }

    source_map const& source_;
    errors& out_;
    survey s_;
    std::unordered_map<std::string, std::size_t> question_ids_;
    std::unordered_map<std::string, std::size_t> field_ids_;
    std::vector<ast::question_stmt const*> question_ast_;
    std::vector<std::vector<std::size_t>> depends_on_;  // question -> questions its show_if reads
    std::string current_page_;
    bool seen_max_ = false;  // of the question being lowered
    bool seen_min_ = false;
    bool has_languages_ = false;
    bool has_title_ = false;

    // State of the expression being lowered.
    expr expr_;
    std::size_t owner_ = 0;
};

std::optional<double> lowering::number(std::string const& text, x3::position_tagged const& node) {
    double v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size()) {
        error(node, "bad-number", "`" + text + "` is not a number Candor can hold");
        return std::nullopt;
    }
    return v;
}

void lowering::languages(ast::languages_stmt const& s) {
    if (has_languages_) {
        error(s, "duplicate-statement", "`languages` may be written only once");
        return;
    }
    has_languages_ = true;
    s_.languages.clear();
    for (auto const& l : s.languages) {
        if (std::find(s_.languages.begin(), s_.languages.end(), l.name) != s_.languages.end())
            error(l, "duplicate-language", "language `" + l.name + "` is listed twice");
        else
            s_.languages.push_back(l.name);
    }
    if (s.default_language) {
        auto const& d = s.default_language->name;
        auto it = std::find(s_.languages.begin(), s_.languages.end(), d);
        if (it == s_.languages.end()) {
            error(*s.default_language, "unknown-language",
                  "the default language `" + d + "` is not among the listed languages");
        } else {
            std::rotate(s_.languages.begin(), it, it + 1);  // the default comes first
        }
    }
    s_.fallback_language = s_.languages.front();
}

translated_text lowering::text(ast::text const& t, x3::position_tagged const& owner) {
    translated_text out;
    for (auto const& e : t) {
        std::string lang = e.language.empty() ? s_.default_language() : e.language;
        if (std::find(s_.languages.begin(), s_.languages.end(), lang) == s_.languages.end()) {
            error(e, "unknown-language", "language `" + lang + "` is not declared in `languages`");
            continue;
        }
        if (out.has(lang)) {
            error(e, "duplicate-translation", "this text is given twice in `" + lang + "`");
            continue;
        }
        out.by_language.emplace_back(lang, e.text);
    }
    for (auto const& lang : s_.languages)
        if (!out.empty() && !out.has(lang))
            warning(owner, "missing-translation", "no `" + lang + "` translation of this text");
    return out;
}

void lowering::lower_kind(ast::kind_spec const& k, question& q) {
    auto const* info = std::find_if(std::begin(kinds), std::end(kinds),
                                    [&](kind_info const& i) { return i.name == k.name.name; });
    if (info == std::end(kinds)) {
        error(k.name, "unknown-kind",
              "unknown question kind `" + k.name.name +
                  "`; the kinds are nps, csat, ces, rating, likert, choice, yesno, text, number, "
                  "date, email, phone");
        q.kind = question_kind::text;
        return;
    }
    q.kind = info->kind;
    bool const choice = q.kind == question_kind::choice_one;
    if (choice) {
        if (!k.mode) {
            error(k, "choice-mode", "say `choice one of (...)` or `choice many of (...)`");
        } else if (*k.mode == "many") {
            q.kind = question_kind::choice_many;
        }
        if (k.options.empty())
            error(k, "empty-choices", "a choice needs options: choice one of (a \"A\", b \"B\")");
        for (auto const& o : k.options) {
            if (q.option(o.code.name)) {
                error(o.code, "duplicate-option", "option `" + o.code.name + "` is listed twice");
                continue;
            }
            q.options.push_back({o.code.name, o.label ? text(*o.label, o) : translated_text{}});
        }
    } else if (k.mode || !k.options.empty()) {
        error(k, "not-a-choice", "`one`, `many` and `of (...)` belong to choice questions");
    }

    switch (q.kind) {
        case question_kind::nps:
            q.min = 0, q.max = 10;
            break;
        case question_kind::csat:
            q.min = 1, q.max = 5;
            break;
        case question_kind::ces:
            q.min = 1, q.max = 7;
            break;
        case question_kind::likert:
            q.min = 1, q.max = 5;
            break;
        default:
            break;
    }
    bool const takes_range = q.kind == question_kind::rating || q.kind == question_kind::likert ||
                             q.kind == question_kind::number;
    if (k.bounds && !takes_range) {
        bool const fixed = is_scale(q.kind);
        error(*k.bounds, "no-range",
              fixed ? "a " + std::string(to_string(q.kind)) +
                          " question has a fixed scale; remove the range"
                    : "a " + std::string(to_string(q.kind)) + " question takes no range");
    } else if (q.kind == question_kind::likert) {
        if (k.bounds && (k.bounds->high || (k.bounds->low != "5" && k.bounds->low != "7")))
            error(*k.bounds, "bad-range",
                  "a likert scale has 5 or 7 points: `likert 5` or `likert 7`");
        else if (k.bounds)
            q.max = k.bounds->low == "7" ? 7 : 5;
    } else if (k.bounds) {
        if (!k.bounds->high) {
            error(*k.bounds, "bad-range", "write the range as low..high, e.g. 1..5");
        } else {
            auto lo = number(k.bounds->low, *k.bounds);
            auto hi = number(*k.bounds->high, *k.bounds);
            if (lo && hi) {
                q.min = *lo, q.max = *hi, q.has_range = true;
                if (*lo >= *hi)
                    error(*k.bounds, "bad-range", "the range's low end must be below its high end");
                if (q.kind == question_kind::rating &&
                    (*lo != std::floor(*lo) || *hi != std::floor(*hi) || *hi - *lo > 100))
                    error(*k.bounds, "bad-range",
                          "a rating runs between whole numbers, at most 100 steps apart");
            }
        }
    } else if (q.kind == question_kind::rating) {
        error(k, "bad-range", "a rating needs its scale, e.g. `rating 1..5`");
    }
    if (k.number_type) {
        if (q.kind != question_kind::number)
            error(k, "not-a-number", "`integer` and `decimal` belong to number questions");
        else
            q.integer = *k.number_type == "integer";
    }
    if (q.kind == question_kind::number && !k.number_type) q.integer = false;
    if (q.kind == question_kind::number && q.integer && q.has_range &&
        (q.min != std::floor(q.min) || q.max != std::floor(q.max)))
        error(k, "bad-range", "an integer question needs a range of whole numbers");
    if (q.kind == question_kind::email || q.kind == question_kind::phone) q.personal = true;
}

void lowering::lower_attribute(ast::attribute const& a, question& q) {
    struct visitor {
        lowering& self;
        question& q;
        bool& seen_max;
        bool& seen_min;
        void operator()(ast::condition_attr const& c) const {
            bool const show = c.keyword == "show";
            bool const seen = show ? q.show_if.has_value() : q.require_if.has_value();
            if (seen) {
                self.error(c, "duplicate-attribute", "`" + c.keyword + " if` is written twice");
                return;
            }
            // A placeholder: conditions are lowered once every question is known.
            (show ? q.show_if : q.require_if) = expr{};
        }
        void operator()(ast::value_attr const& v) const {
            if (v.keyword == "required") {
                if (q.required) self.error(v, "duplicate-attribute", "`required` is written twice");
                q.required = true;
            } else if (v.keyword == "personal") {
                if (q.kind != question_kind::text)
                    self.error(v, "not-personal",
                               "`personal` marks text questions; email and phone always are");
                q.personal = true;
            } else {
                auto n = self.number(v.value, v);
                if (!n) return;
                if (*n < 0 || *n != std::floor(*n) || *n > 1e9) {
                    self.error(v, "bad-limit", "`" + v.keyword + "` takes a whole number");
                    return;
                }
                auto const limit = static_cast<std::uint32_t>(*n);
                auto& seen = v.keyword == "max" ? seen_max : seen_min;
                if (seen) {
                    self.error(v, "duplicate-attribute", "`" + v.keyword + "` is written twice");
                    return;
                }
                seen = true;
                if (q.kind == question_kind::text && v.keyword == "max") {
                    if (limit == 0)
                        self.error(v, "bad-limit", "a text's maximum length must be above 0");
                    q.max_length = limit;
                } else if (q.kind == question_kind::choice_many) {
                    (v.keyword == "max" ? q.max_selections : q.min_selections) = limit;
                } else {
                    self.error(v, "bad-limit",
                               "`" + v.keyword +
                                   " N` applies to text (max length) and choice many "
                                   "(selections)");
                }
            }
        }
        void operator()(ast::labels_attr const& l) const {
            if (q.kind != question_kind::rating && q.kind != question_kind::likert &&
                q.kind != question_kind::nps && q.kind != question_kind::csat &&
                q.kind != question_kind::ces) {
                self.error(l, "no-labels", "`labels` name the ends of a scale question");
                return;
            }
            if (!q.end_labels.empty()) {
                self.error(l, "duplicate-attribute", "`labels` is written twice");
                return;
            }
            q.end_labels = {self.text(l.low, l), self.text(l.high, l)};
        }
        void operator()(ast::prompt_attr const& p) const {
            if (!q.prompt.empty()) {
                self.error(p, "duplicate-attribute", "the question's text is written twice");
                return;
            }
            q.prompt = self.text(p.value, p);
        }
        void operator()(ast::other_attr const& o) const {
            if (q.kind != question_kind::choice_one && q.kind != question_kind::choice_many) {
                self.error(o, "not-a-choice", "`other` belongs to choice questions");
                return;
            }
            if (q.other) {
                self.error(o, "duplicate-attribute", "`other` is written twice");
                return;
            }
            if (q.option("other"))
                self.error(o, "duplicate-option",
                           "`other` adds an option coded `other`, and one is listed already");
            q.other = self.text(o.label, o);
        }
    };
    boost::apply_visitor(visitor{*this, q, seen_max_, seen_min_}, a);
}

void lowering::add_question(ast::question_stmt const& s) {
    auto const& id = s.id.name;
    if (question_ids_.count(id)) {
        auto first = question_ast_[question_ids_[id]];
        auto where = at(*first);
        error(s.id, "duplicate-question",
              "question `" + id + "` is already defined at line " + std::to_string(where.line));
        return;
    }
    if (field_ids_.count(id)) {
        error(s.id, "duplicate-question", "`" + id + "` is already a device field");
        return;
    }
    question q;
    q.id = id;
    q.page = current_page_;
    q.where = at(s.id);
    lower_kind(s.kind, q);
    std::size_t const index = s_.questions.size();
    seen_max_ = seen_min_ = false;
    for (auto const& a : s.attributes) lower_attribute(a, q);
    if (q.min_selections && q.max_selections && q.min_selections > q.max_selections)
        error(s, "bad-limit", "`min` selections is above `max`");
    if (q.max_selections > q.options.size() + (q.other ? 1 : 0))
        error(s, "bad-limit", "`max` selections is above the number of options");
    if (q.kind == question_kind::text && q.max_length == 0) q.max_length = default_text_max_length;
    if (q.required && q.require_if)
        warning(s, "redundant-require", "`required` already makes `require if` redundant");
    if (q.prompt.empty())
        warning(s, "missing-prompt", "question `" + id + "` has no text; its id will be shown");
    question_ids_[id] = index;
    question_ast_.push_back(&s);
    s_.questions.push_back(std::move(q));
}

survey lowering::run(ast::header const& header, std::vector<ast::statement> const& statements) {
    s_.id = header.id;
    if (s_.id.empty()) error(header, "bad-id", "the survey id must not be empty");
    std::uint32_t version = 0;
    auto [p, ec] = std::from_chars(header.version.data(),
                                   header.version.data() + header.version.size(), version);
    if (ec != std::errc() || version == 0)
        error(header, "bad-version", "the version is a whole number from 1 to 4294967295");
    s_.version = version;
    s_.languages = {"en"};
    s_.fallback_language = "en";

    // Languages first: bare texts anywhere belong to the default language.
    for (auto const& st : statements)
        if (auto const* l = boost::get<ast::languages_stmt>(&st)) languages(*l);

    struct visitor {
        lowering& self;
        void operator()(ast::languages_stmt const&) const {}
        void operator()(ast::title_stmt const& t) const {
            if (self.has_title_)
                self.error(t, "duplicate-statement", "`title` may be written only once");
            self.has_title_ = true;
            self.s_.title = self.text(t.title, t);
        }
        void operator()(ast::fields_stmt const& f) const {
            for (auto const& [n, optional] : f.names) {
                if (self.field_ids_.count(n.name) || self.question_ids_.count(n.name)) {
                    self.error(n, "duplicate-field", "`" + n.name + "` is already defined");
                    continue;
                }
                self.field_ids_[n.name] = self.s_.fields.size();
                self.s_.fields.push_back(n.name);
                if (optional) self.s_.optional_fields.push_back(n.name);
            }
        }
        void operator()(ast::page_stmt const& p) const {
            for (auto const& existing : self.s_.pages)
                if (existing.id == p.id.name)
                    self.error(p.id, "duplicate-page", "page `" + p.id.name + "` is defined twice");
            self.s_.pages.push_back(
                {p.id.name, p.title ? self.text(*p.title, p) : translated_text{}});
            self.current_page_ = p.id.name;
        }
        void operator()(ast::question_stmt const& q) const { self.add_question(q); }
    };
    for (auto const& st : statements) boost::apply_visitor(visitor{*this}, st);

    if (s_.questions.empty() && !has_errors(out_))
        error(header, "no-questions", "the survey has no questions");
    for (auto const& p : s_.pages)
        if (std::none_of(s_.questions.begin(), s_.questions.end(),
                         [&](question const& q) { return q.page == p.id; }))
            error(header, "empty-page", "page `" + p.id + "` has no questions");
    if (!s_.pages.empty() && !s_.questions.empty() && s_.questions.front().page.empty())
        error(*question_ast_.front(), "outside-page",
              "once a survey has pages, every question must follow a `page`");
    conditions();
    check_pipes();
    check_shown();
    s_.reindex();
    return std::move(s_);
}

// ---- Conditions

std::optional<expr> lowering::standalone(ast::expression const& e, survey const& s) {
    s_ = s;
    for (std::size_t i = 0; i < s_.questions.size(); ++i) question_ids_[s_.questions[i].id] = i;
    for (std::size_t i = 0; i < s_.fields.size(); ++i) field_ids_[s_.fields[i]] = i;
    depends_on_.assign(s_.questions.size() + 1, {});
    return condition(e, s_.questions.size());  // owner past the end: every question is earlier
}

void lowering::conditions() {
    depends_on_.assign(s_.questions.size(), {});
    for (std::size_t i = 0; i < s_.questions.size(); ++i) {
        for (auto const& a : question_ast_[i]->attributes) {
            auto const* c = boost::get<ast::condition_attr>(&a);
            if (!c) continue;
            auto& slot =
                c->keyword == "show" ? s_.questions[i].show_if : s_.questions[i].require_if;
            if (!slot || !slot->empty()) continue;  // a duplicate, reported already
            auto lowered = condition(c->condition, i);
            if (lowered)
                slot = std::move(*lowered);
            else
                slot.reset();
        }
    }
    // Cycles: a question shown only if a later one (directly or not) is answered.
    std::vector<int> state(s_.questions.size(), 0);  // 0 new, 1 on the path, 2 done
    std::vector<bool> reported(s_.questions.size(), false);
    auto visit = [&](auto&& self, std::size_t q) -> void {
        state[q] = 1;
        for (auto d : depends_on_[q]) {
            if (state[d] == 1 && !reported[d]) {
                reported[d] = true;
                error(*question_ast_[d], "condition-cycle",
                      "the conditions of `" + s_.questions[d].id +
                          "` depend on themselves "
                          "(through `" +
                          s_.questions[q].id + "`)");
            } else if (state[d] == 0) {
                self(self, d);
            }
        }
        state[q] = 2;
    };
    for (std::size_t q = 0; q < s_.questions.size(); ++q)
        if (state[q] == 0) visit(visit, q);
}

std::optional<expr> lowering::condition(ast::expression const& e, std::size_t owner) {
    expr_ = expr{};
    owner_ = owner;
    expr_.where = at(e);
    typed t = lower(e);
    if (!t.ok) return std::nullopt;
    if (t.name) {
        error(*t.name, "unknown-name", "no question or field is named `" + t.name->name + "`");
        return std::nullopt;
    }
    if (!t.group.empty() || t.type != value_type::boolean) {
        error(e, "type-mismatch",
              "a condition must be true or false, not " + std::string(describe(t.type)));
        return std::nullopt;
    }
    return std::move(expr_);
}

typed lowering::resolve_name(ast::name_ref const& n) {
    if (auto it = question_ids_.find(n.name); it != question_ids_.end()) {
        std::size_t q = it->second;
        if (q == owner_) {
            error(n, "condition-cycle", "the condition of `" + n.name + "` reads its own answer");
            return failed();
        }
        depends_on_[owner_].push_back(q);
        if (q > owner_) {
            error(n, "forward-reference",
                  "`" + n.name + "` comes after `" + s_.questions[owner_].id +
                      "`; a condition may only read earlier answers");
            return failed();
        }
        expr::node node;
        node.op = opcode::question;
        node.a = static_cast<std::uint32_t>(q);
        auto type = type_of(s_.questions[q].kind);
        node.type = type;
        return emit(std::move(node), type, static_cast<int>(q));
    }
    if (auto it = field_ids_.find(n.name); it != field_ids_.end()) {
        expr::node node;
        node.op = opcode::field;
        node.a = static_cast<std::uint32_t>(it->second);
        node.type = value_type::text;
        return emit(std::move(node), value_type::text);
    }
    // Maybe an option code: the comparison that holds it decides.
    expr::node node;
    node.op = opcode::text;
    node.text = n.name;
    node.type = value_type::text;
    typed t = emit(std::move(node), value_type::text);
    t.name = &n;
    return t;
}

typed lowering::lower(ast::operand const& o) {
    struct visitor {
        lowering& self;
        typed operator()(ast::nil const&) const { return self.failed(); }
        typed operator()(ast::number_literal const& n) const {
            auto v = self.number(n.text, n);
            if (!v) return self.failed();
            expr::node node;
            node.op = opcode::number;
            node.number = *v;
            return self.emit(std::move(node), value_type::number);
        }
        typed operator()(ast::string_literal const& s) const {
            expr::node node;
            node.op = opcode::text;
            node.type = value_type::text;
            node.text = s.text;
            return self.emit(std::move(node), value_type::text);
        }
        typed operator()(ast::bool_literal const& b) const {
            expr::node node;
            node.op = opcode::boolean;
            node.type = value_type::boolean;
            node.number = b.value ? 1 : 0;
            return self.emit(std::move(node), value_type::boolean);
        }
        typed operator()(ast::name_ref const& n) const { return self.resolve_name(n); }
        typed operator()(ast::call const& c) const {
            bool const grouping = c.function == "any" || c.function == "all";
            if (!grouping && c.arguments.size() != 1) {
                self.error(c, "bad-call", "`" + c.function + "` takes one question");
                return self.failed();
            }
            typed group;
            for (auto const& arg : c.arguments) {
                typed q = self.resolve_name(arg);
                if (!q.ok) return q;
                if (q.name || self.expr_.nodes[q.node].op != opcode::question) {
                    self.error(arg, "unknown-name", "no question is named `" + arg.name + "`");
                    return self.failed();
                }
                self.expr_.nodes.pop_back();  // the call refers to the question; no node of its own
                if (grouping) {
                    if (!group.group.empty() && q.type != group.type) {
                        self.error(arg, "type-mismatch",
                                   "`" + c.function + "` needs questions of one type; `" +
                                       arg.name + "` is " + std::string(describe(q.type)));
                        return self.failed();
                    }
                    group.type = q.type;
                    group.choice_question = q.choice_question;
                    group.group.push_back(static_cast<std::uint32_t>(q.choice_question));
                    continue;
                }
                expr::node node;
                node.a = static_cast<std::uint32_t>(q.choice_question);
                if (c.function == "answered") {
                    node.op = opcode::answered;
                    node.type = value_type::boolean;
                    return self.emit(std::move(node), value_type::boolean);
                }
                if (q.type != value_type::choices) {
                    self.error(arg, "type-mismatch",
                               "`count` counts the options chosen in a `choice many` question");
                    return self.failed();
                }
                node.op = opcode::count;
                return self.emit(std::move(node), value_type::number);
            }
            group.all = c.function == "all";
            return group;
        }
        typed operator()(x3::forward_ast<ast::unary> const& u) const { return self.lower(u.get()); }
        typed operator()(x3::forward_ast<ast::expression> const& e) const {
            return self.lower(e.get());
        }
        typed operator()(x3::forward_ast<ast::list> const&) const {
            // The grammar puts a list only after `in`, which apply() lowers itself.
            throw std::logic_error("candor: a value list outside `in`");
        }
    };
    return boost::apply_visitor(visitor{*this}, o);
}

typed lowering::lower(ast::unary const& u) {
    typed t = lower(u.operand_);
    for (auto it = u.operators.rbegin(); it != u.operators.rend() && t.ok; ++it) {
        bool const logical = *it == ast::optoken::logical_not;
        if (t.name) {
            error(*t.name, "unknown-name", "no question or field is named `" + t.name->name + "`");
            return failed();
        }
        value_type const want = logical ? value_type::boolean : value_type::number;
        if (t.type != want || !t.group.empty()) {
            error(
                u, "type-mismatch",
                std::string(logical ? "`not` applies to a condition" : "`-` applies to a number") +
                    ", not " + std::string(describe(t.type)));
            return failed();
        }
        expr::node node;
        node.op = logical ? opcode::logical_not : opcode::negate;
        node.a = t.node;
        node.type = want;
        t = emit(std::move(node), want);
    }
    return t;
}

typed lowering::lower(ast::expression const& e) {
    auto is_comparison = [](ast::optoken op) {
        return op >= ast::optoken::equal && op <= ast::optoken::contains;
    };
    if (std::count_if(e.rest.begin(), e.rest.end(),
                      [&](ast::operation const& o) { return is_comparison(o.operator_); }) > 1) {
        error(e.rest[1], "chained-comparison",
              "comparisons do not chain: write `a < b and b < c`, or use parentheses");
        return failed();
    }
    typed left = lower(e.first);
    for (auto const& op : e.rest) {
        if (!left.ok) return left;
        left = apply(op.operator_, left, op.operand_, op);
    }
    return left;
}

// A bare word beside a choice is one of its option codes; a quoted string must be one too.
bool lowering::settle_code(typed& t, typed const& other, x3::position_tagged const& where) {
    bool const other_is_choice =
        other.type == value_type::choice || other.type == value_type::choices;
    auto const& node = expr_.nodes[t.node];
    if (other_is_choice && node.op == opcode::text) {
        auto const& q = s_.questions[static_cast<std::size_t>(other.choice_question)];
        if (!q.option(node.text) && !(q.other && node.text == "other")) {
            error(t.name ? static_cast<x3::position_tagged const&>(*t.name) : where,
                  "unknown-option", "`" + q.id + "` has no option `" + node.text + "`");
            return false;
        }
        t.name = nullptr;
        t.type = value_type::choice;
        expr_.nodes[t.node].type = value_type::choice;
        t.choice_question = other.choice_question;
        return true;
    }
    if (t.name) {
        error(*t.name, "unknown-name", "no question or field is named `" + t.name->name + "`");
        return false;
    }
    return true;
}

typed lowering::apply(ast::optoken op, typed left, ast::operand const& right_ast,
                      x3::position_tagged const& where) {
    using ast::optoken;
    auto binary = [&](opcode code, value_type type, typed const& l, typed const& r) {
        expr::node node;
        node.op = code;
        node.a = l.node;
        node.b = r.node;
        node.type = type;
        return emit(std::move(node), type);
    };
    auto mismatch = [&](std::string what) {
        error(where, "type-mismatch", std::move(what));
        return failed();
    };

    bool const comparison = op == optoken::equal || op == optoken::not_equal ||
                            op == optoken::less || op == optoken::less_equal ||
                            op == optoken::greater || op == optoken::greater_equal;
    if (!left.group.empty()) {
        if (!comparison) return mismatch("any(...) and all(...) are compared: any(a, b) <= 2");
        typed joined = failed();
        for (std::size_t k = 0; k < left.group.size(); ++k) {
            expr::node q;
            q.op = opcode::question;
            q.a = left.group[k];
            q.type = left.type;
            typed member = emit(std::move(q), left.type, static_cast<int>(left.group[k]));
            typed one = apply(op, member, right_ast, where);
            if (!one.ok) return one;
            joined = k == 0 ? one
                            : binary(left.all ? opcode::logical_and : opcode::logical_or,
                                     value_type::boolean, joined, one);
        }
        return joined;
    }

    if (op == optoken::in) {
        auto const* list = boost::get<x3::forward_ast<ast::list>>(&right_ast);
        if (!list) return mismatch("`in` takes a parenthesised list");
        expr::node node;
        node.op = opcode::in;
        node.type = value_type::boolean;
        std::vector<std::uint32_t> items;
        for (auto const& item : list->get().items) {
            typed t = lower(item);
            if (!t.ok) return t;
            if (!settle_code(t, left, item) || !settle_code(left, t, where)) return failed();
            bool const same = t.type == left.type ||
                              (left.type == value_type::choice && t.type == value_type::text);
            if (!same || left.type == value_type::choices)
                return mismatch("`in` compares " + std::string(describe(left.type)) + " with " +
                                std::string(describe(t.type)));
            items.push_back(t.node);
        }
        node.a = left.node;
        node.list = std::move(items);
        return emit(std::move(node), value_type::boolean);
    }

    typed right = lower(right_ast);
    if (!right.ok) return right;
    if (!right.group.empty())
        return mismatch("write any(...) and all(...) on the left of the comparison");

    switch (op) {
        case optoken::logical_or:
        case optoken::logical_and: {
            if (!settle_code(left, right, where) || !settle_code(right, left, where))
                return failed();
            if (left.type != value_type::boolean || right.type != value_type::boolean)
                return mismatch("`and` and `or` join conditions, not " +
                                std::string(describe(
                                    left.type != value_type::boolean ? left.type : right.type)));
            return binary(op == optoken::logical_or ? opcode::logical_or : opcode::logical_and,
                          value_type::boolean, left, right);
        }
        case optoken::contains: {
            if (!settle_code(right, left, where) || !settle_code(left, right, where))
                return failed();
            if (left.type == value_type::choices && right.type == value_type::choice)
                return binary(opcode::contains, value_type::boolean, left, right);
            if (left.type == value_type::text && right.type == value_type::text)
                return binary(opcode::contains, value_type::boolean, left, right);
            return mismatch("`contains` looks for text in text, or a code in a choice many");
        }
        case optoken::equal:
        case optoken::not_equal:
        case optoken::less:
        case optoken::less_equal:
        case optoken::greater:
        case optoken::greater_equal: {
            if (!settle_code(left, right, where) || !settle_code(right, left, where))
                return failed();
            bool const ordering = op != optoken::equal && op != optoken::not_equal;
            bool const same = left.type == right.type ||
                              (left.type == value_type::choice && right.type == value_type::text) ||
                              (right.type == value_type::choice && left.type == value_type::text);
            if (!same)
                return mismatch("cannot compare " + std::string(describe(left.type)) + " with " +
                                std::string(describe(right.type)));
            if (left.type == value_type::choices)
                return mismatch("a `choice many` answer is a set: use `contains` or `count(...)`");
            if (ordering && !is_numeric(left.type))
                return mismatch("only numbers can be ordered; " + std::string(describe(left.type)) +
                                " can be compared with == and !=");
            opcode code = op == optoken::equal        ? opcode::equal
                          : op == optoken::not_equal  ? opcode::not_equal
                          : op == optoken::less       ? opcode::less
                          : op == optoken::less_equal ? opcode::less_equal
                          : op == optoken::greater    ? opcode::greater
                                                      : opcode::greater_equal;
            return binary(code, value_type::boolean, left, right);
        }
        case optoken::plus:
        case optoken::minus:
        case optoken::times:
        case optoken::divide: {
            if (!settle_code(left, right, where) || !settle_code(right, left, where))
                return failed();
            if (left.type != value_type::number || right.type != value_type::number)
                return mismatch("arithmetic needs numbers, not " +
                                std::string(describe(
                                    left.type != value_type::number ? left.type : right.type)));
            opcode code = op == optoken::plus    ? opcode::add
                          : op == optoken::minus ? opcode::subtract
                          : op == optoken::times ? opcode::multiply
                                                 : opcode::divide;
            return binary(code, value_type::number, left, right);
        }
        default:
            return mismatch("this operator cannot join these values");
    }
}

// ---- Piping: `{question}` in a text shows an earlier answer.

void lowering::check_pipes() {
    auto check_text = [&](translated_text const& t, std::size_t index,
                          x3::position_tagged const& node) {
        for (auto const& [lang, s] : t.by_language) {
            for (std::size_t i = s.find('{'); i != std::string::npos; i = s.find('{', i + 1)) {
                auto close = s.find('}', i);
                if (close == std::string::npos) break;
                std::string name = s.substr(i + 1, close - i - 1);
                bool ident = !name.empty() &&
                             (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_');
                for (char c : name)
                    ident = ident && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
                if (!ident) continue;  // not a pipe: braces written as text
                auto it = question_ids_.find(name);
                if (it == question_ids_.end())
                    error(node, "unknown-pipe", "`{" + name + "}` names no question");
                else if (it->second >= index)
                    error(node, "forward-reference",
                          "`{" + name + "}` shows an answer not yet given at this point");
            }
        }
    };
    for (std::size_t i = 0; i < s_.questions.size(); ++i) {
        auto const& q = s_.questions[i];
        auto const& node = *question_ast_[i];
        check_text(q.prompt, i, node);
        for (auto const& o : q.options) check_text(o.label, i, node);
        for (auto const& l : q.end_labels) check_text(l, i, node);
        if (q.other) check_text(*q.other, i, node);
    }
}

// ---- Questions that can never be shown: a condition that is false for every answer.

namespace {
enum class truth { never, maybe };

struct shown_analysis {
    survey const& s;
    std::vector<bool> const& never_shown;

    // The possible values of a numeric node: [lo, hi], or nullopt when unknown.
    std::optional<std::pair<double, double>> range(expr const& e, std::uint32_t i) const {
        auto const& n = e.nodes[i];
        if (n.op == opcode::number) return std::pair{n.number, n.number};
        if (n.op == opcode::question) {
            auto const& q = s.questions[n.a];
            if (is_scale(q.kind) || (q.kind == question_kind::number && q.has_range))
                return std::pair{q.min, q.max};
        }
        return std::nullopt;
    }
    bool reads_never_shown(expr const& e, std::uint32_t i) const {
        auto const& n = e.nodes[i];
        return (n.op == opcode::question || n.op == opcode::answered) && never_shown[n.a];
    }
    // In node order, children before parents: no recursion, whatever the length of an
    // `or` chain (the parser reads 200,000 terms in a loop).
    truth eval(expr const& e) const {
        std::vector<truth> t(e.nodes.size(), truth::maybe);
        for (std::uint32_t i = 0; i < t.size(); ++i) t[i] = of_node(e, i, t);
        return t.back();
    }
    truth of_node(expr const& e, std::uint32_t i, std::vector<truth> const& t) const {
        auto const& n = e.nodes[i];
        switch (n.op) {
            case opcode::boolean:
                return n.number != 0 ? truth::maybe : truth::never;
            case opcode::answered:
                return never_shown[n.a] ? truth::never : truth::maybe;
            case opcode::logical_and:
                return t[n.a] == truth::never || t[n.b] == truth::never ? truth::never
                                                                        : truth::maybe;
            case opcode::logical_or:
                return t[n.a] == truth::never && t[n.b] == truth::never ? truth::never
                                                                        : truth::maybe;
            case opcode::equal:
            case opcode::not_equal:
            case opcode::less:
            case opcode::less_equal:
            case opcode::greater:
            case opcode::greater_equal:
            case opcode::contains:
            case opcode::in: {
                // A comparison with an answer that is never given is false.
                if (reads_never_shown(e, n.a) || (n.op != opcode::in && reads_never_shown(e, n.b)))
                    return truth::never;
                if (n.op == opcode::in || n.op == opcode::contains) return truth::maybe;
                auto l = range(e, n.a), r = range(e, n.b);
                if (!l || !r) return truth::maybe;
                bool possible = true;
                switch (n.op) {
                    case opcode::equal:
                        possible = l->first <= r->second && r->first <= l->second;
                        break;
                    case opcode::not_equal:
                        possible = !(l->first == l->second && r->first == r->second &&
                                     l->first == r->first);
                        break;
                    case opcode::less:
                        possible = l->first < r->second;
                        break;
                    case opcode::less_equal:
                        possible = l->first <= r->second;
                        break;
                    case opcode::greater:
                        possible = l->second > r->first;
                        break;
                    case opcode::greater_equal:
                        possible = l->second >= r->first;
                        break;
                    default:
                        break;
                }
                return possible ? truth::maybe : truth::never;
            }
            default:
                return truth::maybe;
        }
    }
};
}  // namespace

void lowering::check_shown() {
    std::vector<bool> never(s_.questions.size(), false);
    shown_analysis analysis{s_, never};
    for (std::size_t i = 0; i < s_.questions.size(); ++i) {
        auto const& q = s_.questions[i];
        if (!q.show_if || q.show_if->empty()) continue;
        if (analysis.eval(*q.show_if) == truth::never) {
            never[i] = true;
            error(*question_ast_[i], "never-shown",
                  "`" + q.id + "` can never be shown: its `show if` is false for every answer");
        }
    }
}

}  // namespace

survey lower(ast::header const& header, std::vector<ast::statement> const& statements,
             source_map const& source, errors& out) {
    return lowering(source, out).run(header, statements);
}

std::optional<expr> lower_condition(ast::expression const& condition, survey const& s,
                                    source_map const& source, errors& out) {
    return lowering(source, out).standalone(condition, s);
}

}  // namespace candor::survey
