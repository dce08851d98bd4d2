// candor invite --stays STAYS.csv: one invitation per stay of a PMS export, from cron.
#include <iostream>

#include "candor/invite/invite.hpp"
#include "candor/routing/pass.hpp"
#include "candor/serve/server.hpp"
#include "candor/time.hpp"
#include "commands.hpp"
#include "io.hpp"

namespace candor::cli {

struct invite_options {
    std::string stays;
    std::string org;
    std::string survey;
    std::string server;  // candor serve's state directory: invitations, opt-outs, the index
    std::string store;   // head office's store: the outbox
    std::string base_url;
    std::string delay = "2 hours";
    std::string quiet = "21:00-09:00";
    std::string remind_after = "3 days";
    std::string unsubscribe;
    std::string now;
};

int run_invite(invite_options const& opts) {
    auto const bad = [](std::string const& what) {
        std::cerr << "invite: " << what << '\n';
        return 2;
    };
    invite::settings s;
    auto delay = routing::parse_duration(opts.delay);
    auto remind = routing::parse_duration(opts.remind_after);
    auto quiet = invite::parse_quiet_hours(opts.quiet);
    if (!delay) return bad("--delay " + opts.delay + ": not a duration like 2h or 1 day");
    if (!remind && opts.remind_after != "never")
        return bad("--remind-after " + opts.remind_after + ": not a duration, or never");
    if (!quiet && opts.quiet != "none") return bad("--quiet " + opts.quiet + ": not HH:MM-HH:MM");
    if (!opts.base_url.starts_with("https://") && !opts.base_url.starts_with("http://"))
        return bad("--base-url " + opts.base_url + ": not an http(s) address");
    s.delay = *delay;
    s.remind_after = remind ? *remind : routing::duration{0, routing::duration_unit::days};
    s.quiet = quiet ? *quiet : invite::quiet_hours{0, 0};
    s.base_url = opts.base_url;
    s.unsubscribe_address = opts.unsubscribe;
    auto const now_or = now_option(opts.now, "invite");
    if (!now_or) return 2;
    routing::timestamp const now = *now_or;
    auto org = load_org(opts.org);
    auto survey = load_survey(opts.survey);
    if (!org || !survey) return 2;
    auto stays = invite::read_stays(opts.stays);
    if (!stays) {
        std::cerr << render(stays.error());
        return 2;
    }
    auto book = serve::open_invitations(opts.server);
    auto optouts = serve::open_optouts(opts.server);
    auto done = invite::stay_index::open(std::filesystem::path(opts.server) / invite::index_folder);
    auto out = routing::outbox::open(routing::layout_of(opts.store).outbox);
    for (auto const* e : {book ? nullptr : &book.error(), optouts ? nullptr : &optouts.error(),
                          done ? nullptr : &done.error(), out ? nullptr : &out.error()})
        if (e) {
            std::cerr << render(*e);
            return 2;
        }
    auto const r = invite::invite(*stays, *survey, *org, s, *book, *optouts, *out, *done, now);
    std::cout << "invited " << r.invited << " of " << r.stays << " stays (" << r.already
              << " invited before, " << r.opted_out << " opted out, " << r.too_old
              << " checked out too long ago, " << r.unknown_site << " at unknown sites, "
              << r.bad_address << " without an address); " << r.reminded << " reminders\n";
    std::cerr << render(r.problems);
    return r.unknown_site != 0 || r.bad_address != 0 ? 1 : 0;
}

void setup_invite(CLI::App& app) {
    auto opts = std::make_shared<invite_options>();
    auto* cmd = app.add_subcommand("invite", "Invite the guests of a PMS export to give feedback");
    cmd->add_option("--stays", opts->stays,
                    "PMS export (CSV: stay_id,email,name,language,site,checkout)")
        ->required();
    cmd->add_option("--org", opts->org, "Org file: the sites and their time zones")->required();
    cmd->add_option("--survey", opts->survey, "The survey the invitations are for")->required();
    cmd->add_option("--server", opts->server,
                    "candor serve's state directory (invitations, opt-outs, stays invited)")
        ->required();
    cmd->add_option("--store", opts->store, "Head office's store: the mails go to STORE/outbox")
        ->required();
    cmd->add_option("--base-url", opts->base_url,
                    "Where guests reach candor serve, e.g. https://feedback.example.com")
        ->required();
    cmd->add_option("--delay", opts->delay, "After check-out (default 2 hours)");
    cmd->add_option("--quiet", opts->quiet,
                    "Quiet hours on the site's clock, HH:MM-HH:MM or none (default 21:00-09:00)");
    cmd->add_option("--remind-after", opts->remind_after,
                    "One reminder this long after an unanswered invitation, or never (3 days)");
    cmd->add_option("--unsubscribe", opts->unsubscribe,
                    "The mailto: address of List-Unsubscribe (mail pull records it)");
    cmd->add_option("--now", opts->now, "The time of the run (tests, replays)");
    cmd->callback([opts] { exit_code() = run_invite(*opts); });
}

}  // namespace candor::cli
