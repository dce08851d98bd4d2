// The server's secret tokens (invitations, sign-in links, sessions): 128 random bits as
// URL-safe base64 in a link or a cookie; only their BLAKE2b hash is ever kept, and hashes
// are compared in constant time. Private to lib/serve.
// Thread safety: pure functions (libsodium's random source is thread-safe).
#pragma once

#include <sodium.h>

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "candor/serve/invitations.hpp"

namespace candor::serve::tokens {

using digest = std::array<unsigned char, crypto_generichash_BYTES>;

struct made {
    std::string text;  // shown once: in the link or the cookie
    digest hash;       // kept
};
made make();
// The hash of `text`; nullopt for text that is no token (wrong length, not base64).
std::optional<digest> hash_of(std::string_view text);
bool same(digest const& a, digest const& b) noexcept;  // constant time
std::string hex(unsigned char const* data, std::size_t size);
// A hash's first bytes in hex: the name it is looked up by (the whole is then compared).
std::string name_of(digest const& d);

}  // namespace candor::serve::tokens
