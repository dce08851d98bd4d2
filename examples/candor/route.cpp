// candor route check: read an org file and routing rules, print every error.
// candor route run: one head-office pass (route new responses, escalate, send the outbox).
#include <algorithm>
#include <iostream>

#include "candor/routing/pass.hpp"
#include "candor/routing/rules.hpp"
#include "candor/seal/keys.hpp"
#include "candor/serve/desk.hpp"
#include "candor/time.hpp"
#include "commands.hpp"
#include "io.hpp"
#include "routing_setup.hpp"

namespace candor::cli {

struct route_options {
    std::string org;
    std::string rules;
    std::string survey;
};

struct route_run_options : route_options {
    std::string store;
    std::string hq_key;
    mail_options mail;  // the Maildir by default STORE/mail
    std::string webhook_secret;
    std::string desk_state;  // candor serve's state: acknowledge links signed by its desk key
    std::string desk_base;
    std::string now;  // for tests and replays; the system clock otherwise
    bool quiet = false;
};

int run_route_check(route_options const& opts) {
    auto org = load_org(opts.org);
    if (!org) return 1;
    std::cout << opts.org << ": ok: " << org->sites.size() << " sites, " << org->roles.size()
              << " roles, " << org->people.size() << " people, fallback " << org->fallback_role
              << '\n';
    if (opts.rules.empty()) return 0;
    if (opts.survey.empty()) {
        std::cerr << "route check: --rules needs --survey, to check the rules' conditions\n";
        return 2;
    }
    auto survey = load_survey(opts.survey);
    if (!survey) return 2;
    auto rules = load_routing_rules(opts.rules, *org, *survey);
    if (!rules) return 1;
    std::cout << opts.rules << ": ok: " << rules->rules.size() << " rules\n";
    return 0;
}

int run_route_run(route_run_options const& opts) {
    auto org = load_org(opts.org);
    if (!org) return 2;
    auto survey = load_survey(opts.survey);
    if (!survey) return 2;
    auto rules = load_routing_rules(opts.rules, *org, *survey);
    if (!rules) return 2;
    // --now moves routing's clock (deadlines, escalations), not the sinks': a message is
    // dated and signed when it is really sent, or receivers would refuse it as stale.
    auto const now_or = now_option(opts.now, "route run");
    if (!now_or) return 2;
    routing::timestamp const now = *now_or;
    auto hq = seal::read_hq_secret(opts.hq_key);
    if (!hq) {
        std::cerr << render(hq.error());
        return 2;
    }
    auto store = journal::store::open(opts.store);
    if (!store) {
        std::cerr << render(store.error());
        return 2;
    }
    auto const layout = routing::layout_of(opts.store);
    auto cases = routing::case_log::open(layout.cases);
    auto outbox = routing::outbox::open(layout.outbox);
    if (!cases || !outbox) {
        std::cerr << render(cases ? outbox.error() : cases.error());
        return 2;
    }

    auto email = open_email_sink(opts.mail, layout);
    if (!email) return 2;
    routing::sinks sinks{email.get(), nullptr, nullptr};
    std::unique_ptr<routing::webhook_sink> webhook;
    if (!opts.webhook_secret.empty()) {
        auto secrets = routing::read_webhook_secrets(opts.webhook_secret);
        if (!secrets) {
            std::cerr << render(secrets.error());
            return 2;
        }
        webhook = std::make_unique<routing::webhook_sink>(
            routing::webhook_options{std::move(*secrets)}, routing::system_now);
        sinks.webhook = webhook.get();
    }

    routing::ack_link_fn ack;
    if (!opts.desk_base.empty()) {
        auto key = serve::load_desk_key(opts.desk_state);
        if (!key) {
            std::cerr << render(key.error());
            return 2;
        }
        ack = [key = *key, base = opts.desk_base, now](std::string const& id,
                                                       std::string const& person) {
            return serve::ack_link(base, key, id, person, now + serve::ack_link_lifetime);
        };
    }
    routing::router router(*org, *survey, *rules);
    auto const r = routing::route_pass(*store, *hq, router, *cases, *outbox, sinks, now,
                                       progress_line(opts.quiet), {}, ack);
    std::cout << "routed " << r.routed << " responses (" << r.already
              << " routed before): " << r.cases_opened << " cases opened, " << r.digest_items
              << " digest items, " << r.fallback << " to the fallback, " << r.bypassed
              << " people bypassed\n";
    if (r.acknowledged)
        std::cout << "acknowledged " << r.acknowledged
                  << " cards to their guests by e-mail, with their receipt codes\n";
    if (r.other_survey)
        std::cout << r.other_survey << " responses answer another survey: not routed here\n";
    std::cout << "escalated " << r.escalated << " cases; " << r.at_top
              << " unacknowledged at the top\n";
    std::cout << "outbox: " << r.queued << " queued, " << r.sent.sent << " sent, " << r.sent.failed
              << " failed (retried later), " << r.sent.waiting << " waiting; " << outbox->unsent()
              << " unsent in all\n";
    if (r.sent.gone != 0)
        std::cout << "outbox: " << r.sent.gone
                  << " given up: their receivers answered 410 Gone (fix the org file's address)\n";
    std::cerr << render(r.problems) << render(r.sent.failures);
    if (!sinks.webhook) {
        auto const waiting =
            std::count_if(outbox->entries().begin(), outbox->entries().end(), [](auto const& e) {
                return e.sent == 0 && e.message.channel == routing::channel_kind::webhook;
            });
        if (waiting != 0)
            std::cerr << "route run: " << waiting
                      << " webhook deliveries wait for --webhook-secret\n";
    }
    return r.unreadable != 0 || r.sent.failed != 0 || r.sent.gone != 0 ? 1 : 0;
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

    auto run_opts = std::make_shared<route_run_options>();
    auto* run =
        route->add_subcommand("run", "Route new responses, escalate what is due, send the outbox");
    run->add_option("--org", run_opts->org, "Org file")->required();
    run->add_option("--rules", run_opts->rules, "Routing rules (may be the org file)")->required();
    run->add_option("--survey", run_opts->survey, "The survey the responses answer")->required();
    run->add_option("--store", run_opts->store,
                    "Head office's store; cases/, outbox/ and mail/ live in it")
        ->required();
    run->add_option("--hq-key", run_opts->hq_key, "Head office's secret key (hq.key)")->required();
    add_mail_options(*run, run_opts->mail, "STORE/mail");
    run->add_option("--webhook-secret", run_opts->webhook_secret,
                    "File holding the webhooks' HMAC secret (whsec_BASE64; the current one first, "
                    "then any still accepted while rotating), mode 0600");
    auto* desk_base = run->add_option(
        "--desk-base", run_opts->desk_base,
        "Where managers reach `candor serve` (https://feedback.example.com): the holders' "
        "e-mails carry one-click acknowledge links");
    run->add_option("--desk-state", run_opts->desk_state,
                    "candor serve's --state directory, whose desk.key signs those links")
        ->needs(desk_base);
    desk_base->needs(run->get_option("--desk-state"));
    run->add_option("--now", run_opts->now, "Run as if at this time (UTC), for tests and replays");
    run->add_flag("-q,--quiet", run_opts->quiet, "No progress line on a terminal");
    run->callback([run_opts] { exit_code() = run_route_run(*run_opts); });
}

}  // namespace candor::cli
