// The subcommands of the `candor` tool. Each has an options struct filled by CLI11,
// a setup_x that declares it on the app, and a run_x that returns the exit code.
#pragma once

#include <CLI/CLI.hpp>

namespace candor::cli {

// Every setup_x adds a subcommand whose callback stores run_x's exit code here.
int& exit_code();

void setup_check(CLI::App& app);
void setup_fmt(CLI::App& app);
void setup_validate(CLI::App& app);
void setup_export(CLI::App& app);
void setup_import(CLI::App& app);
void setup_export_survey(CLI::App& app);
void setup_keys(CLI::App& app);
void setup_submit(CLI::App& app);
void setup_journal(CLI::App& app);
void setup_hq(CLI::App& app);
void setup_stats(CLI::App& app);
void setup_route(CLI::App& app);
void setup_report(CLI::App& app);
void setup_cases(CLI::App& app);
void setup_serve(CLI::App& app);
void setup_qr(CLI::App& app);
void setup_invite(CLI::App& app);
void setup_mail(CLI::App& app);
void setup_sync(CLI::App& app);

}  // namespace candor::cli
