// The typed model of a survey: what a `.survey` file says once parsed and checked.
// Thread safety: value types; a survey once built may be read from many threads at once
// (const members only); reindex() and edits need it to themselves.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "candor/error.hpp"
#include "candor/survey/expr.hpp"
#include "candor/survey/text.hpp"

namespace candor::survey {

enum class question_kind : std::uint8_t {
    nps,          // 0..10, promoters 9-10
    csat,         // 1..5
    ces,          // 1..7
    rating,       // lo..hi with end labels
    likert,       // 5 or 7 points, disagree..agree
    choice_one,   // one option code
    choice_many,  // a set of option codes, min..max selections
    yesno,
    text,
    number,  // a range, integer or decimal
    date,    // YYYY-MM-DD
    email,   // personal data
    phone,   // personal data
};

std::string_view to_string(question_kind k) noexcept;
// True for kinds answered with an integer on a fixed scale (nps, csat, ces, rating, likert).
bool is_scale(question_kind k) noexcept;

struct choice_option {
    std::string code;
    translated_text label;
    friend bool operator==(choice_option const&, choice_option const&) = default;
};

struct question {
    std::string id;
    question_kind kind = question_kind::text;
    translated_text prompt;
    std::string page;  // id of the page it is on; empty when the survey has no pages

    bool required = false;
    std::optional<expr> show_if;     // shown only when true; always shown without it
    std::optional<expr> require_if;  // required when true (and shown)

    // Scales and numbers: the inclusive range. Scale kinds are always integer.
    double min = 0;
    double max = 0;
    bool integer = true;
    bool has_range = false;                   // number: a range was written
    std::vector<translated_text> end_labels;  // rating/likert: low and high labels

    // Choices.
    std::vector<choice_option> options;
    std::uint32_t min_selections = 0;      // choice_many; 0 = no minimum
    std::uint32_t max_selections = 0;      // choice_many; 0 = no maximum
    std::optional<translated_text> other;  // an "other" option with free text

    std::uint32_t max_length = 0;  // text (bytes of UTF-8); 0 = the default limit
    bool personal = false;         // contact data: email and phone always, text when marked

    location where;

    choice_option const* option(std::string_view code) const noexcept {
        for (auto const& o : options)
            if (o.code == code) return &o;
        return nullptr;
    }
    // Equal in meaning: where it was written does not count.
    friend bool operator==(question const& a, question const& b) {
        return a.id == b.id && a.kind == b.kind && a.prompt == b.prompt && a.page == b.page &&
               a.required == b.required && a.show_if == b.show_if && a.require_if == b.require_if &&
               a.min == b.min && a.max == b.max && a.integer == b.integer &&
               a.has_range == b.has_range && a.end_labels == b.end_labels &&
               a.options == b.options && a.min_selections == b.min_selections &&
               a.max_selections == b.max_selections && a.other == b.other &&
               a.max_length == b.max_length && a.personal == b.personal;
    }
};

// A page groups questions for display (one screen of a kiosk, one section of a form).
struct page {
    std::string id;
    translated_text title;
    friend bool operator==(page const&, page const&) = default;
};

struct survey {
    std::string id;
    std::uint32_t version = 1;
    std::vector<std::string> languages;  // the first is the default
    std::string fallback_language;       // used when a text lacks the asked language
    translated_text title;
    std::vector<std::string> fields;  // set by the device (site, device, channel, shift)
    // The fields a device may leave unset (the staff on duty, when nobody is signed in).
    std::vector<std::string> optional_fields;
    std::vector<page> pages;
    std::vector<question> questions;  // in the order shown
    errors warnings;                  // what the checker noted but did not refuse
    // Question ids to indices, for surveys too large to scan; parse() fills it. Lookups
    // verify each hit, so a survey edited afterwards stays correct (if slower) until reindex().
    std::unordered_map<std::string, std::uint32_t> question_ids;
    void reindex();

    std::string const& default_language() const { return languages.front(); }
    // Index of a question or device field by id, or -1.
    int question_index(std::string_view id) const;
    int field_index(std::string_view id) const noexcept;
    bool field_required(std::string_view id) const noexcept {
        return std::find(optional_fields.begin(), optional_fields.end(), id) ==
               optional_fields.end();
    }
    question const* find(std::string_view id) const {
        int i = question_index(id);
        return i < 0 ? nullptr : &questions[static_cast<std::size_t>(i)];
    }
    friend bool operator==(survey const& a, survey const& b) {
        return a.id == b.id && a.version == b.version && a.languages == b.languages &&
               a.fallback_language == b.fallback_language && a.title == b.title &&
               a.fields == b.fields && a.optional_fields == b.optional_fields &&
               a.pages == b.pages && a.questions == b.questions;
    }
};

// Limits that keep a hostile file from exhausting the parser.
inline constexpr std::size_t max_survey_bytes = 16u << 20;
inline constexpr std::uint32_t max_nesting = 64;
inline constexpr std::uint32_t default_text_max_length = 4000;
// Up to this many questions, a linear scan finds an id faster than hashing it.
inline constexpr std::size_t small_survey = 32;

}  // namespace candor::survey
