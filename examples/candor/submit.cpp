// candor submit: checks responses against their survey and writes the accepted ones to the
// device's journal, sealed to head office; prints "RECEIPT SEQ" for each card once it is
// durable. Rejections go to stderr with their problems, and are not written.
#include <fstream>
#include <iostream>

#include "candor/response/validate.hpp"
#include "candor/response/json.hpp"
#include "candor/journal/journal.hpp"
#include "candor/journal/record.hpp"
#include "candor/seal/box.hpp"
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
};

namespace {
void print_receipts(journal::journal& j, std::vector<journal::card> const& cards) {
    for (auto const& s : j.submit(cards)) std::cout << s.receipt << ' ' << s.seq << '\n';
    std::cout.flush();
}
}  // namespace

int run_submit(submit_options const& opts) {
    auto survey = load_survey(opts.survey);
    if (!survey) return 2;
    auto key = seal::read_device_secret(opts.device_key);
    if (!key) {
        std::cerr << key.error() << '\n';
        return 2;
    }
    auto hq = seal::read_hq_public(opts.hq_public);
    if (!hq) {
        std::cerr << hq.error() << '\n';
        return 2;
    }
    auto opened = journal::journal::open(opts.journal, *key, *hq);
    if (!opened) {
        std::cerr << journal::render(opened.error());
        return 2;
    }
    auto& j = *opened;
    std::cerr << journal::render(j.recovery());

    std::ifstream file;
    std::istream* input = open_input(opts.responses, file);
    if (!input) return 2;
    std::istream& in = *input;
    std::size_t rejected = 0;
    std::vector<journal::card> batch;
    std::string text;
    // Line by line, not read_json_lines: a kiosk writing to our stdin gets each receipt
    // as soon as its card is durable, not at the end of the stream.
    for (std::uint32_t line_no = 1; std::getline(in, text); ++line_no) {
        if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
        auto where = opts.responses + ":" + std::to_string(line_no);
        auto parsed = response::from_json(text, {opts.responses, line_no, 1});
        if (!parsed) {
            ++rejected;
            std::cerr << where << ": rejected\n";
            for (auto const& d : parsed.error())
                std::cerr << "  " << d.message << " [" << d.code << "]\n";
            continue;
        }
        auto const& r = *parsed;
        auto problems = response::validate(*survey, r);
        if (auto device = r.field("device"); !device.empty() && device != key->id)
            problems.push_back({"device", response::problem_code::device_field,
                                "the response is from device " + std::string(device) +
                                    ", the key is " + key->id + "'s"});
        auto content = response::to_json(r);
        if (content.size() + seal::seal_overhead > journal::max_sealed_bytes)
            problems.push_back({"", response::problem_code::too_long, "response too large to seal"});
        if (!problems.empty()) {
            ++rejected;
            std::cerr << where << ": rejected\n";
            for (auto const& p : problems)
                std::cerr << "  " << (p.question.empty() ? "response" : p.question) << ": "
                          << p.message << " [" << response::to_string(p.code) << "]\n";
            continue;
        }
        batch.push_back(
            {r.survey, r.version, std::string(r.field("site")), r.submitted, std::move(content)});
        if (batch.size() >= opts.batch) {
            print_receipts(j, batch);
            batch.clear();
        }
    }
    if (!batch.empty()) print_receipts(j, batch);
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
    sub->add_option("responses", opts->responses, "Responses, one JSON object per line, or -");
    sub->callback([opts] { exit_code() = run_submit(*opts); });
}

}  // namespace candor::cli
