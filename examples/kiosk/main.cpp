// candor-kiosk: the comment card as a web page on the device, for one guest after another.
// Accepted cards are sealed, signed and durable in the device's journal before the guest
// sees the receipt code.
#include <iostream>

#include <CLI/CLI.hpp>

#include "candor/kiosk/page_model.hpp"
#include "candor/kiosk/pusher.hpp"
#include "candor/kiosk/server.hpp"
#include "candor/receipt/status.hpp"
#include "candor/seal/keys.hpp"
#include "candor/survey/parse.hpp"
#include "candor/version.hpp"

namespace candor::kiosk {

struct options {
    std::string survey;
    std::string journal;
    std::string device_key;
    std::string hq_public;
    std::vector<std::string> fields;  // NAME=VALUE
    std::string listen = "127.0.0.1";
    std::vector<std::string> host_names;
    int port = 8080;
    std::uint32_t idle = 60;
    kiosk::layout layout = layout::page;
    std::string head_office;  // candor serve's URL: cards pushed in the background
    std::string status_base;  // where guests reach head office: the thank-you screen's link
    std::string status_key;   // the device's status key, from `candor serve device-key`
};

int run(options const& opts) {
    auto survey = survey::parse_file(opts.survey);
    if (!survey) {
        std::cerr << render(survey.error());
        return 2;
    }
    auto key = seal::read_device_secret(opts.device_key);
    if (!key) {
        std::cerr << render(key.error());
        return 2;
    }
    auto hq = seal::read_hq_public(opts.hq_public);
    if (!hq) {
        std::cerr << render(hq.error());
        return 2;
    }
    journal::device_setting given{key->id, {}};
    for (auto const& f : opts.fields) {
        auto eq = f.find('=');
        if (eq == std::string::npos) {
            std::cerr << "candor-kiosk: --field takes NAME=VALUE, not `" << f << "`\n";
            return 2;
        }
        given.fields.emplace_back(f.substr(0, eq), f.substr(eq + 1));
    }
    auto device = journal::settle(*survey, std::move(given));
    if (!device) {
        std::cerr << render(device.error());
        return 2;
    }
    auto opened = journal::journal::open(opts.journal, *key, *hq);
    if (!opened) {
        std::cerr << render(opened.error());
        return 2;
    }
    std::cerr << render(opened->recovery());

    auto model = page_model(*survey, {opts.layout, opts.idle, device->fields});
    auto keeper = keep_in(std::move(*opened));
    std::optional<pusher> pushes;
    if (!opts.head_office.empty()) {
        sync::push_settings to;
        to.server = opts.head_office;
        pushes.emplace(opts.journal, *key, std::move(to));
        keeper = pushing(std::move(keeper), *pushes);
        pushes->poke();  // what an outage left behind
    }
    server_settings settings{.host_names = opts.host_names};
    if (!opts.status_base.empty()) {
        auto status_key = receipt::read_status_key(opts.status_key);
        if (!status_key) {
            std::cerr << render(status_key.error());
            return 2;
        }
        settings.status = status_links{opts.status_base, *status_key};
    }
    desk d(std::move(*survey), std::move(*device), std::move(keeper));
    server http(d, std::move(model), std::move(settings));
    auto port = http.bind(opts.listen, opts.port);
    if (!port) {
        std::cerr << render(port.error());
        return 2;
    }
    // The line a launcher (or a test) waits for: the card is served from here on.
    std::cout << "candor-kiosk: serving " << d.survey().id << " on http://" << opts.listen << ':'
              << *port << "/" << std::endl;
    return http.listen() ? 0 : 2;
}

void setup(CLI::App& app, options& opts) {
    app.add_option("--survey", opts.survey, "Survey file")->required()->check(CLI::ExistingFile);
    app.add_option("--journal", opts.journal, "The device's journal directory")->required();
    app.add_option("--device-key", opts.device_key, "The device's secret key (ID.key)")->required();
    app.add_option("--hq-public", opts.hq_public, "Head office's public key (hq.pub)")->required();
    app.add_option("--field", opts.fields,
                   "A device field set on every card, NAME=VALUE (site=paris-01); repeat for each");
    app.add_option("--listen", opts.listen,
                   "Address to listen on; another than 127.0.0.1 "
                   "opens the kiosk to the network")
        ->capture_default_str();
    app.add_option("--host-name", opts.host_names,
                   "A name the kiosk is reached by besides its address (Host); repeat for each");
    app.add_option("--port", opts.port, "Port; 0 picks a free one (printed)")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    app.add_option("--idle", opts.idle, "Seconds untouched before the card starts over")
        ->check(CLI::Range(1, 3600))
        ->capture_default_str();
    app.add_option("--head-office", opts.head_office,
                   "Head office's server (candor serve --store), http(s)://HOST:PORT: each card "
                   "is pushed in the background once it is durable");
    auto* base = app.add_option(
        "--status-base", opts.status_base,
        "Where guests reach head office's server (https://feedback.example.com): the thank-you "
        "screen links the card's status page, as text and QR code");
    auto* key = app.add_option("--status-key", opts.status_key,
                               "The device's status key (candor serve device-key)");
    base->needs(key);
    key->needs(base);
    app.add_option("--layout", opts.layout,
                   "page: a screen per survey page; question: one "
                   "question per screen; card: the whole card")
        ->transform(CLI::CheckedTransformer(
            std::map<std::string, kiosk::layout>{
                {"page", layout::page}, {"question", layout::question}, {"card", layout::card}},
            CLI::ignore_case));
}

}  // namespace candor::kiosk

int main(int argc, char** argv) {
    CLI::App app{"candor-kiosk: the comment card on a touch screen, sealed to head office"};
    app.set_version_flag("--version", candor::version());
    candor::kiosk::options opts;
    candor::kiosk::setup(app, opts);
    CLI11_PARSE(app, argc, argv);
    try {
        return candor::kiosk::run(opts);
    } catch (std::exception const& e) {
        std::cerr << "candor-kiosk: " << e.what() << '\n';
        return 2;
    }
}
