// Routing: 100 rules against the hotel card, deciding recipients without sending.
#include <benchmark/benchmark.h>

#include <fstream>
#include <random>

#include "candor/response/json.hpp"
#include "candor/routing/router.hpp"
#include "candor/survey/parse.hpp"

using namespace candor;

namespace {

std::string const dir = CANDOR_SOURCE_DIR "/examples";

struct fixture {
    survey::survey survey = survey::parse_file(dir + "/surveys/hotel-stay.survey").value();
    routing::organisation org = routing::parse_org_file(dir + "/org/hotel-chain.org").value();
    routing::rule_set rules;
    std::vector<response::response> responses;

    fixture() {
        // 100 rules of the shapes head offices write: thresholds, any(), contact requests,
        // choices, and a few text searches.
        char const* roles[] = {"site_manager", "duty_manager", "regional_director", "customer_care",
                               "brand_director"};
        char const* words[] = {"rude", "dirty", "noise", "cold", "wait"};
        std::string text;
        for (int i = 0; i < 100; ++i) {
            int n = i % 11;
            std::string cond;
            switch (i % 10) {
                case 0: case 1: cond = "recommend <= " + std::to_string(n); break;
                case 2: cond = "satisfaction <= " + std::to_string(1 + n % 5) + " or cleanliness <= " + std::to_string(1 + i % 3); break;
                case 3: cond = "any(cleanliness, staff, breakfast) <= " + std::to_string(1 + n % 5); break;
                case 4: cond = "contact_me == yes and recommend <= " + std::to_string(n); break;
                case 5: cond = "reason == \"business\" and satisfaction <= " + std::to_string(1 + n % 5); break;
                case 6: cond = "amenities contains \"spa\" and breakfast < " + std::to_string(2 + n % 4); break;
                case 7: cond = "checkin_effort >= " + std::to_string(1 + n % 7) + " and not (recommend >= 9)"; break;
                case 8: cond = "all(staff, cleanliness) >= " + std::to_string(1 + n % 5) + " and recommend >= " + std::to_string(n); break;
                default: cond = "what_went_wrong contains \"" + std::string(words[i / 10 % 5]) + "\""; break;
            }
            text += "when " + cond + " notify " + roles[i % 5] + " within 4h\n";
        }
        rules = routing::load_rules(text, "bench.rules", org, survey).value();
        std::ifstream in(dir + "/surveys/hotel-stay.responses.jsonl");
        for (auto& line : response::read_json_lines(in, "responses"))
            if (line.value) responses.push_back(std::move(*line.value));
        // More of them, with varied scores and sites, so branches are not all predicted.
        std::mt19937 rng(1);
        char const* sites[] = {"paris-01", "lyon-02", "nice-03", "lille-04", "annecy-06", "cannes-09"};
        std::size_t const base = responses.size();
        for (int i = 0; i < 1000; ++i) {
            auto r = responses[static_cast<std::size_t>(i) % base];
            r.fields[0].second = sites[rng() % 6];
            for (auto& [id, a] : r.answers)
                if (auto* v = std::get_if<std::int64_t>(&a)) *v = id == "recommend" ? rng() % 11 : 1 + rng() % 5;
            responses.push_back(std::move(r));
        }
    }
};

fixture const& data() {
    static fixture const f;
    return f;
}

void decide_100_rules(benchmark::State& state) {
    auto const& f = data();
    routing::router router(f.org, f.survey, f.rules);
    routing::decision d;
    std::size_t i = 0, recipients = 0;
    for (auto _ : state) {
        router.decide(f.responses[i], d);
        recipients += d.recipients.size();
        if (++i == f.responses.size()) i = 0;
    }
    state.SetItemsProcessed(state.iterations());
    state.counters["recipients_per_response"] =
        static_cast<double>(recipients) / static_cast<double>(state.iterations());
}
BENCHMARK(decide_100_rules);

}  // namespace

BENCHMARK_MAIN();
