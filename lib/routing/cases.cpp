// The case log: one JSON object per frame (open, ack, resolve, escalate), replayed in
// order on open to rebuild every case with its deadline.
#include "candor/routing/cases.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "util/event_log.hpp"
#include "util/file_io.hpp"

namespace candor::routing {

namespace {

using json = nlohmann::json;

json to_json(duration const& d) {
    return {{"amount", d.amount}, {"unit", static_cast<int>(d.unit)}};
}
duration duration_of(json const& j) {
    return {j.at("amount").get<double>(), static_cast<duration_unit>(j.at("unit").get<int>())};
}

local_time place_of(router const& r, std::string_view site) {
    auto const* s = r.org().find_site(site);
    return s ? s->time : r.org().head_office_time;
}

// What the router needs to resolve people for a case: its site and who was on duty.
response::response stub(router const& r, routed_case const& c) {
    response::response out;
    out.fields.emplace_back("site", c.site);
    if (!r.org().duty_field.empty()) out.fields.emplace_back(r.org().duty_field, c.duty);
    return out;
}

// How long a case's holder has to acknowledge it: the rule's `within`, else the org's.
duration within_of(router const& r, recipient const& x) {
    rule const* rl = x.rule == no_rule ? nullptr : &r.rules().rules[x.rule];
    return rl && rl->within ? *rl->within : r.org().default_deadline;
}

}  // namespace

timestamp first_deadline(router const& r, recipient const& x, std::string_view site,
                         timestamp now) {
    rule const* rl = x.rule == no_rule ? nullptr : &r.rules().rules[x.rule];
    duration const after = rl && rl->escalate_after ? *rl->escalate_after : within_of(r, x);
    return deadline_after(now, after, place_of(r, site));
}

std::string_view to_string(case_state s) noexcept {
    switch (s) {
        case case_state::open:
            return "open";
        case case_state::acknowledged:
            return "acknowledged";
        case case_state::resolved:
            return "resolved";
    }
    return "?";
}

struct case_log::impl {
    std::optional<util::event_log> log;
    std::vector<routed_case> cases;
    std::unordered_map<std::string, std::size_t> by_id;
    std::unordered_set<std::string> routed;

    void apply(json const& j) {
        auto const t = j.at("t").get<std::string>();
        if (t == "open") {
            routed.insert(j.at("response").get<std::string>());
            for (auto const& c : j.at("cases")) {
                routed_case rc;
                rc.id = c.at("id");
                rc.response = c.at("response");
                rc.site = c.at("site");
                rc.duty = c.at("duty");
                rc.role = c.at("role");
                rc.escalate_to = c.at("escalate_to");
                rc.notified = c.at("notified").get<std::vector<std::string>>();
                rc.rule = c.at("rule");
                rc.opened = c.at("opened");
                rc.deadline = c.at("deadline");
                rc.within = duration_of(c.at("within"));
                rc.history.push_back({rc.opened, "opened", rc.notified.front(), rc.role});
                if (by_id.count(rc.id)) continue;  // opened once; a repeat adds nothing
                by_id.emplace(rc.id, cases.size());
                cases.push_back(std::move(rc));
            }
            return;
        }
        auto it = by_id.find(j.at("id").get<std::string>());
        if (it == by_id.end()) return;
        auto& c = cases[it->second];
        timestamp const time = j.at("time");
        if (t == "ack") {
            c.state = case_state::acknowledged;
            c.history.push_back({time, "acknowledged", j.at("who"), ""});
        } else if (t == "resolve") {
            c.state = case_state::resolved;
            c.history.push_back({time, "resolved", j.at("who"), j.at("note")});
        } else if (t == "escalate") {
            c.role = j.at("role");
            c.escalate_to.clear();
            c.deadline = j.at("deadline");
            std::string who;
            for (auto const& p : j.at("to")) {
                c.notified.push_back(p);
                who += (who.empty() ? "" : ", ") + p.get<std::string>();
            }
            c.history.push_back(
                {time, c.deadline == 0 && who.empty() ? "unacknowledged-at-top" : "escalated", who,
                 c.role});
        }
    }

    void write_all(std::span<json const> events) {
        if (events.empty()) return;
        log->append_all(events);
        for (auto const& e : events) apply(e);
    }
    void write(json const& e) { write_all(std::span(&e, 1)); }
};

result<case_log> case_log::open(std::filesystem::path const& dir,
                                             journal::segment_options options) {
    auto p = std::make_unique<impl>();
    auto log = util::event_log::open(dir, options, [&](json const& e) { p->apply(e); });
    if (!log) return unexpected(log.error());
    p->log.emplace(std::move(*log));
    return case_log(std::move(p));
}

case_log::case_log(std::unique_ptr<impl> p) : p_(std::move(p)) {}
case_log::case_log(case_log&&) noexcept = default;
case_log& case_log::operator=(case_log&&) noexcept = default;
case_log::~case_log() = default;

std::vector<routed_case> case_log::open_cases(std::span<routed_response const> responses,
                                              router const& router, timestamp now) {
    auto const& org = router.org();
    std::vector<json> events;
    std::vector<std::string> ids;
    for (auto const& [response_key, r, d] : responses) {
        std::string const site(r.field("site"));
        json cases = json::array();
        for (auto const& x : d.recipients) {
            if (x.digest) continue;
            rule const* rl = x.rule == no_rule ? nullptr : &router.rules().rules[x.rule];
            auto const& person = org.people[x.person];
            std::string id = response_key + "/" + person.id;
            ids.push_back(id);
            cases.push_back(
                {{"id", id},
                 {"response", response_key},
                 {"site", site},
                 {"duty", org.duty_field.empty() ? "" : std::string(r.field(org.duty_field))},
                 {"role", org.roles[x.role].id},
                 {"escalate_to", rl ? rl->escalate_to : ""},
                 {"notified", {person.id}},
                 {"rule", x.rule},
                 {"opened", now},
                 {"deadline", first_deadline(router, x, site, now)},
                 {"within", to_json(within_of(router, x))}});
        }
        events.push_back({{"t", "open"}, {"response", response_key}, {"cases", std::move(cases)}});
    }
    p_->write_all(events);
    std::vector<routed_case> out;
    for (auto const& id : ids) out.push_back(*find(id));
    return out;
}

std::vector<routed_case> case_log::open_cases(std::string const& response_key,
                                              response::response const& r, decision const& d,
                                              router const& router, timestamp now) {
    routed_response const one{response_key, r, d};
    return open_cases(std::span(&one, 1), router, now);
}

bool case_log::routed(std::string_view response_key) const {
    return p_->routed.count(std::string(response_key));
}

result<void> case_log::acknowledge(std::string const& id, std::string const& who,
                                                timestamp now) {
    auto const* c = find(id);
    if (!c) return fail("no-case", "no case " + id);
    if (c->state != case_state::open)
        return fail("case-closed", "case " + id + " is " + std::string(to_string(c->state)) + " already");
    if (std::find(c->notified.begin(), c->notified.end(), who) == c->notified.end())
        return fail("not-a-recipient", who + " was not sent case " + id);
    p_->write({{"t", "ack"}, {"id", id}, {"who", who}, {"time", now}});
    return {};
}

result<void> case_log::resolve(std::string const& id, std::string const& who,
                                            std::string const& note, timestamp now) {
    auto const* c = find(id);
    if (!c) return fail("no-case", "no case " + id);
    if (c->state == case_state::resolved)
        return fail("case-closed", "case " + id + " is resolved already");
    if (std::find(c->notified.begin(), c->notified.end(), who) == c->notified.end())
        return fail("not-a-recipient", who + " was not sent case " + id);
    p_->write({{"t", "resolve"}, {"id", id}, {"who", who}, {"note", note}, {"time", now}});
    return {};
}

std::vector<escalation> case_log::due(router const& router, timestamp now) const {
    std::vector<escalation> out;
    auto const& org = router.org();
    for (auto const& c : p_->cases) {
        if (c.state != case_state::open || c.deadline == 0 || c.deadline > now) continue;
        std::optional<std::uint32_t> next;
        if (!c.escalate_to.empty() && org.role_index(c.escalate_to) >= 0)
            next = static_cast<std::uint32_t>(org.role_index(c.escalate_to));
        else if (int role = org.role_index(c.role); role >= 0)
            next = router.above(static_cast<std::uint32_t>(role));
        escalation e{c.id, c.role, {}, 0};
        if (next) e.to = router.recipients_as(*next, stub(router, c));
        if (!e.to.empty()) {
            e.role = org.roles[e.to.front().role].id;
            e.deadline = deadline_after(now, c.within, place_of(router, c.site));
        }
        out.push_back(std::move(e));
    }
    return out;
}

void case_log::escalate(std::span<escalation const> escalations, router const& router,
                        timestamp now) {
    std::vector<json> events;
    for (auto const& e : escalations) {
        json people = json::array();
        for (auto const& x : e.to) people.push_back(router.org().people[x.person].id);
        events.push_back({{"t", "escalate"},
                          {"id", e.case_id},
                          {"time", now},
                          {"role", e.role},
                          {"to", people},
                          {"deadline", e.deadline}});
    }
    p_->write_all(events);
}

std::vector<escalation> case_log::escalate_due(router const& router, timestamp now) {
    auto all = due(router, now);
    escalate(all, router, now);
    std::erase_if(all, [](escalation const& e) { return e.to.empty(); });
    return all;
}

std::vector<routed_case> const& case_log::cases() const noexcept {
    return p_->cases;
}

routed_case const* case_log::find(std::string_view id) const noexcept {
    auto it = p_->by_id.find(std::string(id));
    return it == p_->by_id.end() ? nullptr : &p_->cases[it->second];
}

}  // namespace candor::routing
