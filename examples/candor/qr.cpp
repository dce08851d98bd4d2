// candor qr: the table cards' QR codes as SVG, each the link BASE/t/SITE/TABLE that
// `candor serve` answers. With --out, one file per table (SITE-TABLE.svg) and its link on
// standard output; without, the one table's SVG on standard output.
#include <filesystem>
#include <iostream>

#include "candor/receipt/qr.hpp"
#include "candor/serve/qr.hpp"
#include "commands.hpp"
#include "io.hpp"

namespace candor::cli {

struct qr_options {
    std::string base;
    std::string site;
    std::vector<std::string> tables;
    std::string out;
    unsigned module_px = 8;
};

int run_qr(qr_options const& opts) {
    if (opts.out.empty() && opts.tables.size() != 1) {
        std::cerr << "candor qr: without --out, give exactly one --table\n";
        return 2;
    }
    for (auto const& table : opts.tables) {
        auto const link = serve::table_link(opts.base, opts.site, table);
        auto svg = receipt::qr_svg(link, opts.module_px);
        if (!svg) {
            std::cerr << render(svg.error());
            return 2;
        }
        if (opts.out.empty()) {
            std::cout << *svg;
            continue;
        }
        auto const file = std::filesystem::path(opts.out) / (opts.site + "-" + table + ".svg");
        if (!replace_file(file.string(), *svg)) return 2;
        std::cout << file.string() << ' ' << link << '\n';
    }
    return 0;
}

void setup_qr(CLI::App& app) {
    auto opts = std::make_shared<qr_options>();
    auto* sub = app.add_subcommand("qr", "Print table cards' QR codes as SVG (candor serve links)");
    sub->add_option("--base", opts->base,
                    "Where guests reach candor serve (https://feedback.example.com)")
        ->required();
    sub->add_option("--site", opts->site, "The site (one of candor serve's --site)")->required();
    sub->add_option("--table", opts->tables, "A table or room; repeat for each")->required();
    sub->add_option("--out", opts->out, "A directory (existing) for SITE-TABLE.svg files")
        ->check(CLI::ExistingDirectory);
    sub->add_option("--module", opts->module_px, "Size of one module in the SVG's units")
        ->check(CLI::Range(1, 100))
        ->capture_default_str();
    sub->callback([opts] { exit_code() = run_qr(*opts); });
}

}  // namespace candor::cli
