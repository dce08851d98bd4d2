#include "candor/seal/sign.hpp"

#include <sodium.h>

#include "sodium_init.hpp"

namespace candor::seal {

signature sign(device_secret const& key, byte_view message) noexcept {
    detail::ensure_sodium();
    signature sig;
    crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), key.key.data());
    return sig;
}

bool verify(public_key const& key, byte_view message, signature const& sig) noexcept {
    detail::ensure_sodium();
    return crypto_sign_verify_detached(sig.data(), message.data(), message.size(),
                                       key.data()) == 0;
}

}  // namespace candor::seal
