// candor export-survey --format surveyjs FILE.survey: a survey for SurveyJS front ends.
#include <fstream>
#include <iostream>

#include "candor/interop/surveyjs.hpp"
#include "commands.hpp"
#include "io.hpp"

namespace candor::cli {

struct export_survey_options {
    std::string file;
    std::string format = "surveyjs";
    std::string out;
};

int run_export_survey(export_survey_options const& opts) {
    auto survey = load_survey(opts.file);
    if (!survey) return 1;
    std::string const json = interop::export_surveyjs(*survey);
    if (opts.out.empty()) {
        std::cout << json;
        return std::cout ? 0 : 2;
    }
    std::ofstream out(opts.out, std::ios::binary | std::ios::trunc);
    out << json;
    if (!out.flush()) {
        std::cerr << opts.out << ": cannot write\n";
        return 2;
    }
    return 0;
}

void setup_export_survey(CLI::App& app) {
    auto opts = std::make_shared<export_survey_options>();
    auto* sub =
        app.add_subcommand("export-survey", "Write a survey for another tool (SurveyJS JSON)");
    sub->add_option("file", opts->file, "Survey file")->required()->check(CLI::ExistingFile);
    sub->add_option("--format", opts->format, "surveyjs (the only one)")
        ->check(CLI::IsMember({"surveyjs"}));
    sub->add_option("-o,--out", opts->out, "Write here instead of standard output");
    sub->callback([opts] { exit_code() = run_export_survey(*opts); });
}

}  // namespace candor::cli
