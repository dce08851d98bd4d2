#include <array>
#include <string>

#include "candor/pg/store.hpp"
#include "pg/schema.hpp"

namespace candor::pg {

namespace {

// Migration i brings the schema from version i to i + 1. Never edit one that shipped: add
// the next.
constexpr std::array<char const*, schema_version> migrations{
    // 1: records in the order accepted (position, from 1 without a gap), heads, alerts.
    R"sql(
CREATE TABLE records (
    position bigint PRIMARY KEY,
    device text NOT NULL,
    seq bigint NOT NULL,
    record bytea NOT NULL,
    record_hash bytea NOT NULL,
    prev bytea NOT NULL,
    receipt text NOT NULL,
    UNIQUE (device, seq)
);
CREATE TABLE heads (
    id bigserial PRIMARY KEY,
    device text NOT NULL,
    head text NOT NULL UNIQUE,
    after bigint,
    received bigint NOT NULL
);
CREATE INDEX heads_by_device ON heads (device, id);
CREATE TABLE alerts (
    id bigserial PRIMARY KEY,
    key text NOT NULL UNIQUE,
    code text NOT NULL,
    message text NOT NULL,
    file text NOT NULL,
    device text NOT NULL,
    seq bigint NOT NULL,
    raised bigint NOT NULL
);
)sql",
    // 2: receipts looked up by index, alerts read by device.
    R"sql(
CREATE INDEX records_by_receipt ON records (receipt);
CREATE INDEX alerts_by_device ON alerts (device);
)sql",
};

// Taken by every migration's transaction: two migrators never run one step twice.
constexpr std::int64_t migration_lock = 0x43616e646f72'01;  // "Candor", 1

}  // namespace

namespace detail {

int version_of(connection& c) {
    auto exists = c.run("SELECT to_regclass('schema_version') IS NOT NULL");
    if (text_at(exists.get(), 0, 0) != std::string(1, '\x01')) return 0;
    auto v = c.run("SELECT coalesce(max(version), 0) FROM schema_version");
    return static_cast<int>(number_at(v.get(), 0, 0));
}

}  // namespace detail

result<migrate_report> migrate(std::string const& location, int to) {
    if (to < 0 || to > schema_version)
        return fail("bad-version",
                    "this Candor knows schema versions 0 to " + std::to_string(schema_version));
    auto c = detail::connection::open(location);
    if (!c) return unexpected(std::move(c).error());
    migrate_report out;
    try {
        for (bool first = true;; first = false) {
            c->run("BEGIN");
            c->run("SELECT pg_advisory_xact_lock($1)", detail::params().number(migration_lock));
            c->run("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)");
            auto const v = detail::version_of(*c);
            if (first) out.from = v;
            out.to = v;
            if (v > to) {
                c->run("ROLLBACK");
                return fail("schema-too-new", "the database's schema is version " +
                                                  std::to_string(v) + ", newer than version " +
                                                  std::to_string(to) +
                                                  " this Candor would migrate to: upgrade Candor");
            }
            if (v == to) {
                c->run("COMMIT");
                return out;
            }
            c->run_script(migrations[static_cast<std::size_t>(v)]);
            c->run("DELETE FROM schema_version");
            c->run("INSERT INTO schema_version VALUES ($1)", detail::params().number(v + 1));
            c->run("COMMIT");
        }
    } catch (std::runtime_error const& e) {
        c->run_quietly("ROLLBACK");
        return fail(std::string(e.what()).starts_with("store-unreachable") ? "store-unreachable"
                                                                           : "migrate-failed",
                    e.what());
    }
}

}  // namespace candor::pg
