// candor: check, format and use surveys and responses from the command line.
#include <iostream>

#include "candor/version.hpp"
#include "commands.hpp"

namespace candor::cli {
int& exit_code() {
    static int code = 0;
    return code;
}
}  // namespace candor::cli

int main(int argc, char** argv) {
    CLI::App app{"Candor: customer feedback that reaches management intact"};
    app.set_version_flag("--version", candor::version());
    app.require_subcommand(1);
    candor::cli::setup_check(app);
    candor::cli::setup_fmt(app);
    candor::cli::setup_validate(app);
    candor::cli::setup_export(app);
    candor::cli::setup_import(app);
    candor::cli::setup_export_survey(app);
    candor::cli::setup_keys(app);
    candor::cli::setup_submit(app);
    candor::cli::setup_journal(app);
    candor::cli::setup_hq(app);
    candor::cli::setup_stats(app);
    candor::cli::setup_route(app);
    candor::cli::setup_report(app);
    candor::cli::setup_cases(app);
    candor::cli::setup_serve(app);
    candor::cli::setup_qr(app);
    candor::cli::setup_invite(app);
    candor::cli::setup_mail(app);
    candor::cli::setup_sync(app);
    try {
        app.parse(argc, argv);
    } catch (CLI::ParseError const& e) {
        return app.exit(e);
    } catch (std::exception const& e) {
        std::cerr << "candor: " << e.what() << '\n';
        return 2;
    }
    return candor::cli::exit_code();
}
