#include "candor/sync/request.hpp"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>

#include "candor/seal/sign.hpp"

namespace candor::sync {

namespace {

constexpr std::string_view signing_domain = "candor-request-v1";

seal::bytes signed_part(std::string_view method, std::string_view target, std::string_view device,
                        std::int64_t time, std::string_view nonce, seal::byte_view body) {
    auto const h = seal::hash(body);
    std::string text(signing_domain);
    auto const seconds = std::to_string(time);  // outlives the list below (C++20 range-for)
    for (auto part : {method, target, device, std::string_view(seconds), nonce})
        text.append("\n").append(part);
    text.append("\n").append(seal::to_hex(h));
    return seal::bytes(text.begin(), text.end());
}

}  // namespace

request_signature sign_request(seal::device_secret const& key, std::string_view method,
                               std::string_view target, seal::byte_view body, std::int64_t now) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
    seal::bytes raw(nonce_bytes);
    randombytes_buf(raw.data(), raw.size());
    request_signature s{key.id, now, seal::to_hex(raw), {}};
    auto const sig = seal::sign(key, signed_part(method, target, key.id, now, s.nonce, body));
    s.signature = seal::to_base64(sig, seal::base64::url);
    return s;
}

result<void> nonce_book::check(seal::device_list const& devices, request_signature const& s,
                               std::string_view method, std::string_view target,
                               seal::byte_view body, std::int64_t now) {
    location const at{.device = s.device};
    auto const* key = devices.find(s.device);
    if (key == nullptr) return fail("unknown-device", "not in head office's device list", at);
    if (key->revoked) return fail("revoked-device", "the device is revoked", at);
    seal::bytes nonce(nonce_bytes);
    if (!seal::from_hex(s.nonce, nonce))
        return fail("bad-request",
                    "the nonce is not " + std::to_string(2 * nonce_bytes) + " hex digits", at);
    auto const sig = seal::from_base64(s.signature, seal::base64::url);
    seal::signature parsed{};
    if (!sig || sig->size() != parsed.size())
        return fail("bad-request", "the signature is not an Ed25519 signature in base64url", at);
    std::copy(sig->begin(), sig->end(), parsed.begin());
    if (s.time < now - request_skew.count() || s.time > now + request_skew.count())
        return fail("stale-request",
                    "signed at " + std::to_string(s.time) + ", more than " +
                        std::to_string(request_skew.count()) +
                        " s from head office's clock: is the device's clock right?",
                    at);
    if (!seal::verify(key->key, signed_part(method, target, s.device, s.time, s.nonce, body),
                      parsed))
        return fail("bad-signature", "the request is not signed by the device's key", at);
    std::lock_guard lock(mutex_);
    if (seen_.size() >= max_remembered_nonces)
        std::erase_if(seen_,
                      [&](auto const& e) { return e.second < now - 2 * request_skew.count(); });
    if (seen_.size() >= max_remembered_nonces)
        return fail("busy", "too many requests in the last minutes; try later", at);
    if (!seen_.emplace(s.device + "/" + s.nonce, s.time).second)
        return fail("replayed-request", "this request was made before (its nonce is known)", at);
    return {};
}

}  // namespace candor::sync
