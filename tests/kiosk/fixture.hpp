// What the kiosk's tests share: the hotel card, a kiosk whose journal is on disk, the kiosk
// served on 127.0.0.1, and a raw connection for what no well-behaved client sends.
#pragma once

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "candor/journal/inspect.hpp"
#include "candor/kiosk/desk.hpp"
#include "candor/kiosk/page_model.hpp"
#include "candor/kiosk/server.hpp"
#include "candor/seal/keys.hpp"
#include "candor/survey/parse.hpp"
#include "support/temp_dir.hpp"

namespace candor::test {

inline survey::survey hotel() {
    auto s = survey::parse_file(CANDOR_SOURCE_DIR "/examples/surveys/hotel-stay.survey");
    REQUIRE(s);
    return std::move(*s);
}

inline std::vector<std::pair<std::string, std::string>> const paris{
    {"site", "paris-01"}, {"channel", "kiosk"}, {"shift", "day"}};

// A card the engine accepts, as the page posts it.
inline constexpr char good_card[] =
    R"({"language":"en","answers":{"recommend":10,"satisfaction":5}})";

struct kiosk_on_disk {
    temp_dir dir;
    std::filesystem::path journal_dir;
    seal::hq_secret hq = seal::make_hq_keys();
    seal::device_secret key = seal::make_device_keys("kiosk-1");
    kiosk::desk desk;

    explicit kiosk_on_disk(std::filesystem::path where = {}, journal::segment_options options = {})
        : journal_dir(where.empty() ? dir / "journal" : std::move(where)), desk(make(options)) {}

    kiosk::desk make(journal::segment_options options) {
        auto s = hotel();
        auto fields = journal::settle(s, {key.id, paris});
        REQUIRE(fields);
        auto j = journal::journal::open(journal_dir, key, hq.public_part(), options);
        REQUIRE(j);
        return kiosk::desk(std::move(s), std::move(*fields), kiosk::keep_in(std::move(*j)));
    }
    std::size_t written() {
        // The journal as it is on disk: what a crash right now would leave.
        auto contents = journal::inspect_journal(journal_dir);
        CHECK(contents.found.empty());
        return contents.records.size();
    }
};

// The kiosk's server on a free port of 127.0.0.1, until destroyed.
struct serving {
    kiosk::server http;
    int port;
    std::thread thread;

    explicit serving(kiosk::desk& d, kiosk::server_settings settings = {})
        : http(d, kiosk::page_model(d.survey(), {}), std::move(settings)),
          port(http.bind("127.0.0.1", 0).value()),
          thread([this] { http.listen(); }) {}
    ~serving() {
        http.stop();
        thread.join();
    }
    serving(serving const&) = delete;
    serving& operator=(serving const&) = delete;
};

// A TCP connection to 127.0.0.1 that sends exactly the bytes it is given.
class raw_connection {
  public:
    explicit raw_connection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        REQUIRE(fd_ >= 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<std::uint16_t>(port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    }
    ~raw_connection() { ::close(fd_); }
    raw_connection(raw_connection const&) = delete;
    raw_connection& operator=(raw_connection const&) = delete;

    // False once the server no longer takes what is sent.
    bool send(std::string_view bytes) {
        while (!bytes.empty()) {
            auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n <= 0) return false;
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
        return true;
    }
    // What arrives until the server closes, or `patience` passes without a byte.
    std::string receive(std::chrono::milliseconds patience = std::chrono::seconds(20)) {
        std::string got;
        char buf[4096];
        for (;;) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(patience.count())) <= 0) break;
            auto n = ::recv(fd_, buf, sizeof buf, 0);
            if (n <= 0) break;
            got.append(buf, static_cast<std::size_t>(n));
        }
        return got;
    }
    // Whether the server has closed (or answered) the connection by now.
    bool ended() {
        pollfd p{fd_, POLLIN, 0};
        return ::poll(&p, 1, 0) > 0;
    }

  private:
    int fd_;
};

// The status of a raw HTTP answer ("HTTP/1.1 413 ..."), 0 when there is none.
inline int status_of(std::string const& answer) {
    if (!answer.starts_with("HTTP/1.1 ") || answer.size() < 12) return 0;
    return std::stoi(answer.substr(9, 3));
}

}  // namespace candor::test
