// SurveyJS JSON into a Candor survey. Every property is either carried over, known to be
// presentation only (layout, styling, button texts: listed below), or reported.
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "builder.hpp"
#include "candor/interop/surveyjs.hpp"
#include "condition.hpp"
#include "util/ascii.hpp"

namespace candor::interop {

namespace {

using detail::node;
using detail::value;
using nlohmann::json;

// Properties that only change how SurveyJS lays out or styles a form, or its buttons'
// and error messages' wording, not what is asked nor when: skipped without a note.
constexpr std::string_view presentation[] = {"$schema",
                                             "showQuestionNumbers",
                                             "showProgressBar",
                                             "progressBarType",
                                             "showTitle",
                                             "showPageTitles",
                                             "showPageNumbers",
                                             "widthMode",
                                             "width",
                                             "minWidth",
                                             "maxWidth",
                                             "logo",
                                             "logoPosition",
                                             "logoWidth",
                                             "logoHeight",
                                             "logoFit",
                                             "questionTitleLocation",
                                             "questionDescriptionLocation",
                                             "questionErrorLocation",
                                             "showNavigationButtons",
                                             "navigationButtonsLocation",
                                             "showPrevButton",
                                             "showCompletedPage",
                                             "goNextPageAutomatic",
                                             "autoAdvanceEnabled",
                                             "checkErrorsMode",
                                             "textUpdateMode",
                                             "storeOthersAsComment",
                                             "focusFirstQuestionAutomatic",
                                             "autoFocusFirstQuestion",
                                             "pageNextText",
                                             "pagePrevText",
                                             "completeText",
                                             "previewText",
                                             "editText",
                                             "startSurveyText",
                                             "requiredText",
                                             "questionTitlePattern",
                                             "questionStartIndex",
                                             "clearInvisibleValues",
                                             "headerView",
                                             "backgroundImage",
                                             "backgroundOpacity",
                                             "backgroundImageFit",
                                             "fitToContainer",
                                             "showTOC",
                                             "tocLocation",
                                             "showBrandInfo",
                                             "titleLocation",
                                             "descriptionLocation",
                                             "hideNumber",
                                             "startWithNewLine",
                                             "indent",
                                             "colCount",
                                             "renderAs",
                                             "displayMode",
                                             "rateType",
                                             "rateColorMode",
                                             "scaleColorMode",
                                             "rateDisplayMode",
                                             "autoGenerate",
                                             "placeholder",
                                             "placeHolder",
                                             "otherPlaceholder",
                                             "otherPlaceHolder",
                                             "commentPlaceholder",
                                             "autoGrow",
                                             "allowResize",
                                             "rows",
                                             "cols",
                                             "size",
                                             "showClearButton",
                                             "allowClear",
                                             "separateSpecialChoices",
                                             "requiredErrorText",
                                             "otherErrorText",
                                             "maxWidth",
                                             "innerIndent",
                                             "state",
                                             "questionsOnPageMode",
                                             "useDisplayValuesInDynamicTexts",
                                             "searchEnabled",
                                             "hideIfChoicesEmpty",
                                             "itemComponent",
                                             "choicesLazyLoadEnabled",
                                             "hideCaptionsInChoices"};

bool is_presentation(std::string_view key) {
    return std::find(std::begin(presentation), std::end(presentation), key) !=
           std::end(presentation);
}

std::string pointer(std::string const& base, std::string_view key) {
    std::string out = base + "/";
    for (char c : key) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}
std::string pointer(std::string const& base, std::size_t index) {
    return base + "/" + std::to_string(index);
}

value of_json(json const& j) {
    value v;
    if (j.is_number()) {
        v.k = value::kind::number;
        v.number = j.get<double>();
        v.text = j.dump();
    } else if (j.is_string()) {
        v.k = value::kind::string;
        v.text = j.get<std::string>();
    } else if (j.is_boolean()) {
        v.k = value::kind::boolean;
        v.flag = j.get<bool>();
    }
    return v;
}

// SurveyJS's comparisons, to evaluate a condition on each option of a choice: numbers
// (or strings that read as numbers) as numbers, other strings trimmed and case-folded.
std::string folded(value const& v) {
    std::string s = v.k == value::kind::boolean ? (v.flag ? "true" : "false") : v.text;
    auto b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
    return b == std::string::npos ? std::string() : util::ascii_lower(s.substr(b, e - b + 1));
}
bool sjs_equal(value const& a, value const& b) {
    if (a.k == value::kind::null || b.k == value::kind::null) return a.k == b.k;
    auto x = a.as_number(), y = b.as_number();
    if (x && y) return *x == *y;
    return folded(a) == folded(b);
}
int sjs_order(value const& a, value const& b) {  // -1, 0, 1
    auto x = a.as_number(), y = b.as_number();
    if (x && y) return *x < *y ? -1 : *x > *y ? 1 : 0;
    auto fa = folded(a), fb = folded(b);
    return fa < fb ? -1 : fa > fb ? 1 : 0;
}

using detail::refuse;

class sjs_import {
  public:
    sjs_import(json const& root, import_options const& opts, std::string const& file)
        : root_(root),
          opts_(opts),
          report_(file, opts.lenient),
          build_(report_, default_language(root, opts)) {}

    result<imported> run(std::string_view file_name) {
        auto& s = build_.survey();
        s.id = opts_.survey_id;
        if (s.id.empty()) {
            std::string_view stem = file_name.substr(file_name.find_last_of('/') + 1);
            stem = stem.substr(0, stem.find('.'));
            s.id = stem.empty() || stem == "<input>" ? "imported" : std::string(stem);
        }
        s.version = opts_.version ? opts_.version : 1;
        if (!root_.is_object()) {
            report_.broken("", "bad-surveyjs", "a SurveyJS survey is a JSON object");
            return build_.finish();
        }
        for (auto const& [key, v] : root_.items()) {
            std::string const at = pointer("", key);
            if (key == "title")
                text(s.title, v, at);
            else if (key == "locale" || key == "pages" || key == "elements" || key == "questions")
                continue;
            else if (!is_presentation(key))
                unsupported_property(key, at);
        }
        if (auto p = root_.find("pages"); p != root_.end()) {
            if (!p->is_array())
                report_.broken("/pages", "bad-surveyjs", "`pages` is not an array");
            else
                for (std::size_t i = 0; i < p->size(); ++i) page((*p)[i], pointer("/pages", i), i);
        }
        for (char const* key : {"elements", "questions"})
            if (auto e = root_.find(key); e != root_.end()) elements(*e, pointer("", key), {}, 0);
        return build_.finish();
    }

  private:
    struct inherited {
        std::string expression;
        std::string place;
    };

    static std::string default_language(json const& root, import_options const& opts) {
        if (!opts.default_language.empty()) return opts.default_language;
        if (root.is_object())
            if (auto l = root.find("locale");
                l != root.end() && l->is_string() && !l->get<std::string>().empty())
                return l->get<std::string>();
        return "en";
    }

    void unsupported_property(std::string const& key, std::string const& at) {
        report_.not_carried(at, "unsupported-property",
                            "`" + key + "` cannot be carried over to Candor");
    }

    // A localizable string: "text" or {"default": "...", "fr": "..."}.
    void text(survey::translated_text& t, json const& v, std::string const& at) {
        if (v.is_string()) {
            build_.add_text(t, "", v.get<std::string>(), at);
        } else if (v.is_object()) {
            for (auto const& [lang, s] : v.items()) {
                if (!s.is_string()) {
                    report_.broken(pointer(at, lang), "bad-surveyjs", "a text is a string");
                    continue;
                }
                build_.add_text(t, lang == "default" ? "" : lang, s.get<std::string>(),
                                pointer(at, lang));
            }
        } else {
            report_.broken(at, "bad-surveyjs",
                           "a text is a string or an object of strings by language");
        }
    }

    void page(json const& p, std::string const& at, std::size_t index) {
        if (!p.is_object()) {
            report_.broken(at, "bad-surveyjs", "a page is a JSON object");
            return;
        }
        survey::translated_text title;
        std::vector<inherited> conditions;
        for (auto const& [key, v] : p.items()) {
            std::string const here = pointer(at, key);
            if (key == "name" || key == "elements" || key == "questions") continue;
            if (key == "title")
                text(title, v, here);
            else if (key == "visibleIf" && v.is_string())
                conditions.push_back({v.get<std::string>(), here});
            else if (!is_presentation(key))
                unsupported_property(key, here);
        }
        std::string name = "page" + std::to_string(index + 1);
        if (auto n = p.find("name");
            n != p.end() && n->is_string() && !n->get<std::string>().empty())
            name = n->get<std::string>();
        current_page_ = build_.add_page(name, std::move(title));
        for (char const* key : {"elements", "questions"})
            if (auto e = p.find(key); e != p.end()) elements(*e, pointer(at, key), conditions, 0);
    }

    void elements(json const& list, std::string const& at, std::vector<inherited> const& conditions,
                  std::uint32_t depth) {
        if (!list.is_array()) {
            report_.broken(at, "bad-surveyjs", "`elements` is not an array");
            return;
        }
        for (std::size_t i = 0; i < list.size(); ++i)
            element(list[i], pointer(at, i), conditions, depth);
    }

    void element(json const& e, std::string const& at, std::vector<inherited> conditions,
                 std::uint32_t depth) {
        if (!e.is_object() || !e.contains("type") || !e["type"].is_string()) {
            report_.broken(at, "bad-surveyjs", "an element is a JSON object with a `type`");
            return;
        }
        std::string const type = e["type"].get<std::string>();
        if (type == "panel") {
            if (depth >= max_panel_depth) {
                report_.broken(
                    at, "too-deep",
                    "panels nested more than " + std::to_string(max_panel_depth) + " deep");
                return;
            }
            for (auto const& [key, v] : e.items()) {
                std::string const here = pointer(at, key);
                if (key == "type" || key == "name" || key == "elements" || key == "questions")
                    continue;
                if (key == "visibleIf" && v.is_string())
                    conditions.push_back({v.get<std::string>(), here});
                else if (!is_presentation(key))
                    unsupported_property(key, here);
            }
            for (char const* key : {"elements", "questions"})
                if (auto sub = e.find(key); sub != e.end())
                    elements(*sub, pointer(at, key), conditions, depth + 1);
            return;
        }
        question(e, type, at, std::move(conditions));
    }

    void question(json const& e, std::string const& type, std::string const& at,
                  std::vector<inherited> conditions) {
        static constexpr std::string_view kinds[] = {"rating", "radiogroup", "dropdown", "checkbox",
                                                     "tagbox", "boolean",    "comment",  "text"};
        if (std::find(std::begin(kinds), std::end(kinds), type) == std::end(kinds)) {
            std::string name =
                e.contains("name") && e["name"].is_string() ? e["name"].get<std::string>() : "";
            report_.not_carried(at, "unsupported-type",
                                "a `" + type + "` element" +
                                    (name.empty() ? "" : " (`" + name + "`)") +
                                    " has no Candor equivalent");
            return;
        }
        if (!e.contains("name") || !e["name"].is_string() || e["name"].get<std::string>().empty()) {
            report_.broken(at, "bad-surveyjs", "a question has a `name`");
            return;
        }
        std::string const name = e["name"].get<std::string>();
        current_name_ = name;
        if (build_.find(name)) {
            report_.broken(pointer(at, "name"), "duplicate-question",
                           "`" + name + "` is named twice");
            return;
        }
        survey::question q;
        q.page = current_page_;
        source_question src;
        src.name = name;
        src.place = at;
        std::vector<inherited> require;
        std::optional<json> rate_values, choices;
        bool has_other = false, has_none = false;
        survey::translated_text other_text, none_text;
        std::optional<double> rate_min, rate_max, rate_count, number_min, number_max;
        std::string input_type = "text";
        std::optional<std::uint64_t> max_length;

        for (auto const& [key, v] : e.items()) {
            std::string const here = pointer(at, key);
            if (key == "type" || key == "name") continue;
            if (key == "title")
                text(q.prompt, v, here);
            else if (key == "isRequired" && v.is_boolean())
                q.required = v.get<bool>();
            else if (key == "visibleIf" && v.is_string())
                conditions.push_back({v.get<std::string>(), here});
            else if (key == "requiredIf" && v.is_string())
                require.push_back({v.get<std::string>(), here});
            else if (type == "rating" && key == "rateMin" && v.is_number())
                rate_min = v.get<double>();
            else if (type == "rating" && key == "rateMax" && v.is_number())
                rate_max = v.get<double>();
            else if (type == "rating" && key == "rateCount" && v.is_number())
                rate_count = v.get<double>();
            else if (type == "rating" && key == "rateStep" && v.is_number() && v.get<double>() == 1)
                continue;
            else if (type == "rating" && key == "rateValues" && v.is_array())
                rate_values = v;
            else if (type == "rating" &&
                     (key == "minRateDescription" || key == "maxRateDescription")) {
                q.end_labels.resize(2);
                text(q.end_labels[key == "minRateDescription" ? 0 : 1], v, here);
            } else if (is_choice(type) && key == "choices" && v.is_array()) {
                choices = v;
            } else if (is_choice(type) && (key == "showOtherItem" || key == "hasOther") &&
                       v.is_boolean()) {
                has_other = has_other || v.get<bool>();
            } else if (is_choice(type) && key == "otherText") {
                text(other_text, v, here);
            } else if ((type == "radiogroup" || type == "dropdown") &&
                       (key == "showNoneItem" || key == "hasNone") && v.is_boolean()) {
                has_none = has_none || v.get<bool>();
            } else if ((type == "radiogroup" || type == "dropdown") && key == "noneText") {
                text(none_text, v, here);
            } else if (is_choice(type) && key == "choicesOrder" && v == "none") {
                continue;
            } else if ((type == "checkbox" || type == "tagbox") && key == "maxSelectedChoices" &&
                       v.is_number_unsigned()) {
                q.max_selections = static_cast<std::uint32_t>(
                    std::min<std::uint64_t>(v.get<std::uint64_t>(), 1000000000));
            } else if ((type == "checkbox" || type == "tagbox") && key == "minSelectedChoices" &&
                       v.is_number_unsigned()) {
                q.min_selections = static_cast<std::uint32_t>(
                    std::min<std::uint64_t>(v.get<std::uint64_t>(), 1000000000));
            } else if (type == "text" && key == "inputType" && v.is_string()) {
                input_type = v.get<std::string>();
            } else if (type == "text" && (key == "min" || key == "max") && v.is_number()) {
                (key == "min" ? number_min : number_max) = v.get<double>();
            } else if ((type == "text" || type == "comment") && key == "maxLength" &&
                       v.is_number_unsigned()) {
                if (v.get<std::uint64_t>() > 0) max_length = v.get<std::uint64_t>();
            } else if (key == "validators" && v.is_array()) {
                validators(v, here, type, input_type, number_min, number_max);
            } else if (type == "boolean" && key == "defaultValue" && v.is_null()) {
                continue;
            } else if (!is_presentation(key)) {
                unsupported_property(key, here);
            }
        }
        if (q.prompt.empty()) build_.add_text(q.prompt, "", name, at);  // SurveyJS shows the name
        q.id = build_.question_id(name, pointer(at, "name"));
        src.id = q.id;

        if (type == "rating") {
            if (!rating(q, at, rate_min, rate_max, rate_count, rate_values)) return;
        } else if (type == "radiogroup" || type == "dropdown" || type == "checkbox" ||
                   type == "tagbox") {
            q.kind = type == "checkbox" || type == "tagbox" ? survey::question_kind::choice_many
                                                            : survey::question_kind::choice_one;
            if (!choice(q, src, at, choices, has_other, std::move(other_text), has_none,
                        std::move(none_text)))
                return;
        } else if (type == "boolean") {
            q.kind = survey::question_kind::yesno;
        } else if (type == "comment") {
            q.kind = survey::question_kind::text;
        } else if (!text_question(q, at, input_type, number_min, number_max)) {
            return;
        }
        if (max_length) {
            if (q.kind == survey::question_kind::text) {
                // SurveyJS counts characters, Candor bytes of UTF-8: up to 4 bytes each.
                q.max_length = static_cast<std::uint32_t>(
                    std::min<std::uint64_t>(*max_length * 4, 1000000000));
                report_.note(pointer(at, "maxLength"), "length-in-bytes",
                             "at most " + std::to_string(*max_length) + " characters is at most " +
                                 std::to_string(q.max_length) +
                                 " bytes in Candor, which counts bytes");
            } else {
                unsupported_property("maxLength", pointer(at, "maxLength"));
            }
        }
        build_.add_question(std::move(q), std::move(src), combine(conditions),
                            first_place(conditions, at), combine(require),
                            first_place(require, at));
        // Text typed into the comment box of `other` has no question of its own here.
    }

    static bool is_choice(std::string const& type) {
        return type == "radiogroup" || type == "dropdown" || type == "checkbox" || type == "tagbox";
    }
    static std::string first_place(std::vector<inherited> const& c, std::string const& fallback) {
        return c.empty() ? fallback : c.back().place;
    }

    void validators(json const& list, std::string const& at, std::string const& type,
                    std::string& input_type, std::optional<double>& lo, std::optional<double>& hi) {
        for (std::size_t i = 0; i < list.size(); ++i) {
            auto const& v = list[i];
            std::string const here = pointer(at, i);
            std::string const vt = v.is_object() && v.contains("type") && v["type"].is_string()
                                       ? v["type"].get<std::string>()
                                       : "";
            bool ok = false;
            if (vt == "numeric" && (type == "rating" || type == "text")) {
                ok = true;
                for (auto const& [key, x] : v.items()) {
                    if (key == "type" || key == "text") continue;
                    if ((key == "minValue" || key == "maxValue") && x.is_number()) {
                        if (type == "text") (key == "minValue" ? lo : hi) = x.get<double>();
                        // on a rating the scale says it already
                    } else {
                        ok = false;
                    }
                }
            } else if (vt == "email" && type == "text") {
                ok = true;
                input_type = "email";
            }
            if (!ok)
                report_.not_carried(here, "unsupported-validator",
                                    "a `" + (vt.empty() ? std::string("?") : vt) +
                                        "` validator cannot be carried over to Candor");
        }
    }

    bool rating(survey::question& q, std::string const& at, std::optional<double> lo,
                std::optional<double> hi, std::optional<double> count,
                std::optional<json> const& values) {
        double min = lo.value_or(1), max = hi.value_or(5);
        if (count && !hi) max = min + *count - 1;
        if (values && !values->empty()) {
            std::vector<double> nums;
            for (std::size_t i = 0; i < values->size(); ++i) {
                auto const& item = (*values)[i];
                json const& v = item.is_object() && item.contains("value") ? item["value"] : item;
                if (!v.is_number() || std::floor(v.get<double>()) != v.get<double>()) {
                    report_.not_carried(pointer(pointer(at, "rateValues"), i), "unsupported-scale",
                                        "Candor scales are whole numbers in a row");
                    return false;
                }
                nums.push_back(v.get<double>());
                if (item.is_object() && item.contains("text")) {
                    std::string shown =
                        item["text"].is_string() ? item["text"].get<std::string>() : "";
                    if (shown != v.dump())
                        report_.not_carried(
                            pointer(pointer(pointer(at, "rateValues"), i), "text"),
                            "unsupported-property",
                            "a label on one point of a scale cannot be carried over "
                            "(Candor labels only the two ends)");
                }
            }
            for (std::size_t i = 1; i < nums.size(); ++i)
                if (nums[i] != nums[i - 1] + 1) {
                    report_.not_carried(pointer(at, "rateValues"), "unsupported-scale",
                                        "Candor scales are whole numbers in a row, lowest first");
                    return false;
                }
            min = nums.front();
            max = nums.back();
        }
        if (std::floor(min) != min || std::floor(max) != max || !(min < max) || max - min > 100) {
            report_.not_carried(at, "unsupported-scale",
                                "the scale " + detail::number_text(min) + ".." +
                                    detail::number_text(max) +
                                    " is not whole numbers, low below high, at most 100 apart");
            return false;
        }
        bool const nps = min == 0 && max == 10 &&
                         std::any_of(opts_.nps.begin(), opts_.nps.end(), [&](std::string const& n) {
                             return n == "*" || n == current_name_;
                         });
        q.kind = nps ? survey::question_kind::nps : survey::question_kind::rating;
        q.min = min;
        q.max = max;
        q.integer = true;
        if (!q.end_labels.empty()) {
            // One end described: the other end's label is empty, as SurveyJS shows nothing there.
            q.end_labels.resize(2);
        }
        return true;
    }

    bool choice(survey::question& q, source_question& src, std::string const& at,
                std::optional<json> const& choices, bool has_other,
                survey::translated_text other_text, bool has_none,
                survey::translated_text none_text) {
        detail::namer codes('v');
        if (has_other) codes.take("other");  // the code of Candor's `other`
        std::vector<std::string> renamed;
        auto add = [&](value const& v, survey::translated_text label, std::string const& here) {
            std::string const written = v.k == value::kind::string ? v.text : v.json();
            std::string code = codes.take(written);
            if (code != written) renamed.push_back(written + " -> " + code);
            // SurveyJS shows the value of a choice without text, Candor the code: the same
            // unless the code had to differ.
            if (label.empty() && code != written) build_.add_text(label, "", written, here);
            q.options.push_back({code, std::move(label)});
            src.options.push_back({code, v.json()});
        };
        if (!choices || choices->empty()) {
            report_.not_carried(at, "unsupported-property",
                                "a choice without `choices` (or with choices from elsewhere) "
                                "cannot be carried over");
            return false;
        }
        for (std::size_t i = 0; i < choices->size(); ++i) {
            auto const& item = (*choices)[i];
            std::string const here = pointer(pointer(at, "choices"), i);
            survey::translated_text label;
            json const* v = &item;
            if (item.is_object()) {
                if (!item.contains("value")) {
                    report_.broken(here, "bad-surveyjs", "a choice has a `value`");
                    continue;
                }
                v = &item["value"];
                for (auto const& [key, x] : item.items()) {
                    if (key == "value") continue;
                    if (key == "text")
                        text(label, x, pointer(here, key));
                    else
                        unsupported_property(key, pointer(here, key));
                }
            }
            if (!(v->is_string() || v->is_number() || v->is_boolean())) {
                report_.broken(here, "bad-surveyjs",
                               "a choice's value is a string, a number or a boolean");
                continue;
            }
            value const val = of_json(*v);
            add(val, std::move(label), here);
        }
        if (has_none) {
            if (none_text.empty()) build_.add_text(none_text, "", "None", at);
            value none;
            none.k = value::kind::string;
            none.text = "none";
            add(none, std::move(none_text), at);
        }
        if (has_other) {
            if (other_text.empty()) build_.add_text(other_text, "", "Other (describe)", at);
            q.other = std::move(other_text);
            src.options.push_back({"other", "\"other\""});
        }
        if (!renamed.empty()) {
            std::string list;
            for (auto const& r : renamed) list += (list.empty() ? "" : ", ") + r;
            report_.note(pointer(at, "choices"), "renamed-codes",
                         "option values that are not Candor names are coded " + list);
        }
        return true;
    }

    bool text_question(survey::question& q, std::string const& at, std::string const& input_type,
                       std::optional<double> lo, std::optional<double> hi) {
        using survey::question_kind;
        if (input_type == "text")
            q.kind = question_kind::text;
        else if (input_type == "email")
            q.kind = question_kind::email;
        else if (input_type == "date")
            q.kind = question_kind::date;
        else if (input_type == "tel")
            q.kind = question_kind::phone;
        else if (input_type == "number") {
            q.kind = question_kind::number;
            q.integer = false;
            if (lo && hi) {
                q.has_range = true;
                q.min = *lo;
                q.max = *hi;
            } else if (lo || hi) {
                report_.not_carried(at, "unsupported-property",
                                    "a number with only one bound cannot be carried over "
                                    "(Candor ranges have both ends)");
            }
        } else {
            report_.not_carried(
                pointer(at, "inputType"), "unsupported-type",
                "a text input of type `" + input_type + "` has no Candor equivalent");
            return false;
        }
        return true;
    }

    // ---- Conditions

    std::string combine(std::vector<inherited> const& list) {
        std::string out;
        for (auto const& c : list) {
            std::string one = condition(c.expression, c.place);
            if (one.empty()) continue;
            out =
                out.empty() ? one : detail::parenthesise(out) + " and " + detail::parenthesise(one);
        }
        return out;
    }

    // The Candor text of one SurveyJS condition, or "" after reporting why not.
    std::string condition(std::string const& text, std::string const& place) {
        return detail::translate(report_, detail::parse_surveyjs(text), text, place,
                                 [&](node const& n) { return boolean(n); });
    }

    struct operand {
        survey::question const* q = nullptr;
        source_question const* src = nullptr;
        bool length = false;  // {q.length}
    };

    operand question_of(node const& n) {
        std::string name = n.name;
        operand out;
        if (name.size() > 7 && name.compare(name.size() - 7, 7, ".length") == 0 &&
            !build_.find(name)) {
            name.resize(name.size() - 7);
            out.length = true;
        }
        out.q = build_.find(name);
        out.src = build_.source(name);
        if (!out.q) {
            if (mentioned_later(name))
                refuse("forward-reference",
                       "`{" + name +
                           "}` is asked later; a Candor condition reads only earlier questions");
            refuse(
                "unknown-variable",
                "`{" + name + "}` is no question asked before (a variable or calculated value?)");
        }
        if (out.length && out.q->kind != survey::question_kind::choice_many)
            refuse("unsupported-expression", "`.length` is carried over only on a multiple choice");
        return out;
    }

    bool mentioned_later(std::string const& name) const {
        // Any question of that name anywhere in the file.
        std::vector<json const*> todo{&root_};
        for (std::size_t steps = 0; !todo.empty() && steps < 1000000; ++steps) {
            json const* j = todo.back();
            todo.pop_back();
            if (j->is_object()) {
                if (auto n = j->find("name"); n != j->end() && *n == name && j->contains("type"))
                    return true;
                for (auto const& [k, v] : j->items())
                    if (v.is_structured()) todo.push_back(&v);
            } else if (j->is_array()) {
                for (auto const& v : *j) todo.push_back(&v);
            }
        }
        return false;
    }

    std::string boolean(node const& n) {
        using K = node::kind;
        if (n.k == K::binary && (n.name == "and" || n.name == "or"))
            return detail::join(n, [&](node const& a) { return boolean(a); });
        if (n.k == K::unary && n.name == "not") return detail::negate(boolean(n.args[0]));
        if (n.k == K::unary && (n.name == "empty" || n.name == "notempty")) {
            if (n.args[0].k != K::variable)
                refuse("unsupported-expression",
                       "`" + n.name + "` is carried over on a question only");
            auto op = question_of(n.args[0]);
            if (op.length) refuse("unsupported-expression", "`.length` is a number, never empty");
            std::string const answered = "answered(" + op.q->id + ")";
            return n.name == "empty" ? "not " + answered : answered;
        }
        if (n.k == K::literal && n.literal.k == value::kind::boolean)
            return n.literal.flag ? "yes" : "no";
        if (n.k == K::variable) {
            auto op = question_of(n);
            if (op.q->kind != survey::question_kind::yesno || op.length)
                refuse("unsupported-expression",
                       "`{" + n.name + "}` alone is a condition only for a boolean");
            return op.q->id + " == yes";
        }
        if (n.k == K::binary) return comparison(n);
        if (n.k == K::call)
            refuse("unsupported-function",
                   "the function `" + n.name + "` has no Candor equivalent");
        refuse("unsupported-expression", "this is not a condition Candor can carry over");
    }

    std::string comparison(node const& n) {
        using K = node::kind;
        std::string op = n.name;
        static constexpr std::string_view arithmetic[] = {"+", "-", "*", "/", "%"};
        if (std::find(std::begin(arithmetic), std::end(arithmetic), op) != std::end(arithmetic))
            refuse("unsupported-expression",
                   "arithmetic is not carried over (SurveyJS counts an "
                   "unanswered question as 0, Candor as no value)");
        node const* left = &n.args[0];
        node const* right = &n.args[1];
        for (auto const* side : {left, right}) {
            if (side->k == K::call)
                refuse("unsupported-function",
                       "the function `" + side->name + "` has no Candor equivalent");
            if (side->k == K::binary || side->k == K::unary)
                refuse("unsupported-expression",
                       "arithmetic is not carried over (SurveyJS counts an "
                       "unanswered question as 0, Candor as no value)");
        }
        if (left->k != K::variable && right->k == K::variable && detail::is_ordering(op)) {
            std::swap(left, right);
            op = detail::mirror(op);
        }
        if (left->k != K::variable)
            refuse("unsupported-expression",
                   "a comparison is carried over when it reads a question");
        auto const a = question_of(*left);
        if (right->k == K::variable) return two_questions(a, op, question_of(*right));
        if (right->k != K::literal && right->k != K::list)
            refuse("unsupported-expression", "a question is compared with a value or a list");
        if (right->k == K::list)
            for (auto const& item : right->args)
                if (item.k != K::literal)
                    refuse("unsupported-expression", "a list holds values only");

        using survey::question_kind;
        if (a.length) return count_comparison(a, op, *right);
        switch (a.q->kind) {
            case question_kind::choice_one:
                return one_choice(a, op, *right);
            case question_kind::choice_many:
                return many_choices(a, op, *right);
            case question_kind::yesno:
                return yes_no(a, op, *right);
            case question_kind::text:
            case question_kind::email:
            case question_kind::phone:
            case question_kind::date:
                return text_comparison(a, op, *right);
            default:
                return number_comparison(a.q->id, op, *right);
        }
    }

    static value single(node const& v, std::string const& op) {
        if (v.k != node::kind::literal)
            refuse("unsupported-expression", "`" + op + "` takes one value here, not a list");
        return v.literal;
    }

    std::string number_comparison(std::string const& id, std::string const& op, node const& right) {
        if (op == "anyof" || op == "noneof") {
            if (right.k != node::kind::list)
                refuse("unsupported-expression", "`" + op + "` takes a list");
            std::vector<std::string> items;
            for (auto const& item : right.args) {
                auto d = item.literal.as_number();
                if (!d) refuse("unsupported-expression", "a number question compared with text");
                items.push_back(detail::number_text(*d));
            }
            if (items.empty()) return op == "anyof" ? "no" : "yes";
            std::string in = id + " in (";
            for (std::size_t i = 0; i < items.size(); ++i) in += (i ? ", " : "") + items[i];
            in += ")";
            return op == "anyof" ? in : detail::negate(in);
        }
        value const v = single(right, op);
        auto d = v.as_number();
        if (!d || !detail::is_ordering(op))
            refuse(
                "unsupported-expression",
                "a number question is compared with numbers (=, !=, <, >, <=, >=, anyof, noneof)");
        return detail::compare_text(id, op, detail::number_text(*d));
    }

    std::string count_comparison(operand const& a, std::string const& op, node const& right) {
        return number_comparison("count(" + a.q->id + ")", op, right);
    }

    std::string two_questions(operand const& a, std::string const& op, operand const& b) {
        using survey::question_kind;
        auto numeric = [](operand const& x) {
            return x.length || survey::is_scale(x.q->kind) || x.q->kind == question_kind::number;
        };
        if (!numeric(a) || !numeric(b) || !detail::is_ordering(op))
            refuse("unsupported-expression",
                   "two questions are compared only when both are numbers");
        auto term = [](operand const& x) { return x.length ? "count(" + x.q->id + ")" : x.q->id; };
        auto missing = [&](operand const& x) {
            return x.length ? std::string("no") : "not answered(" + x.q->id + ")";
        };
        // SurveyJS: two unanswered questions are equal, and unequal to any value.
        std::string const equal =
            term(a) + " == " + term(b) + " or " + missing(a) + " and " + missing(b);
        if (op == "=") return equal;
        if (op == "!=") return detail::negate(equal);
        return term(a) + " " + op + " " + term(b);
    }

    std::string yes_no(operand const& a, std::string const& op, node const& right) {
        value const v = single(right, op);
        std::optional<bool> b;
        if (v.k == value::kind::boolean)
            b = v.flag;
        else if (v.k == value::kind::string && (folded(v) == "true" || folded(v) == "false"))
            b = folded(v) == "true";
        if (!b || (op != "=" && op != "!="))
            refuse("unsupported-expression", "a boolean is compared with true or false (=, !=)");
        std::string const eq = a.q->id + " == " + (*b ? "yes" : "no");
        return op == "=" ? eq : detail::negate(eq);
    }

    std::string text_comparison(operand const& a, std::string const& op, node const& right) {
        if (op == "contains" || op == "notcontains") {
            value const v = single(right, op);
            if (v.k != value::kind::string || v.text.empty())
                refuse("unsupported-expression", "text contains a non-empty text");
            for (unsigned char c : v.text)
                if (c >= 0x80)
                    refuse(
                        "unsupported-expression",
                        "`contains` with letters beyond ASCII: SurveyJS ignores their case, Candor "
                        "only that of A-Z");
            std::string const has = a.q->id + " contains " + survey::quote(v.text);
            return op == "contains" ? has : detail::negate(has);
        }
        refuse("unsupported-expression",
               "SurveyJS compares texts ignoring case and spaces around them, Candor exactly: only "
               "contains, notcontains, empty and notempty are carried over on a text");
    }

    // The options of a choice for which SurveyJS's test holds.
    std::vector<std::string> codes_where(operand const& a, auto&& test) {
        std::vector<std::string> out;
        for (auto const& o : a.src->options) {
            json const v = json::parse(o.value);
            if (test(of_json(v))) out.push_back(o.code);
        }
        return out;
    }

    std::string one_choice(operand const& a, std::string const& op, node const& right) {
        std::string const& id = a.q->id;
        std::size_t const all = a.src->options.size();
        auto in = [&](std::vector<std::string> const& codes) {
            return codes.size() == all ? "answered(" + id + ")" : detail::any_code(id, codes);
        };
        if (op == "anyof" || op == "noneof") {
            if (right.k != node::kind::list)
                refuse("unsupported-expression", "`" + op + "` takes a list");
            auto codes = codes_where(a, [&](value const& v) {
                return std::any_of(right.args.begin(), right.args.end(),
                                   [&](node const& item) { return sjs_equal(v, item.literal); });
            });
            return op == "anyof" ? in(codes) : detail::negate(in(codes));
        }
        value const lit = single(right, op);
        std::vector<std::string> codes;
        bool negated = false;
        if (op == "=" || op == "!=") {
            codes = codes_where(a, [&](value const& v) { return sjs_equal(v, lit); });
            negated = op == "!=";
        } else if (op == "<" || op == ">" || op == "<=" || op == ">=") {
            codes = codes_where(a, [&](value const& v) {
                int c = sjs_order(v, lit);
                return op == "<" ? c < 0 : op == ">" ? c > 0 : op == "<=" ? c <= 0 : c >= 0;
            });
        } else if (op == "contains" || op == "notcontains") {
            std::string const needle =
                util::ascii_lower(lit.k == value::kind::string ? lit.text : lit.json());
            if (needle.empty()) refuse("unsupported-expression", "contains a non-empty text");
            codes = codes_where(a, [&](value const& v) {
                return util::ascii_lower(v.k == value::kind::string ? v.text : v.json())
                           .find(needle) != std::string::npos;
            });
            negated = op == "notcontains";
        } else {
            refuse("unsupported-expression", "`" + op + "` is not carried over on a single choice");
        }
        return negated ? detail::negate(in(codes)) : in(codes);
    }

    std::string many_choices(operand const& a, std::string const& op, node const& right) {
        std::string const& id = a.q->id;
        auto code_of = [&](value const& lit) -> std::optional<std::string> {
            auto codes = codes_where(a, [&](value const& v) { return sjs_equal(v, lit); });
            if (codes.empty()) return std::nullopt;
            return codes.front();
        };
        auto has = [&](value const& lit) {
            auto c = code_of(lit);
            return c ? id + " contains " + survey::quote(*c) : std::string("no");
        };
        if (op == "contains" || op == "notcontains") {
            std::string const h = has(single(right, op));
            return op == "contains" ? h : detail::negate(h);
        }
        if (op == "anyof" || op == "allof" || op == "noneof" || op == "=" || op == "!=") {
            if (right.k != node::kind::list)
                refuse("unsupported-expression", "`" + op + "` on a multiple choice takes a list");
            std::vector<std::string> parts;
            for (auto const& item : right.args) parts.push_back(has(item.literal));
            std::string const join = op == "anyof" || op == "noneof" ? " or " : " and ";
            std::string out;
            for (auto const& p : parts) out += (out.empty() ? "" : join) + p;
            if (op == "=" || op == "!=") {
                // The same set: every item chosen, and nothing else.
                out += (out.empty() ? "" : " and ") +
                       ("count(" + id + ") == " + std::to_string(parts.size()));
                if (parts.empty()) out = "count(" + id + ") == 0";
                return op == "=" ? out : detail::negate(out);
            }
            if (parts.empty())
                return op == "allof" ? "answered(" + id + ")" : op == "anyof" ? "no" : "yes";
            return op == "noneof" ? detail::negate(out) : out;
        }
        refuse("unsupported-expression", "`" + op + "` is not carried over on a multiple choice");
    }

    json const& root_;
    import_options const& opts_;
    detail::report report_;
    detail::builder build_;
    std::string current_page_;
    std::string current_name_;
};

}  // namespace

result<imported> import_surveyjs(std::string_view text, import_options const& options,
                                 std::string_view file_name) {
    std::string const file(file_name);
    if (text.size() > max_import_bytes)
        return fail("too-large",
                    "a SurveyJS file is at most " + std::to_string(max_import_bytes >> 20) + " MiB",
                    {.file = file});
    json root;
    try {
        root = json::parse(text);
    } catch (json::parse_error const& e) {
        return fail("bad-json", std::string("not JSON: ") + e.what(),
                    {.file = file, .offset = static_cast<std::uint64_t>(e.byte)});
    }
    return sjs_import(root, options, file).run(file_name);
}

}  // namespace candor::interop
