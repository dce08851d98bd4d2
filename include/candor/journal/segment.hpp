// How a directory of segment files (seg-000001.cnj, seg-000002.cnj...: append-only, each a
// file header and CRC-checked frames) is written: the device journal, head office's store,
// the case log and the outbox all keep their records so (docs/journal-format.md).
// Thread safety: segment_options is a value type.
#pragma once

#include <cstdint>


namespace candor::journal {

struct segment_options {
    std::uint64_t max_bytes = 64u << 20;  // a new segment is started past this size
    bool sync = true;  // fdatasync every append; off only for tests and throwaway stores
};

}  // namespace candor::journal
