// Bytes to the org parser and the rules loader (against the sample org and hotel survey);
// rules that load are compiled by a router and routed a sample card. Beyond "no crash, no
// sanitizer report": every refusal names a problem with a code and a place in the file.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "candor/response/json.hpp"
#include "candor/routing/org.hpp"
#include "candor/routing/router.hpp"
#include "candor/routing/rules.hpp"
#include "candor/survey/parse.hpp"

namespace {

using namespace candor;

[[noreturn]] void fail(char const* what, std::string_view input) {
    std::fprintf(stderr, "org_fuzzer: %s\n--- input ---\n%.*s\n", what,
                 static_cast<int>(input.size()), input.data());
    std::abort();
}

template <class T>
void check(result<T> const& r, std::string_view file, std::string_view input) {
    if (r) return;
    if (r.error().empty()) fail("a refusal without a problem", input);
    // A warning may be about the org the rules are loaded against (its duty field).
    for (auto const& e : r.error())
        if (e.code.empty() || (e.level == severity::error && e.where.file != file))
            fail("a problem without a code or its file", input);
}

struct world {
    survey::survey survey =
        survey::parse_file(CANDOR_SOURCE_DIR "/examples/surveys/hotel-stay.survey").value();
    routing::organisation org =
        routing::parse_org_file(CANDOR_SOURCE_DIR "/examples/org/hotel-chain.org").value();
    response::response card =
        response::from_json(
            R"({"survey":"hotel-stay","version":3,"language":"en","fields":{"site":"paris-01","device":"kiosk-1","channel":"kiosk","shift":"night","on_duty":"leo"},"submitted":"2026-11-06T16:00:00Z","answers":{"recommend":3,"satisfaction":2,"what_went_wrong":"rude staff","contact_me":true}})")
            .value();
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    static world const w;
    std::string_view const input(reinterpret_cast<char const*>(data), size);

    auto org = routing::parse_org(input, "fuzz.org");
    check(org, "fuzz.org", input);

    auto rules = routing::load_rules(input, "fuzz.rules", w.org, w.survey);
    check(rules, "fuzz.rules", input);
    if (rules) {
        routing::router const router(w.org, w.survey, *rules);
        auto const decision = router.decide(w.card);
        for (auto m : decision.matched)
            if (m >= rules->rules.size()) fail("a matched rule that does not exist", input);
    }
    return 0;
}
