#include "candor/routing/notification.hpp"

#include <nlohmann/json.hpp>

#include <map>

#include "candor/time.hpp"

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

}  // namespace

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

    std::string subject = std::string(n.kind == notice_kind::escalated ? "Escalated: " : "") +
                          "Guest feedback, " + (site ? site->name : site_id) + " (" +
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

}  // namespace candor::routing
