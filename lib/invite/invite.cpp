// Invitations and reminders: tokens, mails through the outbox, the index of stays invited.
#include "candor/invite/invite.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "candor/serve/server.hpp"
#include "routing/mail.hpp"
#include "util/event_log.hpp"
#include "util/html.hpp"
#include "util/json_text.hpp"

namespace candor::invite {

namespace {

using json = nlohmann::json;

// Stays issued, queued and recorded together: one syncfs, one outbox write, one index write.
constexpr std::size_t batch_stays = 10000;
constexpr std::size_t max_problems = 10;
constexpr timestamp day = 86400;

// Candor's words in invitations, by language; English for any other.
struct wording {
    char const* lang;
    char const* subject;           // ... SITE
    char const* reminder_subject;  // ... SITE
    char const* dear;              // ... NAME,
    char const* hello;
    char const* ask;       // ... SITE
    char const* reminder;  // ... SITE
    char const* button;
    char const* once;
    char const* unsubscribe;
};
constexpr wording wordings[] = {
    {"en", "How was your stay at {}?", "A reminder: how was your stay at {}?", "Dear {},", "Hello,",
     "Thank you for staying at {}. Would you tell us how it went? It takes two minutes.",
     "A few days ago we asked how your stay at {} went. If you have two minutes, your answer "
     "helps us.",
     "Give your feedback", "This link is yours alone and works once.",
     "To receive no more invitations"},
    {"fr", "Comment s'est passé votre séjour à {} ?",
     "Rappel : comment s'est passé votre séjour à {} ?", "Bonjour {},", "Bonjour,",
     "Merci d'avoir séjourné à {}. Nous diriez-vous comment cela s'est passé ? Cela prend deux "
     "minutes.",
     "Il y a quelques jours, nous vous demandions comment s'était passé votre séjour à {}. Si "
     "vous avez deux minutes, votre réponse nous aide.",
     "Donner votre avis", "Ce lien n'est qu'à vous et ne sert qu'une fois.",
     "Pour ne plus recevoir d'invitations"},
};

std::string fill(char const* pattern, std::string_view value) {
    std::string out(pattern);
    if (auto at = out.find("{}"); at != std::string::npos) out.replace(at, 2, value);
    return out;
}

// The survey's language for the guest's: itself, its primary subtag, else the default.
std::string language_of(survey::survey const& sv, std::string_view asked) {
    auto const has = [&](std::string_view l) {
        return std::find(sv.languages.begin(), sv.languages.end(), l) != sv.languages.end();
    };
    if (!asked.empty() && has(asked)) return std::string(asked);
    if (auto dash = asked.find('-'); dash != std::string_view::npos && has(asked.substr(0, dash)))
        return std::string(asked.substr(0, dash));
    return sv.default_language();
}

wording const& wording_for(std::string_view lang) {
    for (auto const& w : wordings)
        if (lang == w.lang) return w;
    return wordings[0];
}

std::string key_of(std::string_view stay, std::string_view what) {
    return "invite/" + std::string(stay) + "/" + std::string(what) + "/email";
}

routing::local_time const& place_of(routing::organisation const& org, std::string_view site) {
    auto const* s = org.find_site(site);
    return s ? s->time : org.head_office_time;
}

// The mail of an invitation or reminder. The guest's name and the site's are text: one line,
// escaped in HTML; the link is ours.
routing::delivery mail_of(stay const& st, std::string const& address, std::string const& site_name,
                          std::string const& language, std::string const& link,
                          std::string const& unsubscribe_url, std::string const& unsubscribe_mailto,
                          bool reminder, timestamp at) {
    namespace mail = routing::mail;
    auto const& w = wording_for(language);
    auto const name = mail::one_line(st.name);
    auto const site = mail::one_line(site_name);
    auto const greeting = name.empty() ? std::string(w.hello) : fill(w.dear, name);
    auto const ask = fill(reminder ? w.reminder : w.ask, site);
    routing::delivery d;
    d.key = key_of(st.id, reminder ? "reminder" : "invitation");
    d.person = "guest";
    d.channel = routing::channel_kind::email;
    d.address = address;
    d.subject = fill(reminder ? w.reminder_subject : w.subject, site);
    d.body = json{
        {"event", reminder ? "reminder" : "invitation"},
        {"stay", st.id},
        {"site", st.site},
        {"language", language},
        {"link",
         link}}.dump(-1, ' ', false, json::error_handler_t::replace);
    d.text = greeting + "\n\n" + ask + "\n\n" + w.button + ": " + link + "\n" + w.once +
             "\n\n-- \n" + w.unsubscribe + ": " + unsubscribe_url + "\n";
    d.html = "<p>" + util::html_escape(greeting) + "</p>\n<p>" + util::html_escape(ask) +
             "</p>\n<p><a href=\"" + util::html_escape(link) + "\">" + util::html_escape(w.button) +
             "</a></p>\n<p>" + util::html_escape(w.once) + "</p>\n<p><small><a href=\"" +
             util::html_escape(unsubscribe_url) + "\">" + util::html_escape(w.unsubscribe) +
             "</a></small></p>";
    d.thread = "stay/" + st.id;
    d.not_before = at;
    d.unsubscribe_url = unsubscribe_url;
    d.unsubscribe_mailto = unsubscribe_mailto;
    return d;
}

std::string mailto_of(settings const& s, std::string const& token) {
    if (s.unsubscribe_address.empty() || !routing::mail::plain_address(s.unsubscribe_address))
        return {};
    return "mailto:" + s.unsubscribe_address + "?subject=unsubscribe%20" + token;
}

std::string base_of(settings const& s) {
    auto b = s.base_url;
    while (b.ends_with('/')) b.pop_back();
    return b;
}

}  // namespace

std::optional<quiet_hours> parse_quiet_hours(std::string_view text) {
    if (text.size() == 11 && text[5] == '-') {
        auto const minutes = [](std::string_view t) -> std::optional<std::int32_t> {
            if (t.size() != 5 || t[2] != ':') return std::nullopt;
            for (auto i : {0, 1, 3, 4})
                if (t[i] < '0' || t[i] > '9') return std::nullopt;
            auto const hh = (t[0] - '0') * 10 + (t[1] - '0');
            auto const mm = (t[3] - '0') * 10 + (t[4] - '0');
            if (hh > 23 || mm > 59) return std::nullopt;
            return hh * 60 + mm;
        };
        auto a = minutes(text.substr(0, 5));
        auto b = minutes(text.substr(6));
        if (a && b && *a != *b) return quiet_hours{*a, *b};
    }
    return std::nullopt;
}

timestamp send_time(timestamp after, quiet_hours const& q, routing::local_time const& place) {
    if (q.start == q.end) return after;
    auto const wall = after + routing::offset_at(after, place) * 60;
    auto const midnight = wall - ((wall % day) + day) % day;
    auto const m = static_cast<std::int32_t>((wall - midnight) / 60);
    bool const across = q.start > q.end;
    bool const quiet = across ? (m >= q.start || m < q.end) : (m >= q.start && m < q.end);
    if (!quiet) return after;
    auto const end_day = across && m >= q.start ? midnight + day : midnight;
    return std::max(after, routing::from_local(end_day + q.end * 60, place));
}

// ---- the index

struct stay_index::impl {
    std::optional<util::event_log> log;
    std::vector<entry> entries;
    std::unordered_map<std::string, std::size_t> by_stay;

    void apply(json const& e) {
        auto const t = e.at("t").get<std::string>();
        if (t == "invite") {
            for (auto const& j : e.at("stays")) {
                std::string stay = j.at("stay");
                if (by_stay.count(stay)) continue;
                by_stay.emplace(stay, entries.size());
                entries.push_back({std::move(stay), j.at("site"), j.value("channel", "email"),
                                   j.at("at"), 0, false});
            }
        } else if (t == "remind" || t == "settle") {
            for (auto const& j : e.at("stays")) {
                auto it = by_stay.find(j.get<std::string>());
                if (it == by_stay.end()) continue;
                if (t == "remind")
                    entries[it->second].reminded = e.at("at");
                else
                    entries[it->second].settled = true;
            }
        }
    }
    void write(json const& e) {
        log->append(e);
        apply(e);
    }
};

result<stay_index> stay_index::open(std::filesystem::path const& dir,
                                    journal::segment_options options) {
    auto p = std::make_unique<impl>();
    auto log = util::event_log::open(dir, options, [&](json const& e) { p->apply(e); });
    if (!log) return unexpected(log.error());
    p->log.emplace(std::move(*log));
    return stay_index(std::move(p));
}

stay_index::stay_index(std::unique_ptr<impl> p) : p_(std::move(p)) {}
stay_index::stay_index(stay_index&&) noexcept = default;
stay_index& stay_index::operator=(stay_index&&) noexcept = default;
stay_index::~stay_index() = default;

bool stay_index::invited(std::string_view stay) const {
    return p_->by_stay.count(std::string(stay)) != 0;
}
std::vector<stay_index::entry> const& stay_index::entries() const noexcept {
    return p_->entries;
}

void stay_index::record(std::span<entry const> invited) {
    if (invited.empty()) return;
    json stays = json::array();
    for (auto const& e : invited)
        stays.push_back({{"stay", e.stay}, {"site", e.site}, {"channel", e.channel}, {"at", e.at}});
    p_->write({{"t", "invite"}, {"stays", std::move(stays)}});
}

void stay_index::record_reminders(std::span<std::string const> stays, timestamp at) {
    if (!stays.empty()) p_->write({{"t", "remind"}, {"at", at}, {"stays", stays}});
}

void stay_index::record_settled(std::span<std::string const> stays) {
    if (!stays.empty()) p_->write({{"t", "settle"}, {"stays", stays}});
}

// ---- a run

run_report invite(std::span<stay const> stays, survey::survey const& sv,
                  routing::organisation const& org, settings const& s, serve::invitations& book,
                  serve::optouts const& optouts, routing::outbox& out, stay_index& done,
                  timestamp now) {
    run_report report;
    auto const problem = [&](std::string code, std::string message, std::uint32_t line) {
        if (report.problems.size() < max_problems)
            report.problems.push_back(
                {severity::warning, std::move(code), std::move(message), {.line = line}});
    };
    auto const survey_id = s.survey.empty() ? sv.id : s.survey;
    auto const base = base_of(s);

    struct pending {
        stay const* st;
        std::string language;
        timestamp at;
    };
    std::vector<pending> batch;
    std::unordered_set<std::string_view> seen;  // a stay twice in one export counts once
    auto const flush = [&] {
        if (batch.empty()) return;
        std::vector<serve::invitation> what;
        std::vector<stay_index::entry> recorded;
        std::vector<pending> fresh;
        for (auto const& p : batch) {
            // Queued by a run that died before recording it: recorded now, not issued again.
            if (auto const* q = out.find(key_of(p.st->id, "invitation"))) {
                recorded.push_back(
                    {p.st->id, p.st->site, "email", q->message.not_before, 0, false});
                ++report.already;
                continue;
            }
            what.push_back({p.st->id, p.st->site, survey_id, p.at + serve::invitation_lifetime});
            fresh.push_back(p);
        }
        auto tokens = book.issue_all(what, now);
        if (!tokens) {
            problem(tokens.error().front().code, tokens.error().front().message, 0);
            done.record(recorded);
            batch.clear();
            return;
        }
        std::vector<routing::delivery> mails;
        mails.reserve(fresh.size());
        for (std::size_t i = 0; i < fresh.size(); ++i) {
            auto const& p = fresh[i];
            auto const* site = org.find_site(p.st->site);
            auto const opt = optouts.token(p.st->email);
            mails.push_back(mail_of(*p.st, p.st->email, site->name.empty() ? site->id : site->name,
                                    p.language, base + "/s/" + (*tokens)[i],
                                    serve::optout_link(base, opt), mailto_of(s, opt), false, p.at));
            recorded.push_back({p.st->id, p.st->site, "email", p.at, 0, false});
        }
        out.queue(mails, now);
        done.record(recorded);
        report.invited += mails.size();
        batch.clear();
    };

    for (auto const& st : stays) {
        ++report.stays;
        if (done.invited(st.id) || !seen.insert(st.id).second) {
            ++report.already;
            continue;
        }
        auto const* site = org.find_site(st.site);
        if (!site) {
            ++report.unknown_site;
            problem("unknown-site", "stay " + st.id + ": no site " + st.site + " in the org file",
                    st.line);
            continue;
        }
        if (!routing::mail::plain_address(st.email)) {
            ++report.bad_address;
            problem("bad-address", "stay " + st.id + ": no plain e-mail address", st.line);
            continue;
        }
        if (optouts.opted_out(st.email)) {
            ++report.opted_out;
            continue;
        }
        auto const checkout = st.local ? routing::from_local(st.checkout, site->time) : st.checkout;
        if (routing::deadline_after(checkout, s.max_age, site->time) < now) {
            ++report.too_old;
            continue;
        }
        auto const after = std::max(routing::deadline_after(checkout, s.delay, site->time), now);
        batch.push_back({&st, language_of(sv, st.language), send_time(after, s.quiet, site->time)});
        if (batch.size() >= batch_stays) flush();
    }
    flush();

    // Reminders: once, when due, to a link still open and an address still wanted.
    if (s.remind_after.amount <= 0) return report;
    std::vector<stay_index::entry const*> due;
    for (auto const& e : done.entries()) {
        if (e.reminded != 0 || e.settled || e.at > now) continue;
        auto const& place = place_of(org, e.site);
        if (routing::deadline_after(e.at, s.remind_after, place) <= now) due.push_back(&e);
    }
    if (due.empty()) return report;
    std::unordered_map<std::string, serve::token_state> state;  // by stay: used wins
    for (auto const& f : book.all(now)) {
        auto& x = state.try_emplace(f.what.stay, f.state).first->second;
        if (f.state == serve::token_state::used) x = f.state;
    }
    std::vector<routing::delivery> mails;
    std::vector<std::string> reminded, settled;
    for (auto const* e : due) {
        auto const* q = out.find(key_of(e->stay, "invitation"));
        auto const st = state.find(e->stay);
        if (!q || st == state.end() || st->second != serve::token_state::open ||
            optouts.opted_out(q->message.address)) {
            settled.push_back(e->stay);
            continue;
        }
        auto const body = util::parse_json(q->message.body, util::max_event_depth);
        if (!body || !body->is_object() || !(*body)["link"].is_string()) {
            settled.push_back(e->stay);
            continue;
        }
        auto const* site = org.find_site(e->site);
        stay const again{e->stay, q->message.address, "", "", e->site, 0, false, 0};
        auto const opt = optouts.token(q->message.address);
        auto const at = send_time(now, s.quiet, place_of(org, e->site));
        auto d = mail_of(again, q->message.address,
                         site ? (site->name.empty() ? site->id : site->name) : e->site,
                         body->value("language", sv.default_language()),
                         (*body)["link"].get<std::string>(), serve::optout_link(base, opt),
                         mailto_of(s, opt), true, at);
        mails.push_back(std::move(d));
        reminded.push_back(e->stay);
    }
    out.queue(mails, now);
    done.record_reminders(reminded, now);
    done.record_settled(settled);
    report.reminded = reminded.size();
    return report;
}

std::vector<report::invitation_rate> response_rates(stay_index const& done,
                                                    serve::invitations const& book, timestamp now) {
    std::unordered_set<std::string> used;
    for (auto const& f : book.all(now))
        if (f.state == serve::token_state::used) used.insert(f.what.stay);
    using rate = report::invitation_rate;
    std::vector<rate> out;
    for (auto const& e : done.entries()) {
        if (e.at > now) continue;  // not sent yet
        auto it = std::find_if(out.begin(), out.end(), [&](rate const& r) {
            return r.site == e.site && r.channel == e.channel;
        });
        if (it == out.end()) it = out.insert(out.end(), rate{e.site, e.channel, 0, 0});
        ++it->sent;
        if (used.count(e.stay)) ++it->answered;
    }
    std::sort(out.begin(), out.end(), [](rate const& a, rate const& b) {
        return std::tie(a.site, a.channel) < std::tie(b.site, b.channel);
    });
    return out;
}

result<std::vector<report::invitation_rate>> response_rates(std::filesystem::path const& server,
                                                            timestamp now) {
    auto book = serve::open_invitations(server);
    if (!book) return unexpected(std::move(book).error());
    auto done = stay_index::open(server / index_folder);
    if (!done) return unexpected(std::move(done).error());
    return response_rates(*done, *book, now);
}

}  // namespace candor::invite
