// The canonical text of a survey. parse(format(s)) == s is tested on every sample and on
// generated surveys, so anything the model holds must be written here.
#include <charconv>
#include <cmath>
#include <string_view>
#include <vector>

#include "candor/survey/parse.hpp"

namespace candor::survey {

namespace {

std::string number_text(double v) {
    char buf[400];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
    return ec == std::errc() ? std::string(buf, end) : std::string("0");
}

bool is_reserved(std::string_view w) {
    for (auto r : {"and", "or", "not", "in", "contains", "yes", "no", "answered", "count", "any",
                   "all", "survey", "question", "page", "title", "languages", "field", "fields"})
        if (w == r) return true;
    return false;
}

bool is_identifier(std::string_view w) {
    if (w.empty() || !(std::isalpha(static_cast<unsigned char>(w[0])) || w[0] == '_')) return false;
    for (char c : w)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
    return !is_reserved(w);
}

class writer {
  public:
    explicit writer(survey const& s) : s_(s) {}

    std::string text(translated_text const& t) const {
        if (t.by_language.size() == 1 && t.by_language.front().first == s_.default_language())
            return quote(t.by_language.front().second);
        std::string out = "{";
        for (auto const& [lang, value] : t.by_language) out += ' ' + lang + ' ' + quote(value);
        return out + " }";
    }

    std::string expression(expr const& e) const {
        return e.empty() ? std::string()
                         : node(e, static_cast<std::uint32_t>(e.nodes.size() - 1), 0);
    }

    std::string question(candor::survey::question const& q) const;
    std::string all() const;

  private:
    static int precedence(opcode op) {
        switch (op) {
            case opcode::logical_or:
                return 1;
            case opcode::logical_and:
                return 2;
            case opcode::logical_not:
                return 3;
            case opcode::equal:
            case opcode::not_equal:
            case opcode::less:
            case opcode::less_equal:
            case opcode::greater:
            case opcode::greater_equal:
            case opcode::in:
            case opcode::contains:
                return 4;
            case opcode::add:
            case opcode::subtract:
                return 5;
            case opcode::multiply:
            case opcode::divide:
                return 6;
            case opcode::negate:
                return 7;
            default:
                return 8;
        }
    }
    static std::string_view symbol(opcode op) {
        switch (op) {
            case opcode::logical_or:
                return " or ";
            case opcode::logical_and:
                return " and ";
            case opcode::equal:
                return " == ";
            case opcode::not_equal:
                return " != ";
            case opcode::less:
                return " < ";
            case opcode::less_equal:
                return " <= ";
            case opcode::greater:
                return " > ";
            case opcode::greater_equal:
                return " >= ";
            case opcode::contains:
                return " contains ";
            case opcode::add:
                return " + ";
            case opcode::subtract:
                return " - ";
            case opcode::multiply:
                return " * ";
            case opcode::divide:
                return " / ";
            default:
                return " ? ";
        }
    }
    // A code is written bare when that reads back as the same code, else quoted.
    std::string code(std::string const& t) const {
        if (is_identifier(t) && s_.question_index(t) < 0 && s_.field_index(t) < 0) return t;
        return quote(t);
    }
    // Iterative, with its own stack: a condition may chain 200,000 terms (`a or b or ...`,
    // `not not ...`), which the parser reads in a loop; recursion here would overflow.
    std::string node(expr const& e, std::uint32_t root, int outer) const {
        struct step {
            std::uint32_t node;
            int outer;
            std::string_view text;  // when not empty: write this, no node
        };
        std::vector<step> todo{{root, outer, {}}};
        std::vector<step> parts;  // one node's pieces, in order
        std::string out;
        while (!todo.empty()) {
            step const s = todo.back();
            todo.pop_back();
            if (!s.text.empty()) {
                out += s.text;
                continue;
            }
            auto const& n = e.nodes[s.node];
            int const p = precedence(n.op);
            bool const wrap = p < s.outer;
            parts.clear();
            auto write = [&](std::string_view t) { parts.push_back({0, 0, t}); };
            auto visit = [&](std::uint32_t i, int o) { parts.push_back({i, o, {}}); };
            if (wrap) out += '(';
            switch (n.op) {
                case opcode::number:
                    out += number_text(n.number);
                    break;
                case opcode::text:
                    out += n.type == value_type::choice ? code(n.text) : quote(n.text);
                    break;
                case opcode::boolean:
                    out += n.number != 0 ? "yes" : "no";
                    break;
                case opcode::question:
                    out += s_.questions[n.a].id;
                    break;
                case opcode::field:
                    out += s_.fields[n.a];
                    break;
                case opcode::answered:
                    out += "answered(" + s_.questions[n.a].id + ")";
                    break;
                case opcode::count:
                    out += "count(" + s_.questions[n.a].id + ")";
                    break;
                case opcode::negate:
                    out += '-';
                    visit(n.a, p);
                    break;
                case opcode::logical_not:
                    out += "not ";
                    visit(n.a, p);
                    break;
                case opcode::in: {
                    visit(n.a, p + 1);
                    write(" in (");
                    for (std::size_t k = 0; k < n.list.size(); ++k) {
                        if (k) write(", ");
                        visit(n.list[k], 0);
                    }
                    write(")");
                    break;
                }
                default: {
                    // Left-associative: the right operand needs parentheses at equal precedence.
                    bool const comparison = p == 4;
                    visit(n.a, comparison ? p + 1 : p);
                    write(symbol(n.op));
                    visit(n.b, p + 1);
                }
            }
            if (wrap) write(")");
            todo.insert(todo.end(), parts.rbegin(), parts.rend());
        }
        return out;
    }

    survey const& s_;
};

std::string writer::question(candor::survey::question const& q) const {
    std::string out = "  question " + q.id + ": ";
    switch (q.kind) {
        case question_kind::choice_one:
        case question_kind::choice_many: {
            out += q.kind == question_kind::choice_one ? "choice one of (" : "choice many of (";
            for (std::size_t i = 0; i < q.options.size(); ++i) {
                if (i) out += ", ";
                out += q.options[i].code;
                if (!q.options[i].label.empty()) out += ' ' + text(q.options[i].label);
            }
            out += ')';
            break;
        }
        case question_kind::rating:
            out += "rating " + number_text(q.min) + ".." + number_text(q.max);
            break;
        case question_kind::likert:
            out += "likert " + number_text(q.max);
            break;
        case question_kind::number:
            out += "number";
            if (q.has_range) out += ' ' + number_text(q.min) + ".." + number_text(q.max);
            out += q.integer ? " integer" : " decimal";
            break;
        default:
            out += std::string(to_string(q.kind));
    }
    if (!q.end_labels.empty())
        out += " labels (" + text(q.end_labels[0]) + ", " + text(q.end_labels[1]) + ")";
    if (q.other) out += " other " + text(*q.other);
    if (q.kind == question_kind::text && q.max_length != default_text_max_length)
        out += " max " + std::to_string(q.max_length);
    if (q.min_selections) out += " min " + std::to_string(q.min_selections);
    if (q.max_selections) out += " max " + std::to_string(q.max_selections);
    if (q.personal && q.kind == question_kind::text) out += " personal";
    if (q.required) out += " required";
    if (q.show_if) out += " show if " + expression(*q.show_if);
    if (q.require_if) out += " require if " + expression(*q.require_if);
    if (!q.prompt.empty()) {
        if (q.prompt.by_language.size() == 1) {
            out += ' ' + text(q.prompt);
        } else {
            out += " {\n";
            for (auto const& [lang, value] : q.prompt.by_language)
                out += "    " + lang + ' ' + quote(value) + '\n';
            out += "  }";
        }
    }
    return out + '\n';
}

std::string writer::all() const {
    std::string out = "survey " + quote(s_.id) + " version " + std::to_string(s_.version) + " {\n";
    out += "  languages";
    for (auto const& l : s_.languages) out += ' ' + l;
    out += '\n';
    if (!s_.title.empty()) out += "  title " + text(s_.title) + '\n';
    if (!s_.fields.empty()) {
        out += "  fields ";
        for (std::size_t i = 0; i < s_.fields.size(); ++i) {
            if (i) out += ", ";
            out += s_.fields[i];
            if (!s_.field_required(s_.fields[i])) out += " optional";
        }
        out += '\n';
    }
    std::string page;
    for (auto const& q : s_.questions) {
        if (q.page != page) {
            page = q.page;
            out += "\n  page " + page;
            for (auto const& p : s_.pages)
                if (p.id == page && !p.title.empty()) out += ' ' + text(p.title);
            out += '\n';
        }
        out += question(q);
    }
    return out + "}\n";
}

}  // namespace

std::string quote(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                out += c;
        }
    }
    return out + '"';
}

std::string format(survey const& s) {
    return writer(s).all();
}

std::string format(expr const& e, survey const& s) {
    return writer(s).expression(e);
}

}  // namespace candor::survey
