#include "candor/seal/keys.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

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

// Writes `text` to a new file with `mode`; an existing file is never replaced.
result<void, key_error> write_new_file(fs::path const& file, std::string const& text,
                                       mode_t mode) {
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return unexpected(key_error(file.string() + ": cannot create: " + std::strerror(errno)));
    bool ok = ::fchmod(fd, mode) == 0 &&
              ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
              ::fsync(fd) == 0;
    int err = errno;
    ::close(fd);
    if (!ok) return unexpected(key_error(file.string() + ": cannot write: " + std::strerror(err)));
    return {};
}

result<std::string, key_error> read_small_file(fs::path const& file, bool secret) {
    int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return unexpected(key_error(file.string() + ": cannot open: " + std::strerror(errno)));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        st.st_size > (secret ? 4096 : 16 << 20)) {
        ::close(fd);
        return unexpected(key_error(file.string() + ": not a key file"));
    }
    if (secret && (st.st_mode & 077) != 0) {
        ::close(fd);
        return unexpected(key_error(file.string() +
                                    ": secret key readable by group or others; chmod 600 it"));
    }
    std::string text(static_cast<std::size_t>(st.st_size), '\0');
    ssize_t n = ::read(fd, text.data(), text.size());
    ::close(fd);
    if (n != st.st_size) return unexpected(key_error(file.string() + ": cannot read"));
    return text;
}

}  // namespace

bool valid_device_id(std::string_view id) noexcept {
    return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-';
    });
}

hq_secret make_hq_keys() {
    detail::ensure_sodium();
    hq_secret k;
    crypto_box_keypair(k.pub.data(), k.key.data());
    return k;
}

device_secret make_device_keys(std::string id) {
    detail::ensure_sodium();
    device_secret k;
    k.id = std::move(id);
    crypto_sign_keypair(k.pub.data(), k.key.data());
    return k;
}

result<void, key_error> write_hq_keys(fs::path const& dir, hq_secret const& k) {
    std::string hex(2 * k.key.size(), '\0');
    sodium_bin2hex(hex.data(), hex.size() + 1, k.key.data(), k.key.size());
    auto text = std::string(hq_secret_tag) + ' ' + hex + '\n';
    wipe(hex.data(), hex.size());
    auto written = write_new_file(dir / "hq.key", text, 0600);
    wipe(text.data(), text.size());
    if (!written) return written;
    return write_new_file(dir / "hq.pub", std::string(hq_public_tag) + ' ' + to_hex(k.pub) + '\n',
                          0644);
}

result<void, key_error> write_device_keys(fs::path const& dir, device_secret const& k) {
    if (!valid_device_id(k.id)) return unexpected(key_error("invalid device id"));
    std::string hex(2 * k.key.size(), '\0');
    sodium_bin2hex(hex.data(), hex.size() + 1, k.key.data(), k.key.size());
    auto text = std::string(device_secret_tag) + ' ' + k.id + ' ' + hex + '\n';
    wipe(hex.data(), hex.size());
    auto written = write_new_file(dir / (k.id + ".key"), text, 0600);
    wipe(text.data(), text.size());
    if (!written) return written;
    return write_new_file(dir / (k.id + ".pub"), format_device_public(k.public_part()) + '\n',
                          0644);
}

result<hq_public, key_error> read_hq_public(fs::path const& file) {
    auto text = read_small_file(file, false);
    if (!text) return unexpected(text.error());
    auto w = words(*text);
    hq_public k;
    if (w.size() != 2 || w[0] != hq_public_tag || !from_hex(w[1], k.key))
        return unexpected(key_error(file.string() + ": not a head-office public key"));
    return k;
}

result<hq_secret, key_error> parse_hq_secret(std::string_view text) {
    detail::ensure_sodium();
    auto w = words(text);
    hq_secret k;
    if (w.size() != 2 || w[0] != hq_secret_tag ||
        !from_hex(w[1], std::span<std::uint8_t>(k.key.data(), k.key.size())))
        return unexpected(key_error("not a head-office secret key"));
    crypto_scalarmult_base(k.pub.data(), k.key.data());
    return k;
}

result<hq_secret, key_error> read_hq_secret(fs::path const& file) {
    auto text = read_small_file(file, true);
    if (!text) return unexpected(text.error());
    auto k = parse_hq_secret(*text);
    wipe(text->data(), text->size());
    if (!k) return unexpected(key_error(file.string() + ": " + k.error()));
    return k;
}

result<device_secret, key_error> read_device_secret(fs::path const& file) {
    auto text = read_small_file(file, true);
    if (!text) return unexpected(text.error());
    auto w = words(*text);
    device_secret k;
    bool ok = w.size() == 3 && w[0] == device_secret_tag && valid_device_id(w[1]) &&
              from_hex(w[2], std::span<std::uint8_t>(k.key.data(), k.key.size()));
    if (ok) {
        k.id = std::string(w[1]);
        crypto_sign_ed25519_sk_to_pk(k.pub.data(), k.key.data());
    }
    wipe(text->data(), text->size());
    if (!ok) return unexpected(key_error(file.string() + ": not a device secret key"));
    return k;
}

std::string format_device_public(device_public const& d) {
    return std::string(d.revoked ? "revoked " : "device ") + d.id + ' ' + to_hex(d.key);
}

result<device_public, key_error> parse_device_public(std::string_view line) {
    auto w = words(line);
    device_public d;
    if (w.size() != 3 || (w[0] != "device" && w[0] != "revoked"))
        return unexpected(key_error("expected `device ID KEY` or `revoked ID KEY`"));
    if (!valid_device_id(w[1]))
        return unexpected(key_error("invalid device id `" + std::string(w[1]) + "`"));
    if (!from_hex(w[2], d.key))
        return unexpected(key_error("device key is not 64 hex digits"));
    d.id = std::string(w[1]);
    d.revoked = w[0] == "revoked";
    return d;
}

device_public const* device_list::find(std::string_view id) const noexcept {
    for (auto const& d : devices)
        if (d.id == id) return &d;
    return nullptr;
}

result<device_list, std::vector<key_error>> parse_device_list(std::string_view text,
                                                             std::string_view file_name) {
    device_list list;
    std::vector<key_error> errors;
    std::size_t line_no = 0;
    while (!text.empty()) {
        auto nl = text.find('\n');
        auto line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        ++line_no;
        if (auto hash_at = line.find('#'); hash_at != std::string_view::npos)
            line = line.substr(0, hash_at);
        if (words(line).empty()) continue;
        auto where = std::string(file_name) + ':' + std::to_string(line_no) + ": ";
        auto d = parse_device_public(line);
        if (!d) {
            errors.push_back(where + d.error());
        } else if (list.find(d->id) != nullptr) {
            errors.push_back(where + "device `" + d->id + "` listed twice");
        } else {
            list.devices.push_back(std::move(*d));
        }
    }
    if (!errors.empty()) return unexpected(std::move(errors));
    return list;
}

result<device_list, std::vector<key_error>> read_device_list(fs::path const& file) {
    auto text = read_small_file(file, false);
    if (!text) return unexpected(std::vector<key_error>{text.error()});
    return parse_device_list(*text, file.string());
}

}  // namespace candor::seal
