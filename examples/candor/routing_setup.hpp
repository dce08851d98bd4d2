// What `candor route run` and `candor serve` both set up to send e-mail: the sink (a Maildir,
// or an SMTP relay) from the same options.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "candor/routing/delivery.hpp"
#include "candor/routing/pass.hpp"

namespace candor::cli {

struct mail_options {
    std::string maildir;  // default: the caller's
    std::string mail_from = "Candor <candor@localhost>";
    std::string smtp;  // smtp://HOST:PORT: mail to this relay instead of the Maildir
    std::string smtp_user;
    std::string smtp_password_file;  // else $CANDOR_SMTP_PASSWORD
    std::string smtp_tls = "required";
    std::string smtp_ca;
    std::string reply_domain;  // Reply-To of guest mails: reply+CASE.MAC@DOMAIN
};
void add_mail_options(CLI::App& app, mail_options& opts, std::string const& maildir_default);
// The SMTP sink when --smtp is given, else the Maildir (the store's when --maildir is not
// given), signing guests' Reply-To with the store's mail key; null after printing why not.
std::unique_ptr<routing::sink> open_email_sink(mail_options const& opts,
                                               routing::store_layout const& layout);

}  // namespace candor::cli
