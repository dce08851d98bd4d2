// What `candor route run` and `candor serve` both set up for routing: the org file and rules
// read with every error printed, and the e-mail sink (a Maildir, or an SMTP relay) from the
// same options.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "candor/routing/delivery.hpp"
#include "candor/routing/org.hpp"
#include "candor/routing/rules.hpp"
#include "candor/survey/survey.hpp"

namespace candor::cli {

// The org file, or nullopt after printing its errors (its warnings are printed too).
std::optional<routing::organisation> load_org(std::string const& path);
// The rules (may stand in the org file itself), or nullopt after printing their errors.
std::optional<routing::rule_set> load_routing_rules(std::string const& path,
                                                    routing::organisation const& org,
                                                    survey::survey const& survey);

struct mail_options {
    std::string maildir;  // default: the caller's
    std::string mail_from = "Candor <candor@localhost>";
    std::string smtp;  // smtp://HOST:PORT: mail to this relay instead of the Maildir
    std::string smtp_user;
    std::string smtp_password_file;  // else $CANDOR_SMTP_PASSWORD
    std::string smtp_tls = "required";
    std::string smtp_ca;
};
void add_mail_options(CLI::App& app, mail_options& opts, std::string const& maildir_default);
// The SMTP sink when --smtp is given, else the Maildir (`maildir` when --maildir is not
// given); null after printing why not.
std::unique_ptr<routing::sink> open_email_sink(mail_options const& opts,
                                               std::filesystem::path const& maildir);

}  // namespace candor::cli
