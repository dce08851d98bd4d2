// candor export --survey FILE RESPONSES.jsonl --csv: accepted responses as CSV.
#include <fstream>
#include <iostream>

#include "candor/response/validate.hpp"
#include "candor/response/csv.hpp"
#include "candor/response/json.hpp"
#include "commands.hpp"
#include "io.hpp"

namespace candor::cli {

struct export_options {
    std::string survey;
    std::string responses;
    bool csv = false;
    std::string out;
};

int run_export(export_options const& opts) {
    auto survey = load_survey(opts.survey);
    if (!survey) return 2;
    std::ifstream in_file;
    std::istream* input = open_input(opts.responses, in_file);
    if (!input) return 2;
    std::istream& in = *input;
    std::ofstream file;
    if (!opts.out.empty()) {
        file.open(opts.out, std::ios::binary | std::ios::trunc);
        if (!file) {
            std::cerr << opts.out << ": cannot write\n";
            return 2;
        }
    }
    std::ostream& out = opts.out.empty() ? std::cout : file;
    response::write_csv_header(out, *survey);
    std::size_t skipped = 0;
    for (auto& line : response::read_json_lines(in, opts.responses)) {
        // Only responses the survey accepts are exported: a report never mixes in bad data.
        if (!line.value || !response::validate(*survey, *line.value).empty()) {
            ++skipped;
            continue;
        }
        response::write_csv_row(out, *survey, *line.value);
    }
    if (skipped)
        std::cerr << opts.responses << ": " << skipped
                  << " invalid response(s) skipped; see candor validate\n";
    return out ? 0 : 2;
}

void setup_export(CLI::App& app) {
    auto opts = std::make_shared<export_options>();
    auto* sub = app.add_subcommand("export", "Export valid responses as CSV");
    sub->add_option("--survey", opts->survey, "Survey file")->required()->check(CLI::ExistingFile);
    sub->add_option("responses", opts->responses, "Responses (JSON lines), or - for standard input")
        ->required();
    sub->add_flag("--csv", opts->csv, "CSV output (the only format today)")->required();
    sub->add_option("-o,--out", opts->out, "Write here instead of standard output");
    sub->callback([opts] { exit_code() = run_export(*opts); });
}

}  // namespace candor::cli
