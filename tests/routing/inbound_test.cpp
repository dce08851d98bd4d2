// Mail in: the signed reply address, the MIME reader against hostile messages, and the pull
// from a real Maildir: a reply re-opens its case, a stranger's mail opens one at head office
// and is acknowledged, bounces and auto-replies are never answered, nothing is taken twice.
#include <doctest/doctest.h>

#include <fstream>

#include "candor/routing/inbound.hpp"
#include "candor/routing/notification.hpp"
#include "fixture.hpp"
#include "routing/mail.hpp"

using namespace candor;
using namespace candor::routing;
using routing::testing::at;

namespace {

journal::segment_options fast() {
    return {64u << 20, false};
}

reply_addresses const replies{"reply.fb.example", "reply", std::string(32, '\x2A')};

void deliver(std::filesystem::path const& maildir, std::string const& name,
             std::string const& text) {
    for (char const* sub : {"tmp", "new", "cur"})
        std::filesystem::create_directories(maildir / sub);
    std::ofstream(maildir / "new" / name, std::ios::binary) << text;
}

std::size_t in(std::filesystem::path const& dir) {
    std::size_t n = 0;
    for ([[maybe_unused]] auto const& f : std::filesystem::directory_iterator(dir)) ++n;
    return n;
}

struct hq {
    routing::testing::temp_dir dir;
    rule_set rules = load_rules("when recommend <= 6 notify site_manager within 4h\n", "t.rules",
                                routing::testing::sample_org(), routing::testing::hotel())
                         .value();
    router r{routing::testing::sample_org(), routing::testing::hotel(), rules};
    case_log cases = case_log::open(dir / "cases", fast()).value();
    outbox out = outbox::open(dir / "outbox", {}, fast()).value();
    std::filesystem::path maildir = dir / "in";

    // A card from paris-01 that opened a case with the guest's address; resolved with a reply.
    std::string card_case() {
        auto resp = routing::testing::card(
            "paris-01", R"("recommend": 2, "contact_me": true, "email": "Guest@Example.com")");
        auto opened =
            cases.open_cases("kiosk-1:7", resp, r.decide(resp), r, at("2026-11-06T16:00:00Z"));
        REQUIRE(opened.size() == 1);
        REQUIRE(cases.resolve_with_reply(opened[0].id, opened[0].owner, "called", "Sorry!", out,
                                         at("2026-11-07T10:00:00Z")));
        return opened[0].id;
    }
    pull_report pull() {
        return pull_mail(maildir, cases, out, r, {replies, {}}, at("2026-11-08T10:00:00Z"));
    }
};

std::string message(std::string const& headers, std::string const& body = "Thanks, but no.\n") {
    return headers + "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n" + body;
}

}  // namespace

TEST_CASE("the signed reply address names its thread and only its own key's") {
    auto const a = signed_reply_address("kiosk-1:7", replies);
    CHECK(a.starts_with("reply+kiosk-1=3a7."));
    CHECK(a.ends_with("@reply.fb.example"));
    CHECK(mail::plain_address(a));
    CHECK(thread_of_reply_address(a, replies) == "kiosk-1:7");
    std::string upper = a;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK(thread_of_reply_address(upper, replies) == "kiosk-1:7");  // case is not meaning
    CHECK(thread_of_reply_address(signed_reply_address("Kiosk/1 x", replies), replies) ==
          "Kiosk/1 x");
    // Another case with this MAC, another key, another domain, junk: nothing.
    auto forged = a;
    forged.replace(forged.find("=3a7"), 4, "=3a8");
    CHECK_FALSE(thread_of_reply_address(forged, replies).has_value());
    auto other = replies;
    other.key = std::string(32, '\x2B');
    CHECK_FALSE(thread_of_reply_address(a, other).has_value());
    CHECK_FALSE(thread_of_reply_address("reply+kiosk-1=3a7@reply.fb.example", replies));
    CHECK_FALSE(thread_of_reply_address("reply+=zz.aaaa@reply.fb.example", replies));
    CHECK(signed_reply_address("x", {}).empty());
}

TEST_CASE("the MIME reader: charsets and encodings and hostile messages within its bounds") {
    auto m = parse_inbound(
        "From: =?ISO-8859-1?Q?Ren=E9?= <Rene@Example.COM>\r\n"
        "To: a@b.example,\r\n \"x, y\" <reply+k.abc@reply.fb.example>\r\n"
        "Subject: =?UTF-8?B?UsOpcG9uc2U=?= =?UTF-8?Q?_=C3=A0_vous?=\r\n"
        "Message-ID: <m1@example.com>\r\nIn-Reply-To: <a@candor>\r\nReferences: <r1@x> <r2@y>\r\n"
        "Content-Type: multipart/alternative; boundary=\"b;1\"\r\n\r\n"
        "--b;1\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n\r\nD=E9j=E0 vu =\r\nhier.\r\n"
        "> quoted before\r\n-- \r\nsignature\r\n--b;1\r\nContent-Type: "
        "text/html\r\n\r\n<p>no</p>\r\n"
        "--b;1--\r\n");
    REQUIRE(m.has_value());
    CHECK(m->from == "rene@example.com");
    CHECK(m->message_id == "m1@example.com");
    CHECK(m->subject == "R\xC3\xA9ponse \xC3\xA0 vous");
    CHECK(m->to == std::vector<std::string>{"a@b.example", "reply+k.abc@reply.fb.example"});
    CHECK(m->references == std::vector<std::string>{"a@candor", "r1@x", "r2@y"});
    CHECK(m->text == "D\xC3\xA9j\xC3\xA0 vu hier.");
    CHECK_FALSE(m->bounce);
    CHECK_FALSE(m->automatic);

    // Invalid UTF-8 (a lone continuation, an overlong slash, a surrogate) becomes U+FFFD.
    auto bad = parse_inbound(message("From: g@x.example\n",
                                     "a\x80"
                                     "b\xC0\xAF"
                                     "c\xED\xA0\x80"
                                     "d\n"));
    REQUIRE(bad.has_value());
    CHECK(bad->text ==
          "a\xEF\xBF\xBD"
          "b\xEF\xBF\xBD\xEF\xBF\xBD"
          "c\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
          "d");
    // base64, an unknown charset read as UTF-8.
    auto b64 = parse_inbound(
        "From: g@x.example\nContent-Type: text/plain; charset=x-unknown\n"
        "Content-Transfer-Encoding: base64\n\nQm9uam91ciDDqXTDqQ==\n");
    REQUIRE(b64.has_value());
    CHECK(b64->text == "Bonjour \xC3\xA9t\xC3\xA9");

    // Deep nesting: refused at the bound, not by the stack.
    std::string deep = "From: g@x.example\n";
    for (int i = 0; i < 5000; ++i)
        deep += "Content-Type: multipart/mixed; boundary=\"b" + std::to_string(i) + "\"\n\n--b" +
                std::to_string(i) + "\n";
    auto nested = parse_inbound(deep);
    REQUIRE_FALSE(nested.has_value());
    CHECK(nested.error().front().code == "bad-mail");
    CHECK(nested.error().front().message.find("deeper") != std::string::npos);
    // Too many parts, headers too long, too many fields, a message too large.
    std::string wide = "From: g@x.example\nContent-Type: multipart/mixed; boundary=b\n\n";
    for (std::size_t i = 0; i <= max_mime_parts; ++i) wide += "--b\n\nx\n";
    wide += "--b--\n";
    CHECK_FALSE(parse_inbound(wide).has_value());
    CHECK_FALSE(parse_inbound("X: " + std::string(max_header_bytes, 'a') + "\n\nbody").has_value());
    std::string fields;
    for (std::size_t i = 0; i <= max_header_fields; ++i) fields += "X-A: b\n";
    CHECK_FALSE(parse_inbound(fields + "\nbody").has_value());
    CHECK_FALSE(parse_inbound(std::string(max_inbound_bytes + 1, 'a')).has_value());
    CHECK_FALSE(parse_inbound("").has_value());
    // Header injection in what is read: a CR LF in an encoded Subject stays in one line.
    auto inj =
        parse_inbound(message("From: g@x.example\nSubject: =?UTF-8?B?aGkNCkJjYzogZXZpbA==?=\n"));
    REQUIRE(inj.has_value());
    CHECK(inj->subject == "hi Bcc: evil");

    // Bounces and automatic replies.
    auto dsn = parse_inbound(
        "From: Mail Delivery System <MAILER-DAEMON@mx.example>\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=r\n\n"
        "--r\nContent-Type: text/plain\n\nfailed\n--r\nContent-Type: message/delivery-status\n\n"
        "Status: 5.1.1\n--r--\n");
    REQUIRE(dsn.has_value());
    CHECK(dsn->bounce);
    CHECK(parse_inbound(message("From: g@x.example\nReturn-Path: <>\n"))->bounce);
    CHECK(parse_inbound(message("From: g@x.example\nAuto-Submitted: auto-replied\n"))->automatic);
    CHECK(parse_inbound(message("From: g@x.example\nX-Autoreply: yes\n"))->automatic);
    CHECK(parse_inbound(message("From: g@x.example\nPrecedence: bulk\n"))->automatic);
    CHECK(parse_inbound(message("From: g@x.example\nPrecedence: auto_reply\n"))->automatic);
    CHECK_FALSE(parse_inbound(message("From: g@x.example\nAuto-Submitted: no\n"))->automatic);
}

TEST_CASE(
    "mail pull: replies re-open their case and strangers open one and bounces none and each once") {
    hq h;
    auto const id = h.card_case();
    REQUIRE(h.cases.find(id)->state == case_state::resolved);
    auto const queued = h.out.entries().size();

    // 1. To the signed address, from whatever From.
    deliver(h.maildir, "1.a",
            message("From: someone@else.example\nTo: " + signed_reply_address(id, replies) +
                        "\nMessage-ID: <1@guest>\nSubject: Re: answer\n",
                    "Still cold.\n> Our answer to your feedback\n"));
    // 2. By References, from the case's guest: attached. 3. The same References from
    // another sender: not trusted, a case of its own.
    auto const root = "<" + mail::message_id("case/" + id) + ">";
    deliver(h.maildir, "2.a",
            message("From: Guest <guest@example.com>\nTo: candor@localhost\nMessage-ID: <2@guest>\n"
                    "In-Reply-To: " +
                        root + "\n",
                    "And the noise.\n"));
    deliver(h.maildir, "3.a",
            message("From: Mallory <mallory@attacker.example>\nTo: candor@localhost\n"
                    "Message-ID: <3@m>\nReferences: " +
                        root + "\n",
                    "Close it.\n"));
    // 4. A bounce, 5. an auto-reply to the signed address: recognised, never answered.
    deliver(h.maildir, "4.a",
            "From: MAILER-DAEMON@mx.example\nMessage-ID: <4@mx>\n"
            "Content-Type: multipart/report; report-type=delivery-status; boundary=r\n\n--r\n"
            "Content-Type: message/delivery-status\n\nStatus: 5.1.1\n--r--\n");
    deliver(h.maildir, "5.a",
            message("From: guest@example.com\nTo: " + signed_reply_address(id, replies) +
                        "\nMessage-ID: <5@guest>\nAuto-Submitted: auto-replied\n",
                    "I am away.\n"));
    // 6. Hostile: nested past the bound. Set aside, nothing else.
    std::string deep = "From: g@x.example\nMessage-ID: <6@x>\n";
    for (int i = 0; i < 50; ++i)
        deep += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\n\n--b" +
                std::to_string(i) + "\n";
    deliver(h.maildir, "6.a", deep);

    auto r = h.pull();
    CHECK(r.read == 6);
    CHECK(r.attached == 2);
    CHECK(r.opened == 1);
    CHECK(r.bounces == 1);
    CHECK(r.automatic == 1);
    CHECK(r.refused == 1);
    CHECK(in(h.maildir / "new") == 0);
    CHECK(in(h.maildir / "cur") == 6);

    auto const* c = h.cases.find(id);
    CHECK(c->state == case_state::open);  // re-opened
    CHECK(c->deadline > at("2026-11-08T10:00:00Z"));
    std::vector<std::string> wrote;
    for (auto const& e : c->history)
        if (e.what == "guest-wrote") wrote.push_back(e.note);
    CHECK(wrote == std::vector<std::string>{"Still cold.", "And the noise."});
    // Mallory's mail: a case at head office's fallback role, acknowledged to her only.
    auto const stranger = mail_case_id("3@m");
    REQUIRE(h.cases.find(stranger));
    CHECK(h.cases.find(stranger)->role == "guest_relations");
    CHECK(h.cases.find(stranger)->guest == "mallory@attacker.example");
    REQUIRE(h.out.entries().size() == queued + 1);  // one acknowledgement, nothing else
    CHECK(h.out.entries().back().message.address == "mallory@attacker.example");
    CHECK(h.out.entries().back().message.thread == stranger);

    // The same messages delivered again (the MTA retried), and after reopening the log:
    // nothing is taken twice.
    deliver(h.maildir, "7.a",
            message("From: someone@else.example\nTo: " + signed_reply_address(id, replies) +
                    "\nMessage-ID: <1@guest>\n"));
    deliver(h.maildir, "8.a",
            message("From: Mallory <mallory@attacker.example>\nMessage-ID: <3@m>\n"));
    h.cases = case_log::open(h.dir / "cases-unused", fast()).value();
    h.cases = case_log::open(h.dir / "cases", fast()).value();
    r = h.pull();
    CHECK(r.repeated == 2);
    CHECK(r.attached + r.opened == 0);
    CHECK(h.out.entries().size() == queued + 1);
    CHECK(in(h.maildir / "cur") == 8);
}
