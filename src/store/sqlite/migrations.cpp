#include "store/sqlite/migrations.hpp"

#include <string>

namespace tandem::store::sqlite {

using core::Error;
using core::Fail;

namespace {

constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at TEXT NOT NULL)";

Result<void> ApplyOne(Connection& conn, const Migration& m) {
  TANDEM_TRY(conn.Exec(std::string(m.sql).c_str()));
  TANDEM_ASSIGN(auto record,
                conn.Prepare("INSERT INTO schema_migrations (version, name, applied_at) "
                             "VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"));
  record.Bind(m.version).Bind(m.name);
  return record.Run();
}

Result<bool> IsApplied(Connection& conn, int version) {
  TANDEM_ASSIGN(auto stmt,
                conn.Prepare("SELECT count(*) FROM schema_migrations WHERE version = ?"));
  stmt.Bind(version);
  TANDEM_TRY(stmt.Step());
  return stmt.Int(0) > 0;
}

// A migration that builds a table again (SQLite changes no CHECK in place) runs with foreign
// keys off, as SQLite's documented procedure for it says: dropping the old table must not
// cascade into the tables that refer to it. They are checked before the commit instead.
constexpr std::string_view kRebuildsTables = "-- tandem: rebuilds tables";

Result<void> CheckForeignKeys(Connection& conn) {
  TANDEM_ASSIGN(auto check, conn.Prepare("PRAGMA foreign_key_check"));
  TANDEM_ASSIGN(bool row, check.Step());
  if (!row) return {};
  return Fail(Error::Internal("a row of " + check.Text(0) + " refers to a missing row of " +
                              check.Text(2)));
}

}  // namespace

Result<int> AppliedVersion(Connection& conn) {
  TANDEM_ASSIGN(auto exists, conn.Prepare("SELECT count(*) FROM sqlite_schema "
                                          "WHERE type = 'table' AND name = 'schema_migrations'"));
  TANDEM_TRY(exists.Step());
  if (exists.Int(0) == 0) return 0;
  TANDEM_ASSIGN(auto max, conn.Prepare("SELECT ifnull(max(version), 0) FROM schema_migrations"));
  TANDEM_TRY(max.Step());
  return static_cast<int>(max.Int(0));
}

Result<int> ApplyMigrations(Connection& conn, std::span<const Migration> migrations) {
  TANDEM_TRY(conn.Exec(kCreateTable));
  TANDEM_ASSIGN(int version, AppliedVersion(conn));
  int latest = migrations.empty() ? 0 : migrations.back().version;
  if (version > latest) {
    return Fail(Error::Precondition("the database is at schema version " + std::to_string(version) +
                                    ", newer than this build of "
                                    "Tandem knows (" +
                                    std::to_string(latest) + ")"));
  }
  // Each migration not yet recorded is applied, in order: a migration numbered below one
  // already applied (two lines of work merged) is applied all the same.
  for (const Migration& m : migrations) {
    TANDEM_ASSIGN(bool applied, IsApplied(conn, m.version));
    if (applied) continue;
    const bool rebuilds = m.sql.find(kRebuildsTables) != std::string_view::npos;
    if (rebuilds) TANDEM_TRY(conn.Exec("PRAGMA foreign_keys = OFF"));
    struct KeysBackOn {
      Connection& conn;
      bool on;
      ~KeysBackOn() {
        if (on) (void)conn.Exec("PRAGMA foreign_keys = ON");
      }
    } keys_back_on{conn, rebuilds};
    TANDEM_TRY(conn.Exec("BEGIN IMMEDIATE"));
    // Another process may have migrated while this one waited for the write lock.
    auto again = IsApplied(conn, m.version);
    if (again && *again) {
      TANDEM_TRY(conn.Exec("COMMIT"));
      continue;
    }
    auto r = again ? ApplyOne(conn, m) : Result<void>(Fail(again.error()));
    if (r && rebuilds) r = CheckForeignKeys(conn);
    if (!r) {
      (void)conn.Exec("ROLLBACK");
      Error e = std::move(r.error());
      e.message = "migration " + std::string(m.name) + " failed: " + e.message;
      return Fail(std::move(e));
    }
    TANDEM_TRY(conn.Exec("COMMIT"));
  }
  TANDEM_ASSIGN(version, AppliedVersion(conn));
  return version;
}

}  // namespace tandem::store::sqlite
