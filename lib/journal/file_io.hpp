// Whole-file reads and durable writes, shared by segments, bundles and the store.
#pragma once

#include <filesystem>
#include <string>

#include "candor/seal/bytes.hpp"

namespace candor::journal::detail {

[[noreturn]] void throw_errno(std::string const& what);
// The whole file; throws std::system_error if it cannot be read.
seal::bytes read_file(std::filesystem::path const& file);
// pwrite all of `data` at `offset`, retrying short writes.
void write_all(int fd, seal::byte_view data, std::uint64_t offset,
               std::filesystem::path const& file);
// Writes `file` whole or not at all: a temporary beside it, fdatasync, rename, directory sync.
void write_file_durably(std::filesystem::path const& file, seal::byte_view data);

}  // namespace candor::journal::detail
