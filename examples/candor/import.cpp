// candor import surveyjs|xlsform FILE: a SurveyJS or XLSForm survey as a .survey file.
#include <fstream>
#include <iostream>

#include "candor/interop/surveyjs.hpp"
#include "candor/interop/xlsform.hpp"
#include "commands.hpp"
#include "io.hpp"

namespace candor::cli {

struct import_options {
    std::string format;
    std::string file;
    std::string out;
    interop::import_options library;
};

int run_import(import_options const& opts) {
    auto bytes = read_file(opts.file);
    if (!bytes) return 2;
    auto result = opts.format == "surveyjs"
                      ? interop::import_surveyjs(*bytes, opts.library, opts.file)
                      : interop::import_xlsform(*bytes, opts.library, opts.file);
    if (!result) {
        std::cerr << render(result.error());
        std::cerr << opts.file << ": not imported"
                  << (opts.library.lenient ? "" : " (--lenient drops what cannot be carried over)")
                  << '\n';
        return 1;
    }
    std::cerr << render(result->notes);
    if (opts.out.empty()) {
        std::cout << result->text;
    } else if (!replace_file(opts.out, result->text)) {
        return 2;
    }
    auto const& s = result->survey;
    std::cerr << opts.file << ": imported survey \"" << s.id << "\" version " << s.version << ", "
              << s.questions.size() << " questions, " << s.languages.size() << " language(s), "
              << result->notes.size() << " note(s)\n";
    return 0;
}

void setup_import(CLI::App& app) {
    auto* sub =
        app.add_subcommand("import", "Import a SurveyJS or XLSForm survey as a .survey file");
    sub->require_subcommand(1);
    for (std::string format : {"surveyjs", "xlsform"}) {
        auto opts = std::make_shared<import_options>();
        opts->format = format;
        auto* f = sub->add_subcommand(format, format == "surveyjs"
                                                  ? "A SurveyJS survey (JSON)"
                                                  : "An XLSForm (.xlsx: ODK, KoboToolbox)");
        f->add_option("file", opts->file,
                      format == "surveyjs" ? "The .json file" : "The .xlsx file")
            ->required()
            ->check(CLI::ExistingFile);
        f->add_option("-o,--out", opts->out, "Write the survey here instead of standard output");
        f->add_option("--id", opts->library.survey_id,
                      "Survey id (default: the form's, else the file name)");
        f->add_option("--version", opts->library.version,
                      "Survey version (default: the form's, else 1)");
        f->add_option("--language", opts->library.default_language,
                      "Language of the texts not marked with one (default: the form's, else en)");
        f->add_option("--nps", opts->library.nps,
                      "A 0..10 rating (by its name in the form) to import as NPS; * for all")
            ->take_all();
        f->add_flag("--lenient", opts->library.lenient,
                    "Drop what cannot be carried over, with a warning each, instead of failing");
        f->callback([opts] { exit_code() = run_import(*opts); });
    }
}

}  // namespace candor::cli
