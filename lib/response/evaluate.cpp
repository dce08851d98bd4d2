// Conditions are evaluated over the node array in order: children come before parents,
// so one pass with a small value stack suffices, with no recursion and no allocation
// for the short conditions surveys have.
#include "candor/response/evaluate.hpp"

#include <algorithm>
#include <type_traits>
#include <vector>

#include "util/ascii.hpp"

namespace candor::response {

namespace {

using survey::opcode;

struct value {
    enum class kind : std::uint8_t { missing, number, text, boolean, choices } k = kind::missing;
    double number = 0;
    std::string_view text;
    choice_codes const* codes = nullptr;
};

value of_answer(answer const* a) {
    value v;
    if (!a) return v;
    switch (a->index()) {
        case 0: v.k = value::kind::boolean, v.number = std::get<bool>(*a) ? 1 : 0; break;
        case 1: v.k = value::kind::number, v.number = static_cast<double>(std::get<std::int64_t>(*a)); break;
        case 2: v.k = value::kind::number, v.number = std::get<double>(*a); break;
        case 3:
            v.k = value::kind::text, v.text = std::get<std::string>(*a);
            if (v.text.empty()) v.k = value::kind::missing;
            break;
        case 4:
            v.k = value::kind::choices, v.codes = &std::get<choice_codes>(*a);
            if (v.codes->empty()) v.k = value::kind::missing;
            break;
    }
    return v;
}

bool equal(value const& a, value const& b) {
    if (a.k == value::kind::text || b.k == value::kind::text) return a.text == b.text;
    return a.number == b.number;
}

bool contains_text(std::string_view hay, std::string_view needle) {
    return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char x, char y) {
               return util::ascii_lower(x) == util::ascii_lower(y);
           }) != hay.end();
}

value boolean(bool b) {
    value v;
    v.k = value::kind::boolean;
    v.number = b ? 1 : 0;
    return v;
}
value number(double d) {
    value v;
    v.k = value::kind::number;
    v.number = d;
    return v;
}
bool truthy(value const& v) { return v.k == value::kind::boolean && v.number != 0; }

void run(survey::expr const& e, answer_table const& t, value* vals) {
    for (std::size_t i = 0; i < e.nodes.size(); ++i) {
        auto const& n = e.nodes[i];
        value& out = vals[i];
        // Leaves: node.a is a question or field index, not an operand.
        switch (n.op) {
            case opcode::number: out = number(n.number); continue;
            case opcode::boolean: out = boolean(n.number != 0); continue;
            case opcode::text: out.k = value::kind::text, out.text = n.text; continue;
            case opcode::question: out = of_answer(t.answers[n.a]); continue;
            case opcode::field: {
                out = value{};
                auto f = t.source.field(t.survey.fields[n.a]);
                if (!f.empty()) out.k = value::kind::text, out.text = f;
                continue;
            }
            case opcode::answered:
                out = boolean(of_answer(t.answers[n.a]).k != value::kind::missing);
                continue;
            case opcode::count: {
                auto v = of_answer(t.answers[n.a]);
                out = number(v.k == value::kind::choices ? static_cast<double>(v.codes->size()) : 0);
                continue;
            }
            default: break;
        }
        value const& a = vals[n.a];
        value const& b = vals[n.b];
        bool const missing = a.k == value::kind::missing || b.k == value::kind::missing;
        switch (n.op) {
            case opcode::negate: out = a.k == value::kind::number ? number(-a.number) : value{}; break;
            case opcode::add: out = missing ? value{} : number(a.number + b.number); break;
            case opcode::subtract: out = missing ? value{} : number(a.number - b.number); break;
            case opcode::multiply: out = missing ? value{} : number(a.number * b.number); break;
            case opcode::divide:
                out = missing || b.number == 0 ? value{} : number(a.number / b.number);
                break;
            case opcode::equal: out = boolean(!missing && equal(a, b)); break;
            case opcode::not_equal: out = boolean(!missing && !equal(a, b)); break;
            case opcode::less: out = boolean(!missing && a.number < b.number); break;
            case opcode::less_equal: out = boolean(!missing && a.number <= b.number); break;
            case opcode::greater: out = boolean(!missing && a.number > b.number); break;
            case opcode::greater_equal: out = boolean(!missing && a.number >= b.number); break;
            case opcode::logical_and: out = boolean(truthy(a) && truthy(b)); break;
            case opcode::logical_or: out = boolean(truthy(a) || truthy(b)); break;
            case opcode::logical_not: out = boolean(!truthy(a)); break;
            case opcode::in: {
                bool found = false;
                if (a.k != value::kind::missing)
                    for (auto item : n.list) found = found || equal(a, vals[item]);
                out = boolean(found);
                break;
            }
            case opcode::contains: {
                bool found = false;
                if (a.k == value::kind::choices)
                    found = std::find(a.codes->begin(), a.codes->end(), b.text) != a.codes->end();
                else if (a.k == value::kind::text && b.k == value::kind::text)
                    found = contains_text(a.text, b.text);
                out = boolean(found);
                break;
            }
            default: break;  // leaves, handled above
        }
    }
}

}  // namespace

bool evaluate(survey::expr const& condition, answer_table const& table) {
    if (condition.empty()) return true;
    std::size_t const n = condition.nodes.size();
    if (n <= 32) {
        // Left uninitialized: run() writes every slot before it reads it (children come
        // first), and clearing 32 slots cost more than evaluating a short condition.
        // value is an implicit-lifetime aggregate, so the byte array provides its objects.
        static_assert(std::is_aggregate_v<value> && std::is_trivially_destructible_v<value>);
        alignas(value) unsigned char storage[32 * sizeof(value)];
        auto* vals = reinterpret_cast<value*>(storage);
        run(condition, table, vals);
        return truthy(vals[n - 1]);
    }
    std::vector<value> vals(n);
    run(condition, table, vals.data());
    return truthy(vals[n - 1]);
}

void index_answers(survey::survey const& s, response const& r, std::span<answer const*> out) {
    std::fill(out.begin(), out.end(), nullptr);
    for (auto const& [id, a] : r.answers) {
        int i = s.question_index(id);
        if (i >= 0 && !out[static_cast<std::size_t>(i)]) out[static_cast<std::size_t>(i)] = &a;
    }
}

}  // namespace candor::response
