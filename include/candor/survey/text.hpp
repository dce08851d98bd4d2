// A piece of text shown to respondents, in each of the survey's languages.
// Thread safety: a value type; distinct objects may be used from distinct threads, one read
// from many.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace candor::survey {

struct translated_text {
    // (language code, text) in the order written; small, so a vector beats a map.
    std::vector<std::pair<std::string, std::string>> by_language;

    bool empty() const noexcept { return by_language.empty(); }
    // The text in `language`, else in `fallback`, else the first one written, else "".
    std::string_view in(std::string_view language, std::string_view fallback = {}) const noexcept {
        std::string_view first;
        for (auto const& [lang, s] : by_language)
            if (lang == language) return s;
        for (auto const& [lang, s] : by_language)
            if (lang == fallback) return s;
        if (!by_language.empty()) first = by_language.front().second;
        return first;
    }
    bool has(std::string_view language) const noexcept {
        for (auto const& entry : by_language)
            if (entry.first == language) return true;
        return false;
    }
    friend bool operator==(translated_text const&, translated_text const&) = default;
};

}  // namespace candor::survey
