// The case log: one JSON object per frame (open, ack, resolve, escalate, watermark),
// replayed in order on open to rebuild every case with its deadline. A checkpoint restates
// every case whole ("case") with the watermark and the mails taken, in a new generation of
// the log (util::event_log::compact); the generations before stay as its history.
#include "candor/routing/cases.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "candor/routing/notification.hpp"
#include "candor/seal/bytes.hpp"
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

bool routed_case::may_act(std::string_view person) const noexcept {
    return std::find(holders.begin(), holders.end(), person) != holders.end();
}

bool routed_case::involves(std::string_view person) const noexcept {
    return may_act(person) || std::find(watchers.begin(), watchers.end(), person) != watchers.end();
}

std::string_view to_string(guest_state s) noexcept {
    switch (s) {
        case guest_state::received:
            return "received";
        case guest_state::read:
            return "read";
        case guest_state::answered:
            return "answered";
    }
    return "?";
}

namespace {

void add_once(std::vector<std::string>& people, std::string const& p) {
    if (std::find(people.begin(), people.end(), p) == people.end()) people.push_back(p);
}

}  // namespace

// The cases as the log's events make them: what the writer and the readers share.
struct case_book {
    std::vector<routed_case> cases;
    std::unordered_map<std::string, std::size_t> by_id;  // case ids and ids of before
    // Ids of before that were not a migrated case's first: escalating them adds holders,
    // it does not move the case.
    std::unordered_set<std::string> secondary;
    // Response key -> when: every response routed, in a reader of the whole history; since
    // the last checkpoint, and those with a case, in the writer.
    std::unordered_map<std::string, timestamp> routed;
    std::unordered_set<std::string> mails;  // Message-IDs taken in
    std::uint64_t through = 0;              // the routed watermark: a store position
    // Called for an id the book does not hold (a closed case left out of the checkpoint, in
    // the writer): true when it brought the case in.
    std::function<bool(std::string const&)> load;

    routed_case case_of(json const& c, std::string const& owner) {
        routed_case rc;
        rc.response = c.at("response");
        rc.id = rc.response;
        rc.site = c.at("site");
        rc.duty = c.at("duty");
        rc.owner = owner;
        rc.role = c.at("role");
        rc.escalate_to = c.at("escalate_to");
        rc.rule = c.at("rule");
        rc.opened = c.at("opened");
        rc.deadline = c.at("deadline");
        rc.within = duration_of(c.at("within"));
        rc.guest = c.value("guest", "");
        rc.language = c.value("language", "");
        return rc;
    }

    void add(routed_case rc) {
        if (by_id.count(rc.id)) return;  // opened once; a repeat adds nothing
        by_id.emplace(rc.id, cases.size());
        cases.push_back(std::move(rc));
    }

    // An `open` of before: a case per recipient, merged into the card's one case.
    void apply_v1(json const& j) {
        auto const& list = j.at("cases");
        if (list.empty()) return;
        auto const first = list.front().at("notified").get<std::vector<std::string>>();
        routed_case rc = case_of(list.front(), first.front());
        if (by_id.count(rc.id)) return;
        std::string told;
        for (auto const& c : list) {
            std::string const old = c.at("id");
            std::string const person = c.at("notified").at(0);
            add_once(rc.holders, person);
            rc.aliases.push_back(old);
            if (!by_id.count(old)) by_id.emplace(old, cases.size());
            if (&c != &list.front()) secondary.insert(old);
            told += (told.empty() ? "" : ", ") + person;
        }
        rc.history.push_back({rc.opened, "opened", told, rc.role});
        add(std::move(rc));
    }

    void apply(json const& j) {
        auto const t = j.at("t").get<std::string>();
        if (t == "watermark") {
            through = std::max(through, j.at("position").get<std::uint64_t>());
            return;
        }
        if (t == "case") {
            restore(j);
            return;
        }
        if (t == "mails") {
            for (auto const& m : j.at("ids")) mails.insert(m.get<std::string>());
            return;
        }
        if (t == "open") {
            std::string const response = j.at("response");
            if (j.contains("cases")) {  // the format of before
                auto const& list = j.at("cases");
                routed.emplace(response,
                               list.empty() ? 0 : list.front().at("opened").get<timestamp>());
                apply_v1(j);
                return;
            }
            routed.emplace(response, j.at("at").get<timestamp>());
            if (j.contains("message_id")) mails.insert(j.at("message_id").get<std::string>());
            auto const& c = j.at("case");
            if (c.is_null()) return;
            routed_case rc = case_of(c, c.at("owner"));
            rc.holders = {rc.owner};
            rc.watchers = c.at("watchers").get<std::vector<std::string>>();
            std::string told = rc.owner;
            for (auto const& w : rc.watchers) told += ", " + w;
            rc.history.push_back({rc.opened, "opened", told, rc.role});
            add(std::move(rc));
            return;
        }
        if (t == "mail") mails.insert(j.at("message_id").get<std::string>());
        std::string const id = j.at("id");
        auto it = by_id.find(id);
        if (it == by_id.end() && !id.empty() && load && load(id)) it = by_id.find(id);
        if (it == by_id.end()) return;
        auto& c = cases[it->second];
        timestamp const time = j.at("time");
        if (t == "ack") {
            if (c.state == case_state::open) c.state = case_state::acknowledged;
            if (c.acknowledged == 0) c.acknowledged = time;
            c.history.push_back({time, "acknowledged", j.at("who"), ""});
        } else if (t == "resolve") {
            c.state = case_state::resolved;
            if (c.acknowledged == 0) c.acknowledged = time;
            if (c.resolved == 0) c.resolved = time;
            c.history.push_back({time, "resolved", j.at("who"), j.at("note")});
            if (j.contains("reply")) {
                c.replied = time;
                c.history.push_back({time, "replied", j.at("who"), j.at("reply")});
            }
        } else if (t == "mail") {
            c.state = case_state::open;
            c.deadline = j.at("deadline");
            c.history.push_back({time, "guest-wrote", "guest", j.at("text")});
        } else if (t == "escalate") {
            std::string who;
            for (auto const& p : j.at("to")) {
                add_once(c.holders, p);
                who += (who.empty() ? "" : ", ") + p.get<std::string>();
            }
            std::string const role = j.at("role");
            bool const moves = !secondary.count(id);
            if (moves) {
                c.role = role;
                c.escalate_to.clear();
                c.deadline = j.at("deadline");
                if (!j.at("to").empty()) c.owner = j.at("to").at(0);
            }
            c.history.push_back(
                {time, j.at("deadline") == 0 && who.empty() ? "unacknowledged-at-top" : "escalated",
                 who, role});
        }
    }

    // A case as a checkpoint restates it: it replaces what the events before made of it.
    void restore(json const& j) {
        auto const& c = j.at("case");
        routed_case rc = case_of(c, c.at("owner"));
        rc.id = c.at("id");
        rc.holders = c.at("holders").get<std::vector<std::string>>();
        rc.watchers = c.at("watchers").get<std::vector<std::string>>();
        rc.aliases = c.at("aliases").get<std::vector<std::string>>();
        rc.state = static_cast<case_state>(c.at("state").get<int>());
        rc.acknowledged = c.at("acknowledged");
        rc.resolved = c.at("resolved");
        rc.replied = c.at("replied");
        for (auto const& e : c.at("history"))
            rc.history.push_back({e.at(0), e.at(1), e.at(2), e.at(3)});
        for (auto const& old : c.at("secondary")) secondary.insert(old.get<std::string>());
        routed.insert_or_assign(rc.response, j.at("received").get<timestamp>());
        if (auto it = by_id.find(rc.id); it != by_id.end()) {
            cases[it->second] = std::move(rc);
            return;
        }
        for (auto const& old : rc.aliases) by_id.emplace(old, cases.size());
        by_id.emplace(rc.id, cases.size());
        cases.push_back(std::move(rc));
    }

    // Case `c` whole, as a checkpoint restates it.
    json snapshot_of(routed_case const& c) const {
        json history = json::array();
        for (auto const& e : c.history) history.push_back({e.time, e.what, e.who, e.note});
        json sec = json::array();
        for (auto const& old : c.aliases)
            if (secondary.count(old)) sec.push_back(old);
        auto r = routed.find(c.response);
        return {{"t", "case"},
                {"received", r == routed.end() ? c.opened : r->second},
                {"case",
                 {{"id", c.id},
                  {"response", c.response},
                  {"site", c.site},
                  {"duty", c.duty},
                  {"owner", c.owner},
                  {"role", c.role},
                  {"escalate_to", c.escalate_to},
                  {"holders", c.holders},
                  {"watchers", c.watchers},
                  {"aliases", c.aliases},
                  {"secondary", std::move(sec)},
                  {"rule", c.rule},
                  {"state", static_cast<int>(c.state)},
                  {"opened", c.opened},
                  {"deadline", c.deadline},
                  {"acknowledged", c.acknowledged},
                  {"resolved", c.resolved},
                  {"within", to_json(c.within)},
                  {"history", std::move(history)},
                  {"guest", c.guest},
                  {"language", c.language},
                  {"replied", c.replied}}}};
    }

    // What a checkpoint holds: the watermark, every case not resolved, the mails taken.
    // Resolved cases stay in the generations before it.
    std::vector<json> snapshot() const {
        std::vector<json> out;
        out.push_back({{"t", "watermark"}, {"position", through}});
        for (auto const& c : cases)
            if (c.state != case_state::resolved) out.push_back(snapshot_of(c));
        // Message-IDs a few thousand to a frame (a frame holds at most 1 MiB).
        constexpr std::size_t ids_per_event = 2048;
        json ids = json::array();
        for (auto const& m : mails) {
            ids.push_back(m);
            if (ids.size() == ids_per_event)
                out.push_back({{"t", "mails"}, {"ids", std::exchange(ids, json::array())}});
        }
        if (!ids.empty()) out.push_back({{"t", "mails"}, {"ids", std::move(ids)}});
        return out;
    }

    routed_case const* find(std::string_view id) const noexcept {
        auto it = by_id.find(std::string(id));
        return it == by_id.end() ? nullptr : &cases[it->second];
    }

    std::optional<case_status> status(std::string_view response_key) const {
        auto r = routed.find(std::string(response_key));
        if (r == routed.end()) return std::nullopt;
        case_status out{guest_state::received, r->second, 0, 0};
        auto const* c = find(response_key);
        if (!c) return out;
        out.read = c->acknowledged;
        out.answered = c->resolved;
        if (c->state == case_state::resolved)
            out.state = guest_state::answered;
        else if (c->state == case_state::acknowledged)
            out.state = guest_state::read;
        return out;
    }
};

struct case_log::impl : case_book {
    std::optional<util::event_log> log;
    std::filesystem::path dir;
    std::unordered_set<std::string> not_in_history;  // ids looked for there in vain

    // Brings in case `id` as the generations before the active one left it: a case closed
    // before the last checkpoint. Reads the log's whole history: rare (a closed case shown,
    // or re-opened by its guest's mail).
    bool from_history(std::string const& id) {
        if (not_in_history.count(id)) return false;
        case_book old;
        auto read = util::event_log::read_history(
            dir, [&](json const& e) { old.apply(e); }, false);
        auto const* c = read ? old.find(id) : nullptr;
        if (!c) {
            not_in_history.insert(id);
            return false;
        }
        restore(old.snapshot_of(*c));
        return true;
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
    p->dir = dir;
    p->load = [raw = p.get()](std::string const& id) { return raw->from_history(id); };
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
                                              router const& router, timestamp now,
                                              std::uint64_t through) {
    auto const& org = router.org();
    std::vector<json> events;
    std::vector<std::string> ids;
    for (auto const& [response_key, r, d] : responses) {
        std::string const site(r.field("site"));
        recipient const* owner = nullptr;
        json watchers = json::array();
        for (auto const& x : d.recipients) {
            if (x.digest) continue;
            if (!owner)
                owner = &x;
            else
                watchers.push_back(org.people[x.person].id);
        }
        json c = nullptr;
        if (owner) {
            rule const* rl = owner->rule == no_rule ? nullptr : &router.rules().rules[owner->rule];
            ids.push_back(response_key);
            c = {{"response", response_key},
                 {"site", site},
                 {"duty", org.duty_field.empty() ? "" : std::string(r.field(org.duty_field))},
                 {"owner", org.people[owner->person].id},
                 {"role", org.roles[owner->role].id},
                 {"watchers", std::move(watchers)},
                 {"escalate_to", rl ? rl->escalate_to : ""},
                 {"rule", owner->rule},
                 {"opened", now},
                 {"deadline", first_deadline(router, *owner, site, now)},
                 {"within", to_json(within_of(router, *owner))},
                 {"guest", guest_address(router.survey(), r)},
                 {"language", r.language}};
        }
        events.push_back({{"t", "open"}, {"response", response_key}, {"at", now}, {"case", c}});
    }
    if (through > p_->through) events.push_back({{"t", "watermark"}, {"position", through}});
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
    return p_->routed.count(std::string(response_key)) != 0;
}

std::uint64_t case_log::routed_through() const noexcept {
    return p_->through;
}

bool case_log::checkpoint_due() const noexcept {
    return p_->log->worth_compacting();
}

void case_log::checkpoint() {
    p_->log->compact(p_->snapshot(), true);
    // What the writer keeps: the cases not resolved, the routed among them (the watermark
    // stands for the others); find() brings a resolved one back from the history.
    std::erase_if(p_->cases, [](routed_case const& c) { return c.state == case_state::resolved; });
    p_->by_id.clear();
    std::unordered_set<std::string> secondary;
    for (std::size_t i = 0; i < p_->cases.size(); ++i) {
        auto const& c = p_->cases[i];
        p_->by_id.emplace(c.id, i);
        for (auto const& old : c.aliases) {
            p_->by_id.emplace(old, i);
            if (p_->secondary.count(old)) secondary.insert(old);
        }
    }
    p_->secondary = std::move(secondary);
    p_->not_in_history.clear();
    std::erase_if(p_->routed, [&](auto const& r) { return !p_->by_id.count(r.first); });
}

std::optional<case_status> case_log::status(std::string_view response_key) const {
    (void)find(response_key);  // a case closed before the last checkpoint, brought in
    return p_->status(response_key);
}

result<void> case_log::acknowledge(std::string const& id, std::string const& who, timestamp now) {
    auto const* c = find(id);
    if (!c) return fail("no-case", "no case " + id);
    if (c->state != case_state::open)
        return fail("case-closed",
                    "case " + id + " is " + std::string(to_string(c->state)) + " already");
    if (!c->may_act(who)) return fail("not-a-holder", who + " does not hold case " + id);
    p_->write({{"t", "ack"}, {"id", c->id}, {"who", who}, {"time", now}});
    return {};
}

namespace {

result<routed_case const*> resolvable(case_log const& log, std::string const& id,
                                      std::string const& who) {
    auto const* c = log.find(id);
    if (!c) return fail("no-case", "no case " + id);
    if (c->state == case_state::resolved)
        return fail("case-closed", "case " + id + " is resolved already");
    if (!c->may_act(who)) return fail("not-a-holder", who + " does not hold case " + id);
    return c;
}

}  // namespace

result<void> case_log::resolve(std::string const& id, std::string const& who,
                               std::string const& note, timestamp now) {
    auto c = resolvable(*this, id, who);
    if (!c) return unexpected(std::move(c).error());
    p_->write({{"t", "resolve"}, {"id", (*c)->id}, {"who", who}, {"note", note}, {"time", now}});
    return {};
}

result<void> case_log::resolve_with_reply(std::string const& id, std::string const& who,
                                          std::string const& note, std::string const& reply,
                                          outbox& out, timestamp now) {
    auto c = resolvable(*this, id, who);
    if (!c) return unexpected(std::move(c).error());
    if ((*c)->guest.empty())
        return fail("no-contact", "the guest of case " + id + " left no e-mail address");
    // Queued before the resolution is written: a crash in between queues it once again, by key.
    auto const d = reply_for(**c, reply);
    out.queue(std::span(&d, 1), now);
    p_->write({{"t", "resolve"},
               {"id", (*c)->id},
               {"who", who},
               {"note", note},
               {"reply", reply},
               {"time", now}});
    return {};
}

std::string mail_case_id(std::string_view message_id) {
    return "mail:" + seal::to_hex(seal::hash(seal::as_bytes(message_id))).substr(0, 20);
}

bool case_log::has_mail(std::string_view message_id) const {
    return p_->mails.count(std::string(message_id)) != 0;
}

result<void> case_log::guest_mail(std::string const& id, std::string const& message_id,
                                  std::string const& text, router const& router, timestamp now) {
    auto const* c = find(id);
    if (!c) return fail("no-case", "no case " + id);
    p_->write({{"t", "mail"},
               {"id", c->id},
               {"message_id", message_id},
               {"text", text},
               {"time", now},
               {"deadline", deadline_after(now, c->within, place_of(router, c->site))}});
    return {};
}

result<routed_case> case_log::open_from_mail(std::string const& message_id,
                                             std::string const& guest, std::string const& text,
                                             router const& router, timestamp now) {
    auto const& org = router.org();
    int const role = org.role_index(org.fallback_role);
    std::vector<recipient> to;
    if (role >= 0) to = router.recipients_as(static_cast<std::uint32_t>(role), {});
    if (to.empty()) return fail("no-fallback", "nobody holds head office's fallback role");
    auto const id = mail_case_id(message_id);
    if (auto const* c = find(id)) return *c;
    auto const within = org.default_deadline;
    json c = {{"response", id},
              {"site", ""},
              {"duty", ""},
              {"owner", org.people[to.front().person].id},
              {"role", org.roles[to.front().role].id},
              {"watchers", json::array()},
              {"escalate_to", ""},
              {"rule", no_rule},
              {"opened", now},
              {"deadline", deadline_after(now, within, org.head_office_time)},
              {"within", to_json(within)},
              {"guest", guest},
              {"language", ""}};
    json const events[] = {
        {{"t", "open"}, {"response", id}, {"at", now}, {"message_id", message_id}, {"case", c}},
        {{"t", "mail"},
         {"id", id},
         {"message_id", message_id},
         {"text", text},
         {"time", now},
         {"deadline", c["deadline"]}}};
    p_->write_all(events);  // one write: a case is never opened without its mail
    return *find(id);
}

void case_log::mail_seen(std::string const& message_id, std::string const& what, timestamp now) {
    p_->write(
        {{"t", "mail"}, {"id", ""}, {"message_id", message_id}, {"what", what}, {"time", now}});
}

namespace {

// Where case `c` goes up from its role, now.
escalation next_up(routed_case const& c, router const& router, timestamp now) {
    auto const& org = router.org();
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
    return e;
}

}  // namespace

std::vector<escalation> case_log::due(router const& router, timestamp now) const {
    std::vector<escalation> out;
    for (auto const& c : p_->cases)
        if (c.state == case_state::open && c.deadline != 0 && c.deadline <= now)
            out.push_back(next_up(c, router, now));
    return out;
}

result<escalation> case_log::passing_up(std::string const& id, std::string const& who,
                                        router const& router, timestamp now) const {
    auto c = resolvable(*this, id, who);
    if (!c) return unexpected(std::move(c).error());
    auto e = next_up(**c, router, now);
    if (e.to.empty())
        return fail("at-top", "case " + id + " is at the top of its escalation chain");
    return e;
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
    if (auto const* c = p_->find(id)) return c;
    std::string const key(id);
    try {
        if (!key.empty() && p_->log->has_history() && p_->from_history(key)) return p_->find(id);
    } catch (std::exception const&) {  // the history unreadable: not found
    }
    return nullptr;
}

struct case_reader::impl {
    std::filesystem::path dir;
    case_book book;
    std::vector<std::pair<std::string, std::uintmax_t>> seen;  // segment files read, sizes

    // The segment files and their sizes now: what changes when the writer writes.
    std::vector<std::pair<std::string, std::uintmax_t>> files() const {
        std::vector<std::pair<std::string, std::uintmax_t>> out;
        std::error_code ec;
        for (auto const& f : std::filesystem::recursive_directory_iterator(dir, ec)) {
            if (!f.is_regular_file(ec)) continue;
            auto const size = f.file_size(ec);
            if (!ec) out.emplace_back(f.path().lexically_relative(dir).string(), size);
        }
        std::sort(out.begin(), out.end());
        return out;
    }
};

result<case_reader> case_reader::open(std::filesystem::path const& dir) {
    auto p = std::make_unique<impl>();
    p->dir = dir;
    case_reader r(std::move(p));
    if (auto read = r.refresh(); !read) return unexpected(std::move(read).error());
    return r;
}

case_reader::case_reader(std::unique_ptr<impl> p) : p_(std::move(p)) {}
case_reader::case_reader(case_reader&&) noexcept = default;
case_reader& case_reader::operator=(case_reader&&) noexcept = default;
case_reader::~case_reader() = default;

result<void> case_reader::refresh() {
    auto now = p_->files();
    if (now == p_->seen && !now.empty()) return {};
    case_book fresh;
    auto read = util::event_log::read_history(p_->dir, [&](json const& e) { fresh.apply(e); });
    if (!read) return read;  // what was read before stays
    p_->book = std::move(fresh);
    p_->seen = std::move(now);
    return {};
}

std::vector<routed_case> const& case_reader::cases() const noexcept {
    return p_->book.cases;
}
routed_case const* case_reader::find(std::string_view id) const noexcept {
    return p_->book.find(id);
}
std::optional<case_status> case_reader::status(std::string_view response_key) const {
    return p_->book.status(response_key);
}

}  // namespace candor::routing
