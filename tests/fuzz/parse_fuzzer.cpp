// Bytes to survey::parse. Beyond "no crash, no sanitizer report": whatever parses must
// survive format() and parse back to the same survey, or the canonical form is lying.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "candor/survey/parse.hpp"

namespace {

[[noreturn]] void fail(char const* what, std::string_view input, std::string const& formatted,
                       std::string const& detail) {
    std::fprintf(stderr, "parse_fuzzer: %s\n--- input ---\n%.*s\n--- format() ---\n%s\n--- detail ---\n%s\n",
                 what, static_cast<int>(input.size()), input.data(), formatted.c_str(),
                 detail.c_str());
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    std::string_view const input(reinterpret_cast<char const*>(data), size);
    auto const parsed = candor::survey::parse(input, "fuzz.survey");
    if (!parsed.has_value()) return 0;

    std::string const formatted = candor::survey::format(*parsed);
    auto const again = candor::survey::parse(formatted, "formatted.survey");
    if (!again.has_value())
        fail("format() wrote a survey that does not parse", input, formatted,
             candor::render(again.error(), formatted));
    if (!(*again == *parsed))
        fail("parse(format(s)) != s", input, formatted, candor::survey::format(*again));
    return 0;
}
