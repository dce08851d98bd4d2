// candor submit: checks responses against their survey and writes the accepted ones to the
// device's journal, sealed to head office; prints "RECEIPT SEQ" (with --signed, "RECEIPT SEQ
// SIGNED-RECEIPT") for each card once it is durable. Rejections go to stderr with their
// problems, and are not written. A device whose key names a site takes only its site's cards.
#include <fstream>
#include <iostream>

#include "candor/journal/intake.hpp"
#include "candor/journal/journal.hpp"
#include "candor/response/json.hpp"
#include "commands.hpp"
#include "io.hpp"

namespace candor::cli {

struct submit_options {
    std::string survey;
    std::string journal;
    std::string device_key;
    std::string hq_public;
    std::string responses = "-";
    std::size_t batch = 1;
    bool print_signed = false;
};

namespace {
// False when the cards could not be written (none was).
bool print_receipts(journal::journal& j, std::vector<journal::card> const& cards,
                    bool print_signed) {
    auto stamped = j.submit(cards);
    if (!stamped) {
        std::cerr << render(stamped.error());
        return false;
    }
    for (auto const& s : *stamped) {
        std::cout << s.receipt << ' ' << s.seq;
        if (print_signed) std::cout << ' ' << s.signed_receipt;
        std::cout << '\n';
    }
    std::cout.flush();
    return true;
}
}  // namespace

int run_submit(submit_options const& opts) {
    auto survey = load_survey(opts.survey);
    if (!survey) return 2;
    auto key = load_device_key(opts.device_key);
    if (!key) return 2;
    auto hq = load_hq_public(opts.hq_public);
    if (!hq) return 2;
    auto opened = journal::journal::open(opts.journal, *key, *hq);
    if (!opened) {
        std::cerr << render(opened.error());
        return 2;
    }
    auto& j = *opened;
    std::cerr << render(j.recovery());

    std::ifstream file;
    std::istream* input = open_input(opts.responses, file);
    if (!input) return 2;
    std::istream& in = *input;
    auto const device = journal::setting_of(*survey, key->public_part());
    std::size_t rejected = 0;
    std::vector<journal::card> batch;
    // Line by line, not read_json_lines: a kiosk writing to our stdin gets each receipt
    // as soon as its card is durable, not at the end of the stream.
    response::json_line_reader reader(in, opts.responses);
    while (auto line = reader.next()) {
        auto card = line->value ? journal::intake(*survey, std::move(*line->value), device)
                                : result<journal::card>(unexpected(std::move(line->value).error()));
        if (!card) {
            ++rejected;
            std::cerr << opts.responses << ":" << line->line << ": rejected\n";
            print_problems(std::cerr, card.error());
            continue;
        }
        batch.push_back(std::move(*card));
        if (batch.size() >= opts.batch) {
            if (!print_receipts(j, batch, opts.print_signed)) return 2;
            batch.clear();
        }
    }
    if (!batch.empty() && !print_receipts(j, batch, opts.print_signed)) return 2;
    return rejected == 0 ? 0 : 1;
}

void setup_submit(CLI::App& app) {
    auto opts = std::make_shared<submit_options>();
    auto* sub = app.add_subcommand(
        "submit", "Seal accepted responses into the device's journal; print their receipts");
    sub->add_option("--survey", opts->survey, "Survey file")->required()->check(CLI::ExistingFile);
    sub->add_option("--journal", opts->journal, "The device's journal directory")->required();
    sub->add_option("--device-key", opts->device_key, "The device's secret key (ID.key)")
        ->required();
    sub->add_option("--hq-public", opts->hq_public, "Head office's public key (hq.pub)")
        ->required();
    sub->add_option("--batch", opts->batch,
                    "Group commit: acknowledge this many cards after one sync (bulk import)")
        ->check(CLI::Range(1, 100000));
    sub->add_flag("--signed", opts->print_signed,
                  "Print each card's signed receipt (for a link or QR code) after its code");
    sub->add_option("responses", opts->responses, "Responses, one JSON object per line, or -");
    sub->callback([opts] { exit_code() = run_submit(*opts); });
}

}  // namespace candor::cli
