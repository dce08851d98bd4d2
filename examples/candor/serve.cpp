// candor serve: head office's web server for guests (candor::serve): table links
// /t/SITE/TABLE, invitations /s/TOKEN, status pages /r/CODE. Prints "candor serve: serving on
// http://HOST:PORT/" once it listens. `candor serve token` issues an invitation and prints
// its token (and its link with --base); `candor serve device-key` the status key of a kiosk
// pushing to it (candor-kiosk --status-key). With --store the status pages follow routing's
// cases; with --org, --rules and --hq-key too, managers work them at /m/. docs/serve.md and
// docs/managers.md are the guides.
#include <iostream>

#include "candor/receipt/status.hpp"
#include "candor/routing/pass.hpp"
#include "candor/seal/keys.hpp"
#include "candor/serve/desk.hpp"
#include "candor/serve/qr.hpp"
#include "candor/serve/server.hpp"
#include "candor/time.hpp"
#include "commands.hpp"
#include "io.hpp"
#include "routing_setup.hpp"

namespace candor::cli {

struct serve_options {
    std::string state;
    std::vector<std::string> surveys;
    std::string device_key;
    std::string hq_public;
    std::vector<std::string> sites;
    std::vector<std::string> fields;  // NAME=VALUE
    std::string table_survey;
    std::string listen = "127.0.0.1";
    int port = 8090;
    std::vector<std::string> host_names;
    std::string status_base;
    // Head office's store: the status page reads its case log; with the org, rules and
    // hq key, the managers' desk at /m/ works its cases.
    std::string store;
    std::string org;
    std::string rules;
    std::string hq_key;
    std::string devices;            // with --hq-key: devices pushing their journals to /d/push
    std::string desk_base;          // default: status_base
    std::string tls_cert, tls_key;  // HTTPS served directly
    mail_options mail;              // sign-in links; the Maildir by default STORE/mail
};

struct token_options {
    std::string state;
    serve::invitation what;
    std::int64_t days = serve::invitation_lifetime / 86400;
    std::string base;
};

struct device_key_options {
    std::string state;
    std::string device;
    std::string out;
};

int run_serve(serve_options const& opts) {
    std::vector<survey::survey> surveys;
    for (auto const& f : opts.surveys) {
        auto s = load_survey(f);
        if (!s) return 2;
        surveys.push_back(std::move(*s));
    }
    auto key = load_device_key(opts.device_key);
    if (!key) return 2;
    auto hq = load_hq_public(opts.hq_public);
    if (!hq) return 2;
    serve::settings s;
    s.sites = opts.sites;
    s.table_survey = opts.table_survey;
    s.host_names = opts.host_names;
    s.status_base = opts.status_base;
    if (!opts.tls_cert.empty()) s.tls = kiosk::tls_files{opts.tls_cert, opts.tls_key};
    for (auto const& f : opts.fields) {
        auto eq = f.find('=');
        if (eq == std::string::npos) {
            std::cerr << "candor serve: --field takes NAME=VALUE, not `" << f << "`\n";
            return 2;
        }
        s.fields.emplace_back(f.substr(0, eq), f.substr(eq + 1));
    }
    if (!opts.store.empty()) {
        auto progress = serve::case_progress(routing::layout_of(opts.store).cases);
        if (!progress) {
            std::cerr << render(progress.error());
            return 2;
        }
        s.progress = std::move(*progress);
    }
    if (!opts.devices.empty()) {
        auto secret = seal::read_hq_secret(opts.hq_key);
        auto devices = seal::read_device_list(opts.devices);
        if (!secret || !devices) {
            std::cerr << render(!secret ? secret.error() : devices.error());
            return 2;
        }
        s.devices = serve::device_intake{opts.store, std::move(*devices), std::move(*secret)};
    }
    if (!opts.org.empty()) {
        auto desk = std::make_shared<serve::desk_settings>();
        auto org = load_org(opts.org);
        if (!org) return 2;
        desk->org = std::move(*org);
        desk->survey = surveys.front();
        auto rules = load_routing_rules(opts.rules, desk->org, desk->survey);
        if (!rules) return 2;
        desk->rules = std::move(*rules);
        auto secret = seal::read_hq_secret(opts.hq_key);
        if (!secret) {
            std::cerr << render(secret.error());
            return 2;
        }
        desk->hq = std::move(*secret);
        desk->store = opts.store;
        desk->mail = open_email_sink(opts.mail, routing::layout_of(opts.store));
        if (!desk->mail) return 2;
        desk->base = opts.desk_base.empty() ? opts.status_base : opts.desk_base;
        s.desk = std::move(desk);
    }
    auto server =
        serve::server::open(opts.state, std::move(surveys), std::move(*key), *hq, std::move(s));
    if (!server) {
        std::cerr << render(server.error());
        return 2;
    }
    auto port = (*server)->bind(opts.listen, opts.port);
    if (!port) {
        std::cerr << render(port.error());
        return 2;
    }
    // The line a launcher (or a test) waits for.
    std::cout << "candor serve: serving on " << (opts.tls_cert.empty() ? "http" : "https") << "://"
              << opts.listen << ':' << *port << "/" << std::endl;
    return (*server)->listen() ? 0 : 2;
}

int run_serve_token(token_options const& opts) {
    auto book = serve::open_invitations(opts.state);
    if (!book) {
        std::cerr << render(book.error());
        return 2;
    }
    auto what = opts.what;
    auto const now = unix_now();
    what.expires = now + opts.days * 86400;
    auto token = book->issue(what, now);
    if (!token) {
        std::cerr << render(token.error());
        return 2;
    }
    std::cout << (opts.base.empty() ? *token : serve::invitation_link(opts.base, *token)) << '\n';
    return 0;
}

int run_serve_device_key(device_key_options const& opts) {
    auto key = serve::device_status_key(opts.state, opts.device);
    if (!key) {
        std::cerr << render(key.error());
        return 2;
    }
    if (auto written = receipt::write_status_key(opts.out, *key); !written) {
        std::cerr << render(written.error());
        return 2;
    }
    return 0;
}

void setup_serve(CLI::App& app) {
    auto opts = std::make_shared<serve_options>();
    auto* sub = app.add_subcommand("serve", "Head office's web server for guests (docs/serve.md)");
    sub->add_option("--state", opts->state,
                    "The server's directory: its journal, invitations, status key (0700)");
    sub->add_option("--survey", opts->surveys, "A survey served; repeat for each")
        ->check(CLI::ExistingFile);
    sub->add_option("--device-key", opts->device_key,
                    "The server's own device key (ID.key, bound to no site)");
    sub->add_option("--hq-public", opts->hq_public, "Head office's public key (hq.pub)");
    sub->add_option("--site", opts->sites, "A site whose table links are served; repeat");
    sub->add_option("--field", opts->fields,
                    "A device field set on every card, NAME=VALUE (channel=web); repeat");
    sub->add_option("--table-survey", opts->table_survey,
                    "The survey id table links answer (default: the first)");
    sub->add_option("--listen", opts->listen, "Address to listen on")->capture_default_str();
    sub->add_option("--port", opts->port, "Port; 0 picks a free one (printed)")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    sub->add_option("--host-name", opts->host_names,
                    "A name the server is reached by (Host), e.g. behind a proxy; repeat");
    sub->add_option("--status-base", opts->status_base,
                    "Where guests reach the server (https://feedback.example.com): the "
                    "thank-you screen then links the card's status page");
    auto* store = sub->add_option("--store", opts->store,
                                  "Head office's store: status pages say when management read "
                                  "and answered a card (from STORE/cases)");
    auto* org = sub->add_option(
        "--org", opts->org, "Org file: opens the managers' case desk at /m/ (docs/managers.md)");
    auto* rules = sub->add_option("--rules", opts->rules, "Routing rules (may be the org file)");
    auto* hq_key = sub->add_option("--hq-key", opts->hq_key,
                                   "Head office's secret key (hq.key): the desk opens the cards, "
                                   "pushes are checked against it");
    sub->add_option("--desk-base", opts->desk_base,
                    "Where managers reach the server (https://...; default --status-base): the "
                    "sign-in links; https makes the session cookie Secure");
    auto* cert = sub->add_option("--tls-cert", opts->tls_cert,
                                 "Serve HTTPS with this certificate chain (PEM), not plain HTTP "
                                 "behind a proxy");
    auto* tls_key = sub->add_option("--tls-key", opts->tls_key, "The certificate's key (PEM)");
    cert->needs(tls_key);
    tls_key->needs(cert);
    add_mail_options(*sub, opts->mail, "STORE/mail");
    org->needs(store)->needs(rules)->needs(hq_key);
    rules->needs(org);

    auto* devices = sub->add_option(
        "--devices", opts->devices,
        "Device list (hq import's): these devices push their journals into --store at /d/push "
        "(candor sync)");
    devices->needs(store)->needs(hq_key);

    auto topts = std::make_shared<token_options>();
    auto* token = sub->add_subcommand("token", "Issue an invitation: prints its token or link");
    token->add_option("--state", topts->state, "The server's directory")->required();
    token->add_option("--stay", topts->what.stay, "The stay (booking) it is for")->required();
    token->add_option("--site", topts->what.site, "The site it is for")->required();
    token->add_option("--survey", topts->what.survey, "The survey's id")->required();
    token->add_option("--days", topts->days, "Days it is good for")
        ->check(CLI::Range(1, 365))
        ->capture_default_str();
    token->add_option("--base", topts->base,
                      "Where guests reach the server: prints the whole link BASE/s/TOKEN");
    token->callback([topts] { exit_code() = run_serve_token(*topts); });
    auto kopts = std::make_shared<device_key_options>();
    auto* device_key = sub->add_subcommand(
        "device-key", "Issue a kiosk's status key: its thank-you screen links the card's status");
    device_key->add_option("--state", kopts->state, "The server's directory")->required();
    device_key->add_option("--device", kopts->device, "The device's id (as in --devices)")
        ->required();
    device_key->add_option("--out", kopts->out, "The key file to write (0600), for the device")
        ->required();
    device_key->callback([kopts] { exit_code() = run_serve_device_key(*kopts); });
    sub->require_subcommand(0, 1);
    sub->callback([sub, token, device_key, opts] {
        if (token->parsed() || device_key->parsed()) return;
        if (opts->state.empty() || opts->surveys.empty() || opts->device_key.empty() ||
            opts->hq_public.empty()) {
            std::cerr << "candor serve: --state, --survey, --device-key and --hq-public are "
                         "needed\n"
                      << sub->help();
            exit_code() = 2;
            return;
        }
        exit_code() = run_serve(*opts);
    });
}

}  // namespace candor::cli
