#include "candor/routing/pass.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string_view>

#include "candor/journal/opening.hpp"
#include "candor/journal/record.hpp"
#include "candor/routing/notification.hpp"

namespace candor::routing {

namespace {

constexpr std::size_t max_problems = 20;
// Responses routed per durable write of the outbox and of the case log.
constexpr std::size_t chunk = 256;

void note(pass_report& report, error problem) {
    if (report.problems.size() < max_problems) report.problems.push_back(std::move(problem));
}

std::string key_of(journal::record const& r) {
    return r.device + ":" + std::to_string(r.seq);
}

// Appends the deliveries of `n` to `out`; a refusal (the bypass, checked again) is noted.
void add(std::vector<delivery>& out, router const& router, response::response const& r,
         notice const& n, timestamp now, pass_report& report) {
    auto ds = deliveries_for(router, r, n, now);
    if (!ds) {
        ++report.bypassed;
        note(report, std::move(ds.error().front()));
        return;
    }
    for (auto& d : *ds) out.push_back(std::move(d));
}

// The deliveries telling the people of escalation `e` of case `c`: each now a holder.
void add_escalated(std::vector<delivery>& out, router const& router, response::response const& r,
                   routed_case const& c, escalation const& e, timestamp now,
                   ack_link_fn const& ack_link, pass_report& report) {
    for (auto const& x : e.to) {
        notice n{notice_kind::escalated, c.response, c.id, x, e.deadline, e.to.front().person};
        if (ack_link) n.ack_link = ack_link(c.id, router.org().people[x.person].id);
        add(out, router, r, n, now, report);
    }
}

struct chunk_of_responses {
    std::vector<std::string> keys;
    std::vector<response::response> responses;
    std::vector<decision> decisions;
    std::vector<std::string> receipts;

    // Routes the responses gathered; every record up to store position `through` has been
    // read, and the watermark moves there with the cases.
    void flush(router const& router, case_log& cases, outbox& out, timestamp now,
               std::uint64_t through, guest_options const& guests, ack_link_fn const& ack_link,
               pass_report& report) {
        if (keys.empty() && through <= cases.routed_through()) return;
        std::vector<delivery> deliveries;
        std::vector<routed_response> routed;
        for (std::size_t i = 0; i < keys.size(); ++i) {
            auto const& d = decisions[i];
            // One case per card: the first recipient owns it, the others are in copy.
            recipient const* owner = nullptr;
            for (auto const& x : d.recipients) {
                notice n{x.digest ? notice_kind::digest : notice_kind::opened, keys[i], "", x, 0};
                if (!x.digest) {
                    if (!owner) {
                        owner = &x;
                        n.deadline = first_deadline(router, x, responses[i].field("site"), now);
                        if (ack_link)
                            n.ack_link = ack_link(keys[i], router.org().people[x.person].id);
                        ++report.cases_opened;
                    }
                    n.case_id = keys[i];
                    n.owner = owner->person;
                } else {
                    ++report.digest_items;
                }
                add(deliveries, router, responses[i], n, now, report);
            }
            if (guests.acknowledge) {
                auto const link = guests.status_url ? guests.status_url(keys[i], receipts[i]) : "";
                if (auto a =
                        acknowledgement_for(router, responses[i], keys[i], receipts[i], link)) {
                    deliveries.push_back(std::move(*a));
                    ++report.acknowledged;
                }
            }
            routed.push_back({keys[i], responses[i], d});
        }
        // Queued first: if the pass dies before the cases are written, the next pass routes
        // these responses again and the outbox recognises their deliveries by key.
        report.queued += out.queue(deliveries, now);
        cases.open_cases(routed, router, now, through);
        keys.clear();
        responses.clear();
        decisions.clear();
        receipts.clear();
    }
};

}  // namespace

result<escalation> pass_up(case_log& cases, outbox& out, router const& router,
                           response::response const& r, std::string const& id,
                           std::string const& who, timestamp now, ack_link_fn const& ack_link) {
    auto e = cases.passing_up(id, who, router, now);
    if (!e) return e;
    auto const& c = *cases.find(id);
    std::vector<delivery> deliveries;
    pass_report ignored;
    add_escalated(deliveries, router, r, c, *e, now, ack_link, ignored);
    out.queue(deliveries, now);
    cases.escalate(std::span(&*e, 1), router, now);
    return e;
}

store_layout layout_of(std::filesystem::path const& store) {
    return {store, store / "cases", store / "outbox", store / "mail", store / "mail.key"};
}

pass_report route_pass(journal::store const& store, seal::hq_secret const& hq, router const& router,
                       case_log& cases, outbox& out, sinks const& to, timestamp now,
                       progress_fn const& progress, guest_options const& guests,
                       ack_link_fn const& ack_link) {
    pass_report report;
    auto const from = cases.routed_through();
    report.already = from;
    std::uint64_t read = 0;
    auto const total = store.size() - std::min(store.size(), from);
    auto const due = cases.due(router, now);

    chunk_of_responses pending;
    std::uint64_t through = from;
    store.for_each_after(from, [&](std::uint64_t position, journal::record const& rec) {
        through = position;
        if (progress && ++read % progress_every == 0) progress({"route", read, total});
        auto key = key_of(rec);
        // Routed after the watermark by a pass that died before it moved it.
        if (cases.routed(key)) {
            ++report.already;
            return;
        }
        auto r = journal::open_card(rec, hq);
        if (!r) {
            ++report.unreadable;
            note(report, std::move(r.error().front()));
            return;
        }
        if (r->survey != router.survey().id) {
            ++report.other_survey;
            return;
        }
        auto& d = pending.decisions.emplace_back();
        router.decide(*r, d);
        ++report.routed;
        report.fallback += d.fallback;
        report.unknown_site += d.unknown_site;
        report.bypassed += d.bypassed;
        if (d.unknown_site)
            note(report, {severity::warning,
                          "unknown-site",
                          "site '" + std::string(r->field("site")) + "' is not in the org",
                          {.device = rec.device, .seq = rec.seq}});
        pending.receipts.push_back(journal::receipt(rec));
        pending.keys.push_back(std::move(key));
        pending.responses.push_back(std::move(*r));
        if (pending.keys.size() == chunk)
            pending.flush(router, cases, out, now, position, guests, ack_link, report);
    });
    pending.flush(router, cases, out, now, through, guests, ack_link, report);
    if (progress) progress({"route", total, total});

    std::vector<delivery> deliveries;
    for (auto const& e : due) {
        if (e.to.empty()) {
            ++report.at_top;
            continue;
        }
        ++report.escalated;
        auto const& c = *cases.find(e.case_id);
        // The card, found by its key (DEVICE:SEQ) without reading the store through.
        std::optional<response::response> card;
        if (auto colon = c.response.rfind(':'); colon != std::string::npos) {
            std::uint64_t seq = 0;
            auto const digits = std::string_view(c.response).substr(colon + 1);
            if (std::from_chars(digits.data(), digits.data() + digits.size(), seq).ptr ==
                    digits.data() + digits.size() &&
                !digits.empty())
                if (auto rec = store.find(std::string_view(c.response).substr(0, colon), seq))
                    if (auto opened = journal::open_card(*rec, hq)) card = std::move(*opened);
        }
        response::response fallback;
        if (!card) {
            // The response left the store or no longer opens: escalate what the case knows.
            note(report, {severity::warning, "escalated-without-response",
                          c.response + ": escalating case " + c.id + " without the response"});
            fallback.fields = {{"site", c.site}};
            if (!router.org().duty_field.empty())
                fallback.fields.emplace_back(router.org().duty_field, c.duty);
        }
        add_escalated(deliveries, router, card ? *card : fallback, c, e, now, ack_link, report);
    }
    report.queued += out.queue(deliveries, now);
    cases.escalate(due, router, now);

    report.sent = out.send_due(to, now);
    // Everything above is durable: the checkpoints restate it, and replace what led to it.
    if (cases.checkpoint_due()) cases.checkpoint();
    if (out.checkpoint_due(now)) out.checkpoint(now);
    return report;
}

}  // namespace candor::routing
