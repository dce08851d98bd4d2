// The statement grammar: the survey header and what stands inside its braces.
#pragma once

#include "common_def.hpp"
#include "grammar.hpp"

namespace candor::survey::parser {

struct header_class : x3::annotate_on_success, report_errors {};
struct statement_class : x3::annotate_on_success, report_errors {};
// X3 tells rules apart by their ID type, so every rule has its own.
#define CANDOR_TAGGED_RULE_ID(name) \
    struct name : x3::annotate_on_success {};
CANDOR_TAGGED_RULE_ID(lang_entry_class)
CANDOR_TAGGED_RULE_ID(bare_entry_class)
CANDOR_TAGGED_RULE_ID(range_class)
CANDOR_TAGGED_RULE_ID(option_class)
CANDOR_TAGGED_RULE_ID(kind_class)
CANDOR_TAGGED_RULE_ID(condition_attr_class)
CANDOR_TAGGED_RULE_ID(value_attr_class)
CANDOR_TAGGED_RULE_ID(labels_attr_class)
CANDOR_TAGGED_RULE_ID(other_attr_class)
struct prompt_attr_class;
CANDOR_TAGGED_RULE_ID(question_class)
CANDOR_TAGGED_RULE_ID(languages_class)
CANDOR_TAGGED_RULE_ID(title_class)
CANDOR_TAGGED_RULE_ID(fields_class)
CANDOR_TAGGED_RULE_ID(page_class)
#undef CANDOR_TAGGED_RULE_ID
struct text_class;

header_type const header_rule = "survey \"id\" version N {";
statement_type const statement_rule = "a statement (languages, title, field, page, question)";
// Defined and instantiated in grammar_expression.cpp.
expression_type const condition = "a condition";

x3::rule<lang_entry_class, ast::text_entry> const lang_entry = "a language and a quoted string";
x3::rule<bare_entry_class, ast::text_entry> const bare_entry = "a quoted string";
x3::rule<text_class, ast::text> const text = "a quoted string or { language \"text\" ... }";
x3::rule<range_class, ast::range> const bounds = "a range such as 1..5";
x3::rule<option_class, ast::option> const option = "an option: code \"label\"";
x3::rule<class options_class, std::vector<ast::option>> const options = "of (options)";
x3::rule<kind_class, ast::kind_spec> const kind =
    "a question kind (nps, csat, ces, rating, likert, choice, yesno, text, number, date, "
    "email, phone)";
x3::rule<condition_attr_class, ast::condition_attr> const condition_attr = "show if / require if";
x3::rule<value_attr_class, ast::value_attr> const value_attr = "required, personal, max N, min N";
x3::rule<labels_attr_class, ast::labels_attr> const labels_attr = "labels (\"low\", \"high\")";
x3::rule<other_attr_class, ast::other_attr> const other_attr = "other \"label\"";
x3::rule<prompt_attr_class, ast::prompt_attr> const prompt_attr = "the question's text";
x3::rule<class attribute_any_class, ast::attribute> const attribute = "a question attribute";
x3::rule<question_class, ast::question_stmt> const question = "question id: kind ...";
x3::rule<languages_class, ast::languages_stmt> const languages = "languages en fr ...";
x3::rule<title_class, ast::title_stmt> const title = "title \"...\"";
x3::rule<fields_class, ast::fields_stmt> const fields = "field name, ...";
x3::rule<page_class, ast::page_stmt> const page = "page id \"title\"";

// Named rules for what an expectation may miss, so the message names it.
x3::rule<class version_class, std::string> const version_number = "a version number";
x3::rule<class version_kw_class> const version_kw = "`version`";
x3::rule<class if_kw_class> const if_kw = "`if`";
x3::rule<class lang_entries_class, ast::text> const lang_entries =
    "a language and a quoted string, e.g. en \"Thank you\"";
x3::rule<class option_list_class, std::vector<ast::option>> const option_list =
    "options: code \"label\", ...";
x3::rule<class language_list_class, std::vector<ast::name_ref>> const language_list =
    "language codes such as en fr";
x3::rule<class field_list_class, std::vector<ast::field_decl>> const field_list =
    "field names separated by commas";
x3::rule<class field_decl_class, ast::field_decl> const field_decl = "a field name";
auto const version_kw_def = kw("version");
auto const if_kw_def = kw("if");
auto const lang_entries_def = +lang_entry;
auto const option_list_def = option % ',';
auto const language_list_def = +language_ref;
auto const field_decl_def = name_ref >> x3::matches[kw("optional")];
auto const field_list_def = field_decl % ',';
auto const version_number_def = x3::raw[lexeme[+digit]];
auto const header_rule_def = kw("survey") > quoted > version_kw > version_number > '{';

auto const lang_entry_def = language > quoted;
auto const bare_entry_def = x3::attr(std::string()) >> quoted;
auto const text_def = ('{' > lang_entries > '}') | x3::repeat(1)[bare_entry];

auto const bounds_def = raw_number >> -(".." > raw_number);
auto const option_def = name_ref >> -text;
auto const options_def = -(kw("of") > '(' > option_list > ')');
auto const kind_def = name_ref >> -(kw_string("one") | kw_string("many")) >> options >> -bounds >>
                      -(kw_string("integer") | kw_string("decimal"));

auto const condition_attr_def = (kw_string("show") | kw_string("require")) > if_kw > condition;
auto const value_attr_def =
    ((kw_string("max") | kw_string("min")) > raw_number) |
    ((kw_string("required") | kw_string("personal")) >> x3::attr(std::string()));
auto const labels_attr_def = kw_string("labels") > '(' > text > ',' > text > ')';
auto const other_attr_def = kw_string("other") > text;
// One member, so filled by an action (see common_def.hpp); it takes the position of the
// text's first entry.
auto const prompt_attr_def = text[([](auto& ctx) {
    auto& node = x3::_val(ctx);
    node.value = std::move(x3::_attr(ctx));
    static_cast<x3::position_tagged&>(node) = node.value.front();
})];
auto const attribute_def = condition_attr | value_attr | labels_attr | other_attr | prompt_attr;

auto const question_def = kw_string("question") > name_ref > ':' > kind > *attribute;
auto const languages_def = kw_string("languages") > language_list > -(kw("default") > language_ref);
auto const title_def = kw_string("title") > text;
auto const fields_def = (kw_string("fields") | kw_string("field")) > field_list;
auto const page_def = kw_string("page") > name_ref > -text;

auto const statement_rule_def = question | languages | title | fields | page;

BOOST_SPIRIT_DEFINE(version_kw, if_kw, lang_entries, option_list, language_list, field_list,
                    field_decl)
BOOST_SPIRIT_DEFINE(header_rule, version_number, statement_rule, lang_entry, bare_entry, text,
                    bounds, option, options, kind, condition_attr, value_attr, labels_attr,
                    other_attr, prompt_attr, attribute, question, languages, title, fields, page)

}  // namespace candor::survey::parser
