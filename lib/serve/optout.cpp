// The opt-out list (a keyed hash an address, appended and synced) and its routes.
#include "optout.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <mutex>
#include <optional>
#include <system_error>
#include <unordered_set>

#include "util/ascii.hpp"
#include "util/file_io.hpp"

namespace candor::serve {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t key_bytes = 32;
constexpr std::size_t hash_bytes = 16;  // what the list keeps of an address
constexpr std::size_t check_bytes = 8;  // what makes a token this server's
constexpr auto variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
constexpr std::size_t token_chars = ((hash_bytes + check_bytes) * 4 + 2) / 3;

using hash = std::array<unsigned char, hash_bytes>;

template <std::size_t N>
std::array<unsigned char, N> hmac(std::string const& key, std::string_view label,
                                  std::string_view text) {
    unsigned char out[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<unsigned char const*>(key.data()),
                                key.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<unsigned char const*>(label.data()),
                                  label.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<unsigned char const*>(text.data()),
                                  text.size());
    crypto_auth_hmacsha256_final(&st, out);
    std::array<unsigned char, N> a{};
    std::copy(out, out + N, a.begin());
    return a;
}

std::string hex(hash const& h) {
    std::string out(h.size() * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), h.data(), h.size());
    out.pop_back();
    return out;
}

}  // namespace

struct optouts::impl {
    std::string key;
    fs::path file;
    mutable std::mutex mutex;
    std::unordered_set<std::string> hashes;  // hex

    hash of(std::string_view address) const {
        return hmac<hash_bytes>(key, "address\n", util::ascii_lower(address));
    }
    std::array<unsigned char, check_bytes> check(hash const& h) const {
        return hmac<check_bytes>(
            key, "check\n", std::string_view(reinterpret_cast<char const*>(h.data()), h.size()));
    }
    std::optional<hash> parse(std::string_view token) const {
        std::array<unsigned char, hash_bytes + check_bytes> raw{};
        std::size_t len = 0;
        if (token.size() != token_chars ||
            sodium_base642bin(raw.data(), raw.size(), token.data(), token.size(), nullptr, &len,
                              nullptr, variant) != 0 ||
            len != raw.size())
            return std::nullopt;
        hash h{};
        std::copy(raw.begin(), raw.begin() + hash_bytes, h.begin());
        auto const want = check(h);
        if (sodium_memcmp(want.data(), raw.data() + hash_bytes, check_bytes) != 0)
            return std::nullopt;
        return h;
    }
};

optouts::optouts(std::unique_ptr<impl> p) : p_(std::move(p)) {}
optouts::optouts(optouts&&) noexcept = default;
optouts& optouts::operator=(optouts&&) noexcept = default;
optouts::~optouts() = default;

result<optouts> optouts::open(fs::path const& dir) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
    auto p = std::make_unique<impl>();
    p->file = dir / "hashes";
    auto const key_file = dir / "key";
    try {
        util::make_private_directory(dir);
        std::error_code ec;
        if (!fs::exists(key_file, ec)) {
            std::string k(key_bytes, '\0');
            randombytes_buf(k.data(), k.size());
            util::write_file_durably(key_file, seal::as_bytes(k), {}, 0600);
        }
        struct stat st {};
        if (::stat(key_file.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
            return fail("key-permissions", "secret readable by group or others; chmod 600 it",
                        {.file = key_file.string()});
        auto raw = util::read_file(key_file);
        if (raw.size() != key_bytes)
            return fail("bad-key", key_file.string() + " is not an opt-out key (32 bytes)");
        p->key.assign(raw.begin(), raw.end());
        if (fs::exists(p->file, ec)) {
            auto text = util::read_file(p->file);
            std::string line;
            for (auto b : text) {
                if (b != '\n') {
                    line += static_cast<char>(b);
                    continue;
                }
                // A torn last line (a crash mid-append) is no hash: only whole ones count.
                if (line.size() == hash_bytes * 2) p->hashes.insert(line);
                line.clear();
                if (p->hashes.size() > max_optouts)
                    return fail("bad-optouts", p->file.string() + " holds more than " +
                                                   std::to_string(max_optouts) + " lines");
            }
        }
    } catch (std::system_error const& e) {
        return fail("io", "cannot open the opt-out list in " + dir.string() + ": " + e.what());
    }
    return optouts(std::move(p));
}

std::string optouts::token(std::string_view address) const {
    auto const h = p_->of(address);
    auto const c = p_->check(h);
    std::array<unsigned char, hash_bytes + check_bytes> raw{};
    std::copy(h.begin(), h.end(), raw.begin());
    std::copy(c.begin(), c.end(), raw.begin() + hash_bytes);
    std::string out(sodium_base64_ENCODED_LEN(raw.size(), variant), '\0');
    sodium_bin2base64(out.data(), out.size(), raw.data(), raw.size(), variant);
    out.resize(token_chars);
    return out;
}

bool optouts::opted_out(std::string_view address) const {
    auto const h = hex(p_->of(address));
    std::lock_guard lock(p_->mutex);
    return p_->hashes.count(h) != 0;
}

bool optouts::valid(std::string_view token) const {
    return p_->parse(token).has_value();
}

result<void> optouts::record(std::string_view token) {
    auto const h = p_->parse(token);
    if (!h) return fail("bad-token", "not an opt-out link of this server");
    auto const line = hex(*h);
    std::lock_guard lock(p_->mutex);
    if (p_->hashes.count(line)) return {};
    int fd = ::open(p_->file.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return fail("io", "cannot open " + p_->file.string());
    // After a torn last line (a crash mid-append), a line end first: the new one stays whole.
    struct stat st {};
    char last = '\n';
    if (::fstat(fd, &st) == 0 && st.st_size > 0) (void)::pread(fd, &last, 1, st.st_size - 1);
    auto const text = (last == '\n' ? "" : "\n") + line + "\n";
    bool const ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                    ::fdatasync(fd) == 0;
    ::close(fd);
    if (!ok) return fail("io", "cannot record the opt-out in " + p_->file.string());
    p_->hashes.insert(line);
    return {};
}

std::size_t optouts::size() const {
    std::lock_guard lock(p_->mutex);
    return p_->hashes.size();
}

result<optouts> open_optouts(fs::path const& dir) {
    return optouts::open(dir / optout_folder);
}

std::string optout_link(std::string_view base, std::string_view token) {
    while (base.ends_with('/')) base.remove_suffix(1);
    return std::string(base) + "/u/" + std::string(token);
}

namespace detail {

bool optout_path(std::string_view path) {
    return path.starts_with("/u/") && path.size() > 3 &&
           path.find('/', 3) == std::string_view::npos;
}

void add_optout_routes(kiosk::http::hardened_server& http, optouts& list, page_fn page) {
    auto const not_ours = [page](httplib::Response& res) {
        page(res, 404, "No such link", "<p class=\"note\">This link is not one of ours.</p>");
    };
    // The token is checked before the page offers anything; it is shown nowhere.
    http.Get("/u/([A-Za-z0-9_-]+)",
             [&list, page, not_ours](httplib::Request const& req, httplib::Response& res) {
                 if (!list.valid(req.matches[1].str())) return not_ours(res);
                 page(res, 200, "Unsubscribe",
                      "<p class=\"note\">You will not be invited to give your feedback again.</p>"
                      "<form method=\"post\"><input type=\"hidden\" name=\"List-Unsubscribe\" "
                      "value=\"One-Click\"><button type=\"submit\">Unsubscribe</button></form>");
             });
    http.Post("/u/([A-Za-z0-9_-]+)", [&list, page, not_ours](httplib::Request const& req,
                                                             httplib::Response& res) {
        auto ok = list.record(req.matches[1].str());
        if (!ok) {
            if (ok.error().front().code == "bad-token") return not_ours(res);
            return page(
                res, 503, "Try again later",
                "<p class=\"note\">Your request could not be recorded; try again later.</p>");
        }
        page(res, 200, "Unsubscribed",
             "<p class=\"note\">Done: you will not be invited to give your feedback again.</p>");
    });
}

}  // namespace detail

}  // namespace candor::serve
