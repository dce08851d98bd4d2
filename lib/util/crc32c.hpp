// CRC32C (Castagnoli), as in iSCSI and ext4: SSE4.2 when the CPU has it, a table otherwise.
#pragma once

#include <cstdint>

#include "candor/seal/bytes.hpp"

namespace candor::util {

std::uint32_t crc32c(seal::byte_view data, std::uint32_t crc = 0) noexcept;

}  // namespace candor::util
