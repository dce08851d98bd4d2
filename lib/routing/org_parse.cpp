// The org file: cut into statements (a statement starts on a line whose first word is a
// statement keyword), each parsed with the org grammar, then lowered and checked.
#include "org_parse.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "util/x3/config.hpp"
#include "candor/routing/org.hpp"
#include "org_grammar.hpp"

namespace candor::routing {

namespace {

namespace x3 = boost::spirit::x3;
using util::parser::iterator_type;

// A language code as `language "pt-BR"` gives it.
constexpr std::size_t max_language_bytes = 16;
constexpr std::string_view statement_keywords[] = {"brand",  "region",      "site", "role",
                                                   "person", "head-office", "when", "always"};

bool starts_statement(std::string_view line) {
    for (auto k : statement_keywords) {
        if (line.substr(0, k.size()) != k) continue;
        if (line.size() == k.size()) return true;
        char c = line[k.size()];
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return true;
    }
    return false;
}

bool blank(std::string_view line) {
    auto p = line.find_first_not_of(" \t\r");
    return p == std::string_view::npos || line[p] == '#';
}

}  // namespace

std::vector<ast::statement> parse_statements(util::source_map const& source, errors& out) {
    std::string_view text = source.text();
    std::vector<ast::statement> statements;
    if (auto const* bad = util::first_bad_byte(text)) {
        out.push_back(error_at(source.at(bad), "encoding",
                               "not a text file: a byte that is neither text nor UTF-8"));
        return statements;
    }
    // Statement starts: offsets of the first character of each statement line.
    std::vector<std::size_t> starts;
    for (std::size_t pos = 0; pos < text.size();) {
        std::size_t end = std::min(text.find('\n', pos), text.size());
        std::string_view line = text.substr(pos, end - pos);
        std::size_t indent = line.find_first_not_of(" \t");
        if (!blank(line)) {
            if (starts_statement(line.substr(indent))) {
                starts.push_back(pos + indent);
            } else if (starts.empty()) {
                out.push_back(error_at(source.at(pos + indent), "syntax",
                                       "expected a statement: brand, region, site, role, person, "
                                       "head-office, when or always"));
            }
        }
        pos = end + 1;
    }
    starts.push_back(text.size());

    util::parser::tracker tracker(text.data());
    std::reference_wrapper<util::parser::tracker> tracker_ref(tracker);
    auto const with_tracker = x3::with<x3::error_handler_tag>(tracker_ref);
    for (std::size_t s = 0; s + 1 < starts.size(); ++s) {
        iterator_type first = text.data() + starts[s];
        iterator_type const last = text.data() + starts[s + 1];
        tracker.clear();
        ast::statement statement;
        bool ok = x3::phrase_parse(first, last, with_tracker[routing::parser::org_statement()],
                                   util::parser::skipper, statement);
        if (ok && first == last) {
            statements.push_back(std::move(statement));
            continue;
        }
        if (ok)
            out.push_back(error_at(source.at(first), "syntax",
                                   "unexpected `" + std::string(first, std::find_if(first, last, [](char c) {
                                       return c == ' ' || c == '\n' || c == '\t' || c == '\r';
                                   })) + "`: not an option of this statement"));
        else
            out.push_back(error_at(source.at(tracker.has_error() ? tracker.where() : first), "syntax",
                                   tracker.has_error() ? tracker.what() : "expected a statement"));
    }
    return statements;
}

void sort_by_place(errors& all) {
    std::stable_sort(all.begin(), all.end(), [](error const& a, error const& b) {
        return std::tie(a.where.file, a.where.line, a.where.column) <
               std::tie(b.where.file, b.where.line, b.where.column);
    });
}

std::optional<std::string> read_text(std::string const& path, errors& out) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    if (in) buffer << in.rdbuf();
    if (!in || in.bad()) {
        out.push_back(error_at({path, 0, 0}, "io", "cannot read " + path));
        return std::nullopt;
    }
    return buffer.str();
}

// ---- Lowering: the org statements into the checked model.

namespace {

class org_lowering {
public:
    org_lowering(util::source_map const& source, errors& out) : source_(source), out_(out) {}

    organisation run(std::vector<ast::statement> const& statements) {
        org_.file = source_.file();
        // Names first, so statements may refer to what is declared further down.
        for (auto const& s : statements)
            if (auto const* e = boost::get<ast::entity_stmt>(&s)) declare(*e);
        for (auto const& s : statements)
            if (auto const* e = boost::get<ast::entity_stmt>(&s)) entity(*e);
        for (auto const& s : statements)
            if (auto const* p = boost::get<ast::person_stmt>(&s)) person(*p);
        for (auto& site : org_.sites) {
            if (!has_timezone_.count(site.id)) {
                site.time.utc_offset = org_.head_office_time.utc_offset;
                site.time.zone = org_.head_office_time.zone;
            }
            if (!has_hours_.count(site.id)) site.time.hours = org_.head_office_time.hours;
        }
        check_escalation();
        check_fallback();
        return std::move(org_);
    }

private:
    void error(location where, std::string code, std::string message) {
        out_.push_back(error_at(std::move(where), std::move(code), std::move(message)));
    }
    location at(boost::spirit::x3::position_tagged const& n) const {
        return routing::at(source_, n);
    }

    void declare(ast::entity_stmt const& e) {
        if (e.keyword == "head-office") return;
        auto& seen = names_[e.keyword];
        if (!seen.emplace(e.id.text, at(e.id)).second) {
            auto first = seen.at(e.id.text);
            error(at(e.id), "duplicate-name",
                  e.keyword + " `" + e.id.text + "` is declared twice (first at line " +
                      std::to_string(first.line) + ")");
            duplicates_.insert(&e);
        }
    }
    bool known(std::string const& kind, std::string const& id) const {
        auto it = names_.find(kind);
        return it != names_.end() && it->second.count(id);
    }

    void entity(ast::entity_stmt const& e) {
        if (duplicates_.count(&e)) return;
        std::string label = e.label ? *e.label : std::string();
        if (e.keyword == "brand") org_.brands.push_back({e.id.text, label, at(e.id)});
        else if (e.keyword == "region") org_.regions.push_back({e.id.text, label, at(e.id)});
        else if (e.keyword == "site") site(e, label);
        else if (e.keyword == "role") role(e, label);
        else head_office(e);
    }

    // Sets t's zone to `text` (a UTC offset or an IANA name); an error at `where` otherwise.
    void set_zone(std::string const& text, location where, local_time& t) {
        if (auto off = parse_utc_offset(text)) {
            t.utc_offset = *off;
            t.zone.clear();
        } else if (known_time_zone(text)) {
            t.utc_offset = 0;
            t.zone = text;
        } else {
            error(where, "bad-timezone",
                  "`" + text +
                      "` is no time zone: write a name such as Europe/Paris, or utc, "
                      "utc+01:00, utc-05:30");
        }
    }

    void place_time(ast::option const& o, local_time& t) {
        if (o.key == "timezone") {
            set_zone(o.values[0].text, at(o.values[0]), t);
        } else if (o.key == "hours") {
            if (auto h = parse_business_hours(o.values[0].text, o.values[1].text)) t.hours = *h;
            else
                error(at(o.values[0]), "bad-hours",
                      "business hours are days and times, such as mon-fri 09:00-18:00");
        }
    }

    void site(ast::entity_stmt const& e, std::string label) {
        routing::site s{e.id.text, std::move(label), {}, {}, org_.head_office_time, at(e.id)};
        for (auto const& o : e.options) {
            if (o.key == "region" || o.key == "brand") {
                auto const& v = o.values[0];
                if (!known(o.key, v.text))
                    error(at(v), "unknown-" + o.key, "no " + o.key + " is named `" + v.text + "`");
                (o.key == "region" ? s.region : s.brand) = v.text;
            } else {
                place_time(o, s.time);
                (o.key == "timezone" ? has_timezone_ : has_hours_).insert(s.id);
            }
        }
        if (s.region.empty())
            out_.push_back(warning_at(s.where, "no-region",
                                      "site `" + s.id + "` is in no region: its cards escalate "
                                      "straight to head office"));
        org_.sites.push_back(std::move(s));
    }

    void role(ast::entity_stmt const& e, std::string label) {
        routing::role r{e.id.text, std::move(label), false, scope::site, {}, false, at(e.id)};
        int kinds = 0;
        bool scoped = false;
        for (auto const& o : e.options) {
            if (o.key == "front-line" || o.key == "management") {
                ++kinds;
                r.front_line = o.key == "front-line";
            } else if (o.key == "contacts-guests") {
                r.contacts_guests = true;
            } else if (o.key == "escalates-to") {
                r.escalates_to = o.values[0].text;
                if (!known("role", r.escalates_to))
                    error(at(o.values[0]), "unknown-role", "no role is named `" + r.escalates_to + "`");
                escalation_where_[r.id] = at(o.values[0]);
            } else {  // at
                auto const& v = o.values[0].text;
                scoped = true;
                if (v == "site") r.level = scope::site;
                else if (v == "region") r.level = scope::region;
                else if (v == "brand") r.level = scope::brand;
                else if (v == "head-office") r.level = scope::head_office;
                else
                    error(at(o.values[0]), "bad-scope",
                          "a role is held at site, region, brand or head-office, not `" + v + "`");
            }
        }
        if (kinds != 1)
            error(r.where, "role-kind",
                  "say once whether role `" + r.id + "` is front-line or management");
        if (!scoped)
            error(r.where, "bad-scope",
                  "say where role `" + r.id + "` is held: at site, region, brand or head-office");
        if (r.front_line && r.level != scope::site)
            error(r.where, "bad-scope", "a front-line role is held at a site");
        org_.roles.push_back(std::move(r));
    }

    void head_office(ast::entity_stmt const& e) {
        if (head_office_seen_++)
            error(at(e), "duplicate-name", "head-office is declared twice");
        for (auto const& o : e.options) {
            if (o.key == "fallback") {
                org_.fallback_role = o.values[0].text;
                fallback_where_ = at(o.values[0]);
            } else if (o.key == "duty-field") {
                org_.duty_field = o.values[0].text;
            } else if (o.key == "deadline") {
                if (auto d = parse_duration(o.values[0].text)) org_.default_deadline = *d;
                else bad_duration(o.values[0]);
            } else {
                place_time(o, org_.head_office_time);
            }
        }
    }

    void bad_duration(ast::word const& w) {
        error(at(w), "bad-duration",
              "`" + w.text + "` is no duration: write 4h, 2 days, 1 business day or 6 business hours");
    }

    void person(ast::person_stmt const& p) {
        if (auto const* other = org_.find_person(p.id.text)) {
            error(at(p.id), "duplicate-name",
                  "person `" + p.id.text + "` is declared twice (first at line " +
                      std::to_string(other->where.line) + ")");
            return;
        }
        routing::person out{p.id.text, p.label ? *p.label : std::string(), {}, {}, at(p.id), {}, {}};
        for (auto const& h : p.holds) {
            std::string place = h.place ? h.place->text : std::string();
            if (place == "head-office") place.clear();
            out.holds.push_back({h.role.text, place});
            if (!known("role", h.role.text)) {
                error(at(h.role), "unknown-role", "no role is named `" + h.role.text + "`");
                continue;
            }
            scope level = org_.find_role(h.role.text)->level;
            location where = h.place ? at(*h.place) : at(h.role);
            if (level == scope::head_office) {
                if (!place.empty())
                    error(where, "unknown-place",
                          "role `" + h.role.text + "` is held at head office, not at `" + place + "`");
            } else if (place.empty()) {
                error(where, "unknown-place",
                      "say at which " + std::string(to_string(level)) + " `" + p.id.text +
                          "` holds role `" + h.role.text + "`");
            } else if (!known(std::string(to_string(level)), place)) {
                error(where, "unknown-place",
                      "no " + std::string(to_string(level)) + " is named `" + place + "`");
            }
        }
        for (auto const& c : p.channels) {
            if (c.kind == "language") {
                bool ok = c.address.size() >= 2 && c.address.size() <= max_language_bytes &&
                          std::all_of(c.address.begin(), c.address.end(), [](char ch) {
                              return std::isalpha(static_cast<unsigned char>(ch)) || ch == '-';
                          });
                if (!ok)
                    error(at(c), "bad-language",
                          "`" + c.address + "` is no language code: write en, fr, pt-BR");
                out.language = c.address;
                continue;
            }
            if (c.kind == "timezone") {
                local_time t = org_.head_office_time;
                set_zone(c.address, at(c), t);
                out.time = t;
                continue;
            }
            channel_kind kind = c.kind == "email"     ? channel_kind::email
                                : c.kind == "webhook" ? channel_kind::webhook
                                                      : channel_kind::callback;
            bool ok = kind == channel_kind::email ? c.address.find('@') != std::string::npos
                      : kind == channel_kind::webhook
                          ? c.address.rfind("http://", 0) == 0 || c.address.rfind("https://", 0) == 0
                          : !c.address.empty();
            if (!ok)
                error(at(c), "bad-channel",
                      "`" + c.address + "` is no " + c.kind +
                          (kind == channel_kind::webhook ? " URL (http:// or https://)" : " address"));
            out.channels.push_back({kind, c.address});
        }
        org_.people.push_back(std::move(out));
    }

    void check_escalation() {
        for (auto const& r : org_.roles) {
            if (r.escalates_to.empty()) continue;
            auto const* next = org_.find_role(r.escalates_to);
            if (!next) continue;
            if (next->front_line)
                error(escalation_where_[r.id], "bypass",
                      "role `" + r.id + "` escalates to `" + next->id +
                          "`, a front-line role: escalations go up to management");
            // Walk up: a chain that comes back to where it started would never end.
            std::set<std::string> seen{r.id};
            for (auto const* p = next; p; p = p->escalates_to.empty() ? nullptr : org_.find_role(p->escalates_to)) {
                if (!seen.insert(p->id).second) {
                    if (p->id == r.id)
                        error(escalation_where_[r.id], "escalation-loop",
                              "escalation from role `" + r.id + "` comes back to it; the chain "
                              "must end at head office");
                    break;
                }
            }
        }
    }

    void check_fallback() {
        location top{source_.file(), 1, 1};
        if (org_.fallback_role.empty()) {
            error(top, "no-fallback",
                  "no head-office fallback: write `head-office fallback ROLE`, so that no response "
                  "falls through");
            return;
        }
        auto const* r = org_.find_role(org_.fallback_role);
        if (!r) {
            error(fallback_where_, "unknown-role", "no role is named `" + org_.fallback_role + "`");
            return;
        }
        if (r->front_line || r->level != scope::head_office)
            error(fallback_where_, "no-fallback",
                  "the fallback `" + r->id + "` must be a management role held at head office");
        bool held = std::any_of(org_.people.begin(), org_.people.end(), [&](routing::person const& p) {
            return std::any_of(p.holds.begin(), p.holds.end(),
                               [&](holding const& h) { return h.role == r->id; });
        });
        if (!held)
            error(fallback_where_, "no-fallback", "nobody holds the fallback role `" + r->id + "`");
        // Someone who is front-line at a site and management there would read cards about
        // themselves: the engine skips them for that site; say so.
        for (auto const& p : org_.people)
            for (auto const& h : p.holds) {
                auto const* role = org_.find_role(h.role);
                if (!role || !role->front_line) continue;
                for (auto const& m : p.holds) {
                    auto const* mr = org_.find_role(m.role);
                    if (mr && !mr->front_line && mr->level == scope::site && m.place == h.place)
                        out_.push_back(warning_at(
                            p.where, "front-line-manager",
                            "`" + p.id + "` is front-line at " + h.place +
                                ": cards about that site never reach them, as `" + m.role + "` either"));
                }
            }
    }

    util::source_map const& source_;
    errors& out_;
    organisation org_;
    std::map<std::string, std::map<std::string, location>> names_;
    std::set<ast::entity_stmt const*> duplicates_;
    std::set<std::string> has_timezone_, has_hours_;
    std::map<std::string, location> escalation_where_;
    location fallback_where_;
    int head_office_seen_ = 0;
};

template <class T>
T const* by_id(std::vector<T> const& all, std::string_view id) {
    for (auto const& x : all)
        if (x.id == id) return &x;
    return nullptr;
}
template <class T>
int index_by_id(std::vector<T> const& all, std::string_view id) {
    for (std::size_t i = 0; i < all.size(); ++i)
        if (all[i].id == id) return static_cast<int>(i);
    return -1;
}

}  // namespace

std::string_view to_string(scope s) noexcept {
    switch (s) {
        case scope::site: return "site";
        case scope::region: return "region";
        case scope::brand: return "brand";
        case scope::head_office: return "head-office";
    }
    return "?";
}

std::string_view to_string(channel_kind k) noexcept {
    switch (k) {
        case channel_kind::email: return "email";
        case channel_kind::webhook: return "webhook";
        case channel_kind::callback: return "callback";
    }
    return "?";
}

site const* organisation::find_site(std::string_view id) const noexcept { return by_id(sites, id); }
role const* organisation::find_role(std::string_view id) const noexcept { return by_id(roles, id); }
person const* organisation::find_person(std::string_view id) const noexcept { return by_id(people, id); }
int organisation::role_index(std::string_view id) const noexcept { return index_by_id(roles, id); }
int organisation::site_index(std::string_view id) const noexcept { return index_by_id(sites, id); }

result<organisation> parse_org(std::string_view text, std::string_view file_name) {
    util::source_map source(text, file_name);
    errors diags;
    auto statements = parse_statements(source, diags);
    organisation org = org_lowering(source, diags).run(statements);
    sort_by_place(diags);
    if (has_errors(diags)) return unexpected(std::move(diags));
    org.warnings = std::move(diags);
    return org;
}

result<organisation> parse_org_file(std::string const& path) {
    errors diags;
    auto text = read_text(path, diags);
    if (!text) return unexpected(std::move(diags));
    return parse_org(*text, path);
}

}  // namespace candor::routing
