// Bundles: what a device forwards to head office. A bundle file is a file header (magic
// "CNDRBDL") and frames: first a bundle header, then one record per frame. The header
// carries the device's signed head, so that head office knows how far the journal reached.
// Thread safety: value types and functions of their arguments. The journal is only read,
// never locked; calls may run on distinct threads when they write distinct files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "candor/error.hpp"
#include "candor/journal/head.hpp"
#include "candor/journal/record.hpp"

namespace candor::journal {

struct bundle_header {
    std::string device;
    std::uint64_t after = 0;  // the records are those after this sequence number
    std::uint64_t count = 0;
    std::int64_t created = 0;
    std::string head;  // format_head() of the device's head; empty in format 1 bundles
};

seal::bytes encode_bundle(bundle_header const& h, std::span<record const> records);

struct bundle_record {
    std::uint64_t offset = 0;
    record value;
};
struct bundle_contents {
    std::optional<bundle_header> header;
    std::optional<signed_head> head;  // the header's, parsed (its signature is not checked)
    std::vector<bundle_record> records;
    errors found;  // bad header or head, damaged frames, unreadable records, truncation
};
bundle_contents decode_bundle(seal::byte_view data, std::string const& file_name);

struct export_summary {
    std::uint64_t count = 0;
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    errors found;  // what inspect_journal found; the readable records are exported anyway
};

// Writes every record of the journal in DIR with a sequence number after `after` to the
// bundle file `out` (whole or not at all; nothing is left behind when it cannot be written).
// The bundle carries the journal's mark, the head its last submit signed. Fails only when
// the journal cannot be read; throws std::system_error when `out` cannot be written.
result<export_summary> export_bundle(std::filesystem::path const& dir, std::uint64_t after,
                                     std::filesystem::path const& out);
// The same with a head signed now by the device's `key`: head office learns the journal's
// state at the time of the export, not only at its last card.
result<export_summary> export_bundle(std::filesystem::path const& dir, std::uint64_t after,
                                     std::filesystem::path const& out,
                                     seal::device_secret const& key, std::int64_t now);

// The same bundle in memory, for a push (candor::sync): the records after `after`, the head
// signed at `now` by `key`. Fails as export_bundle.
struct made_bundle {
    seal::bytes data;
    export_summary summary;
    signed_head head;
};
result<made_bundle> make_bundle(std::filesystem::path const& dir, std::uint64_t after,
                                seal::device_secret const& key, std::int64_t now);

// The head of the journal in DIR signed by its device's `key` at `now`: its mark, or its
// last record when that is past the mark (a crash between the two syncs). The journal is
// read, not locked: a kiosk may be writing it. Fails when DIR is not `key`'s journal or
// inspect_journal finds it rewound, forked or without a readable mark.
result<signed_head> journal_head(std::filesystem::path const& dir, seal::device_secret const& key,
                                 std::int64_t now);
// Writes format_head(h) and a newline to `file`, whole or not at all (a head file for
// `candor hq import`).
void write_head_file(std::filesystem::path const& file, signed_head const& h);

}  // namespace candor::journal
