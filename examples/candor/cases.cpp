// candor cases list|show|ack|resolve: the cases `candor route run` opened, in STORE/cases.
#include <iomanip>
#include <iostream>

#include "candor/routing/cases.hpp"
#include "candor/routing/pass.hpp"
#include "candor/time.hpp"
#include "commands.hpp"
#include "io.hpp"

namespace candor::cli {

struct cases_options {
    std::string action;  // list, show, ack, resolve
    std::string store;
    std::string id;
    std::string by;
    std::string note;
    std::string reply;  // resolve: e-mailed to the guest
    std::string state = "open";
    std::string site;
    std::string person;
    bool overdue = false;
    std::string now;
};

namespace {

std::string when(routing::timestamp t) {
    return t == 0 ? "-" : format_timestamp(t);
}

bool listed(routing::routed_case const& c, cases_options const& opts, routing::timestamp now) {
    if (opts.state != "all" && routing::to_string(c.state) != opts.state) return false;
    if (!opts.site.empty() && c.site != opts.site) return false;
    if (!opts.person.empty() && !c.involves(opts.person)) return false;
    return !opts.overdue ||
           (c.state == routing::case_state::open && c.deadline != 0 && c.deadline <= now);
}

}  // namespace

int run_cases(cases_options const& opts) {
    auto const now_or = now_option(opts.now, "cases");
    if (!now_or) return 2;
    routing::timestamp const now = *now_or;
    if (opts.action == "list") {
        // Every case, those closed before the log's last checkpoint too: from its history.
        auto reader = routing::case_reader::open(routing::layout_of(opts.store).cases);
        if (!reader) {
            std::cerr << "cases: " << render(reader.error());
            return 2;
        }
        std::size_t n = 0;
        for (auto const& c : reader->cases()) {
            if (!listed(c, opts, now)) continue;
            ++n;
            bool const late =
                c.state == routing::case_state::open && c.deadline != 0 && c.deadline <= now;
            std::cout << std::left << std::setw(28) << printable(c.id) << ' ' << std::setw(12)
                      << routing::to_string(c.state) << ' ' << std::setw(14) << printable(c.site)
                      << ' ' << std::setw(18) << printable(c.role) << ' ' << std::setw(10)
                      << printable(c.owner) << " due " << when(c.deadline)
                      << (late ? "  OVERDUE" : "") << '\n';
        }
        std::cout << n << " cases\n";
        return 0;
    }
    auto log = routing::case_log::open(routing::layout_of(opts.store).cases);
    if (!log) {
        std::cerr << "cases: " << render(log.error());
        return 2;
    }
    auto const* c = log->find(opts.id);
    if (!c) {
        std::cerr << "cases: no case " << printable(opts.id) << " in " << opts.store << '\n';
        return 1;
    }
    if (opts.action == "show") {
        // Sites, names and notes come from cards and from people: shown, never obeyed.
        std::cout << "case " << printable(c->id) << ": " << routing::to_string(c->state)
                  << "\n  response " << printable(c->response) << ", site " << printable(c->site)
                  << ", with " << printable(c->role) << ' ' << printable(c->owner) << ", due "
                  << when(c->deadline) << '\n';
        if (!c->watchers.empty()) {
            std::cout << "  in copy:";
            for (auto const& w : c->watchers) std::cout << ' ' << printable(w);
            std::cout << '\n';
        }
        for (auto const& e : c->history) {
            std::cout << "  " << when(e.time) << "  " << printable(e.what);
            if (!e.who.empty()) std::cout << "  " << printable(e.who);
            if (!e.note.empty()) std::cout << "  (" << printable(e.note) << ')';
            std::cout << '\n';
        }
        return 0;
    }
    result<void> done;
    if (opts.action == "ack") {
        done = log->acknowledge(opts.id, opts.by, now);
    } else if (opts.reply.empty()) {
        done = log->resolve(opts.id, opts.by, opts.note, now);
    } else {
        auto outbox = routing::outbox::open(routing::layout_of(opts.store).outbox);
        if (!outbox) {
            std::cerr << "cases: " << render(outbox.error());
            return 2;
        }
        done = log->resolve_with_reply(opts.id, opts.by, opts.note, opts.reply, *outbox, now);
        if (done) std::cout << "reply to the guest queued: the next `candor route run` sends it\n";
    }
    if (!done) {
        std::cerr << "cases: " << render(done.error());
        return 1;
    }
    std::cout << "case " << printable(opts.id) << ' '
              << (opts.action == "ack" ? "acknowledged" : "resolved") << " by "
              << printable(opts.by) << '\n';
    return 0;
}

void setup_cases(CLI::App& app) {
    auto* cases =
        app.add_subcommand("cases", "Cases opened by routing: list, show, acknowledge, resolve");
    cases->require_subcommand(1);
    auto add = [&](char const* name, char const* help) {
        auto opts = std::make_shared<cases_options>();
        opts->action = name;
        auto* sub = cases->add_subcommand(name, help);
        sub->add_option("--store", opts->store, "Head office's store (its cases/ folder)")
            ->required();
        sub->add_option("--now", opts->now, "As if at this time (UTC), for tests and replays");
        sub->callback([opts] { exit_code() = run_cases(*opts); });
        return std::pair(sub, opts);
    };
    auto [list, l] = add("list", "Cases, one a line");
    list->add_option("--state", l->state, "open, acknowledged, resolved or all")
        ->check(CLI::IsMember({"open", "acknowledged", "resolved", "all"}));
    list->add_option("--site", l->site, "Only this site's");
    list->add_option("--person", l->person, "Only those this person holds or watches");
    list->add_flag("--overdue", l->overdue, "Only open cases past their deadline");
    auto [show, s] = add("show", "A case and its whole history");
    show->add_option("id", s->id, "Case id: the response, DEVICE:SEQ")->required();
    auto [ack, a] = add("ack", "Acknowledge a case you hold");
    ack->add_option("id", a->id, "Case id")->required();
    ack->add_option("--by", a->by, "Your person id in the org file")->required();
    auto [resolve, r] = add("resolve", "Resolve a case, with a note of what was done");
    resolve->add_option("id", r->id, "Case id")->required();
    resolve->add_option("--by", r->by, "Your person id")->required();
    resolve->add_option("--note", r->note, "What was done")->required();
    resolve->add_option("--reply", r->reply,
                        "An answer e-mailed to the guest, who left an address (recorded in the "
                        "case; sent by the next route run)");
}

}  // namespace candor::cli
