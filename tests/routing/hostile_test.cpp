// Hostile routing input: rules whose conditions chain 200,000 terms or nest past the
// limit, control bytes in org and rules files, and event logs (cases, outbox) holding frames
// that are deep, out-of-range or not UTF-8. Each is refused clearly or handled; none crashes.
#include <doctest/doctest.h>

#include <fstream>

#include "candor/routing/cases.hpp"
#include "candor/routing/outbox.hpp"
#include "candor/routing/router.hpp"
#include "candor/seal/keys.hpp"
#include "fixture.hpp"
#include "util/frame.hpp"

using namespace candor;
using namespace candor::routing;
using routing::testing::card;
using routing::testing::hotel;
using routing::testing::sample_org;

namespace {

std::string chain(std::size_t terms, std::string const& first, std::string const& joint,
                  std::string const& term) {
    std::string out = first;
    for (std::size_t i = 1; i < terms; ++i) out += joint + term;
    return out;
}

result<rule_set> rules_of(std::string const& text) {
    return load_rules(text, "hostile.rules", sample_org(), hotel());
}

// A segment holding these payloads as frames, as an event log stores its events.
void write_log(std::filesystem::path const& dir, std::vector<std::string> const& payloads) {
    std::filesystem::create_directories(dir);
    seal::bytes bytes = util::file_header(util::segment_magic);
    for (auto const& p : payloads) util::append_frame(bytes, seal::as_bytes(p));
    std::ofstream(dir / "seg-000001.cnj", std::ios::binary)
        .write(reinterpret_cast<char const*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
}

std::string deep(std::size_t depth) {
    return std::string(depth, '[') + std::string(depth, ']');
}

}  // namespace

TEST_CASE("a rule of 200,000 `or`ed conditions loads and routes as written") {
    auto rules =
        rules_of("# long\nwhen " + chain(200000, "recommend == 0", " or ", "recommend == 1") +
                 " or what_went_wrong contains \"rude\" notify site_manager\n");
    REQUIRE(rules.has_value());
    router const r(sample_org(), hotel(), *rules);
    CHECK(r.decide(card("paris-01", R"("recommend":1,"satisfaction":4)")).matched.size() == 1);
    CHECK(r.decide(card("paris-01", R"("recommend":0,"satisfaction":4)")).matched.size() == 1);
    CHECK(r.decide(card("paris-01", R"("recommend":7,"satisfaction":4)")).matched.empty());
    CHECK(
        r.decide(card("paris-01", R"("recommend":7,"satisfaction":4,"what_went_wrong":"so rude")"))
            .matched.size() == 1);
}

TEST_CASE("rules of 200,000 `not`s and of a 200,000-term sum load and route") {
    std::string nots;
    for (int i = 0; i < 200000; ++i) nots += "not ";
    auto rules = rules_of("when " + nots +
                          "recommend > 6 notify site_manager\n"
                          "when " +
                          chain(200000, "recommend", " + ", "0") + " < 3 notify site_manager\n");
    REQUIRE(rules.has_value());
    router const r(sample_org(), hotel(), *rules);
    // An even number of `not`s: recommend > 6.
    CHECK(r.decide(card("paris-01", R"("recommend":9,"satisfaction":4)")).matched ==
          std::vector<std::uint32_t>{0});
    CHECK(r.decide(card("paris-01", R"("recommend":2,"satisfaction":4)")).matched ==
          std::vector<std::uint32_t>{1});
}

TEST_CASE("a rule nested 100,000 parentheses deep is refused at its place as too-deep") {
    std::string const open(100000, '(');
    auto rules = rules_of("# deep\n\nwhen " + open + "recommend < 3" +
                          std::string(open.size(), ')') + " notify site_manager\n");
    REQUIRE_FALSE(rules.has_value());
    bool found = false;
    for (auto const& e : rules.error())
        if (e.code == "too-deep") {
            found = true;
            CHECK(e.where.file == "hostile.rules");
            CHECK(e.where.line == 3);
        }
    CHECK(found);
}

TEST_CASE("control bytes in an org or rules file are refused as encoding, at the byte") {
    auto encoding_at = [](errors const& all) {
        for (auto const& e : all)
            if (e.code == "encoding") return e.where.line;
        return std::uint32_t{0};
    };
    auto org = parse_org("brand b\nregion r \"R\x1b[2J\"\n", "bad.org");
    REQUIRE_FALSE(org.has_value());
    CHECK(encoding_at(org.error()) == 2);
    auto rules =
        rules_of("when recommend < 3 notify site_manager\nwhen \x01 notify site_manager\n");
    REQUIRE_FALSE(rules.has_value());
    CHECK(encoding_at(rules.error()) == 2);
}

TEST_CASE("event logs refuse frames that are deep, out of range or not UTF-8, and throw nothing") {
    std::string const good = R"({"t":"nothing-known"})";
    for (std::string bad :
         {deep(100000), std::string(R"({"t":"x","n":1e400})"),
          R"({"t":"x","n":)" + std::string(1000000, '9') + "}", std::string("{\"t\":\"\xFF\"}"),
          std::string(R"({"t":"x","body":"[[[[)") + deep(100000) + "\"}"}) {
        CAPTURE(bad.substr(0, 40));
        routing::testing::temp_dir dir;
        write_log(dir / "cases", {good, bad});
        write_log(dir / "outbox", {bad});
        result<case_log> cases = unexpected(errors{});
        CHECK_NOTHROW(cases = case_log::open(dir / "cases"));
        result<outbox> out = unexpected(errors{});
        CHECK_NOTHROW(out = outbox::open(dir / "outbox"));
        // A deep string is only a string: the JSON is an event (of a kind the log may not know).
        if (bad.find("body") != std::string::npos) continue;
        REQUIRE_FALSE(cases.has_value());
        REQUIRE_FALSE(out.has_value());
        CHECK(cases.error()[0].code == "bad-event");
        CHECK(cases.error()[0].where.offset.has_value());
        CHECK(out.error()[0].code == "bad-event");
        CHECK(cases.error()[0].message.size() < 300);
    }
}

TEST_CASE("a device list refuses ids and keys that are not plain text, at their line") {
    std::string const key = "c7ce257f0b1696c06a4fc6a988829a093c41094aaefeef1adccdf48e00b5c2b6";
    auto list = seal::parse_device_list("device kiosk-1 " + key + "\ndevice kiosk\x1b[2J " + key +
                                            "\ndevice caf\xE9 " + key + "\ndevice kiosk-2 " +
                                            key.substr(0, 63) + "\xFF\n",
                                        "devices.txt");
    REQUIRE_FALSE(list.has_value());
    REQUIRE(list.error().size() == 3);
    CHECK(list.error()[0].code == "invalid-device-id");
    CHECK(list.error()[0].where.line == 2);
    CHECK(list.error()[1].code == "invalid-device-id");
    CHECK(list.error()[1].where.line == 3);
    CHECK(list.error()[2].code == "bad-key");
    CHECK(list.error()[2].where.line == 4);
}
