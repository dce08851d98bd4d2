// candor keys hq --out DIR | candor keys device --id ID --out DIR: new key pairs. The
// secret halves are written 0600 and never printed.
#include <iostream>

#include "candor/seal/keys.hpp"
#include "commands.hpp"

namespace candor::cli {

struct keys_options {
    std::string kind;  // "hq" or "device"
    std::string id;
    std::string site;
    std::string out;
};

int run_keys(keys_options const& opts) {
    std::error_code ec;
    std::filesystem::create_directories(opts.out, ec);
    if (ec) {
        std::cerr << opts.out << ": cannot create: " << ec.message() << '\n';
        return 2;
    }
    if (opts.kind == "hq") {
        if (auto w = seal::write_hq_keys(opts.out, seal::make_hq_keys()); !w) {
            std::cerr << render(w.error());
            return 2;
        }
        std::cout << "wrote " << (std::filesystem::path(opts.out) / "hq.key").string()
                  << " (secret: keep it at head office) and hq.pub (for the devices)\n";
        return 0;
    }
    if (!seal::valid_device_id(opts.id)) {
        std::cerr << "device id must be 1 to 64 of A-Z a-z 0-9 . _ -\n";
        return 2;
    }
    if (!opts.site.empty() && !seal::valid_site_id(opts.site)) {
        std::cerr << "site id must be 1 to 64 of A-Z a-z 0-9 . _ - : +\n";
        return 2;
    }
    if (auto w = seal::write_device_keys(opts.out, seal::make_device_keys(opts.id, opts.site));
        !w) {
        std::cerr << render(w.error());
        return 2;
    }
    std::cout << "wrote " << (std::filesystem::path(opts.out) / (opts.id + ".key")).string()
              << " (secret: stays on the device) and " << opts.id
              << ".pub (add its line to head office's device list)\n";
    return 0;
}

void setup_keys(CLI::App& app) {
    auto* keys = app.add_subcommand("keys", "Make key pairs for head office and devices");
    keys->require_subcommand(1);

    auto hq = std::make_shared<keys_options>();
    hq->kind = "hq";
    auto* h = keys->add_subcommand("hq", "Head office's key pair: cards are sealed to it");
    h->add_option("--out", hq->out, "Directory for hq.key and hq.pub")->required();
    h->callback([hq] { exit_code() = run_keys(*hq); });

    auto dev = std::make_shared<keys_options>();
    dev->kind = "device";
    auto* d = keys->add_subcommand("device", "A device's key pair: it signs the device's cards");
    d->add_option("--id", dev->id, "Device id, e.g. kiosk-3")->required();
    d->add_option("--site", dev->site,
                  "The site the device takes cards for, e.g. paris-01 (its key and device line "
                  "bind it to the site)");
    d->add_option("--out", dev->out, "Directory for ID.key and ID.pub")->required();
    d->callback([dev] { exit_code() = run_keys(*dev); });
}

}  // namespace candor::cli
