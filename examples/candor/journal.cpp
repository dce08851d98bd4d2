// candor journal verify|list|export|head: the device's journal, read without being changed.
#include <iostream>

#include "candor/journal/bundle.hpp"
#include "candor/journal/inspect.hpp"
#include "candor/time.hpp"
#include "commands.hpp"

namespace candor::cli {

struct journal_options {
    std::string action;  // verify, list, export, head
    std::string dir;
    std::string devices;  // verify: head office's device list, optional
    std::uint64_t after = 0;
    std::string out;
    std::string device_key;  // export (optional), head: signs the head now
};

int run_journal(journal_options const& opts) {
    std::optional<seal::device_secret> key;
    if (!opts.device_key.empty()) {
        auto read = seal::read_device_secret(opts.device_key);
        if (!read) {
            std::cerr << render(read.error());
            return 2;
        }
        key = std::move(*read);
    }
    if (opts.action == "head") {
        auto head = journal::journal_head(opts.dir, *key, unix_now());
        if (!head) {
            std::cerr << render(head.error());
            return 2;
        }
        journal::write_head_file(opts.out, *head);
        std::cout << "wrote the head of device " << head->device << " at card " << head->seq
                  << " to " << opts.out << '\n';
        return 0;
    }
    if (opts.action == "export") {
        auto done = key ? journal::export_bundle(opts.dir, opts.after, opts.out, *key, unix_now())
                        : journal::export_bundle(opts.dir, opts.after, opts.out);
        if (!done) {
            std::cerr << render(done.error());
            return 2;
        }
        std::cerr << render(done->found);
        std::cout << "exported " << done->count << " records";
        if (done->count != 0) std::cout << " (" << done->first << "-" << done->last << ")";
        std::cout << " to " << opts.out << '\n';
        return done->found.empty() ? 0 : 1;
    }
    std::optional<seal::device_list> devices;
    if (!opts.devices.empty()) {
        auto read = seal::read_device_list(opts.devices);
        if (!read) {
            std::cerr << render(read.error());
            return 2;
        }
        devices = std::move(*read);
    }
    auto contents = journal::inspect_journal(opts.dir, devices ? &*devices : nullptr);
    if (opts.action == "list") {
        for (auto const& r : contents.records)
            std::cout << r.seq << ' ' << format_timestamp(r.time) << ' ' << journal::receipt(r)
                      << '\n';
        std::cerr << render(contents.found);
        return contents.found.empty() ? 0 : 1;
    }
    std::cout << render(contents.found);
    std::cout << opts.dir << ": " << contents.records.size() << " records of device "
              << (contents.device.empty() ? "?" : contents.device) << ", "
              << (contents.found.empty() ? "verified"
                                         : std::to_string(contents.found.size()) + " problems")
              << '\n';
    return contents.found.empty() ? 0 : 1;
}

void setup_journal(CLI::App& app) {
    auto* j = app.add_subcommand("journal", "Verify, list and export a device's journal");
    j->require_subcommand(1);

    auto verify = std::make_shared<journal_options>();
    verify->action = "verify";
    auto* v = j->add_subcommand("verify", "Check frames, sequence, chain and signatures");
    v->add_option("dir", verify->dir, "Journal directory")->required();
    v->add_option("--devices", verify->devices, "Check keys against head office's device list");
    v->callback([verify] { exit_code() = run_journal(*verify); });

    auto list = std::make_shared<journal_options>();
    list->action = "list";
    auto* l = j->add_subcommand("list", "Sequence, time and receipt of each card (no content)");
    l->add_option("dir", list->dir, "Journal directory")->required();
    l->callback([list] { exit_code() = run_journal(*list); });

    auto exp = std::make_shared<journal_options>();
    exp->action = "export";
    auto* e = j->add_subcommand("export", "Write the records after a sequence number to a bundle");
    e->add_option("dir", exp->dir, "Journal directory")->required();
    e->add_option("--after", exp->after, "Last sequence number head office already has");
    e->add_option("--out", exp->out, "Bundle file to write")->required();
    e->add_option("--device-key", exp->device_key,
                  "The device's secret key: the bundle's head is signed now, not at the last card");
    e->callback([exp] { exit_code() = run_journal(*exp); });

    auto head = std::make_shared<journal_options>();
    head->action = "head";
    auto* h = j->add_subcommand("head", "Write the journal's signed head, for `candor hq import`");
    h->add_option("dir", head->dir, "Journal directory")->required();
    h->add_option("--device-key", head->device_key, "The device's secret key (ID.key)")->required();
    h->add_option("--out", head->out, "Head file to write")->required();
    h->callback([head] { exit_code() = run_journal(*head); });
}

}  // namespace candor::cli
