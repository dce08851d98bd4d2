// candor::serve serving HTTPS itself (settings::tls): a verified certificate, a card over
// TLS, plain HTTP refused on the TLS port, a client stalling in the handshake dropped by the
// deadline while others are served, and files that are not a certificate and its key.
#include <doctest/doctest.h>
#include <httplib.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "candor/journal/inspect.hpp"
#include "candor/seal/keys.hpp"
#include "candor/serve/server.hpp"
#include "candor/survey/parse.hpp"
#include "kiosk/fixture.hpp"
#include "serve/fixture.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace candor;

namespace {

// A self-signed certificate for 127.0.0.1 (openssl's command line, as an operator makes one
// for a test server), CERT and KEY in `dir`.
void make_certificate(fs::path const& dir, std::string const& name) {
    auto const cmd =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
        "-days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout '" +
        (dir / (name + ".key")).string() + "' -out '" + (dir / (name + ".pem")).string() +
        "' 2>/dev/null";
    REQUIRE(std::system(cmd.c_str()) == 0);
}

struct tls_office {
    test::temp_dir dir;
    seal::hq_secret hq = seal::make_hq_keys();
    seal::device_secret key = seal::make_device_keys("hq-web");
    serve::testing::running_server running;

    explicit tls_office(std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
        make_certificate(dir.path(), "server");
        running.run(open(dir / "server.pem", dir / "server.key", deadline));
    }
    result<std::unique_ptr<serve::server>> open(fs::path const& cert, fs::path const& key_file,
                                                std::chrono::milliseconds deadline) const {
        auto s = survey::parse_file(CANDOR_SOURCE_DIR "/examples/surveys/hotel-stay.survey");
        REQUIRE(s);
        serve::settings st;
        st.sites = {"paris-01"};
        st.fields = {{"channel", "web"}, {"shift", "day"}};
        st.deadline = deadline;
        st.tls = kiosk::tls_files{cert, key_file};
        return serve::server::open(dir / "state", {std::move(*s)}, key, hq.public_part(), st);
    }
    httplib::Client client() const {
        httplib::Client c("https://127.0.0.1:" + std::to_string(running.port));
        c.set_ca_cert_path((dir / "server.pem").c_str());
        c.enable_server_certificate_verification(true);
        c.set_read_timeout(std::chrono::seconds(30));
        return c;
    }
};

}  // namespace

TEST_CASE("serve over TLS: the page and a card over a verified HTTPS connection") {
    tls_office hq;
    auto c = hq.client();
    auto page = c.Get("/t/paris-01/12");
    REQUIRE(page);
    CHECK(page->status == 200);
    CHECK(page->get_header_value("Content-Security-Policy").starts_with("default-src 'self'"));
    auto sent = c.Post("/t/paris-01/12/submit",
                       R"({"language":"en","answers":{"recommend":10,"satisfaction":5}})",
                       "application/json");
    REQUIRE(sent);
    CHECK(sent->status == 200);
    auto const reply = nlohmann::json::parse(sent->body);
    CHECK(reply["receipt"].get<std::string>().size() == 7);
    hq.running.stop();
    auto const stored = journal::inspect_journal(hq.dir / "state" / "journal");
    CHECK(stored.found.empty());
    REQUIRE(stored.records.size() == 1);
    CHECK(journal::receipt(stored.records[0]) == reply["receipt"]);
}

TEST_CASE("serve over TLS: plain HTTP on the TLS port gets no answer, and stores nothing") {
    tls_office hq;
    test::raw_connection plain(hq.running.port);
    REQUIRE(
        plain.send("POST /t/paris-01/12/submit HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"));
    auto const got = plain.receive(std::chrono::seconds(10));
    CHECK(got.find("HTTP/1.1 200") == std::string::npos);
    CHECK(got.find("receipt") == std::string::npos);
    // The server still serves TLS clients.
    auto page = hq.client().Get("/t/paris-01/12");
    REQUIRE(page);
    CHECK(page->status == 200);
    hq.running.stop();
    CHECK(journal::inspect_journal(hq.dir / "state" / "journal").records.empty());
}

TEST_CASE("serve over TLS: a client stalling in the handshake is dropped by the deadline") {
    tls_office hq(std::chrono::milliseconds(800));
    // A ClientHello's first bytes, then nothing: the handshake cannot go on.
    test::raw_connection stalled(hq.running.port);
    REQUIRE(stalled.send(std::string("\x16\x03\x01\x02\x00", 5)));
    auto const t0 = std::chrono::steady_clock::now();
    // Served meanwhile.
    auto page = hq.client().Get("/t/paris-01/3");
    REQUIRE(page);
    CHECK(page->status == 200);
    CHECK(stalled.receive(std::chrono::seconds(10)).empty());
    // Dropped by the deadline, not by the 5 s of a single read's timeout.
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(4));
}

TEST_CASE("serve over TLS: a missing certificate, a key that is not its own, not PEM") {
    tls_office hq;
    hq.running.stop();  // the state is one server's at a time
    make_certificate(hq.dir.path(), "other");
    std::ofstream(hq.dir / "junk.pem") << "not a certificate\n";
    auto const fails = [&](fs::path const& cert, fs::path const& key) {
        auto opened = hq.open(cert, key, std::chrono::seconds(10));
        REQUIRE_FALSE(opened);
        CHECK(opened.error()[0].code == "bad-tls");
        return opened.error()[0].message;
    };
    CHECK(fails(hq.dir / "absent.pem", hq.dir / "server.key").find("absent.pem") !=
          std::string::npos);
    CHECK(fails(hq.dir / "server.pem", hq.dir / "other.key").find("other.key") !=
          std::string::npos);
    CHECK(fails(hq.dir / "junk.pem", hq.dir / "server.key").find("junk.pem") != std::string::npos);
}
