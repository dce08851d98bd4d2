#include "journal/file_store.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <system_error>

#include "candor/journal/inspect.hpp"
#include "candor/journal/store.hpp"
#include "util/event_log.hpp"
#include "util/frame.hpp"
#include "util/segments.hpp"

namespace candor::journal::detail {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// The lock keeps every other writer out, so what is held in memory is what is on disk.
class file_backend final : public store_backend {
  public:
    file_backend(util::dir_lock l, fs::path d, util::segment_writer w,
                 std::map<std::string, chain_links, std::less<>> by_device, std::uint64_t n,
                 errors r, std::vector<util::segment_position> marks)
        : lock_(std::move(l)),
          dir_(std::move(d)),
          writer_(std::move(w)),
          devices_(std::move(by_device)),
          size_(n),
          recovery_(std::move(r)),
          marks_(std::move(marks)) {}

    void keep_log(util::event_log log) { integrity_.emplace(std::move(log)); }

    void apply(json const& e) {
        auto const t = e.at("t").get<std::string>();
        if (t == "head") {
            auto h = parse_head(e.at("head").get<std::string>());
            if (!h) throw json::other_error::create(501, "a head event without a head", nullptr);
            std::optional<std::uint64_t> after;
            if (!e.at("after").is_null()) after = e.at("after").get<std::uint64_t>();
            auto device = h->device;
            heads_[device].push_back({std::move(*h), after, e.value("received", std::int64_t{0})});
        } else if (t == "alert") {
            alert a{{severity::error,
                     e.at("code"),
                     e.at("message"),
                     {.file = e.at("file"), .device = e.at("device"), .seq = e.at("seq")}},
                    e.at("raised")};
            alert_keys_[a.problem.where.device].insert(alert_key(a.problem));
            alerts_.push_back(std::move(a));
        }
    }

    device_views begin(std::vector<wanted_cards> const& wanted) override {
        device_views out;
        for (auto const& w : wanted) {
            auto& v = out[w.device];
            if (auto h = heads_.find(w.device); h != heads_.end()) v.heads = h->second;
            if (auto k = alert_keys_.find(w.device); k != alert_keys_.end())
                v.alert_keys = k->second;
            auto ch = devices_.find(w.device);
            if (ch == devices_.end() || w.from > w.to) continue;
            for (auto it = ch->second.lower_bound(w.from);
                 it != ch->second.end() && it->first <= w.to; ++it)
                v.links.insert(*it);
        }
        return out;
    }

    void add(std::vector<accepted_record> const& records) override {
        if (records.empty()) return;
        seal::bytes frames;
        for (auto const& a : records) util::append_frame(frames, to_payload(a.r));
        writer_.append(frames);
        for (auto const& a : records) devices_[a.r.device][a.r.seq] = {a.hash, a.r.prev, ++size_};
    }

    void add(std::vector<known_head> const& heads, std::vector<alert> const& alerts) override {
        std::vector<json> events;
        for (auto const& k : heads) {
            json event{{"t", "head"},
                       {"head", format_head(k.head)},
                       {"after", nullptr},
                       {"received", k.received}};
            if (k.after) event["after"] = *k.after;
            events.push_back(std::move(event));
        }
        for (auto const& a : alerts) {
            auto const& e = a.problem;
            events.push_back({{"t", "alert"},
                              {"code", e.code},
                              {"message", e.message},
                              {"file", e.where.file},
                              {"device", e.where.device},
                              {"seq", e.where.seq},
                              {"raised", a.raised}});
        }
        if (events.empty()) return;
        integrity_->append_all(events);
        for (auto const& e : events) apply(e);
    }

    chain_shape shape(std::string_view device) const override {
        chain_shape out;
        auto it = devices_.find(device);
        if (it == devices_.end()) return out;
        std::uint64_t next = 1;
        bool unbroken = true;
        for (auto const& [seq, l] : it->second) {
            if (seq > next) out.missing.emplace_back(next, seq - 1), unbroken = false;
            if (unbroken) out.held = {seq, l.hash};
            next = seq + 1;
        }
        out.highest = next - 1;
        return out;
    }

    void commit() override {}  // each add() was durable when it returned
    void rollback() noexcept override {}

    // Read from its position, not found by a scan.
    std::optional<record> find(std::string_view device, std::uint64_t seq) const override {
        auto held = devices_.find(device);
        if (held == devices_.end()) return std::nullopt;
        auto it = held->second.find(seq);
        if (it == held->second.end()) return std::nullopt;
        std::optional<record> out;
        read_after(it->second.position - 1, [&](std::uint64_t, record& r) {
            if (r.device == device && r.seq == seq) out = std::move(r);
            return false;
        });
        return out;
    }

    std::uint64_t for_each_after(std::uint64_t position,
                                 position_visit const& visit) const override {
        return std::max(position, read_after(position, [&](std::uint64_t at, record& r) {
                            visit(at, r);
                            return true;
                        }));
    }

    std::vector<record> find_receipt(std::string_view code) const override {
        std::vector<record> found;
        for_each_after(0, [&](std::uint64_t, record const& r) {
            if (receipt(r) == code) found.push_back(r);
        });
        return found;
    }

    std::vector<alert> alerts() const override { return alerts_; }
    std::uint64_t size() const override { return size_; }
    errors const& recovery() const noexcept override { return recovery_; }

  private:
    // Reads the records after `after` in order, from the nearest mark before it, until
    // `visit` returns false; returns the last position read.
    std::uint64_t read_after(std::uint64_t after,
                             std::function<bool(std::uint64_t, record&)> const& visit) const {
        std::uint64_t at = 0;
        util::segment_position from;
        if (!marks_.empty()) {
            auto const k = std::min<std::uint64_t>(after / store_mark_every, marks_.size() - 1);
            at = k * store_mark_every;
            from = marks_[k];
        }
        util::read_segments_from(dir_, from,
                                 [&](fs::path const&, std::uint64_t, seal::byte_view payload) {
                                     auto r = from_payload(payload);
                                     if (!r) return true;  // open() reported it, uncounted
                                     return ++at <= after || visit(at, *r);
                                 });
        return at;
    }

    util::dir_lock lock_;
    fs::path dir_;
    util::segment_writer writer_;
    std::map<std::string, chain_links, std::less<>> devices_;
    std::uint64_t size_ = 0;
    errors recovery_;
    std::optional<util::event_log> integrity_;
    std::map<std::string, std::vector<known_head>, std::less<>> heads_;
    std::map<std::string, std::set<std::string>, std::less<>> alert_keys_;
    std::vector<alert> alerts_;
    // Where records 1, 1 + store_mark_every, 1 + 2 * store_mark_every... start, of those
    // read at open: a read after a later one starts at the last mark and reads on.
    std::vector<util::segment_position> marks_;
};

}  // namespace

result<std::unique_ptr<store_backend>> open_file_backend(fs::path const& dir,
                                                         segment_options options) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || fs::exists(dir / device_file_name))
        return fail(
            "not-a-store",
            ec ? "cannot create: " + ec.message() : "a device journal, not head office's store",
            {.file = dir.string()});
    std::optional<util::dir_lock> lock;
    try {
        lock.emplace(dir);
    } catch (std::system_error const& e) {
        return fail("in-use", e.what(), {.file = dir.string()});
    }
    std::map<std::string, chain_links, std::less<>> devices;
    std::uint64_t size = 0;
    errors recovery;
    std::vector<util::segment_position> marks;
    auto scanned = util::scan_segments(
        dir, [&](fs::path const& file, std::uint64_t offset, seal::byte_view payload) {
            auto r = from_payload(payload);
            if (!r) {
                recovery.push_back({severity::error,
                                    "bad-record",
                                    r.error().front().message,
                                    {.file = file.string(), .offset = offset}});
                return;
            }
            if (size % store_mark_every == 0) marks.push_back({file.filename().string(), offset});
            devices[r->device][r->seq] = {record_hash(*r), r->prev, ++size};
        });
    recovery.insert(recovery.begin(), scanned.found.begin(), scanned.found.end());
    if (scanned.torn) {
        util::cut_torn_tail(*scanned.torn);
        recovery.push_back({severity::warning,
                            "torn-tail-cut",
                            "cut off an unfinished last write (an import the crash interrupted; "
                            "import its bundles again)",
                            {.file = scanned.torn->file.string(), .offset = scanned.torn->offset}});
    }
    std::vector<json> events;
    auto integrity = util::event_log::open(dir / "integrity", options,
                                           [&](json const& e) { events.push_back(e); });
    if (!integrity) return unexpected(std::move(integrity).error());
    auto p = std::make_unique<file_backend>(
        std::move(*lock), dir, util::segment_writer(dir, scanned, options), std::move(devices),
        size, std::move(recovery), std::move(marks));
    p->keep_log(std::move(*integrity));
    try {
        for (auto const& e : events) p->apply(e);
    } catch (json::exception const& e) {
        return fail("bad-event", e.what(), {.file = (dir / "integrity").string()});
    }
    return std::unique_ptr<store_backend>(std::move(p));
}

}  // namespace candor::journal::detail
