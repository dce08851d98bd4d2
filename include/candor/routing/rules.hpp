// Routing rules: which roles hear of which responses, how soon they must acknowledge,
// and whom to tell when they do not.
//   when recommend <= 6 or what_went_wrong contains "rude"  notify site_manager within 4h escalate
//   regional_director after 24h when contact_me == yes  notify customer_care within 1 business day
//   always                  notify customer_care.digest daily
// Conditions are the survey's expression language, compiled against the survey.
// Thread safety: value types and pure functions; a rule_set once loaded may be read from
// many threads at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "candor/error.hpp"
#include "candor/routing/org.hpp"
#include "candor/routing/time.hpp"
#include "candor/survey/survey.hpp"

namespace candor::routing {

struct target {
    std::string role;
    bool digest = false;  // `role.digest`: collected into a digest, no case to acknowledge
};

struct rule {
    std::string condition_text;             // as written; empty for `always`
    std::optional<survey::expr> condition;  // none: always
    std::vector<target> notify;
    std::optional<duration> within;          // to acknowledge; the org's default otherwise
    std::string escalate_to;                 // role; the notified role's escalates-to otherwise
    std::optional<duration> escalate_after;  // `within` (or the default) otherwise
    bool daily = false;
    location where;
};

struct rule_set {
    std::vector<rule> rules;
    errors warnings;
};

// Reads the `when`/`always` statements of `text` and checks them against the org and the
// survey: unknown questions or roles, type mismatches, durations that do not parse, rules
// that can never match, and the bypass guarantee (no rule may notify or escalate to a
// front-line role, so the staff a card is about never see it). When `text` is the org
// file itself (file_name == org.file) its org statements are skipped; elsewhere they are
// an error.
result<rule_set> load_rules(std::string_view text, std::string_view file_name,
                            organisation const& org, survey::survey const& survey);
result<rule_set> load_rules_file(std::string const& path, organisation const& org,
                                 survey::survey const& survey);

}  // namespace candor::routing
