// candor::pg on a real PostgreSQL 15 (tests/support/postgres_server.hpp): the schema's
// migrations, the one opener, connection failures, and several importers at once, with the
// server restarted under one. The store suite itself runs on PostgreSQL from journal_tests.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "../journal/fixture.hpp"
#include "../support/cli.hpp"
#include "../support/postgres_server.hpp"
#include "candor/journal/inspect.hpp"
#include "candor/pg/store.hpp"

using namespace candor;
using namespace candor::journal;
using namespace candor::journal::testing;
using candor::test::postgres_server;

namespace {

postgres_server& server() {
    return postgres_server::shared();
}

// Devices with journals of cards and their bundles.
struct fleet {
    temp_dir dir;
    seal::hq_secret hq = seal::make_hq_keys();
    std::vector<seal::device_secret> keys;
    seal::device_list devices;
    int bundles = 0;

    explicit fleet(int n) {
        for (int i = 0; i < n; ++i)
            keys.push_back(seal::make_device_keys("kiosk-" + std::to_string(i)));
        for (auto const& k : keys) devices.devices.push_back(k.public_part());
    }
    fs::path journal_of(int i) const { return dir / ("journal-" + std::to_string(i)); }
    void fill_all(int cards, int first = 1) {
        for (int i = 0; i < static_cast<int>(keys.size()); ++i)
            fill(journal_of(i), keys[static_cast<std::size_t>(i)], hq.public_part(), cards, first);
    }
    bundle_input bundle(int device, std::uint64_t after) {
        auto out = dir / ("bundle-" + std::to_string(++bundles));
        REQUIRE(export_bundle(journal_of(device), after, out));
        return {out.string(), slurp(out)};
    }
};

store open_migrated(std::string const& location) {
    auto migrated = pg::migrate(location);
    REQUIRE(migrated);
    auto s = pg::open(location);
    REQUIRE(s);
    return std::move(*s);
}

// Every (device, seq) the store holds, and how many records it holds in all.
std::pair<std::set<std::pair<std::string, std::uint64_t>>, std::uint64_t> held_keys(
    store const& s) {
    std::set<std::pair<std::string, std::uint64_t>> keys;
    std::uint64_t n = 0, last = 0;
    s.for_each_after(0, [&](std::uint64_t position, record const& r) {
        CHECK(position == last + 1);  // positions without a gap, in order
        last = position;
        keys.insert({r.device, r.seq});
        ++n;
    });
    return {keys, n};
}

std::string read_all(fs::path const& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

int wait_for(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

TEST_CASE("migrate: from an empty database to the schema, and again is a no-op") {
    auto location = server().create_database();
    auto first = pg::migrate(location);
    REQUIRE(first);
    CHECK(first->from == 0);
    CHECK(first->to == pg::schema_version);
    auto again = pg::migrate(location);
    REQUIRE(again);
    CHECK(again->from == pg::schema_version);
    CHECK(again->to == pg::schema_version);
    auto db = location.substr(location.rfind('=') + 1);
    CHECK(server().sql("SELECT count(*) FROM schema_version", db) == "1");
    CHECK(server().sql("SELECT version FROM schema_version", db) ==
          std::to_string(pg::schema_version));
    auto s = pg::open(location);
    REQUIRE(s);
    CHECK(s->size() == 0);
    CHECK(s->alerts().empty());
}

TEST_CASE("migrate: from the previous version, keeping what it holds") {
    auto location = server().create_database();
    auto db = location.substr(location.rfind('=') + 1);
    REQUIRE(pg::migrate(location, 1));
    CHECK(server().sql("SELECT count(*) FROM pg_indexes WHERE indexname = 'records_by_receipt'",
                       db) == "0");
    // A store of version 1 is not opened: its receipts have no index yet.
    auto old = pg::open(location);
    REQUIRE_FALSE(old);
    CHECK(old.error().front().code == "schema-too-old");
    server().sql(
        "INSERT INTO alerts (key, code, message, file, device, seq, raised) VALUES "
        "('fork/kiosk-9/4', 'fork', 'two cards 4', 'b1', 'kiosk-9', 4, 1793607372)",
        db);

    auto up = pg::migrate(location);
    REQUIRE(up);
    CHECK(up->from == 1);
    CHECK(up->to == 2);
    CHECK(server().sql("SELECT count(*) FROM pg_indexes WHERE indexname = 'records_by_receipt'",
                       db) == "1");
    auto s = pg::open(location);
    REQUIRE(s);
    auto alerts = s->alerts();
    REQUIRE(alerts.size() == 1);
    CHECK(alerts[0].problem.code == "fork");
    CHECK(alerts[0].problem.where.device == "kiosk-9");
    CHECK(alerts[0].problem.where.seq == 4);
}

TEST_CASE("migrate and open refuse a schema newer than this Candor's, changing nothing") {
    auto location = server().create_database();
    auto db = location.substr(location.rfind('=') + 1);
    REQUIRE(pg::migrate(location));
    server().sql("UPDATE schema_version SET version = " + std::to_string(pg::schema_version + 1),
                 db);
    auto m = pg::migrate(location);
    REQUIRE_FALSE(m);
    CHECK(m.error().front().code == "schema-too-new");
    auto s = pg::open(location);
    REQUIRE_FALSE(s);
    CHECK(s.error().front().code == "schema-too-new");
    CHECK(server().sql("SELECT version FROM schema_version", db) ==
          std::to_string(pg::schema_version + 1));
    CHECK_FALSE(pg::migrate(location, pg::schema_version + 5));  // unknown target
}

TEST_CASE("bad locations and no server: clear codes, never a password on the command line") {
    auto bad = pg::open("host=" + (fs::temp_directory_path() / "no-such-socket-dir").string() +
                        " port=1 dbname=x");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().front().code == "store-unreachable");
    CHECK(bad.error().front().message.find("cannot reach") != std::string::npos);

    auto garbage = pg::open("host='unterminated");
    REQUIRE_FALSE(garbage);
    CHECK(garbage.error().front().code == "store-unreachable");

    for (auto const* with_password :
         {"host=/tmp dbname=x password=hunter2", "postgresql://postgres:hunter2@localhost/x"}) {
        auto p = pg::open(with_password);
        REQUIRE_FALSE(p);
        CHECK(p.error().front().code == "password-in-location");
        CHECK(p.error().front().message.find("hunter2") == std::string::npos);
        CHECK(pg::migrate(with_password).error().front().code == "password-in-location");
    }

    auto missing_db = pg::open(server().location("no_such_database"));
    REQUIRE_FALSE(missing_db);
    CHECK(missing_db.error().front().code == "store-unreachable");
}

TEST_CASE("the one opener: a URL or connection string opens PostgreSQL, a path the files") {
    CHECK(pg::is_database("postgresql://candor@db.example/hq"));
    CHECK(pg::is_database("postgres://candor@db.example/hq"));
    CHECK(pg::is_database("host=/run/postgresql dbname=hq"));
    CHECK_FALSE(pg::is_database("/var/lib/candor/store"));
    CHECK_FALSE(pg::is_database("store"));
    CHECK_FALSE(pg::is_database("./a=b"));

    temp_dir dir;
    auto files = pg::open_store((dir / "store").string());
    REQUIRE(files);
    CHECK(fs::exists(dir / "store"));

    auto location = server().create_database();
    REQUIRE(pg::migrate(location));
    auto db = location.substr(location.rfind('=') + 1);
    std::ostringstream url_text;
    url_text << "postgresql://postgres@/" << db << "?host=" << server().socket_dir()
             << "&port=" << postgres_server::port;
    auto url = url_text.str();
    auto by_url = pg::open_store(url);
    REQUIRE(by_url);
    CHECK(by_url->size() == 0);
}

TEST_CASE("two importers at once on overlapping bundles: every record once, chains checked") {
    fleet f(3);
    f.fill_all(60);
    std::vector<bundle_input> all, tails;
    for (int d = 0; d < 3; ++d) {
        all.push_back(f.bundle(d, 0));
        tails.push_back(f.bundle(d, 25));
    }
    auto location = server().create_database();
    REQUIRE(pg::migrate(location));

    // Each importer a process of its own: its own connection, as on two machines.
    auto importer = [&](std::vector<bundle_input> const& in, fs::path const& out) {
        auto const pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid != 0) return pid;
        int code = 0;
        try {
            auto s = pg::open(location);
            if (!s) ::_exit(3);
            std::uint64_t accepted = 0, duplicates = 0;
            for (int round = 0; round < 3; ++round)
                for (auto const& b : in) {
                    auto r = s->import(std::span(&b, 1), f.devices, f.hq);
                    if (r.refused_any()) code = 4;
                    accepted += r.accepted, duplicates += r.duplicates;
                }
            std::ofstream(out) << accepted << ' ' << duplicates;
        } catch (...) {
            code = 5;
        }
        ::_exit(code);
    };
    std::vector<bundle_input> first{all[0], tails[1], all[2]};
    std::vector<bundle_input> second{tails[0], all[1], tails[2], all[0]};
    auto a = importer(first, f.dir / "a.out");
    auto b = importer(second, f.dir / "b.out");
    CHECK(wait_for(a) == 0);
    CHECK(wait_for(b) == 0);

    std::istringstream ra(read_all(f.dir / "a.out")), rb(read_all(f.dir / "b.out"));
    std::uint64_t acc_a = 0, dup_a = 0, acc_b = 0, dup_b = 0;
    ra >> acc_a >> dup_a;
    rb >> acc_b >> dup_b;
    CHECK(acc_a + acc_b == 180);  // each record accepted by exactly one of them

    auto s = pg::open(location);
    REQUIRE(s);
    auto [keys, n] = held_keys(*s);
    CHECK(n == 180);
    CHECK(keys.size() == 180);
    CHECK(s->size() == 180);
    for (int d = 0; d < 3; ++d) {
        auto held = s->held("kiosk-" + std::to_string(d));
        CHECK(held.seq == 60);
    }
    // A record that does not link to the stored predecessor is refused, though this store
    // never saw that predecessor in an import of its own.
    fill(f.dir / "other", f.keys[0], f.hq.public_part(), 61);
    auto forked = f.dir / "forked-bundle";
    REQUIRE(export_bundle(f.dir / "other", 60, forked));
    auto r =
        s->import(std::vector<bundle_input>{{forked.string(), slurp(forked)}}, f.devices, f.hq);
    CHECK(r.accepted == 0);
    REQUIRE(has_code(r.found, "chain-break"));
    CHECK(s->size() == 180);
    CHECK(s->held("kiosk-0").seq == 60);
}

TEST_CASE("the server restarted mid-import: a clear error, nothing acknowledged lost or doubled") {
    fleet f(8);
    f.fill_all(40);
    std::vector<bundle_input> bundles;
    for (int d = 0; d < 8; ++d)
        for (std::uint64_t after = 0; after < 40; after += 10)
            bundles.push_back(f.bundle(d, after));
    auto location = server().create_database();
    REQUIRE(pg::migrate(location));

    auto acks = f.dir / "acks";
    auto err = f.dir / "err";
    auto const pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        auto s = pg::open(location);
        if (!s) ::_exit(3);
        std::ofstream out(acks);
        try {
            // Round after round until the restart ends one: each import a transaction.
            for (int round = 0; round < 200; ++round)
                for (std::size_t i = 0; i < bundles.size(); ++i) {
                    auto r = s->import(std::span(&bundles[i], 1), f.devices, f.hq);
                    out << i << ' ' << r.accepted << std::endl;
                }
        } catch (std::exception const& e) {
            std::ofstream(err) << e.what();
            ::_exit(6);
        }
        ::_exit(0);
    }
    // Restart once the importer is under way.
    for (int i = 0; i < 2000 && read_all(acks).size() < 20; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    server().restart();
    auto const status = wait_for(pid);
    CHECK(status == 6);
    auto const why = read_all(err);
    CHECK_MESSAGE(why.starts_with("store-unreachable:"), why);

    auto s = pg::open(location);
    REQUIRE(s);
    // Every bundle acknowledged is held.
    std::istringstream lines(read_all(acks));
    std::size_t index = 0;
    std::uint64_t accepted = 0;
    std::set<std::size_t> acknowledged;
    while (lines >> index >> accepted) acknowledged.insert(index);
    for (auto i : acknowledged) {
        auto contents = decode_bundle(bundles[i].data, bundles[i].name);
        for (auto const& r : contents.records) CHECK(s->find_receipt(receipt(r.value)).size() == 1);
    }
    CHECK_FALSE(acknowledged.empty());
    auto [keys, n] = held_keys(*s);
    CHECK(keys.size() == n);  // nothing doubled
    // Importing everything again completes the store, each record once.
    auto again = s->import(bundles, f.devices, f.hq);
    CHECK_FALSE(again.refused_any());
    CHECK(again.accepted + n == 320);
    CHECK(s->size() == 320);
}

TEST_CASE("a store that lost its server reconnects for its next change") {
    fleet f(1);
    f.fill_all(5);
    auto location = server().create_database();
    auto s = open_migrated(location);
    auto b = f.bundle(0, 0);
    CHECK(s.import(std::vector{b}, f.devices, f.hq).accepted == 5);
    server().restart();
    // The first statement on the dead session fails clearly; the next change reconnects.
    CHECK_THROWS_WITH_AS(s.size(), doctest::Contains("store-unreachable"), std::runtime_error);
    auto r = s.import(std::vector{b}, f.devices, f.hq);
    CHECK(r.duplicates == 5);
    CHECK(s.size() == 5);
}

TEST_CASE("the tool on PostgreSQL: hq migrate, import, responses, receipt, report") {
    temp_dir dir;
    auto const D = [&](char const* name) { return (dir / name).string(); };
    std::string const sample = CANDOR_SOURCE_DIR "/examples";
    using candor::test::run_cli;
    REQUIRE(run_cli({"keys", "hq", "--out", D("hq")}).status == 0);
    REQUIRE(run_cli({"keys", "device", "--id", "kiosk-9", "--out", D("dev")}).status == 0);
    {
        std::ofstream cards(D("cards.jsonl"));
        for (int i = 0; i < 12; ++i)
            cards
                << R"({"survey":"hotel-stay","version":3,"language":"en","fields":{"site":"paris-01","device":"kiosk-9","channel":"kiosk","shift":"day"},"submitted":"2026-11-02T10:1)"
                << (i % 10) << R"(:00Z","answers":{"recommend":)" << (i % 11)
                << R"(,"satisfaction":3,"staff":4,"contact_me":false}})" << '\n';
    }
    auto submitted = run_cli({"submit", "--survey", sample + "/surveys/hotel-stay.survey",
                              "--journal", D("journal"), "--device-key", D("dev") + "/kiosk-9.key",
                              "--hq-public", D("hq") + "/hq.pub", D("cards.jsonl")});
    REQUIRE(submitted.status == 0);
    REQUIRE(run_cli({"journal", "export", D("journal"), "--after", "0", "--out", D("b.bundle")})
                .status == 0);
    auto location = server().create_database();
    std::vector<std::string> import{"hq",         "import",
                                    "--store",    location,
                                    "--hq-key",   D("hq") + "/hq.key",
                                    "--devices",  D("dev") + "/kiosk-9.pub",
                                    D("b.bundle")};

    // Not migrated yet: refused, with what to do.
    auto early = run_cli(import);
    CHECK(early.status == 2);
    CHECK(early.err.find("schema-too-old") != std::string::npos);
    auto migrated = run_cli({"hq", "migrate", "--store", location});
    CHECK(migrated.status == 0);
    CHECK(migrated.out.find("-> " + std::to_string(pg::schema_version)) != std::string::npos);

    CHECK(run_cli(import).status == 0);
    auto again = run_cli(import);
    CHECK(again.status == 0);
    auto s = pg::open(location);
    REQUIRE(s);
    CHECK(s->size() == 12);

    auto responses =
        run_cli({"hq", "responses", "--store", location, "--hq-key", D("hq") + "/hq.key"});
    CHECK(responses.status == 0);
    CHECK(std::count(responses.out.begin(), responses.out.end(), '\n') == 12);

    std::optional<std::string> code;
    s->for_each([&](record const& r) {
        if (!code) code = receipt(r);
    });
    REQUIRE(code);
    auto found = run_cli({"hq", "receipt", "--store", location, *code});
    CHECK(found.status == 0);
    CHECK(found.out.find("reached head office") != std::string::npos);

    auto report = run_cli({"report", "--survey", sample + "/surveys/hotel-stay.survey", "--store",
                           location, "--hq-key", D("hq") + "/hq.key", "--format", "json"});
    CHECK(report.status == 0);
    CHECK(report.out.find("paris-01") != std::string::npos);

    auto down = run_cli({"hq", "responses", "--store", "host=" + D("no-socket-here") + " dbname=x",
                         "--hq-key", D("hq") + "/hq.key"});
    CHECK(down.status == 2);
    CHECK(down.err.find("store-unreachable") != std::string::npos);
}
