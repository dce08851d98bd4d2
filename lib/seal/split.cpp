#include "candor/seal/split.hpp"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>
#include <string_view>

#include "sodium_init.hpp"

namespace candor::seal {

static_assert(key_box_bytes == crypto_secretbox_KEYBYTES + crypto_box_MACBYTES);
static_assert(personal_overhead == crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES);
static_assert(crypto_box_NONCEBYTES == 24 && crypto_box_PUBLICKEYBYTES == 32);

namespace {

constexpr std::string_view key_box_domain = "candor-key-box-v1";

// crypto_box_seal's nonce is BLAKE2b-192(epk || pk); the key box's is the same with a
// domain in front, so the two boxes under one shared key never share a nonce.
std::array<std::uint8_t, crypto_box_NONCEBYTES> nonce_of(std::uint8_t const* epk,
                                                         std::uint8_t const* pk, bool key_box) {
    std::array<std::uint8_t, crypto_box_NONCEBYTES> n{};
    crypto_generichash_state st;
    crypto_generichash_init(&st, nullptr, 0, n.size());
    if (key_box)
        crypto_generichash_update(&st, reinterpret_cast<std::uint8_t const*>(key_box_domain.data()),
                                  key_box_domain.size());
    crypto_generichash_update(&st, epk, crypto_box_PUBLICKEYBYTES);
    crypto_generichash_update(&st, pk, crypto_box_PUBLICKEYBYTES);
    crypto_generichash_final(&st, n.data(), n.size());
    return n;
}

}  // namespace

split_sealed seal_split(hq_public const& hq, byte_view content, byte_view personal) {
    detail::ensure_sodium();
    secret<crypto_box_SECRETKEYBYTES> esk;
    secret<crypto_box_BEFORENMBYTES> shared;
    secret<crypto_secretbox_KEYBYTES> k;
    public_key epk{};
    crypto_box_keypair(epk.data(), esk.data());
    if (crypto_box_beforenm(shared.data(), hq.key.data(), esk.data()) != 0)
        throw std::invalid_argument("head office's public key is a weak point");
    split_sealed out;
    out.sealed.resize(crypto_box_SEALBYTES + content.size());
    std::copy(epk.begin(), epk.end(), out.sealed.begin());
    auto n = nonce_of(epk.data(), hq.key.data(), false);
    crypto_box_easy_afternm(out.sealed.data() + epk.size(), content.data(), content.size(),
                            n.data(), shared.data());

    crypto_secretbox_keygen(k.data());
    out.key_box.resize(key_box_bytes);
    n = nonce_of(epk.data(), hq.key.data(), true);
    crypto_box_easy_afternm(out.key_box.data(), k.data(), k.size(), n.data(), shared.data());

    out.personal.resize(personal_overhead + personal.size());
    randombytes_buf(out.personal.data(), crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(out.personal.data() + crypto_secretbox_NONCEBYTES, personal.data(),
                          personal.size(), out.personal.data(), k.data());
    return out;
}

split_opened open_split(hq_secret const& hq, byte_view sealed, byte_view personal,
                        byte_view key_box) {
    detail::ensure_sodium();
    split_opened out;
    if (sealed.size() < crypto_box_SEALBYTES) return out;
    secret<crypto_box_BEFORENMBYTES> shared;
    if (crypto_box_beforenm(shared.data(), sealed.data(), hq.key.data()) != 0) return out;
    auto n = nonce_of(sealed.data(), hq.pub.data(), false);
    bytes content(sealed.size() - crypto_box_SEALBYTES);
    if (crypto_box_open_easy_afternm(content.data(), sealed.data() + crypto_box_PUBLICKEYBYTES,
                                     sealed.size() - crypto_box_PUBLICKEYBYTES, n.data(),
                                     shared.data()) != 0)
        return out;
    out.content = std::move(content);
    if (key_box.empty()) return out;
    out.state = personal_state::unopenable;
    secret<crypto_secretbox_KEYBYTES> k;
    n = nonce_of(sealed.data(), hq.pub.data(), true);
    if (key_box.size() != key_box_bytes || personal.size() < personal_overhead ||
        crypto_box_open_easy_afternm(k.data(), key_box.data(), key_box.size(), n.data(),
                                     shared.data()) != 0)
        return out;
    bytes plain(personal.size() - personal_overhead);
    if (crypto_secretbox_open_easy(plain.data(), personal.data() + crypto_secretbox_NONCEBYTES,
                                   personal.size() - crypto_secretbox_NONCEBYTES, personal.data(),
                                   k.data()) != 0)
        return out;
    out.personal = std::move(plain);
    out.state = personal_state::opened;
    return out;
}

digest keyed_hash(digest const& key, byte_view data) noexcept {
    detail::ensure_sodium();
    digest d{};
    crypto_generichash(d.data(), d.size(), data.data(), data.size(), key.data(), key.size());
    return d;
}

digest guest_index_key(hq_secret const& hq) noexcept {
    constexpr std::string_view domain = "candor-guest-index-v1";
    detail::ensure_sodium();
    digest d{};
    crypto_generichash(d.data(), d.size(), reinterpret_cast<std::uint8_t const*>(domain.data()),
                       domain.size(), hq.key.data(), hq.key.size());
    return d;
}

}  // namespace candor::seal
