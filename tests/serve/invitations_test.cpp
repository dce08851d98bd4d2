// Invitations and status checks on their own: real files, an injected clock.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "candor/receipt/status.hpp"
#include "candor/serve/invitations.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace candor;

namespace {

unsigned mode_of(fs::path const& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

std::string whole(fs::path const& p) {
    std::ifstream in(p);
    return {std::istreambuf_iterator<char>(in), {}};
}

constexpr std::int64_t t0 = 1'800'000'000;

}  // namespace

TEST_CASE("an invitation: 128 random bits, stored hashed and private, used once") {
    test::temp_dir dir;
    auto book = serve::invitations::open(dir / "inv");
    REQUIRE(book);
    auto a = book->issue({"B-1", "paris-01", "hotel-stay", 0}, t0);
    auto b = book->issue({"B-2", "paris-01", "hotel-stay", 0}, t0);
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->size() == 22);  // 16 bytes, URL-safe base64
    CHECK(*a != *b);
    CHECK(mode_of(dir / "inv") == 0700);
    CHECK(mode_of(dir / "inv" / "tokens") == 0700);
    CHECK(mode_of(dir / "inv" / "drafts") == 0700);
    std::size_t files = 0;
    for (auto const& f : fs::directory_iterator(dir / "inv" / "tokens")) {
        ++files;
        CHECK(mode_of(f.path()) == 0600);
        // Only the hash: whoever reads the folder cannot answer in the guest's name.
        auto const text = whole(f.path());
        CHECK(text.find(*a) == std::string::npos);
        CHECK(text.find(*b) == std::string::npos);
    }
    CHECK(files == 2);

    auto found = book->find(*a, t0);
    REQUIRE(found);
    CHECK(found->state == serve::token_state::open);
    CHECK(found->what.stay == "B-1");
    CHECK(found->what.expires == t0 + serve::invitation_lifetime);

    // A token one character off, cut short, or no base64 at all is no invitation.
    auto off = *a;
    off[5] = off[5] == 'A' ? 'B' : 'A';
    CHECK_FALSE(book->find(off, t0));
    CHECK_FALSE(book->find(a->substr(0, 21), t0));
    CHECK_FALSE(book->find("../../../../etc/passwd", t0));
    CHECK_FALSE(book->find(std::string(22, '.'), t0));

    int taken = 0;
    auto take = [&]() -> result<std::string> {
        ++taken;
        return std::string("7KQ-4M2");
    };
    // A take that fails leaves the invitation open.
    auto failed = book->use(*a, t0, [] { return result<std::string>(fail("io", "disk")); });
    REQUIRE_FALSE(failed);
    CHECK(failed.error()[0].code == "io");
    CHECK(book->find(*a, t0)->state == serve::token_state::open);

    auto used = book->use(*a, t0 + 5, take);
    REQUIRE(used);
    CHECK(*used == "7KQ-4M2");
    auto again = book->use(*a, t0 + 6, take);
    REQUIRE_FALSE(again);
    CHECK(again.error()[0].code == "token-used");
    CHECK(taken == 1);
    CHECK(book->find(*a, t0)->state == serve::token_state::used);
    CHECK(book->find(*a, t0)->receipt == "7KQ-4M2");

    // Reopened (a restart): still used, the other still open.
    auto reopened = serve::invitations::open(dir / "inv");
    REQUIRE(reopened);
    CHECK(reopened->find(*a, t0)->state == serve::token_state::used);
    CHECK(reopened->find(*b, t0)->state == serve::token_state::open);

    auto bad = book->issue({"", "paris-01", "hotel-stay", 0}, t0);
    REQUIRE_FALSE(bad);
    CHECK(bad.error()[0].code == "bad-invitation");
}

TEST_CASE("an invitation expires, its draft lives draft_lifetime and ends with the card") {
    test::temp_dir dir;
    auto book = serve::invitations::open(dir / "inv");
    REQUIRE(book);
    auto const expires = t0 + 30 * 86400;
    auto token = book->issue({"B-1", "paris-01", "hotel-stay", expires}, t0);
    REQUIRE(token);

    CHECK_FALSE(book->draft(*token, t0));
    REQUIRE(book->save_draft(*token, R"({"language":"en","answers":{"recommend":9}})", t0));
    for (auto const& f : fs::directory_iterator(dir / "inv" / "drafts"))
        CHECK(mode_of(f.path()) == 0600);
    auto d = book->draft(*token, t0 + 60);
    REQUIRE(d);
    CHECK(d->find("recommend") != std::string::npos);
    // Past its lifetime the draft is gone, and sweep() deletes its file.
    CHECK_FALSE(book->draft(*token, t0 + serve::draft_lifetime + 1));
    CHECK(book->sweep(t0 + serve::draft_lifetime + 1) == 1);
    CHECK(fs::is_empty(dir / "inv" / "drafts"));

    auto too_big = book->save_draft(*token, std::string(serve::max_draft_bytes + 1, ' '), t0);
    REQUIRE_FALSE(too_big);
    CHECK(too_big.error()[0].code == "too-large");

    // Taking the card deletes the draft.
    REQUIRE(book->save_draft(*token, "{}", t0));
    REQUIRE(book->use(*token, t0, [] { return result<std::string>(std::string("AAA-AAA")); }));
    CHECK(fs::is_empty(dir / "inv" / "drafts"));
    CHECK_FALSE(book->draft(*token, t0));
    CHECK(book->save_draft(*token, "{}", t0).error()[0].code == "token-used");

    auto late = book->issue({"B-2", "paris-01", "hotel-stay", expires}, t0);
    REQUIRE(late);
    CHECK(book->find(*late, expires)->state == serve::token_state::expired);
    auto refused = book->use(*late, expires, [] { return result<std::string>(std::string("x")); });
    REQUIRE_FALSE(refused);
    CHECK(refused.error()[0].code == "token-expired");
    CHECK(book->save_draft(*late, "{}", expires).error()[0].code == "token-expired");
}

TEST_CASE("a status check is the card's, and no other's") {
    test::temp_dir dir;
    auto key = receipt::load_status_key(dir / "status.key");
    REQUIRE(key);
    CHECK(mode_of(dir / "status.key") == 0600);
    auto same = receipt::load_status_key(dir / "status.key");
    REQUIRE(same);
    CHECK(same->bytes == key->bytes);

    receipt::card_ref const card{"hq-web", 41, "7KQ-4M2"};
    auto const check = receipt::status_check(*key, card);
    CHECK(check.size() == 26);
    CHECK(receipt::status_check_ok(*key, card, check));
    CHECK_FALSE(receipt::status_check_ok(*key, {"hq-web", 42, "7KQ-4M2"}, check));
    CHECK_FALSE(receipt::status_check_ok(*key, {"hq-web", 41, "7KQ-4M3"}, check));
    CHECK_FALSE(receipt::status_check_ok(*key, {"hq-we", 41, "7KQ-4M2"}, check));
    CHECK_FALSE(receipt::status_check_ok(*key, card, check.substr(0, 25)));
    CHECK_FALSE(receipt::status_check_ok(receipt::make_status_key(), card, check));

    auto const link = receipt::status_link("https://feedback.example.com/", *key, card);
    CHECK(link == "https://feedback.example.com/r/7KQ-4M2?d=hq-web&n=41&c=" + check);

    std::ofstream(dir / "short.key") << "not a key";
    auto bad = receipt::load_status_key(dir / "short.key");
    REQUIRE_FALSE(bad);
    CHECK(bad.error()[0].code == "bad-key");
}
