// candor check FILE...: parse and check surveys, print every error.
#include <iostream>

#include "candor/survey/parse.hpp"
#include "commands.hpp"
#include "io.hpp"

namespace candor::cli {

struct check_options {
    std::vector<std::string> files;
    bool quiet = false;
};

int run_check(check_options const& opts) {
    int errors = 0;
    for (auto const& file : opts.files) {
        auto text = read_file(file);
        if (!text) {
            ++errors;
            continue;
        }
        auto parsed = survey::parse(*text, file);
        if (!parsed) {
            std::cerr << render(parsed.error(), *text);
            ++errors;
            continue;
        }
        std::cerr << render(parsed->warnings, *text);
        if (!opts.quiet)
            std::cout << file << ": ok: survey \"" << parsed->id << "\" version " << parsed->version
                      << ", " << parsed->questions.size() << " questions, "
                      << parsed->languages.size() << " language(s), " << parsed->warnings.size()
                      << " warning(s)\n";
    }
    return errors == 0 ? 0 : 1;
}

void setup_check(CLI::App& app) {
    auto opts = std::make_shared<check_options>();
    auto* sub = app.add_subcommand("check", "Parse and check survey files; exit 1 on any error");
    sub->add_option("files", opts->files, "Survey files (*.survey)")
        ->required()
        ->check(CLI::ExistingFile);
    sub->add_flag("-q,--quiet", opts->quiet, "Print only errors");
    sub->callback([opts] { exit_code() = run_check(*opts); });
}

}  // namespace candor::cli
