// Small helpers the subcommands share: reading files and surveys, printing errors.
#pragma once

#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "candor/journal/store.hpp"
#include "candor/progress.hpp"
#include "candor/report/report.hpp"
#include "candor/routing/org.hpp"
#include "candor/routing/rules.hpp"
#include "candor/routing/time.hpp"
#include "candor/seal/keys.hpp"
#include "candor/survey/survey.hpp"

namespace candor::cli {

// The whole file, or nullopt after printing why it could not be read.
std::optional<std::string> read_file(std::string const& path);

// `text` as the whole of `path`, written beside it and renamed over it, so that a crash
// never leaves half a file under the name; false after printing why not (nothing changed).
bool replace_file(std::string const& path, std::string_view text);

// The named file opened into `file`, or standard input for "-"; null after printing why
// the file could not be opened.
std::istream* open_input(std::string const& path, std::ifstream& file);

// Parses a survey file, printing every error (warnings too) to `err`.
std::optional<survey::survey> load_survey(std::string const& path, std::ostream& err = std::cerr);

// A device's secret key and head office's public key from their files; nullopt after
// printing why not.
std::optional<seal::device_secret> load_device_key(std::string const& path);
std::optional<seal::hq_public> load_hq_public(std::string const& path);

// A refused response's problems, one per line under its "FILE:LINE: rejected" line:
// "  QUESTION: message [code]" ("response" when the problem is the whole response's).
void print_problems(std::ostream& out, errors const& problems);

// One line on standard error, redrawn as work goes on ("route: 120,000 of 1,000,000 cards,
// 41,200/s, 21 s left"), when standard error is a terminal and not `quiet`; nothing otherwise.
progress_fn progress_line(bool quiet);

// The time a --now option names (the system clock when empty); nullopt after printing why
// not, prefixed by the command.
std::optional<routing::timestamp> now_option(std::string const& text, std::string_view command);

// Parses an org file, printing its errors and warnings; nullopt after printing why not.
std::optional<routing::organisation> load_org(std::string const& path);
// Routing rules (they may stand in the org file itself), printing their errors and warnings.
std::optional<routing::rule_set> load_routing_rules(std::string const& path,
                                                    routing::organisation const& org,
                                                    survey::survey const& survey);

// Opens head office's store (a directory, or a PostgreSQL location: pg::open_store), printing
// what recovery found; nullopt after printing why not.
std::optional<journal::store> open_store(std::string const& location);

}  // namespace candor::cli
