// Signed requests: how a device proves to head office's server that a request is its own,
// with nothing but its device key. The signature (Ed25519, the device key) covers the
// method, the path with its query, the time, a nonce and the body's hash
// (docs/journal-format.md, "Signed requests"); the server refuses a request signed more than
// request_skew away from its clock, and a nonce it has seen.
// Thread safety: the functions are pure; a nonce_book may be shared by every thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "candor/error.hpp"
#include "candor/seal/bytes.hpp"
#include "candor/seal/keys.hpp"

namespace candor::sync {

// The headers of a signed request.
inline constexpr char device_header[] = "Candor-Device";
inline constexpr char time_header[] = "Candor-Time";
inline constexpr char nonce_header[] = "Candor-Nonce";
inline constexpr char signature_header[] = "Candor-Signature";

// How far a request's time may be from the server's clock, either way.
inline constexpr std::chrono::seconds request_skew{300};
// A nonce: this many random bytes, in hex.
inline constexpr std::size_t nonce_bytes = 16;
// Nonces a server remembers at once (each for twice request_skew); past it, requests wait.
inline constexpr std::size_t max_remembered_nonces = 100000;

struct request_signature {
    std::string device;
    std::int64_t time = 0;
    std::string nonce;      // 2 * nonce_bytes hex digits
    std::string signature;  // base64url of the Ed25519 signature
};

// Signs a request of `key`'s device: `target` is the path with its query ("/d/head?device=x").
request_signature sign_request(seal::device_secret const& key, std::string_view method,
                               std::string_view target, seal::byte_view body, std::int64_t now);

// The nonces seen within the skew window.
class nonce_book {
  public:
    // Checks `s` for a request (`method`, `target`, `body`) at `now`: the device listed and not
    // revoked, the time within request_skew, the signature its key's, the nonce new (then
    // remembered). Fails "unknown-device", "revoked-device", "bad-request" (a header missing
    // or malformed), "stale-request", "bad-signature", "replayed-request", "busy" (too many
    // nonces remembered: try later).
    result<void> check(seal::device_list const& devices, request_signature const& s,
                       std::string_view method, std::string_view target, seal::byte_view body,
                       std::int64_t now);

  private:
    std::mutex mutex_;
    std::unordered_map<std::string, std::int64_t> seen_;  // device/nonce -> request time
};

}  // namespace candor::sync
