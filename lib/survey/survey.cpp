#include "candor/survey/survey.hpp"

namespace candor::survey {

std::string_view to_string(question_kind k) noexcept {
    switch (k) {
        case question_kind::nps:
            return "nps";
        case question_kind::csat:
            return "csat";
        case question_kind::ces:
            return "ces";
        case question_kind::rating:
            return "rating";
        case question_kind::likert:
            return "likert";
        case question_kind::choice_one:
            return "choice one";
        case question_kind::choice_many:
            return "choice many";
        case question_kind::yesno:
            return "yesno";
        case question_kind::text:
            return "text";
        case question_kind::number:
            return "number";
        case question_kind::date:
            return "date";
        case question_kind::email:
            return "email";
        case question_kind::phone:
            return "phone";
    }
    return "text";
}

bool is_scale(question_kind k) noexcept {
    return k == question_kind::nps || k == question_kind::csat || k == question_kind::ces ||
           k == question_kind::rating || k == question_kind::likert;
}

void survey::reindex() {
    question_ids.clear();
    if (questions.size() <= small_survey) return;
    for (std::size_t i = 0; i < questions.size(); ++i)
        question_ids.emplace(questions[i].id, static_cast<std::uint32_t>(i));
}

int survey::question_index(std::string_view id) const {
    if (!question_ids.empty()) {
        // Heterogeneous lookup needs C++20's transparent hashing, absent from libstdc++ 12.
        auto it = question_ids.find(std::string(id));
        if (it != question_ids.end() && it->second < questions.size() &&
            questions[it->second].id == id)
            return static_cast<int>(it->second);
    }
    for (std::size_t i = 0; i < questions.size(); ++i)
        if (questions[i].id == id) return static_cast<int>(i);
    return -1;
}

int survey::field_index(std::string_view id) const noexcept {
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i] == id) return static_cast<int>(i);
    return -1;
}

}  // namespace candor::survey
