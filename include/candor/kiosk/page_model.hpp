// What the page is told about the card (/card.json): the survey's texts in every language,
// each question's kind, scale and options, and its conditions as programs, node for node,
// so the page's evaluator (page/conditions.js) runs the very program response::evaluate
// runs. The page renders from this alone; the survey file never leaves the server.
// Thread safety: page_model() is a pure function of its arguments.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "candor/survey/survey.hpp"

namespace candor::kiosk {

// How many questions one screen holds.
enum class layout : std::uint8_t {
    page,      // one screen per `page` of the survey (one per question when it has none)
    question,  // one question per screen
    card,      // the whole card on one screen
};

struct page_settings {
    kiosk::layout layout = layout::page;
    std::uint32_t idle_seconds = 60;  // back to the first screen after this long untouched
    // The device fields in the survey's order: conditions may read them.
    std::vector<std::pair<std::string, std::string>> fields;
};

// The model as JSON text.
std::string page_model(survey::survey const& s, page_settings const& settings);

}  // namespace candor::kiosk
