// Ed25519 signatures by a device's key.
#pragma once

#include "candor/seal/bytes.hpp"
#include "candor/seal/keys.hpp"

namespace candor::seal {

signature sign(device_secret const& key, byte_view message) noexcept;
bool verify(public_key const& key, byte_view message, signature const& sig) noexcept;

}  // namespace candor::seal
