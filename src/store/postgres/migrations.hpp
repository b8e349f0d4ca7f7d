// Schema migrations of the PostgreSQL backend.
//
// Each migration is a file src/store/postgres/migrations/NNNN_name.sql with the number and the
// meaning of the SQLite migration of the same number (docs/postgres.md), embedded into the
// binary at build time by the SQLite backend's embed_migrations.cmake. Applied versions are
// recorded in schema_migrations(version, name, applied_at). Each pending migration runs in its
// own transaction with its record (PostgreSQL's DDL is transactional), so a failure leaves the
// database at the previous version; a session-level advisory lock makes several app servers
// starting at once migrate one after the other.
#pragma once

#include <span>
#include <string_view>

#include "core/error.hpp"
#include "store/postgres/connection.hpp"

namespace tandem::store::postgres {

struct Migration {
  int version;
  std::string_view name;  // "0001_init"
  std::string_view sql;
};

// Every migration of this build, in version order (generated source).
std::span<const Migration> EmbeddedMigrations();

// The highest version recorded in schema_migrations, 0 for a new database.
Result<int> AppliedVersion(Connection& conn);

// Applies the pending `migrations` and returns the version the database is at afterwards.
// kFailedPrecondition when the database is newer than this build; the error of the failing
// migration otherwise.
Result<int> ApplyMigrations(Connection& conn, std::span<const Migration> migrations);

}  // namespace tandem::store::postgres
