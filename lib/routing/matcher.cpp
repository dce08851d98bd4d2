#include "matcher.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "candor/response/evaluate.hpp"
#include "util/ascii.hpp"

namespace candor::routing {

namespace {

using survey::opcode;

bool is_comparison(opcode op) {
    return op == opcode::equal || op == opcode::not_equal || op == opcode::less ||
           op == opcode::less_equal || op == opcode::greater || op == opcode::greater_equal;
}

bool is_leaf(opcode op) {
    return op == opcode::number || op == opcode::text || op == opcode::boolean ||
           op == opcode::question || op == opcode::field || op == opcode::answered ||
           op == opcode::count;
}

// The operand nodes of `n` (none for a leaf, whose `a` is a question or field).
template <class F>
void for_each_operand(survey::expr::node const& n, F f) {
    if (is_leaf(n.op)) return;
    f(n.a);
    if (n.op != opcode::negate && n.op != opcode::logical_not && n.op != opcode::in) f(n.b);
    for (auto item : n.list) f(item);
}

// The subtree of `e` rooted at `node`, as an expression of its own. Without recursion: an
// atom may be a sum of 200,000 terms.
survey::expr subtree(survey::expr const& e, std::uint32_t node) {
    std::vector<std::uint32_t> kept, todo{node};
    while (!todo.empty()) {
        auto i = todo.back();
        todo.pop_back();
        kept.push_back(i);
        for_each_operand(e.nodes[i], [&](std::uint32_t c) { todo.push_back(c); });
    }
    std::sort(kept.begin(), kept.end());  // children before parents, as in `e`
    auto map = [&](std::uint32_t i) {
        return static_cast<std::uint32_t>(std::lower_bound(kept.begin(), kept.end(), i) -
                                          kept.begin());
    };
    survey::expr out;
    out.nodes.reserve(kept.size());
    for (auto i : kept) {
        auto n = e.nodes[i];
        if (!is_leaf(n.op)) {
            n.a = map(n.a);
            if (n.op != opcode::negate && n.op != opcode::logical_not && n.op != opcode::in)
                n.b = map(n.b);
            for (auto& item : n.list) item = map(item);
        }
        out.nodes.push_back(std::move(n));
    }
    return out;
}

// Which orderings of answer and constant satisfy `op`: bit 0 less, 1 equal, 2 greater.
std::uint8_t mask(opcode op) {
    switch (op) {
        case opcode::equal: return 0b010;
        case opcode::not_equal: return 0b101;
        case opcode::less: return 0b001;
        case opcode::less_equal: return 0b011;
        case opcode::greater: return 0b100;
        default: return 0b110;
    }
}

opcode mirrored(opcode op) {
    switch (op) {
        case opcode::less: return opcode::greater;
        case opcode::less_equal: return opcode::greater_equal;
        case opcode::greater: return opcode::less;
        case opcode::greater_equal: return opcode::less_equal;
        default: return op;
    }
}

}  // namespace

// Slots before the first node: the atoms, then one that is always true.
std::uint32_t matcher::nodes_base() const {
    return static_cast<std::uint32_t>(numeric_.size() + general_.size() + 1);
}

namespace {
constexpr std::uint32_t general_mark = 0x80000000u;
constexpr std::uint32_t node_mark = 0x40000000u;
constexpr std::uint32_t always_slot = 0x20000000u;
}  // namespace

matcher::matcher(survey::survey const& survey, rule_set const& rules) : survey_(&survey) {
    for (auto const& r : rules.rules)
        roots_.push_back(r.condition ? compile(*r.condition, static_cast<std::uint32_t>(r.condition->nodes.size() - 1))
                                     : always_slot);
    // Slot numbers are known now that every atom is.
    auto const numeric = static_cast<std::uint32_t>(numeric_.size());
    auto const base = nodes_base();
    auto place = [&](std::uint32_t& slot) {
        if (slot == always_slot) slot = base - 1;
        else if (slot & general_mark) slot = numeric + (slot & ~general_mark);
        else if (slot & node_mark) slot = base + (slot & ~node_mark);
    };
    for (auto& n : nodes_) place(n.x), place(n.y);
    for (auto& r : roots_) place(r);
}

// In node order, children before parents, instead of recursing from the root: a rule may
// join 200,000 conditions with `or`.
std::uint32_t matcher::compile(survey::expr const& e, std::uint32_t root) {
    auto logical = [&](std::uint32_t i) {
        auto op = e.nodes[i].op;
        return op == opcode::logical_and || op == opcode::logical_or || op == opcode::logical_not;
    };
    enum : std::uint8_t { unused, logic, atom_root };
    std::vector<std::uint8_t> role(root + 1, unused);
    role[root] = logical(root) ? logic : atom_root;
    for (std::uint32_t i = root + 1; i-- > 0;) {
        if (role[i] != logic) continue;
        for_each_operand(e.nodes[i],
                         [&](std::uint32_t c) { role[c] = logical(c) ? logic : atom_root; });
    }
    std::vector<std::uint32_t> slot(root + 1, 0);
    for (std::uint32_t i = 0; i <= root; ++i) {
        if (role[i] == atom_root) {
            slot[i] = atom(e, i);
            continue;
        }
        if (role[i] != logic) continue;
        auto const& n = e.nodes[i];
        node out{};
        if (n.op == opcode::logical_and)
            out = {slot[n.a], slot[n.b], 0b1000};
        else if (n.op == opcode::logical_or)
            out = {slot[n.a], slot[n.b], 0b1110};
        else
            out = {slot[n.a], slot[n.a], 0b0001};
        nodes_.push_back(out);
        slot[i] = static_cast<std::uint32_t>(nodes_.size() - 1) | node_mark;
    }
    return slot[root];
}

std::uint32_t matcher::atom(survey::expr const& e, std::uint32_t index) {
    auto const& n = e.nodes[index];
    if (is_comparison(n.op)) {
        auto const& a = e.nodes[n.a];
        auto const& b = e.nodes[n.b];
        auto numeric_literal = [](survey::expr::node const& x) {
            return x.op == opcode::number || x.op == opcode::boolean;
        };
        auto numeric_question = [&](survey::expr::node const& x) {
            return x.op == opcode::question &&
                   (x.type == survey::value_type::number || x.type == survey::value_type::boolean);
        };
        std::optional<numeric_atom> found;
        if (numeric_question(a) && numeric_literal(b)) found = numeric_atom{a.a, mask(n.op), b.number};
        if (numeric_literal(a) && numeric_question(b)) found = numeric_atom{b.a, mask(mirrored(n.op)), a.number};
        if (found) {
            for (std::size_t i = 0; i < numeric_.size(); ++i)
                if (numeric_[i].question == found->question && numeric_[i].mask == found->mask &&
                    numeric_[i].constant == found->constant)
                    return static_cast<std::uint32_t>(i);
            numeric_.push_back(*found);
            return static_cast<std::uint32_t>(numeric_.size() - 1);
        }
    }
    auto sub = subtree(e, index);
    for (std::size_t i = 0; i < general_.size(); ++i)
        if (general_[i] == sub) return static_cast<std::uint32_t>(i) | general_mark;
    auto const g = static_cast<std::uint32_t>(general_.size());
    contains_of_.push_back(-1);
    if (n.op == opcode::contains && e.nodes[n.a].op == opcode::question && e.nodes[n.b].op == opcode::text) {
        auto needle = e.nodes[n.b].text;
        if (e.nodes[n.a].type == survey::value_type::text) util::ascii_lower_in_place(needle);
        contains_of_.back() = static_cast<std::int32_t>(contains_.size());
        contains_.push_back({e.nodes[n.a].a, std::move(needle), g});
    }
    general_.push_back(std::move(sub));
    return g | general_mark;
}

void matcher::match(response::response const& r, std::vector<std::uint32_t>& out) const {
    auto const& s = *survey_;
    constexpr std::size_t inline_questions = 64;
    double numbers_inline[inline_questions];
    std::vector<double> numbers_heap;
    double* numbers = numbers_inline;
    if (s.questions.size() > inline_questions) {
        numbers_heap.resize(s.questions.size());
        numbers = numbers_heap.data();
    }
    std::fill(numbers, numbers + s.questions.size(), std::numeric_limits<double>::quiet_NaN());
    response::answer const* answers_inline[inline_questions];
    std::vector<response::answer const*> answers_heap;
    response::answer const** answers = answers_inline;
    if (s.questions.size() > inline_questions) {
        answers_heap.resize(s.questions.size());
        answers = answers_heap.data();
    }
    std::fill(answers, answers + s.questions.size(), nullptr);
    // Answers usually come in the survey's order: look from the last one on first.
    std::size_t guess = 0;
    for (auto const& [id, a] : r.answers) {
        std::size_t q = guess;
        while (q < s.questions.size() && s.questions[q].id != id) ++q;
        if (q == s.questions.size()) {
            int found = s.question_index(id);
            if (found < 0) continue;
            q = static_cast<std::size_t>(found);
        }
        guess = q + 1;
        if (answers[q]) continue;  // the first answer counts, as in response::index_answers
        answers[q] = &a;
        switch (a.index()) {
            case 0: numbers[q] = std::get<bool>(a) ? 1 : 0; break;
            case 1: numbers[q] = static_cast<double>(std::get<std::int64_t>(a)); break;
            case 2: numbers[q] = std::get<double>(a); break;
            default: break;
        }
    }
    std::size_t const slots = nodes_base() + nodes_.size();
    std::uint8_t slots_inline[1024];
    std::vector<std::uint8_t> slots_heap(slots > sizeof slots_inline ? slots : 0);
    std::uint8_t* v = slots > sizeof slots_inline ? slots_heap.data() : slots_inline;
    for (std::size_t i = 0; i < numeric_.size(); ++i) {
        auto const& a = numeric_[i];
        double x = numbers[a.question];
        // A missing answer (NaN) makes every comparison false, as in the language.
        unsigned order = static_cast<unsigned>(x == a.constant) | static_cast<unsigned>(x > a.constant) << 1;
        v[i] = static_cast<std::uint8_t>((x == x) & (a.mask >> order));
    }
    response::answer_table const table{s, r, {answers, s.questions.size()}};
    std::string lowered;
    std::uint32_t lowered_question = 0xFFFFFFFFu;
    for (std::size_t i = 0; i < general_.size(); ++i) {
        std::uint8_t& out = v[numeric_.size() + i];
        if (contains_of_[i] < 0) {
            out = response::evaluate(general_[i], table);
            continue;
        }
        auto const& c = contains_[static_cast<std::size_t>(contains_of_[i])];
        auto const* a = answers[c.question];
        if (!a) {
            out = 0;
        } else if (auto const* text = std::get_if<std::string>(a)) {
            if (lowered_question != c.question) {
                lowered = *text;
                util::ascii_lower_in_place(lowered);
                lowered_question = c.question;
            }
            out = !lowered.empty() && lowered.find(c.needle) != std::string::npos;
        } else if (auto const* codes = std::get_if<response::choice_codes>(a)) {
            out = std::find(codes->begin(), codes->end(), c.needle) != codes->end();
        } else {
            out = response::evaluate(general_[i], table);
        }
    }
    std::size_t const base = nodes_base();
    v[base - 1] = 1;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        auto const& n = nodes_[i];
        v[base + i] = static_cast<std::uint8_t>((n.table >> (v[n.x] | v[n.y] << 1)) & 1);
    }
    // Written unconditionally and kept by count: matches are too random to predict.
    out.resize(roots_.size());
    std::size_t kept = 0;
    for (std::size_t rule = 0; rule < roots_.size(); ++rule) {
        out[kept] = static_cast<std::uint32_t>(rule);
        kept += v[roots_[rule]];
    }
    out.resize(kept);
}

}  // namespace candor::routing
