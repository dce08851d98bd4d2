// Invitations: the single-use links a guest answers at /s/TOKEN, each bound to one stay,
// site and survey, and what the guest has answered so far (the draft), kept under the token
// so that the link opened again, on any device, resumes. A token is 128 random bits; only
// its hash is stored, and the hash is compared in constant time. A draft is never a card:
// it is not counted, routed or journaled, and it is deleted when the card is taken, when
// the invitation expires, or draft_lifetime after it was last saved.
// Thread safety: an invitation book may be shared by every thread of a server (one mutex;
// use() takes its card outside it, holding only its own token).
// Another process may issue() into the same directory meanwhile (each file is written whole
// and renamed into place); only one may use() and save drafts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "candor/error.hpp"

namespace candor::serve {

inline constexpr std::size_t token_bytes = 16;  // 128 bits
// How long an invitation is good for when its issuer does not say (a post-stay e-mail is
// answered within days or not at all).
inline constexpr std::int64_t invitation_lifetime = 30 * 86400;
// How long a draft is kept after the guest last saved it, at most (and never past its
// invitation's expiry).
inline constexpr std::int64_t draft_lifetime = 7 * 86400;
// The largest draft a page may save (the answers of a card, far below a card's limit).
inline constexpr std::size_t max_draft_bytes = 64 * 1024;

struct invitation {
    std::string stay;          // the stay (booking) it is for, as the hotel names it
    std::string site;          // set on the card, never by the guest
    std::string survey;        // the survey's id
    std::int64_t expires = 0;  // Unix seconds
};

enum class token_state : std::uint8_t { open, used, expired };
std::string_view to_string(token_state s) noexcept;

struct found_invitation {
    invitation what;
    token_state state = token_state::open;
    std::string receipt;  // the card's receipt code once used
};

class invitations {
  public:
    // Opens (creating, 0700) the book in DIR: DIR/tokens and DIR/drafts.
    static result<invitations> open(std::filesystem::path const& dir);
    invitations(invitations&&) noexcept;
    invitations& operator=(invitations&&) noexcept;
    ~invitations();

    // A new token for `what` (expires: `now` + invitation_lifetime when 0): the text to put
    // in the link, shown once and never stored. Fails for an empty stay, site or survey
    // ("bad-invitation") or when it cannot be written ("io").
    result<std::string> issue(invitation what, std::int64_t now);
    // issue() for many, with one sync of the file system for all of them (syncfs) rather
    // than one per file: a PMS export of a night. The tokens in the order given; on a failure
    // none is returned (those written stay unused and expire).
    result<std::vector<std::string>> issue_all(std::span<invitation const> what, std::int64_t now);
    // Every invitation of the book with its state, in no particular order (the response rate).
    std::vector<found_invitation> all(std::int64_t now) const;

    // The invitation `token` opens; nullopt for text that is no token of this book.
    std::optional<found_invitation> find(std::string_view token, std::int64_t now) const;

    // Runs `take` (which keeps the card and returns its receipt code) only when `token` is
    // open, then marks it used, durably, and deletes its draft: of concurrent or repeated
    // calls for one token only one runs `take`. Fails "unknown-token", "token-used",
    // "token-expired", or with what `take` failed with (the token then stays open).
    result<std::string> use(std::string_view token, std::int64_t now,
                            std::function<result<std::string>()> const& take);

    // Saves the guest's answers so far (JSON text, at most max_draft_bytes) under an open
    // token, durably, 0600. Fails as use() does, or "too-large".
    result<void> save_draft(std::string_view token, std::string_view draft, std::int64_t now);
    // The draft saved under an open token, unless it is older than draft_lifetime.
    std::optional<std::string> draft(std::string_view token, std::int64_t now) const;

    // Deletes the drafts past their lifetime or whose invitation expired or was used, and the
    // invitations expired more than draft_lifetime ago; how many files it removed.
    std::size_t sweep(std::int64_t now);

  private:
    struct impl;
    explicit invitations(std::unique_ptr<impl> p);
    std::unique_ptr<impl> p_;
};

}  // namespace candor::serve
