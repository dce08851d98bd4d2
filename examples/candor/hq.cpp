// candor hq import|responses|receipt|alerts|migrate|erase|subject: head office's store of
// forwarded cards, in a directory or in PostgreSQL (--store postgresql://...).
#include <iostream>

#include "candor/journal/erasure.hpp"
#include "candor/journal/opening.hpp"
#include "candor/journal/store.hpp"
#include "candor/pg/store.hpp"
#include "candor/response/json.hpp"
#include "candor/seal/receipt.hpp"
#include "candor/time.hpp"
#include "commands.hpp"
#include "io.hpp"

namespace candor::cli {

struct hq_options {
    std::string action;  // import, responses, receipt, alerts, erase, subject
    std::string store;
    std::string hq_key;
    std::string devices;
    std::vector<std::string> bundles;
    std::string code;
    std::string email;   // erase, subject: the guest's e-mail address
    std::string by;      // erase: who asks for it
    bool quiet = false;  // import: no progress line
};

namespace {

void print_report(journal::import_report const& report) {
    for (auto const& d : report.devices) {
        std::cout << d.device << ": " << d.accepted << " accepted, " << d.duplicates
                  << " already had, " << d.refused << " refused; highest " << d.highest;
        char const* sep = "; missing ";
        for (auto const& [from, to] : d.missing) {
            std::cout << sep << from;
            if (to != from) std::cout << '-' << to;
            sep = ", ";
        }
        std::cout << '\n';
    }
    std::cout << render(report.found);
    std::cout << report.accepted << " accepted, " << report.duplicates << " already had, "
              << report.refused << " refused";
    if (report.heads != 0) std::cout << "; " << report.heads << " heads announced";
    if (report.alerts != 0) std::cout << "; " << report.alerts << " ALERTS raised";
    std::cout << '\n';
}

int check_signed_receipt(journal::store& store, hq_options const& opts) {
    if (opts.devices.empty()) {
        std::cerr << "hq receipt: a signed receipt is checked against --devices\n";
        return 2;
    }
    auto devices = seal::read_device_list(opts.devices);
    if (!devices) {
        std::cerr << render(devices.error());
        return 2;
    }
    auto checked = store.check_receipt(opts.code, *devices);
    if (!checked) {
        std::cout << render(checked.error());
        return 2;
    }
    auto const& r = checked->receipt;
    std::cout << render(checked->found);
    std::cout << "receipt of device " << r.device << " card " << r.seq << " ("
              << seal::receipt_code(r.hash) << ", given " << format_timestamp(r.time)
              << "): " << journal::to_string(checked->status);
    if (checked->card)
        std::cout << "; head office holds card " << checked->card->seq << " of site "
                  << checked->card->site << ", submitted " << format_timestamp(checked->card->time);
    std::cout << '\n';
    return checked->status == journal::receipt_status::reached ? 0 : 1;
}

}  // namespace

int run_hq(hq_options const& opts) {
    if (opts.action == "migrate") {
        auto done = pg::migrate(opts.store);
        if (!done) {
            std::cerr << render(done.error());
            return 2;
        }
        std::cout << "schema version " << done->from << " -> " << done->to << '\n';
        return 0;
    }
    auto store = open_store(opts.store);
    if (!store) return 2;
    if (opts.action == "alerts") {
        for (auto const& a : store->alerts())
            std::cout << format_timestamp(a.raised) << ' ' << render(a.problem);
        std::cout << store->alerts().size() << " alerts\n";
        return store->alerts().empty() ? 0 : 1;
    }
    if (opts.action == "receipt") {
        auto code = seal::normalize_receipt(opts.code);
        if (!code) {
            if (opts.code.size() > 16) return check_signed_receipt(*store, opts);
            std::cerr << opts.code
                      << ": not a receipt code (six letters and digits, e.g. 7KQ-4M2)\n";
            return 2;
        }
        auto found = store->find_receipt(*code);
        if (found.empty()) {
            std::cout << "card " << *code << " has not reached head office (yet)\n";
            return 1;
        }
        for (auto const& r : found)
            std::cout << "card " << *code << " reached head office: device " << r.device << " card "
                      << r.seq << ", site " << r.site << ", submitted " << format_timestamp(r.time)
                      << '\n';
        return 0;
    }
    auto hq = seal::read_hq_secret(opts.hq_key);
    if (!hq) {
        std::cerr << render(hq.error());
        return 2;
    }
    if (opts.action == "erase") {
        auto done = journal::erase_guest(*store, {opts.code, opts.email}, opts.by, *hq, unix_now());
        if (!done) {
            std::cerr << render(done.error());
            return 2;
        }
        std::cout << render(done->found);
        for (auto const& e : done->erased)
            std::cout << "erased the personal answers of device " << e.card.device << " card "
                      << e.card.seq << " (" << e.receipt << ")\n";
        std::cout << done->erased.size() << " cards erased\n";
        return 0;
    }
    if (opts.action == "subject") {
        auto found = journal::subject_access(*store, opts.email, *hq);
        if (!found) {
            std::cerr << render(found.error());
            return 2;
        }
        std::cerr << render(found->found);
        std::cout << journal::to_json(*found) << '\n';
        return found->found.empty() ? 0 : 1;
    }
    if (opts.action == "responses") {
        std::size_t unreadable = 0;
        store->for_each([&](journal::record const& r) {
            if (auto opened = journal::open_card(r, *hq))
                std::cout << response::to_json(*opened) << '\n';
            else
                ++unreadable;
        });
        if (unreadable != 0) std::cerr << unreadable << " records do not open with this key\n";
        return unreadable == 0 ? 0 : 1;
    }
    auto devices = seal::read_device_list(opts.devices);
    if (!devices) {
        std::cerr << render(devices.error());
        return 2;
    }
    std::vector<journal::bundle_input> bundles;
    for (auto const& path : opts.bundles) {
        auto data = read_file(path);
        if (!data) return 2;
        bundles.push_back({path, seal::bytes(data->begin(), data->end())});
    }
    auto report = store->import(bundles, *devices, *hq, progress_line(opts.quiet));
    print_report(report);
    return report.refused_any() ? 1 : 0;
}

constexpr char const* store_help =
    "Head office's store: a directory, or a PostgreSQL database (postgresql://USER@HOST/DB or a "
    "libpq connection string; the password from PGPASSFILE, ~/.pgpass or PGPASSWORD)";

void setup_hq(CLI::App& app) {
    auto* hq = app.add_subcommand("hq", "Head office: import bundles, open responses, receipts");
    hq->require_subcommand(1);

    auto imp = std::make_shared<hq_options>();
    imp->action = "import";
    auto* i = hq->add_subcommand("import", "Check bundles and store each good record once");
    i->add_option("--store", imp->store, store_help)->required();
    i->add_option("--hq-key", imp->hq_key, "Head office's secret key (hq.key)")->required();
    i->add_option("--devices", imp->devices, "Device list: `device ID KEY` lines")->required();
    i->add_option("bundles", imp->bundles, "Bundle files and head files (`candor journal head`)")
        ->required();
    i->add_flag("-q,--quiet", imp->quiet, "No progress line on a terminal");
    i->callback([imp] { exit_code() = run_hq(*imp); });

    auto resp = std::make_shared<hq_options>();
    resp->action = "responses";
    auto* r = hq->add_subcommand("responses", "The stored responses, opened, as JSON lines");
    r->add_option("--store", resp->store, store_help)->required();
    r->add_option("--hq-key", resp->hq_key, "Head office's secret key (hq.key)")->required();
    r->callback([resp] { exit_code() = run_hq(*resp); });

    auto rec = std::make_shared<hq_options>();
    rec->action = "receipt";
    auto* c = hq->add_subcommand(
        "receipt", "Look up a respondent's receipt: a code, or a signed receipt (or its link)");
    c->add_option("--store", rec->store, store_help)->required();
    c->add_option("--devices", rec->devices, "Device list, to check a signed receipt");
    c->add_option("code", rec->code, "Receipt code, e.g. 7KQ-4M2, or a signed receipt")->required();
    c->callback([rec] { exit_code() = run_hq(*rec); });

    auto mig = std::make_shared<hq_options>();
    mig->action = "migrate";
    auto* m = hq->add_subcommand("migrate", "Create or upgrade the store's schema in PostgreSQL");
    m->add_option("--store", mig->store,
                  "The database: postgresql://USER@HOST/DB or a libpq "
                  "connection string")
        ->required();
    m->callback([mig] { exit_code() = run_hq(*mig); });

    auto al = std::make_shared<hq_options>();
    al->action = "alerts";
    auto* a = hq->add_subcommand("alerts", "Every alert raised: cards cut from a device's journal");
    a->add_option("--store", al->store, store_help)->required();
    a->callback([al] { exit_code() = run_hq(*al); });

    auto er = std::make_shared<hq_options>();
    er->action = "erase";
    auto* e = hq->add_subcommand(
        "erase",
        "Erase a guest's personal answers: destroy their cards' keys (the cards still "
        "verify and count)");
    e->add_option("--store", er->store, "Head office's store directory")->required();
    e->add_option("--hq-key", er->hq_key, "Head office's secret key (hq.key)")->required();
    auto* by_receipt = e->add_option("--receipt", er->code, "The guest's receipt code");
    auto* by_email = e->add_option("--email", er->email, "The guest's e-mail address");
    by_receipt->excludes(by_email);
    e->add_option("--by", er->by, "Who asks for the erasure (kept in the erasure log)")->required();
    e->callback([er] { exit_code() = run_hq(*er); });

    auto sub = std::make_shared<hq_options>();
    sub->action = "subject";
    auto* sa = hq->add_subcommand("subject", "Everything held about a guest, as JSON");
    sa->add_option("--store", sub->store, "Head office's store directory")->required();
    sa->add_option("--hq-key", sub->hq_key, "Head office's secret key (hq.key)")->required();
    sa->add_option("--email", sub->email, "The guest's e-mail address")->required();
    sa->callback([sub] { exit_code() = run_hq(*sub); });
}

}  // namespace candor::cli
