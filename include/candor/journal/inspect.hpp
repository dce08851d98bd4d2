// Reading a journal without writing to it: verify, list and export all start here.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "candor/error.hpp"
#include "candor/journal/record.hpp"
#include "candor/seal/keys.hpp"

namespace candor::journal {

struct journal_contents {
    std::string device;           // from device.pub
    std::vector<record> records;  // every readable record, in file order
    errors found;               // everything wrong, verification included
};

// Reads every record of the journal in DIR and checks it: frames and CRCs, that each record
// is the journal's device's, sequence numbers 1, 2, 3..., each record's link to the one
// before and each signature, against device.pub or, when given, head office's device list
// (which must list the device with the same key). A torn last frame is reported too.
journal_contents inspect_journal(std::filesystem::path const& dir,
                                 seal::device_list const* devices = nullptr);

inline constexpr std::string_view device_file_name = "device.pub";

}  // namespace candor::journal
