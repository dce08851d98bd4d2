#include "candor/kiosk/page_model.hpp"

#include <nlohmann/json.hpp>

#include "kiosk/condition_json.hpp"

namespace candor::kiosk {

namespace {

nlohmann::json texts(survey::translated_text const& t) {
    auto j = nlohmann::json::object();
    for (auto const& [language, text] : t.by_language) j[language] = text;
    return j;
}

std::string_view name(layout l) {
    switch (l) {
        case layout::page:
            return "page";
        case layout::question:
            return "question";
        case layout::card:
            return "card";
    }
    return "page";
}

nlohmann::json question_model(survey::question const& q) {
    nlohmann::json j{{"id", q.id},
                     {"kind", survey::to_string(q.kind)},
                     {"prompt", texts(q.prompt)},
                     {"page", q.page},
                     {"required", q.required},
                     {"showIf", q.show_if ? to_json(*q.show_if) : nlohmann::json()},
                     {"requireIf", q.require_if ? to_json(*q.require_if) : nlohmann::json()}};
    if (survey::is_scale(q.kind) || q.kind == survey::question_kind::number) {
        j["min"] = q.min;
        j["max"] = q.max;
        j["integer"] = survey::is_scale(q.kind) || q.integer;
        j["hasRange"] = survey::is_scale(q.kind) || q.has_range;
    }
    if (!q.end_labels.empty()) {
        auto labels = nlohmann::json::array();
        for (auto const& l : q.end_labels) labels.push_back(texts(l));
        j["endLabels"] = std::move(labels);
    }
    if (!q.options.empty()) {
        auto options = nlohmann::json::array();
        for (auto const& o : q.options)
            options.push_back({{"code", o.code}, {"label", texts(o.label)}});
        j["options"] = std::move(options);
        j["other"] = q.other ? texts(*q.other) : nlohmann::json();
        j["minSelections"] = q.min_selections;
        j["maxSelections"] = q.max_selections;
    }
    if (q.kind == survey::question_kind::text)
        j["maxLength"] = q.max_length ? q.max_length : survey::default_text_max_length;
    return j;
}

}  // namespace

std::string page_model(survey::survey const& s, page_settings const& settings) {
    auto fields = nlohmann::json::array();
    for (auto const& f : s.fields) {
        std::string value;
        for (auto const& [name, v] : settings.fields)
            if (name == f) value = v;
        fields.push_back(value);
    }
    auto pages = nlohmann::json::array();
    for (auto const& p : s.pages) pages.push_back({{"id", p.id}, {"title", texts(p.title)}});
    auto questions = nlohmann::json::array();
    for (auto const& q : s.questions) questions.push_back(question_model(q));
    return nlohmann::json{
        {"survey", s.id},
        {"version", s.version},
        {"languages", s.languages},
        {"fallback", s.fallback_language.empty() ? s.default_language() : s.fallback_language},
        {"title", texts(s.title)},
        {"fields", std::move(fields)},
        {"pages", std::move(pages)},
        {"questions", std::move(questions)},
        {"layout", name(settings.layout)},
        {"idleSeconds", settings.idle_seconds}}
        .dump();
}

}  // namespace candor::kiosk
