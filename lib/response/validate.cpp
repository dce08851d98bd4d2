// Checking a response: types and ranges per answer first, then, in question order,
// which questions the answers show and which of those are required.
#include "candor/response/validate.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "candor/response/evaluate.hpp"
#include "candor/time.hpp"
#include "util/json_text.hpp"

namespace candor::response {

namespace {

using survey::question_kind;

std::string number_text(double v) {
    if (v == std::floor(v) && std::abs(v) < 1e15) return std::to_string(static_cast<long long>(v));
    return std::to_string(v);
}

bool valid_utf8(std::string_view s) {
    auto const* p = reinterpret_cast<unsigned char const*>(s.data());
    auto const* end = p + s.size();
    while (p < end) {
        unsigned char c = *p;
        int extra = c < 0x80             ? 0
                    : (c & 0xE0) == 0xC0 ? 1
                    : (c & 0xF0) == 0xE0 ? 2
                    : (c & 0xF8) == 0xF0 ? 3
                                         : -1;
        if (extra < 0 || (extra == 1 && c < 0xC2) || end - p <= extra) return extra == 0;
        for (int i = 1; i <= extra; ++i)
            if ((p[i] & 0xC0) != 0x80) return false;
        p += extra + 1;
    }
    return true;
}

// Tab, line feed and carriage return are text; any other control byte (NUL, ESC, DEL...) is not.
bool has_control(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) {
        auto const u = static_cast<unsigned char>(c);
        return (u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7F;
    });
}

// Why a text from outside is no text, or null.
char const* not_text(std::string_view s) {
    if (!valid_utf8(s)) return "is not valid UTF-8 text";
    if (has_control(s)) return "holds a control character";
    return nullptr;
}

// A name or code the survey does not know, as a message may quote it.
// Appending, not "`" + string: g++ 12 warns falsely (-Wrestrict) on the latter.
std::string in_backticks(std::string_view s) {
    std::string out(1, '`');
    out += util::printable(s, 64);
    out += '`';
    return out;
}

bool valid_email(std::string_view s) {
    auto at = s.find('@');
    if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != std::string_view::npos)
        return false;
    auto domain = s.substr(at + 1);
    auto dot = domain.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 >= domain.size()) return false;
    for (char c : s)
        if (static_cast<unsigned char>(c) <= ' ') return false;
    return s.size() <= 254;
}

// E.164-like: an optional +, then 6 to 15 digits; spaces, dots, dashes and parentheses allowed.
bool valid_phone(std::string_view s) {
    int digits = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c >= '0' && c <= '9')
            ++digits;
        else if (c == '+' && i == 0)
            continue;
        else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')')
            return false;
    }
    return digits >= 6 && digits <= 15;
}

// An empty text or an empty selection answers nothing.
bool is_blank(answer const& a) {
    if (auto const* t = std::get_if<std::string>(&a)) return t->empty();
    if (auto const* c = std::get_if<choice_codes>(&a)) return c->empty();
    return false;
}

class checker {
  public:
    checker(survey::survey const& s, response const& r, errors& out) : s_(s), r_(r), out_(out) {}

    void add(std::string_view question, char const* code, std::string message) {
        out_.push_back(
            {severity::error, code, std::move(message), {.field = std::string(question)}});
    }

    // Returns whether the answer is usable (right type and in range).
    bool check_answer(survey::question const& q, answer const& a) {
        auto wrong = [&](std::string_view expected) {
            add(q.id, "wrong-type", "`" + q.id + "` takes " + std::string(expected));
            return false;
        };
        switch (q.kind) {
            case question_kind::nps:
            case question_kind::csat:
            case question_kind::ces:
            case question_kind::rating:
            case question_kind::likert:
            case question_kind::number: {
                double v = 0;
                if (auto const* i = std::get_if<std::int64_t>(&a))
                    v = static_cast<double>(*i);
                else if (auto const* d = std::get_if<double>(&a))
                    v = *d;
                else
                    return wrong(q.kind == question_kind::number ? "a number"
                                                                 : "a whole number on its scale");
                bool const integral = v == std::floor(v);
                if (!std::isfinite(v) || ((survey::is_scale(q.kind) || q.integer) && !integral)) {
                    add(q.id, "out-of-range", "`" + q.id + "` takes a whole number");
                    return false;
                }
                if ((survey::is_scale(q.kind) || q.has_range) && (v < q.min || v > q.max)) {
                    add(q.id, "out-of-range",
                        "`" + q.id + "` is answered from " + number_text(q.min) + " to " +
                            number_text(q.max) + ", not " + number_text(v));
                    return false;
                }
                return true;
            }
            case question_kind::yesno:
                return std::holds_alternative<bool>(a) || wrong("yes or no (true or false)");
            case question_kind::choice_one: {
                auto const* code = std::get_if<std::string>(&a);
                if (!code) return wrong("one option code");
                return option(q, *code);
            }
            case question_kind::choice_many: {
                auto const* codes = std::get_if<choice_codes>(&a);
                if (!codes) return wrong("a list of option codes");
                bool ok = true;
                for (std::size_t i = 0; i < codes->size(); ++i) {
                    ok = option(q, (*codes)[i]) && ok;
                    for (std::size_t j = 0; j < i; ++j)
                        if ((*codes)[j] == (*codes)[i]) {
                            add(q.id, "duplicate-answer",
                                "`" + q.id + "` lists " + in_backticks((*codes)[i]) + " twice");
                            ok = false;
                        }
                }
                if (q.max_selections && codes->size() > q.max_selections) {
                    add(q.id, "too-many-selections",
                        "`" + q.id + "` allows at most " + std::to_string(q.max_selections) +
                            " choices, not " + std::to_string(codes->size()));
                    ok = false;
                }
                if (q.min_selections && !codes->empty() && codes->size() < q.min_selections) {
                    add(q.id, "too-few-selections",
                        "`" + q.id + "` needs at least " + std::to_string(q.min_selections) +
                            " choices");
                    ok = false;
                }
                return ok;
            }
            case question_kind::text:
            case question_kind::date:
            case question_kind::email:
            case question_kind::phone: {
                auto const* text = std::get_if<std::string>(&a);
                if (!text) return wrong("text");
                return text_answer(q, *text);
            }
        }
        return true;
    }

    bool text_answer(survey::question const& q, std::string const& text) {
        if (auto const* why = not_text(text)) {
            add(q.id, "invalid-format", "`" + q.id + "` " + why);
            return false;
        }
        std::uint32_t const limit = q.kind == question_kind::text ? q.max_length : 254;
        if (text.size() > limit) {
            add(q.id, "too-long",
                "`" + q.id + "` is " + std::to_string(text.size()) + " bytes long; at most " +
                    std::to_string(limit) + " are allowed");
            return false;
        }
        bool ok = true;
        if (q.kind == question_kind::date) ok = parse_date(text).has_value();
        if (q.kind == question_kind::email) ok = valid_email(text);
        if (q.kind == question_kind::phone) ok = valid_phone(text);
        if (!ok)
            add(q.id, "invalid-format",
                "`" + q.id + "` is not a valid " + std::string(survey::to_string(q.kind)) +
                    (q.kind == question_kind::date ? " (YYYY-MM-DD)" : ""));
        return ok;
    }

    bool option(survey::question const& q, std::string const& code) {
        if (q.option(code) || (q.other && code == "other")) return true;
        add(q.id, "unknown-option", "`" + q.id + "` has no option " + in_backticks(code));
        return false;
    }

    void run();

  private:
    survey::survey const& s_;
    response const& r_;
    errors& out_;
};

void checker::run() {
    if (r_.survey != s_.id || r_.version != s_.version) {
        add({}, "wrong-survey",
            "this response answers `" + r_.survey + "` version " + std::to_string(r_.version) +
                ", not `" + s_.id + "` version " + std::to_string(s_.version));
        return;
    }
    if (!r_.language.empty() &&
        std::find(s_.languages.begin(), s_.languages.end(), r_.language) == s_.languages.end())
        add({}, "unknown-language", "the survey is not offered in `" + r_.language + "`");
    if (r_.started && *r_.started > r_.submitted)
        add({}, "bad-time", "the response was started after it was submitted");

    for (std::size_t i = 0; i < r_.fields.size(); ++i) {
        auto const& name = r_.fields[i].first;
        if (s_.field_index(name) < 0)
            add(name, "device-field", "the survey has no device field " + in_backticks(name));
        else if (auto const* why = not_text(r_.fields[i].second))
            add(name, "invalid-format", "device field `" + name + "` " + why);
        for (std::size_t j = 0; j < i; ++j)
            if (r_.fields[j].first == name)
                add(name, "device-field", "device field `" + name + "` is set twice");
    }
    for (auto const& f : s_.fields)
        if (r_.field(f).empty() && s_.field_required(f))
            add(f, "missing-field", "the device did not set `" + f + "`");

    std::size_t const n = s_.questions.size();
    // Small surveys keep their tables on the stack: check() runs once per card.
    std::array<answer const*, 64> small_answers{};
    std::array<bool, 64> small_usable{};
    std::vector<answer const*> big_answers;
    std::vector<char> big_usable;
    std::span<answer const*> answers;
    bool* usable = nullptr;
    if (n <= small_answers.size()) {
        answers = std::span(small_answers.data(), n);
        usable = small_usable.data();
    } else {
        big_answers.assign(n, nullptr);
        big_usable.assign(n, 0);
        answers = std::span(big_answers.data(), n);
        usable = reinterpret_cast<bool*>(big_usable.data());
    }

    std::vector<std::pair<std::size_t, std::string const*>> other_texts;
    for (auto const& [id, a] : r_.answers) {
        int index = s_.question_index(id);
        if (index < 0) {
            auto dot = id.rfind(".other");
            int base = dot != std::string::npos && dot + 6 == id.size()
                           ? s_.question_index(std::string_view(id).substr(0, dot))
                           : -1;
            if (base >= 0 && s_.questions[static_cast<std::size_t>(base)].other) {
                auto const* text = std::get_if<std::string>(&a);
                if (!text)
                    add(id, "wrong-type", "`" + id + "` takes text");
                else
                    other_texts.emplace_back(static_cast<std::size_t>(base), text);
                continue;
            }
            if (s_.field_index(id) >= 0)
                add(id, "device-field",
                    "`" + id + "` is set by the device, never by the respondent");
            else
                add(id, "unknown-question", "the survey has no question " + in_backticks(id));
            continue;
        }
        auto const i = static_cast<std::size_t>(index);
        if (answers[i]) {
            add(id, "duplicate-answer", "`" + id + "` is answered twice");
            continue;
        }
        answers[i] = &a;
        usable[i] = check_answer(s_.questions[i], a);
    }

    // Conditions read only earlier answers (the parser enforces it), so one pass in order
    // settles what is shown. An answer that is hidden or unusable counts as missing.
    for (std::size_t i = 0; i < n; ++i) {
        auto const& q = s_.questions[i];
        answer_table table{s_, r_, answers};
        bool const shown = !q.show_if || evaluate(*q.show_if, table);
        bool const required =
            shown && (q.required || (q.require_if && evaluate(*q.require_if, table)));
        if (!shown && answers[i]) {
            add(q.id, "not-shown",
                "`" + q.id + "` was answered but is not shown for these answers");
        }
        if (required && !answers[i]) {
            add(q.id, "required-missing", "`" + q.id + "` is required");
        } else if (required && answers[i] && usable[i] && is_blank(*answers[i])) {
            add(q.id, "required-missing", "`" + q.id + "` is required");
        }
        if (!shown || !usable[i]) answers[i] = nullptr;
    }

    for (auto [base, text] : other_texts) {
        auto const& q = s_.questions[base];
        auto const* chosen = answers[base];
        bool const picked_other =
            chosen && ((std::holds_alternative<std::string>(*chosen) &&
                        std::get<std::string>(*chosen) == "other") ||
                       (std::holds_alternative<choice_codes>(*chosen) &&
                        std::ranges::find(std::get<choice_codes>(*chosen), "other") !=
                            std::get<choice_codes>(*chosen).end()));
        if (!picked_other)
            add(q.id + ".other", "not-shown",
                "`" + q.id + ".other` is given but `other` was not chosen");
        else if (auto const* why = not_text(*text))
            add(q.id + ".other", "invalid-format", "`" + q.id + ".other` " + why);
        else if (text->size() > default_other_length)
            add(q.id + ".other", "too-long",
                "`" + q.id + ".other` is at most " + std::to_string(default_other_length) +
                    " bytes long");
    }
}

}  // namespace

errors validate(survey::survey const& s, response const& r) {
    errors out;
    checker(s, r, out).run();
    return out;
}

bool is_shown(survey::survey const& s, response const& r, std::size_t index) {
    std::vector<answer const*> answers(s.questions.size());
    index_answers(s, r, answers);
    for (std::size_t i = 0; i <= index && i < s.questions.size(); ++i) {
        auto const& q = s.questions[i];
        bool const shown = !q.show_if || evaluate(*q.show_if, answer_table{s, r, answers});
        if (i == index) return shown;
        if (!shown) answers[i] = nullptr;
    }
    return false;
}

}  // namespace candor::response
