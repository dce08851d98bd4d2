// Ed25519 signatures by a device's key.
// Thread safety: pure functions; they may be called from many threads at once.
#pragma once

#include "candor/seal/bytes.hpp"
#include "candor/seal/keys.hpp"

namespace candor::seal {

signature sign(device_secret const& key, byte_view message) noexcept;
bool verify(public_key const& key, byte_view message, signature const& sig) noexcept;

}  // namespace candor::seal
