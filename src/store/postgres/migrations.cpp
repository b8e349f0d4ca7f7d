#include "store/postgres/migrations.hpp"

#include <string>

namespace tandem::store::postgres {

using core::Error;
using core::Fail;

namespace {

// The advisory lock key held while migrating ('tandem' 'migr' in ASCII).
constexpr const char* kLock = "SELECT pg_advisory_lock(7809644331890254194)";
constexpr const char* kUnlock = "SELECT pg_advisory_unlock(7809644331890254194)";

constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at TEXT NOT NULL)";

Result<bool> IsApplied(Connection& conn, int version) {
  TANDEM_ASSIGN(auto stmt,
                conn.Prepare("SELECT count(*) FROM schema_migrations WHERE version = $1"));
  stmt.Bind(version);
  TANDEM_TRY(stmt.Step());
  return stmt.Int(0) > 0;
}

Result<void> ApplyOne(Connection& conn, const Migration& m) {
  TANDEM_TRY(conn.Exec("BEGIN"));
  auto applied = [&]() -> Result<void> {
    TANDEM_TRY(conn.Exec(m.sql));
    TANDEM_ASSIGN(auto record, conn.Prepare("INSERT INTO schema_migrations (version, name, "
                                            "applied_at) VALUES ($1, $2, to_char(now() AT TIME "
                                            "ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'))"));
    record.Bind(m.version).Bind(m.name);
    TANDEM_TRY(record.Run());
    return conn.Exec("COMMIT");
  }();
  if (!applied) {
    (void)conn.Exec("ROLLBACK");
    Error e = std::move(applied.error());
    e.message = "migration " + std::string(m.name) + " failed: " + e.message;
    return Fail(std::move(e));
  }
  return {};
}

Result<int> ApplyLocked(Connection& conn, std::span<const Migration> migrations) {
  TANDEM_TRY(conn.Exec(kCreateTable));
  TANDEM_ASSIGN(int version, AppliedVersion(conn));
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  if (version > latest) {
    return Fail(Error::Precondition("the database is at schema version " + std::to_string(version) +
                                    ", newer than this build of Tandem knows (" +
                                    std::to_string(latest) + ")"));
  }
  // Every migration not yet recorded is applied, in order, as in SQLite.
  for (const Migration& m : migrations) {
    TANDEM_ASSIGN(bool applied, IsApplied(conn, m.version));
    if (!applied) TANDEM_TRY(ApplyOne(conn, m));
  }
  return AppliedVersion(conn);
}

}  // namespace

Result<int> AppliedVersion(Connection& conn) {
  TANDEM_ASSIGN(auto exists, conn.Prepare("SELECT to_regclass('schema_migrations') IS NOT NULL"));
  TANDEM_TRY(exists.Step());
  if (exists.Int(0) == 0) return 0;
  TANDEM_ASSIGN(auto max, conn.Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations"));
  TANDEM_TRY(max.Step());
  return static_cast<int>(max.Int(0));
}

Result<int> ApplyMigrations(Connection& conn, std::span<const Migration> migrations) {
  // Up to date: nothing is written, not even the CREATE TABLE IF NOT EXISTS, which a read-only
  // hot standby refuses (docs/deploy.md, "Read replicas").
  TANDEM_ASSIGN(int applied, AppliedVersion(conn));
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  if (applied > 0 && applied <= latest) {
    bool all = true;
    for (const Migration& m : migrations) {
      TANDEM_ASSIGN(bool done, IsApplied(conn, m.version));
      if (!done) {
        all = false;
        break;
      }
    }
    if (all) return applied;
  }
  TANDEM_ASSIGN(auto recovery, conn.Prepare("SELECT pg_is_in_recovery()::int"));
  TANDEM_TRY(recovery.Step());
  if (recovery.Int(0) == 1 && applied <= latest) {
    return Fail(Error::Precondition(
        "the database is a read-only standby whose schema is not this build's (version " +
        std::to_string(applied) + ", this build needs " + std::to_string(latest) +
        "): upgrade through the primary first"));
  }
  TANDEM_TRY(conn.Exec(kLock));
  auto version = ApplyLocked(conn, migrations);
  (void)conn.Exec(kUnlock);
  return version;
}

}  // namespace tandem::store::postgres
