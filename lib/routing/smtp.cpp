// The SMTP sink: one libcurl easy handle (so one kept-alive connection to the relay), the
// message mail::compose() writes, LF turned into CRLF and leading dots escaped by libcurl.
#include <curl/curl.h>

#include <cstdlib>
#include <mutex>

#include "candor/routing/delivery.hpp"
#include "candor/seal/keys.hpp"
#include "mail.hpp"

namespace candor::routing {

std::string_view to_string(smtp_tls t) noexcept {
    switch (t) {
        case smtp_tls::required:
            return "required";
        case smtp_tls::when_offered:
            return "when-offered";
        case smtp_tls::never:
            return "never";
    }
    return "?";
}

result<smtp_tls> parse_smtp_tls(std::string_view text) {
    for (auto t : {smtp_tls::required, smtp_tls::when_offered, smtp_tls::never})
        if (to_string(t) == text) return t;
    return fail("bad-option",
                "STARTTLS is required, when-offered or never, not '" + std::string(text) + "'");
}

result<std::string> read_smtp_password(std::filesystem::path const& file, char const* variable) {
    std::string text;
    if (!file.empty()) {
        auto secret = seal::read_secret_file(file);
        if (!secret) return unexpected(std::move(secret).error());
        text = std::move(*secret);
    } else if (char const* env = variable ? std::getenv(variable) : nullptr) {
        text = env;
    } else {
        return fail("no-password", std::string("no password file, and $") +
                                       (variable ? variable : "") + " is not set");
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
}

namespace {

// The address inside "Name <address>", or the text itself.
std::string envelope_address(std::string const& from) {
    auto const lt = from.rfind('<');
    auto const gt = from.rfind('>');
    if (lt == std::string::npos || gt == std::string::npos || gt < lt) return from;
    return from.substr(lt + 1, gt - lt - 1);
}

// <address>, as MAIL FROM and RCPT TO take it.
std::string angled(std::string_view address) {
    std::string out;
    out.reserve(address.size() + 2);
    out.push_back('<');
    out.append(address);
    out.push_back('>');
    return out;
}

struct upload {
    std::string const& text;
    std::size_t at = 0;
};

std::size_t read_upload(char* buf, std::size_t size, std::size_t n, void* user) {
    auto* u = static_cast<upload*>(user);
    std::size_t const k = std::min(size * n, u->text.size() - u->at);
    std::copy_n(u->text.data() + u->at, k, buf);
    u->at += k;
    return k;
}

}  // namespace

struct smtp_sink::impl {
    smtp_options options;
    clock_fn clock;
    CURL* curl = nullptr;
    reply_addresses replies;
};

smtp_sink::smtp_sink(smtp_options options, clock_fn clock, reply_addresses replies)
    : p_(std::make_unique<impl>(
          impl{std::move(options), std::move(clock), nullptr, std::move(replies)})) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    p_->curl = curl_easy_init();
    if (!p_->curl) throw std::runtime_error("libcurl: no easy handle");
}

smtp_sink::~smtp_sink() {
    curl_easy_cleanup(p_->curl);
}

result<void> smtp_sink::send(delivery const& d) {
    // Only a plain address reaches the envelope: nothing in it can add a recipient or a command.
    if (!mail::plain_address(d.address))
        return fail("gone", "recipient refused: `" + mail::one_line(d.address) +
                                "` is no plain e-mail address");
    auto const& o = p_->options;
    auto const message = mail::compose(d, {o.from, p_->replies}, p_->clock());
    auto const sender = angled(envelope_address(mail::one_line(o.from)));
    auto const rcpt = angled(d.address);
    curl_slist* to = curl_slist_append(nullptr, rcpt.c_str());
    upload body{message};
    char problem[CURL_ERROR_SIZE] = {};
    CURL* c = p_->curl;
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, o.url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, problem);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(o.timeout_seconds));
    curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(o.timeout_seconds));
    curl_easy_setopt(c, CURLOPT_USE_SSL,
                     o.tls == smtp_tls::required       ? CURLUSESSL_ALL
                     : o.tls == smtp_tls::when_offered ? CURLUSESSL_TRY
                                                       : CURLUSESSL_NONE);
    if (!o.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, o.ca_file.c_str());
    if (!o.user.empty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, o.user.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, o.password.c_str());
    }
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, sender.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, to);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_CRLF, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(c, CURLOPT_READDATA, &body);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
    CURLcode const rc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(to);
    if (rc == CURLE_OK) return {};
    std::string why = problem[0] ? problem : curl_easy_strerror(rc);
    // A recipient refused for good is given up; the relay's other answers are retried.
    if (code >= 500 && code < 600 && why.rfind("RCPT failed", 0) == 0)
        return fail("gone", "recipient refused: " + why);
    return fail("smtp", "SMTP " + o.url + ": " + why);
}

}  // namespace candor::routing
