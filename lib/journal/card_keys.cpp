#include "candor/journal/card_keys.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <system_error>

#include "candor/seal/receipt.hpp"
#include "candor/seal/split.hpp"
#include "canonical.hpp"
#include "guest_index.hpp"
#include "personal.hpp"
#include "util/event_log.hpp"
#include "util/file_io.hpp"
#include "util/frame.hpp"
#include "util/segments.hpp"

namespace candor::journal {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

constexpr std::uint8_t entry_version = 1;

// A key segment's frame: u8 version, device (u32 length + bytes), seq (u64), record hash
// (32 bytes), key box (u32 length + bytes), u32 count and that many guest hashes.
seal::bytes encode(card_key const& k) {
    seal::bytes out{entry_version};
    detail::put_sized(out, seal::as_bytes(k.card.device));
    detail::put_le(out, k.card.seq, 8);
    out.insert(out.end(), k.hash.begin(), k.hash.end());
    detail::put_sized(out, k.key_box);
    detail::put_le(out, k.guests.size(), 4);
    for (auto const& g : k.guests) out.insert(out.end(), g.begin(), g.end());
    return out;
}

std::optional<card_key> decode(seal::byte_view payload) {
    detail::le_reader in(payload);
    card_key k;
    auto version = in.le(1);
    auto device_size = in.le(4);
    if (version != entry_version || !device_size || *device_size > 256) return std::nullopt;
    auto device = in.take(*device_size);
    auto seq = in.le(8);
    auto hash = in.take(32);
    auto box_size = in.le(4);
    if (!device || !seq || !hash || !box_size || *box_size != seal::key_box_bytes)
        return std::nullopt;
    auto box = in.take(*box_size);
    auto count = in.le(4);
    if (!box || !count || *count > max_guests_per_card) return std::nullopt;
    k.card = {std::string(seal::as_chars(*device)), *seq};
    std::copy(hash->begin(), hash->end(), k.hash.begin());
    k.key_box.assign(box->begin(), box->end());
    for (std::uint64_t i = 0; i < *count; ++i) {
        auto g = in.take(32);
        if (!g) return std::nullopt;
        auto& d = k.guests.emplace_back();
        std::copy(g->begin(), g->end(), d.begin());
    }
    if (!in.at_end()) return std::nullopt;
    return k;
}

json event_of(erasure const& e) {
    return {{"t", "erased"},        {"device", e.card.device}, {"seq", e.card.seq},
            {"receipt", e.receipt}, {"erased", e.erased},      {"by", e.by},
            {"asked", e.asked}};
}

}  // namespace

struct card_keys::impl {
    struct held {
        std::vector<std::uint32_t> files;  // the key segments holding it (more after a crash)
        seal::digest hash{};
        seal::bytes key_box;
        std::vector<seal::digest> guests;
    };

    impl(util::dir_lock l, fs::path d, segment_options o)
        : lock(std::move(l)), dir(std::move(d)), options(o) {}

    util::dir_lock lock;
    fs::path dir;
    segment_options options;
    std::optional<util::segment_writer> writer;
    std::vector<fs::path> files;  // key segments, in order
    std::map<card_id, held> cards;
    std::map<seal::digest, std::vector<card_id>> by_guest;
    std::map<std::string, std::vector<card_id>, std::less<>> by_receipt;
    std::map<card_id, std::size_t> erased;  // to its entry in `log`
    std::vector<erasure> log;
    std::optional<util::event_log> events;
    errors recovery;

    void index(card_key k, std::uint32_t file) {
        auto [it, fresh] = cards.try_emplace(k.card);
        auto& h = it->second;
        if (std::find(h.files.begin(), h.files.end(), file) == h.files.end())
            h.files.push_back(file);
        if (!fresh) return;
        h.hash = k.hash;
        h.key_box = std::move(k.key_box);
        h.guests = std::move(k.guests);
        for (auto const& g : h.guests) by_guest[g].push_back(k.card);
        by_receipt[seal::receipt_code(h.hash)].push_back(k.card);
    }

    void unindex(card_id const& c) {
        auto it = cards.find(c);
        if (it == cards.end()) return;
        auto drop = [&](auto& map, auto const& key) {
            auto at = map.find(key);
            if (at == map.end()) return;
            std::erase(at->second, c);
            if (at->second.empty()) map.erase(at);
        };
        for (auto const& g : it->second.guests) drop(by_guest, g);
        drop(by_receipt, seal::receipt_code(it->second.hash));
        cards.erase(it);
    }

    // Rewrites key segment `file` without the entries of erased cards.
    void rewrite(std::uint32_t file) {
        auto const& path = files.at(file);
        auto data = util::read_file(path);
        auto kept = util::file_header(util::segment_magic);
        if (data.size() >= util::file_header_size)
            for (auto const& f :
                 util::scan_frames(seal::byte_view(data).subspan(util::file_header_size),
                                   util::file_header_size)
                     .frames) {
                auto k = decode(f.payload);
                if (!k || !erased.count(k->card)) util::append_frame(kept, f.payload);
            }
        util::write_file_durably(path, kept, {}, 0600);
        seal::wipe(data.data(), data.size());
        if (file + 1 == files.size())  // the writer's segment: it reopens the new file
            writer.emplace(dir, util::segments_scan{{}, std::nullopt, files, kept.size()}, options);
    }
};

card_keys::card_keys(std::unique_ptr<impl> p) : p_(std::move(p)) {}
card_keys::card_keys(card_keys&&) noexcept = default;
card_keys& card_keys::operator=(card_keys&&) noexcept = default;
card_keys::~card_keys() = default;

result<card_keys> card_keys::open(fs::path const& dir, segment_options options) {
    location const at{.file = dir.string()};
    try {
        util::make_private_directory(dir);
    } catch (std::system_error const& e) {
        return fail("io", e.what(), at);
    }
    std::optional<util::dir_lock> lock;
    try {
        lock.emplace(dir);
    } catch (std::system_error const& e) {
        return fail("in-use", e.what(), at);
    }
    options.max_bytes = std::min(options.max_bytes, max_key_segment_bytes);
    auto p = std::make_unique<impl>(std::move(*lock), dir, options);
    // A temporary file of an interrupted rewrite may hold erased key boxes.
    std::error_code ec;
    for (auto const& entry : fs::directory_iterator(dir, ec))
        if (entry.path().extension() == ".tmp") fs::remove(entry.path(), ec);
    std::vector<std::pair<card_key, fs::path>> read;
    auto scanned = util::scan_segments(
        dir, [&](fs::path const& file, std::uint64_t offset, seal::byte_view payload) {
            if (auto k = decode(payload))
                read.emplace_back(std::move(*k), file);
            else
                p->recovery.push_back({severity::error,
                                       "bad-key",
                                       "not a card key",
                                       {.file = file.string(), .offset = offset}});
        });
    p->recovery.insert(p->recovery.begin(), scanned.found.begin(), scanned.found.end());
    if (scanned.torn) {
        // Not kept beside the segment, as a journal's is: it may hold key boxes.
        auto const& t = *scanned.torn;
        if (::truncate(t.file.c_str(), static_cast<off_t>(t.offset)) != 0)
            return fail("io", "cannot cut the torn tail of " + t.file.string(), at);
        p->recovery.push_back({severity::warning,
                               "torn-tail-cut",
                               "cut off an unfinished last write of card keys",
                               {.file = t.file.string(), .offset = t.offset}});
    }
    p->files = scanned.files;
    for (auto& [k, file] : read) {
        auto index = static_cast<std::uint32_t>(std::find(p->files.begin(), p->files.end(), file) -
                                                p->files.begin());
        p->index(std::move(k), index);
    }
    auto events = util::event_log::open(dir / "erased", options, [&](json const& e) {
        erasure x{{e.at("device").get<std::string>(), e.at("seq").get<std::uint64_t>()},
                  e.at("receipt").get<std::string>(),
                  e.at("erased").get<std::int64_t>(),
                  e.at("by").get<std::string>(),
                  e.at("asked").get<std::string>()};
        p->erased[x.card] = p->log.size();
        p->log.push_back(std::move(x));
    });
    if (!events) return unexpected(std::move(events).error());
    p->events.emplace(std::move(*events));
    p->writer.emplace(dir, scanned, options);
    if (p->files.empty()) p->files.push_back(dir / "seg-000001.cnj");
    // An erasure the crash interrupted after its log record: finished now.
    std::set<std::uint32_t> unfinished;
    std::vector<card_id> left;
    for (auto const& [c, h] : p->cards)
        if (p->erased.count(c)) {
            unfinished.insert(h.files.begin(), h.files.end());
            left.push_back(c);
        }
    try {
        for (auto f : unfinished) p->rewrite(f);
    } catch (std::system_error const& e) {
        return fail("io", e.what(), at);
    }
    for (auto const& c : left) p->unindex(c);
    return card_keys(std::move(p));
}

void card_keys::add(std::span<card_key const> keys) {
    seal::bytes frames;
    std::vector<card_key const*> taken;
    for (auto const& k : keys) {
        if (p_->erased.count(k.card) || p_->cards.count(k.card)) continue;
        util::append_frame(frames, encode(k));
        taken.push_back(&k);
    }
    if (frames.empty()) return;
    p_->writer->append(frames);
    if (auto f = p_->writer->file(); f != p_->files.back()) p_->files.push_back(f);  // a new one
    auto const file = static_cast<std::uint32_t>(p_->files.size() - 1);
    for (auto const* k : taken) p_->index(*k, file);
}

seal::bytes const* card_keys::key_box(card_id const& card) const {
    auto it = p_->cards.find(card);
    return it == p_->cards.end() ? nullptr : &it->second.key_box;
}

std::vector<card_id> card_keys::guest_cards(seal::digest const& guest) const {
    auto it = p_->by_guest.find(guest);
    return it == p_->by_guest.end() ? std::vector<card_id>{} : it->second;
}

std::vector<card_id> card_keys::receipt_cards(std::string_view code) const {
    auto it = p_->by_receipt.find(code);
    return it == p_->by_receipt.end() ? std::vector<card_id>{} : it->second;
}

std::vector<erasure> card_keys::erased_receipt(std::string_view code) const {
    std::vector<erasure> out;
    for (auto const& e : p_->log)
        if (e.receipt == code) out.push_back(e);
    return out;
}

bool card_keys::erased(card_id const& card) const {
    return p_->erased.count(card) != 0;
}

std::vector<erasure> card_keys::erase(std::span<card_id const> cards, std::string_view asked,
                                      std::string_view by, std::int64_t now) {
    std::vector<erasure> done;
    std::vector<json> events;
    std::set<std::uint32_t> files;
    for (auto const& c : cards) {
        auto it = p_->cards.find(c);
        if (it == p_->cards.end() || p_->erased.count(c)) continue;
        if (std::any_of(done.begin(), done.end(), [&](auto const& e) { return e.card == c; }))
            continue;
        done.push_back(
            {c, seal::receipt_code(it->second.hash), now, std::string(by), std::string(asked)});
        events.push_back(event_of(done.back()));
        files.insert(it->second.files.begin(), it->second.files.end());
    }
    if (done.empty()) return done;
    p_->events->append_all(events);
    for (auto const& e : done) {
        p_->erased[e.card] = p_->log.size();
        p_->log.push_back(e);
    }
    for (auto f : files) p_->rewrite(f);
    for (auto const& e : done) {
        auto it = p_->cards.find(e.card);
        seal::wipe(it->second.key_box.data(), it->second.key_box.size());
        p_->unindex(e.card);
    }
    return done;
}

std::vector<erasure> const& card_keys::erasures() const noexcept {
    return p_->log;
}
std::uint64_t card_keys::size() const noexcept {
    return p_->cards.size();
}
errors const& card_keys::recovery() const noexcept {
    return p_->recovery;
}

seal::bytes read_key_box(fs::path const& dir, card_id const& card) {
    seal::bytes out;
    if (!fs::exists(dir)) return out;
    (void)util::scan_segments(dir, [&](fs::path const&, std::uint64_t, seal::byte_view payload) {
        if (auto k = decode(payload); k && k->card == card) out = std::move(k->key_box);
    });
    return out;
}

result<seal::digest> guest_hash(seal::digest const& index_key, std::string_view email) {
    auto const address = detail::normalize_email(email);
    auto const at = address.find('@');
    bool ok = !address.empty() && address.size() <= max_email_bytes && at != 0 &&
              at != std::string::npos && at + 1 < address.size() &&
              address.find('@', at + 1) == std::string::npos;
    for (unsigned char c : address)
        if (c <= ' ' || c == 0x7f) ok = false;
    if (!ok)
        return fail("bad-email", address.size() > max_email_bytes
                                     ? "an e-mail address is at most " +
                                           std::to_string(max_email_bytes) + " bytes"
                                     : "not an e-mail address (NAME@DOMAIN, no spaces)");
    return seal::keyed_hash(index_key, seal::as_bytes(address));
}

namespace detail {

std::optional<card_key> card_key_of(record const& r, seal::digest const& hash,
                                    opened_card const& opened, seal::digest const& guest_key) {
    if (opened.personal != personal_part::opened) return std::nullopt;
    card_key k{{r.device, r.seq}, hash, r.key_box, {}};
    for (auto const& [id, kind] : opened.personal_questions) {
        if (kind != "email" || k.guests.size() == max_guests_per_card) continue;
        auto const* a = opened.response.find(id);
        auto const* text = a == nullptr ? nullptr : std::get_if<std::string>(a);
        if (text == nullptr) continue;
        if (auto g = guest_hash(guest_key, *text);
            g && std::find(k.guests.begin(), k.guests.end(), *g) == k.guests.end())
            k.guests.push_back(*g);
    }
    return k;
}

}  // namespace detail

}  // namespace candor::journal
