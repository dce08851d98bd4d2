#include "candor/seal/keys.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

#include "sodium_init.hpp"

namespace candor::seal {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view hq_public_tag = "candor-hq-public-v1";
constexpr std::string_view hq_secret_tag = "candor-hq-secret-v1";
constexpr std::string_view device_secret_tag = "candor-device-secret-v1";

std::vector<std::string_view> words(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' ||
                                   line[i] == '\n'))
            ++i;
        std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r' &&
               line[i] != '\n')
            ++i;
        if (i > start) out.push_back(line.substr(start, i - start));
    }
    return out;
}

location in(fs::path const& file) { return {.file = file.string()}; }

// The optional last word of a device's key lines: " site=SITE", or nothing.
constexpr std::string_view site_prefix = "site=";
std::string site_word(std::string const& site) {
    std::string out;
    if (site.empty()) return out;
    out += ' ';
    out += site_prefix;
    out += site;
    return out;
}
// The site a `site=SITE` word names; nullopt when the word is no valid one.
std::optional<std::string> parse_site_word(std::string_view w) {
    if (w.substr(0, site_prefix.size()) != site_prefix) return std::nullopt;
    auto site = w.substr(site_prefix.size());
    if (!valid_site_id(site)) return std::nullopt;
    return std::string(site);
}

// A key pair is written as two temporary files, then linked into place: both names appear
// or neither does, and an existing key is never replaced.
struct pending_file {
    fs::path tmp, name;
};

result<pending_file> write_temp_file(fs::path const& file, std::string const& text, mode_t mode) {
    auto tmp = file;
    tmp += ".tmp";
    ::unlink(tmp.c_str());  // a leftover of a run that died; never a key in use
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return fail("cannot-create", "cannot create: " + std::string(std::strerror(errno)), in(tmp));
    bool ok = ::fchmod(fd, mode) == 0 &&
              ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
              ::fsync(fd) == 0;
    int err = errno;
    ::close(fd);
    if (!ok) {
        ::unlink(tmp.c_str());
        return fail("cannot-write", "cannot write: " + std::string(std::strerror(err)), in(tmp));
    }
    return pending_file{tmp, file};
}

// Links both files into place, or neither: a half pair is no key.
result<void> publish_pair(std::vector<pending_file> const& files) {
    std::size_t linked = 0;
    errors found;
    for (auto const& f : files) {
        if (::link(f.tmp.c_str(), f.name.c_str()) != 0) {
            found.push_back({severity::error, errno == EEXIST ? "key-exists" : "cannot-create",
                             errno == EEXIST ? "already exists; keys are never overwritten"
                                             : "cannot create: " + std::string(std::strerror(errno)),
                             in(f.name)});
            break;
        }
        ++linked;
    }
    if (!found.empty())
        for (std::size_t i = 0; i < linked; ++i) ::unlink(files[i].name.c_str());
    for (auto const& f : files) ::unlink(f.tmp.c_str());
    if (!found.empty()) return fail(std::move(found));
    if (!files.empty()) {
        int dir = ::open(files.front().name.parent_path().empty()
                             ? "."
                             : files.front().name.parent_path().c_str(),
                         O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir >= 0) {
            ::fsync(dir);
            ::close(dir);
        }
    }
    return {};
}

result<std::string> read_small_file(fs::path const& file, bool secret) {
    int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail("cannot-open", "cannot open: " + std::string(std::strerror(errno)), in(file));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        static_cast<std::size_t>(st.st_size) > (secret ? max_secret_file_bytes : max_public_file_bytes)) {
        ::close(fd);
        return fail("not-a-key-file", "not a key file", in(file));
    }
    if (secret && (st.st_mode & 077) != 0) {
        ::close(fd);
        return fail("key-permissions", "secret readable by group or others; chmod 600 it",
                    in(file));
    }
    std::string text(static_cast<std::size_t>(st.st_size), '\0');
    ssize_t n = ::read(fd, text.data(), text.size());
    ::close(fd);
    if (n != st.st_size) return fail("cannot-read", "cannot read", in(file));
    return text;
}

// The secret file's text, the public file's text: written as one pair or not at all.
result<void> write_pair(fs::path const& secret_file, std::string secret_text,
                        fs::path const& public_file, std::string const& public_text) {
    auto secret = write_temp_file(secret_file, secret_text, 0600);
    wipe(secret_text.data(), secret_text.size());
    if (!secret) return unexpected(std::move(secret).error());
    auto pub = write_temp_file(public_file, public_text, 0644);
    if (!pub) {
        ::unlink(secret->tmp.c_str());
        return unexpected(std::move(pub).error());
    }
    return publish_pair({*secret, *pub});
}

}  // namespace

bool valid_device_id(std::string_view id) noexcept {
    return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-';
    });
}

bool valid_site_id(std::string_view id) noexcept {
    return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
        return valid_device_id(std::string_view(&c, 1)) || c == ':' || c == '+';
    });
}

hq_secret make_hq_keys() {
    detail::ensure_sodium();
    hq_secret k;
    crypto_box_keypair(k.pub.data(), k.key.data());
    return k;
}

device_secret make_device_keys(std::string id, std::string site) {
    detail::ensure_sodium();
    device_secret k;
    k.id = std::move(id);
    k.site = std::move(site);
    crypto_sign_keypair(k.pub.data(), k.key.data());
    return k;
}

result<void> write_hq_keys(fs::path const& dir, hq_secret const& k) {
    std::string hex(2 * k.key.size(), '\0');
    sodium_bin2hex(hex.data(), hex.size() + 1, k.key.data(), k.key.size());
    auto text = std::string(hq_secret_tag) + ' ' + hex + '\n';
    wipe(hex.data(), hex.size());
    return write_pair(dir / "hq.key", std::move(text), dir / "hq.pub",
                      std::string(hq_public_tag) + ' ' + to_hex(k.pub) + '\n');
}

result<void> write_device_keys(fs::path const& dir, device_secret const& k) {
    if (!valid_device_id(k.id))
        return fail("invalid-device-id", "invalid device id (1 to 64 of A-Z a-z 0-9 . _ -)");
    if (!k.site.empty() && !valid_site_id(k.site))
        return fail("invalid-site-id", "invalid site id (1 to 64 of A-Z a-z 0-9 . _ - : +)");
    std::string hex(2 * k.key.size(), '\0');
    sodium_bin2hex(hex.data(), hex.size() + 1, k.key.data(), k.key.size());
    auto text = std::string(device_secret_tag) + ' ' + k.id + ' ' + hex + site_word(k.site) + '\n';
    wipe(hex.data(), hex.size());
    return write_pair(dir / (k.id + ".key"), std::move(text), dir / (k.id + ".pub"),
                      format_device_public(k.public_part()) + '\n');
}

result<hq_public> read_hq_public(fs::path const& file) {
    auto text = read_small_file(file, false);
    if (!text) return unexpected(std::move(text).error());
    auto w = words(*text);
    hq_public k;
    if (w.size() != 2 || w[0] != hq_public_tag || !from_hex(w[1], k.key))
        return fail("bad-key", "not a head-office public key", in(file));
    return k;
}

result<hq_secret> parse_hq_secret(std::string_view text) {
    detail::ensure_sodium();
    auto w = words(text);
    hq_secret k;
    if (w.size() != 2 || w[0] != hq_secret_tag ||
        !from_hex(w[1], std::span<std::uint8_t>(k.key.data(), k.key.size())))
        return fail("bad-key", "not a head-office secret key");
    crypto_scalarmult_base(k.pub.data(), k.key.data());
    return k;
}

result<hq_secret> read_hq_secret(fs::path const& file) {
    auto text = read_small_file(file, true);
    if (!text) return unexpected(std::move(text).error());
    auto k = parse_hq_secret(*text);
    wipe(text->data(), text->size());
    if (!k) k.error().front().where = in(file);
    return k;
}

result<device_secret> parse_device_secret(std::string_view text) {
    detail::ensure_sodium();
    auto w = words(text);
    device_secret k;
    std::optional<std::string> site = std::string();
    if (w.size() == 4) site = parse_site_word(w[3]);
    if (w.size() < 3 || w.size() > 4 || w[0] != device_secret_tag || !valid_device_id(w[1]) ||
        !site || !from_hex(w[2], std::span<std::uint8_t>(k.key.data(), k.key.size())))
        return fail("bad-key", "not a device secret key");
    k.id = std::string(w[1]);
    k.site = std::move(*site);
    crypto_sign_ed25519_sk_to_pk(k.pub.data(), k.key.data());
    // The file holds the seed and the public key: a public half that is not the seed's
    // would sign cards head office refuses, after the guest was given a receipt.
    public_key derived{};
    secret<64> again;
    crypto_sign_seed_keypair(derived.data(), again.data(), k.key.data());
    if (sodium_memcmp(derived.data(), k.pub.data(), derived.size()) != 0)
        return fail("mismatched-key", "the key's public half is not its seed's");
    return k;
}

result<std::string> read_secret_file(fs::path const& file) {
    return read_small_file(file, true);
}

result<device_secret> read_device_secret(fs::path const& file) {
    auto text = read_small_file(file, true);
    if (!text) return unexpected(std::move(text).error());
    auto k = parse_device_secret(*text);
    wipe(text->data(), text->size());
    if (!k) k.error().front().where = in(file);
    return k;
}

std::string format_device_public(device_public const& d) {
    return std::string(d.revoked ? "revoked " : "device ") + d.id + ' ' + to_hex(d.key) +
           site_word(d.site);
}

result<device_public> parse_device_public(std::string_view line) {
    auto w = words(line);
    device_public d;
    if (w.size() < 3 || w.size() > 4 || (w[0] != "device" && w[0] != "revoked"))
        return fail("bad-device-line",
                    "expected `device ID KEY [site=SITE]` or `revoked ID KEY [site=SITE]`");
    if (!valid_device_id(w[1]))
        return fail("invalid-device-id", "invalid device id `" + std::string(w[1]) + "`");
    if (!from_hex(w[2], d.key)) return fail("bad-key", "device key is not 64 hex digits");
    if (w.size() == 4) {
        auto site = parse_site_word(w[3]);
        if (!site)
            return fail("invalid-site-id",
                        "expected `site=SITE` (1 to 64 of A-Z a-z 0-9 . _ - : +), not `" +
                            std::string(w[3]) + "`");
        d.site = std::move(*site);
    }
    d.id = std::string(w[1]);
    d.revoked = w[0] == "revoked";
    return d;
}

device_public const* device_list::find(std::string_view id) const noexcept {
    for (auto const& d : devices)
        if (d.id == id) return &d;
    return nullptr;
}

result<device_list> parse_device_list(std::string_view text, std::string_view file_name) {
    device_list list;
    errors found;
    std::size_t line_no = 0;
    while (!text.empty()) {
        auto nl = text.find('\n');
        auto line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        ++line_no;
        if (auto hash_at = line.find('#'); hash_at != std::string_view::npos)
            line = line.substr(0, hash_at);
        if (words(line).empty()) continue;
        location where{.file = std::string(file_name), .line = static_cast<std::uint32_t>(line_no)};
        auto d = parse_device_public(line);
        if (!d) {
            auto e = std::move(d.error().front());
            e.where = where;
            found.push_back(std::move(e));
        } else if (list.find(d->id) != nullptr) {
            found.push_back({severity::error, "duplicate-device",
                             "device `" + d->id + "` listed twice", where});
        } else {
            list.devices.push_back(std::move(*d));
        }
    }
    if (!found.empty()) return fail(std::move(found));
    return list;
}

result<device_list> read_device_list(fs::path const& file) {
    auto text = read_small_file(file, false);
    if (!text) return unexpected(std::move(text).error());
    return parse_device_list(*text, file.string());
}

}  // namespace candor::seal
