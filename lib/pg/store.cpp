#include "candor/pg/store.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <stdexcept>

#include "pg/connection.hpp"
#include "pg/schema.hpp"

namespace candor::pg {

using namespace candor::journal;
using detail::bytes_at;
using detail::null_at;
using detail::number_at;
using detail::params;
using detail::text_at;

namespace {

// Held from a change's first write of records to its commit: positions are given, and
// become visible, in the order the changes commit, so a reader after position N misses none.
constexpr std::int64_t positions_lock = 0x43616e646f72'02;
// Records read per round trip by for_each_after: memory stays flat whatever the store holds.
constexpr int read_chunk = 2000;

seal::digest digest_of(seal::byte_view v) {
    seal::digest d{};
    if (v.size() != d.size())
        throw std::runtime_error("store-failed: a stored hash of the wrong size");
    std::copy(v.begin(), v.end(), d.begin());
    return d;
}

record record_of(seal::byte_view payload) {
    auto r = from_payload(payload);
    if (!r)
        throw std::runtime_error("store-failed: a stored record does not read: " +
                                 r.error().front().message);
    return std::move(*r);
}

class pg_backend final : public store_backend {
  public:
    explicit pg_backend(detail::connection c) : c_(std::move(c)) { prepare(); }

    device_views begin(std::vector<wanted_cards> const& wanted) override {
        // A server restarted since the last change: connect again (prepared statements and
        // the temporary table went with the old session).
        if (c_.broken()) {
            if (!c_.reset())
                throw std::runtime_error("store-unreachable: the store's database does not answer");
            prepare();
        }
        std::vector<std::string> names;
        std::vector<std::int64_t> from, to;
        for (auto const& w : wanted) {
            names.push_back(w.device);
            from.push_back(static_cast<std::int64_t>(std::min<std::uint64_t>(w.from, max_seq)));
            to.push_back(static_cast<std::int64_t>(std::min<std::uint64_t>(w.to, max_seq)));
        }
        auto const devices = detail::text_array(names);
        c_.run("BEGIN");
        in_change_ = true;
        // The devices in one order in every change: two changes never wait on each other.
        c_.run_prepared("lock", params().text(devices));
        device_views out;
        for (auto const& w : wanted) out[w.device];
        auto links = c_.run_prepared(
            "links",
            params().text(devices).text(detail::number_array(from)).text(detail::number_array(to)));
        for (int i = 0; i < PQntuples(links.get()); ++i)
            out[text_at(links.get(), i, 0)]
                .links[static_cast<std::uint64_t>(number_at(links.get(), i, 1))] = {
                digest_of(bytes_at(links.get(), i, 2)), digest_of(bytes_at(links.get(), i, 3)), 0};
        auto heads = c_.run_prepared("heads", params().text(devices));
        for (int i = 0; i < PQntuples(heads.get()); ++i) {
            auto h = parse_head(text_at(heads.get(), i, 1));
            if (!h) throw std::runtime_error("store-failed: a stored head does not read");
            known_head k{std::move(*h), std::nullopt, number_at(heads.get(), i, 3)};
            if (!null_at(heads.get(), i, 2))
                k.after = static_cast<std::uint64_t>(number_at(heads.get(), i, 2));
            out[text_at(heads.get(), i, 0)].heads.push_back(std::move(k));
        }
        auto keys = c_.run_prepared("alert_keys", params().text(devices));
        for (int i = 0; i < PQntuples(keys.get()); ++i)
            out[text_at(keys.get(), i, 0)].alert_keys.insert(text_at(keys.get(), i, 1));
        return out;
    }

    void add(std::vector<accepted_record> const& records) override {
        if (records.empty()) return;
        c_.run("SELECT pg_advisory_xact_lock($1)", params().number(positions_lock));
        auto top = c_.run("SELECT coalesce(max(position), 0) FROM records");
        auto position = number_at(top.get(), 0, 0);
        detail::copy_rows rows;
        for (auto const& a : records) {
            rows.row(7);
            rows.number(++position);
            rows.text(a.r.device);
            rows.number(static_cast<std::int64_t>(a.r.seq));
            rows.bytes(to_payload(a.r));
            rows.bytes(a.hash);
            rows.bytes(a.r.prev);
            rows.text(receipt(a.r));
        }
        c_.copy_in("COPY incoming FROM STDIN (FORMAT binary)", rows.done());
        auto inserted = c_.run(
            "INSERT INTO records SELECT * FROM incoming ORDER BY position "
            "ON CONFLICT (device, seq) DO NOTHING");
        // The devices are locked: another writer that stored one of these numbers meanwhile
        // did not take the lock, and the change is refused rather than give positions gaps.
        if (std::stoull(PQcmdTuples(inserted.get())) != records.size())
            throw std::runtime_error(
                "store-failed: records stored by a writer that did not lock their device");
    }

    void add(std::vector<known_head> const& heads, std::vector<alert> const& alerts) override {
        if (!heads.empty()) {
            std::vector<std::string> device, text;
            std::vector<std::int64_t> after, received;
            std::vector<bool> no_after;
            for (auto const& k : heads) {
                device.push_back(k.head.device);
                text.push_back(format_head(k.head));
                after.push_back(static_cast<std::int64_t>(k.after.value_or(0)));
                no_after.push_back(!k.after);
                received.push_back(k.received);
            }
            c_.run_prepared("add_heads", params()
                                             .text(detail::text_array(device))
                                             .text(detail::text_array(text))
                                             .text(detail::number_array(after, no_after))
                                             .text(detail::number_array(received)));
        }
        if (!alerts.empty()) {
            std::vector<std::string> key, code, message, file, device;
            std::vector<std::int64_t> seq, raised;
            for (auto const& a : alerts) {
                auto const& e = a.problem;
                key.push_back(alert_key(e));
                code.push_back(e.code);
                message.push_back(e.message);
                file.push_back(e.where.file);
                device.push_back(e.where.device);
                seq.push_back(static_cast<std::int64_t>(e.where.seq));
                raised.push_back(a.raised);
            }
            c_.run_prepared("add_alerts", params()
                                              .text(detail::text_array(key))
                                              .text(detail::text_array(code))
                                              .text(detail::text_array(message))
                                              .text(detail::text_array(file))
                                              .text(detail::text_array(device))
                                              .text(detail::number_array(seq))
                                              .text(detail::number_array(raised)));
        }
    }

    chain_shape shape(std::string_view device) const override {
        chain_shape out;
        auto const d = std::string(device);
        auto span = c_.run_prepared("span", params().text(d));
        if (null_at(span.get(), 0, 0)) return out;
        auto const low = static_cast<std::uint64_t>(number_at(span.get(), 0, 0));
        auto const high = static_cast<std::uint64_t>(number_at(span.get(), 0, 1));
        auto const count = static_cast<std::uint64_t>(number_at(span.get(), 0, 2));
        out.highest = high;
        if (low > 1) out.missing.emplace_back(1, low - 1);
        if (count != high - low + 1) {
            auto gaps = c_.run_prepared("gaps", params().text(d));
            for (int i = 0; i < PQntuples(gaps.get()); ++i)
                out.missing.emplace_back(static_cast<std::uint64_t>(number_at(gaps.get(), i, 0)),
                                         static_cast<std::uint64_t>(number_at(gaps.get(), i, 1)));
        }
        if (low == 1) {
            auto const seq = out.missing.empty() ? high : out.missing.front().first - 1;
            auto hash =
                c_.run_prepared("hash", params().text(d).number(static_cast<std::int64_t>(seq)));
            out.held = {seq, digest_of(bytes_at(hash.get(), 0, 0))};
        }
        return out;
    }

    void commit() override {
        c_.run("COMMIT");
        in_change_ = false;
    }
    void rollback() noexcept override {
        if (in_change_) c_.run_quietly("ROLLBACK");
        in_change_ = false;
    }

    std::optional<record> find(std::string_view device, std::uint64_t seq) const override {
        auto r = c_.run_prepared(
            "find", params()
                        .text(std::string(device))
                        .number(static_cast<std::int64_t>(std::min<std::uint64_t>(seq, max_seq))));
        if (PQntuples(r.get()) == 0) return std::nullopt;
        return record_of(bytes_at(r.get(), 0, 0));
    }

    std::uint64_t for_each_after(std::uint64_t position,
                                 position_visit const& visit) const override {
        for (;;) {
            auto r = c_.run_prepared(
                "after", params().number(static_cast<std::int64_t>(position)).number(read_chunk));
            auto const n = PQntuples(r.get());
            for (int i = 0; i < n; ++i) {
                position = static_cast<std::uint64_t>(number_at(r.get(), i, 0));
                auto rec = record_of(bytes_at(r.get(), i, 1));
                visit(position, rec);
            }
            if (n < read_chunk) return position;
        }
    }

    std::vector<record> find_receipt(std::string_view code) const override {
        auto r = c_.run_prepared("receipt", params().text(std::string(code)));
        std::vector<record> out;
        for (int i = 0; i < PQntuples(r.get()); ++i)
            out.push_back(record_of(bytes_at(r.get(), i, 0)));
        return out;
    }

    std::vector<alert> alerts() const override {
        auto r = c_.run("SELECT code, message, file, device, seq, raised FROM alerts ORDER BY id");
        std::vector<alert> out;
        for (int i = 0; i < PQntuples(r.get()); ++i)
            out.push_back({{severity::error,
                            text_at(r.get(), i, 0),
                            text_at(r.get(), i, 1),
                            {.file = text_at(r.get(), i, 2),
                             .device = text_at(r.get(), i, 3),
                             .seq = static_cast<std::uint64_t>(number_at(r.get(), i, 4))}},
                           number_at(r.get(), i, 5)});
        return out;
    }

    std::uint64_t size() const override {
        auto r = c_.run("SELECT coalesce(max(position), 0) FROM records");
        return static_cast<std::uint64_t>(number_at(r.get(), 0, 0));
    }

    errors const& recovery() const noexcept override { return none_; }

  private:
    static constexpr std::uint64_t max_seq = std::numeric_limits<std::int64_t>::max();

    void prepare() {
        c_.run(
            "CREATE TEMPORARY TABLE IF NOT EXISTS incoming (LIKE records) ON COMMIT DELETE ROWS");
        c_.prepare("lock",
                   "SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT "
                   "hashtextextended(d, 0) AS k FROM unnest($1::text[]) AS d ORDER BY k) AS s");
        c_.prepare("links",
                   "SELECT r.device, r.seq, r.record_hash, r.prev FROM records r JOIN "
                   "unnest($1::text[], $2::bigint[], $3::bigint[]) AS w(d, lo, hi) "
                   "ON r.device = w.d AND r.seq BETWEEN w.lo AND w.hi");
        c_.prepare("heads",
                   "SELECT device, head, after, received FROM heads "
                   "WHERE device = ANY($1::text[]) ORDER BY id");
        c_.prepare("alert_keys", "SELECT device, key FROM alerts WHERE device = ANY($1::text[])");
        c_.prepare("add_heads",
                   "INSERT INTO heads (device, head, after, received) SELECT * FROM "
                   "unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) "
                   "ON CONFLICT (head) DO NOTHING");
        c_.prepare("add_alerts",
                   "INSERT INTO alerts (key, code, message, file, device, seq, raised) "
                   "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], "
                   "$5::text[], $6::bigint[], $7::bigint[]) ON CONFLICT (key) DO NOTHING");
        c_.prepare("span", "SELECT min(seq), max(seq), count(*) FROM records WHERE device = $1");
        c_.prepare("gaps",
                   "SELECT seq + 1, next - 1 FROM (SELECT seq, lead(seq) OVER (ORDER BY seq) "
                   "AS next FROM records WHERE device = $1) AS s WHERE next > seq + 1 "
                   "ORDER BY seq");
        c_.prepare("hash", "SELECT record_hash FROM records WHERE device = $1 AND seq = $2");
        c_.prepare("find", "SELECT record FROM records WHERE device = $1 AND seq = $2");
        c_.prepare("after",
                   "SELECT position, record FROM records WHERE position > $1 "
                   "ORDER BY position LIMIT $2");
        c_.prepare("receipt", "SELECT record FROM records WHERE receipt = $1 ORDER BY position");
    }

    mutable detail::connection c_;
    bool in_change_ = false;
    errors none_;
};

}  // namespace

result<journal::store> open(std::string const& location) {
    auto c = detail::connection::open(location);
    if (!c) return unexpected(std::move(c).error());
    try {
        auto const v = detail::version_of(*c);
        if (v < schema_version)
            return fail("schema-too-old", "the database's schema is version " + std::to_string(v) +
                                              ", this Candor "
                                              "needs version " +
                                              std::to_string(schema_version) +
                                              ": run `candor hq migrate --store LOCATION` first");
        if (v > schema_version)
            return fail("schema-too-new", "the database's schema is version " + std::to_string(v) +
                                              ", newer than this Candor's (" +
                                              std::to_string(schema_version) + "): upgrade Candor");
        return journal::store(std::make_unique<pg_backend>(std::move(*c)));
    } catch (std::runtime_error const& e) {
        return fail(std::string(e.what()).starts_with("store-unreachable") ? "store-unreachable"
                                                                           : "store-failed",
                    e.what());
    }
}

bool is_database(std::string_view location) noexcept {
    if (location.starts_with("postgresql://") || location.starts_with("postgres://")) return true;
    // A connection string: keyword=value pairs ("host=/run/postgresql dbname=candor").
    auto const eq = location.find('=');
    if (eq == std::string_view::npos || eq == 0) return false;
    auto const key = location.substr(0, eq);
    auto const start = key.find_first_not_of(' ');
    if (start == std::string_view::npos) return false;
    return std::all_of(key.begin() + static_cast<std::ptrdiff_t>(start), key.end(), [](char c) {
        return std::islower(static_cast<unsigned char>(c)) || c == '_' || c == ' ';
    });
}

result<journal::store> open_store(std::string const& location, journal::segment_options options) {
    if (is_database(location)) return open(location);
    return journal::store::open(location, options);
}

}  // namespace candor::pg
