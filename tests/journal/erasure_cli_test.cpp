// `candor hq erase` and `candor hq subject` as head office runs them: cards taken with
// `candor submit`, exported, imported; a guest's personal answers erased by e-mail and by
// receipt; what stays (every card, its other answers) and what is refused (bad input).
#include <doctest/doctest.h>

#include <algorithm>

#include "../support/cli.hpp"

using namespace candor;
using candor::test::read_text;
using candor::test::run_cli;
namespace fs = std::filesystem;

namespace {

std::string const survey = CANDOR_SOURCE_DIR "/examples/surveys/hotel-stay.survey";

std::string card(int i, std::string const& email, std::string const& phone) {
    return R"({"survey":"hotel-stay","version":3,"language":"en","fields":{"site":"paris-01","device":"kiosk-1","channel":"kiosk","shift":"day"},"submitted":"2026-11-02T10:16:1)" +
           std::to_string(i) + R"(Z","answers":{"recommend":)" + std::to_string(i) +
           R"(,"satisfaction":4,"contact_me":true,"phone":")" + phone + R"(","email":")" + email +
           "\"}}\n";
}

bool contains(std::string const& text, std::string const& part) {
    return text.find(part) != std::string::npos;
}

// Every file under `dir` whose bytes hold `part`.
std::vector<fs::path> holding(fs::path const& dir, std::string const& part) {
    std::vector<fs::path> out;
    for (auto const& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file() && contains(read_text(e.path()), part)) out.push_back(e.path());
    return out;
}

struct head_office {
    test::temp_dir dir;
    std::string store = (dir / "store").string();
    std::string hq_key = (dir / "hq" / "hq.key").string();
    std::vector<std::string> receipts;

    head_office() {
        REQUIRE(run_cli({"keys", "hq", "--out", (dir / "hq").string()}).status == 0);
        REQUIRE(run_cli({"keys", "device", "--id", "kiosk-1", "--out", (dir / "device").string()})
                    .status == 0);
        std::ofstream(dir / "cards.jsonl") << card(1, "Erase.Me@example.com", "+33 6 11 22 33 44")
                                           << card(2, "keep@example.com", "+33 6 55 66 77 88")
                                           << card(3, "erase.me@example.com", "+33 6 11 22 33 44")
                                           << card(4, "receipt@example.com", "+33 6 99 00 99 00");
        auto submitted =
            run_cli({"submit", "--survey", survey, "--journal", (dir / "journal").string(),
                     "--device-key", (dir / "device" / "kiosk-1.key").string(), "--hq-public",
                     (dir / "hq" / "hq.pub").string(), (dir / "cards.jsonl").string()});
        REQUIRE(submitted.status == 0);
        std::istringstream lines(submitted.out);
        std::string code, seq;
        while (lines >> code >> seq) receipts.push_back(code);
        REQUIRE(receipts.size() == 4);
        REQUIRE(run_cli({"journal", "export", (dir / "journal").string(), "--out",
                         (dir / "b.bundle").string()})
                    .status == 0);
        REQUIRE(import().status == 0);
    }
    test::cli_result import() const {
        return run_cli({"hq", "import", "-q", "--store", store, "--hq-key", hq_key, "--devices",
                        (dir / "device" / "kiosk-1.pub").string(), (dir / "b.bundle").string()});
    }
    test::cli_result erase(std::vector<std::string> guest, std::string const& by = "dpo") const {
        std::vector<std::string> args{"hq", "erase", "--store", store, "--hq-key", hq_key};
        args.insert(args.end(), guest.begin(), guest.end());
        if (!by.empty()) args.insert(args.end(), {"--by", by});
        return run_cli(args);
    }
    test::cli_result subject(std::string const& email) const {
        return run_cli({"hq", "subject", "--store", store, "--hq-key", hq_key, "--email", email});
    }
    test::cli_result responses() const {
        return run_cli({"hq", "responses", "--store", store, "--hq-key", hq_key});
    }
};

}  // namespace

TEST_CASE("hq subject prints the guest's cards, hq erase erases them, every card still counts") {
    head_office h;
    auto s = h.subject("ERASE.ME@example.com");
    REQUIRE(s.status == 0);
    CHECK(contains(s.out, "+33 6 11 22 33 44"));
    CHECK(contains(s.out, h.receipts[0]));
    CHECK(contains(s.out, h.receipts[2]));
    CHECK_FALSE(contains(s.out, h.receipts[1]));
    CHECK(contains(s.out, R"("personal":"opened")"));
    auto before = h.responses();
    REQUIRE(before.status == 0);
    CHECK(contains(before.out, "Erase.Me@example.com"));

    auto e = h.erase({"--email", "erase.me@example.com"}, "dpo@chain");
    CHECK(e.status == 0);
    CHECK(contains(e.out, "2 cards erased"));
    CHECK(contains(e.out, h.receipts[0]));
    CHECK(holding(h.dir / "store", "Erase.Me@example.com").empty());
    CHECK(holding(h.dir / "store", "erase.me@example.com").empty());
    CHECK(holding(h.dir / "store", "+33 6 11 22 33 44").empty());
    CHECK(holding(h.dir / "store", "dpo@chain").size() == 1);  // the erasure log's `by`

    // By receipt.
    e = h.erase({"--receipt", h.receipts[3]});
    CHECK(e.status == 0);
    CHECK(contains(e.out, "1 cards erased"));

    auto after = h.responses();
    REQUIRE(after.status == 0);
    CHECK(std::count(after.out.begin(), after.out.end(), '\n') == 4);  // every card opens
    CHECK_FALSE(contains(after.out, "Erase.Me@example.com"));
    CHECK_FALSE(contains(after.out, "erase.me@example.com"));
    CHECK_FALSE(contains(after.out, "receipt@example.com"));
    CHECK(contains(after.out, "keep@example.com"));
    CHECK(contains(after.out, R"("recommend":1)"));
    CHECK(contains(after.out, R"("recommend":3)"));
    auto gone = h.subject("erase.me@example.com");
    CHECK(gone.status == 0);
    CHECK(contains(gone.out, R"("cards":[])"));
    // The device's journal still verifies; importing its bundle again restores nothing.
    CHECK(run_cli({"journal", "verify", (h.dir / "journal").string()}).status == 0);
    auto again = h.import();
    CHECK(again.status == 0);
    CHECK(contains(again.out, "0 accepted, 4 already had"));
    CHECK_FALSE(contains(h.responses().out, "Erase.Me@example.com"));
}

TEST_CASE("hq erase: again, an unknown guest and bad input change nothing") {
    head_office h;
    REQUIRE(h.erase({"--email", "erase.me@example.com"}).status == 0);
    auto const kept = h.responses().out;
    auto again = h.erase({"--email", "erase.me@example.com"});
    CHECK(again.status == 0);
    CHECK(contains(again.out, "not-found"));
    CHECK(contains(again.out, "0 cards erased"));
    auto by_code = h.erase({"--receipt", h.receipts[0]});
    CHECK(by_code.status == 0);
    CHECK(contains(by_code.out, "already-erased"));
    auto unknown = h.erase({"--email", "nobody@example.com"});
    CHECK(unknown.status == 0);
    CHECK(contains(unknown.out, "0 cards erased"));

    auto bad = h.erase({"--email", "not an address"});
    CHECK(bad.status == 2);
    CHECK(contains(bad.err, "bad-email"));
    bad = h.erase({"--email", std::string(100000, 'x') + "@example.com"});
    CHECK(bad.status == 2);
    CHECK(contains(bad.err, "bad-email"));
    bad = h.erase({"--receipt", "??"});
    CHECK(bad.status == 2);
    CHECK(contains(bad.err, "bad-receipt"));
    bad = h.erase({});
    CHECK(bad.status == 2);
    CHECK(contains(bad.err, "bad-guest"));
    CHECK(h.erase({"--email", "keep@example.com", "--receipt", h.receipts[1]}).status != 0);
    CHECK(h.erase({"--email", "keep@example.com"}, "").status != 0);  // --by is required
    bad = h.subject("no-at-sign");
    CHECK(bad.status == 2);
    CHECK(contains(bad.err, "bad-email"));
    CHECK(h.responses().out == kept);
    CHECK(contains(kept, "keep@example.com"));
}
