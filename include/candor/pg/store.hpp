// Head office's store in PostgreSQL (docs/postgresql.md): the checks of journal::store over a
// backend that keeps records, heads and alerts in tables, so that several import machines
// write one store at once. Each change is one transaction that first locks the devices it
// touches (pg_advisory_xact_lock), then reads what it checks against from the tables; a card
// counts as accepted once its transaction committed.
// Thread safety: a store opened here holds one connection and is used by one thread at a
// time; open one per thread or process. The free functions share nothing.
#pragma once

#include <string>
#include <string_view>

#include "candor/error.hpp"
#include "candor/journal/segment.hpp"
#include "candor/journal/store.hpp"

namespace candor::pg {

// The schema this build reads and writes; migrate() brings a database to it.
inline constexpr int schema_version = 2;

struct migrate_report {
    int from = 0;  // the version found (0: an empty database)
    int to = 0;    // the version left
};

// Creates or upgrades the schema at `location` to `to` (schema_version by default), one
// migration per transaction; running it again changes nothing. Fails with
// "schema-too-new" when the database is ahead of `to` (a newer Candor migrated it), and as
// open_store otherwise.
result<migrate_report> migrate(std::string const& location, int to = schema_version);

// Opens the store in the database at `location`: a libpq connection string
// ("host=... dbname=...") or a postgresql:// (postgres://) URL. The password comes from
// PGPASSFILE, ~/.pgpass or PGPASSWORD, never from the location ("password-in-location").
// Fails with "store-unreachable" (no server, bad location, refused login), "schema-too-old"
// (run migrate) or "schema-too-new". Afterwards, what cannot reach the server throws
// std::runtime_error starting "store-unreachable: ".
result<journal::store> open(std::string const& location);

// True when `location` names a database (a URL or a connection string), not a directory.
bool is_database(std::string_view location) noexcept;

// The one opener of head office's store: the database `location` names, or else the file
// store in the directory `location` (journal::store::open with `options`).
result<journal::store> open_store(std::string const& location,
                                  journal::segment_options options = {});

}  // namespace candor::pg
