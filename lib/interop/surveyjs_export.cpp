// A Candor survey as SurveyJS JSON. Conditions are rewritten so that SurveyJS shows what
// Candor shows: SurveyJS counts an unanswered question as unequal to every value (Candor:
// every comparison with it is false) and as 0 in arithmetic (Candor: no value).
#include <nlohmann/json.hpp>

#include "candor/interop/surveyjs.hpp"
#include "condition.hpp"

namespace candor::interop {

namespace {

using ordered = nlohmann::ordered_json;
using survey::opcode;

std::string sjs_string(std::string_view s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    return out + "'";
}

class exporter {
  public:
    explicit exporter(survey::survey const& s) : s_(s) {}

    ordered run() {
        ordered out;
        if (!s_.title.empty()) out["title"] = text(s_.title);
        if (s_.default_language() != "en") out["locale"] = s_.default_language();
        if (s_.pages.empty()) {  // a survey without pages is one list of elements
            ordered elements = ordered::array();
            for (auto const& q : s_.questions) elements.push_back(question(q));
            out["elements"] = std::move(elements);
            return out;
        }
        ordered pages = ordered::array();
        for (auto const& page : s_.pages) {
            ordered p;
            p["name"] = page.id;
            if (!page.title.empty()) p["title"] = text(page.title);
            p["elements"] = ordered::array();
            for (auto const& q : s_.questions)
                if (q.page == page.id) p["elements"].push_back(question(q));
            pages.push_back(std::move(p));
        }
        out["pages"] = std::move(pages);
        return out;
    }

  private:
    ordered text(survey::translated_text const& t) const {
        if (t.by_language.size() == 1 && t.by_language.front().first == s_.default_language())
            return t.by_language.front().second;
        ordered out = ordered::object();
        out["default"] = std::string(t.in(s_.default_language(), s_.fallback_language));
        for (auto const& [lang, value] : t.by_language)
            if (lang != s_.default_language()) out[lang] = value;
        return out;
    }

    ordered question(survey::question const& q) const {
        using survey::question_kind;
        ordered j;
        if (survey::is_scale(q.kind)) {
            j["type"] = "rating";
            j["name"] = q.id;
            j["rateMin"] = q.min;
            j["rateMax"] = q.max;
        }
        switch (q.kind) {
            case question_kind::choice_one:
            case question_kind::choice_many: {
                bool const many = q.kind == question_kind::choice_many;
                j["type"] = many ? "checkbox" : "radiogroup";
                j["name"] = q.id;
                ordered choices = ordered::array();
                for (auto const& o : q.options) {
                    ordered c = {{"value", o.code}};
                    if (!o.label.empty()) c["text"] = text(o.label);  // else both show the code
                    choices.push_back(std::move(c));
                }
                j["choices"] = std::move(choices);
                if (q.other) {
                    j["showOtherItem"] = true;
                    j["otherText"] = text(*q.other);
                }
                if (many && q.min_selections) j["minSelectedChoices"] = q.min_selections;
                if (many && q.max_selections) j["maxSelectedChoices"] = q.max_selections;
                break;
            }
            case question_kind::yesno:
                j["type"] = "boolean";
                j["name"] = q.id;
                break;
            case question_kind::text:
                j["type"] = "comment";
                j["name"] = q.id;
                j["maxLength"] = q.max_length ? q.max_length : survey::default_text_max_length;
                break;
            case question_kind::number:
                j["type"] = "text";
                j["name"] = q.id;
                j["inputType"] = "number";
                if (q.has_range) {
                    j["min"] = q.min;
                    j["max"] = q.max;
                    j["validators"] = ordered::array(
                        {{{"type", "numeric"}, {"minValue", q.min}, {"maxValue", q.max}}});
                }
                break;
            case question_kind::date:
                j["type"] = "text";
                j["name"] = q.id;
                j["inputType"] = "date";
                break;
            case question_kind::email:
                j["type"] = "text";
                j["name"] = q.id;
                j["inputType"] = "email";
                j["validators"] = ordered::array({{{"type", "email"}}});
                break;
            case question_kind::phone:
                j["type"] = "text";
                j["name"] = q.id;
                j["inputType"] = "tel";
                break;
            default:
                break;  // the scales, above
        }
        if (!q.prompt.empty()) j["title"] = text(q.prompt);
        if (survey::is_scale(q.kind) && q.end_labels.size() == 2) {
            if (!q.end_labels[0].empty()) j["minRateDescription"] = text(q.end_labels[0]);
            if (!q.end_labels[1].empty()) j["maxRateDescription"] = text(q.end_labels[1]);
        }
        if (q.required) j["isRequired"] = true;
        if (q.show_if) j["visibleIf"] = condition(*q.show_if);
        if (q.require_if) j["requiredIf"] = condition(*q.require_if);
        return j;
    }

    // Node by node, children first (the order expr keeps), so no recursion.
    std::string condition(survey::expr const& e) const {
        struct piece {
            std::string text;
            bool atom = true;  // needs no parentheses as an operand
            std::vector<std::string>
                guards;                   // questions that must be answered for it to have a value
            bool reads_question = false;  // a question's answer, possibly missing
        };
        std::vector<piece> p(e.nodes.size());
        auto wrap = [](piece const& x) { return x.atom ? x.text : "(" + x.text + ")"; };
        auto merged = [](piece const& a, piece const& b) {
            auto g = a.guards;
            for (auto const& x : b.guards)
                if (std::find(g.begin(), g.end(), x) == g.end()) g.push_back(x);
            return g;
        };
        // A comparison SurveyJS must only make when Candor would: every question read
        // through arithmetic answered, and (for != or two answers) each side answered.
        auto guarded = [&](std::vector<std::string> guards, std::string test) {
            std::string out;
            for (auto const& g : guards) out += "{" + g + "} notempty and ";
            return guards.empty() ? test : out + test;
        };
        for (std::size_t i = 0; i < e.nodes.size(); ++i) {
            auto const& n = e.nodes[i];
            piece& out = p[i];
            auto const& a = p[n.a];
            auto const& b = p[n.b];
            switch (n.op) {
                case opcode::number:
                    out.text = detail::number_text(n.number);
                    break;
                case opcode::text:
                    out.text = sjs_string(n.text);
                    break;
                case opcode::boolean:
                    out.text = n.number != 0 ? "true" : "false";
                    break;
                case opcode::question:
                    out.text = "{" + s_.questions[n.a].id + "}";
                    out.reads_question = true;
                    break;
                case opcode::field:
                    out.text = "{" + s_.fields[n.a] + "}";
                    out.reads_question = true;
                    break;
                case opcode::answered:
                    out.text = "{" + s_.questions[n.a].id + "} notempty";
                    out.atom = false;
                    break;
                case opcode::count:
                    out.text = "{" + s_.questions[n.a].id + ".length}";
                    break;
                case opcode::negate:  // SurveyJS has no unary minus before a {question}
                    out.text = "0 - " + wrap(a);
                    out.atom = false;
                    out.guards = a.guards;
                    if (a.reads_question) out.guards.push_back(strip(a.text));
                    break;
                case opcode::add:
                case opcode::subtract:
                case opcode::multiply:
                case opcode::divide: {
                    char const sym = n.op == opcode::add        ? '+'
                                     : n.op == opcode::subtract ? '-'
                                     : n.op == opcode::multiply ? '*'
                                                                : '/';
                    out.text = wrap(a) + " " + sym + " " + wrap(b);
                    out.atom = false;
                    out.guards = merged(a, b);
                    for (auto const* x : {&a, &b})
                        if (x->reads_question && std::find(out.guards.begin(), out.guards.end(),
                                                           strip(x->text)) == out.guards.end())
                            out.guards.push_back(strip(x->text));
                    break;
                }
                case opcode::equal:
                case opcode::not_equal:
                case opcode::less:
                case opcode::less_equal:
                case opcode::greater:
                case opcode::greater_equal: {
                    std::string_view sym = n.op == opcode::equal        ? "="
                                           : n.op == opcode::not_equal  ? "!="
                                           : n.op == opcode::less       ? "<"
                                           : n.op == opcode::less_equal ? "<="
                                           : n.op == opcode::greater    ? ">"
                                                                        : ">=";
                    auto guards = merged(a, b);
                    bool const both = a.reads_question && b.reads_question;
                    for (auto const* x : {&a, &b})
                        if (x->reads_question && (n.op == opcode::not_equal || both) &&
                            std::find(guards.begin(), guards.end(), strip(x->text)) == guards.end())
                            guards.push_back(strip(x->text));
                    out.text = guarded(guards, wrap(a) + " " + std::string(sym) + " " + wrap(b));
                    out.atom = false;
                    break;
                }
                case opcode::in: {
                    std::string list;
                    for (auto item : n.list) list += (list.empty() ? "" : ", ") + p[item].text;
                    out.text = guarded(a.guards, wrap(a) + " anyof [" + list + "]");
                    out.atom = false;
                    break;
                }
                case opcode::contains:
                    out.text = wrap(a) + " contains " + wrap(b);
                    out.atom = false;
                    break;
                case opcode::logical_and:
                case opcode::logical_or:
                    out.text = wrap(a) + (n.op == opcode::logical_and ? " and " : " or ") + wrap(b);
                    out.atom = false;
                    break;
                case opcode::logical_not:
                    out.text = "!" + ("(" + a.text + ")");
                    break;
            }
        }
        return p.back().text;
    }

    static std::string strip(std::string const& braced) {
        return braced.substr(1, braced.size() - 2);
    }

    survey::survey const& s_;
};

}  // namespace

std::string export_surveyjs(survey::survey const& s) {
    return exporter(s).run().dump(2) + "\n";
}

}  // namespace candor::interop
