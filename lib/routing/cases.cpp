// The case log: one JSON object per frame (open, ack, resolve, escalate), replayed in
// order on open to rebuild every case with its deadline.
#include "candor/routing/cases.hpp"

#include <nlohmann/json.hpp>

#include <unordered_map>
#include <unordered_set>

#include "candor/journal/frame.hpp"

namespace candor::routing {

namespace {

using json = nlohmann::json;

json to_json(duration const& d) { return {{"amount", d.amount}, {"unit", static_cast<int>(d.unit)}}; }
duration duration_of(json const& j) {
    return {j.at("amount").get<double>(), static_cast<duration_unit>(j.at("unit").get<int>())};
}

local_time place_of(router const& r, std::string const& site) {
    auto const* s = r.org().find_site(site);
    return s ? s->time : r.org().head_office_time;
}

// What the router needs to resolve people for a case: its site and who was on duty.
capture::response stub(router const& r, routed_case const& c) {
    capture::response out;
    out.fields.emplace_back("site", c.site);
    if (!r.org().duty_field.empty()) out.fields.emplace_back(r.org().duty_field, c.duty);
    return out;
}

}  // namespace

std::string_view to_string(case_state s) noexcept {
    switch (s) {
        case case_state::open: return "open";
        case case_state::acknowledged: return "acknowledged";
        case case_state::resolved: return "resolved";
    }
    return "?";
}

struct case_log::impl {
    std::filesystem::path dir;
    journal::segment_writer writer;
    std::vector<routed_case> cases;
    std::unordered_map<std::string, std::size_t> by_id;
    std::unordered_set<std::string> routed;

    impl(std::filesystem::path d, journal::segment_writer w) : dir(std::move(d)), writer(std::move(w)) {}

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
            c.history.push_back({time, c.deadline == 0 && who.empty() ? "unacknowledged-at-top" : "escalated",
                                 who, c.role});
        }
    }

    void write(json const& j) {
        auto text = j.dump();
        seal::bytes frame;
        journal::append_frame(frame, seal::as_bytes(text));
        writer.append(frame);
        apply(j);
    }
};

result<case_log, std::string> case_log::open(std::filesystem::path const& dir, journal::segment_options options) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return unexpected("cannot create " + dir.string() + ": " + ec.message());
    std::vector<json> events;
    std::string bad;
    auto scan = journal::scan_segments(dir, [&](auto const&, std::uint64_t offset, seal::byte_view payload) {
        auto j = json::parse(seal::as_chars(payload), nullptr, false);
        if (j.is_discarded() || !j.contains("t")) bad = "case log frame at " + std::to_string(offset) + " is no event";
        else events.push_back(std::move(j));
    });
    if (!bad.empty()) return unexpected(bad);
    if (journal::has_errors(scan.found)) return unexpected(journal::render(scan.found));
    if (scan.torn) journal::cut_torn_tail(*scan.torn);
    auto p = std::make_unique<impl>(dir, journal::segment_writer(dir, scan, options));
    try {
        for (auto const& e : events) p->apply(e);
    } catch (json::exception const& e) {
        return unexpected(std::string("case log: ") + e.what());
    }
    return case_log(std::move(p));
}

case_log::case_log(std::unique_ptr<impl> p) : p_(std::move(p)) {}
case_log::case_log(case_log&&) noexcept = default;
case_log& case_log::operator=(case_log&&) noexcept = default;
case_log::~case_log() = default;

std::vector<routed_case> case_log::open_cases(std::string const& response_key, capture::response const& r,
                                              decision const& d, router const& router, timestamp now) {
    auto const& org = router.org();
    std::string const site(r.field("site"));
    local_time const place = place_of(router, site);
    json cases = json::array();
    std::vector<std::string> ids;
    for (auto const& x : d.recipients) {
        if (x.digest) continue;
        rule const* rl = x.rule == no_rule ? nullptr : &router.rules().rules[x.rule];
        duration const within = rl && rl->within ? *rl->within : org.default_deadline;
        duration const after = rl && rl->escalate_after ? *rl->escalate_after : within;
        auto const& person = org.people[x.person];
        std::string id = response_key + "/" + person.id;
        ids.push_back(id);
        cases.push_back({{"id", id},
                         {"response", response_key},
                         {"site", site},
                         {"duty", org.duty_field.empty() ? "" : std::string(r.field(org.duty_field))},
                         {"role", org.roles[x.role].id},
                         {"escalate_to", rl ? rl->escalate_to : ""},
                         {"notified", {person.id}},
                         {"rule", x.rule},
                         {"opened", now},
                         {"deadline", deadline_after(now, after, place)},
                         {"within", to_json(within)}});
    }
    p_->write({{"t", "open"}, {"response", response_key}, {"cases", cases}});
    std::vector<routed_case> out;
    for (auto const& id : ids) out.push_back(*find(id));
    return out;
}

bool case_log::routed(std::string_view response_key) const { return p_->routed.count(std::string(response_key)); }

result<void, std::string> case_log::acknowledge(std::string const& id, std::string const& who, timestamp now) {
    auto const* c = find(id);
    if (!c) return unexpected("no case " + id);
    if (c->state != case_state::open)
        return unexpected("case " + id + " is " + std::string(to_string(c->state)) + " already");
    p_->write({{"t", "ack"}, {"id", id}, {"who", who}, {"time", now}});
    return {};
}

result<void, std::string> case_log::resolve(std::string const& id, std::string const& who,
                                            std::string const& note, timestamp now) {
    auto const* c = find(id);
    if (!c) return unexpected("no case " + id);
    if (c->state == case_state::resolved) return unexpected("case " + id + " is resolved already");
    p_->write({{"t", "resolve"}, {"id", id}, {"who", who}, {"note", note}, {"time", now}});
    return {};
}

std::vector<escalation> case_log::escalate_due(router const& router, timestamp now) {
    std::vector<escalation> out;
    auto const& org = router.org();
    for (std::size_t i = 0; i < p_->cases.size(); ++i) {
        auto c = p_->cases[i];  // a copy: write() changes the vector's element
        if (c.state != case_state::open || c.deadline == 0 || c.deadline > now) continue;
        std::optional<std::uint32_t> next;
        if (!c.escalate_to.empty() && org.role_index(c.escalate_to) >= 0)
            next = static_cast<std::uint32_t>(org.role_index(c.escalate_to));
        else if (int role = org.role_index(c.role); role >= 0)
            next = router.above(static_cast<std::uint32_t>(role));
        std::vector<recipient> to;
        if (next) to = router.resolve(*next, stub(router, c));
        json people = json::array();
        for (auto const& x : to) people.push_back(org.people[x.person].id);
        // At the top, or nobody above may hear it: the chain ends, recorded once.
        bool const top = to.empty();
        std::string role = top ? c.role : org.roles[to.front().role].id;
        timestamp deadline = top ? 0 : deadline_after(now, c.within, place_of(router, c.site));
        p_->write({{"t", "escalate"}, {"id", c.id}, {"time", now}, {"role", role}, {"to", people}, {"deadline", deadline}});
        if (!top) out.push_back({c.id, role, std::move(to)});
    }
    return out;
}

std::vector<routed_case> const& case_log::cases() const noexcept { return p_->cases; }

routed_case const* case_log::find(std::string_view id) const noexcept {
    auto it = p_->by_id.find(std::string(id));
    return it == p_->by_id.end() ? nullptr : &p_->cases[it->second];
}

}  // namespace candor::routing
