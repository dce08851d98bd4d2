// candor route check: read an org file and routing rules, print every diagnostic.
#include <iostream>

#include "candor/routing/rules.hpp"
#include "commands.hpp"
#include "io.hpp"

namespace candor::cli {

struct route_options {
    std::string org;
    std::string rules;
    std::string survey;
};

int run_route_check(route_options const& opts) {
    auto org_text = read_file(opts.org);
    if (!org_text) return 2;
    auto org = routing::parse_org(*org_text, opts.org);
    if (!org) {
        std::cerr << render(org.error(), *org_text);
        return 1;
    }
    std::cerr << render(org->warnings, *org_text);
    std::cout << opts.org << ": ok: " << org->sites.size() << " sites, " << org->roles.size() << " roles, "
              << org->people.size() << " people, fallback " << org->fallback_role << '\n';
    if (opts.rules.empty()) return 0;
    if (opts.survey.empty()) {
        std::cerr << "route check: --rules needs --survey, to check the rules' conditions\n";
        return 2;
    }
    auto survey = load_survey(opts.survey);
    if (!survey) return 2;
    auto rules_text = read_file(opts.rules);
    if (!rules_text) return 2;
    // Rules may stand in the org file itself.
    auto rules = routing::load_rules(*rules_text, opts.rules == opts.org ? org->file : opts.rules, *org, *survey);
    if (!rules) {
        std::cerr << render(rules.error(), *rules_text);
        return 1;
    }
    std::cerr << render(rules->warnings, *rules_text);
    std::cout << opts.rules << ": ok: " << rules->rules.size() << " rules\n";
    return 0;
}

void setup_route(CLI::App& app) {
    auto* route = app.add_subcommand("route", "Routing responses straight to management");
    route->require_subcommand(1);
    auto opts = std::make_shared<route_options>();
    auto* check = route->add_subcommand("check", "Check an org file and routing rules");
    check->add_option("--org", opts->org, "Org file: sites, roles, people")->required();
    check->add_option("--rules", opts->rules, "Routing rules (may be the org file)");
    check->add_option("--survey", opts->survey, "The survey the rules' conditions read");
    check->callback([opts] { exit_code() = run_route_check(*opts); });
}

}  // namespace candor::cli
