// The part of an import that does not depend on the source format: diagnostics at their
// places, Candor names for foreign ones, and the survey built question by question, each
// condition checked against the questions before it, then formatted and parsed back.
// Private to candor::interop.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "candor/error.hpp"
#include "candor/interop/import.hpp"
#include "candor/survey/survey.hpp"
#include "condition.hpp"

namespace candor::interop::detail {

class report {
  public:
    report(std::string file, bool lenient) : file_(std::move(file)), lenient_(lenient) {}
    // Something the source says that Candor cannot carry over: an error, or (lenient) a
    // warning that says it was dropped.
    void not_carried(std::string place, std::string code, std::string message);
    // A warning whatever the mode: a renamed id, a limit converted.
    void note(std::string place, std::string code, std::string message);
    // The source itself is broken: an error whatever the mode.
    void broken(std::string place, std::string code, std::string message);
    bool failed() const noexcept { return failed_; }
    bool lenient() const noexcept { return lenient_; }
    std::string const& file() const noexcept { return file_; }
    errors& all() noexcept { return all_; }

  private:
    std::string file_;
    bool lenient_;
    bool failed_ = false;
    errors all_;
};

// Whether `s` is a Candor name (question id, field, page id, option code) as written.
bool is_name(std::string_view s);
// A Candor name made from a foreign one: other characters become `_`, a leading digit
// gets a `v` (codes) or `q` (ids) before it, a reserved word a `_` after it.
std::string make_name(std::string_view source, char prefix);
// 2-3 lower-case letters, then -subtags of 2-8 letters or digits.
bool is_language_code(std::string_view s);

// Unique names in one namespace; each name that differs from its source is noted.
class namer {
  public:
    explicit namer(char prefix) : prefix_(prefix) {}
    std::string take(std::string_view source);
    bool used(std::string const& name) const { return used_.count(name) != 0; }

  private:
    char prefix_;
    std::set<std::string> used_;
};

// One condition of the source in Candor's language: `tree` parsed from `text`, then
// `lower` (which throws untranslatable); "" after reporting at `place` why not.
template <class Lower>
std::string translate(report& r, parsed const& tree, std::string const& text,
                      std::string const& place, Lower lower) {
    if (!tree.tree) {
        r.not_carried(place, tree.why.code == "too-deep" ? "too-deep" : "bad-expression",
                      excerpt(text) + ": " + tree.why.message + " (at character " +
                          std::to_string(tree.why.offset + 1) + ")");
        return {};
    }
    try {
        return lower(*tree.tree);
    } catch (untranslatable const& f) {
        r.not_carried(place, f.code, excerpt(text) + ": " + f.message);
        return {};
    }
}

// An `and` or `or` chain, each operand translated by `each` and parenthesised.
template <class Each>
std::string join(node const& chain, Each each) {
    std::string out;
    for (auto const& a : chain.args)
        out += (out.empty() ? "" : " " + chain.name + " ") + parenthesise(each(a));
    return out;
}

class builder {
  public:
    builder(report& r, std::string default_language);

    survey::survey& survey() noexcept { return s_; }
    report& diagnostics() noexcept { return r_; }
    std::string const& default_language() const noexcept { return default_language_; }

    // A text in `language` ("" for the default one); languages are collected in order.
    void add_text(survey::translated_text& t, std::string language, std::string text,
                  std::string const& place);
    // A page; questions added after it are on it. Returns its Candor id.
    std::string add_page(std::string_view source_name, survey::translated_text title);
    // A question id for `source_name` (noted when it differs).
    std::string question_id(std::string_view source_name, std::string const& place);
    // Whether `id` was already added (a condition may only read those).
    survey::question const* find(std::string_view source_name) const;
    source_question const* source(std::string_view source_name) const;

    // Adds a question; `show_if` and `require_if` are Candor condition text (empty: none),
    // checked against the questions before it. A condition that does not check is not
    // carried over (reported at its place).
    void add_question(survey::question q, source_question src, std::string show_if,
                      std::string const& show_place, std::string require_if,
                      std::string const& require_place);

    // The survey written as text and parsed back: the import's result.
    result<imported> finish();

  private:
    std::optional<survey::expr> condition(std::string const& text, std::string const& place);

    report& r_;
    std::string default_language_;
    survey::survey s_;
    std::vector<source_question> sources_;
    std::vector<std::string> languages_;
    namer ids_{'q'};
    namer pages_{'p'};
};

}  // namespace candor::interop::detail
