#include "personal.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "util/ascii.hpp"

namespace candor::journal::detail {

using json = nlohmann::json;

std::vector<personal_answer> take_personal(survey::survey const& s, response::response& r) {
    std::vector<personal_answer> out;
    std::vector<std::pair<std::string, response::answer>> kept;
    for (std::size_t i = 0; i < r.answers.size(); ++i) {
        auto& [id, a] = r.answers[i];
        auto const* q = s.find(id);
        auto* text = std::get_if<std::string>(&a);
        if (q != nullptr && q->personal && text != nullptr)
            out.push_back({static_cast<std::uint32_t>(i), id, std::string(to_string(q->kind)),
                           std::move(*text)});
        else
            kept.emplace_back(std::move(id), std::move(a));
    }
    r.answers = std::move(kept);
    return out;
}

std::string encode_personal(std::vector<personal_answer> const& answers) {
    json out = json::array();
    for (auto const& a : answers) out.push_back(json::array({a.index, a.id, a.kind, a.answer}));
    return out.dump();
}

std::optional<std::vector<personal_answer>> decode_personal(std::string_view text) {
    auto j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_array()) return std::nullopt;
    std::vector<personal_answer> out;
    for (auto const& e : j) {
        if (!e.is_array() || e.size() != 4 || !e[0].is_number_unsigned() || !e[1].is_string() ||
            !e[2].is_string() || !e[3].is_string())
            return std::nullopt;
        out.push_back({e[0].get<std::uint32_t>(), e[1].get<std::string>(), e[2].get<std::string>(),
                       e[3].get<std::string>()});
    }
    return out;
}

void restore_personal(response::response& r, std::vector<personal_answer> answers) {
    std::sort(answers.begin(), answers.end(),
              [](auto const& a, auto const& b) { return a.index < b.index; });
    for (auto& a : answers) {
        auto at = std::min<std::size_t>(a.index, r.answers.size());
        r.answers.insert(r.answers.begin() + static_cast<std::ptrdiff_t>(at),
                         {std::move(a.id), std::move(a.answer)});
    }
}

std::string normalize_email(std::string_view address) {
    auto const space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!address.empty() && space(address.front())) address.remove_prefix(1);
    while (!address.empty() && space(address.back())) address.remove_suffix(1);
    return util::ascii_lower(address);
}

}  // namespace candor::journal::detail
