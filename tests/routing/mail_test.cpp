// The e-mails Candor writes, read back by Python's email package (policy=default): no
// defects, no header injected by an answer, a name or a subject; readable (the reader's
// language, question texts, the guest's words quoted, the deadline in the reader's time
// zone); every message about one case in one thread.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "candor/routing/cases.hpp"
#include "candor/routing/notification.hpp"
#include "candor/routing/outbox.hpp"
#include "candor/routing/time.hpp"
#include "check_mail.hpp"
#include "fixture.hpp"

using namespace candor;
using namespace candor::routing;
using routing::testing::at;
using routing::testing::python_reads;

namespace {

journal::segment_options fast() {
    return {64u << 20, false};
}

// An org whose names and site name try to add headers.
organisation hostile_org() {
    organisation org = routing::testing::sample_org();
    for (auto& p : org.people) {
        if (p.id == "marie") {
            p.name = "Marie\r\nBcc: evil@attacker.example\r\nSubject: pwned";
            p.language = "fr";
            local_time paris = org.head_office_time;
            paris.zone = "Europe/Paris";
            p.time = paris;
        }
        if (p.id == "care") p.name = "Care \xE2\x80\xA8To: evil@attacker.example";
    }
    for (auto& s : org.sites)
        if (s.id == "paris-01")
            s.name = "Lumi\xC3\xA8re\r\nBcc: evil@attacker.example Op\xC3\xA9ra";
    return org;
}

void append(std::vector<delivery>& all, router const& r, response::response const& resp,
            notice const& n, timestamp now) {
    auto ds = deliveries_for(r, resp, n, now);
    REQUIRE(ds.has_value());
    for (auto& m : *ds) all.push_back(std::move(m));
}

}  // namespace

TEST_CASE("every e-mail parses without defect, headers cannot be injected, and a case threads") {
    auto const org = hostile_org();
    auto rules = load_rules(
                     "when recommend <= 6 notify site_manager within 4h escalate regional_director "
                     "after 24h\n"
                     "when contact_me == yes notify customer_care within 1 business day\n"
                     "always notify customer_care.digest daily\n",
                     "t.rules", org, routing::testing::hotel())
                     .value();
    router r(org, routing::testing::hotel(), rules);
    routing::testing::temp_dir dir;
    std::string const hostile =
        "cold\r\nBcc: evil@attacker.example\r\n\r\n--=_candor_x\xE2\x80\xA8Subject: fake\n"
        "<script>alert(1)</script> =?UTF-8?B?QmNjOiBldmls?=";
    auto json = nlohmann::json{{"recommend", 2},
                               {"contact_me", true},
                               {"email", "g@x.example"},
                               {"what_went_wrong", hostile},
                               {"amenities", {"spa", "bar"}}};
    auto const answers = json.dump();
    auto resp = routing::testing::card("paris-01", answers.substr(1, answers.size() - 2), "leo");
    auto quiet = routing::testing::card("nice-03", R"("recommend":10)", "");
    timestamp const now = at("2026-11-06T16:00:00Z");

    auto box = outbox::open(dir.path() / "outbox", {}, fast()).value();
    auto cases = case_log::open(dir.path() / "cases", fast()).value();
    std::vector<delivery> all;
    auto const d = r.decide(resp);
    auto opened = cases.open_cases("kiosk-1:7", resp, d, r, now);
    REQUIRE(opened.size() == 1);
    for (auto const& x : d.recipients) {
        notice n{x.digest ? notice_kind::digest : notice_kind::opened,
                 "kiosk-1:7",
                 "",
                 x,
                 0,
                 d.recipients.front().person};
        if (!x.digest) {
            n.case_id = "kiosk-1:7";
            if (x.person == n.owner) n.deadline = opened[0].deadline;
        }
        append(all, r, resp, n, now);
    }
    auto const dq = r.decide(quiet);
    for (auto const& x : dq.recipients)
        append(all, r, quiet, {notice_kind::digest, "kiosk-2:1", "", x, 0, 0}, now);
    // A day on: escalated to anne.
    auto const up = cases.due(r, at("2026-11-07T16:00:00Z"));
    REQUIRE(up.size() == 1);
    for (auto const& x : up[0].to)
        append(all, r, resp,
               {notice_kind::escalated, "kiosk-1:7", "kiosk-1:7", x, up[0].deadline,
                up[0].to.front().person},
               now);
    std::erase_if(all, [](delivery const& m) { return m.channel != channel_kind::email; });
    // The guest's: the acknowledgement with a status link (a hostile one), and the reply.
    auto ack = acknowledgement_for(
        r, resp, "kiosk-1:7", "R7-ABCD",
        "https://hq.example/s?c=R7&x=\"><script>\r\nBcc: evil@attacker.example");
    REQUIRE(ack.has_value());
    all.push_back(*ack);
    CHECK_FALSE(acknowledgement_for(r, quiet, "kiosk-2:1", "R1", "").has_value());  // no address
    auto forged = resp;
    for (auto& [id, a] : forged.answers)
        if (id == "email") a = std::string("g@x.example\r\nBcc: evil@attacker.example");
    CHECK_FALSE(acknowledgement_for(r, forged, "kiosk-1:7", "R7", "").has_value());
    all.push_back(reply_for(*cases.find("kiosk-1:7"), hostile));
    box.queue(all, now);
    maildir_sink mail(dir.path() / "mail", {"Candor H\xC3\xB4tels <candor@localhost>"},
                      [] { return at("2026-11-08T00:00:00Z"); });
    sinks to{&mail, nullptr, nullptr};
    auto const sent = box.send_due(to, at("2026-11-08T00:00:00Z"));
    CHECK(sent.failed == 0);

    auto const read = python_reads(dir.path() / "mail");
    std::map<std::string, nlohmann::json> by_to;
    std::vector<nlohmann::json> guest;
    for (auto const& m : read) {
        by_to[m.at("to").get<std::string>()] = m;
        if (m.at("to") == "g@x.example") guest.push_back(m);
    }
    REQUIRE(guest.size() == 2);
    for (auto const& g : guest) {
        std::string const text = g.at("plain");
        if (text.find("R7-ABCD") != std::string::npos) {  // the acknowledgement
            CHECK(text.find("Follow what becomes of it: https://hq.example/s?c=R7") !=
                  std::string::npos);
            CHECK(g.at("headers").at("subject") == "We have received your feedback");
        } else {
            CHECK(text.find("> cold\n> Bcc: evil@attacker.example") != std::string::npos);
        }
        CHECK(g.at("headers").at("references") ==
              by_to.at("marie.dubois@lumiere.example").at("headers").at("references"));
    }
    // marie (owner), care (in copy, then her digest), anne (escalated); the guest's two
    CHECK(read.size() == 6);
    for (auto const& m : read) {
        // The site's name stays inside Subject:, the one header it is in (Python checked
        // that no header is unknown or repeated); no other header holds any of it.
        for (auto const& [k, v] : m.at("headers").items())
            if (k != "subject")
                CHECK_MESSAGE(v.get<std::string>().find("attacker") == std::string::npos, k);
        CHECK(m.at("html").get<std::string>().find("<script>") == std::string::npos);
    }
    auto const& marie = by_to.at("marie.dubois@lumiere.example");
    std::string const plain = marie.at("plain");
    CHECK(marie.at("multipart") == "multipart/alternative");
    CHECK(plain.find("Bonjour Marie") != std::string::npos);  // her language
    CHECK(plain.find("Quelle est la probabilit\xC3\xA9 que vous nous recommandiez") !=
          std::string::npos);                                                   // the question
    CHECK(plain.find("2026-11-07 17:00 (Europe/Paris)") != std::string::npos);  // her clock
    CHECK(plain.find("Spa, Bar") != std::string::npos);                         // option labels
    // The guest's words: every line of them quoted, none a line of its own.
    CHECK(plain.find("> cold\n> Bcc: evil@attacker.example\n> \n> --=_candor_x\n> Subject: fake") !=
          std::string::npos);
    // Nothing a guest or the org file wrote starts a line of its own: not in marie's mail,
    // nor in care's, whose name holds a U+2028 line separator.
    for (auto const& m : read) {
        std::istringstream lines(m.at("plain").get<std::string>());
        for (std::string line; std::getline(lines, line);)
            for (char const* fake : {"Bcc:", "Subject:", "To:", "--=_candor", "<script"})
                CHECK_MESSAGE(line.rfind(fake, 0) != 0, line);
    }
    CHECK(plain.find("g@x.example") == std::string::npos);  // site managers do not contact guests
    auto const& care = by_to.at("care@candor-hotels.example");
    auto const& anne = by_to.at("anne.lefevre@lumiere.example");
    CHECK(std::string(anne.at("plain")).find("escalated to you") != std::string::npos);
    CHECK(std::string(anne.at("plain")).find("2026-11-07 21:00 (UTC+01:00)") != std::string::npos);
    // One thread: every message about the case names the same root.
    std::string const root = marie.at("headers").at("references");
    CHECK(root.size() > 10);
    CHECK(anne.at("headers").at("references") == root);
    CHECK(anne.at("headers").at("in-reply-to") == root);
    std::set<std::string> ids;
    for (auto const& m : read) ids.insert(m.at("headers").at("message-id").get<std::string>());
    CHECK(ids.size() == read.size());
    CHECK(care.at("headers").at("subject").get<std::string>().find("kiosk-") != std::string::npos);
}

TEST_CASE("a person's language and time zone in the org file, bad ones are errors") {
    std::string const base = R"(head-office "HQ" timezone utc fallback hq
role hq "Head office" management at head-office
)";
    auto ok = parse_org(
        base +
            R"(person ana "Ana" holds hq email "ana@x.example" language "pt-BR" timezone "America/Sao_Paulo"
)",
        "t.org");
    REQUIRE(ok.has_value());
    CHECK(ok->people[0].language == "pt-BR");
    REQUIRE(ok->people[0].time.has_value());
    CHECK(ok->people[0].time->zone == "America/Sao_Paulo");
    CHECK(ok->people[0].channels.size() == 1);  // the settings are no channels
    auto bad = parse_org(
        base +
            R"(person ana "Ana" holds hq email "ana@x.example" language "f r" timezone "Mars/Olympus"
)",
        "t.org");
    REQUIRE_FALSE(bad.has_value());
    // Each at its own place on line 3: the language's before the time zone's.
    std::map<std::string, std::uint32_t> column;
    for (auto const& e : bad.error())
        if (e.where.line == 3) column[e.code] = e.where.column;
    REQUIRE(column.count("bad-language"));
    REQUIRE(column.count("bad-timezone"));
    CHECK(column["bad-language"] > 40);
    CHECK(column["bad-timezone"] > column["bad-language"]);
}
