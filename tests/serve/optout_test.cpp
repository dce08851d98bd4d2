// The opt-out of invitations on candor serve over real HTTP on 127.0.0.1: the one-click POST
// (RFC 8058) records a keyed hash, never the address; the GET page only offers it; links the
// server did not make, and other methods, change nothing.
#include <doctest/doctest.h>
#include <httplib.h>

#include <fstream>
#include <iterator>
#include <thread>

#include "candor/seal/keys.hpp"
#include "candor/serve/server.hpp"
#include "candor/survey/parse.hpp"
#include "support/temp_dir.hpp"

using namespace candor;

TEST_CASE("opt-out: one click records it and the page offers it and forged links are 404") {
    test::temp_dir dir;
    auto hq = seal::make_hq_keys();
    auto key = seal::make_device_keys("hq-web");
    auto sv = survey::parse_file(CANDOR_SOURCE_DIR "/examples/surveys/hotel-stay.survey").value();
    serve::settings s;
    s.sites = {"paris-01"};
    s.fields = {{"channel", "web"}, {"shift", "day"}};
    auto server = serve::server::open(dir / "state", {sv}, key, hq.public_part(), s).value();
    int const port = server->bind("127.0.0.1", 0).value();
    std::thread thread([&] { server->listen(); });

    // The token as candor invite makes it, from the same state.
    auto const token = serve::open_optouts(dir / "state").value().token("Claire@Example.com");
    auto const other = serve::open_optouts(dir / "other").value().token("claire@example.com");
    httplib::Client c("127.0.0.1", port);
    auto page = c.Get("/u/" + token);
    REQUIRE(page);
    CHECK(page->status == 200);
    CHECK(page->body.find("<form method=\"post\">") != std::string::npos);
    CHECK_FALSE(serve::open_optouts(dir / "state").value().opted_out("claire@example.com"));
    CHECK(c.Get("/u/" + other)->status == 404);  // another server's key
    CHECK(c.Post("/u/" + other, "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded")
              ->status == 404);
    CHECK(c.Post("/u/not-a-token", "", "text/plain")->status == 404);
    CHECK(c.Put("/u/" + token, "", "text/plain")->status == 405);
    CHECK(c.Get("/u/" + token + "/x")->status == 404);
    CHECK_FALSE(serve::open_optouts(dir / "state").value().opted_out("claire@example.com"));

    auto done =
        c.Post("/u/" + token, "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded");
    REQUIRE(done);
    CHECK(done->status == 200);
    CHECK(done->get_header_value("Cache-Control") == "no-store");
    CHECK(c.Post("/u/" + token, "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded")
              ->status == 200);  // again: harmless
    auto list = serve::open_optouts(dir / "state").value();
    CHECK(list.opted_out("claire@example.com"));  // any case of the address
    CHECK(list.opted_out("CLAIRE@example.com"));
    CHECK_FALSE(list.opted_out("paul@example.com"));
    CHECK(list.size() == 1);
    std::ifstream in(dir / "state" / "optout" / "hashes");
    std::string const text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(text.size() == 33);  // one hex hash and its line end
    CHECK(text.find("claire") == std::string::npos);
    CHECK((std::filesystem::status(dir / "state" / "optout" / "key").permissions() &
           std::filesystem::perms::group_all) == std::filesystem::perms::none);

    // A torn last line (a crash mid-append) is no opt-out; the whole ones are kept.
    { std::ofstream(dir / "state" / "optout" / "hashes", std::ios::app) << "0123abc"; }
    CHECK(serve::open_optouts(dir / "state").value().size() == 1);
    CHECK(c.Post("/u/" + serve::open_optouts(dir / "state").value().token("paul@example.com"), "",
                 "application/x-www-form-urlencoded")
              ->status == 200);
    CHECK(serve::open_optouts(dir / "state").value().opted_out("paul@example.com"));
    server->stop();
    thread.join();
}
