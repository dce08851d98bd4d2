#include "candor/serve/invitations.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <array>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <system_error>

#include <nlohmann/json.hpp>

#include "tokens.hpp"
#include "util/file_io.hpp"
#include "util/json_text.hpp"

namespace candor::serve {

namespace fs = std::filesystem;

namespace {

using tokens::digest;
using tokens::hash_of;
using tokens::hex;

// The file of an invitation is named by the first bytes of its token's hash; the file holds
// the whole hash, compared in constant time.
std::string name_of(digest const& d) {
    return tokens::name_of(d) + ".json";
}

// A stored invitation is a small JSON object: anything deeper is not one of ours.
constexpr std::size_t max_stored_depth = 4;

found_invitation found_of(nlohmann::json const& stored, std::int64_t now) {
    found_invitation f;
    f.what = {stored.value("stay", ""), stored.value("site", ""), stored.value("survey", ""),
              stored.value("expires", std::int64_t{0})};
    f.receipt = stored.value("receipt", "");
    f.state = !f.receipt.empty()      ? token_state::used
              : now >= f.what.expires ? token_state::expired
                                      : token_state::open;
    return f;
}

seal::byte_view bytes_of(std::string const& s) {
    return {reinterpret_cast<std::uint8_t const*>(s.data()), s.size()};
}

}  // namespace

std::string_view to_string(token_state s) noexcept {
    switch (s) {
        case token_state::open:
            return "open";
        case token_state::used:
            return "used";
        case token_state::expired:
            return "expired";
    }
    return "?";
}

struct invitations::impl {
    fs::path tokens, drafts;
    mutable std::mutex mutex;
    // Tokens whose card is being taken, without the mutex: guests with distinct tokens
    // submit at once (their cards share the journal's batches); a second use of one waits.
    std::set<std::string, std::less<>> taking;
    std::condition_variable taken;

    // Names a token by its stored file: two spellings of one token's bytes are one.
    static std::string claim_of(std::string_view token) {
        auto d = hash_of(token);
        return d ? name_of(*d) : std::string(token);
    }
    // Under the mutex: waits until no use() of `token` is under way.
    void wait_for(std::unique_lock<std::mutex>& lock, std::string_view token) {
        taken.wait(lock, [&] { return taking.find(claim_of(token)) == taking.end(); });
    }

    struct entry {
        fs::path file;
        found_invitation found;
        nlohmann::json stored;
        digest d;
    };

    // Under the mutex.
    std::optional<entry> load(std::string_view token, std::int64_t now) const {
        auto d = hash_of(token);
        if (!d) return std::nullopt;
        auto file = tokens / name_of(*d);
        std::error_code ec;
        if (!fs::is_regular_file(file, ec)) return std::nullopt;
        std::string text;
        try {
            auto raw = util::read_file(file);
            text.assign(raw.begin(), raw.end());
        } catch (std::system_error const&) {
            return std::nullopt;
        }
        auto stored = util::parse_json(text, max_stored_depth);
        if (!stored || !stored->is_object()) return std::nullopt;
        auto const h = stored->value("hash", std::string());
        std::array<unsigned char, crypto_generichash_BYTES> want{};
        std::size_t len = 0;
        if (sodium_hex2bin(want.data(), want.size(), h.data(), h.size(), nullptr, &len, nullptr) !=
                0 ||
            len != want.size() || sodium_memcmp(want.data(), d->data(), want.size()) != 0)
            return std::nullopt;
        auto f = found_of(*stored, now);
        return entry{std::move(file), std::move(f), std::move(*stored), *d};
    }

    static result<void> usable(std::optional<entry> const& e) {
        if (!e) return fail("unknown-token", "no invitation has this link");
        if (e->found.state == token_state::used)
            return fail("token-used", "this invitation has been answered already");
        if (e->found.state == token_state::expired)
            return fail("token-expired", "this invitation has expired");
        return {};
    }

    fs::path draft_file(entry const& e) const { return drafts / name_of(e.d); }

    void remove(fs::path const& file) const {
        std::error_code ec;
        fs::remove(file, ec);
    }
};

invitations::invitations(std::unique_ptr<impl> p) : p_(std::move(p)) {}
invitations::invitations(invitations&&) noexcept = default;
invitations& invitations::operator=(invitations&&) noexcept = default;
invitations::~invitations() = default;

result<invitations> invitations::open(fs::path const& dir) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
    auto p = std::make_unique<impl>();
    p->tokens = dir / "tokens";
    p->drafts = dir / "drafts";
    try {
        util::make_private_directory(dir);
        util::make_private_directory(p->tokens);
        util::make_private_directory(p->drafts);
    } catch (std::system_error const& e) {
        return fail("io", "cannot open the invitations in " + dir.string() + ": " + e.what());
    }
    return invitations(std::move(p));
}

namespace {

struct minted {
    std::string token;
    std::string name;
    std::string stored;
};

result<minted> mint(invitation what, std::int64_t now) {
    if (what.stay.empty() || what.site.empty() || what.survey.empty())
        return fail("bad-invitation", "an invitation names its stay, site and survey");
    if (what.expires == 0) what.expires = now + invitation_lifetime;
    auto [token, d] = tokens::make();
    nlohmann::json const stored{
        {"hash", hex(d.data(), d.size())}, {"stay", what.stay},       {"site", what.site},
        {"survey", what.survey},           {"expires", what.expires}, {"issued", now}};
    return minted{std::move(token), name_of(d), stored.dump()};
}

}  // namespace

result<std::string> invitations::issue(invitation what, std::int64_t now) {
    auto m = mint(std::move(what), now);
    if (!m) return unexpected(std::move(m).error());
    std::lock_guard lock(p_->mutex);
    try {
        util::write_file_durably(p_->tokens / m->name, bytes_of(m->stored), {}, 0600);
    } catch (std::system_error const& e) {
        return fail("io", std::string("the invitation could not be written: ") + e.what());
    }
    return std::move(m->token);
}

result<std::vector<std::string>> invitations::issue_all(std::span<invitation const> what,
                                                        std::int64_t now) {
    std::vector<minted> all;
    all.reserve(what.size());
    for (auto const& w : what) {
        auto m = mint(w, now);
        if (!m) return unexpected(std::move(m).error());
        all.push_back(std::move(*m));
    }
    std::lock_guard lock(p_->mutex);
    auto const failed = [&](std::string const& why) {
        return fail("io", "the invitations could not be written: " + why);
    };
    int dirfd = ::open(p_->tokens.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0) return failed(std::strerror(errno));
    for (auto const& m : all) {
        // Written whole under a temporary name, renamed: a reader never sees half of one.
        auto const tmp = m.name + ".tmp";
        int fd = ::openat(dirfd, tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        bool ok = fd >= 0 && ::write(fd, m.stored.data(), m.stored.size()) ==
                                 static_cast<ssize_t>(m.stored.size());
        if (fd >= 0) ::close(fd);
        ok = ok && ::renameat(dirfd, tmp.c_str(), dirfd, m.name.c_str()) == 0;
        if (!ok) {
            auto const why = std::string(std::strerror(errno));
            ::unlinkat(dirfd, tmp.c_str(), 0);
            ::close(dirfd);
            return failed(why);
        }
    }
    bool const synced = ::syncfs(dirfd) == 0;
    ::close(dirfd);
    if (!synced) return failed(std::strerror(errno));
    std::vector<std::string> tokens;
    tokens.reserve(all.size());
    for (auto& m : all) tokens.push_back(std::move(m.token));
    return tokens;
}

std::vector<found_invitation> invitations::all(std::int64_t now) const {
    std::vector<found_invitation> out;
    std::lock_guard lock(p_->mutex);
    std::error_code ec;
    for (auto const& f : fs::directory_iterator(p_->tokens, ec)) {
        if (f.path().extension() != ".json") continue;
        try {
            auto raw = util::read_file(f.path());
            auto stored = util::parse_json(
                std::string_view(reinterpret_cast<char const*>(raw.data()), raw.size()),
                max_stored_depth);
            if (!stored || !stored->is_object()) continue;
            out.push_back(found_of(*stored, now));
        } catch (std::system_error const&) {
        }
    }
    return out;
}

std::optional<found_invitation> invitations::find(std::string_view token, std::int64_t now) const {
    std::lock_guard lock(p_->mutex);
    auto e = p_->load(token, now);
    if (!e) return std::nullopt;
    return std::move(e->found);
}

result<std::string> invitations::use(std::string_view token, std::int64_t now,
                                     std::function<result<std::string>()> const& take) {
    std::unique_lock lock(p_->mutex);
    p_->wait_for(lock, token);
    auto e = p_->load(token, now);
    if (auto ok = impl::usable(e); !ok) return unexpected(std::move(ok).error());
    auto const claim = p_->taking.emplace(impl::claim_of(token)).first;
    lock.unlock();
    struct release {
        impl& p;
        std::set<std::string, std::less<>>::iterator claim;
        ~release() {
            std::lock_guard l(p.mutex);
            p.taking.erase(claim);
            p.taken.notify_all();
        }
    } const released{*p_, claim};
    auto receipt = take();
    if (!receipt) return receipt;
    e->stored["receipt"] = *receipt;
    e->stored["used"] = now;
    try {
        util::write_file_durably(e->file, bytes_of(e->stored.dump()), {}, 0600);
    } catch (std::system_error const& err) {
        // The card is kept; the token could not be marked. Broken I/O: the server stops
        // rather than take a second card for it.
        throw std::runtime_error(std::string("invitation not marked used: ") + err.what());
    }
    p_->remove(p_->draft_file(*e));
    return receipt;
}

result<void> invitations::save_draft(std::string_view token, std::string_view draft,
                                     std::int64_t now) {
    if (draft.size() > max_draft_bytes)
        return fail("too-large",
                    "a draft is at most " + std::to_string(max_draft_bytes) + " bytes");
    std::unique_lock lock(p_->mutex);
    p_->wait_for(lock, token);
    auto e = p_->load(token, now);
    if (auto ok = impl::usable(e); !ok) return ok;
    nlohmann::json const stored{{"saved", now}, {"draft", std::string(draft)}};
    try {
        util::write_file_durably(
            p_->draft_file(*e),
            bytes_of(stored.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)), {},
            0600);
    } catch (std::system_error const& err) {
        return fail("io", std::string("the answers could not be saved: ") + err.what());
    }
    return {};
}

std::optional<std::string> invitations::draft(std::string_view token, std::int64_t now) const {
    std::lock_guard lock(p_->mutex);
    auto e = p_->load(token, now);
    if (!e || e->found.state != token_state::open) return std::nullopt;
    try {
        auto raw = util::read_file(p_->draft_file(*e));
        auto stored = util::parse_json(
            std::string_view(reinterpret_cast<char const*>(raw.data()), raw.size()),
            max_stored_depth);
        if (!stored || !stored->is_object() || !(*stored)["draft"].is_string()) return std::nullopt;
        if (now - stored->value("saved", std::int64_t{0}) > draft_lifetime) return std::nullopt;
        return (*stored)["draft"].get<std::string>();
    } catch (std::system_error const&) {
        return std::nullopt;  // none saved
    }
}

std::size_t invitations::sweep(std::int64_t now) {
    std::lock_guard lock(p_->mutex);
    std::size_t removed = 0;
    auto const stored_at = [](fs::path const& file) -> std::optional<nlohmann::json> {
        try {
            auto raw = util::read_file(file);
            auto j = util::parse_json(
                std::string_view(reinterpret_cast<char const*>(raw.data()), raw.size()),
                max_stored_depth);
            if (j && j->is_object()) return std::move(*j);
        } catch (std::system_error const&) {
        }
        return std::nullopt;
    };
    std::error_code ec;
    for (auto const& f : fs::directory_iterator(p_->drafts, ec)) {
        auto token_file = p_->tokens / f.path().filename();
        auto draft = stored_at(f.path());
        auto inv = stored_at(token_file);
        bool const stale =
            !draft || !inv || now - draft->value("saved", std::int64_t{0}) > draft_lifetime;
        bool const closed =
            inv && (inv->contains("receipt") || now >= inv->value("expires", std::int64_t{0}));
        if (stale || closed) {
            p_->remove(f.path());
            ++removed;
        }
    }
    for (auto const& f : fs::directory_iterator(p_->tokens, ec)) {
        auto inv = stored_at(f.path());
        if (inv && now - inv->value("expires", now) > draft_lifetime) {
            p_->remove(f.path());
            ++removed;
        }
    }
    return removed;
}

}  // namespace candor::serve
