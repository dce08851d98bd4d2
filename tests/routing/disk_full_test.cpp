// The tools on a full disk, a real one: a 1 MiB tmpfs filled to its last page. `candor
// submit`, `journal export`, `hq import` and `route run` each fail with a clear error and a
// non-zero exit, acknowledge nothing they did not store, leave no .tmp file, and work again,
// losing nothing, once space is freed.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "../support/cli.hpp"
#include "../support/small_tmpfs.hpp"

using namespace candor;
using candor::test::run_cli;

namespace {

std::string const examples = CANDOR_SOURCE_DIR "/examples";
std::string const survey = examples + "/surveys/hotel-stay.survey";

std::string card(int n) {
    return R"({"survey":"hotel-stay","version":3,"language":"en","fields":{"site":"paris-01","device":"kiosk-1","channel":"kiosk","shift":"night"},"submitted":"2026-11-02T10:16:)" +
           std::string(n < 10 ? "0" : "") + std::to_string(n % 60) +
           R"(Z","answers":{"recommend":)" + std::to_string(n % 11) +
           R"(,"satisfaction":2,"reason":"leisure","what_went_wrong":"Card )" + std::to_string(n) +
           R"(: the room was cold","contact_me":false}})";
}

std::string cards(int from, int to) {
    std::string out;
    for (int n = from; n < to; ++n) out += card(n) + "\n";
    return out;
}

bool contains(std::string const& text, std::string const& part) {
    return text.find(part) != std::string::npos;
}

// The receipts a submit printed ("CODE SEQ" lines).
std::vector<std::string> receipts(std::string const& out) {
    std::vector<std::string> all;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) all.push_back(line);
    return all;
}

// A failure a person can act on: an exit code (not a crash) and the reason.
void check_disk_full(test::cli_result const& r) {
    CAPTURE(r.err);
    CHECK(r.status != 0);
    CHECK(r.status < 128);
    CHECK(contains(r.err, "No space left on device"));
}

struct world {
    test::temp_dir keys;
    test::small_tmpfs disk;
    world() {
        REQUIRE(run_cli({"keys", "hq", "--out", (keys / "hq").string()}).status == 0);
        REQUIRE(run_cli({"keys", "device", "--id", "kiosk-1", "--out", (keys / "device").string()})
                    .status == 0);
    }
    std::vector<std::string> submit(std::filesystem::path const& journal) const {
        return {"submit",
                "--survey",
                survey,
                "--journal",
                journal.string(),
                "--device-key",
                (keys / "device" / "kiosk-1.key").string(),
                "--hq-public",
                (keys / "hq" / "hq.pub").string(),
                "-"};
    }
    std::vector<std::string> import(std::filesystem::path const& store,
                                    std::filesystem::path const& bundle) const {
        return {"hq",           "import",
                "--store",      store.string(),
                "--hq-key",     (keys / "hq" / "hq.key").string(),
                "--devices",    (keys / "device" / "kiosk-1.pub").string(),
                bundle.string()};
    }
    std::vector<std::string> route(std::filesystem::path const& store) const {
        return {"route",    "run",
                "--org",    examples + "/org/hotel-chain.org",
                "--rules",  examples + "/org/hotel-stay.rules",
                "--survey", survey,
                "--store",  store.string(),
                "--hq-key", (keys / "hq" / "hq.key").string(),
                "--now",    "2026-11-03T09:00:00Z"};
    }
    // A bundle of `n` cards, journaled and exported off the small disk.
    std::filesystem::path bundle_of(int n) const {
        auto const journal = keys / "journal";
        auto const bundle = keys / "kiosk-1.bundle";
        REQUIRE(run_cli(submit(journal), cards(0, n)).status == 0);
        REQUIRE(run_cli({"journal", "export", journal.string(), "--after", "0", "--out",
                         bundle.string()})
                    .status == 0);
        return bundle;
    }
    void no_tmp_files() const {
        for (auto const& p : disk.files_ending(".tmp")) FAIL_CHECK("stray " << p);
    }
};

#define SKIP_WITHOUT_TMPFS(w)                       \
    if (!(w).disk.mounted()) {                      \
        MESSAGE("skipped: " << (w).disk.why_not()); \
        return;                                     \
    }

}  // namespace

TEST_CASE(
    "submit on a full disk acknowledges only what it stored, and goes on once space is freed") {
    world w;
    SKIP_WITHOUT_TMPFS(w)
    auto const journal = w.disk / "journal";
    auto const first = run_cli(w.submit(journal), cards(0, 2));
    REQUIRE(first.status == 0);
    w.disk.fill();
    // Enough cards to need pages the disk does not have.
    auto const full = run_cli(w.submit(journal), cards(2, 40));
    check_disk_full(full);
    w.no_tmp_files();
    w.disk.free_space();
    auto const again = run_cli(w.submit(journal), cards(40, 43));
    CHECK(again.status == 0);
    CHECK(receipts(again.out).size() == 3);

    // Every receipt printed is a card stored, and no card stored went unacknowledged.
    std::set<std::string> acknowledged;
    for (auto const* r : {&first, &full, &again})
        for (auto const& line : receipts(r->out)) acknowledged.insert(line);
    auto const verify = run_cli({"journal", "verify", journal.string()});
    CHECK(verify.status == 0);
    CHECK(contains(verify.out,
                   std::to_string(acknowledged.size()) + " records of device kiosk-1, verified"));
}

TEST_CASE("journal export to a full disk fails cleanly and works once space is freed") {
    world w;
    SKIP_WITHOUT_TMPFS(w)
    auto const journal = w.disk / "journal";
    REQUIRE(run_cli(w.submit(journal), cards(0, 3)).status == 0);
    auto const bundle = w.disk / "kiosk-1.bundle";
    w.disk.fill();
    check_disk_full(
        run_cli({"journal", "export", journal.string(), "--after", "0", "--out", bundle.string()}));
    CHECK_FALSE(std::filesystem::exists(bundle));
    w.no_tmp_files();
    w.disk.free_space();
    auto const again =
        run_cli({"journal", "export", journal.string(), "--after", "0", "--out", bundle.string()});
    CHECK(again.status == 0);
    CHECK(contains(again.out, "exported 3 records (1-3)"));
}

TEST_CASE("hq import into a store on a full disk fails cleanly, importing again loses nothing") {
    world w;
    SKIP_WITHOUT_TMPFS(w)
    auto const bundle = w.bundle_of(3);
    auto const store = w.disk / "store";
    w.disk.fill();
    auto const full = run_cli(w.import(store, bundle));
    check_disk_full(full);
    CHECK_FALSE(contains(full.out, "3 accepted"));
    w.no_tmp_files();
    w.disk.free_space();
    auto const again = run_cli(w.import(store, bundle));
    CHECK(again.status == 0);
    CHECK(contains(again.out, "3 accepted, 0 already had, 0 refused"));
    CHECK(contains(run_cli(w.import(store, bundle)).out, "0 accepted, 3 already had, 0 refused"));
}

TEST_CASE("route run with its store on a full disk fails cleanly, the next run routes every card") {
    world w;
    SKIP_WITHOUT_TMPFS(w)
    auto const bundle = w.bundle_of(3);
    auto const store = w.disk / "store";
    REQUIRE(run_cli(w.import(store, bundle)).status == 0);
    w.disk.fill();
    check_disk_full(run_cli(w.route(store)));
    w.no_tmp_files();
    w.disk.free_space();
    auto const again = run_cli(w.route(store));
    CAPTURE(again.err);
    CHECK(again.status == 0);
    // Whatever the failed run stored counts as routed before; together, all three.
    CHECK((contains(again.out, "routed 3 responses (0 routed before)") ||
           contains(again.out, "routed 2 responses (1 routed before)") ||
           contains(again.out, "routed 1 responses (2 routed before)")));
    auto const cases =
        run_cli({"cases", "list", "--store", store.string(), "--now", "2026-11-03T10:00:00Z"});
    CHECK(cases.status == 0);
    CHECK_FALSE(cases.out.empty());
}
