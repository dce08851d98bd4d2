// Key pairs and key files. Head office has one X25519 pair that cards are sealed to;
// each device has an Ed25519 pair that signs its records. Secret keys are wiped on
// destruction and have no way to be printed.
// Thread safety: value types; the functions are safe to call from any thread.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "candor/error.hpp"
#include "candor/seal/bytes.hpp"

namespace candor::seal {

template <std::size_t N>
class secret {
public:
    secret() = default;
    secret(secret const& o) : b_(o.b_) {}
    secret& operator=(secret const& o) {
        b_ = o.b_;
        return *this;
    }
    ~secret() { wipe(b_.data(), N); }
    std::uint8_t* data() noexcept { return b_.data(); }
    std::uint8_t const* data() const noexcept { return b_.data(); }
    static constexpr std::size_t size() noexcept { return N; }

private:
    std::array<std::uint8_t, N> b_{};
};

struct hq_public {
    public_key key{};
};
struct hq_secret {
    public_key pub{};
    secret<32> key;
    hq_public public_part() const { return {pub}; }
};

// Device ids: 1 to 64 of [A-Za-z0-9._-]; site ids (as org files name them) may also hold : and +.
bool valid_device_id(std::string_view id) noexcept;
bool valid_site_id(std::string_view id) noexcept;

struct device_public {
    std::string id;
    public_key key{};
    bool revoked = false;
    std::string site;  // the site the device takes cards for; empty: not bound to one
};
struct device_secret {
    std::string id;
    public_key pub{};
    secret<64> key;  // libsodium's Ed25519 secret key (seed and public key)
    std::string site;
    device_public public_part() const { return {id, pub, false, site}; }
};

hq_secret make_hq_keys();
// `id` must be valid_device_id, `site` empty or valid_site_id.
device_secret make_device_keys(std::string id, std::string site = {});

// Key files are one line of text (see docs/journal-format.md):
//   hq.pub   "candor-hq-public-v1 HEX"      hq.key  "candor-hq-secret-v1 HEX"
//   ID.pub   "device ID HEX [site=SITE]"    ID.key  "candor-device-secret-v1 ID HEX [site=SITE]"
// A pair is written whole or not at all; secret files are created 0600 and never
// overwritten; reading one that group or others may read is refused ("key-permissions").
// A device key whose public half is not its seed's is refused when read ("mismatched-key").
inline constexpr std::size_t max_secret_file_bytes = 4096;
inline constexpr std::size_t max_public_file_bytes = 16u << 20;  // a device list

result<void> write_hq_keys(std::filesystem::path const& dir, hq_secret const& k);
result<void> write_device_keys(std::filesystem::path const& dir, device_secret const& k);
result<hq_public> read_hq_public(std::filesystem::path const& file);
result<hq_secret> read_hq_secret(std::filesystem::path const& file);
result<device_secret> read_device_secret(std::filesystem::path const& file);
// Any other secret (a webhook's): the file's text, refused as the key files are when it is
// too large or readable by group or others ("key-permissions").
result<std::string> read_secret_file(std::filesystem::path const& file);

// The text forms, for files whose permissions were checked elsewhere (and for tests).
result<hq_secret> parse_hq_secret(std::string_view text);
result<device_secret> parse_device_secret(std::string_view text);
std::string format_device_public(device_public const& d);
result<device_public> parse_device_public(std::string_view line);

// Head office's list of device public keys: one "device ID HEX [site=SITE]" line per device
// ("revoked ID HEX ..." for a device no longer trusted), '#' comments, blank lines.
struct device_list {
    std::vector<device_public> devices;
    device_public const* find(std::string_view id) const noexcept;
};
result<device_list> read_device_list(std::filesystem::path const& file);
// Every bad line is reported, at FILE:LINE.
result<device_list> parse_device_list(std::string_view text, std::string_view file_name);

}  // namespace candor::seal
