// Reading a journal without writing to it: verify, list and export all start here.
// Thread safety: inspect_journal only reads and takes no lock, so calls may run on many
// threads at once; journal_contents is a value.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "candor/error.hpp"
#include "candor/journal/head.hpp"
#include "candor/journal/record.hpp"
#include "candor/seal/keys.hpp"

namespace candor::journal {

struct journal_contents {
    std::string device;           // from device.pub
    std::string site;             // the site device.pub (or head office's list) binds it to
    std::vector<record> records;  // every readable record, in file order
    std::optional<signed_head> acknowledged;  // the mark: the last card acknowledged
    errors found;                             // everything wrong, verification included
};

// Reads every record of the journal in DIR and checks it: frames and CRCs, that each record
// is the journal's device's and its site's, sequence numbers 1, 2, 3..., each record's link
// to the one before and each signature, against device.pub or, when given, head office's
// device list (which must list the device with the same key); and that the records reach
// the mark ("rewound" when they end below it, "forked" when the record at its number is
// another, "bad-mark" when it is unreadable or not signed by the device). A journal without
// a mark (written before Candor kept one) is not a problem. A torn last frame is reported.
journal_contents inspect_journal(std::filesystem::path const& dir,
                                 seal::device_list const* devices = nullptr);

inline constexpr std::string_view device_file_name = "device.pub";

}  // namespace candor::journal
