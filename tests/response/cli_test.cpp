// `candor validate`, `export` and `submit` on a JSON Lines file with hostile lines among good
// ones (1e400, a million-digit integer, bytes that are not UTF-8, a control character, a
// 20 MB line, 100,000-deep nesting): each bad line is reported at FILE:LINE with its code and
// the good lines go on. `submit -` from a pipe keeps taking cards after a bad line.
#include <doctest/doctest.h>

#include <algorithm>

#include "../support/cli.hpp"

using namespace candor;
using candor::test::run_cli;

namespace {

std::string const survey = CANDOR_SOURCE_DIR "/examples/surveys/hotel-stay.survey";

std::string good(int recommend) {
    return R"({"survey":"hotel-stay","version":3,"language":"en","fields":{"site":"paris-01","device":"kiosk-1","channel":"kiosk","shift":"day"},"submitted":"2026-11-02T10:16:12Z","answers":{"recommend":)" +
           std::to_string(recommend) +
           R"(,"satisfaction":5,"reason":"leisure","contact_me":false}})";
}

std::string with_answer(std::string const& value) {
    std::string line = good(9);
    line.replace(line.find("9,"), 1, value);
    return line;
}

// Line N of the file, and the code its refusal carries ("" for a good line).
std::vector<std::pair<std::string, std::string>> const hostile_lines{
    {good(9), ""},
    {with_answer("1e400"), "number-too-large"},
    {with_answer(std::string(1000000, '9')), "number-too-large"},
    {with_answer("\"\xFF\xFE\""), "json"},
    {with_answer("\"bell\x07\""), "json"},
    {with_answer("\"" + std::string(20u << 20, 'x') + "\""), "too-large"},
    {std::string(100000, '[') + std::string(100000, ']'), "too-deep"},
    {good(3), ""},
};

std::string hostile_file() {
    std::string text;
    for (auto const& [line, code] : hostile_lines) text += line + "\n";
    return text;
}

struct keys {
    test::temp_dir dir;
    keys() {
        REQUIRE(run_cli({"keys", "hq", "--out", (dir / "hq").string()}).status == 0);
        REQUIRE(run_cli({"keys", "device", "--id", "kiosk-1", "--out", (dir / "device").string()})
                    .status == 0);
    }
    std::vector<std::string> submit(std::string const& journal, std::string const& input) const {
        return {"submit",
                "--survey",
                survey,
                "--journal",
                journal,
                "--device-key",
                (dir / "device" / "kiosk-1.key").string(),
                "--hq-public",
                (dir / "hq" / "hq.pub").string(),
                input};
    }
};

bool contains(std::string const& text, std::string const& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("validate reports each hostile line at its line and code, and accepts the good ones") {
    test::temp_dir dir;
    std::ofstream(dir / "h.jsonl", std::ios::binary) << hostile_file();
    auto const file = (dir / "h.jsonl").string();
    auto r = run_cli({"validate", "--survey", survey, file});
    CHECK(r.status == 1);
    for (std::size_t i = 0; i < hostile_lines.size(); ++i) {
        auto const where = file + ":" + std::to_string(i + 1) + ": ";
        CAPTURE(where);
        auto const& code = hostile_lines[i].second;
        if (code.empty()) {
            CHECK(contains(r.out, where + "accepted"));
        } else {
            auto at = r.out.find(where + "rejected\n");
            REQUIRE(at != std::string::npos);
            auto next = r.out.find('\n', r.out.find('\n', at) + 1);
            CHECK(contains(r.out.substr(at, next - at), "[" + code + "]"));
        }
    }
    CHECK(contains(r.out, "2 accepted, 6 rejected"));
    CHECK(r.out.size() < 10000);  // no line echoed whole
    // From standard input too.
    auto piped = run_cli({"validate", "--survey", survey, "-"}, hostile_file());
    CHECK(piped.status == 1);
    CHECK(contains(piped.out, "-:2: rejected"));
    CHECK(contains(piped.out, "2 accepted, 6 rejected"));
}

TEST_CASE("export writes the good lines of a hostile file and counts the others") {
    test::temp_dir dir;
    std::ofstream(dir / "h.jsonl", std::ios::binary) << hostile_file();
    auto r = run_cli({"export", "--csv", "--survey", survey, (dir / "h.jsonl").string()});
    CHECK(r.status == 0);
    CHECK(contains(r.err, "6 invalid response(s) skipped"));
    std::size_t rows = 0;
    for (std::size_t p = 0; (p = r.out.find("\r\n", p)) != std::string::npos; p += 2) ++rows;
    CHECK(rows == 3);  // the header and two responses
    CHECK(contains(r.out, "hotel-stay,3,en,2026-11-02T10:16:12Z,,paris-01,kiosk-1,kiosk,day,,9,"));
    CHECK(contains(r.out, "hotel-stay,3,en,2026-11-02T10:16:12Z,,paris-01,kiosk-1,kiosk,day,,3,"));
}

TEST_CASE("submit journals the good lines of a hostile file and reports the others at their line") {
    keys k;
    auto const journal = (k.dir / "journal").string();
    std::ofstream(k.dir / "h.jsonl", std::ios::binary) << hostile_file();
    auto const file = (k.dir / "h.jsonl").string();
    auto r = run_cli(k.submit(journal, file));
    CHECK(r.status == 1);
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 2);  // two receipts
    for (std::size_t i = 0; i < hostile_lines.size(); ++i) {
        if (hostile_lines[i].second.empty()) continue;
        CAPTURE(i);
        CHECK(contains(r.err, file + ":" + std::to_string(i + 1) + ": rejected"));
        CHECK(contains(r.err, "[" + hostile_lines[i].second + "]"));
    }
    CHECK(contains(run_cli({"journal", "verify", journal}).out,
                   "2 records of device kiosk-1, verified"));
}

TEST_CASE("submit - from a pipe keeps taking cards after each hostile line") {
    keys k;
    auto const journal = (k.dir / "journal").string();
    test::cli_session device(k.submit(journal, "-"));
    REQUIRE(device.started());
    std::size_t receipts = 0;
    for (auto const& [line, code] : hostile_lines) {
        REQUIRE(device.send(line + "\n"));
        // After every line, a good one must still be taken, and its receipt come at once.
        REQUIRE(device.send(good(7) + "\n"));
        auto receipt = device.read_line();
        REQUIRE(receipt.has_value());
        CHECK(receipt->find(' ') != std::string::npos);
        ++receipts;
        if (code.empty()) {
            REQUIRE(device.read_line().has_value());
            ++receipts;
        }
    }
    CHECK(device.finish() == 1);
    auto const err = device.err();
    CHECK(contains(err, "-:3: rejected"));  // 1e400, after a good line and one more
    CHECK(contains(err, "[too-deep]"));
    CHECK(contains(run_cli({"journal", "verify", journal}).out,
                   std::to_string(receipts) + " records of device kiosk-1, verified"));
}

TEST_CASE("export --anonymize: the sample's cards without one e-mail address, times at midnight") {
    std::string const sample = CANDOR_SOURCE_DIR "/examples/data/hotel-stay.sample.jsonl";
    auto plain = run_cli({"export", "--csv", "--survey", survey, sample});
    auto anonymous = run_cli({"export", "--csv", "--anonymize", "--survey", survey, sample});
    REQUIRE(plain.status == 0);
    REQUIRE(anonymous.status == 0);
    CHECK(contains(plain.out, "@"));
    CHECK_FALSE(contains(anonymous.out, "@"));
    auto rows = [](std::string const& text) { return std::count(text.begin(), text.end(), '\n'); };
    CHECK(rows(anonymous.out) == rows(plain.out));
    // Every time is the start of its day: each "T" of a timestamp is followed by 00:00:00Z.
    std::size_t times = 0;
    for (auto at = anonymous.out.find("Z,"); at != std::string::npos;
         at = anonymous.out.find("Z,", at + 1))
        if (at >= 19 && anonymous.out[at - 9] == 'T') {
            CHECK(anonymous.out.substr(at - 9, 10) == "T00:00:00Z");
            ++times;
        }
    CHECK(times >= static_cast<std::size_t>(rows(plain.out) - 1));
}
