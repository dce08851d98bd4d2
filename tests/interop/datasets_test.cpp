// The .sav read back with ReadStat's own reader: every value, variable label and value
// label compared with the responses and the survey. (The .xlsx: check_xlsx.py.)
#include <doctest/doctest.h>
#include <readstat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "candor/interop/datasets.hpp"
#include "candor/response/json.hpp"
#include "candor/response/validate.hpp"
#include "candor/survey/parse.hpp"
#include "support/temp_dir.hpp"

using namespace candor;

namespace {

struct sav {
    std::vector<std::string> names, labels;
    std::vector<std::string> label_sets;                                // per variable
    std::map<std::string, std::map<double, std::string>> value_labels;  // by label set
    std::vector<std::vector<std::string>> rows;  // values as text; "" when missing
    long row_count = -1;
};

std::string text_of(readstat_value_t v) {
    if (readstat_value_is_system_missing(v)) return "";
    if (readstat_value_type(v) == READSTAT_TYPE_STRING) {
        char const* s = readstat_string_value(v);
        return s ? s : "";
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", readstat_double_value(v));
    return buf;
}

sav read(std::string const& path) {
    sav out;
    readstat_parser_t* p = readstat_parser_init();
    readstat_set_metadata_handler(p, [](readstat_metadata_t* m, void* ctx) -> int {
        static_cast<sav*>(ctx)->row_count = readstat_get_row_count(m);
        return READSTAT_HANDLER_OK;
    });
    readstat_set_variable_handler(
        p, [](int, readstat_variable_t* v, char const* val_labels, void* ctx) -> int {
            auto& s = *static_cast<sav*>(ctx);
            s.names.push_back(readstat_variable_get_name(v));
            char const* l = readstat_variable_get_label(v);
            s.labels.push_back(l ? l : "");
            s.label_sets.push_back(val_labels ? val_labels : "");
            return READSTAT_HANDLER_OK;
        });
    readstat_set_value_handler(
        p, [](int obs, readstat_variable_t* v, readstat_value_t value, void* ctx) -> int {
            auto& s = *static_cast<sav*>(ctx);
            if (static_cast<std::size_t>(obs) >= s.rows.size())
                s.rows.resize(static_cast<std::size_t>(obs) + 1);
            s.rows[static_cast<std::size_t>(obs)].resize(s.names.size());
            s.rows[static_cast<std::size_t>(obs)]
                  [static_cast<std::size_t>(readstat_variable_get_index(v))] = text_of(value);
            return READSTAT_HANDLER_OK;
        });
    readstat_set_value_label_handler(
        p, [](char const* set, readstat_value_t value, char const* label, void* ctx) -> int {
            static_cast<sav*>(ctx)->value_labels[set][readstat_double_value(value)] = label;
            return READSTAT_HANDLER_OK;
        });
    readstat_error_t e = readstat_parse_sav(p, path.c_str(), &out);
    readstat_parser_free(p);
    REQUIRE_MESSAGE(e == READSTAT_OK, readstat_error_message(e));
    return out;
}

survey::survey hotel() {
    auto s = survey::parse_file(CANDOR_SOURCE_DIR "/examples/surveys/hotel-stay.survey");
    REQUIRE(s);
    return *s;
}

std::vector<response::response> responses(survey::survey const& s) {
    std::ifstream in(CANDOR_SOURCE_DIR "/examples/surveys/hotel-stay.responses.jsonl");
    std::vector<response::response> out;
    for (auto& line : response::read_json_lines(in, "hotel-stay.responses.jsonl"))
        if (line.value && response::validate(s, *line.value).empty()) out.push_back(*line.value);
    REQUIRE(out.size() >= 5);
    // A text a spreadsheet would run as a formula: data here, never code.
    for (auto& r : out)
        for (auto& [id, a] : r.answers)
            if (id == "what_went_wrong") {
                a = std::string("=HYPERLINK(\"http://127.0.0.1/\")");
                return out;
            }
    FAIL("no response answers what_went_wrong");
    return out;
}

std::size_t index_of(sav const& f, std::string const& name) {
    auto it = std::find(f.names.begin(), f.names.end(), name);
    REQUIRE_MESSAGE(it != f.names.end(), name);
    return static_cast<std::size_t>(it - f.names.begin());
}

}  // namespace

TEST_CASE("a .sav read back has every value and label of the responses and the survey") {
    auto s = hotel();
    auto rows = responses(s);
    test::temp_dir dir;
    std::string const path = (dir.path() / "hotel.sav").string();
    auto notes = interop::write_sav(path, s, rows, {});
    REQUIRE_MESSAGE(notes, render(notes.error()));
    // reason.other cannot keep its `.` in SPSS: renamed, and said so.
    REQUIRE(notes->size() == 1);
    CHECK(notes->front().code == "renamed");
    CHECK(notes->front().where.field == "reason.other");

    sav f = read(path);
    CHECK(f.row_count == static_cast<long>(rows.size()));
    REQUIRE(f.rows.size() == rows.size());

    // Variable labels: the question texts in the default language.
    auto const recommend = index_of(f, "recommend");
    CHECK(f.labels[recommend] == std::string(s.find("recommend")->prompt.in("en")));
    // Scale end labels as value labels.
    auto const clean = index_of(f, "cleanliness");
    CHECK(f.value_labels[f.label_sets[clean]][1] == "Poor");
    CHECK(f.value_labels[f.label_sets[clean]][5] == "Excellent");
    // A single choice coded 1..n in option order, `other` last, each labelled.
    auto const reason = index_of(f, "reason");
    auto const& reason_labels = f.value_labels[f.label_sets[reason]];
    CHECK(reason_labels.at(1) == "Business");
    CHECK(reason_labels.at(2) == "Leisure");
    CHECK(reason_labels.at(3) == "Other");
    // yes/no as 1/0.
    auto const contact = index_of(f, "contact_me");
    CHECK(f.value_labels[f.label_sets[contact]].at(1) == "Yes");
    // A multiple choice as one 0/1 variable per option.
    auto const spa = index_of(f, "amenities_spa");
    CHECK(f.labels[spa] == std::string(s.find("amenities")->prompt.in("en")) + ": Spa");

    for (std::size_t r = 0; r < rows.size(); ++r) {
        auto const& resp = rows[r];
        auto const& row = f.rows[r];
        CAPTURE(r);
        auto number = [](response::answer const* a) -> std::string {
            if (!a) return "";
            char buf[64];
            std::snprintf(buf, sizeof buf, "%.17g",
                          static_cast<double>(std::get<std::int64_t>(*a)));
            return buf;
        };
        CHECK(row[index_of(f, "survey")] == resp.survey);
        CHECK(row[index_of(f, "site")] == resp.field("site"));
        CHECK(row[recommend] == number(resp.find("recommend")));
        CHECK(row[clean] == number(resp.find("cleanliness")));
        // Submitted: SPSS seconds since 1582-10-14.
        CHECK(std::stod(row[index_of(f, "submitted")]) ==
              static_cast<double>(resp.submitted) + 12219379200.0);
        if (auto const* a = resp.find("reason")) {
            auto const& code = std::get<std::string>(*a);
            CHECK(row[reason] == (code == "business" ? "1" : code == "leisure" ? "2" : "3"));
        } else {
            CHECK(row[reason] == "");
        }
        if (auto const* a = resp.find("contact_me"))
            CHECK(row[contact] == (std::get<bool>(*a) ? "1" : "0"));
        else
            CHECK(row[contact] == "");
        if (auto const* a = resp.find("amenities")) {
            auto const& codes = std::get<response::choice_codes>(*a);
            CHECK(row[spa] ==
                  (std::find(codes.begin(), codes.end(), "spa") != codes.end() ? "1" : "0"));
        } else {
            CHECK(row[spa] == "");
        }
        auto const* wrong = resp.find("what_went_wrong");
        CHECK(row[index_of(f, "what_went_wrong")] == (wrong ? std::get<std::string>(*wrong) : ""));
        auto const* other = resp.find("reason.other");
        CHECK(row[index_of(f, "reason_other")] == (other ? std::get<std::string>(*other) : ""));
    }
}

TEST_CASE("labels come in the language asked for") {
    auto s = hotel();
    auto rows = responses(s);
    test::temp_dir dir;
    std::string const path = (dir.path() / "fr.sav").string();
    REQUIRE(interop::write_sav(path, s, rows, {"fr"}));
    sav f = read(path);
    CHECK(f.labels[index_of(f, "cleanliness")] == "Propreté de la chambre");
    CHECK(f.value_labels[f.label_sets[index_of(f, "cleanliness")]][1] == "Médiocre");
}

TEST_CASE("a file that cannot be written is an io error and leaves nothing") {
    auto s = hotel();
    auto rows = responses(s);
    test::temp_dir dir;
    auto const sav_path = dir.path() / "missing" / "x.sav";
    auto r = interop::write_sav(sav_path.string(), s, rows, {});
    REQUIRE_FALSE(r);
    CHECK(r.error().front().code == "io");
    auto x = interop::write_xlsx((dir.path() / "missing" / "x.xlsx").string(), s, rows, {});
    REQUIRE_FALSE(x);
    CHECK(x.error().front().code == "io");
    CHECK_FALSE(std::filesystem::exists(dir.path() / "missing"));
}
