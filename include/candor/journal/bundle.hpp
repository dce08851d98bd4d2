// Bundles: what a device forwards to head office. A bundle file is a file header (magic
// "CNDRBDL") and frames: first a bundle header, then one record per frame.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "candor/error.hpp"
#include "candor/journal/record.hpp"
#include "candor/error.hpp"

namespace candor::journal {

struct bundle_header {
    std::string device;
    std::uint64_t after = 0;  // the records are those after this sequence number
    std::uint64_t count = 0;
    std::int64_t created = 0;
};

seal::bytes encode_bundle(bundle_header const& h, std::span<record const> records);

struct bundle_record {
    std::uint64_t offset = 0;
    record value;
};
struct bundle_contents {
    std::optional<bundle_header> header;
    std::vector<bundle_record> records;
    errors found;  // bad header, damaged frames, unreadable records, truncation
};
bundle_contents decode_bundle(seal::byte_view data, std::string const& file_name);

struct export_summary {
    std::uint64_t count = 0;
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    errors found;  // what inspect_journal found; the readable records are exported anyway
};

// Writes every record of the journal in DIR with a sequence number after `after` to the
// bundle file `out` (whole or not at all). Fails only when the journal cannot be read.
result<export_summary> export_bundle(std::filesystem::path const& dir,
                                               std::uint64_t after,
                                               std::filesystem::path const& out);

}  // namespace candor::journal
