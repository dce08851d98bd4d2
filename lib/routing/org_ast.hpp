// The syntax tree of an org file (and of routing rules), as Spirit X3 fills it. Private
// to lib/routing: org_lower.cpp and rules_lower.cpp turn it into the public model.
#pragma once

#include <boost/optional.hpp>
#include <boost/spirit/home/x3/support/ast/position_tagged.hpp>
#include <boost/spirit/home/x3/support/ast/variant.hpp>
#include <string>
#include <vector>

namespace candor::routing::ast {

namespace x3 = boost::spirit::x3;

// position_tagged's id_first/id_last hold byte offsets into the source.

// A name, a place, a time zone, hours, a duration: one token where it was written.
struct word : x3::position_tagged {
    std::string text;
};

// `key value...` after a statement's name: `region north`, `hours mon-fri 09:00-18:00`,
// `contacts-guests` (no values).
struct option : x3::position_tagged {
    std::string key;
    std::vector<word> values;
};

// brand, region, site, role, head-office: a keyword, a name, a label, options.
struct entity_stmt : x3::position_tagged {
    std::string keyword;
    word id;
    boost::optional<std::string> label;
    std::vector<option> options;
};

// `holds site_manager at paris-01`
struct holding : x3::position_tagged {
    word role;
    boost::optional<word> place;
};

// `email "a@b"`, `webhook "http://..."`, `callback "name"`
struct channel : x3::position_tagged {
    std::string kind;
    std::string address;
};

struct person_stmt : x3::position_tagged {
    word id;
    boost::optional<std::string> label;
    std::vector<holding> holds;
    std::vector<channel> channels;
};

// `when CONDITION notify a, b within 4h escalate c after 24h` or `always notify ...`.
// The condition is kept as text and compiled against the survey by survey::parse_condition.
struct rule_stmt : x3::position_tagged {
    word condition;  // empty text for `always`
    std::vector<word> targets;
    std::vector<option> options;
};

struct statement : x3::variant<entity_stmt, person_stmt, rule_stmt> {
    using base_type::base_type;
    using base_type::operator=;
};

}  // namespace candor::routing::ast
