// A full disk, for real: a small tmpfs filled to its last byte. The journal refuses the card
// with "disk-full" (the kiosk with 503 and that code), keeps nothing of it, and takes cards
// again once there is room; every card acknowledged is in the journal, chained and signed.
// Mounting needs root (CAP_SYS_ADMIN): without it the cases are skipped, saying so.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <httplib.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>

#include "candor/journal/record.hpp"
#include "candor/seal/receipt.hpp"
#include "fixture.hpp"
#include "journal/fixture.hpp"

using namespace candor;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

bool const root = ::geteuid() == 0;

// A tmpfs of `bytes` on a fresh directory, unmounted at the end.
struct small_disk {
    test::temp_dir dir;
    bool mounted = false;
    std::string why;

    explicit small_disk(std::size_t bytes) {
        auto const options = "size=" + std::to_string(bytes) + ",mode=0700";
        mounted = ::mount("candor-test", dir.path().c_str(), "tmpfs", MS_NOSUID | MS_NODEV,
                          options.c_str()) == 0;
        if (!mounted) why = std::strerror(errno);
    }
    ~small_disk() {
        if (mounted) ::umount2(dir.path().c_str(), MNT_DETACH);
    }
    fs::path operator/(std::string const& name) const { return dir / name; }
};

// Writes FILE until the disk is full.
void fill(fs::path const& file) {
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    REQUIRE(fd >= 0);
    std::string const block(4096, 'x');
    while (::write(fd, block.data(), block.size()) > 0) {
    }
    CHECK(errno == ENOSPC);
    ::close(fd);
}

// Reserves `bytes` of the disk in FILE, to give back later.
void reserve(fs::path const& file, std::size_t bytes) {
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    REQUIRE(fd >= 0);
    std::string const data(bytes, 'r');
    REQUIRE(::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size()));
    ::close(fd);
}

// Every acknowledged card is in the journal with its receipt, the chain whole, nothing more.
void all_there(fs::path const& dir, std::map<std::uint64_t, std::string> const& acknowledged) {
    auto contents = journal::inspect_journal(dir);
    CHECK(contents.found.empty());
    for (auto const& e : contents.found) MESSAGE(render(e));
    REQUIRE(contents.records.size() == acknowledged.size());
    for (auto const& r : contents.records) {
        auto it = acknowledged.find(r.seq);
        REQUIRE(it != acknowledged.end());
        CHECK(seal::receipt_code(journal::record_hash(r)) == it->second);
    }
    for (auto const& e : fs::directory_iterator(dir))
        CHECK(e.path().filename().string().find(".torn") == std::string::npos);
}

// Small segments: the disk also fills while a new one is started.
constexpr journal::segment_options small_segments{8 << 10, true};

}  // namespace

TEST_CASE("a full disk: journal::submit fails with disk-full, keeps nothing, and goes on" *
          doctest::skip(!root)) {
    small_disk disk(256 << 10);
    if (!disk.mounted) {
        MESSAGE("skipped: cannot mount a tmpfs here (" << disk.why << ")");
        return;
    }
    auto hq = seal::make_hq_keys();
    auto key = seal::make_device_keys("kiosk-1");
    auto const dir = disk / "journal";
    reserve(disk / "reserve", 64 << 10);
    auto j = journal::journal::open(dir, key, hq.public_part(), small_segments).value();

    std::map<std::uint64_t, std::string> acknowledged;
    int next = 1, refusals = 0;
    // Until the disk is full with the journal's own cards, in batches of 1 to 3: the
    // last batch is refused whole.
    for (int round = 0; refusals == 0 && round < 10000; ++round) {
        std::vector<journal::card> batch;
        for (int i = 0; i <= round % 3; ++i) batch.push_back(journal::testing::make_card(next + i));
        auto const before = j.last_seq();
        auto stamped = j.submit(batch);
        if (stamped) {
            for (auto const& s : *stamped) acknowledged[s.seq] = s.receipt;
            next += static_cast<int>(batch.size());
            continue;
        }
        ++refusals;
        CHECK(stamped.error().front().code == "disk-full");
        CHECK(j.last_seq() == before);
    }
    REQUIRE(refusals == 1);
    REQUIRE(acknowledged.size() > 10);
    all_there(dir, acknowledged);
    // Still full: refused again, still nothing kept.
    auto again = j.submit(std::vector{journal::testing::make_card(next)});
    REQUIRE_FALSE(again);
    CHECK(again.error().front().code == "disk-full");
    all_there(dir, acknowledged);

    fs::remove(disk / "reserve");
    auto after = j.submit(
        std::vector{journal::testing::make_card(next), journal::testing::make_card(next + 1)});
    REQUIRE(after);
    CHECK(after->front().seq == acknowledged.size() + 1);
    for (auto const& s : *after) acknowledged[s.seq] = s.receipt;
    all_there(dir, acknowledged);
}

TEST_CASE("a full disk at the kiosk: 503 with disk-full, then cards again once there is room" *
          doctest::skip(!root)) {
    small_disk disk(512 << 10);
    if (!disk.mounted) {
        MESSAGE("skipped: cannot mount a tmpfs here (" << disk.why << ")");
        return;
    }
    test::kiosk_on_disk k(disk / "journal", small_segments);
    test::serving s(k.desk);
    httplib::Client client("127.0.0.1", s.port);
    std::map<std::uint64_t, std::string> acknowledged;
    auto submit = [&] {
        auto r = client.Post("/submit", test::good_card, "application/json");
        REQUIRE(r);
        auto body = json::parse(r->body);
        if (r->status == 200) {
            auto const seq = body["seq"].get<std::uint64_t>();
            CHECK(acknowledged.count(seq) == 0);
            acknowledged[seq] = body["receipt"].get<std::string>();
        }
        return std::make_pair(r->status, body);
    };
    for (int i = 0; i < 5; ++i) REQUIRE(submit().first == 200);

    fill(disk / "filler");
    // The journal's last page may still hold a card or two.
    int taken = 0;
    while (taken < 20 && submit().first == 200) ++taken;
    CHECK(taken < 20);
    for (int i = 0; i < 3; ++i) {
        auto [status, body] = submit();
        CHECK(status == 503);
        CHECK(body["code"] == "disk-full");
        CHECK(body["error"].get<std::string>().find("could not be saved") != std::string::npos);
    }
    all_there(k.journal_dir, acknowledged);

    fs::remove(disk / "filler");
    auto [status, body] = submit();
    REQUIRE(status == 200);
    CHECK(body["seq"] == 6 + taken);
    // Filled by the journal itself this time: the write that does not fit is cut off.
    reserve(disk / "reserve", 32 << 10);
    int refused = 0;
    for (int i = 0; i < 2000 && refused == 0; ++i) refused += submit().first == 503;
    REQUIRE(refused == 1);
    all_there(k.journal_dir, acknowledged);
    fs::remove(disk / "reserve");
    REQUIRE(submit().first == 200);
    CHECK(k.written() == acknowledged.size());
    all_there(k.journal_dir, acknowledged);
}
