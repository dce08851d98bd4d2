// A device's push to head office's server (`candor serve` with --store): what the server does
// not yet confirm holding goes over HTTP, signed by the device key (request.hpp).
//   GET  /d/head?device=ID  what head office holds: {"device","seq","hash"} (held_chain)
//   POST /d/push            a bundle (journal::make_bundle: the records after the held seq and
//                           the device's head); {"accepted","duplicates","seq","hash"}, or a
//                           problem {"error","code","problems":[{"code","message","seq"}]}
// push() asks the head, pushes what follows, and on a cut network or a server error starts
// over after a pause that doubles (first_retry ... longest_retry), at most push_attempts
// times: it resumes from what the server confirms, never from what it sent.
// Thread safety: push() reads the journal without locking it (a kiosk may be writing it);
// calls for distinct journals may run at once.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "candor/error.hpp"
#include "candor/journal/store.hpp"
#include "candor/seal/keys.hpp"

namespace candor::sync {

// The largest bundle a push sends (and the server reads). A device further behind is
// brought in by `candor journal export` and `candor hq import`.
inline constexpr std::size_t max_push_bytes = 4u << 20;
inline constexpr int push_attempts = 6;
inline constexpr std::chrono::milliseconds first_retry{1000};
inline constexpr std::chrono::milliseconds longest_retry{60000};
// One request's connect, read and write timeouts.
inline constexpr std::chrono::seconds push_timeout{30};

struct push_settings {
    std::string server;  // http://host:port (https:// when cpp-httplib has OpenSSL)
    int attempts = push_attempts;
    std::chrono::milliseconds first_pause = first_retry;
    std::function<void(std::chrono::milliseconds)> sleep;  // std::this_thread::sleep_for if empty
    std::function<std::int64_t()> clock;                   // Unix seconds; the system's if empty
};

struct push_report {
    std::uint64_t sent = 0;  // records in the last push (0: the server held them all)
    std::uint64_t accepted = 0;
    std::uint64_t duplicates = 0;
    journal::held_chain held;  // what head office confirms holding at the end
    int attempts = 0;          // requests of /d/head made (1 when nothing failed)
};

// Pushes the records of the journal in DIR (`key`'s device) that the server does not hold.
// Fails as journal::make_bundle; "too-large" (over max_push_bytes); "unreachable" (no answer
// after every attempt); the server's code when it refuses (then retrying would not help).
result<push_report> push(std::filesystem::path const& dir, seal::device_secret const& key,
                         push_settings const& settings);

}  // namespace candor::sync
