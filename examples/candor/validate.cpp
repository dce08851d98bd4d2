// candor validate --survey FILE RESPONSES.jsonl: a verdict per response line.
#include <fstream>
#include <iostream>

#include "candor/response/json.hpp"
#include "candor/response/validate.hpp"
#include "commands.hpp"
#include "io.hpp"

namespace candor::cli {

struct validate_options {
    std::string survey;
    std::string responses;
    bool quiet = false;
};

int run_validate(validate_options const& opts) {
    auto survey = load_survey(opts.survey);
    if (!survey) return 2;
    std::ifstream file;
    std::istream* input = open_input(opts.responses, file);
    if (!input) return 2;
    std::istream& in = *input;
    std::size_t accepted = 0, rejected = 0;
    for (auto& line : response::read_json_lines(in, opts.responses)) {
        std::string const where = opts.responses + ":" + std::to_string(line.line);
        auto problems = line.value ? response::validate(*survey, *line.value) : line.value.error();
        if (problems.empty()) {
            ++accepted;
            if (!opts.quiet) std::cout << where << ": accepted\n";
            continue;
        }
        ++rejected;
        std::cout << where << ": rejected\n";
        print_problems(std::cout, problems);
    }
    std::cout << accepted << " accepted, " << rejected << " rejected\n";
    return rejected == 0 ? 0 : 1;
}

void setup_validate(CLI::App& app) {
    auto opts = std::make_shared<validate_options>();
    auto* sub = app.add_subcommand("validate", "Check responses (JSON lines) against a survey");
    sub->add_option("--survey", opts->survey, "Survey file")->required()->check(CLI::ExistingFile);
    sub->add_option("responses", opts->responses, "Responses, one JSON object per line, or -")
        ->required();
    sub->add_flag("-q,--quiet", opts->quiet, "Print only rejected responses and the totals");
    sub->callback([opts] { exit_code() = run_validate(*opts); });
}

}  // namespace candor::cli
