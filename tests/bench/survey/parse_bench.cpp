// survey::parse (which also checks names, types and conditions) of a generated
// 5,000-question survey, and response::check of a full response against it.
// Every kind appears, a third of the questions have a condition over earlier answers,
// and every text is in three languages: the worst a real tenant's file would be.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "candor/response/validate.hpp"
#include "candor/survey/parse.hpp"

namespace {

constexpr std::size_t question_count = 5'000;

class dice {
public:
    std::uint64_t below(std::uint64_t n) { return rng_() % n; }
    bool chance(unsigned percent) { return below(100) < percent; }

private:
    std::mt19937_64 rng_{5000};
};

enum class shape { scale, choice_one, choice_many, yesno, text, number };
struct earlier {
    std::string id;
    shape kind;
};

std::string translations(std::string const& what, std::size_t i) {
    auto n = std::to_string(i);
    return "{\n    en \"" + what + " (" + n + ")?\"\n    fr \"Question " + n +
           " : qu'avez-vous pensé de « " + what + " » ?\"\n    de \"Frage " + n + ": " + what +
           "?\"\n  }";
}

// A condition on one earlier question, typed to what that question answers.
std::string clause(dice& d, earlier const& q) {
    switch (q.kind) {
        case shape::scale:
            switch (d.below(3)) {
                case 0: return q.id + " >= 4";
                case 1: return q.id + " in (1, 2, 3)";
                default: return "(" + q.id + " + 1) * 2 > 6";
            }
        case shape::choice_one: return d.chance(50) ? q.id + " == b" : q.id + " in (a, c)";
        case shape::choice_many: return d.chance(50) ? q.id + " contains a" : "count(" + q.id + ") >= 2";
        case shape::yesno: return d.chance(50) ? q.id + " == yes" : "not answered(" + q.id + ")";
        case shape::text: return q.id + " contains \"late\"";
        case shape::number: return q.id + " / 2 < 25.5";
    }
    return "yes";
}

std::string generate_survey(std::size_t n) {
    dice d;
    std::string out =
        "# Generated for the parse benchmark.\n"
        "survey \"generated\" version 1 {\n"
        "  languages en fr de\n"
        "  title { en \"Everything\" fr \"Tout\" de \"Alles\" }\n"
        "  fields site, device, channel\n";
    std::vector<earlier> seen;
    seen.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (i % 25 == 0)
            out += "\n  page p" + std::to_string(i / 25) + " { en \"Part " + std::to_string(i / 25) +
                   "\" fr \"Partie\" de \"Teil\" }\n";
        std::string const id = "q" + std::to_string(i);
        std::string kind;
        shape s{};
        switch (i % 13) {
            case 0: kind = "nps", s = shape::scale; break;
            case 1: kind = "csat", s = shape::scale; break;
            case 2: kind = "ces", s = shape::scale; break;
            case 3:
                kind = "rating 1..5 labels ({ en \"Poor\" fr \"Mauvais\" de \"Schlecht\" }, "
                       "{ en \"Great\" fr \"Excellent\" de \"Sehr gut\" })";
                s = shape::scale;
                break;
            case 4: kind = d.chance(50) ? "likert 5" : "likert 7", s = shape::scale; break;
            case 5:
                kind = "choice one of (a { en \"Alpha\" fr \"Alpha\" de \"Alpha\" }, "
                       "b { en \"Beta\" fr \"Bêta\" de \"Beta\" }, c { en \"Gamma\" fr \"Gamma\" de \"Gamma\" }) "
                       "other { en \"Other\" fr \"Autre\" de \"Andere\" }";
                s = shape::choice_one;
                break;
            case 6:
                kind = "choice many of (a { en \"Spa\" fr \"Spa\" de \"Spa\" }, b { en \"Pool\" fr \"Piscine\" de \"Pool\" }, "
                       "c { en \"Bar\" fr \"Bar\" de \"Bar\" }, d { en \"Gym\" fr \"Gym\" de \"Fitness\" }) max 3";
                s = shape::choice_many;
                break;
            case 7: kind = "yesno", s = shape::yesno; break;
            case 8: kind = "text max 2000", s = shape::text; break;
            case 9: kind = d.chance(50) ? "number 0..100 integer" : "number 0..100 decimal", s = shape::number; break;
            case 10: kind = "date", s = shape::text; break;
            case 11: kind = "email", s = shape::text; break;
            default: kind = "phone", s = shape::text; break;
        }
        out += "  question " + id + ": " + kind;
        if (d.chance(15)) out += " required";
        // Conditions read only earlier answers; most read a recent one, as follow-ups do.
        if (!seen.empty() && d.chance(33)) {
            auto back = [&] { return seen[seen.size() - 1 - d.below(std::min<std::size_t>(seen.size(), 30))]; };
            std::string cond;
            do {
                earlier const q = back();
                if (!cond.empty()) cond += d.chance(50) ? " and " : " or ";
                cond += clause(d, q);
            } while (d.chance(40));
            out += (d.chance(80) ? " show if " : " require if ") + cond;
        }
        out += " " + translations("How was item " + std::to_string(i % 97), i) + "\n";
        // date/email/phone are answered with text but compared as nothing here.
        if (kind == "date" || kind == "email" || kind == "phone") continue;
        seen.push_back({id, s});
    }
    return out + "}\n";
}

std::string const& survey_text() {
    static std::string const text = generate_survey(question_count);
    return text;
}

candor::survey::survey const& parsed_survey() {
    static candor::survey::survey const s = [] {
        auto r = candor::survey::parse(survey_text(), "generated.survey");
        if (!r.has_value()) {
            std::fprintf(stderr, "%s\n", candor::render(r.error(), survey_text()).c_str());
            std::exit(1);
        }
        return std::move(*r);
    }();
    return s;
}

// A plausible answer of every kind, in range.
candor::response::answer answer_for(candor::survey::question const& q, std::size_t i) {
    using candor::survey::question_kind;
    switch (q.kind) {
        case question_kind::choice_one: return q.options[i % q.options.size()].code;
        case question_kind::choice_many:
            return candor::response::choice_codes{q.options[i % 2].code, q.options[2].code};
        case question_kind::yesno: return i % 3 == 0;
        case question_kind::text: return std::string(i % 5 ? "fine" : "we arrived late and the bar was shut");
        case question_kind::date: return std::string("2026-11-02");
        case question_kind::email: return "guest" + std::to_string(i) + "@example.com";
        case question_kind::phone: return std::string("+33 6 12 34 56 78");
        case question_kind::number:
            if (!q.integer) return q.min + 0.5;
            [[fallthrough]];
        default:
            return static_cast<std::int64_t>(q.min) + static_cast<std::int64_t>(i % static_cast<std::size_t>(q.max - q.min + 1));
    }
}

// Answers every question its earlier answers show, so check() walks all 5,000.
candor::response::response const& full_response() {
    static candor::response::response const r = [] {
        auto const& s = parsed_survey();
        candor::response::response out;
        out.survey = s.id;
        out.version = s.version;
        out.language = "fr";
        out.fields = {{"site", "paris-01"}, {"device", "kiosk-1"}, {"channel", "kiosk"}};
        out.submitted = 1'793'000'000;
        for (std::size_t i = 0; i < s.questions.size(); ++i)
            if (candor::response::is_shown(s, out, i))
                out.answers.emplace_back(s.questions[i].id, answer_for(s.questions[i], i));
        return out;
    }();
    return r;
}

void BM_parse_5000_questions(benchmark::State& state) {
    auto const& text = survey_text();
    for (auto _ : state) {
        auto r = candor::survey::parse(text, "generated.survey");
        if (!r.has_value()) state.SkipWithError("the generated survey does not parse");
        benchmark::DoNotOptimize(r);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
    state.counters["questions"] = static_cast<double>(question_count);
    state.counters["kB"] = static_cast<double>(text.size()) / 1000.0;
}
BENCHMARK(BM_parse_5000_questions)->Unit(benchmark::kMillisecond);

// The figure: a file read in and a response checked against it, end to end.
void BM_parse_and_check_5000_questions(benchmark::State& state) {
    auto const& text = survey_text();
    auto const& r = full_response();
    for (auto _ : state) {
        auto s = candor::survey::parse(text, "generated.survey");
        if (!s.has_value()) state.SkipWithError("the generated survey does not parse");
        else benchmark::DoNotOptimize(candor::response::check(*s, r));
    }
}
BENCHMARK(BM_parse_and_check_5000_questions)->Unit(benchmark::kMillisecond);

void BM_check_5000_question_response(benchmark::State& state) {
    auto const& s = parsed_survey();
    auto const& r = full_response();
    std::size_t problems = 0;
    for (auto _ : state) {
        auto p = candor::response::check(s, r);
        problems = p.size();
        benchmark::DoNotOptimize(p);
    }
    state.counters["answers"] = static_cast<double>(r.answers.size());
    state.counters["problems"] = static_cast<double>(problems);
}
BENCHMARK(BM_check_5000_question_response)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
