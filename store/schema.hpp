// The ticket store's schema, created and migrated by the program: a
// schema_version table holds the version; each migration takes the schema
// one version up, in the same transaction as the version bump. A database
// whose version is newer than this binary knows is refused, not touched.
#pragma once

#include "store/sql_connection.hpp"

namespace switchboard::store {

// 2: the (agent, state) index (main's, from ticketsim), 3: the callbacks
// table, 4: the open tickets of each agent, counted as they change.
inline constexpr int kSchemaVersion = 5;

// Brings the database to kSchemaVersion (creating it when empty). Throws
// StoreError for a newer schema, or for tables of ours without a version.
void migrate(SqlConnection& db);

// The version stored in the database (0: none yet).
int schema_version(SqlConnection& db);

}  // namespace switchboard::store
