#include "candor/routing/notification.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <type_traits>

#include "candor/time.hpp"
#include "mail.hpp"
#include "util/html.hpp"

namespace candor::routing {

namespace {

// Ordered: the mail sink prints the fields in this order, most useful first.
using json = nlohmann::ordered_json;

json value_of(response::answer const& a) {
    return std::visit([](auto const& v) { return json(v); }, a);
}

char const* to_string(notice_kind k) {
    switch (k) {
        case notice_kind::opened:
            return "opened";
        case notice_kind::escalated:
            return "escalated";
        case notice_kind::digest:
            return "digest";
    }
    return "?";
}

// Candor's own words in its e-mails, by language; English for any other.
struct wording {
    char const* lang;
    char const* greeting;      // "NAME,"
    char const* needs_action;  // ... SITE
    char const* escalated;     // ... SITE
    char const* in_copy;       // ... SITE; then "OWNER holds the case."
    char const* holds;         // OWNER ...
    char const* digest;        // ... SITE
    char const* case_label;
    char const* ack_by;
    char const* submitted;
    char const* answers;
    char const* withheld;
    char const* details;
    char const* to_ack;
    char const* yes;
    char const* no;
    char const* subject;
    char const* subject_escalated;
};
constexpr wording wordings[] = {
    {"en", "Hello {},", "A guest's card from {} needs your action.",
     "A guest's card from {} was escalated to you: nobody acknowledged it in time.",
     "For your information: a guest's card from {}.", "{} holds the case.",
     "A guest's card from {}, for your digest.", "Case", "Acknowledge by", "Submitted",
     "What the guest answered", "Withheld (your role does not contact guests)", "From the device",
     "To acknowledge it", "Yes", "No", "Guest feedback, {}", "Escalated: guest feedback, {}"},
    {"fr", "Bonjour {},", "La carte d'un client de {} demande votre action.",
     "La carte d'un client de {} vous est transmise : personne n'en a accusé réception à temps.",
     "Pour information : la carte d'un client de {}.", "{} a le dossier en charge.",
     "La carte d'un client de {}, pour votre résumé.", "Dossier", "Accuser réception avant le",
     "Envoyée le", "Les réponses du client",
     "Non communiqué (votre rôle ne contacte pas les clients)", "De l'appareil",
     "Pour en accuser réception", "Oui", "Non", "Avis client, {}", "Transmis : avis client, {}"},
};

// Candor's words to guests.
struct guest_wording {
    char const* lang;
    char const* thanks;
    char const* receipt;
    char const* status;
    char const* reply_subject;
    char const* reply_intro;
    char const* ack_subject;
};
constexpr guest_wording guest_wordings[] = {
    {"en", "Thank you for your feedback: it has reached our management.", "Your receipt code",
     "Follow what becomes of it", "Our answer to your feedback",
     "Our answer to your feedback:", "We have received your feedback"},
    {"fr", "Merci pour votre avis : il est parvenu à notre direction.", "Votre code de reçu",
     "Suivre ce qu'il en advient", "Notre réponse à votre avis",
     "Notre réponse à votre avis :", "Nous avons bien reçu votre avis"},
};

template <class W, std::size_t N>
W const& in_language(W const (&all)[N], std::string_view lang) {
    for (auto const& w : all)
        if (lang == w.lang || (lang.size() > 2 && lang.substr(0, 3) == std::string(w.lang) + "-"))
            return w;
    return all[0];
}

wording const& wording_for(std::string_view lang) {
    return in_language(wordings, lang);
}

std::string fill(char const* pattern, std::string_view value) {
    std::string out(pattern);
    auto at = out.find("{}");
    if (at != std::string::npos) out.replace(at, 2, value);
    return out;
}

// A time as the reader's clocks show it: 2026-11-07 17:00 (Europe/Paris).
std::string local_text(timestamp t, local_time const& place) {
    auto const offset = offset_at(t, place);
    auto const text = format_timestamp(t + offset * 60);  // 2026-11-07T17:00:00Z
    std::string zone = place.zone;
    if (zone.empty()) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "UTC%c%02d:%02d", offset < 0 ? '-' : '+',
                      std::abs(offset) / 60, std::abs(offset) % 60);
        zone = offset == 0 ? "UTC" : buf;
    }
    return text.substr(0, 10) + " " + text.substr(11, 5) + " (" + zone + ")";
}

// The reader's clock: their own time zone, else their place's (site or head office).
local_time reader_time(organisation const& org, person const& p) {
    if (p.time) return *p.time;
    for (auto const& h : p.holds)
        if (auto const* s = org.find_site(h.place)) return s->time;
    return org.head_office_time;
}

// An answer as the reader reads it: options by their labels, yes/no in their language.
std::string shown_answer(survey::question const* q, response::answer const& a,
                         std::string_view lang, std::string_view fallback, wording const& w) {
    auto label = [&](std::string const& code) {
        auto const* o = q ? q->option(code) : nullptr;
        return o ? std::string(o->label.in(lang, fallback)) : code;
    };
    return std::visit(
        [&](auto const& v) -> std::string {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, bool>) {
                return v ? w.yes : w.no;
            } else if constexpr (std::is_same_v<T, std::string>) {
                return q && q->kind == survey::question_kind::choice_one ? label(v) : v;
            } else if constexpr (std::is_same_v<T, response::choice_codes>) {
                std::string out;
                for (auto const& c : v) out += (out.empty() ? "" : ", ") + label(c);
                return out;
            } else {
                return json(v).dump();
            }
        },
        a);
}

struct readable {
    std::string text, html;
    void para(std::string const& line) {
        text += line + "\n\n";
        html += "<p>" + util::html_escape(line) + "</p>\n";
    }
    void item(std::string const& name, std::string const& value) {
        text += name + ": " + value + "\n";
        html += "<p><b>" + util::html_escape(name) + ":</b> " + util::html_escape(value) + "</p>\n";
    }
    // What the guest wrote: quoted line by line, so no answer can pass for a line of ours.
    void quoted(std::string const& name, std::string_view words) {
        text += name + "\n";
        html += "<p><b>" + util::html_escape(name) + "</b></p>\n<blockquote>";
        bool first = true;
        for (auto const& line : mail::shown_lines(words)) {
            text += "> " + line + "\n";
            html += (first ? "" : "<br>\n") + util::html_escape(line);
            first = false;
        }
        text += "\n";
        html += "</blockquote>\n";
    }
};

// The e-mail a person reads about `r`: in their language, question texts, the guest's words
// quoted, times in their time zone.
readable readable_mail(router const& router, response::response const& r, notice const& n,
                       person const& reader, role const& as, std::string const& site_name) {
    auto const& org = router.org();
    auto const& survey = router.survey();
    std::string const lang = reader.language.empty() ? survey.default_language() : reader.language;
    auto const& w = wording_for(lang);
    auto const clock = reader_time(org, reader);
    readable m;
    // Names come from the org file, the site's name too: on one line, like every header.
    auto const name_of = [](routing::person const& p) {
        return mail::one_line(p.name.empty() ? p.id : p.name);
    };
    std::string const site_line = mail::one_line(site_name);
    m.para(fill(w.greeting, name_of(reader)));
    bool const owner = n.kind != notice_kind::digest && n.owner == n.to.person;
    if (n.kind == notice_kind::digest) {
        m.para(fill(w.digest, site_line));
    } else if (!owner) {
        auto const& holder = org.people.at(n.owner);
        m.para(fill(w.in_copy, site_line) + " " + fill(w.holds, name_of(holder)));
    } else {
        m.para(fill(n.kind == notice_kind::escalated ? w.escalated : w.needs_action, site_line));
    }
    if (!n.case_id.empty()) m.item(w.case_label, n.case_id);
    if (n.deadline != 0) m.item(w.ack_by, local_text(n.deadline, clock));
    m.item(w.submitted, local_text(r.submitted, clock));
    m.text += "\n";
    m.para(std::string(w.answers) + ":");
    auto const shown = show_card(survey, r, reader.language, as.contacts_guests);
    for (auto const& [prompt, answer] : shown.answers) m.quoted(prompt, answer);
    std::string withheld;
    for (auto const& prompt : shown.withheld) withheld += (withheld.empty() ? "" : ", ") + prompt;
    if (!withheld.empty()) m.para(std::string(w.withheld) + ": " + withheld);
    if (!shown.fields.empty()) m.para(std::string(w.details) + ":");
    for (auto const& [k, v] : shown.fields) m.quoted(k, v);
    if (owner || (n.kind == notice_kind::escalated && !n.case_id.empty())) {
        if (n.ack_link.empty()) {
            m.para(std::string(w.to_ack) + ": candor cases ack " + n.case_id + " --by " +
                   reader.id);
        } else {
            auto const link = mail::one_line(n.ack_link);
            m.text += std::string(w.to_ack) + ": " + link + "\n\n";
            m.html += "<p><a href=\"" + util::html_escape(link) + "\">" +
                      util::html_escape(w.to_ack) + "</a>: " + util::html_escape(link) + "</p>\n";
        }
    }
    return m;
}

}  // namespace

shown_card show_card(survey::survey const& survey, response::response const& r,
                     std::string_view reader_language, bool contacts_guests) {
    shown_card out;
    out.language = reader_language.empty() ? survey.default_language() : reader_language;
    std::string const& fallback =
        survey.fallback_language.empty() ? survey.default_language() : survey.fallback_language;
    auto const& w = wording_for(out.language);
    for (auto const& [id, a] : r.answers) {
        auto const* q = survey.find(id);
        std::string prompt = q ? std::string(q->prompt.in(out.language, fallback)) : id;
        if (q && q->personal && !contacts_guests)
            out.withheld.push_back(std::move(prompt));
        else
            out.answers.emplace_back(std::move(prompt),
                                     shown_answer(q, a, out.language, fallback, w));
    }
    for (auto const& [k, v] : r.fields)
        if (k != "site") out.fields.emplace_back(k, v);
    return out;
}

result<std::vector<delivery>> deliveries_for(router const& router, response::response const& r,
                                             notice const& n, timestamp now) {
    auto const& org = router.org();
    auto const& person = org.people.at(n.to.person);
    auto const& role = org.roles.at(n.to.role);
    if (!router.may_receive(n.to.person, r))
        return fail("bypass",
                    person.id + " may not hear of " + n.response_key + ", about their own site");

    std::string const site_id(r.field("site"));
    auto const* site = org.find_site(site_id);
    // Most useful first: a person reading the mail sees what happened and by when to act.
    json body = {{"event", to_string(n.kind)},
                 {"site", {{"id", site_id}, {"name", site ? site->name : ""}}},
                 {"submitted", format_timestamp(r.submitted)}};
    if (!n.case_id.empty()) {
        body["case"] = n.case_id;
        body["owner"] = org.people.at(n.owner).id;
    }
    if (n.deadline != 0) body["acknowledge_by"] = format_timestamp(n.deadline);
    body["to"] = person.id;
    body["role"] = role.id;
    if (n.to.rule != no_rule) body["rule"] = router.rules().rules[n.to.rule].condition_text;
    json answers = json::object();
    json withheld = json::array();
    for (auto const& [id, a] : r.answers) {
        auto const* q = router.survey().find(id);
        if (q && q->personal && !role.contacts_guests)
            withheld.push_back(id);
        else
            answers[id] = value_of(a);
    }
    body["answers"] = std::move(answers);
    if (!withheld.empty()) body["withheld"] = std::move(withheld);
    json fields = json::object();
    for (auto const& [k, v] : r.fields)
        if (k != "site") fields[k] = v;
    body["fields"] = std::move(fields);
    body["response"] = n.response_key;
    body["survey"] = r.survey;
    body["version"] = r.version;
    body["language"] = r.language;

    std::string const site_name = site ? site->name : site_id;
    auto const m = readable_mail(router, r, n, person, role, site_name);
    auto const& w =
        wording_for(person.language.empty() ? router.survey().default_language() : person.language);
    std::string subject =
        fill(n.kind == notice_kind::escalated ? w.subject_escalated : w.subject, site_name) + " (" +
        n.response_key + ")";
    std::string const event =
        n.kind == notice_kind::escalated ? "escalated/" + role.id : to_string(n.kind);
    std::string const text = body.dump();
    std::vector<delivery> out;
    std::map<channel_kind, int> seen;  // a second webhook of the same person is a second key
    for (auto const& c : person.channels) {
        int const nth = ++seen[c.kind];
        delivery d;
        d.key = n.response_key + "/" + person.id + "/" + event + "/" +
                std::string(to_string(c.kind)) +
                (nth > 1 ? std::string("-").append(std::to_string(nth)) : "");
        d.person = person.id;
        d.channel = c.kind;
        d.address = c.address;
        d.subject = subject;
        d.body = text;
        if (c.kind == channel_kind::email) {
            d.text = m.text;
            d.html = m.html;
            d.thread = n.case_id;
        }
        if (n.kind == notice_kind::digest) {
            auto const until = end_of_local_day(now, org.head_office_time);
            auto const day = local_date(until - 1, org.head_office_time);
            d.batch = "digest/" + person.id + "/" + day + d.key.substr(d.key.rfind('/'));
            d.not_before = until;
        }
        out.push_back(std::move(d));
    }
    return out;
}

std::string guest_address(survey::survey const& survey, response::response const& r) {
    for (auto const& [id, a] : r.answers) {
        auto const* q = survey.find(id);
        auto const* text = std::get_if<std::string>(&a);
        if (q && q->kind == survey::question_kind::email && text && mail::plain_address(*text))
            return *text;
    }
    return {};
}

namespace {

delivery to_guest(std::string key, std::string address, std::string subject, readable const& m,
                  json body, std::string thread) {
    delivery d;
    d.key = std::move(key);
    d.person = "guest";
    d.channel = channel_kind::email;
    d.address = std::move(address);
    d.subject = std::move(subject);
    d.body = body.dump();
    d.text = m.text;
    d.html = m.html;
    d.thread = std::move(thread);
    return d;
}

}  // namespace

std::optional<delivery> acknowledgement_for(router const& router, response::response const& r,
                                            std::string const& response_key,
                                            std::string const& receipt,
                                            std::string const& status_url) {
    auto address = guest_address(router.survey(), r);
    if (address.empty()) return std::nullopt;
    auto const& w = in_language(guest_wordings, r.language);
    readable m;
    m.para(w.thanks);
    m.item(w.receipt, receipt);
    json body = {{"event", "acknowledged"}, {"response", response_key}, {"receipt", receipt}};
    if (!status_url.empty()) {
        // A link made by head office's server: shown, and linked only when it is http(s).
        m.text += std::string(w.status) + ": " + mail::one_line(status_url) + "\n";
        auto const url = util::html_escape(mail::one_line(status_url));
        bool const web =
            status_url.rfind("https://", 0) == 0 || status_url.rfind("http://", 0) == 0;
        m.html += "<p><a href=\"" + (web ? url : std::string("#")) + "\">" +
                  util::html_escape(w.status) + "</a>: " + url + "</p>\n";
        body["status_url"] = status_url;
    }
    return to_guest(response_key + "/guest/acknowledged/email", std::move(address), w.ack_subject,
                    m, std::move(body), response_key);
}

delivery reply_for(routed_case const& c, std::string const& reply) {
    auto const& w = in_language(guest_wordings, c.language);
    readable m;
    m.para(w.reply_intro);
    m.quoted("", reply);
    return to_guest(c.id + "/guest/reply/email", c.guest, w.reply_subject, m,
                    {{"event", "reply"}, {"case", c.id}, {"reply", reply}}, c.id);
}

delivery mail_acknowledgement(routed_case const& c) {
    auto const& w = in_language(guest_wordings, c.language);
    readable m;
    m.para(w.thanks);
    return to_guest(c.id + "/guest/acknowledged/email", c.guest, w.ack_subject, m,
                    {{"event", "acknowledged"}, {"case", c.id}}, c.id);
}

}  // namespace candor::routing
