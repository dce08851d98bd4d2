// The org file grammar: one statement at a time (org_parse.cpp cuts the file into
// statements). Tokens and the error handler are util/x3/tokens.hpp's, shared with the survey parser.
#pragma once

#include "util/x3/tokens.hpp"
#include "org_ast_adapted.hpp"
#include "org_grammar.hpp"

namespace candor::routing::parser {

using util::parser::kw;
using util::parser::kw_string;
using util::parser::quoted;
using util::parser::report_errors;
using util::parser::text_from_raw;
using x3::alnum;
using x3::alpha;
using x3::char_;
using x3::digit;
using x3::lexeme;

struct org_statement_class : report_errors {};
#define CANDOR_ORG_RULE_ID(name) struct name : x3::annotate_on_success {};
CANDOR_ORG_RULE_ID(entity_class)
CANDOR_ORG_RULE_ID(person_class)
CANDOR_ORG_RULE_ID(holding_class)
CANDOR_ORG_RULE_ID(channel_class)
CANDOR_ORG_RULE_ID(rule_class)
CANDOR_ORG_RULE_ID(site_option_class)
CANDOR_ORG_RULE_ID(role_option_class)
CANDOR_ORG_RULE_ID(office_option_class)
CANDOR_ORG_RULE_ID(rule_option_class)
#undef CANDOR_ORG_RULE_ID

org_statement_type const org_statement_rule =
    "a statement (brand, region, site, role, person, head-office, when, always)";

x3::rule<class word_class, ast::word> const word = "a name";
x3::rule<class duration_class, ast::word> const duration = "a duration such as 4h, 2 days or 1 business day";
x3::rule<class condition_text_class, ast::word> const condition_text = "a condition, then notify";
x3::rule<entity_class, ast::entity_stmt> const entity = "brand, region, site, role or head-office";
x3::rule<person_class, ast::person_stmt> const person = "person id \"name\" holds role at place";
x3::rule<holding_class, ast::holding> const holding = "a role, optionally `at` a place";
x3::rule<channel_class, ast::channel> const channel =
    "a channel: email, webhook or callback \"address\", or language or timezone \"value\"";
x3::rule<rule_class, ast::rule_stmt> const rule = "when CONDITION notify ROLE, ...";
x3::rule<site_option_class, ast::option> const site_option = "region, brand, timezone or hours";
x3::rule<role_option_class, ast::option> const role_option =
    "front-line, management, at, escalates-to or contacts-guests";
x3::rule<office_option_class, ast::option> const office_option =
    "timezone, hours, fallback, deadline or duty-field";
x3::rule<rule_option_class, ast::option> const rule_option = "within, escalate, after or daily";

using words = std::vector<ast::word>;

// Names, places, time zones (utc+01:00, Europe/Paris), hours (mon-fri 09:00-18:00), digest targets.
auto const word_chars = lexeme[(alnum | char_('_')) >> *(alnum | char_("-_.:+/"))];
auto const word_def = x3::raw[word_chars][text_from_raw<&ast::word::text>{}];

auto const option_keyword = kw("within") | kw("escalate") | kw("after") | kw("daily");
// "4h", "24 hours", "1 business day": checked when lowered, so a wrong unit is reported
// with what units there are.
auto const duration_def =
    x3::raw[lexeme[+digit >> -('.' >> +digit)] >> -kw("business") >>
            -(!option_keyword >> lexeme[+alpha])][text_from_raw<&ast::word::text>{}];

// Everything up to `notify`, strings read whole so a "notify" inside one does not end it.
auto const condition_chars = lexeme[+(quoted | (!kw("notify") >> +(alnum | char_('_'))) |
                                       (char_ - alnum - '_' - '"'))];
auto const condition_text_def = x3::raw[condition_chars][text_from_raw<&ast::word::text>{}];

auto const no_values = x3::attr(words());
x3::rule<class one_class, words> const one = "a name";
x3::rule<class hours_class, words> const hours = "days and hours, such as mon-fri 09:00-18:00";
x3::rule<class one_duration_class, words> const one_duration = "a duration such as 4h, 2 days or 1 business day";
x3::rule<class holdings_class, std::vector<ast::holding>> const holdings = "a role, optionally `at` a place";
x3::rule<class targets_class, words> const targets = "a role, or roles separated by commas";
auto const one_def = x3::repeat(1)[word];
auto const hours_def = x3::repeat(2)[word];
auto const one_duration_def = x3::repeat(1)[duration];

auto const site_option_def = ((kw_string("region") | kw_string("brand") | kw_string("timezone")) > one) |
                             (kw_string("hours") > hours);
auto const role_option_def =
    ((kw_string("front-line") | kw_string("management") | kw_string("contacts-guests")) >> no_values) |
    ((kw_string("at") | kw_string("escalates-to")) > one);
auto const office_option_def =
    ((kw_string("timezone") | kw_string("fallback") | kw_string("duty-field")) > one) |
    (kw_string("hours") > hours) | (kw_string("deadline") > one_duration);
auto const rule_option_def = ((kw_string("within") | kw_string("after")) > one_duration) |
                             (kw_string("escalate") > one) | (kw_string("daily") >> no_values);

auto const no_options = x3::attr(std::vector<ast::option>());
auto const entity_def =
    ((kw_string("brand") | kw_string("region")) > word > -quoted > no_options) |
    (kw_string("site") > word > -quoted > *site_option) |
    (kw_string("role") > word > -quoted > *role_option) |
    (kw_string("head-office") > x3::attr(ast::word()) > -quoted > *office_option);

auto const holding_def = word >> -(kw("at") > word);
auto const holdings_def = holding % ',';
auto const targets_def = word % ',';
// A channel, or a setting of the person's e-mails (`language "fr"`, `timezone "Europe/Paris"`).
auto const channel_def = (kw_string("email") | kw_string("webhook") | kw_string("callback") |
                          kw_string("language") | kw_string("timezone")) > quoted;
auto const person_def = kw("person") > word > -quoted > kw("holds") > holdings > *channel;

auto const rule_def = ((kw("when") > condition_text) | (kw("always") >> x3::attr(ast::word()))) >
                      kw("notify") > targets > *rule_option;

auto const org_statement_rule_def = entity | person | rule;

BOOST_SPIRIT_DEFINE(org_statement_rule, word, one, hours, one_duration, holdings, targets, duration, condition_text, entity, person, holding, channel,
                    rule, site_option, role_option, office_option, rule_option)

}  // namespace candor::routing::parser
