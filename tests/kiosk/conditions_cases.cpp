// Writes answer sets for the sample surveys with what the engine says of each question
// (shown? required?), for conditions_check.cjs to compare with the page's evaluator.
// usage: kiosk_conditions_cases OUT.json
#include <fstream>
#include <iostream>
#include <random>

#include <nlohmann/json.hpp>

#include "candor/kiosk/page_model.hpp"
#include "candor/response/json.hpp"
#include "candor/response/validate.hpp"
#include "candor/survey/parse.hpp"

using namespace candor;
using nlohmann::json;

namespace {

constexpr int cases_per_survey = 600;

// A valid answer of the question's type (the page's controls give no other), or null.
json random_answer(survey::question const& q, std::mt19937& rng) {
    auto pick = [&](auto const& pool) {
        return pool[std::uniform_int_distribution<std::size_t>(0, pool.size() - 1)(rng)];
    };
    auto chance = [&](double p) { return std::bernoulli_distribution(p)(rng); };
    if (chance(0.25)) return nullptr;
    using k = survey::question_kind;
    switch (q.kind) {
        case k::yesno:
            return chance(0.5);
        case k::choice_one: {
            std::vector<std::string> codes;
            for (auto const& o : q.options) codes.push_back(o.code);
            if (q.other) codes.push_back("other");
            return pick(codes);
        }
        case k::choice_many: {
            json chosen = json::array();
            for (auto const& o : q.options)
                if (chance(0.4) && (!q.max_selections || chosen.size() < q.max_selections))
                    chosen.push_back(o.code);
            if (q.min_selections && !chosen.empty() && chosen.size() < q.min_selections)
                return nullptr;
            return chosen;
        }
        case k::text:
            return pick(std::vector<std::string>{"", "fine", "The QUEUE was long", "queue",
                                                 "Queue?", "café"});
        case k::email:
            return pick(
                std::vector<std::string>{"ana@example.org", "bo@example.com", "x@Example.ORG"});
        case k::phone:
            return "+33 1 23 45 67 89";
        case k::date:
            return "2026-11-02";
        case k::number: {
            double lo = q.has_range ? q.min : -5, hi = q.has_range ? q.max : 120;
            if (q.integer)
                return std::uniform_int_distribution<long long>(static_cast<long long>(lo),
                                                                static_cast<long long>(hi))(rng);
            return std::round(std::uniform_real_distribution<double>(lo, hi)(rng) * 4) / 4;
        }
        default:
            return std::uniform_int_distribution<long long>(static_cast<long long>(q.min),
                                                            static_cast<long long>(q.max))(rng);
    }
}

bool required_by_engine(survey::survey const& s, response::response r, std::size_t i) {
    auto const& id = s.questions[i].id;
    std::erase_if(r.answers, [&](auto const& a) { return a.first == id; });
    for (auto const& p : response::validate(s, r))
        if (p.where.field == id && p.code == "required-missing") return true;
    return false;
}

json cases_for(std::string const& file, std::mt19937& rng) {
    auto s = survey::parse_file(file);
    if (!s) throw std::runtime_error(render(s.error()));
    std::vector<std::vector<std::string>> field_pools{{"berlin-01", "Berlin-Mitte", "paris-01"},
                                                      {"kiosk-1", "kiosk-3"},
                                                      {"kiosk", "web"},
                                                      {"day", "night"}};
    json cases = json::array();
    for (int n = 0; n < cases_per_survey; ++n) {
        // Device fields as the model gives them to the page: by index.
        json fields = json::object();
        json field_values = json::array();
        for (std::size_t f = 0; f < s->fields.size(); ++f) {
            auto const& pool = field_pools[f % field_pools.size()];
            field_values.push_back(pool[rng() % pool.size()]);
            fields[s->fields[f]] = field_values.back();
        }
        // The page sends only the answers of shown questions: so do these, in order.
        json answers = json::array();
        json object = json::object();
        for (auto const& q : s->questions) {
            answers.push_back(random_answer(q, rng));
            if (!answers.back().is_null()) object[q.id] = answers.back();
        }
        json whole{{"survey", s->id},
                   {"version", s->version},
                   {"fields", fields},
                   {"submitted", "2026-11-02T10:00:00Z"},
                   {"answers", object}};
        auto r = response::from_json(whole.dump());
        if (!r) throw std::runtime_error(render(r.error()));
        json shown = json::array(), required = json::array();
        for (std::size_t i = 0; i < s->questions.size(); ++i) {
            shown.push_back(response::is_shown(*s, *r, i));
            required.push_back(shown.back().get<bool>() && required_by_engine(*s, *r, i));
        }
        cases.push_back({{"fields", field_values},
                         {"answers", answers},
                         {"shown", shown},
                         {"required", required}});
    }
    return {{"survey", s->id}, {"model", json::parse(kiosk::page_model(*s, {}))}, {"cases", cases}};
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: kiosk_conditions_cases OUT.json\n";
        return 2;
    }
    std::mt19937 rng(20261102);
    json out = json::array();
    for (auto name : {"hotel-stay", "language-tour", "restaurant-table", "support-followup"})
        out.push_back(
            cases_for(CANDOR_SOURCE_DIR "/examples/surveys/" + std::string(name) + ".survey", rng));
    std::ofstream(argv[1]) << out.dump();
    std::cout << "wrote " << out.size() * cases_per_survey << " answer sets to " << argv[1] << '\n';
    return 0;
}
