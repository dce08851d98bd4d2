// The device's journal: every accepted card, sealed to head office, signed, chained and
// durable before its receipt is given.
// Thread safety: a journal is used by one thread at a time (its writer calls submit in
// turn); card and stamped are value types.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "candor/error.hpp"
#include "candor/journal/segment.hpp"
#include "candor/error.hpp"
#include "candor/seal/keys.hpp"

namespace candor::journal {

// A card before sealing: the fields that stay outside the seal, and the content sealed.
struct card {
    std::string survey;
    std::uint32_t survey_version = 0;
    std::string site;
    std::int64_t time = 0;
    std::string content;  // the response as JSON (response::to_json)
};

// What the respondent is told once the card is durable.
struct stamped {
    std::uint64_t seq = 0;
    std::string receipt;
};

// The journal directory holds device.pub (the device's public line, written when it is
// created) and the segments.
class journal {
public:
    // Opens DIR for `key`'s device, creating it when it does not exist. A torn last frame
    // is cut off (and kept beside the segment); damage and what was cut are in recovery().
    // Fails when DIR belongs to another device or holds records this device cannot follow.
    static result<journal> open(std::filesystem::path const& dir,
                                          seal::device_secret key, seal::hq_public hq,
                                          segment_options options = {});

    journal(journal&&) noexcept;
    journal& operator=(journal&&) noexcept;
    ~journal();

    // Seals, signs and chains each card and writes them all with one fdatasync (group
    // commit when there are several): the receipts are returned only once they are durable.
    // When they cannot be written ("disk-full" for ENOSPC or EDQUOT, "io" otherwise) or a
    // card is over the journal's limits ("too-large"), none is: the journal stays as it
    // was, and the next submit may succeed once the disk has room again.
    result<std::vector<stamped>> submit(std::span<card const> cards);

    std::uint64_t last_seq() const noexcept;
    std::string const& device() const noexcept;
    errors const& recovery() const noexcept;

private:
    struct impl;
    explicit journal(std::unique_ptr<impl> p);
    std::unique_ptr<impl> p_;
};

}  // namespace candor::journal
