#include "routing_setup.hpp"

#include <iostream>

#include "io.hpp"

namespace candor::cli {

std::optional<routing::organisation> load_org(std::string const& path) {
    auto text = read_file(path);
    if (!text) return std::nullopt;
    auto org = routing::parse_org(*text, path);
    if (!org) {
        std::cerr << render(org.error(), *text);
        return std::nullopt;
    }
    std::cerr << render(org->warnings, *text);
    return std::move(*org);
}

std::optional<routing::rule_set> load_routing_rules(std::string const& path,
                                                    routing::organisation const& org,
                                                    survey::survey const& survey) {
    auto text = read_file(path);
    if (!text) return std::nullopt;
    // Rules may stand in the org file itself.
    auto rules = routing::load_rules(*text, path == org.file ? org.file : path, org, survey);
    if (!rules) {
        std::cerr << render(rules.error(), *text);
        return std::nullopt;
    }
    std::cerr << render(rules->warnings, *text);
    return std::move(*rules);
}
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
}

std::unique_ptr<routing::sink> open_email_sink(mail_options const& opts,
                                               std::filesystem::path const& maildir) {
    if (opts.smtp.empty())
        return std::make_unique<routing::maildir_sink>(
            opts.maildir.empty() ? maildir : std::filesystem::path(opts.maildir),
            routing::maildir_options{opts.mail_from}, routing::system_now);
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
    return std::make_unique<routing::smtp_sink>(std::move(o), routing::system_now);
}

}  // namespace candor::cli
