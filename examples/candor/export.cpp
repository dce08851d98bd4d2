// candor export --survey FILE RESPONSES.jsonl [--format csv|spss|xlsx]: accepted responses
// as CSV (standard output or --out), an SPSS .sav or an Excel .xlsx (--out).
#include <fstream>
#include <iostream>

#include "candor/interop/datasets.hpp"

#include "candor/response/csv.hpp"
#include "candor/response/json.hpp"
#include "candor/response/validate.hpp"
#include "commands.hpp"
#include "io.hpp"

namespace candor::cli {

struct export_options {
    std::string survey;
    std::string responses;
    bool csv = false;
    std::string format = "csv";
    std::string out;
    std::string language;
    bool anonymize = false;
};

namespace {

void report_skipped(std::string const& name, std::size_t skipped) {
    if (skipped)
        std::cerr << name << ": " << skipped
                  << " invalid response(s) skipped; see candor validate\n";
}

// Only responses the survey accepts are exported: a report never mixes in bad data.
std::vector<response::response> accepted(survey::survey const& s, std::istream& in,
                                         std::string const& name) {
    std::vector<response::response> out;
    std::size_t skipped = 0;
    for (auto& line : response::read_json_lines(in, name)) {
        if (!line.value || !response::validate(s, *line.value).empty())
            ++skipped;
        else
            out.push_back(std::move(*line.value));
    }
    report_skipped(name, skipped);
    return out;
}

}  // namespace

int run_export(export_options const& opts) {
    auto survey = load_survey(opts.survey);
    if (!survey) return 2;
    std::ifstream in_file;
    std::istream* input = open_input(opts.responses, in_file);
    if (!input) return 2;
    std::istream& in = *input;
    if (opts.format != "csv") {
        if (opts.out.empty()) {
            std::cerr << "candor export: --format " << opts.format << " needs --out FILE\n";
            return 2;
        }
        auto rows = accepted(*survey, in, opts.responses);
        interop::dataset_options dataset{opts.language, opts.anonymize};
        auto written = opts.format == "spss"
                           ? interop::write_sav(opts.out, *survey, rows, dataset)
                           : interop::write_xlsx(opts.out, *survey, rows, dataset);
        if (!written) {
            std::cerr << render(written.error());
            return 2;
        }
        std::cerr << render(*written) << opts.out << ": " << rows.size() << " response(s)\n";
        return 0;
    }
    std::ofstream file;
    if (!opts.out.empty()) {
        file.open(opts.out, std::ios::binary | std::ios::trunc);
        if (!file) {
            std::cerr << opts.out << ": cannot write\n";
            return 2;
        }
    }
    std::ostream& out = opts.out.empty() ? std::cout : file;
    auto const counts = response::export_csv(in, opts.responses, *survey, out, opts.anonymize);
    report_skipped(opts.responses, counts.skipped);
    return out ? 0 : 2;
}

void setup_export(CLI::App& app) {
    auto opts = std::make_shared<export_options>();
    auto* sub =
        app.add_subcommand("export", "Export valid responses as CSV, SPSS (.sav) or Excel (.xlsx)");
    sub->add_option("--survey", opts->survey, "Survey file")->required()->check(CLI::ExistingFile);
    sub->add_option("responses", opts->responses, "Responses (JSON lines), or - for standard input")
        ->required();
    auto* format = sub->add_option("--format", opts->format, "csv (default), spss or xlsx")
                       ->check(CLI::IsMember({"csv", "spss", "xlsx"}));
    sub->add_flag("--csv", opts->csv, "The same as --format csv")->excludes(format);
    sub->add_option("-o,--out", opts->out, "Write here (spss and xlsx: required)");
    sub->add_option("--language", opts->language,
                    "spss, xlsx: the language of labels (default: the survey's)");
    sub->add_flag("--anonymize", opts->anonymize,
                  "No personal answers, contact details in comments removed, times to the day");
    sub->callback([opts] { exit_code() = run_export(*opts); });
}

}  // namespace candor::cli
