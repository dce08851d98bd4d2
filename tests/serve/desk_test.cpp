// The managers' case desk of candor::serve over real HTTP on 127.0.0.1: a guest's card
// taken by the server, imported and routed at head office as `candor route run` does, then
// the manager signs in by the link read from the Maildir, sees the card and acts on it; the
// guest's status page follows. The bypass guarantee, CSRF, sessions and hostile requests.
#include <doctest/doctest.h>
#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "candor/journal/bundle.hpp"
#include "candor/journal/store.hpp"
#include "candor/routing/cases.hpp"
#include "candor/routing/outbox.hpp"
#include "candor/routing/pass.hpp"
#include "candor/routing/router.hpp"
#include "candor/seal/keys.hpp"
#include "candor/serve/desk.hpp"
#include "candor/serve/server.hpp"
#include "candor/survey/parse.hpp"
#include "candor/time.hpp"
#include "serve/fixture.hpp"
#include "support/temp_dir.hpp"
#include "util/event_log.hpp"
#include "util/file_io.hpp"

namespace fs = std::filesystem;
using namespace candor;
using json = nlohmann::json;

namespace {

constexpr char form[] = "application/x-www-form-urlencoded";
// The guest asks to be contacted (care owns the case, the site manager is in copy).
constexpr char asking_card[] =
    R"({"language":"en","answers":{"recommend":2,"satisfaction":1,"what_went_wrong":"Cold room",)"
    R"("contact_me":true,"email":"guest@example.com"}})";
// The guest does not (the site manager owns it).
constexpr char quiet_card[] = R"({"language":"en","answers":{"recommend":3,"satisfaction":2}})";
constexpr char rules_text[] =
    "when contact_me == yes notify customer_care within 1 business day\n"
    "when recommend <= 6 notify site_manager within 4h\n";

std::string read_text(fs::path const& f) {
    std::ifstream in(f, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The sample org, with e-mail addresses for Hugo (front desk) and Léo (duty manager, named
// on duty on every card here) so that both can sign in.
routing::organisation org() {
    auto text = read_text(CANDOR_SOURCE_DIR "/examples/org/hotel-chain.org");
    auto const hugo = std::string("person hugo \"Hugo Petit\" holds front_desk at paris-01");
    text.replace(text.find(hugo), hugo.size(), hugo + " email \"hugo.petit@lumiere.example\"");
    auto o = routing::parse_org(text, "hotel-chain.org");
    REQUIRE(o);
    return std::move(*o);
}

survey::survey hotel() {
    auto s = survey::parse_file(CANDOR_SOURCE_DIR "/examples/surveys/hotel-stay.survey");
    REQUIRE(s);
    return std::move(*s);
}

// Quoted-printable soft line breaks and =XX undone: the text a mail reader shows.
std::string unquote(std::string const& qp) {
    std::string out;
    for (std::size_t i = 0; i < qp.size(); ++i) {
        if (qp[i] == '=' && i + 1 < qp.size() && qp[i + 1] == '\n') {
            ++i;
        } else if (qp[i] == '=' && i + 2 < qp.size() && std::isxdigit(qp[i + 1]) &&
                   std::isxdigit(qp[i + 2])) {
            out += static_cast<char>(std::stoi(qp.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += qp[i];
        }
    }
    return out;
}

struct head_office {
    test::temp_dir dir;
    seal::hq_secret hq = seal::make_hq_keys();
    seal::device_secret key = seal::make_device_keys("hq-web");
    std::atomic<std::int64_t> now{1'800'000'000};
    std::shared_ptr<serve::desk_settings> desk = std::make_shared<serve::desk_settings>();
    serve::testing::running_server running;

    head_office() {
        desk->org = org();
        desk->survey = hotel();
        auto rules = routing::load_rules(rules_text, "t.rules", desk->org, desk->survey);
        REQUIRE(rules);
        desk->rules = std::move(*rules);
        desk->store = dir / "store";
        desk->hq = hq;
        desk->mail = std::make_shared<routing::maildir_sink>(
            dir / "mail", routing::maildir_options{}, [this] { return now.load(); });
        start();
    }
    ~head_office() { stop(); }

    void start() {
        serve::settings s;
        s.sites = {"paris-01"};
        s.fields = {{"channel", "web"}, {"shift", "night"}, {"on_duty", "leo"}};
        s.status_base = "http://127.0.0.1";
        s.clock = [this] { return now.load(); };
        auto progress = serve::case_progress(dir / "store" / "cases");
        REQUIRE(progress);
        s.progress = std::move(*progress);
        desk->base = "http://127.0.0.1";
        s.desk = desk;
        running.run(serve::server::open(dir / "state", {hotel()}, key, hq.public_part(), s));
    }
    void stop() { running.stop(); }

    httplib::Client client() const { return running.client(); }

    // A guest's card from a table link: its status page's path.
    std::string submit(char const* card) {
        auto c = client();
        auto r = c.Post("/t/paris-01/12/submit", card, "application/json");
        REQUIRE(r);
        REQUIRE(r->status == 200);
        auto const link = json::parse(r->body)["status"].get<std::string>();
        return link.substr(link.find("/r/"));
    }

    // Head office's pass, as `candor route run` after `candor hq import` of the server's
    // journal: the store, the case log and the outbox are closed again after it.
    void route() {
        auto const bundle = dir / "server.cnb";
        REQUIRE(journal::export_bundle(dir / "state" / "journal", 0, bundle));
        auto store = journal::store::open(dir / "store").value();
        journal::bundle_input in{"server.cnb", util::read_file(bundle)};
        seal::device_list devices{{key.public_part()}};
        auto imported = store.import(std::span(&in, 1), devices, hq);
        REQUIRE_FALSE(imported.refused_any());
        auto const layout = routing::layout_of(dir / "store");
        auto cases = routing::case_log::open(layout.cases).value();
        auto out = routing::outbox::open(layout.outbox).value();
        routing::router router(desk->org, desk->survey, desk->rules);
        routing::maildir_sink mail(dir / "mail", {}, [this] { return now.load(); });
        // The holders' mails carry one-click acknowledge links, as with --desk-base.
        auto const key = serve::load_desk_key(dir / "state").value();
        routing::route_pass(store, hq, router, cases, out, {&mail, nullptr, nullptr}, now, {}, {},
                            [&](std::string const& id, std::string const& person) {
                                return serve::ack_link(desk->base, key, id, person,
                                                       now + serve::ack_link_lifetime);
                            });
    }

    // The link to PATH (/m/in/, /m/a/) last mailed to `address`.
    std::string mailed_link(std::string const& address, std::string const& path = "/m/in/") const {
        std::string found;
        fs::file_time_type newest{};
        for (auto const& f : fs::directory_iterator(dir / "mail" / "new")) {
            auto const text = unquote(read_text(f.path()));
            if (text.find("To: " + address) == std::string::npos ||
                text.find(path) == std::string::npos)
                continue;
            if (!found.empty() && f.last_write_time() < newest) continue;
            newest = f.last_write_time();
            // No std::regex: GCC 12 warns inside it under the sanitizers.
            auto const at = text.find("http://127.0.0.1" + path);
            REQUIRE(at != std::string::npos);
            auto end = at;
            while (end < text.size() &&
                   (std::isalnum(static_cast<unsigned char>(text[end])) ||
                    std::string_view("_%:=?&./-").find(text[end]) != std::string_view::npos))
                ++end;
            found = text.substr(at + std::string("http://127.0.0.1").size(),
                                end - at - std::string("http://127.0.0.1").size());
        }
        return found;
    }

    std::size_t mails() const {
        std::size_t n = 0;
        for ([[maybe_unused]] auto const& f : fs::directory_iterator(dir / "mail" / "new")) ++n;
        return n;
    }

    // Signs `address` in by the mailed link: the session's cookie header.
    std::string sign_in(std::string const& address) {
        auto c = client();
        auto asked = c.Post("/m/sign-in", "address=" + address, form);
        REQUIRE(asked);
        CHECK(asked->status == 200);
        auto const link = mailed_link(address);
        REQUIRE_FALSE(link.empty());
        auto confirm = c.Get(link);
        REQUIRE(confirm);
        CHECK(confirm->status == 200);  // a button: a scanner that follows links signs nobody in
        auto in = c.Post(link, "", form);
        REQUIRE(in);
        CHECK(in->status == 303);
        auto const cookie = in->get_header_value("Set-Cookie");
        CHECK(cookie.find("HttpOnly") != std::string::npos);
        CHECK(cookie.find("SameSite=Strict") != std::string::npos);
        CHECK(cookie.find("Secure") == std::string::npos);  // base is http: no Secure
        return cookie.substr(0, cookie.find(';'));
    }

    routing::routed_case const& case_now(std::string const& id) {
        static std::optional<routing::case_reader> reader;
        reader = routing::case_reader::open(dir / "store" / "cases").value();
        auto const* c = reader->find(id);
        REQUIRE(c);
        return *c;
    }
};

httplib::Headers with(std::string const& cookie) {
    return {{"Cookie", cookie}};
}

// The CSRF token of the page's forms.
std::string csrf_of(std::string const& page) {
    std::string const field = "name=\"csrf\" value=\"";
    auto const at = page.find(field);
    REQUIRE(at != std::string::npos);
    auto const from = at + field.size();
    return page.substr(from, page.find('"', from) - from);
}

// Head office with one guest's card taken and routed: its status page, case and desk page.
struct one_case : head_office {
    std::string status, id, path;
    explicit one_case(char const* card) : status(submit(card)) {
        route();
        id = key.id + ":1";
        path = "/m/c/" + receipt::percent(id);
    }
};

}  // namespace

TEST_CASE("the manager signs in by the mailed link, sees the card, acknowledges and replies") {
    one_case hq(asking_card);
    auto const& status = hq.status;
    auto const& id = hq.id;
    auto c = hq.client();

    // Before anyone acted, the guest's page says received only.
    auto before = c.Get(status);
    REQUIRE(before);
    CHECK(before->body.find("<dd id=\"read\">not yet</dd>") != std::string::npos);

    auto const care = hq.sign_in("care@candor-hotels.example");
    // The used link is refused, on its GET and its POST.
    auto const used = hq.mailed_link("care@candor-hotels.example");
    CHECK(c.Get(used)->status == 410);
    CHECK(c.Post(used, "", form)->status == 410);

    auto list = c.Get("/m/", with(care));
    REQUIRE(list);
    CHECK(list->status == 200);
    CHECK(list->get_header_value("Cache-Control") == "no-store");
    CHECK(list->get_header_value("Content-Security-Policy").starts_with("default-src 'self'"));
    CHECK(list->body.find("/m/c/" + receipt::percent(id)) != std::string::npos);

    auto page = c.Get("/m/c/" + receipt::percent(id), with(care));
    REQUIRE(page);
    CHECK(page->status == 200);
    // Question texts in care's language (the survey's, English), and care contacts guests:
    // the address is shown.
    CHECK(page->body.find("How likely are you to recommend us to a friend?") != std::string::npos);
    CHECK(page->body.find("Cold room") != std::string::npos);
    CHECK(page->body.find("guest@example.com") != std::string::npos);
    auto const csrf = csrf_of(page->body);

    // CSRF missing or wrong: 403 and the case stays open.
    CHECK(c.Post("/m/c/" + receipt::percent(id) + "/ack", with(care), "", form)->status == 403);
    CHECK(c.Post("/m/c/" + receipt::percent(id) + "/ack", with(care),
                 "csrf=" + std::string(csrf.size(), 'A'), form)
              ->status == 403);
    CHECK(hq.case_now(id).state == routing::case_state::open);

    hq.now += 600;
    auto ack = c.Post("/m/c/" + receipt::percent(id) + "/ack", with(care), "csrf=" + csrf, form);
    REQUIRE(ack);
    CHECK(ack->status == 303);
    CHECK(hq.case_now(id).state == routing::case_state::acknowledged);
    auto read = c.Get(status);
    CHECK(read->body.find("<dd id=\"read\">" + format_timestamp(hq.now)) != std::string::npos);
    CHECK(read->body.find("<dd id=\"answered\">not yet</dd>") != std::string::npos);

    hq.now += 600;
    auto reply = c.Post("/m/c/" + receipt::percent(id) + "/reply", with(care),
                        "csrf=" + csrf +
                            "&note=called+back&reply=We+are+sorry%2C+the+heating+is+"
                            "fixed.",
                        form);
    REQUIRE(reply);
    CHECK(reply->status == 303);
    auto const& resolved = hq.case_now(id);
    CHECK(resolved.state == routing::case_state::resolved);
    CHECK(resolved.history.back().what == "replied");
    CHECK(resolved.history.back().note == "We are sorry, the heating is fixed.");
    // The reply is queued in routing's outbox, sent by the next `candor route run`.
    {
        auto out = routing::outbox::open(hq.dir / "store" / "outbox").value();
        CHECK(out.queued(id + "/guest/reply/email"));
    }
    auto answered = c.Get(status);
    CHECK(answered->body.find("<dd id=\"answered\">" + format_timestamp(hq.now)) !=
          std::string::npos);

    // Every view recorded: who saw which card, when.
    std::vector<json> views;
    REQUIRE(util::event_log::read(hq.dir / "state" / "desk" / "views",
                                  [&](json const& e) { views.push_back(e); }));
    REQUIRE(views.size() == 1);
    CHECK(views[0]["who"] == "care");
    CHECK(views[0]["case"] == id);

    // The JSON route says the same.
    auto api = c.Get("/m/api/c/" + receipt::percent(id), with(care));
    REQUIRE(api);
    CHECK(json::parse(api->body)["state"] == "resolved");
    CHECK(views.size() + 1 == [&] {
        std::size_t n = 0;
        (void)util::event_log::read(hq.dir / "state" / "desk" / "views", [&](json const&) { ++n; });
        return n;
    }());
}

TEST_CASE("the minimum content rule, and the bypass guarantee on the pages and the JSON routes") {
    one_case hq(asking_card);
    auto const& id = hq.id;
    auto const& path = hq.path;
    auto c = hq.client();

    // Marie, in copy, does not contact guests: the address is withheld, and she may not act.
    auto const marie = hq.sign_in("marie.dubois@lumiere.example");
    auto page = c.Get(path, with(marie));
    REQUIRE(page);
    CHECK(page->status == 200);
    CHECK(page->body.find("guest@example.com") == std::string::npos);
    CHECK(page->body.find("Withheld") != std::string::npos);
    CHECK(page->body.find("/ack\"") == std::string::npos);
    auto api = c.Get("/m/api/c/" + receipt::percent(id), with(marie));
    CHECK(api->body.find("guest@example.com") == std::string::npos);
    auto const csrf = csrf_of(page->body);
    CHECK(c.Post(path + "/ack", with(marie), "csrf=" + csrf, form)->status == 409);
    CHECK(c.Post(path + "/reply", with(marie), "csrf=" + csrf + "&reply=hello", form)->status ==
          403);
    CHECK(hq.case_now(id).state == routing::case_state::open);

    // Léo, on duty on the card, and Hugo at its front desk: 404 everywhere, as for no case.
    for (auto const* address : {"leo.martin@lumiere.example", "hugo.petit@lumiere.example"}) {
        CAPTURE(address);
        auto const cookie = hq.sign_in(address);
        auto mine = c.Get("/m/", with(cookie));
        CHECK(mine->status == 200);
        CHECK(mine->body.find(receipt::percent(id)) == std::string::npos);
        CHECK(c.Get(path, with(cookie))->status == 404);
        CHECK(c.Get("/m/api/c/" + receipt::percent(id), with(cookie))->status == 404);
        auto listed = c.Get("/m/api/cases", with(cookie));
        CHECK(json::parse(listed->body)["cases"].empty());
        auto const own = csrf_of(mine->body);
        for (auto const* action : {"/ack", "/resolve", "/up", "/reply"})
            CHECK(c.Post(path + action, with(cookie), "csrf=" + own + "&note=x&reply=x", form)
                      ->status == 404);
    }
    CHECK(hq.case_now(id).state == routing::case_state::open);
    CHECK(hq.case_now(id).history.size() == 1);
}

TEST_CASE("sessions end when idle, links expire, hostile requests change nothing") {
    one_case hq(quiet_card);
    auto const& id = hq.id;
    auto const& path = hq.path;
    auto c = hq.client();
    auto const marie = hq.sign_in("marie.dubois@lumiere.example");
    auto const csrf = csrf_of(c.Get(path, with(marie))->body);

    // A huge body, a foreign origin, another type, a bad cookie: refused, nothing changes.
    std::string const huge = "csrf=" + csrf + "&note=" + std::string(serve::max_form_bytes, 'x');
    CHECK(c.Post(path + "/resolve", with(marie), huge, form)->status == 413);
    httplib::Headers foreign{{"Cookie", marie}, {"Origin", "http://evil.example"}};
    CHECK(c.Post(path + "/ack", foreign, "csrf=" + csrf, form)->status == 403);
    CHECK(c.Post(path + "/ack", with(marie), "{\"csrf\":\"" + csrf + "\"}", "application/json")
              ->status == 415);
    CHECK(c.Post(path + "/ack", with("candor_desk=forged"), "csrf=" + csrf, form)->status == 401);
    CHECK(c.Get("/m/in/not-a-token")->status == 410);
    CHECK(c.Get("/m/in/AAAAAAAAAAAAAAAAAAAAAA")->status == 410);
    CHECK(c.Delete(path, with(marie))->status == 405);
    CHECK(c.Get("/m/../r/x")->status == 404);
    CHECK(hq.case_now(id).state == routing::case_state::open);
    CHECK(hq.case_now(id).history.size() == 1);

    // Passing the case up: the regional director holds it too, and is told.
    auto up = c.Post(path + "/up", with(marie), "csrf=" + csrf, form);
    REQUIRE(up);
    CHECK(up->status == 303);
    CHECK(hq.case_now(id).owner == "anne");
    CHECK(hq.case_now(id).may_act("marie"));

    // An unknown address is told the same as a known one, and nothing is mailed.
    auto const mails = hq.mails();
    auto unknown = c.Post("/m/sign-in", "address=nobody%40example.com", form);
    CHECK(unknown->status == 200);
    CHECK(unknown->body.find("If this address is one of ours") != std::string::npos);
    CHECK(hq.mails() == mails);
    // Sign-in requests per address are limited.
    for (std::size_t i = 0; i < serve::sign_ins_per_address; ++i)
        c.Post("/m/sign-in", "address=anne.lefevre%40lumiere.example", form);
    CHECK(c.Post("/m/sign-in", "address=anne.lefevre%40lumiere.example", form)->status == 429);

    // Idle past the timeout: signed out; a request in time keeps the session.
    hq.now += serve::session_idle_timeout - 1;
    CHECK(c.Get("/m/api/cases", with(marie))->status == 200);
    hq.now += serve::session_idle_timeout + 1;
    CHECK(c.Get("/m/api/cases", with(marie))->status == 401);
    auto signed_out = c.Get("/m/", with(marie));
    CHECK(signed_out->body.find("Send me a sign-in link") != std::string::npos);
    CHECK(c.Post(path + "/resolve", with(marie), "csrf=" + csrf + "&note=late", form)->status ==
          401);
    // A link not used in time is refused.
    c.Post("/m/sign-in", "address=paul.girard%40lumiere.example", form);
    auto const late = hq.mailed_link("paul.girard@lumiere.example");
    REQUIRE_FALSE(late.empty());
    hq.now += serve::sign_in_lifetime;
    CHECK(c.Get(late)->status == 410);

    CHECK(hq.case_now(id).state == routing::case_state::open);
}

TEST_CASE("a one-click acknowledge link: a GET confirms, the POST acknowledges, once") {
    one_case hq(quiet_card);
    auto const& id = hq.id;
    auto c = hq.client();
    // The owner's notification carries the link; the one in copy gets none.
    auto const path = hq.mailed_link("marie.dubois@lumiere.example", "/m/a/");
    REQUIRE_FALSE(path.empty());
    CHECK(path.find("p=marie") != std::string::npos);
    auto const key = serve::load_desk_key(hq.dir / "state").value();
    // Signed for marie: another name, or an altered expiry, is refused.
    auto forged = path;
    forged.replace(forged.find("p=marie"), 7, "p=anne1");
    CHECK(c.Get(forged)->status == 410);
    auto stretched = path;
    stretched.replace(stretched.find("&e=") + 3, 1, "9");
    CHECK(c.Get(stretched)->status == 410);

    auto confirm = c.Get(path);
    REQUIRE(confirm);
    CHECK(confirm->status == 200);
    CHECK(confirm->body.find("method=\"post\"") != std::string::npos);
    CHECK(hq.case_now(id).state == routing::case_state::open);  // a GET changes nothing
    auto done = c.Post(path, "", form);
    REQUIRE(done);
    CHECK(done->status == 200);
    CHECK(hq.case_now(id).state == routing::case_state::acknowledged);
    CHECK(hq.case_now(id).history.back().who == "marie");
    CHECK(c.Post(path, "", form)->status == 410);
    // An expired link is refused.
    auto const old = serve::ack_link("http://127.0.0.1", key, id, "marie", hq.now - 1);
    CHECK(c.Get(old.substr(old.find("/m/")))->status == 410);
}
