// The hotel-stay cards of the response benchmarks (checking, JSON lines, export), from a
// fixed seed: mostly valid, some broken in a way a real kiosk or email form breaks them.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include "candor/response/response.hpp"

namespace candor::bench {

using response::answer;
using response::choice_codes;

inline constexpr std::uint64_t hotel_seed = 20261102;

// Own arithmetic over mt19937_64: its output is fixed by the standard, the
// distributions are not, and the peer must see the same responses everywhere.
class dice {
  public:
    std::uint64_t below(std::uint64_t n) { return rng_() % n; }
    std::int64_t between(std::int64_t lo, std::int64_t hi) {
        return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo + 1)));
    }
    bool chance(unsigned percent) { return below(100) < percent; }
    template <class T, std::size_t N>
    T const& pick(T const (&items)[N]) {
        return items[below(N)];
    }

  private:
    std::mt19937_64 rng_{hotel_seed};
};

inline char const* const sites[] = {"paris-01", "lyon-02", "nice-03", "lille-04", "bordeaux-05"};
inline char const* const shifts[] = {"morning", "afternoon", "night"};
inline char const* const complaints[] = {
    "The room was not ready when we arrived.",
    "Noise from the street all night, and the window would not close.",
    "Breakfast ran out of almost everything by nine.",
    "Check-in took forty minutes; only one person at the desk.",
    "La climatisation ne marchait pas et personne n'est venu.",
    "Dirty towels, hair in the shower, and the minibar was not restocked.",
};
inline char const* const praise[] = {
    "Friendly staff!",
    "The view from the seventh floor, and Karim at the bar who knew every wine.",
    "Quiet, clean, and the bed was excellent.",
    "Le petit-déjeuner était délicieux.",
    "They upgraded us for our anniversary without being asked. Thank you.",
};
inline char const* const other_reasons[] = {"Wedding", "Conference nearby", "Family visit",
                                            "Concert"};
inline char const* const amenity_codes[] = {"spa", "pool", "bar", "gym"};

// Recommend skews high, as it does at hotels: many 8-10, a tail of detractors.
inline std::int64_t nps_score(dice& d) {
    static constexpr std::int64_t scores[] = {0, 2, 3, 4, 5, 6, 6,  7,  7,  8,
                                              8, 8, 9, 9, 9, 9, 10, 10, 10, 10};
    return d.pick(scores);
}

inline response::response valid_card(dice& d, std::size_t i) {
    response::response r;
    r.survey = "hotel-stay";
    r.version = 3;
    r.language = d.chance(70) ? "en" : "fr";
    bool const kiosk = d.chance(60);
    r.fields = {{"site", d.pick(sites)},
                {"device", kiosk ? "kiosk-" + std::to_string(d.between(1, 6)) : "email"},
                {"channel", kiosk ? "kiosk" : "email"},
                {"shift", d.pick(shifts)}};
    r.submitted = 1'793'000'000 + static_cast<std::int64_t>(i) * 97;
    r.started = r.submitted - d.between(40, 900);

    auto& a = r.answers;
    std::int64_t const recommend = nps_score(d);
    std::int64_t const satisfaction =
        std::clamp<std::int64_t>(recommend / 2 + d.between(-1, 1), 1, 5);
    a.emplace_back("recommend", recommend);
    a.emplace_back("satisfaction", satisfaction);
    if (d.chance(80)) a.emplace_back("checkin_effort", d.between(1, 7));
    for (char const* q : {"cleanliness", "staff", "breakfast"})
        if (d.chance(85))
            a.emplace_back(q, std::clamp<std::int64_t>(satisfaction + d.between(-1, 1), 1, 5));
    if (d.chance(90)) {
        auto const roll = d.below(10);
        std::string reason = roll < 4 ? "business" : roll < 9 ? "leisure" : "other";
        a.emplace_back("reason", reason);
        // SurveyJS refuses `other` without its text, so the cards always give it.
        if (reason == "other") a.emplace_back("reason.other", std::string(d.pick(other_reasons)));
    }
    if (d.chance(60)) {
        choice_codes used;
        for (char const* code : amenity_codes)
            if (used.size() < 3 && d.chance(40)) used.emplace_back(code);
        if (used.empty()) used.emplace_back(d.pick(amenity_codes));
        a.emplace_back("amenities", std::move(used));
    }
    if ((recommend <= 6 || satisfaction <= 2) && d.chance(60))
        a.emplace_back("what_went_wrong", std::string(d.pick(complaints)));
    if (recommend >= 9 && d.chance(50)) a.emplace_back("best_part", std::string(d.pick(praise)));
    if (d.chance(70)) {
        bool const contact = d.chance(30);
        a.emplace_back("contact_me", contact);
        if (contact) {
            bool const phone = d.chance(50);
            if (phone)
                a.emplace_back("phone", std::string("+33 6 12 34 ") +
                                            std::to_string(d.between(10, 99)) + " 00");
            if (!phone || d.chance(50))
                a.emplace_back("email", "guest" + std::to_string(i) + "@example.com");
        }
    }
    return r;
}

inline void erase_answer(response::response& r, std::string_view q) {
    std::erase_if(r.answers, [&](auto const& p) { return p.first == q; });
}
inline void set_answer(response::response& r, std::string const& q, answer a) {
    erase_answer(r, q);
    r.answers.emplace_back(q, std::move(a));
}

// Faults both engines catch, so the rejected counts can be compared; checks that only
// Candor makes (answers to hidden questions, device fields) are left out on purpose.
inline void break_card(dice& d, response::response& r) {
    switch (d.below(7)) {
        case 0:
            set_answer(r, "recommend", std::int64_t{11});
            break;
        case 1:
            erase_answer(r, "satisfaction");
            break;
        case 2:
            set_answer(r, "amenities", choice_codes{"spa", "pool", "bar", "gym"});
            break;
        case 3:  // a pasted essay, on the comment box these answers show
            set_answer(r, "recommend", std::int64_t{3});
            erase_answer(r, "best_part");
            set_answer(r, "what_went_wrong", std::string(2100, 'x'));
            break;
        case 4:
            set_answer(r, "contact_me", true);
            erase_answer(r, "phone");
            set_answer(r, "email", std::string("guest-at-example.com"));
            break;
        case 5:  // contact wanted but no way given: email is required without a phone
            set_answer(r, "contact_me", true);
            erase_answer(r, "phone");
            erase_answer(r, "email");
            break;
        case 6:
            set_answer(r, "contact_me", true);
            set_answer(r, "phone", std::string("12 34"));
            break;
    }
}

// Card `i` of a run: valid, and broken one time in twelve or so (8%).
inline response::response hotel_card(dice& d, std::size_t i) {
    auto r = valid_card(d, i);
    if (d.chance(8)) break_card(d, r);
    return r;
}

}  // namespace candor::bench
