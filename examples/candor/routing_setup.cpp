#include "routing_setup.hpp"

#include <iostream>

#include "io.hpp"

namespace candor::cli {

void add_mail_options(CLI::App& app, mail_options& opts, std::string const& maildir_default) {
    app.add_option("--maildir", opts.maildir,
                   "Maildir for e-mail deliveries (default " + maildir_default + ")");
    app.add_option("--mail-from", opts.mail_from, "From: of the e-mails");
    app.add_option("--smtp", opts.smtp,
                   "Send e-mail to this SMTP relay (smtp://HOST:587, smtps://HOST:465) instead "
                   "of the Maildir");
    app.add_option("--smtp-user", opts.smtp_user, "Authenticate to the relay as this user");
    app.add_option("--smtp-password-file", opts.smtp_password_file,
                   "File holding the relay's password, mode 0600 (else $CANDOR_SMTP_PASSWORD)");
    app.add_option("--smtp-tls", opts.smtp_tls, "STARTTLS: required, when-offered or never")
        ->check(CLI::IsMember({"required", "when-offered", "never"}));
    app.add_option("--smtp-ca", opts.smtp_ca, "CA certificates to trust for the relay");
    app.add_option("--reply-domain", opts.reply_domain,
                   "Guests' replies come back to reply+CASE.MAC@DOMAIN (candor mail pull)");
}

std::unique_ptr<routing::sink> open_email_sink(mail_options const& opts,
                                               routing::store_layout const& layout) {
    auto replies = routing::load_reply_addresses(opts.reply_domain, layout.mail_key);
    if (!replies) {
        std::cerr << render(replies.error());
        return nullptr;
    }
    if (opts.smtp.empty())
        return std::make_unique<routing::maildir_sink>(
            opts.maildir.empty() ? layout.mail : std::filesystem::path(opts.maildir),
            routing::maildir_options{opts.mail_from}, routing::system_now, std::move(*replies));
    routing::smtp_options o{
        opts.smtp, opts.mail_from, opts.smtp_user, "", routing::smtp_tls::required, opts.smtp_ca,
        30};
    auto tls = routing::parse_smtp_tls(opts.smtp_tls);
    if (!tls) {
        std::cerr << render(tls.error());
        return nullptr;
    }
    o.tls = *tls;
    if (!opts.smtp_user.empty()) {
        auto password = routing::read_smtp_password(opts.smtp_password_file);
        if (!password) {
            std::cerr << render(password.error());
            return nullptr;
        }
        o.password = std::move(*password);
    }
    return std::make_unique<routing::smtp_sink>(std::move(o), routing::system_now,
                                                std::move(*replies));
}

}  // namespace candor::cli
