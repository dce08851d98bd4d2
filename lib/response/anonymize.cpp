#include "candor/response/anonymize.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace candor::response {

std::string redact_contacts(std::string text) {
    auto word_char = [](char c) {
        return !std::isspace(static_cast<unsigned char>(c)) &&
               std::string_view("<>()[],;:\"'").find(c) == std::string_view::npos;
    };
    for (std::size_t at = text.find('@'); at != std::string::npos; at = text.find('@', at + 1)) {
        std::size_t a = at, b = at + 1;
        while (a > 0 && word_char(text[a - 1])) --a;
        while (b < text.size() && word_char(text[b])) ++b;
        while (b > at + 1 && text[b - 1] == '.') --b;
        if (a < at && text.find('.', at) < b) {
            text.replace(a, b - a, "[removed]");
            at = a;
        }
    }
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c != '+' && !std::isdigit(static_cast<unsigned char>(c))) {
            out += c;
            continue;
        }
        std::size_t j = i, digits = 0, end = i;
        for (; j < text.size() &&
               std::string_view("+0123456789 .-()").find(text[j]) != std::string_view::npos;
             ++j)
            if (std::isdigit(static_cast<unsigned char>(text[j]))) ++digits, end = j + 1;
        if (digits >= 8) {
            out += "[removed]";
            i = end - 1;
        } else {
            out.append(text, i, std::max(end, i + 1) - i);
            i = std::max(end, i + 1) - 1;
        }
    }
    return out;
}

std::int64_t day_of(std::int64_t t) noexcept {
    constexpr std::int64_t day = 86400;
    return t >= 0 ? t - t % day : t - ((t % day) + day) % day;
}

void anonymize(survey::survey const& s, response& r) {
    std::erase_if(r.answers, [&](auto& entry) {
        auto& [id, a] = entry;
        auto const dot = id.size() > 6 && id.ends_with(".other") ? id.size() - 6 : id.size();
        int const i = s.question_index(std::string_view(id).substr(0, dot));
        if (i < 0) return true;
        auto const& q = s.questions[static_cast<std::size_t>(i)];
        if (q.personal) return true;
        bool const free_text = dot != id.size() || q.kind == survey::question_kind::text;
        if (auto* text = std::get_if<std::string>(&a); text && free_text)
            *text = redact_contacts(std::move(*text));
        return false;
    });
    r.submitted = day_of(r.submitted);
    if (r.started) r.started = day_of(*r.started);
}

}  // namespace candor::response
