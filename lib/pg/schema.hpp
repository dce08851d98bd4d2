// The store's schema: migrations in order, each run in its own transaction.
#pragma once

#include "candor/error.hpp"
#include "pg/connection.hpp"

namespace candor::pg::detail {

// The version the database holds: 0 for an empty one.
int version_of(connection& c);

}  // namespace candor::pg::detail
