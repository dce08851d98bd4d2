#include "candor/journal/erasure.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "candor/response/json.hpp"
#include "candor/seal/receipt.hpp"
#include "candor/seal/split.hpp"
#include "candor/time.hpp"
#include "personal.hpp"

namespace candor::journal {

using json = nlohmann::json;

namespace {

result<void> check_by(std::string_view by) {
    bool ok = !by.empty() && by.size() <= max_by_bytes;
    for (unsigned char c : by)
        if (c < ' ' || c == 0x7f) ok = false;
    if (!ok)
        return fail("bad-by", "--by names who asks for the erasure: 1 to " +
                                  std::to_string(max_by_bytes) +
                                  " bytes without control characters");
    return {};
}

}  // namespace

result<erasure_report> erase_guest(store& s, guest const& g, std::string_view by,
                                   seal::hq_secret const& hq, std::int64_t now) {
    if (g.receipt.empty() == g.email.empty())
        return fail("bad-guest", "name the guest by a receipt code or an e-mail address");
    if (auto ok = check_by(by); !ok) return unexpected(std::move(ok).error());
    if (!s.keys())
        return fail("erase-unsupported",
                    "this store keeps key boxes inside its records (PostgreSQL): erasure by "
                    "shredding needs the file store for now");
    auto& keys = *s.keys();
    erasure_report out;
    std::vector<card_id> cards;
    std::string asked;
    if (!g.email.empty()) {
        auto h = guest_hash(seal::guest_index_key(hq), g.email);
        if (!h) return unexpected(std::move(h).error());
        cards = keys.guest_cards(*h);
        asked = "email";
    } else {
        auto code = g.receipt.size() > 16 ? std::nullopt : seal::normalize_receipt(g.receipt);
        if (!code)
            return fail("bad-receipt", "not a receipt code (six letters and digits, e.g. 7KQ-4M2)");
        cards = keys.receipt_cards(*code);
        asked = "receipt";
        for (auto const& e : keys.erased_receipt(*code))
            out.found.push_back({severity::note,
                                 "already-erased",
                                 "erased on " + format_timestamp(e.erased) + " by " + e.by,
                                 {.device = e.card.device, .seq = e.card.seq}});
        // Only when the key store knows no card of the code: a pass over the records.
        if (cards.empty() && out.found.empty())
            for (auto const& r : s.find_receipt(*code))
                if (r.format == 1)
                    out.found.push_back(
                        {severity::note,
                         "format-1",
                         "a format 1 card: its personal answers are sealed under its signature "
                         "and cannot be erased without deleting the record",
                         {.device = r.device, .seq = r.seq}});
    }
    out.erased = keys.erase(cards, asked, by, now);
    if (out.erased.empty() && out.found.empty())
        out.found.push_back(
            {severity::note, "not-found", "head office holds no card of this guest to erase"});
    return out;
}

result<subject_report> subject_access(store const& s, std::string_view email,
                                      seal::hq_secret const& hq) {
    auto h = guest_hash(seal::guest_index_key(hq), email);
    if (!h) return unexpected(std::move(h).error());
    if (!s.keys())
        return fail("erase-unsupported",
                    "this store keeps key boxes inside its records (PostgreSQL): no guest index");
    auto ids = s.keys()->guest_cards(*h);
    std::set<card_id> wanted(ids.begin(), ids.end());
    subject_report out;
    out.email = detail::normalize_email(email);
    if (wanted.empty()) return out;
    s.for_each([&](record const& r) {
        if (!wanted.count({r.device, r.seq})) return;
        auto opened = open_parts(r, hq);
        if (!opened) {
            out.found.insert(out.found.end(), opened.error().begin(), opened.error().end());
            return;
        }
        out.cards.push_back({r, receipt(r), std::move(*opened)});
    });
    return out;
}

std::string to_json(subject_report const& r) {
    json cards = json::array();
    for (auto const& c : r.cards) {
        json questions = json::object();
        for (auto const& [id, kind] : c.opened.personal_questions) questions[id] = kind;
        cards.push_back({{"device", c.header.device},
                         {"seq", c.header.seq},
                         {"receipt", c.receipt},
                         {"survey", c.header.survey},
                         {"version", c.header.survey_version},
                         {"site", c.header.site},
                         {"submitted", format_timestamp(c.header.time)},
                         {"personal", to_string(c.opened.personal)},
                         {"personal_questions", std::move(questions)},
                         {"response", json::parse(response::to_json(c.opened.response))}});
    }
    return json{{"email", r.email}, {"cards", std::move(cards)}}.dump();
}

}  // namespace candor::journal
