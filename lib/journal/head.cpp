#include "candor/journal/head.hpp"

#include <algorithm>

#include "candor/seal/sign.hpp"
#include "canonical.hpp"

namespace candor::journal {

namespace {

constexpr std::string_view signing_domain = "candor-head-v1";
constexpr std::uint8_t binary_version = 1;
constexpr std::size_t max_device_bytes = 64;

seal::bytes signed_part(signed_head const& h) {
    seal::bytes out(signing_domain.begin(), signing_domain.end());
    detail::put_sized(out, seal::as_bytes(h.device));
    detail::put_le(out, h.seq, 8);
    detail::put_le(out, static_cast<std::uint64_t>(h.time), 8);
    out.insert(out.end(), h.hash.begin(), h.hash.end());
    return out;
}

}  // namespace

signed_head sign_head(seal::device_secret const& key, std::uint64_t seq, seal::digest const& hash,
                      std::int64_t time) {
    signed_head h{key.id, seq, hash, time, {}};
    h.sig = seal::sign(key, signed_part(h));
    return h;
}

bool head_signature_ok(signed_head const& h, seal::public_key const& device_key) {
    return seal::verify(device_key, signed_part(h), h.sig);
}

seal::bytes head_bytes(signed_head const& h) {
    seal::bytes out;
    out.reserve(2 + h.device.size() + 16 + h.hash.size() + h.sig.size());
    out.push_back(binary_version);
    out.push_back(static_cast<std::uint8_t>(h.device.size()));
    out.insert(out.end(), h.device.begin(), h.device.end());
    detail::put_le(out, h.seq, 8);
    detail::put_le(out, static_cast<std::uint64_t>(h.time), 8);
    out.insert(out.end(), h.hash.begin(), h.hash.end());
    out.insert(out.end(), h.sig.begin(), h.sig.end());
    return out;
}

result<signed_head> head_from_bytes(seal::byte_view b) {
    auto bad = [](std::string why) { return fail("bad-head", "not a signed head: " + why); };
    detail::le_reader in(b);
    auto version = in.le(1);
    if (!version) return bad("empty");
    if (*version != binary_version)
        return bad("version " + std::to_string(*version) + " (this Candor reads version 1)");
    auto length = in.le(1);
    if (!length || *length > max_device_bytes) return bad("bad device length");
    auto device = in.take(*length);
    auto seq = in.le(8);
    auto time = in.le(8);
    auto hash = in.take(32);
    auto sig = in.take(64);
    if (!device || !seq || !time || !hash || !sig) return bad("cut short");
    if (!in.at_end()) return bad("bytes after the signature");
    signed_head h;
    h.device = std::string(seal::as_chars(*device));
    if (!seal::valid_device_id(h.device)) return bad("invalid device id");
    h.seq = *seq;
    h.time = static_cast<std::int64_t>(*time);
    std::copy(hash->begin(), hash->end(), h.hash.begin());
    std::copy(sig->begin(), sig->end(), h.sig.begin());
    return h;
}

std::string format_head(signed_head const& h) {
    return seal::to_base64(head_bytes(h), seal::base64::url);
}

result<signed_head> parse_head(std::string_view text) {
    auto const blank = std::string_view(" \t\r\n");
    auto first = text.find_first_not_of(blank);
    if (first == std::string_view::npos) return fail("bad-head", "not a signed head: empty");
    text = text.substr(first, text.find_last_not_of(blank) - first + 1);
    if (auto hash_at = text.rfind('#'); hash_at != std::string_view::npos)
        text = text.substr(hash_at + 1);
    auto bytes = seal::from_base64(text, seal::base64::url);
    if (!bytes) return fail("bad-head", "not a signed head: not base64url text");
    return head_from_bytes(*bytes);
}

}  // namespace candor::journal
