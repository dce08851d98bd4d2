#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <system_error>
#include <thread>

#include "candor/journal/inspect.hpp"
#include "candor/journal/store.hpp"
#include "candor/seal/box.hpp"
#include "fixture.hpp"
#include "util/segments.hpp"

using namespace candor;
using namespace candor::journal;
using namespace candor::journal::testing;

namespace {

struct head_office {
    temp_dir dir;
    seal::hq_secret hq = seal::make_hq_keys();
    seal::device_secret a = seal::make_device_keys("kiosk-a");
    seal::device_secret b = seal::make_device_keys("kiosk-b");
    seal::device_list devices = list_of({&a, &b});
    store hq_store = open_test_store(dir / "store").value();

    bundle_input bundle_of(fs::path const& journal_dir, std::uint64_t after) {
        auto out = dir / ("bundle-" + std::to_string(++bundles));
        REQUIRE(export_bundle(journal_dir, after, out));
        return {out.string(), slurp(out)};
    }
    import_report import(std::vector<bundle_input> const& in) {
        return hq_store.import(in, devices, hq);
    }
    int bundles = 0;
};

device_summary const* summary_of(import_report const& r, std::string const& device) {
    for (auto const& d : r.devices)
        if (d.device == device) return &d;
    return nullptr;
}

}  // namespace

TEST_CASE("import accepts each record once, from any number of overlapping bundles") {
    head_office ho;
    fill(ho.dir / "a", ho.a, ho.hq.public_part(), 5);
    auto first = ho.bundle_of(ho.dir / "a", 0);
    auto r1 = ho.import({first});
    CHECK(r1.found.empty());
    CHECK(r1.accepted == 5);
    CHECK_FALSE(r1.refused_any());

    fill(ho.dir / "a", ho.a, ho.hq.public_part(), 3, 6);
    auto overlap = ho.bundle_of(ho.dir / "a", 2);
    auto r2 = ho.import({first, overlap, first});
    CHECK(r2.accepted == 3);
    CHECK(r2.duplicates == 3 + 5 + 5);
    CHECK(r2.found.empty());
    REQUIRE(summary_of(r2, "kiosk-a"));
    CHECK(summary_of(r2, "kiosk-a")->highest == 8);
    CHECK(ho.hq_store.size() == 8);

    // Closed and reopened, the store knows what it has.
    { auto closing = std::move(ho.hq_store); }
    auto again = open_test_store(ho.dir / "store");
    REQUIRE(again);
    CHECK(again->size() == 8);
    CHECK(again->import(std::vector{overlap}, ho.devices, ho.hq).accepted == 0);
}

TEST_CASE("gaps are reported and filled later, the late record must link both ways") {
    head_office ho;
    auto stamps = fill(ho.dir / "a", ho.a, ho.hq.public_part(), 6);
    auto all = ho.bundle_of(ho.dir / "a", 0);
    auto late = ho.bundle_of(ho.dir / "a", 3);
    auto r = ho.import({late});
    CHECK(r.accepted == 3);
    CHECK_FALSE(r.refused_any());
    REQUIRE(summary_of(r, "kiosk-a"));
    REQUIRE(summary_of(r, "kiosk-a")->missing.size() == 1);
    CHECK(summary_of(r, "kiosk-a")->missing[0] == std::pair<std::uint64_t, std::uint64_t>{1, 3});
    CHECK(has_code(r.found, "gap"));

    auto filled = ho.import({all});
    CHECK(filled.accepted == 3);
    CHECK(filled.duplicates == 3);
    CHECK(filled.found.empty());

    std::vector<std::string> contents;
    ho.hq_store.for_each([&](record const& rec) {
        contents.push_back(std::string(seal::as_chars(*seal::open_sealed(ho.hq, rec.sealed))));
    });
    REQUIRE(contents.size() == 6);
    auto found = ho.hq_store.find_receipt(stamps[4].receipt);
    REQUIRE(found.size() == 1);
    CHECK(found[0].seq == 5);
}

TEST_CASE("forks, unknown and revoked devices are refused and the rest imported") {
    head_office ho;
    fill(ho.dir / "a", ho.a, ho.hq.public_part(), 3);
    fill(ho.dir / "a2", ho.a, ho.hq.public_part(), 4, 10);  // same device, another history
    auto c = seal::make_device_keys("kiosk-c");
    fill(ho.dir / "c", c, ho.hq.public_part(), 2);
    fill(ho.dir / "b", ho.b, ho.hq.public_part(), 2);
    ho.devices.devices[1].revoked = true;

    auto r = ho.import({ho.bundle_of(ho.dir / "a", 0), ho.bundle_of(ho.dir / "a2", 0),
                        ho.bundle_of(ho.dir / "c", 0), ho.bundle_of(ho.dir / "b", 0)});
    CHECK(r.refused_any());
    CHECK(r.accepted == 3);
    CHECK(r.refused == 3 + 1 + 2 + 2);  // a2's card 4 links to a2's card 3, not to a's
    CHECK(has_code(r.found, "chain-break"));
    int forks = 0;
    for (auto const& p : r.found) {
        if (p.code == "fork") {
            ++forks;
            CHECK(p.where.device == "kiosk-a");
        }
        if (p.code == "unknown-device") CHECK(p.where.device == "kiosk-c");
        if (p.code == "revoked-device") CHECK(p.where.device == "kiosk-b");
    }
    CHECK(forks == 3);
    CHECK(has_code(r.found, "unknown-device"));
    CHECK(has_code(r.found, "revoked-device"));
}

TEST_CASE("records sealed to another key are refused at import") {
    head_office ho;
    fill(ho.dir / "a", ho.a, seal::make_hq_keys().public_part(), 2);
    auto r = ho.import({ho.bundle_of(ho.dir / "a", 0)});
    CHECK(r.accepted == 0);
    CHECK(has_code(r.found, "unreadable"));
}

TEST_CASE("one writer at a time: a store's directory is locked while it is open") {
    temp_dir dir;
    std::optional<store> first = store::open(dir.path()).value();
    // A second opener (here: a bare lock with a short wait) is refused while it is held...
    CHECK_THROWS_AS(util::dir_lock(dir.path(), std::chrono::milliseconds(50)), std::system_error);
    // ...and waits for it: the first closes a little later, and the second gets it.
    std::thread closer([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(150));
        first.reset();
    });
    auto second = store::open(dir.path());
    closer.join();
    CHECK(second.has_value());
}

TEST_CASE("for_each_after reads the records accepted after a position, in order") {
    head_office ho;
    fill(ho.dir / "a", ho.a, ho.hq.public_part(), 3);
    fill(ho.dir / "b", ho.b, ho.hq.public_part(), 2);
    REQUIRE(ho.import({ho.bundle_of(ho.dir / "a", 0)}).accepted == 3);
    REQUIRE(ho.import({ho.bundle_of(ho.dir / "b", 0)}).accepted == 2);

    std::vector<std::pair<std::uint64_t, std::string>> seen;
    auto last = ho.hq_store.for_each_after(2, [&](std::uint64_t position, record const& r) {
        seen.emplace_back(position, r.device + "/" + std::to_string(r.seq));
    });
    CHECK(last == 5);
    REQUIRE(seen.size() == 3);
    CHECK(seen[0] == std::pair<std::uint64_t, std::string>{3, "kiosk-a/3"});
    CHECK(seen[1] == std::pair<std::uint64_t, std::string>{4, "kiosk-b/1"});
    CHECK(seen[2] == std::pair<std::uint64_t, std::string>{5, "kiosk-b/2"});

    // Past the end: nothing visited, the position given back.
    int none = 0;
    CHECK(ho.hq_store.for_each_after(5, [&](std::uint64_t, record const&) { ++none; }) == 5);
    CHECK(none == 0);
    // From the start: all of them, as for_each.
    std::uint64_t all = 0;
    CHECK(ho.hq_store.for_each_after(0, [&](std::uint64_t, record const&) { ++all; }) == 5);
    CHECK(all == ho.hq_store.size());
}

TEST_CASE("for_each_after reads the records after a position, seeking past those before it") {
    head_office ho;
    // Small segments, and an import per 50 records (an import's records are one write into
    // one segment), so that the records before a position are in files of their own.
    { auto closing = std::move(ho.hq_store); }
    auto s = store::open(ho.dir / "small", {8192, false}).value();
    for (int k = 0; k < 20; ++k) {
        auto const& key = k % 10 < 7 ? ho.a : ho.b;
        auto const journal = ho.dir / (k % 10 < 7 ? "a" : "b");
        auto const held = s.held(key.public_part().id).seq;
        fill(journal, key, ho.hq.public_part(), 50, static_cast<int>(held) + 1);
        std::vector<bundle_input> in{ho.bundle_of(journal, held)};
        REQUIRE(s.import(in, ho.devices, ho.hq).accepted == 50);
    }
    std::vector<std::pair<std::string, std::uint64_t>> all;
    s.for_each([&](record const& r) { all.emplace_back(r.device, r.seq); });
    REQUIRE(all.size() == 1000);

    for (std::uint64_t after : {0u, 1u, 255u, 256u, 257u, 600u, 999u, 1000u, 5000u}) {
        std::vector<std::pair<std::string, std::uint64_t>> seen;
        std::uint64_t expected = after;
        auto const last = s.for_each_after(after, [&](std::uint64_t at, record const& r) {
            CHECK(at == ++expected);
            seen.emplace_back(r.device, r.seq);
        });
        CHECK(last == std::max<std::uint64_t>(after, 1000));
        auto const skip = std::min<std::size_t>(after, all.size());
        CHECK(seen == std::vector(all.begin() + static_cast<std::ptrdiff_t>(skip), all.end()));
    }

    // The same records in one segment of their own: read a block at a time, across blocks.
    {
        auto one = store::open(ho.dir / "one", fast()).value();
        std::vector<bundle_input> both{ho.bundle_of(ho.dir / "a", 0),
                                       ho.bundle_of(ho.dir / "b", 0)};
        REQUIRE(one.import(both, ho.devices, ho.hq).accepted == 1000);
        std::vector<std::pair<std::string, std::uint64_t>> in_one, tail;
        one.for_each([&](record const& r) { in_one.emplace_back(r.device, r.seq); });
        REQUIRE(fs::file_size(ho.dir / "one" / "seg-000001.cnj") > 4 * 64 * 1024);
        CHECK(one.for_each_after(0, [&](std::uint64_t, record const& r) {
            tail.emplace_back(r.device, r.seq);
        }) == 1000);
        CHECK(tail == in_one);
        for (std::size_t i = 0; i < in_one.size(); i += 97) {
            auto const r = one.find(in_one[i].first, in_one[i].second);
            REQUIRE(r);
            CHECK(r->seq == in_one[i].second);
        }
    }

    // Reopened with the first segments destroyed: reading after record 600 still finds them
    // all, so it did not read those files; find() goes straight to a record.
    { auto closing = std::move(s); }
    auto reopened = store::open(ho.dir / "small", {8192, false}).value();
    std::vector<fs::path> files;
    for (auto const& f : fs::directory_iterator(ho.dir / "small"))
        if (f.path().extension() == ".cnj") files.push_back(f.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() > 10);
    for (std::size_t i = 0; i < 3; ++i) spit(files[i], seal::bytes(fs::file_size(files[i]), 0));
    std::uint64_t count = 0;
    reopened.for_each_after(600, [&](std::uint64_t, record const&) { ++count; });
    CHECK(count == 400);
    auto const found = reopened.find(all[800].first, all[800].second);
    REQUIRE(found);
    CHECK(found->device == all[800].first);
    CHECK(found->seq == all[800].second);
    CHECK_FALSE(reopened.find("kiosk-a", 701));
    CHECK_FALSE(reopened.find("kiosk-z", 1));

    // Records imported after the store was opened are read on from the last mark.
    fill(ho.dir / "a", ho.a, ho.hq.public_part(), 5, 701);
    std::vector<bundle_input> more{ho.bundle_of(ho.dir / "a", 700)};
    REQUIRE(reopened.import(more, ho.devices, ho.hq).accepted == 5);
    std::vector<std::uint64_t> late;
    CHECK(reopened.for_each_after(1000, [&](std::uint64_t at, record const& r) {
        late.push_back(r.seq);
        CHECK(at == 1000 + late.size());
    }) == 1005);
    CHECK(late == std::vector<std::uint64_t>{701, 702, 703, 704, 705});
    REQUIRE(reopened.find("kiosk-a", 703));
    CHECK(reopened.find("kiosk-a", 703)->seq == 703);
}
