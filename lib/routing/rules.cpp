// Routing rules: parsed with the org grammar, conditions compiled against the survey by
// survey::parse_condition with their place in the file, then checked against the org.
#include "candor/routing/rules.hpp"

#include "candor/survey/parse.hpp"
#include "org_parse.hpp"

namespace candor::routing {

namespace {

using survey::opcode;

enum class truth : std::uint8_t { never, maybe, always };

// Whether some answer in a question's range satisfies `value OP c` (`c OP value` when
// `flipped`): the checks that find `recommend > 10` can never match.
bool some_value(survey::question const& q, opcode op, double c, bool flipped) {
    double lo = q.min, hi = q.max;
    if (flipped) {  // c < v is v > c, and so on
        op = op == opcode::less ? opcode::greater
             : op == opcode::less_equal ? opcode::greater_equal
             : op == opcode::greater ? opcode::less
             : op == opcode::greater_equal ? opcode::less_equal
                                           : op;
    }
    switch (op) {
        case opcode::less: return lo < c;
        case opcode::less_equal: return lo <= c;
        case opcode::greater: return hi > c;
        case opcode::greater_equal: return hi >= c;
        case opcode::equal: return c >= lo && c <= hi && (!q.integer || c == static_cast<double>(static_cast<long long>(c)));
        case opcode::not_equal: return !(lo == hi && lo == c);
        default: return true;
    }
}

truth analyse(survey::expr const& e, survey::survey const& s) {
    std::vector<truth> t(e.nodes.size(), truth::maybe);
    for (std::size_t i = 0; i < e.nodes.size(); ++i) {
        auto const& n = e.nodes[i];
        switch (n.op) {
            case opcode::boolean: t[i] = n.number != 0 ? truth::always : truth::never; break;
            case opcode::logical_not:
                t[i] = t[n.a] == truth::always ? truth::never : t[n.a] == truth::never ? truth::always : truth::maybe;
                break;
            case opcode::logical_and:
                t[i] = t[n.a] == truth::never || t[n.b] == truth::never ? truth::never
                       : t[n.a] == truth::always && t[n.b] == truth::always ? truth::always
                                                                           : truth::maybe;
                break;
            case opcode::logical_or:
                t[i] = t[n.a] == truth::always || t[n.b] == truth::always ? truth::always
                       : t[n.a] == truth::never && t[n.b] == truth::never ? truth::never
                                                                         : truth::maybe;
                break;
            case opcode::less: case opcode::less_equal: case opcode::greater:
            case opcode::greater_equal: case opcode::equal: case opcode::not_equal: {
                auto const& a = e.nodes[n.a];
                auto const& b = e.nodes[n.b];
                bool flipped = a.op == opcode::number;
                auto const& q = flipped ? b : a;
                auto const& c = flipped ? a : b;
                if (q.op != opcode::question || c.op != opcode::number) break;
                auto const& question = s.questions[q.a];
                if (!survey::is_scale(question.kind) &&
                    !(question.kind == survey::question_kind::number && question.has_range))
                    break;
                if (!some_value(question, n.op, c.number, flipped)) t[i] = truth::never;
                break;
            }
            default: break;
        }
    }
    return t.empty() ? truth::maybe : t.back();
}

class rules_lowering {
public:
    rules_lowering(util::source_map const& source, organisation const& org,
                   survey::survey const& survey, errors& out)
        : source_(source), org_(org), survey_(survey), out_(out) {}

    rule_set run(std::vector<ast::statement> const& statements) {
        rule_set set;
        for (auto const& s : statements) {
            if (auto const* r = boost::get<ast::rule_stmt>(&s)) {
                set.rules.push_back(lower(*r));
            } else if (source_.file() != org_.file) {
                auto const* e = boost::get<ast::entity_stmt>(&s);
                error(e ? routing::at(source_, *e) : routing::at(source_, boost::get<ast::person_stmt>(s)),
                      "misplaced-statement",
                      "brand, region, site, role, person and head-office belong in the org file");
            }
        }
        if (set.rules.empty())
            error({source_.file(), 1, 1}, "no-rules",
                  "no rules: every response would go to the head-office fallback");
        return set;
    }

private:
    void error(location where, std::string code, std::string message) {
        out_.push_back(error_at(std::move(where), std::move(code), std::move(message)));
    }
    location at(boost::spirit::x3::position_tagged const& n) const { return routing::at(source_, n); }

    std::optional<duration> read_duration(ast::word const& w) {
        auto d = parse_duration(w.text);
        if (!d)
            error(at(w), "bad-duration",
                  "`" + w.text + "` is no duration: write 4h, 2 days, 1 business day or 6 business hours");
        return d;
    }

    // A role a rule may send to: known, and management (the bypass guarantee).
    void check_role(ast::word const& w, std::string const& role, char const* verb) {
        auto const* r = org_.find_role(role);
        if (!r) {
            error(at(w), "unknown-role", "no role is named `" + role + "`");
        } else if (r->front_line) {
            error(at(w), "bypass",
                  "this rule would " + std::string(verb) + " `" + role +
                      "`, a front-line role: a card about a site never reaches that site's "
                      "front-line staff");
        }
    }

    rule lower(ast::rule_stmt const& r) {
        rule out;
        out.where = at(r);
        std::string_view text = r.condition.text;
        while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
        out.condition_text = text;
        if (!text.empty()) {
            auto compiled = survey::parse_condition(text, survey_, at(r.condition));
            if (!compiled) {
                for (auto& d : compiled.error()) out_.push_back(std::move(d));
            } else {
                if (analyse(*compiled, survey_) == truth::never)
                    error(at(r.condition), "never-matches",
                          "this condition can never be true: no answer in the questions' ranges "
                          "satisfies it");
                out.condition = std::move(*compiled);
            }
        }
        for (auto const& w : r.targets) {
            target t{w.text, false};
            if (auto dot = w.text.find('.'); dot != std::string::npos) {
                t.role = w.text.substr(0, dot);
                t.digest = w.text.substr(dot + 1) == "digest";
                if (!t.digest)
                    error(at(w), "bad-target",
                          "`" + w.text + "`: a role is notified as itself or as ROLE.digest");
            }
            check_role(w, t.role, "notify");
            out.notify.push_back(std::move(t));
        }
        for (auto const& o : r.options) {
            auto twice = [&](bool seen) {
                if (seen) error(at(o), "duplicate-option", "`" + o.key + "` is given twice in this rule");
                return !seen;
            };
            if (o.key == "within") {
                if (twice(out.within.has_value())) out.within = read_duration(o.values[0]);
            } else if (o.key == "after") {
                if (twice(out.escalate_after.has_value())) out.escalate_after = read_duration(o.values[0]);
            } else if (o.key == "escalate") {
                if (twice(!out.escalate_to.empty())) {
                    out.escalate_to = o.values[0].text;
                    check_role(o.values[0], out.escalate_to, "escalate to");
                }
            } else {
                out.daily = true;
            }
        }
        bool digest = std::any_of(out.notify.begin(), out.notify.end(), [](target const& t) { return t.digest; });
        if (out.daily && !digest)
            out_.push_back(warning_at(out.where, "daily-without-digest",
                                      "`daily` only changes ROLE.digest targets; this rule has none"));
        return out;
    }

    util::source_map const& source_;
    organisation const& org_;
    survey::survey const& survey_;
    errors& out_;
};

}  // namespace

result<rule_set> load_rules(std::string_view text, std::string_view file_name,
                                  organisation const& org, survey::survey const& survey) {
    util::source_map source(text, file_name);
    errors diags;
    auto statements = parse_statements(source, diags);
    rule_set set = rules_lowering(source, org, survey, diags).run(statements);
    // The bypass of the staff on duty reads a device field: one the survey lacks (or a
    // question, which the guest answers) bypasses nobody, silently.
    if (!org.duty_field.empty() && survey.field_index(org.duty_field) < 0)
        diags.push_back({severity::warning, "duty-field-unknown",
                         "the org's duty-field `" + org.duty_field + "` is not a device field of "
                         "survey `" + survey.id + "`: nobody on duty can be kept from a card",
                         {.file = org.file}});
    sort_by_place(diags);
    if (has_errors(diags)) return unexpected(std::move(diags));
    set.warnings = std::move(diags);
    return set;
}

result<rule_set> load_rules_file(std::string const& path, organisation const& org,
                                       survey::survey const& survey) {
    errors diags;
    auto text = read_text(path, diags);
    if (!text) return unexpected(std::move(diags));
    return load_rules(*text, path, org, survey);
}

}  // namespace candor::routing
