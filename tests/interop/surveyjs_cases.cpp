// Answer sets for SurveyJS's own engine to judge (surveyjs_check.cjs): for each survey of
// the corpus imported from SurveyJS, and each sample survey exported to SurveyJS, random
// answers given question by question to the questions Candor shows, with what Candor says
// of each question (response::is_shown, and whether it is required then).
// usage: interop_surveyjs_cases OUT.json
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>

#include <nlohmann/json.hpp>

#include "candor/interop/surveyjs.hpp"
#include "candor/response/evaluate.hpp"
#include "candor/response/validate.hpp"
#include "candor/survey/parse.hpp"

using namespace candor;
using nlohmann::json;

namespace {

constexpr int answer_sets_per_survey = 400;
constexpr double answer_rate = 0.8;  // of shown questions, how many are answered

struct generator {
    std::mt19937 rng{20260329};

    bool chance(double p) { return std::bernoulli_distribution(p)(rng); }
    template <class T>
    T const& pick(std::vector<T> const& pool) {
        return pool[std::uniform_int_distribution<std::size_t>(0, pool.size() - 1)(rng)];
    }
    long long between(double lo, double hi) {
        return std::uniform_int_distribution<long long>(static_cast<long long>(lo),
                                                        static_cast<long long>(hi))(rng);
    }

    // An answer Candor accepts for `q`, with the free text of `other` when chosen.
    std::pair<response::answer, std::string> answer(survey::question const& q) {
        using k = survey::question_kind;
        std::vector<std::string> codes;
        for (auto const& o : q.options) codes.push_back(o.code);
        if (q.other) codes.push_back("other");
        switch (q.kind) {
            case k::yesno:
                return {chance(0.5), ""};
            case k::choice_one: {
                std::string c = pick(codes);
                return {c, c == "other" ? "a reason of my own" : ""};
            }
            case k::choice_many: {
                response::choice_codes chosen;
                for (auto const& c : codes)
                    if (chance(0.4) && (!q.max_selections || chosen.size() < q.max_selections))
                        chosen.push_back(c);
                while (chosen.size() < std::max<std::size_t>(q.min_selections, 1)) {
                    std::string c = pick(codes);
                    if (std::find(chosen.begin(), chosen.end(), c) == chosen.end())
                        chosen.push_back(c);
                }
                bool other = std::find(chosen.begin(), chosen.end(), "other") != chosen.end();
                return {chosen, other ? "something else" : ""};
            }
            case k::text:
                return {pick(std::vector<std::string>{"fine", "The soup was COLD", "a rude waiter",
                                                      "cold", "nothing to add", "Rude!",
                                                      "The QUEUE was long", "queue"}),
                        ""};
            case k::email:
                return {std::string("guest@example.org"), ""};
            case k::phone:
                return {std::string("+33 1 23 45 67 89"), ""};
            case k::date:
                return {std::string("2026-03-29"), ""};
            case k::number:
                return {static_cast<std::int64_t>(
                            between(q.has_range ? q.min : 0, q.has_range ? q.max : 20)),
                        ""};
            default:
                return {static_cast<std::int64_t>(between(q.min, q.max)), ""};
        }
    }
};

// The answer as SurveyJS holds it: a choice's code back to its value in the source.
json surveyjs_value(response::answer const& a, interop::source_question const* src) {
    auto value_of = [&](std::string const& code) -> json {
        if (src)
            for (auto const& o : src->options)
                if (o.code == code) return json::parse(o.value);
        return code;
    };
    return std::visit(
        [&](auto const& v) -> json {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, response::choice_codes>) {
                json out = json::array();
                for (auto const& c : v) out.push_back(value_of(c));
                return out;
            } else if constexpr (std::is_same_v<T, std::string>) {
                return src && !src->options.empty() ? value_of(v) : json(v);
            } else {
                return v;
            }
        },
        a);
}

// Whether question i is required for these answers (shown, and required or require if).
bool required(survey::survey const& s, response::response const& r, std::size_t i) {
    auto const& q = s.questions[i];
    if (q.required) return true;
    if (!q.require_if) return false;
    std::vector<response::answer const*> answers(s.questions.size());
    response::index_answers(s, r, answers);
    for (std::size_t j = 0; j < i; ++j)
        if (!response::is_shown(s, r, j)) answers[j] = nullptr;
    return response::evaluate(*q.require_if, response::answer_table{s, r, answers});
}

json cases(survey::survey const& s, std::vector<interop::source_question> const& sources,
           generator& g) {
    // Device values: texts compared exactly (==) are in one case only, as SurveyJS compares
    // them ignoring case (docs/interop.md); `contains` ignores case in both.
    std::map<std::string, std::vector<std::string>> field_pools{
        {"site", {"berlin-01", "Berlin-Mitte", "paris-01"}},
        {"device", {"kiosk-1", "kiosk-2", "kiosk-3"}},
        {"channel", {"kiosk", "web"}},
        {"shift", {"day", "night"}}};
    json out = json::array();
    for (int n = 0; n < answer_sets_per_survey; ++n) {
        response::response r;
        r.survey = s.id;
        r.version = s.version;
        json variables = json::object();
        for (std::size_t f = 0; f < s.fields.size(); ++f) {
            auto pool = field_pools.find(s.fields[f]);
            r.fields.emplace_back(s.fields[f],
                                  pool == field_pools.end() ? "x" : g.pick(pool->second));
            variables[s.fields[f]] = r.fields.back().second;
        }
        json data = json::object();
        for (std::size_t i = 0; i < s.questions.size(); ++i) {
            auto const& q = s.questions[i];
            if (!response::is_shown(s, r, i) || (!required(s, r, i) && !g.chance(answer_rate)))
                continue;
            auto [a, other] = g.answer(q);
            interop::source_question const* src = sources.empty() ? nullptr : &sources[i];
            std::string const name = src ? src->name : q.id;
            data[name] = surveyjs_value(a, src);
            r.answers.emplace_back(q.id, std::move(a));
            if (!other.empty()) {
                r.answers.emplace_back(q.id + ".other", other);
                data[name + "-Comment"] = other;
            }
        }
        if (auto problems = response::validate(s, r); !problems.empty())
            throw std::runtime_error("generated a response Candor refuses: " + render(problems));
        json shown = json::array(), req = json::array();
        for (std::size_t i = 0; i < s.questions.size(); ++i) {
            shown.push_back(response::is_shown(s, r, i));
            req.push_back(shown.back().get<bool>() && required(s, r, i));
        }
        out.push_back(
            {{"data", data}, {"variables", variables}, {"shown", shown}, {"required", req}});
    }
    return out;
}

json names(survey::survey const& s, std::vector<interop::source_question> const& sources) {
    json out = json::array();
    for (std::size_t i = 0; i < s.questions.size(); ++i)
        out.push_back(sources.empty() ? s.questions[i].id : sources[i].name);
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: interop_surveyjs_cases OUT.json\n";
        return 2;
    }
    generator g;
    json out = json::array();
    namespace fs = std::filesystem;
    std::vector<fs::path> files;
    // Imported: SurveyJS's JSON is the original, Candor's survey the copy.
    for (auto const& e : fs::directory_iterator(CANDOR_SOURCE_DIR "/tests/interop/surveyjs"))
        if (e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (auto const& f : files) {
        std::ifstream in(f, std::ios::binary);
        std::string text((std::istreambuf_iterator<char>(in)), {});
        auto imported = interop::import_surveyjs(text, {}, f.string());
        if (!imported) {
            std::cerr << render(imported.error());
            return 1;
        }
        out.push_back({{"survey", "import " + f.filename().string()},
                       {"surveyjs", json::parse(text)},
                       {"names", names(imported->survey, imported->questions)},
                       {"cases", cases(imported->survey, imported->questions, g)}});
    }
    // Exported: Candor's survey is the original, SurveyJS's JSON the copy.
    files.clear();
    for (auto const& e : fs::directory_iterator(CANDOR_SOURCE_DIR "/examples/surveys"))
        if (e.path().extension() == ".survey") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (auto const& f : files) {
        auto s = survey::parse_file(f.string());
        if (!s) {
            std::cerr << render(s.error());
            return 1;
        }
        out.push_back({{"survey", "export " + f.filename().string()},
                       {"surveyjs", json::parse(interop::export_surveyjs(*s))},
                       {"names", names(*s, {})},
                       {"cases", cases(*s, {}, g)}});
    }
    std::ofstream(argv[1]) << out.dump();
    std::cout << "wrote " << out.size() << " surveys x " << answer_sets_per_survey
              << " answer sets to " << argv[1] << '\n';
    return 0;
}
