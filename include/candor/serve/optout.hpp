// Opt-out: a guest who unsubscribes from invitations is never invited again. Every
// invitation and reminder carries a link BASE/u/TOKEN (and a mailto:); the server takes a
// one-click POST there (RFC 8058) and shows a confirming page to a GET. The address itself
// is never kept: TOKEN holds a keyed hash of it (the first 16 bytes of
// HMAC-SHA256(key, lower-case address)) and a check of that hash, so only links this server
// made are recorded, and the list holds the hashes alone, one in hex a line.
// Thread safety: an opt-out list may be shared by the threads of a server (one mutex);
// other processes see what it records when they open the list again.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "candor/error.hpp"

namespace candor::serve {

inline constexpr std::string_view optout_folder = "optout";
// The largest list read back, in addresses (a line each): past it the file is not ours.
inline constexpr std::size_t max_optouts = 50'000'000;

class optouts {
  public:
    // Opens (creating, 0700) the list in DIR: DIR/key (0600, made when missing) and
    // DIR/hashes. Fails "io", "key-permissions", "bad-key".
    static result<optouts> open(std::filesystem::path const& dir);
    optouts(optouts&&) noexcept;
    optouts& operator=(optouts&&) noexcept;
    ~optouts();

    // The token of `address` for its opt-out link (URL-safe base64, 32 characters).
    std::string token(std::string_view address) const;
    bool opted_out(std::string_view address) const;
    // Whether `token` is one this list's key made.
    bool valid(std::string_view token) const;
    // Records the opt-out a link's token names, durably (fdatasync); once is enough, again is
    // harmless. "bad-token" for text that is not a token of this list's key.
    result<void> record(std::string_view token);
    std::size_t size() const;

  private:
    struct impl;
    explicit optouts(std::unique_ptr<impl> p);
    std::unique_ptr<impl> p_;
};

// The opt-out list of the server whose state is in DIR (DIR/optout).
result<optouts> open_optouts(std::filesystem::path const& dir);
// BASE/u/TOKEN.
std::string optout_link(std::string_view base, std::string_view token);

}  // namespace candor::serve
