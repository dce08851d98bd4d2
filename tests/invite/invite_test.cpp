// Invitations after a stay: the send time on the site's clock, quiet hours across midnight and
// summer time, one invitation per stay however often the export is run, opt-outs, reminders
// only for links still open, the response rate; every mail read back by Python's email.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>

#include "../routing/check_mail.hpp"
#include "../routing/fixture.hpp"
#include "candor/invite/invite.hpp"
#include "candor/routing/notification.hpp"

using namespace candor;
using namespace candor::invite;
using routing::testing::at;
using routing::testing::temp_dir;

namespace {

journal::segment_options fast() {
    return {64u << 20, false};
}

routing::organisation zoned_org() {
    auto org = routing::testing::sample_org();
    for (auto& s : org.sites) {
        if (s.id == "paris-01") s.time.zone = "Europe/Paris";
        if (s.id == "lille-04") s.time.zone = "America/New_York";  // a site far west
        if (s.id == "paris-02") s.name = "Lumi\xC3\xA8re\r\nBcc: evil@attacker.example Marais";
    }
    return org;
}

routing::local_time zone(char const* name) {
    routing::local_time t;
    t.zone = name;
    return t;
}

struct world {
    temp_dir dir;
    serve::invitations book = serve::invitations::open(dir / "invitations").value();
    serve::optouts optouts = serve::optouts::open(dir / "optout").value();
    routing::outbox out = routing::outbox::open(dir / "outbox", {}, fast()).value();
    stay_index done = stay_index::open(dir / "invited", fast()).value();
    routing::organisation org = zoned_org();
    settings s;
    world() {
        s.base_url = "https://fb.example/";
        s.unsubscribe_address = "unsubscribe@fb.example";
    }
    run_report run(std::string const& csv, timestamp now) {
        auto stays = parse_stays(csv, "stays.csv");
        REQUIRE(stays.has_value());
        return invite::invite(*stays, routing::testing::hotel(), org, s, book, optouts, out, done,
                              now);
    }
    routing::delivery const* mail(std::string const& stay, char const* what) const {
        auto const* e = out.find("invite/" + stay + "/" + what + "/email");
        return e ? &e->message : nullptr;
    }
    std::string link(std::string const& stay) const {
        auto const* d = mail(stay, "invitation");
        REQUIRE(d);
        return nlohmann::json::parse(d->body).at("link");
    }
};

std::string const header = "stay_id,email,name,language,site,checkout\n";

}  // namespace

TEST_CASE("send time: quiet hours on the site's clock across midnight and summer time") {
    auto const paris = zone("Europe/Paris");
    auto const q = default_quiet_hours;
    CHECK(q == quiet_hours{21 * 60, 9 * 60});
    // Winter, UTC+1: 20:59 goes, 21:00 waits for 09:00 the next morning, 08:59 for 09:00.
    CHECK(send_time(at("2026-11-23T19:59:00Z"), q, paris) == at("2026-11-23T19:59:00Z"));
    CHECK(send_time(at("2026-11-23T20:00:00Z"), q, paris) == at("2026-11-24T08:00:00Z"));
    CHECK(send_time(at("2026-11-24T07:59:00Z"), q, paris) == at("2026-11-24T08:00:00Z"));
    CHECK(send_time(at("2026-11-24T08:00:00Z"), q, paris) == at("2026-11-24T08:00:00Z"));
    // The night clocks go forward (29 March 2026): 23:00 at UTC+1, out at 09:00 at UTC+2.
    CHECK(send_time(at("2026-03-28T22:00:00Z"), q, paris) == at("2026-03-29T07:00:00Z"));
    // And back (25 October 2026): 23:30 at UTC+2, out at 09:00 at UTC+1.
    CHECK(send_time(at("2026-10-24T21:30:00Z"), q, paris) == at("2026-10-25T08:00:00Z"));
    // New York, UTC-5: 20:30 goes; 21:00 waits until 09:00 there, 14:00 UTC.
    auto const ny = zone("America/New_York");
    CHECK(send_time(at("2026-11-24T01:30:00Z"), q, ny) == at("2026-11-24T01:30:00Z"));
    CHECK(send_time(at("2026-11-24T02:00:00Z"), q, ny) == at("2026-11-24T14:00:00Z"));
    // Quiet hours within one day, and none.
    quiet_hours const lunch{12 * 60, 14 * 60};
    CHECK(send_time(at("2026-11-24T11:30:00Z"), lunch, paris) == at("2026-11-24T13:00:00Z"));
    CHECK(send_time(at("2026-11-24T13:00:00Z"), lunch, paris) == at("2026-11-24T13:00:00Z"));
    CHECK(parse_quiet_hours("22:00-07:30") == quiet_hours{22 * 60, 7 * 60 + 30});
    for (auto bad : {"22:00-22:00", "25:00-07:00", "22:00/07:00", "9:00-18:00", ""})
        CHECK_FALSE(parse_quiet_hours(bad).has_value());
}

TEST_CASE("the stays of an export: columns by name and bad rows refused with their line") {
    auto ok = parse_stays(
        "site,checkout,stay_id,language,name,email,room\n"
        "paris-01,2026-11-23 11:00,S1,fr,\"Dubois, Marie\",marie@example.com,12\n"
        "lille-04,2026-11-23T20:30:00-05:00,S2,,,john@example.com,3\n",
        "s.csv");
    REQUIRE(ok.has_value());
    REQUIRE(ok->size() == 2);
    CHECK((*ok)[0].name == "Dubois, Marie");
    CHECK((*ok)[0].local);
    CHECK((*ok)[0].checkout == at("2026-11-23T11:00:00Z"));  // wall clock, the site's
    CHECK_FALSE((*ok)[1].local);
    CHECK((*ok)[1].checkout == at("2026-11-24T01:30:00Z"));
    CHECK((*ok)[1].line == 3);

    auto missing = parse_stays("stay_id,email,name,site,checkout\nS1,a@b.c,A,paris-01,x\n", "s");
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().front().code == "bad-stays");
    CHECK(missing.error().front().message.find("language") != std::string::npos);
    auto bad_time = parse_stays(header +
                                    "S1,a@b.c,A,en,paris-01,2026-11-23 11:00\n"
                                    "S2,a@b.c,A,en,paris-01,tomorrow\n",
                                "s");
    REQUIRE_FALSE(bad_time.has_value());
    CHECK(bad_time.error().front().code == "bad-stay");
    CHECK(bad_time.error().front().where.line == 3);
    auto huge =
        parse_stays(header + "S1,a@b.c," + std::string(5000, 'x') + ",en,paris-01,x\n", "s");
    REQUIRE_FALSE(huge.has_value());
    CHECK(huge.error().front().code == "bad-stay");
    CHECK_FALSE(parse_stays(header + "S1,\"a@b.c,A,en,paris-01,x\n", "s").has_value());
}

TEST_CASE("invite: once per stay on time in the guest's language with opt-outs and one reminder") {
    world w;
    REQUIRE(w.optouts.record(w.optouts.token("Opted.Out@Example.com")).has_value());
    auto const now = at("2026-11-23T12:00:00Z");
    auto const first = header +
                       "S1,marie@example.com,Marie,fr,paris-01,2026-11-23 11:00\n"
                       "S2,john@example.com,John,en-GB,lille-04,2026-11-23T20:30:00-05:00\n"
                       "S3,opted.out@example.com,Olga,en,paris-01,2026-11-23 11:00\n"
                       "S4,anne@example.com,Anne,de,paris-01,2026-11-23 10:00\n"
                       "S6,old@example.com,Old,en,paris-01,2026-10-01 10:00\n"
                       "S7,x@example.com,X,en,nowhere,2026-11-23 10:00\n"
                       "S8,not an address,Y,en,paris-01,2026-11-23 10:00\n";
    auto r = w.run(first, now);
    CHECK(r.stays == 7);
    CHECK(r.invited == 3);
    CHECK(r.opted_out == 1);
    CHECK(r.too_old == 1);
    CHECK(r.unknown_site == 1);
    CHECK(r.bad_address == 1);
    CHECK(w.mail("S3", "invitation") == nullptr);  // the opted-out guest: never

    // 11:00 in Paris plus two hours; 20:30 in New York plus two hours is quiet: 09:00 there.
    REQUIRE(w.mail("S1", "invitation"));
    CHECK(w.mail("S1", "invitation")->not_before == at("2026-11-23T12:00:00Z"));
    CHECK(w.mail("S2", "invitation")->not_before == at("2026-11-24T14:00:00Z"));
    // The survey's languages (en, fr): fr as asked, en-GB as en, de as the default.
    CHECK(w.mail("S1", "invitation")->subject.find("Comment s'est pass") == 0);
    CHECK(w.mail("S2", "invitation")->subject.find("How was your stay") == 0);
    CHECK(w.mail("S4", "invitation")->subject.find("How was your stay") == 0);
    // A single-use link to S1's stay at its site, and the opt-out of its address.
    auto const link = w.link("S1");
    REQUIRE(link.starts_with("https://fb.example/s/"));
    auto const token = link.substr(link.rfind('/') + 1);
    auto found = w.book.find(token, now);
    REQUIRE(found.has_value());
    CHECK(found->what.stay == "S1");
    CHECK(found->what.site == "paris-01");
    CHECK(found->state == serve::token_state::open);
    CHECK(w.mail("S1", "invitation")->unsubscribe_url ==
          "https://fb.example/u/" + w.optouts.token("marie@example.com"));
    CHECK(w.mail("S1", "invitation")
              ->unsubscribe_mailto.starts_with(
                  "mailto:unsubscribe@fb.example?subject=unsubscribe%20"));

    // Again, on an overlapping export, and after reopening everything: only the new stay.
    auto const dir = w.dir.path();
    w.done = stay_index::open(dir / "tmp-unused", fast()).value();  // releases the index's lock
    w.done = stay_index::open(dir / "invited", fast()).value();
    w.out = routing::outbox::open(dir / "tmp-unused-outbox", {}, fast()).value();
    w.out = routing::outbox::open(dir / "outbox", {}, fast()).value();
    auto const later = at("2026-11-23T15:00:00Z");
    r = w.run(header +
                  "S1,marie@example.com,Marie,fr,paris-01,2026-11-23 11:00\n"
                  "S2,john@example.com,John,en,lille-04,2026-11-23T20:30:00-05:00\n"
                  "S5,paul@example.com,Paul,en,paris-01,2026-11-23 12:00\n"
                  "S5,paul@example.com,Paul,en,paris-01,2026-11-23 12:00\n",
              later);
    CHECK(r.invited == 1);
    CHECK(r.already == 3);
    auto const invitations = std::count_if(w.out.entries().begin(), w.out.entries().end(),
                                           [](routing::outbox_entry const& e) {
                                               return e.message.key.ends_with("/invitation/email");
                                           });
    CHECK(invitations == 4);
    CHECK(w.done.entries().size() == 4);

    // S1 answers; S5 opts out; three days on, S2 and S4 are reminded, with their own link.
    auto used = w.book.use(token, later, [] { return result<std::string>("R1-TEST"); });
    REQUIRE(used.has_value());
    REQUIRE(w.optouts.record(w.optouts.token("paul@example.com")).has_value());
    // S1 and S4 went out at 12:00Z, S5 at 15:00Z: at 13:00Z three days on, S4 only (S1 answered).
    auto const too_soon = at("2026-11-26T13:00:00Z");
    CHECK(w.run(header, too_soon).reminded == 1);
    auto const reminded = at("2026-11-27T15:00:00Z");
    r = w.run(header, reminded);
    CHECK(r.reminded == 1);  // S2, 3 days after its 09:00 in New York
    CHECK(w.mail("S1", "reminder") == nullptr);
    CHECK(w.mail("S5", "reminder") == nullptr);
    REQUIRE(w.mail("S2", "reminder"));
    REQUIRE(w.mail("S4", "reminder"));
    CHECK(nlohmann::json::parse(w.mail("S2", "reminder")->body).at("link") == w.link("S2"));
    CHECK(w.mail("S2", "reminder")->subject.find("A reminder") == 0);
    CHECK(w.run(header, at("2026-12-10T15:00:00Z")).reminded == 0);  // one reminder, once

    // The response rate: sent once their time came, answered when the link was used.
    auto const rates = response_rates(w.done, w.book, reminded);
    REQUIRE(rates.size() == 2);
    CHECK(rates[0].site == "lille-04");
    CHECK(rates[0].sent == 1);
    CHECK(rates[0].answered == 0);
    CHECK(rates[1].site == "paris-01");
    CHECK(rates[1].channel == "email");
    CHECK(rates[1].sent == 3);
    CHECK(rates[1].answered == 1);
    CHECK(rates[1].ratio() == doctest::Approx(1.0 / 3));
    // Nothing of the index holds an address.
    for (auto const& f : std::filesystem::directory_iterator(dir / "invited")) {
        std::ifstream in(f.path(), std::ios::binary);
        std::string const raw((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
        CHECK(raw.find("@example.com") == std::string::npos);
    }
}

TEST_CASE(
    "invitations and reminders parse in Python without defects and nothing injects a header") {
    world w;
    auto const now = at("2026-11-23T12:00:00Z");
    w.run(header +
              "S1,marie@example.com,\"Marie\r\nBcc: evil@attacker.example\",fr,paris-02,2026-11-23 "
              "11:00\n"
              "S2,\"john@example.com\r\nBcc: evil@attacker.example\",John,en,paris-01,2026-11-23 "
              "11:00\n"
              "S3,anne@example.com,\"=?UTF-8?B?QmNjOiBldmls?= \xE2\x80\xA8To: "
              "evil@attacker.example\",en,"
              "paris-01,2026-11-23 11:00\n",
          now);
    w.run(header, at("2026-11-27T12:00:00Z"));  // their reminders
    // And the acknowledgement of a guest's own e-mail (mail in).
    routing::routed_case c;
    c.id = "mail:0123456789abcdef0123";
    c.guest = "guest@example.com";
    auto const ack = routing::mail_acknowledgement(c);
    w.out.queue(std::span(&ack, 1), now);
    routing::reply_addresses const replies{"reply.fb.example", "reply", std::string(32, '\x07')};
    routing::maildir_sink mail(
        w.dir / "mail", {"Candor H\xC3\xB4tels <candor@localhost>"},
        [] { return at("2026-11-28T00:00:00Z"); }, replies);
    routing::sinks to{&mail, nullptr, nullptr};
    auto const sent = w.out.send_due(to, at("2026-11-28T00:00:00Z"));
    CHECK(sent.failed == 0);
    CHECK(sent.sent == 5);  // S1, S3 and their reminders, the acknowledgement; S2 has no address

    auto const read = routing::testing::python_reads(w.dir / "mail");
    REQUIRE(read.size() == 5);
    std::size_t invitations = 0;
    for (auto const& m : read) {
        auto const& h = m.at("headers");
        for (auto const& [k, v] : h.items())
            if (k != "subject")
                CHECK_MESSAGE(v.get<std::string>().find("attacker") == std::string::npos, k);
        std::istringstream lines(m.at("plain").get<std::string>());
        for (std::string line; std::getline(lines, line);)
            for (char const* fake : {"Bcc:", "To:", "Subject:"})
                CHECK_MESSAGE(line.rfind(fake, 0) != 0, line);
        CHECK(h.at("reply-to").get<std::string>().starts_with("reply+"));
        auto const thread =
            routing::thread_of_reply_address(h.at("reply-to").get<std::string>(), replies);
        REQUIRE(thread.has_value());
        if (h.contains("list-unsubscribe")) {
            ++invitations;
            CHECK(thread->starts_with("stay/"));
            CHECK(h.at("list-unsubscribe-post") == "List-Unsubscribe=One-Click");
            auto const list = h.at("list-unsubscribe").get<std::string>();
            CHECK(list.starts_with("<https://fb.example/u/"));
            CHECK(list.find("<mailto:unsubscribe@fb.example?subject=unsubscribe%20") !=
                  std::string::npos);
            CHECK(m.at("plain").get<std::string>().find("https://fb.example/s/") !=
                  std::string::npos);
        } else {
            CHECK(*thread == c.id);
        }
    }
    CHECK(invitations == 4);
}
