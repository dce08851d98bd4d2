// A response: one filled-in card, the answers of one respondent to one survey version.
// Thread safety: a value type; distinct objects may be used from distinct threads, one read
// from many.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace candor::response {

using choice_codes = std::vector<std::string>;

// What a question was answered with, by kind:
//   bool          yesno
//   std::int64_t  nps, csat, ces, rating, likert, and integer numbers
//   double        decimal numbers
//   std::string   text, date (YYYY-MM-DD), email, phone, choice_one (the option code)
//   choice_codes  choice_many
using answer = std::variant<bool, std::int64_t, double, std::string, choice_codes>;

struct response {
    std::string survey;         // survey id
    std::uint32_t version = 0;  // survey version it answers
    std::string language;       // the language it was shown in
    // Set by the device, never by the respondent: site, device, channel, shift...
    std::vector<std::pair<std::string, std::string>> fields;
    std::int64_t submitted = 0;             // seconds since the Unix epoch, UTC
    std::optional<std::int64_t> started;    // for completion time
    std::vector<std::pair<std::string, answer>> answers;  // keyed by question id

    answer const* find(std::string_view question) const noexcept {
        for (auto const& [id, a] : answers)
            if (id == question) return &a;
        return nullptr;
    }
    std::string_view field(std::string_view name) const noexcept {
        for (auto const& [k, v] : fields)
            if (k == name) return v;
        return {};
    }
    friend bool operator==(response const&, response const&) = default;
};

}  // namespace candor::response
