// Child process of the journal tests.
//   journal_helper crash DIR DEVICE.key HQ.pub   submits cards until killed, printing
//                                                "RECEIPT SEQ" once each is durable
//   journal_helper group DIR DEVICE.key HQ.pub   the same from 8 threads through one
//                                                shared_journal (group commit)
//   journal_helper golden DIR                    writes a new golden journal into DIR
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "candor/journal/journal.hpp"
#include "candor/journal/shared_journal.hpp"
#include "candor/seal/keys.hpp"

using namespace candor;

namespace {

journal::card card_number(int i) {
    return {"hotel-stay", 3, "paris-01", 1793607372 + i,
            R"({"survey":"hotel-stay","version":3,"language":"en","fields":{"site":"paris-01"},)"
            R"("submitted":"2026-11-02T10:16:12Z","answers":{"recommend":)" +
                std::to_string(i % 11) + "}}"};
}

// The journal in DIR for the key files given; nullopt after saying why not.
std::optional<journal::journal> open_journal(char const* dir, char const* device_key,
                                             char const* hq_pub) {
    auto key = seal::read_device_secret(device_key);
    auto hq = seal::read_hq_public(hq_pub);
    if (!key || !hq) return std::nullopt;
    auto j = journal::journal::open(dir, *key, *hq);
    if (!j) {
        std::cerr << render(j.error());
        return std::nullopt;
    }
    return std::move(*j);
}

int crash(char const* dir, char const* device_key, char const* hq_pub) {
    auto j = open_journal(dir, device_key, hq_pub);
    if (!j) return 2;
    for (int i = 0;; ++i) {
        // Batches of 1 to 4: single cards and group commits both get killed midway.
        std::vector<journal::card> batch;
        for (int k = 0; k <= i % 4; ++k) batch.push_back(card_number(i));
        auto stamped = j->submit(batch).value();
        for (auto const& s : stamped) {
            auto line = s.receipt + ' ' + std::to_string(s.seq) + '\n';
            if (::write(1, line.data(), line.size()) != static_cast<ssize_t>(line.size())) return 3;
        }
    }
}

int group(char const* dir, char const* device_key, char const* hq_pub) {
    constexpr int threads = 8;
    auto j = open_journal(dir, device_key, hq_pub);
    if (!j) return 2;
    journal::shared_journal shared(std::move(*j));
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&shared, t] {
            for (int i = t;; i += threads) {
                auto s = shared.submit(card_number(i)).value();
                // One write per line, under PIPE_BUF: lines of threads never interleave.
                auto line = s.receipt + ' ' + std::to_string(s.seq) + '\n';
                if (::write(1, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
                    std::_Exit(3);
            }
        });
    for (auto& t : pool) t.join();
    return 0;
}

int golden(std::string const& dir) {
    auto hq = seal::make_hq_keys();
    auto key = seal::make_device_keys("kiosk-golden");
    auto j = journal::journal::open(dir, key, hq.public_part());
    if (!j) return 2;
    std::vector<journal::card> cards;
    for (int i = 1; i <= 5; ++i) cards.push_back(card_number(i));
    auto stamped = j->submit(std::span(cards).first(2)).value();
    auto more = j->submit(std::span(cards).subspan(2)).value();
    stamped.insert(stamped.end(), more.begin(), more.end());
    // A published test key: the golden test must open the seals.
    std::ofstream(dir + "/hq-secret.txt")
        << "candor-hq-secret-v1 " << seal::to_hex(std::span(hq.key.data(), hq.key.size())) << '\n';
    std::ofstream contents(dir + "/contents.jsonl");
    for (auto const& c : cards) contents << c.content << '\n';
    std::ofstream receipts(dir + "/receipts.txt");
    for (auto const& s : stamped) receipts << s.receipt << ' ' << s.seq << '\n';
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 5 && std::strcmp(argv[1], "crash") == 0) return crash(argv[2], argv[3], argv[4]);
    if (argc == 5 && std::strcmp(argv[1], "group") == 0) return group(argv[2], argv[3], argv[4]);
    if (argc == 3 && std::strcmp(argv[1], "golden") == 0) return golden(argv[2]);
    std::cerr << "usage: journal_helper crash DIR DEVICE.key HQ.pub | golden DIR\n";
    return 2;
}
