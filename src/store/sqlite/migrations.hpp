// Schema migrations of the SQLite backend.
//
// Each migration is a file src/store/sqlite/migrations/NNNN_name.sql, numbered from 1 without
// gaps and embedded into the binary at build time (embed_migrations.cmake), so a deployed
// `tandem` carries its schema. Applied versions are recorded in schema_migrations(version,
// name, applied_at); each pending migration runs in its own transaction together with its
// record, so a failure leaves the database at the previous version. Migrations are never edited
// once released: a change to the schema is a new file.
#pragma once

#include <span>
#include <string_view>

#include "core/error.hpp"
#include "store/sqlite/connection.hpp"

namespace tandem::store::sqlite {

struct Migration {
  int version;
  std::string_view name;  // "0001_init"
  std::string_view sql;
};

// Every migration of this build, in version order (generated source).
std::span<const Migration> EmbeddedMigrations();

// The highest version recorded in `conn`'s schema_migrations, 0 for a new database.
Result<int> AppliedVersion(Connection& conn);

// Applies the pending `migrations` through `conn` (a writable connection) and returns the
// version the database is at afterwards. kFailedPrecondition when the database is newer than
// this build; the error of the failing migration otherwise.
Result<int> ApplyMigrations(Connection& conn, std::span<const Migration> migrations);

}  // namespace tandem::store::sqlite
