// Surveys and response checking.
#include <memory>

#include "candor/response/json.hpp"
#include "candor/response/validate.hpp"
#include "candor/error.hpp"
#include "candor/survey/parse.hpp"
#include "internal.hpp"

using namespace candor::c_api;
namespace response = candor::response;

namespace {

candor_status take(candor::result<candor::survey::survey> parsed, std::string_view text,
                   candor_survey** out) {
    if (!parsed) {
        bool io = parsed.error().size() == 1 && parsed.error().front().code == "io";
        return fail(io ? CANDOR_IO_ERROR : CANDOR_PARSE_ERROR, candor::render(parsed.error(), text));
    }
    *out = new candor_survey{std::move(parsed).value()};
    return CANDOR_OK;
}

candor_problems const* checked(candor_problems const* p, std::size_t index) {
    if (p == nullptr || index >= p->value.size()) return nullptr;
    return p;
}

}  // namespace

extern "C" {

candor_status candor_survey_parse(const char* text, size_t length, const char* file_name,
                                  candor_survey** out) {
    return guarded([&] {
        CANDOR_REQUIRE(out != nullptr, "out is NULL");
        *out = nullptr;
        CANDOR_REQUIRE(text != nullptr || length == 0, "text is NULL");
        std::string_view source(text ? text : "", length);
        return take(candor::survey::parse(source, file_name ? file_name : "<input>"), source, out);
    });
}

candor_status candor_survey_load(const char* path, candor_survey** out) {
    return guarded([&] {
        CANDOR_REQUIRE(out != nullptr, "out is NULL");
        *out = nullptr;
        CANDOR_REQUIRE(path != nullptr, "path is NULL");
        return take(candor::survey::parse_file(path), {}, out);
    });
}

void candor_survey_free(candor_survey* survey) { delete survey; }

candor_status candor_survey_id(const candor_survey* survey, char* buf, size_t* size) {
    return guarded([&] {
        CANDOR_REQUIRE(survey != nullptr, "survey is NULL");
        return copy_out(survey->value.id, buf, size);
    });
}

candor_status candor_survey_version(const candor_survey* survey, uint32_t* version) {
    CANDOR_REQUIRE(survey != nullptr && version != nullptr, "NULL argument");
    *version = survey->value.version;
    return CANDOR_OK;
}

candor_status candor_survey_question_count(const candor_survey* survey, size_t* count) {
    CANDOR_REQUIRE(survey != nullptr && count != nullptr, "NULL argument");
    *count = survey->value.questions.size();
    return CANDOR_OK;
}

candor_status candor_check_response(const candor_survey* survey, const char* json, size_t length,
                                    candor_problems** out) {
    return guarded([&] {
        CANDOR_REQUIRE(out != nullptr, "out is NULL");
        *out = nullptr;
        CANDOR_REQUIRE(survey != nullptr, "survey is NULL");
        CANDOR_REQUIRE(json != nullptr || length == 0, "json is NULL");
        auto parsed = response::from_json(std::string_view(json ? json : "", length),
                                         {"<response>", 1, 1});
        if (!parsed) return fail(CANDOR_PARSE_ERROR, parsed.error());
        *out = new candor_problems{response::validate(survey->value, *parsed)};
        return CANDOR_OK;
    });
}

size_t candor_problems_count(const candor_problems* problems) {
    return problems ? problems->value.size() : 0;
}

candor_status candor_problem_question(const candor_problems* problems, size_t index, char* buf,
                                      size_t* size) {
    return guarded([&] {
        CANDOR_REQUIRE(checked(problems, index), "no such problem");
        return copy_out(problems->value[index].where.field, buf, size);
    });
}

candor_status candor_problem_code(const candor_problems* problems, size_t index, char* buf,
                                  size_t* size) {
    return guarded([&] {
        CANDOR_REQUIRE(checked(problems, index), "no such problem");
        return copy_out(problems->value[index].code, buf, size);
    });
}

candor_status candor_problem_message(const candor_problems* problems, size_t index, char* buf,
                                     size_t* size) {
    return guarded([&] {
        CANDOR_REQUIRE(checked(problems, index), "no such problem");
        return copy_out(problems->value[index].message, buf, size);
    });
}

void candor_problems_free(candor_problems* problems) { delete problems; }

}  // extern "C"
