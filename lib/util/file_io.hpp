// Whole-file reads and durable writes, shared by segments, bundles and the store.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "candor/seal/bytes.hpp"

namespace candor::util {

[[noreturn]] void throw_errno(std::string const& what);
// The whole file, or at most `most` of its bytes from offset `from` on (none when it is
// shorter); throws std::system_error if it cannot be read.
seal::bytes read_file(std::filesystem::path const& file, std::uint64_t from = 0,
                      std::uint64_t most = UINT64_MAX);
// pwrite all of `data` at `offset`, retrying short writes.
void write_all(int fd, seal::byte_view data, std::uint64_t offset,
               std::filesystem::path const& file);
// Writes `file` whole or not at all: `tmp` (FILE.tmp when empty), fdatasync, rename,
// directory sync; on failure `tmp` is removed before the exception leaves. A Maildir passes
// its tmp/ so readers of new/ never see a partial file. The file gets `mode` whatever the
// umask (0600 for anything holding opened cards).
void write_file_durably(std::filesystem::path const& file, seal::byte_view data,
                        std::filesystem::path tmp = {}, unsigned mode = 0644);
// Creates DIR (and its parents) if needed and gives DIR mode 0700 whatever the umask: for
// the folders that hold opened cards. Throws std::system_error.
void make_private_directory(std::filesystem::path const& dir);

}  // namespace candor::util
