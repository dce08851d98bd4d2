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
#include "candor/journal/head.hpp"
#include "candor/journal/segment.hpp"
#include "candor/seal/keys.hpp"

namespace candor::journal {

// A card before sealing: the fields that stay outside the seal, and the content sealed.
// With personal answers, intake moves them to `personal` (the personal part, JSON), which
// submit seals apart (format 2); without, the card is a format 1 record.
struct card {
    std::string survey;
    std::uint32_t survey_version = 0;
    std::string site;
    std::int64_t time = 0;
    std::string content;     // the response as JSON (response::to_json), personal answers out
    std::string personal{};  // [[INDEX,"ID","KIND","ANSWER"],...]; empty: none
};

// What the respondent is told once the card is durable: the short code to read out, and
// the signed receipt (a signed_head of the card, in text form) to take home as a link or a
// QR code; `candor hq receipt` checks either at head office.
struct stamped {
    std::uint64_t seq = 0;
    std::string receipt;
    std::string signed_receipt;
};

// The journal directory holds device.pub (the device's public line, written when it is
// created), the segments, and `head`: the signed head of the last card acknowledged, the
// high-water mark that no sequence number at or below is ever given again.
class journal {
  public:
    // Opens DIR for `key`'s device, creating it when it does not exist (after taking its
    // lock). A torn last frame is cut off (and kept beside the segment); damage and what was
    // cut are in recovery(). A journal whose records end below its mark was cut after it
    // acknowledged them: it goes on after the mark, never reusing a number, and recovery()
    // says so ("rewound"). Fails when DIR belongs to another device, holds records this
    // device cannot follow, or a mark that is not this device's ("bad-mark") or that the
    // journal's record at its number contradicts ("forked").
    static result<journal> open(std::filesystem::path const& dir, seal::device_secret key,
                                seal::hq_public hq, segment_options options = {});

    journal(journal&&) noexcept;
    journal& operator=(journal&&) noexcept;
    ~journal();

    // Seals, signs and chains each card and writes them all with one fdatasync (group
    // commit when there are several): the receipts are returned once the cards are durable.
    // The mark is written after them and synced by the journal's own thread meanwhile, so a
    // power cut right after a receipt may leave it one sync behind; open() then raises it to
    // the newest card. When the cards cannot be written ("disk-full" for
    // ENOSPC or EDQUOT, "io" otherwise) or a card is over the journal's limits ("too-large"),
    // none is: the journal stays as it was, and the next submit may succeed once the disk has
    // room again. A card for another site than the key's is a broken invariant (intake
    // refuses it): std::invalid_argument.
    result<std::vector<stamped>> submit(std::span<card const> cards);

    // The journal's head, signed at `now`: what the device announces to head office.
    signed_head head(std::int64_t now) const;

    std::uint64_t last_seq() const noexcept;
    std::string const& device() const noexcept;
    errors const& recovery() const noexcept;

  private:
    struct impl;
    explicit journal(std::unique_ptr<impl> p);
    std::unique_ptr<impl> p_;
};

}  // namespace candor::journal
