// A child submitting cards is killed with SIGKILL at 200 random moments (half of them counted
// from its first receipt); after each kill, every card whose receipt it printed is in the
// journal, intact, and the journal verifies.
#include <doctest/doctest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include "candor/journal/inspect.hpp"
#include "candor/seal/keys.hpp"
#include "fixture.hpp"

using namespace candor;
using namespace candor::journal;
using namespace candor::journal::testing;

namespace {

// The longest a child may take to print its first receipt (a loaded machine, a sanitizer).
constexpr int first_receipt_timeout_ms = 60000;

// Runs the helper until `after` (counted from its first receipt when `from_first_receipt`,
// so a slow start cannot leave every kill before the first card), kills it, and returns
// what it printed.
std::string run_and_kill(std::vector<std::string> args, std::chrono::microseconds after,
                         bool from_first_receipt) {
    int out[2];
    REQUIRE(::pipe(out) == 0);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::dup2(out[1], 1);
        ::close(out[0]);
        ::close(out[1]);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(out[1]);
    std::string printed;
    char buf[4096];
    if (from_first_receipt) {
        pollfd p{out[0], POLLIN, 0};
        while (printed.find('\n') == std::string::npos &&
               ::poll(&p, 1, first_receipt_timeout_ms) == 1) {
            auto n = ::read(out[0], buf, sizeof buf);
            if (n <= 0) break;
            printed.append(buf, static_cast<std::size_t>(n));
        }
    }
    std::this_thread::sleep_for(after);
    ::kill(pid, SIGKILL);
    for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) > 0;)
        printed.append(buf, static_cast<std::size_t>(n));
    ::close(out[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL));
    return printed;
}

}  // namespace

namespace {

// Kills the helper in `mode` at `kills` random moments: every card whose receipt it printed
// is in the journal, intact, and the journal verifies.
void survive_kills(char const* mode, int kills) {
    temp_dir dir;
    REQUIRE(seal::write_hq_keys(dir.path(), seal::make_hq_keys()));
    REQUIRE(seal::write_device_keys(dir.path(), seal::make_device_keys("kiosk-crash")));
    std::random_device rd;
    auto seed = rd();
    CAPTURE(seed);
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> moment_us(0, 30000);

    std::size_t acknowledged = 0;
    for (int kill = 0; kill < kills; ++kill) {
        // A new journal every 25 kills keeps each verify small.
        auto journal_dir = dir / ("journal-" + std::to_string(kill / 25));
        auto printed = run_and_kill({JOURNAL_HELPER, mode, journal_dir.string(),
                                     (dir / "kiosk-crash.key").string(), (dir / "hq.pub").string()},
                                    std::chrono::microseconds(moment_us(rng)), kill % 2 == 1);
        if (!fs::exists(journal_dir / "device.pub")) continue;  // killed before it began

        auto contents = inspect_journal(journal_dir);
        std::map<std::uint64_t, std::string> receipts;
        for (auto const& r : contents.records) receipts[r.seq] = receipt(r);
        for (auto const& p : contents.found) {
            CAPTURE(render(p));
            CHECK(p.code == "torn-tail");  // an unacknowledged write, cut at the next open
        }
        std::istringstream lines(printed);
        std::string code;
        std::uint64_t seq = 0;
        while (lines >> code >> seq) {
            ++acknowledged;
            CAPTURE(kill);
            CAPTURE(seq);
            REQUIRE(receipts.count(seq) == 1);
            CHECK(receipts[seq] == code);
        }
    }
    MESSAGE(acknowledged << " acknowledged cards checked over " << kills << " kills");
    CHECK(acknowledged > 0);
    for (int i = 0; i < (kills + 24) / 25; ++i) {
        auto journal_dir = dir / ("journal-" + std::to_string(i));
        if (!fs::exists(journal_dir / "device.pub")) continue;
        // Opening (as the next submit does) cuts any torn tail; then it verifies clean.
        auto key = seal::read_device_secret(dir / "kiosk-crash.key").value();
        auto hq = seal::read_hq_public(dir / "hq.pub").value();
        REQUIRE(device_journal::open(journal_dir, key, hq));
        CHECK(inspect_journal(journal_dir).found.empty());
    }
}

}  // namespace

TEST_CASE("crash: every acknowledged card survives SIGKILL at 200 random moments") {
    survive_kills("crash", 200);
}

TEST_CASE(
    "crash: group commit from 8 threads, killed mid-batch 100 times: no receipt before "
    "its card is durable") {
    survive_kills("group", 100);
}
