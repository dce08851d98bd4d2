#include "candor/routing/router.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "matcher.hpp"

namespace candor::routing {

struct router::impl {
    organisation const& org;
    survey::survey const& survey;
    rule_set const& rules;
    matcher match;
    std::uint32_t fallback = 0;
    std::vector<int> above;  // by role; -1 at the top
    // holders[site * roles + role]: the people who hear as `role` about `site`, front-line
    // staff of the site already left out. Site index sites.size() is "unknown site".
    std::vector<std::vector<std::uint32_t>> holders;
    std::vector<std::vector<std::uint32_t>> front_line_sites;  // by person: site indices
    std::unordered_map<std::string, std::uint32_t> site_ids;
    std::vector<std::vector<std::uint32_t>> targets;  // by rule: role indices
    std::vector<std::vector<bool>> digest;

    impl(organisation const& o, survey::survey const& s, rule_set const& r)
        : org(o), survey(s), rules(r), match(s, r) {
        auto const roles = o.roles.size();
        fallback = static_cast<std::uint32_t>(std::max(0, o.role_index(o.fallback_role)));
        for (std::size_t i = 0; i < roles; ++i) {
            auto const& role = o.roles[i];
            int next = role.escalates_to.empty() ? -1 : o.role_index(role.escalates_to);
            if (next < 0 && i != fallback) next = static_cast<int>(fallback);
            above.push_back(next);
        }
        for (std::size_t i = 0; i < o.people.size(); ++i) person_ids.emplace(o.people[i].id, static_cast<std::uint32_t>(i));
        for (std::size_t i = 0; i < o.sites.size(); ++i) site_ids.emplace(o.sites[i].id, static_cast<std::uint32_t>(i));
        front_line_sites.resize(o.people.size());
        for (std::size_t p = 0; p < o.people.size(); ++p)
            for (auto const& h : o.people[p].holds) {
                auto const* role = o.find_role(h.role);
                int site = o.site_index(h.place);
                if (role && role->front_line && site >= 0)
                    front_line_sites[p].push_back(static_cast<std::uint32_t>(site));
            }
        holders.resize((o.sites.size() + 1) * roles);
        for (std::size_t site = 0; site <= o.sites.size(); ++site) {
            routing::site const* s_ = site < o.sites.size() ? &o.sites[site] : nullptr;
            for (std::size_t p = 0; p < o.people.size(); ++p) {
                auto const& fl = front_line_sites[p];
                if (s_ && std::find(fl.begin(), fl.end(), site) != fl.end()) continue;
                for (auto const& h : o.people[p].holds) {
                    int ri = o.role_index(h.role);
                    if (ri < 0) continue;
                    auto const& role = o.roles[static_cast<std::size_t>(ri)];
                    bool covers = role.front_line ? false
                                  : role.level == scope::head_office ? true
                                  : !s_ ? false
                                  : role.level == scope::site ? h.place == s_->id
                                  : role.level == scope::region ? h.place == s_->region
                                                                : h.place == s_->brand;
                    auto& list = holders[site * roles + static_cast<std::size_t>(ri)];
                    if (covers && std::find(list.begin(), list.end(), p) == list.end())
                        list.push_back(static_cast<std::uint32_t>(p));
                }
            }
        }
        for (auto const& rule : r.rules) {
            std::vector<std::uint32_t> t;
            std::vector<bool> d;
            for (auto const& target : rule.notify) {
                int ri = o.role_index(target.role);
                if (ri < 0 || o.roles[static_cast<std::size_t>(ri)].front_line) continue;  // refused at load
                t.push_back(static_cast<std::uint32_t>(ri));
                d.push_back(target.digest);
            }
            targets.push_back(std::move(t));
            digest.push_back(std::move(d));
        }
    }

    // Per-decision marks by role, kept in the decision so routers stay const and shareable.
    std::vector<std::uint8_t>& scratch(decision& d) const {
        d.role_marks.assign(org.roles.size(), 0);
        return d.role_marks;
    }

    std::uint32_t site_of(response::response const& r) const {
        auto it = site_ids.find(std::string(r.field("site")));
        return it == site_ids.end() ? static_cast<std::uint32_t>(org.sites.size()) : it->second;
    }

    std::unordered_map<std::string, std::uint32_t> person_ids;

    // The person the response's duty field names, if any.
    std::uint32_t on_duty(response::response const& r) const {
        if (org.duty_field.empty()) return no_person;
        auto it = person_ids.find(std::string(r.field(org.duty_field)));
        return it == person_ids.end() ? no_person : it->second;
    }
    static constexpr std::uint32_t no_person = 0xFFFFFFFFu;

    // Appends who hears as `role` (or above) and counts who the bypass left out.
    void add_recipients(std::uint32_t role, std::uint32_t site, std::uint32_t duty, std::uint32_t rule,
                 bool is_digest, std::vector<recipient>& out, std::uint32_t& bypassed) const {
        // The chain has no loop (checked when the org is read); the bound is belt and braces.
        for (std::size_t steps = 0; steps <= org.roles.size(); ++steps) {
            bool any = false;
            for (auto p : holders[site * org.roles.size() + role]) {
                if (p == duty) {
                    ++bypassed;
                    continue;
                }
                any = true;
                auto it = std::find_if(out.begin(), out.end(), [&](recipient const& x) { return x.person == p; });
                if (it == out.end()) out.push_back({p, role, rule, is_digest});
                else if (it->digest && !is_digest) *it = {p, role, rule, false};
            }
            if (any || above[role] < 0) return;
            role = static_cast<std::uint32_t>(above[role]);
        }
    }
};

router::router(organisation const& org, survey::survey const& survey, rule_set const& rules)
    : p_(std::make_unique<impl>(org, survey, rules)) {}
router::router(router&&) noexcept = default;
router& router::operator=(router&&) noexcept = default;
router::~router() = default;

void router::decide(response::response const& r, decision& out) const {
    out.recipients.clear();
    out.fallback = false;
    out.bypassed = 0;
    p_->match.match(r, out.matched);
    std::uint32_t const site = p_->site_of(r);
    std::uint32_t const duty = p_->on_duty(r);
    out.unknown_site = site == p_->org.sites.size();
    // A role resolves to the same people for every rule naming it: once is enough
    // (and once as a digest, which a later direct notification upgrades).
    std::vector<std::uint8_t>& done = p_->scratch(out);
    for (auto rule : out.matched) {
        auto const& t = p_->targets[rule];
        for (std::size_t i = 0; i < t.size(); ++i) {
            std::uint8_t const how = p_->digest[rule][i] ? 1 : 2;
            if (done[t[i]] >= how) continue;
            done[t[i]] = how;
            p_->add_recipients(t[i], site, duty, rule, how == 1, out.recipients, out.bypassed);
        }
    }
    if (out.matched.empty()) out.fallback = true;
    // Nothing falls through: no rule, or nobody left to hear it, means head office.
    if (out.recipients.empty()) p_->add_recipients(p_->fallback, site, duty, no_rule, false, out.recipients, out.bypassed);
}

decision router::decide(response::response const& r) const {
    decision d;
    decide(r, d);
    return d;
}

bool router::may_receive(std::uint32_t person, response::response const& r) const {
    if (person >= p_->org.people.size() || p_->on_duty(r) == person) return false;
    auto site = p_->site_of(r);
    auto const& fl = p_->front_line_sites[person];
    return std::find(fl.begin(), fl.end(), site) == fl.end();
}

std::vector<recipient> router::recipients_as(std::uint32_t role, response::response const& r) const {
    std::vector<recipient> out;
    std::uint32_t bypassed = 0;
    p_->add_recipients(role, p_->site_of(r), p_->on_duty(r), no_rule, false, out, bypassed);
    return out;
}

std::optional<std::uint32_t> router::above(std::uint32_t role) const {
    int next = p_->above[role];
    return next < 0 ? std::nullopt : std::optional<std::uint32_t>(static_cast<std::uint32_t>(next));
}

organisation const& router::org() const noexcept { return p_->org; }
rule_set const& router::rules() const noexcept { return p_->rules; }
survey::survey const& router::survey() const noexcept { return p_->survey; }

}  // namespace candor::routing
