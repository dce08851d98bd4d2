// candor mail pull --maildir IN: guests' replies from the MTA's inbound Maildir, to their cases.
#include <iostream>

#include "candor/routing/inbound.hpp"
#include "candor/routing/pass.hpp"
#include "candor/serve/optout.hpp"
#include "candor/time.hpp"
#include "commands.hpp"
#include "io.hpp"

namespace candor::cli {

struct mail_pull_options {
    std::string maildir;
    std::string store;
    std::string org;
    std::string rules;
    std::string survey;
    std::string reply_domain;
    std::string server;  // candor serve's state: opt-outs by mail
    std::string now;
};

int run_mail_pull(mail_pull_options const& opts) {
    auto const now_or = now_option(opts.now, "mail pull");
    if (!now_or) return 2;
    routing::timestamp const now = *now_or;
    auto org = load_org(opts.org);
    if (!org) return 2;
    auto survey = load_survey(opts.survey);
    if (!survey) return 2;
    auto rules = load_routing_rules(opts.rules, *org, *survey);
    if (!rules) return 2;
    auto const layout = routing::layout_of(opts.store);
    auto cases = routing::case_log::open(layout.cases);
    auto outbox = routing::outbox::open(layout.outbox);
    if (!cases || !outbox) {
        std::cerr << render(cases ? outbox.error() : cases.error());
        return 2;
    }
    auto replies = routing::load_reply_addresses(opts.reply_domain, layout.mail_key);
    if (!replies) {
        std::cerr << render(replies.error());
        return 2;
    }
    routing::pull_options o{std::move(*replies), {}};
    std::optional<serve::optouts> optouts;
    if (!opts.server.empty()) {
        auto list = serve::open_optouts(opts.server);
        if (!list) {
            std::cerr << render(list.error());
            return 2;
        }
        optouts.emplace(std::move(*list));
        o.unsubscribe = [&](std::string_view token) {
            return optouts->valid(token) && optouts->record(token).has_value();
        };
    }
    routing::router router(*org, *survey, *rules);
    auto const r = routing::pull_mail(opts.maildir, *cases, *outbox, router, o, now);
    std::cout << "read " << r.read << " messages: " << r.attached << " attached to their cases, "
              << r.opened << " new cases at head office, " << r.bounces << " bounces, "
              << r.automatic << " automatic replies, " << r.unsubscribed << " opt-outs, "
              << r.repeated << " seen before, " << r.refused << " refused\n";
    std::cerr << render(r.problems);
    return r.problems.empty() ? 0 : 1;
}

void setup_mail(CLI::App& app) {
    auto* mail = app.add_subcommand("mail", "E-mail from guests");
    mail->require_subcommand(1);
    auto opts = std::make_shared<mail_pull_options>();
    auto* pull = mail->add_subcommand("pull", "Attach guests' replies in an inbound Maildir");
    pull->add_option("--maildir", opts->maildir, "The inbound Maildir the MTA delivers to")
        ->required();
    pull->add_option("--store", opts->store, "Head office's store (cases/, outbox/, mail.key)")
        ->required();
    pull->add_option("--org", opts->org, "Org file")->required();
    pull->add_option("--rules", opts->rules, "Routing rules (may be the org file)")->required();
    pull->add_option("--survey", opts->survey, "The survey the cards answer")->required();
    pull->add_option("--reply-domain", opts->reply_domain,
                     "The domain of the signed reply addresses (as route run --reply-domain)");
    pull->add_option("--server", opts->server,
                     "candor serve's state directory: opt-outs sent by mail are recorded there");
    pull->add_option("--now", opts->now, "The time of the pull (tests, replays)");
    pull->callback([opts] { exit_code() = run_mail_pull(*opts); });
}

}  // namespace candor::cli
