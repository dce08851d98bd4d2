// Head office's web server for guests (`candor serve`): the kiosk's page, answered from any
// device, its cards taken through the kiosk's desk (journal::intake), sealed to head office,
// signed by the server's own device key and chained into the server's journal, durable
// before the receipt is shown.
//
//   GET  /t/SITE/TABLE             the card for a table or room (QR code); site and table
//                                  are the link's, never the guest's; submits rate-limited
//                                  per client address
//   GET  /s/TOKEN                  an invitation (invitations.hpp): 404 unknown, 410 used or
//                                  expired (a page that says so)
//   GET  …/card.json               the page's model; under /s/ with the draft saved so far
//   PUT  /s/TOKEN/draft            saves the answers so far (nothing else is done with them)
//   POST …/submit                  the card: desk::submit's answers, and the status link
//   GET  /r/CODE?d=&n=&c=          the card's status (receipt/status.hpp): a card of the
//                                  server's own, or of a device pushing to it (its check under
//                                  the device's key, device_status_key), which is "on its way"
//                                  until pushed; 404 for a bad check
//   GET  /u/TOKEN, POST /u/TOKEN   opt-out from invitations (optout.hpp): a page, one click
//   /m/...                         the managers' case desk, when settings::desk is set (desk.hpp)
//   GET  /d/head, POST /d/push     devices pushing their journals (devices.hpp), when set
//   the page's files at /kiosk.js, /kiosk.css, ...
// Every answer: CSP default-src 'self', no-store, nosniff; a foreign Host or Origin 403; a body
// over its limit 413; too many unknown tokens or bad checks from one client 429.
// Thread safety: listen() serves on a pool of threads of its own and blocks until stop(),
// which may be called from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "candor/error.hpp"
#include "candor/kiosk/server.hpp"
#include "candor/receipt/status.hpp"
#include "candor/seal/keys.hpp"
#include "candor/serve/devices.hpp"
#include "candor/serve/invitations.hpp"
#include "candor/serve/optout.hpp"
#include "candor/survey/survey.hpp"

namespace candor::serve {

struct desk_settings;  // desk.hpp

// The folders and files of the server's state directory (0700).
inline constexpr std::string_view journal_folder = "journal";
inline constexpr std::string_view invitations_folder = "invitations";
inline constexpr std::string_view status_key_file = "status.key";
// With settings::devices: the cards the devices pushed, for their status pages.
inline constexpr std::string_view received_folder = "received";

// The invitations of the server whose state is in DIR (both created 0700 when missing):
// what `candor serve token` and a product issuing invitations open.
result<invitations> open_invitations(std::filesystem::path const& dir);

// The status key head office issues to `device` (a kiosk whose cards this server takes at
// /d/push), to make its cards' status links with (kiosk::status_links): derived from the
// server's STATE/status.key (made, 0600, when missing). Fails as receipt::load_status_key,
// "invalid-device-id", or "own-device" for the server's own device, whose links are made
// with STATE/status.key itself.
result<receipt::status_key> device_status_key(std::filesystem::path const& dir,
                                              std::string_view device);

// Connections served at once (a submit waits on the disk, not the CPU).
inline constexpr std::size_t server_threads = 32;
// Per client address, within rate_window: cards from table links, and unknown tokens or
// bad status checks (guessing).
inline constexpr std::size_t table_submits_per_window = 20;
inline constexpr std::size_t misses_per_window = 30;
inline constexpr std::chrono::seconds rate_window{600};
// The longest site or table name in a link.
inline constexpr std::size_t max_link_name_bytes = 64;

struct settings {
    // The sites whose tables may be linked (/t/SITE/...): any other is 404.
    std::vector<std::string> sites;
    // The survey /t/ links answer (its id); empty: the first survey.
    std::string table_survey;
    // Device fields set on every card besides site (and table, stay), e.g. channel=web.
    std::vector<std::pair<std::string, std::string>> fields;
    // Names the server is reached by besides its address (Host), e.g. feedback.example.com.
    std::vector<std::string> host_names;
    // Where guests reach the server (https://feedback.example.com): status links on the
    // thank-you reply. Empty: none given.
    std::string status_base;
    std::chrono::milliseconds deadline{10000};  // a request, first byte to last
    // Unix seconds; the system clock when empty (tests inject theirs).
    std::function<std::int64_t()> clock;
    // What management has done with a card (read, answered), when known: routing's cases.
    std::function<std::optional<receipt::card_progress>(receipt::card_ref const&)> progress;
    // The managers' case desk at /m/ (desk.hpp); none when null.
    std::shared_ptr<desk_settings const> desk;
    // Devices pushing their journals (devices.hpp: /d/head, /d/push); none when empty.
    std::optional<device_intake> devices;
    // HTTPS only, with this certificate; plain HTTP (behind a proxy) when empty.
    std::optional<kiosk::tls_files> tls;
};

class server {
  public:
    // Opens the state in DIR (created 0700): the journal of `key`'s device (a key that binds
    // no site: the server takes cards for every site), the invitations, the opt-out list
    // and the status key.
    // Fails as journal::journal::open, invitations::open, receipt::load_status_key, "bad-tls"
    // (the settings' certificate or key cannot be used), or
    // "bad-settings" (no survey, a table survey or site the server does not know, or device
    // fields the surveys refuse).
    static result<std::unique_ptr<server>> open(std::filesystem::path const& dir,
                                                std::vector<survey::survey> surveys,
                                                seal::device_secret key, seal::hq_public hq,
                                                settings s);
    ~server();
    server(server const&) = delete;
    server& operator=(server const&) = delete;

    invitations& book() noexcept;
    receipt::status_key const& key() const noexcept;
    std::string const& device() const noexcept;

    // Listens on `host`:`port` (0: a free port); the port, or "cannot-listen".
    result<int> bind(std::string const& host, int port);
    bool listen();
    void stop();

  private:
    struct impl;
    explicit server(std::unique_ptr<impl> p);
    std::unique_ptr<impl> p_;
};

}  // namespace candor::serve
