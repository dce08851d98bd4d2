#include "desk.hpp"

#include <algorithm>
#include <charconv>
#include <mutex>
#include <system_error>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "candor/journal/card_keys.hpp"
#include "candor/journal/opening.hpp"
#include "candor/journal/record.hpp"
#include "candor/routing/cases.hpp"
#include "candor/routing/notification.hpp"
#include "candor/routing/outbox.hpp"
#include "candor/routing/pass.hpp"
#include "candor/routing/router.hpp"
#include "candor/time.hpp"
#include "rate.hpp"
#include "tokens.hpp"
#include "util/ascii.hpp"
#include "util/event_log.hpp"
#include "util/file_io.hpp"
#include "util/html.hpp"
#include "util/segments.hpp"

namespace candor::serve {

namespace fs = std::filesystem;
using namespace kiosk::http;
using util::html_escape;
using json = nlohmann::json;

namespace {

constexpr char html_type[] = "text/html; charset=utf-8";
constexpr char form_type[] = "application/x-www-form-urlencoded";
// The desk's pages post their forms to the desk: form-action 'self', all else as the guests'.
constexpr char desk_csp[] =
    "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
// Unknown or spent sign-in links, sessions and acknowledge links from one client address
// within rate_window before it is refused (guessing).
constexpr std::size_t desk_misses_per_window = 30;

// The desk's own styles beside the kiosk's stylesheet (CSP: no inline style).
constexpr std::string_view desk_css = R"(.desk { max-width: 40rem; margin: 0 auto; padding: 1rem; }
.desk h1 { font-size: 1.4rem; margin: .5rem 0 1rem; }
.desk h2 { font-size: 1.1rem; margin: 1.2rem 0 .4rem; }
.desk .bar { display: flex; justify-content: space-between; align-items: center; gap: .5rem; }
.desk .cases { list-style: none; padding: 0; margin: 0; }
.desk .cases li { border: 1px solid #ccc; border-radius: .5rem; margin: .5rem 0; }
.desk .cases a { display: block; padding: .7rem; color: inherit; text-decoration: none; }
.desk .cases .overdue { border-color: #b00020; border-width: 2px; }
.desk .tag { font-size: .8rem; padding: .1rem .4rem; border-radius: .3rem; background: #eee; }
.desk .overdue .tag.late { background: #b00020; color: #fff; }
.desk dl.card dt { font-weight: bold; margin-top: .6rem; }
.desk dl.card dd { margin: .2rem 0 0 0; white-space: pre-wrap; }
.desk form { margin: .6rem 0; }
.desk form.inline { display: inline; }
.desk textarea, .desk input[type="email"], .desk select { width: 100%; font-size: 1rem; }
.desk button { font-size: 1rem; padding: .6rem 1rem; margin-top: .3rem; }
.desk .filters { display: flex; gap: .5rem; flex-wrap: wrap; align-items: flex-end; }
.desk .filters label { flex: 1; }
.desk .history { padding-left: 1.2rem; }
.desk .note { color: #555; }
)";

std::string form_value(httplib::Request const& req, char const* name) {
    return req.has_param(name) ? req.get_param_value(name) : std::string();
}

// A case id in a link: DEVICE:SEQ, device ids being [A-Za-z0-9._-].
bool case_id_ok(std::string_view id) {
    return !id.empty() && id.size() <= 128 &&
           std::all_of(id.begin(), id.end(), [](unsigned char c) {
               return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == ':';
           });
}

// The person whose e-mail channel is `address` (compared without case).
routing::person const* person_by_address(routing::organisation const& org,
                                         std::string const& address) {
    auto const want = util::ascii_lower(address);
    for (auto const& p : org.people)
        for (auto const& c : p.channels)
            if (c.kind == routing::channel_kind::email && util::ascii_lower(c.address) == want)
                return &p;
    return nullptr;
}

std::string email_of(routing::person const& p) {
    for (auto const& c : p.channels)
        if (c.kind == routing::channel_kind::email) return c.address;
    return {};
}

bool contacts_guests(routing::organisation const& org, routing::person const& p) {
    return std::any_of(p.holds.begin(), p.holds.end(), [&](routing::holding const& h) {
        auto const* r = org.find_role(h.role);
        return r && r->contacts_guests;
    });
}

std::string when(routing::timestamp t) {
    return t == 0 ? "—" : format_timestamp(t);
}

bool overdue(routing::routed_case const& c, std::int64_t now) {
    return c.state == routing::case_state::open && c.deadline != 0 && c.deadline <= now;
}

}  // namespace

struct desk::impl {
    struct pending {
        tokens::digest hash;
        std::string person;
        std::int64_t expires = 0;
    };
    struct session {
        tokens::digest hash;
        std::string person;
        std::string csrf;
        std::int64_t last = 0;
    };

    fs::path state;
    std::shared_ptr<desk_settings const> s;
    routing::router router;
    std::function<std::int64_t()> clock;
    receipt::status_key key;
    routing::store_layout layout;
    std::mutex m;                                       // everything below
    std::unordered_map<std::string, pending> sign_ins;  // by tokens::name_of
    std::unordered_map<std::string, session> sessions;
    std::optional<routing::case_reader> reader;
    std::optional<util::event_log> views;
    counter by_client{sign_ins_per_client}, by_address{sign_ins_per_address},
        misses{desk_misses_per_window};

    impl(std::shared_ptr<desk_settings const> settings, std::function<std::int64_t()> c)
        : s(std::move(settings)),
          router(s->org, s->survey, s->rules),
          clock(std::move(c)),
          layout(routing::layout_of(s->store)) {}

    std::int64_t now() const { return clock ? clock() : unix_now(); }

    // ---- pages
    void page(httplib::Response& res, int status, std::string const& title, std::string const& body,
              session const* who = nullptr) {
        res.status = status;
        std::string top;
        if (who) {
            auto const* p = s->org.find_person(who->person);
            top = "<div class=\"bar\"><a href=\"/m/\">Cases</a><span>" +
                  html_escape(p && !p->name.empty() ? p->name : who->person) +
                  "</span><form class=\"inline\" method=\"post\" action=\"/m/out\">" +
                  csrf_field(*who) + "<button type=\"submit\">Sign out</button></form></div>";
        }
        res.set_content(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<meta name=\"referrer\" content=\"same-origin\"><title>" +
                html_escape(title) +
                "</title><link rel=\"icon\" href=\"/favicon.svg\"><link rel=\"stylesheet\" "
                "href=\"/kiosk.css\"><link rel=\"stylesheet\" href=\"/m/desk.css\"></head>\n"
                "<body><main class=\"desk\">" +
                top + "<h1>" + html_escape(title) + "</h1>" + body + "</main></body></html>\n",
            html_type);
    }
    void note_page(httplib::Response& res, int status, std::string const& title,
                   std::string const& note, session const* who = nullptr) {
        page(res, status, title, "<p class=\"note\">" + html_escape(note) + "</p>", who);
    }
    static std::string csrf_field(session const& who) {
        return "<input type=\"hidden\" name=\"csrf\" value=\"" + who.csrf + "\">";
    }

    // ---- sessions
    // The session of the request's cookie, touched; nullopt when none or timed out.
    std::optional<session> session_of(httplib::Request const& req, std::int64_t t) {
        auto const cookies = req.get_header_value("Cookie");
        std::string const prefix = std::string(session_cookie) + "=";
        std::string value;
        for (std::size_t at = 0; at < cookies.size();) {
            auto end = cookies.find(';', at);
            if (end == std::string::npos) end = cookies.size();
            auto part = cookies.substr(at, end - at);
            part.erase(0, part.find_first_not_of(' '));
            if (part.starts_with(prefix)) value = part.substr(prefix.size());
            at = end + 1;
        }
        auto const hash = tokens::hash_of(value);
        if (!hash) return std::nullopt;
        std::lock_guard lock(m);
        auto it = sessions.find(tokens::name_of(*hash));
        if (it == sessions.end() || !tokens::same(it->second.hash, *hash)) return std::nullopt;
        if (t - it->second.last > session_idle_timeout) {
            sessions.erase(it);
            return std::nullopt;
        }
        it->second.last = t;
        return it->second;
    }

    bool csrf_ok(httplib::Request const& req, session const& who) const {
        auto const given = form_value(req, "csrf");
        return given.size() == who.csrf.size() &&
               sodium_memcmp(given.data(), who.csrf.data(), given.size()) == 0;
    }

    void signed_out(httplib::Response& res, bool json_route) {
        if (json_route) return answer(res, 401, "sign in first: /m/");
        page(res, 401, "Sign in",
             sign_in_form("Your session has ended, or you have not signed in."));
    }

    static std::string sign_in_form(std::string const& note) {
        return (note.empty() ? "" : "<p class=\"note\">" + html_escape(note) + "</p>") +
               "<form method=\"post\" action=\"/m/sign-in\"><label>Your e-mail address "
               "<input type=\"email\" name=\"address\" required autocomplete=\"email\"></label>"
               "<button type=\"submit\">Send me a sign-in link</button></form>"
               "<p class=\"note\">We e-mail you a link that signs you in once, within " +
               std::to_string(sign_in_lifetime / 60) + " minutes. There is no password.</p>";
    }

    // ---- sign-in
    void ask_sign_in(httplib::Request const& req, httplib::Response& res) {
        auto const t = now();
        auto const address = form_value(req, "address");
        auto const done = [&] {
            note_page(res, 200, "Check your e-mail",
                      "If this address is one of ours, a sign-in link is on its way. It works "
                      "once, within " +
                          std::to_string(sign_in_lifetime / 60) + " minutes.");
        };
        auto const folded = util::ascii_lower(address);
        if (by_client.over(req.remote_addr, t) || by_address.over(folded, t))
            return note_page(res, 429, "Too many tries", "Too many sign-in requests; try later.");
        by_client.count(req.remote_addr, t);
        by_address.count(folded, t);
        auto const* p = address.empty() ? nullptr : person_by_address(s->org, address);
        if (!p) return done();
        auto made = tokens::make();
        {
            std::lock_guard lock(m);
            if (sign_ins.size() >= max_sign_ins) sign_ins.clear();
            sign_ins[tokens::name_of(made.hash)] = {made.hash, p->id, t + sign_in_lifetime};
        }
        std::string link = s->base;
        while (link.ends_with('/')) link.pop_back();
        link += "/m/in/" + made.text;
        routing::delivery d;
        d.key = "desk/sign-in/" + p->id + "/" + tokens::name_of(made.hash);
        d.person = p->id;
        d.address = email_of(*p);
        d.subject = "Your sign-in link to the case desk";
        d.body = json{{"event", "sign-in"}, {"to", p->id}}.dump();
        auto const minutes = std::to_string(sign_in_lifetime / 60);
        d.text = "Hello " + (p->name.empty() ? p->id : p->name) +
                 ",\n\nTo sign in to the case desk, open this link (it works once, within " +
                 minutes + " minutes):\n\n" + link +
                 "\n\nIf you did not ask for it, ignore this message.\n";
        d.html = "<p>Hello " + html_escape(p->name.empty() ? p->id : p->name) +
                 ",</p>\n<p>To sign in to the case desk, open this link (it works once, within " +
                 minutes + " minutes):</p>\n<p><a href=\"" + html_escape(link) + "\">" +
                 html_escape(link) +
                 "</a></p>\n<p>If you did not ask for it, ignore this "
                 "message.</p>\n";
        if (!s->mail->send(d))
            return note_page(res, 503, "Not sent",
                             "The sign-in link could not be sent just now; try again later.");
        done();
    }

    // The pending sign-in of the link's token; taken (single use) when `take`.
    std::optional<pending> sign_in_of(std::string const& token, std::int64_t t, bool take) {
        auto const hash = tokens::hash_of(token);
        if (!hash) return std::nullopt;
        std::lock_guard lock(m);
        auto it = sign_ins.find(tokens::name_of(*hash));
        if (it == sign_ins.end() || !tokens::same(it->second.hash, *hash)) return std::nullopt;
        if (it->second.expires <= t) {
            sign_ins.erase(it);
            return std::nullopt;
        }
        auto out = it->second;
        if (take) sign_ins.erase(it);
        return out;
    }

    void sign_in(httplib::Request const& req, httplib::Response& res, bool post) {
        auto const t = now();
        if (misses.over(req.remote_addr, t))
            return note_page(res, 429, "Too many tries", "Too many unknown links from here.");
        auto const token = req.matches[1].str();
        auto found = sign_in_of(token, t, post);
        if (!found) {
            misses.count(req.remote_addr, t);
            return note_page(res, 410, "Link used or expired",
                             "This sign-in link has been used or has expired. Ask for a new one "
                             "at /m/.");
        }
        if (!post)
            return page(res, 200, "Sign in",
                        "<form method=\"post\" action=\"/m/in/" + html_escape(token) +
                            "\"><button type=\"submit\" class=\"primary\">Sign in as " +
                            html_escape(found->person) + "</button></form>");
        auto made = tokens::make();
        auto csrf = tokens::make();
        {
            std::lock_guard lock(m);
            if (sessions.size() >= max_sessions) sessions.clear();
            sessions[tokens::name_of(made.hash)] = {made.hash, found->person, csrf.text, t};
        }
        res.set_header("Set-Cookie", std::string(session_cookie) + "=" + made.text +
                                         "; Path=/m/; HttpOnly; SameSite=Strict" +
                                         (s->base.starts_with("https://") ? "; Secure" : ""));
        res.status = 303;
        res.set_header("Location", "/m/");
    }

    void sign_out(httplib::Request const& req, httplib::Response& res) {
        auto who = session_of(req, now());
        if (who && csrf_ok(req, *who)) {
            std::lock_guard lock(m);
            sessions.erase(tokens::name_of(who->hash));
        }
        res.set_header("Set-Cookie", std::string(session_cookie) +
                                         "=; Path=/m/; HttpOnly; SameSite=Strict; Max-Age=0");
        page(res, 200, "Signed out", sign_in_form("You have signed out."));
    }

    // ---- cases
    // The cases as they are now (the log read again when it changed).
    std::vector<routing::routed_case> current() {
        std::lock_guard lock(m);
        if (!reader) {
            auto r = routing::case_reader::open(layout.cases);
            if (!r)
                throw std::system_error(std::make_error_code(std::errc::io_error),
                                        r.error()[0].message);
            reader.emplace(std::move(*r));
        } else {
            (void)reader->refresh();  // a damaged new frame: what was read before stays
        }
        return reader->cases();
    }

    // Whether `person` may see `c`: delivered to them, and not about their own shift or site.
    bool sees(routing::routed_case const& c, std::string const& person) const {
        auto const* p = s->org.find_person(person);
        if (!p || person == c.duty || !c.involves(person)) return false;
        response::response stub;
        stub.fields.emplace_back("site", c.site);
        if (!s->org.duty_field.empty()) stub.fields.emplace_back(s->org.duty_field, c.duty);
        return router.may_receive(static_cast<std::uint32_t>(p - s->org.people.data()), stub);
    }

    std::optional<routing::routed_case> visible(std::string const& id, std::string const& person) {
        if (!case_id_ok(id)) return std::nullopt;
        for (auto& c : current())
            if ((c.id == id ||
                 std::find(c.aliases.begin(), c.aliases.end(), id) != c.aliases.end()) &&
                sees(c, person))
                return std::move(c);
        return std::nullopt;
    }

    // The card's response from the store (read, not locked); nullopt when it is not there.
    std::optional<response::response> card_of(routing::routed_case const& c) const {
        auto const colon = c.response.rfind(':');
        if (colon == std::string::npos) return std::nullopt;
        auto const device = c.response.substr(0, colon);
        std::uint64_t seq = 0;
        auto const n = std::string_view(c.response).substr(colon + 1);
        if (std::from_chars(n.data(), n.data() + n.size(), seq).ec != std::errc())
            return std::nullopt;
        std::optional<journal::record> found;
        (void)util::scan_segments(s->store, [&](fs::path const&, std::uint64_t,
                                                seal::byte_view payload) {
            if (found) return;
            if (auto r = journal::from_payload(payload); r && r->device == device && r->seq == seq)
                found = std::move(*r);
        });
        if (!found) return std::nullopt;
        if (found->format != 1)
            found->key_box = journal::read_key_box(s->store / "keys", {device, seq});
        auto r = journal::open_card(*found, s->hq);
        if (!r) return std::nullopt;
        return std::move(*r);
    }

    void record_view(std::string const& person, std::string const& id, std::int64_t t) {
        std::lock_guard lock(m);
        views->append(json{{"t", "view"}, {"who", person}, {"case", id}, {"time", t}});
    }

    std::string site_name(std::string const& id) const {
        auto const* site = s->org.find_site(id);
        return site && !site->name.empty() ? site->name : id;
    }

    // Open first, then acknowledged, then resolved; overdue first among the open.
    std::vector<routing::routed_case> listed(session const& who, std::string const& site,
                                             std::string const& state, std::int64_t t) {
        std::vector<routing::routed_case> out;
        for (auto& c : current())
            if (sees(c, who.person) && (site.empty() || c.site == site) &&
                (state.empty() || to_string(c.state) == state))
                out.push_back(std::move(c));
        std::stable_sort(out.begin(), out.end(), [&](auto const& a, auto const& b) {
            auto const rank = [&](routing::routed_case const& c) {
                return std::pair(static_cast<int>(c.state), overdue(c, t) ? 0 : 1);
            };
            if (rank(a) != rank(b)) return rank(a) < rank(b);
            return a.opened > b.opened;
        });
        return out;
    }

    void list(httplib::Request const& req, httplib::Response& res, bool json_route) {
        auto const t = now();
        auto who = session_of(req, t);
        if (!who) {
            if (json_route) return signed_out(res, true);
            return page(res, 200, "Case desk", sign_in_form(""));
        }
        auto const site = req.get_param_value("site");
        auto const state = req.get_param_value("state");
        auto const cases = listed(*who, site, state, t);
        if (json_route) {
            json out = json::array();
            for (auto const& c : cases)
                out.push_back({{"id", c.id},
                               {"site", c.site},
                               {"state", to_string(c.state)},
                               {"overdue", overdue(c, t)},
                               {"opened", format_timestamp(c.opened)},
                               {"deadline", c.deadline ? format_timestamp(c.deadline) : ""}});
            return res.set_content(json{{"cases", out}}.dump(), json_type);
        }
        // The sites of every case the person sees, for the filter.
        std::vector<std::string> sites;
        for (auto const& c : listed(*who, "", "", t))
            if (std::find(sites.begin(), sites.end(), c.site) == sites.end())
                sites.push_back(c.site);
        std::string body =
            "<form class=\"filters\" method=\"get\" action=\"/m/\"><label>Site <select "
            "name=\"site\"><option value=\"\">All</option>";
        for (auto const& x : sites)
            body += "<option value=\"" + html_escape(x) + "\"" + (x == site ? " selected" : "") +
                    ">" + html_escape(site_name(x)) + "</option>";
        body +=
            "</select></label><label>State <select name=\"state\"><option "
            "value=\"\">All</option>";
        for (auto st : {routing::case_state::open, routing::case_state::acknowledged,
                        routing::case_state::resolved}) {
            std::string const name(to_string(st));
            body += "<option value=\"" + name + "\"" + (name == state ? " selected" : "") + ">" +
                    name + "</option>";
        }
        body += "</select></label><button type=\"submit\">Show</button></form>";
        if (cases.empty()) body += "<p class=\"note\">No case here.</p>";
        body += "<ul class=\"cases\">";
        for (auto const& c : cases) {
            bool const late = overdue(c, t);
            body += std::string("<li class=\"case") + (late ? " overdue" : "") +
                    "\"><a href=\"/m/c/" + receipt::percent(c.id) + "\"><b>" +
                    html_escape(site_name(c.site)) + "</b> <span class=\"tag\">" +
                    std::string(to_string(c.state)) + "</span>" +
                    (late ? " <span class=\"tag late\">overdue</span>" : "") + "<br>" +
                    html_escape(c.id) + " · opened " + when(c.opened) +
                    (c.state == routing::case_state::open && c.deadline
                         ? " · acknowledge by " + when(c.deadline)
                         : "") +
                    "</a></li>";
        }
        body += "</ul>";
        page(res, 200, "Your cases", body, &*who);
    }

    json card_json(routing::routed_case const& c, routing::person const& p,
                   std::optional<response::response> const& r, std::int64_t t) const {
        json out = {{"id", c.id},
                    {"site", c.site},
                    {"state", to_string(c.state)},
                    {"overdue", overdue(c, t)},
                    {"owner", c.owner},
                    {"opened", format_timestamp(c.opened)},
                    {"deadline", c.deadline ? format_timestamp(c.deadline) : ""}};
        if (r) {
            auto const shown =
                routing::show_card(s->survey, *r, p.language, contacts_guests(s->org, p));
            json answers = json::array();
            for (auto const& [q, a] : shown.answers)
                answers.push_back({{"question", q}, {"answer", a}});
            out["language"] = shown.language;
            out["answers"] = answers;
            out["withheld"] = shown.withheld;
        }
        json history = json::array();
        for (auto const& e : c.history)
            history.push_back({{"time", format_timestamp(e.time)},
                               {"what", e.what},
                               {"who", e.who},
                               {"note", e.note}});
        out["history"] = history;
        return out;
    }

    void card(httplib::Request const& req, httplib::Response& res, bool json_route) {
        auto const t = now();
        auto who = session_of(req, t);
        if (!who) return signed_out(res, json_route);
        auto const id = req.matches[1].str();
        auto c = visible(id, who->person);
        if (!c) {
            if (json_route) return answer(res, 404, "no case " + id + " for you");
            return note_page(res, 404, "No such case", "There is no such case for you.", &*who);
        }
        auto const& p = *s->org.find_person(who->person);
        auto const r = card_of(*c);
        record_view(who->person, c->id, t);
        if (json_route) return res.set_content(card_json(*c, p, r, t).dump(), json_type);

        bool const late = overdue(*c, t);
        std::string body = "<p><span class=\"tag\">" + std::string(to_string(c->state)) +
                           "</span>" + (late ? " <span class=\"tag late\">overdue</span>" : "") +
                           " " + html_escape(c->id) + "</p><p class=\"note\">Opened " +
                           when(c->opened) +
                           (c->state == routing::case_state::open && c->deadline
                                ? ", to acknowledge by " + when(c->deadline)
                                : "") +
                           "</p>";
        bool const contacts = contacts_guests(s->org, p);
        if (r) {
            auto const shown = routing::show_card(s->survey, *r, p.language, contacts);
            body += "<dl class=\"card\">";
            for (auto const& [q, a] : shown.answers)
                body += "<dt>" + html_escape(q) + "</dt><dd>" + html_escape(a) + "</dd>";
            body += "</dl>";
            if (!shown.withheld.empty()) {
                std::string list;
                for (auto const& q : shown.withheld) list += (list.empty() ? "" : ", ") + q;
                body += "<p class=\"note\">Withheld (your role does not contact guests): " +
                        html_escape(list) + "</p>";
            }
        } else {
            body += "<p class=\"note\">The card itself is not in head office's store.</p>";
        }
        std::string const action = "/m/c/" + receipt::percent(c->id) + "/";
        auto const form = [&](std::string const& what, std::string const& fields,
                              std::string const& button) {
            return "<form method=\"post\" action=\"" + action + what + "\">" + csrf_field(*who) +
                   fields + "<button type=\"submit\">" + button + "</button></form>";
        };
        if (c->may_act(who->person) && c->state != routing::case_state::resolved) {
            body += "<h2>Act</h2>";
            if (c->state == routing::case_state::open) body += form("ack", "", "Acknowledge");
            body += form("resolve",
                         "<label>Note <textarea name=\"note\" rows=\"3\" maxlength=\"" +
                             std::to_string(max_note_bytes) + "\" required></textarea></label>",
                         "Resolve");
            if (contacts && !c->guest.empty())
                body += form("reply",
                             "<label>Reply to the guest <textarea name=\"reply\" rows=\"5\" "
                             "maxlength=\"" +
                                 std::to_string(max_note_bytes) +
                                 "\" required></textarea></label><label>Note <textarea "
                                 "name=\"note\" rows=\"2\" maxlength=\"" +
                                 std::to_string(max_note_bytes) + "\"></textarea></label>",
                             "Reply and resolve");
            body += form("up", "", "Pass up the chain");
        }
        body += "<h2>History</h2><ol class=\"history\">";
        for (auto const& e : c->history)
            body += "<li>" + when(e.time) + " — " + html_escape(e.what) + " — " +
                    html_escape(e.who) + (e.note.empty() ? "" : ": " + html_escape(e.note)) +
                    "</li>";
        body += "</ol>";
        page(res, 200, site_name(c->site), body, &*who);
    }

    // ---- actions
    void act(httplib::Request const& req, httplib::Response& res) {
        auto const t = now();
        auto who = session_of(req, t);
        if (!who) return signed_out(res, false);
        if (!csrf_ok(req, *who))
            return note_page(res, 403, "Refused", "This form has expired; open the page again.",
                             &*who);
        auto const id = req.matches[1].str();
        auto const what = req.matches[2].str();
        auto c = visible(id, who->person);
        if (!c) return note_page(res, 404, "No such case", "There is no such case for you.", &*who);
        auto const note = form_value(req, "note");
        auto const reply = form_value(req, "reply");
        if (note.size() > max_note_bytes || reply.size() > max_note_bytes)
            return note_page(
                res, 413, "Too long",
                "A note or reply is at most " + std::to_string(max_note_bytes) + " bytes.", &*who);
        auto const& p = *s->org.find_person(who->person);
        if (what == "reply" && (!contacts_guests(s->org, p) || c->guest.empty()))
            return note_page(res, 403, "Refused",
                             "Only a role that contacts guests answers a guest who left an "
                             "address.",
                             &*who);
        if ((what == "resolve" && note.empty()) || (what == "reply" && reply.empty()))
            return note_page(res, 400, "Nothing written", "Write the note or the reply first.",
                             &*who);
        auto done = perform(*c, what, who->person, note, reply, t);
        if (!done) {
            auto const& e = done.error()[0];
            return note_page(res, e.code == "io" || e.code == "in-use" ? 503 : 409, "Not done",
                             e.message, &*who);
        }
        res.status = 303;
        res.set_header("Location", "/m/c/" + receipt::percent(c->id));
    }

    // Writes the action to routing's case log (and outbox), holding their locks meanwhile.
    result<void> perform(routing::routed_case const& c, std::string const& what,
                         std::string const& who, std::string const& note, std::string const& reply,
                         std::int64_t t) {
        auto log = routing::case_log::open(layout.cases);
        if (!log) return unexpected(std::move(log).error());
        if (what == "ack") return log->acknowledge(c.id, who, t);
        if (what == "resolve") return log->resolve(c.id, who, note, t);
        auto out = routing::outbox::open(layout.outbox);
        if (!out) return unexpected(std::move(out).error());
        if (what == "reply") return log->resolve_with_reply(c.id, who, note, reply, *out, t);
        // up: the people above are told as at an escalation.
        auto r = card_of(c);
        if (!r) {
            r.emplace();
            r->fields = {{"site", c.site}};
            if (!s->org.duty_field.empty()) r->fields.emplace_back(s->org.duty_field, c.duty);
        }
        auto up =
            routing::pass_up(*log, *out, router, *r, c.id, who, t,
                             [&](std::string const& id, std::string const& person) {
                                 return ack_link(s->base, key, id, person, t + ack_link_lifetime);
                             });
        if (!up) return unexpected(std::move(up).error());
        return {};
    }

    // ---- one-click acknowledge links
    void ack_link_route(httplib::Request const& req, httplib::Response& res, bool post) {
        auto const t = now();
        if (misses.over(req.remote_addr, t))
            return note_page(res, 429, "Too many tries", "Too many unknown links from here.");
        auto const id = req.matches[1].str();
        auto const person = req.get_param_value("p");
        auto const e = req.get_param_value("e");
        auto const sig = req.get_param_value("s");
        std::int64_t expires = 0;
        bool const parsed =
            std::from_chars(e.data(), e.data() + e.size(), expires).ec == std::errc();
        if (!parsed || !receipt::keyed_check_ok(key, {"ack", id, person, e}, sig) || expires <= t) {
            misses.count(req.remote_addr, t);
            return note_page(res, 410, "Link expired",
                             "This acknowledge link is not good (any more). Sign in at /m/.");
        }
        auto c = visible(id, person);
        if (!c) return note_page(res, 404, "No such case", "There is no such case for you.");
        if (c->state != routing::case_state::open)
            return note_page(
                res, 410, "Already acknowledged",
                "Case " + c->id + " is " + std::string(to_string(c->state)) + " already.");
        if (!post)
            return page(res, 200, "Acknowledge case " + c->id,
                        "<p>" + html_escape(site_name(c->site)) + ", opened " + when(c->opened) +
                            ".</p><form method=\"post\" action=\"/m/a/" + receipt::percent(c->id) +
                            "?p=" + receipt::percent(person) + "&amp;e=" + e +
                            "&amp;s=" + html_escape(sig) +
                            "\"><button type=\"submit\" class=\"primary\">Acknowledge as " +
                            html_escape(person) + "</button></form>");
        auto done = perform(*c, "ack", person, "", "", t);
        if (!done)
            return note_page(res, done.error()[0].code == "case-closed" ? 410 : 503, "Not done",
                             done.error()[0].message);
        note_page(res, 200, "Acknowledged",
                  "Case " + c->id + " is acknowledged. Sign in at /m/ to resolve it.");
    }
};

desk::desk(std::unique_ptr<impl> p) : p_(std::move(p)) {}
desk::~desk() = default;

result<std::unique_ptr<desk>> desk::open(fs::path const& state,
                                         std::shared_ptr<desk_settings const> settings,
                                         std::function<std::int64_t()> clock) {
    if (!settings->mail) return fail("bad-settings", "the desk mails sign-in links: no mail sink");
    if (!settings->base.starts_with("https://") && !settings->base.starts_with("http://"))
        return fail("bad-settings",
                    "the desk's links need the server's public base (https://HOST), not `" +
                        settings->base + "`");
    auto key = load_desk_key(state);
    if (!key) return unexpected(std::move(key).error());
    auto views = util::event_log::open(state / desk_folder / "views", {}, [](json const&) {});
    if (!views) return unexpected(std::move(views).error());
    auto p = std::make_unique<impl>(std::move(settings), std::move(clock));
    p->state = state;
    p->key = *key;
    p->views.emplace(std::move(*views));
    return std::unique_ptr<desk>(new desk(std::move(p)));
}

httplib::Server::HandlerResponse desk::screen(httplib::Request const& req, httplib::Response& res) {
    using handled = httplib::Server::HandlerResponse;
    res.headers.erase("Content-Security-Policy");
    res.set_header("Content-Security-Policy", desk_csp);
    // With no-referrer a browser sends its forms with Origin: null; same-origin keeps the
    // origin on the desk's own forms and still tells nothing to any other site.
    res.headers.erase("Referrer-Policy");
    res.set_header("Referrer-Policy", "same-origin");
    auto const& p = req.path;
    auto const parts = std::count(p.begin(), p.end(), '/');
    std::string allowed;
    if (p == "/m/" || p == "/m/desk.css" || p == "/m/api/cases" ||
        (p.starts_with("/m/c/") && parts == 3) || (p.starts_with("/m/api/c/") && parts == 4))
        allowed = "GET";
    else if (p == "/m/sign-in" || p == "/m/out" || (p.starts_with("/m/c/") && parts == 4))
        allowed = "POST";
    else if ((p.starts_with("/m/in/") || p.starts_with("/m/a/")) && parts == 3)
        allowed = "GET, POST";
    if (allowed.empty()) {
        refuse(res, 404, "no " + p + " here");
        return handled::Handled;
    }
    bool const reading = req.method == "GET" || req.method == "HEAD";
    if (reading ? allowed.find("GET") == std::string::npos
                : req.method != "POST" || allowed.find("POST") == std::string::npos) {
        refuse(res, 405, req.method + " is not served here");
        res.set_header("Allow", allowed == "GET" ? "GET, HEAD" : allowed);
        return handled::Handled;
    }
    if (reading) return handled::Unhandled;
    if (!same_origin(req)) {
        refuse(res, 403, "forms are taken from this server's own pages only");
        return handled::Handled;
    }
    auto const type = util::ascii_lower(req.get_header_value("Content-Type"));
    if (req.has_header("Content-Type") && !type.starts_with(form_type)) {
        refuse(res, 415, "forms are sent as application/x-www-form-urlencoded");
        return handled::Handled;
    }
    auto const length = req.get_header_value("Content-Length");
    std::size_t n = 0;
    if (req.has_header("Transfer-Encoding") ||
        (!length.empty() &&
         (std::from_chars(length.data(), length.data() + length.size(), n).ec != std::errc() ||
          n > max_form_bytes))) {
        refuse(res, 413, "a form is at most " + std::to_string(max_form_bytes) + " bytes");
        return handled::Handled;
    }
    return handled::Unhandled;
}

void desk::routes(hardened_server& http) {
    auto* d = p_.get();
    http.Get("/m/desk.css", [](httplib::Request const&, httplib::Response& res) {
        res.set_content(desk_css.data(), desk_css.size(), "text/css; charset=utf-8");
    });
    http.Get("/m/", [d](httplib::Request const& req, httplib::Response& res) {
        d->list(req, res, false);
    });
    http.Get("/m/api/cases",
             [d](httplib::Request const& req, httplib::Response& res) { d->list(req, res, true); });
    http.Post("/m/sign-in", [d](httplib::Request const& req, httplib::Response& res) {
        d->ask_sign_in(req, res);
    });
    http.Get("/m/in/([^/]+)", [d](httplib::Request const& req, httplib::Response& res) {
        d->sign_in(req, res, false);
    });
    http.Post("/m/in/([^/]+)", [d](httplib::Request const& req, httplib::Response& res) {
        d->sign_in(req, res, true);
    });
    http.Post("/m/out",
              [d](httplib::Request const& req, httplib::Response& res) { d->sign_out(req, res); });
    http.Get("/m/c/([^/]+)", [d](httplib::Request const& req, httplib::Response& res) {
        d->card(req, res, false);
    });
    http.Get("/m/api/c/([^/]+)",
             [d](httplib::Request const& req, httplib::Response& res) { d->card(req, res, true); });
    http.Post("/m/c/([^/]+)/(ack|resolve|up|reply)",
              [d](httplib::Request const& req, httplib::Response& res) { d->act(req, res); });
    http.Get("/m/a/([^/]+)", [d](httplib::Request const& req, httplib::Response& res) {
        d->ack_link_route(req, res, false);
    });
    http.Post("/m/a/([^/]+)", [d](httplib::Request const& req, httplib::Response& res) {
        d->ack_link_route(req, res, true);
    });
}

result<std::function<std::optional<receipt::card_progress>(receipt::card_ref const&)>>
case_progress(fs::path const& cases) {
    auto reader = routing::case_reader::open(cases);
    if (!reader) return unexpected(std::move(reader).error());
    struct shared {
        explicit shared(routing::case_reader r) : reader(std::move(r)) {}
        std::mutex m;
        routing::case_reader reader;
    };
    auto held = std::make_shared<shared>(std::move(*reader));
    using progress_fn =
        std::function<std::optional<receipt::card_progress>(receipt::card_ref const&)>;
    return progress_fn(
        [held](receipt::card_ref const& card) -> std::optional<receipt::card_progress> {
            std::lock_guard lock(held->m);
            (void)held->reader.refresh();  // a damaged new frame: what was read before stays
            auto st = held->reader.status(card.device + ":" + std::to_string(card.seq));
            if (!st) return std::nullopt;
            receipt::card_progress p;
            p.received = st->received;
            if (st->read) p.read = st->read;
            if (st->answered) p.answered = st->answered;
            return p;
        });
}

result<receipt::status_key> load_desk_key(fs::path const& state) {
    try {
        util::make_private_directory(state);
    } catch (std::system_error const& e) {
        return fail("io", std::string("cannot make the server's directory: ") + e.what());
    }
    return receipt::load_status_key(state / desk_key_file);
}

std::string ack_link(std::string_view base, receipt::status_key const& key,
                     std::string_view case_id, std::string_view person, std::int64_t expires) {
    while (base.ends_with('/')) base.remove_suffix(1);
    auto const e = std::to_string(expires);
    return std::string(base) + "/m/a/" + receipt::percent(case_id) +
           "?p=" + receipt::percent(person) + "&e=" + e +
           "&s=" + receipt::keyed_check(key, {"ack", case_id, person, e});
}

}  // namespace candor::serve
