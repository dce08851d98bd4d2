// candor fmt FILE: print the canonical text of a survey (or rewrite it in place).
#include <fstream>
#include <iostream>

#include "candor/survey/parse.hpp"
#include "commands.hpp"
#include "io.hpp"

namespace candor::cli {

struct fmt_options {
    std::string file;
    bool in_place = false;
    bool check = false;
    bool drop_comments = false;
};

namespace {
// The canonical form has no comments: a `#` outside a string would be lost.
bool has_comment(std::string_view text) {
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"' || c == '\n')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '#') {
            return true;
        }
    }
    return false;
}
}  // namespace

int run_fmt(fmt_options const& opts) {
    auto text = read_file(opts.file);
    if (!text) return 1;
    auto survey = load_survey(opts.file);
    if (!survey) return 1;
    std::string formatted = survey::format(*survey);
    if (opts.check) {
        if (formatted == *text) return 0;
        std::cerr << opts.file << ": not in canonical form (run candor fmt -i)\n";
        return 1;
    }
    if (!opts.in_place) {
        std::cout << formatted;
        if (has_comment(*text)) std::cerr << opts.file << ": note: comments are not kept\n";
        return 0;
    }
    if (has_comment(*text) && !opts.drop_comments) {
        std::cerr << opts.file
                  << ": has comments, which the canonical form does not keep; "
                     "rerun with --drop-comments to rewrite it anyway\n";
        return 1;
    }
    return replace_file(opts.file, formatted) ? 0 : 1;
}

void setup_fmt(CLI::App& app) {
    auto opts = std::make_shared<fmt_options>();
    auto* sub = app.add_subcommand("fmt", "Print a survey in canonical form");
    sub->add_option("file", opts->file, "Survey file")->required()->check(CLI::ExistingFile);
    sub->add_flag("-i,--in-place", opts->in_place, "Rewrite the file");
    sub->add_flag("--check", opts->check, "Exit 1 if the file is not in canonical form");
    sub->add_flag("--drop-comments", opts->drop_comments,
                  "With -i: rewrite even if comments are lost");
    sub->callback([opts] { exit_code() = run_fmt(*opts); });
}

}  // namespace candor::cli
