// Bytes to journal::intake, the one way every channel takes cards, against the sample
// hotel survey; the same bytes as a JSON Lines stream. Beyond "no crash, no sanitizer
// report": an accepted card's content reads back as a response the survey accepts, and a
// refusal names at least one problem, each with a code.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>

#include "candor/journal/intake.hpp"
#include "candor/response/json.hpp"
#include "candor/response/validate.hpp"
#include "candor/survey/parse.hpp"

namespace {

using namespace candor;

[[noreturn]] void fail(char const* what, std::string_view input) {
    std::fprintf(stderr, "intake_fuzzer: %s\n--- input ---\n%.*s\n", what,
                 static_cast<int>(input.size()), input.data());
    std::abort();
}

struct world {
    survey::survey survey =
        survey::parse_file(CANDOR_SOURCE_DIR "/examples/surveys/hotel-stay.survey").value();
    journal::device_setting device =
        journal::settle(survey,
                        {"kiosk-1", {{"site", "paris-01"}, {"channel", "kiosk"}, {"shift", "day"}}})
            .value();
};

void check_refusal(errors const& problems, std::string_view input) {
    if (problems.empty()) fail("a refusal without a problem", input);
    for (auto const& p : problems)
        if (p.code.empty() || p.message.empty()) fail("a problem without a code or message", input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    static world const w;
    std::string_view const input(reinterpret_cast<char const*>(data), size);

    auto card = journal::intake(w.survey, input, w.device, {"fuzz.jsonl", 1, 1});
    if (!card) {
        check_refusal(card.error(), input);
    } else {
        auto back = response::from_json(card->content);
        if (!back) fail("an accepted card's content does not read back", input);
        if (!response::validate(w.survey, *back).empty())
            fail("an accepted card's content is not accepted again", input);
        if (response::to_json(*back) != card->content)
            fail("to_json(from_json(content)) != content", input);
    }

    std::istringstream lines{std::string(input)};
    std::uint32_t last = 0;
    for (auto const& line : response::read_json_lines(lines, "fuzz.jsonl")) {
        if (line.line <= last) fail("line numbers out of order", input);
        last = line.line;
        if (!line.value) {
            check_refusal(line.value.error(), input);
            for (auto const& p : line.value.error())
                if (p.where.line != line.line) fail("a problem not at its line", input);
        }
    }
    return 0;
}
