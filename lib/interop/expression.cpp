// The two expression parsers: recursive descent over untrusted text, every path through
// the recursion counted against max_expression_depth.
#include <cctype>
#include <charconv>

#include "candor/interop/import.hpp"
#include "condition.hpp"
#include "util/ascii.hpp"

namespace candor::interop::detail {

namespace {

bool word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
}

struct failure {
    problem why;
};

class scanner {
  public:
    explicit scanner(std::string_view text) : t_(text) {}

    void blanks() {
        while (i_ < t_.size() && std::isspace(static_cast<unsigned char>(t_[i_]))) ++i_;
    }
    bool done() {
        blanks();
        return i_ >= t_.size();
    }
    char peek() {
        blanks();
        return i_ < t_.size() ? t_[i_] : '\0';
    }
    char peek2() const { return i_ + 1 < t_.size() ? t_[i_ + 1] : '\0'; }
    std::size_t at() const noexcept { return i_; }
    void skip(std::size_t n) { i_ += n; }
    // The symbol `s` here (not followed by a word character when it is a word).
    bool symbol(std::string_view s, bool word = false) {
        blanks();
        if (t_.size() - i_ < s.size()) return false;
        for (std::size_t k = 0; k < s.size(); ++k)
            if (std::tolower(static_cast<unsigned char>(t_[i_ + k])) != s[k]) return false;
        if (word && i_ + s.size() < t_.size() && word_char(t_[i_ + s.size()])) return false;
        i_ += s.size();
        return true;
    }
    std::string word(bool dashes) {
        blanks();
        std::size_t start = i_;
        while (i_ < t_.size() &&
               (word_char(t_[i_]) || (dashes && (t_[i_] == '-' || t_[i_] == ':')) ||
                (dashes && t_[i_] == '.' && i_ > start)))
            ++i_;
        return std::string(t_.substr(start, i_ - start));
    }
    std::optional<double> number() {
        blanks();
        std::size_t j = i_;
        while (j < t_.size() && (std::isdigit(static_cast<unsigned char>(t_[j])) || t_[j] == '.'))
            ++j;
        if (j == i_) return std::nullopt;
        double v = 0;
        auto [p, ec] = std::from_chars(t_.data() + i_, t_.data() + j, v);
        if (ec != std::errc() || p != t_.data() + j) return std::nullopt;
        i_ = j;
        return v;
    }
    // A quoted string starting here; backslash escapes the next character.
    std::optional<std::string> quoted() {
        blanks();
        if (i_ >= t_.size() || (t_[i_] != '\'' && t_[i_] != '"')) return std::nullopt;
        char const q = t_[i_++];
        std::string out;
        while (i_ < t_.size() && t_[i_] != q) {
            if (t_[i_] == '\\' && i_ + 1 < t_.size()) ++i_;
            out += t_[i_++];
        }
        if (i_ >= t_.size()) throw failure{{"syntax", "a string is not closed", i_}};
        ++i_;
        return out;
    }
    std::string_view rest() const { return t_.substr(i_); }
    std::string_view text() const { return t_; }

  private:
    std::string_view t_;
    std::size_t i_ = 0;
};

[[noreturn]] void fail_at(std::size_t at, std::string message) {
    throw failure{{"syntax", std::move(message), at}};
}

void deeper(std::uint32_t& depth, std::size_t at) {
    if (++depth > max_expression_depth)
        throw failure{{"too-deep",
                       "the expression is nested more than " +
                           std::to_string(max_expression_depth) + " levels deep",
                       at}};
}

// The depth of the tree being built: nesting, and each link of an operator chain.
struct depth_guard {
    std::uint32_t& depth;
    explicit depth_guard(std::uint32_t& d, std::size_t at) : depth(d) { deeper(depth, at); }
    ~depth_guard() { --depth; }
    depth_guard(depth_guard const&) = delete;
    depth_guard& operator=(depth_guard const&) = delete;
};

node make(node::kind k, std::string name, std::size_t at) {
    node n;
    n.k = k;
    n.name = std::move(name);
    n.offset = at;
    return n;
}

node binary(std::string op, node a, node b, std::size_t at) {
    node n = make(node::kind::binary, std::move(op), at);
    n.args.push_back(std::move(a));
    n.args.push_back(std::move(b));
    return n;
}

node literal(value v, std::size_t at) {
    node n = make(node::kind::literal, {}, at);
    n.literal = std::move(v);
    return n;
}

value number_value(double d) {
    value v;
    v.k = value::kind::number;
    v.number = d;
    return v;
}

// Chains of one operator: an n-ary node, so that a long chain is not a deep tree.
void chain(node& left, std::string const& op, node right, std::size_t at) {
    if (left.k == node::kind::binary && left.name == op && (op == "and" || op == "or")) {
        left.args.push_back(std::move(right));
        return;
    }
    left = binary(op, std::move(left), std::move(right), at);
}

// What both grammars share: arithmetic, unary minus, parentheses, strings, numbers and
// calls. `Derived` gives logical_and(), primary() and the operators of `or` and of products.
template <class Derived>
class descent {
  public:
    explicit descent(std::string_view text) : s_(text) {}

    node run() {
        node n = self().logical_or();
        if (!s_.done())
            fail_at(s_.at(), "unexpected `" + std::string(s_.rest().substr(0, 20)) + "`");
        return n;
    }

    // a or b or c: one node.
    node logical_or() {
        depth_guard g(depth_, s_.at());
        node n = self().logical_and();
        for (;;) {
            std::size_t at = s_.at();
            if (!self().or_operator()) return n;
            chain(n, "or", self().logical_and(), at);
        }
    }

  protected:
    Derived& self() { return static_cast<Derived&>(*this); }

    // a + b - c: a chain is as deep as it is long.
    node additive() {
        std::uint32_t const outer = depth_;
        node n = multiplicative();
        for (;;) {
            std::size_t at = s_.at();
            char c = s_.peek();
            if (c != '+' && c != '-') break;
            s_.skip(1);
            deeper(depth_, at);
            n = binary(std::string(1, c), std::move(n), multiplicative(), at);
        }
        depth_ = outer;
        return n;
    }
    node multiplicative() {
        std::uint32_t const outer = depth_;
        node n = prefix();
        for (;;) {
            std::size_t at = s_.at();
            std::string op = self().product_operator();
            if (op.empty()) break;
            deeper(depth_, at);
            n = binary(op, std::move(n), prefix(), at);
        }
        depth_ = outer;
        return n;
    }
    node prefix() {
        std::size_t at = s_.at();
        if (s_.peek() != '-') return self().primary();
        s_.skip(1);
        depth_guard g(depth_, at);
        node inner = prefix();
        if (inner.k == node::kind::literal && inner.literal.k == value::kind::number) {
            inner.literal.number = -inner.literal.number;
            inner.literal.text.clear();
            return inner;
        }
        node x = make(node::kind::unary, "-", at);
        x.args.push_back(std::move(inner));
        return x;
    }
    // ( expression ), the `(` next.
    node parenthesised() {
        s_.skip(1);
        node n = self().logical_or();
        if (!s_.symbol(")")) fail_at(s_.at(), "expected `)`");
        return n;
    }
    // The text up to `}` as a variable name, the opening already read.
    node variable(std::size_t at, std::size_t opening) {
        s_.skip(opening);
        std::string_view rest = s_.rest();
        auto close = rest.find('}');
        if (close == std::string_view::npos) fail_at(at, "`{` is not closed");
        std::string name(rest.substr(0, close));
        s_.skip(close + 1);
        auto b = name.find_first_not_of(' '), e = name.find_last_not_of(' ');
        return make(node::kind::variable, b == std::string::npos ? "" : name.substr(b, e - b + 1),
                    at);
    }
    // A quoted string or a number here, if there is one.
    std::optional<node> string_or_number(std::size_t at) {
        if (auto q = s_.quoted()) {
            value v;
            v.k = value::kind::string;
            v.text = std::move(*q);
            return literal(std::move(v), at);
        }
        char const c = s_.peek();
        if (!std::isdigit(static_cast<unsigned char>(c)) &&
            !(c == '.' && std::isdigit(static_cast<unsigned char>(s_.peek2()))))
            return std::nullopt;
        std::size_t start = s_.at();
        auto d = s_.number();
        if (!d) fail_at(at, "not a number");
        value v = number_value(*d);
        v.text = std::string(s_.text().substr(start, s_.at() - start));
        return literal(std::move(v), at);
    }
    // name( a, b ), the `(` next; also [a, b] with kind list.
    node arguments(node n, char close) {
        s_.skip(1);
        depth_guard g(depth_, n.offset);
        if (!s_.symbol(std::string_view(&close, 1))) {
            do n.args.push_back(self().logical_or());
            while (s_.symbol(","));
            if (!s_.symbol(std::string_view(&close, 1)))
                fail_at(s_.at(), std::string("expected `") + close + "`");
        }
        return n;
    }

    scanner s_;
    std::uint32_t depth_ = 0;
};

// ---- SurveyJS

class surveyjs_parser : public descent<surveyjs_parser> {
  public:
    using descent::descent;

    bool or_operator() { return s_.symbol("||") || s_.symbol("or", true); }
    std::string product_operator() {
        char c = s_.peek();
        if (c != '*' && c != '/' && c != '%') return {};
        s_.skip(1);
        return std::string(1, c);
    }
    node primary() {
        std::size_t at = s_.at();
        char c = s_.peek();
        if (c == '\0') fail_at(at, "the expression ends too soon");
        if (c == '(') return parenthesised();
        if (c == '{') return variable(at, 1);
        if (c == '[') return arguments(make(node::kind::list, {}, at), ']');
        if (auto n = string_or_number(at)) return std::move(*n);
        std::string w = s_.word(false);
        if (w.empty()) fail_at(at, "unexpected `" + std::string(1, c) + "`");
        if (s_.peek() == '(')
            return arguments(make(node::kind::call, util::ascii_lower(w), at), ')');
        std::string lw = util::ascii_lower(w);
        value v;
        if (lw == "true" || lw == "false") {
            v.k = value::kind::boolean;
            v.flag = lw == "true";
        } else if (lw == "null" || lw == "undefined") {
            v.k = value::kind::null;
        } else {  // SurveyJS reads a bare word as a string
            v.k = value::kind::string;
            v.text = w;
        }
        return literal(std::move(v), at);
    }

    node logical_and() {
        node n = logical_not();
        for (;;) {
            std::size_t at = s_.at();
            if (!(s_.symbol("&&") || s_.symbol("and", true))) return n;
            chain(n, "and", logical_not(), at);
        }
    }
    node logical_not() {
        // A run of ! is read in a loop, not by recursion.
        std::size_t count = 0, at = s_.at();
        for (;;) {
            if (s_.peek() == '!' && s_.peek2() != '=') {
                s_.skip(1);
                ++count;
            } else if (s_.symbol("not", true)) {
                ++count;
            } else {
                break;
            }
        }
        std::uint32_t const outer = depth_;
        for (std::size_t k = 0; k < count; ++k) deeper(depth_, at);
        node n = comparison();
        depth_ = outer;
        for (; count > 0; --count) {
            node x = make(node::kind::unary, "not", at);
            x.args.push_back(std::move(n));
            n = std::move(x);
        }
        return n;
    }
    std::string comparison_operator() {
        static constexpr std::pair<std::string_view, std::string_view> symbols[] = {
            {"==", "="},  {"!=", "!="}, {"<>", "!="}, {"<=", "<="},
            {">=", ">="}, {"=", "="},   {"<", "<"},   {">", ">"}};
        for (auto [sym, op] : symbols)
            if (s_.symbol(sym)) return std::string(op);
        static constexpr std::pair<std::string_view, std::string_view> words[] = {
            {"notequal", "!="},
            {"equal", "="},
            {"lessorequal", "<="},
            {"greaterorequal", ">="},
            {"less", "<"},
            {"greater", ">"},
            {"notcontains", "notcontains"},
            {"contains", "contains"},
            {"anyof", "anyof"},
            {"allof", "allof"},
            {"noneof", "noneof"}};
        for (auto [w, op] : words)
            if (s_.symbol(w, true)) return std::string(op);
        return {};
    }
    node comparison() {
        node n = additive();
        std::size_t at = s_.at();
        for (std::string_view test : {"notempty", "empty"}) {
            if (!s_.symbol(test, true)) continue;
            node x = make(node::kind::unary, std::string(test), at);
            x.args.push_back(std::move(n));
            return x;
        }
        std::string op = comparison_operator();
        if (op.empty()) return n;
        return binary(op, std::move(n), additive(), at);
    }
};

// ---- XLSForm (ODK XPath)

class xpath_parser : public descent<xpath_parser> {
  public:
    using descent::descent;

    bool or_operator() { return s_.symbol("or", true); }
    std::string product_operator() {
        if (s_.symbol("*")) return "*";
        if (s_.symbol("div", true)) return "/";
        if (s_.symbol("mod", true)) return "%";
        return {};
    }
    node primary() {
        std::size_t at = s_.at();
        char c = s_.peek();
        if (c == '\0') fail_at(at, "the expression ends too soon");
        if (c == '(') return parenthesised();
        if (c == '$' && s_.peek2() == '{') return variable(at, 2);
        if (auto n = string_or_number(at)) return std::move(*n);
        if (c == '.') {
            s_.skip(1);
            return make(node::kind::variable, ".", at);
        }
        std::string w = s_.word(true);
        if (w.empty()) fail_at(at, "unexpected `" + std::string(1, c) + "`");
        if (s_.peek() != '(') fail_at(at, "`" + w + "` is not a value: write ${name} or 'text'");
        return arguments(make(node::kind::call, w, at), ')');
    }

    node logical_and() {
        node n = comparison();
        for (;;) {
            std::size_t at = s_.at();
            if (!s_.symbol("and", true)) return n;
            chain(n, "and", comparison(), at);
        }
    }

  private:
    node comparison() {
        node n = additive();
        std::size_t at = s_.at();
        static constexpr std::string_view ops[] = {"!=", "<=", ">=", "=", "<", ">"};
        for (auto op : ops)
            if (s_.symbol(op)) return binary(std::string(op), std::move(n), additive(), at);
        return n;
    }
};

template <class Parser>
parsed run(std::string_view text) {
    try {
        return {Parser(text).run(), {}};
    } catch (failure const& f) {
        return {std::nullopt, f.why};
    }
}

}  // namespace

parsed parse_surveyjs(std::string_view text) {
    return run<surveyjs_parser>(text);
}
parsed parse_xpath(std::string_view text) {
    return run<xpath_parser>(text);
}

}  // namespace candor::interop::detail
