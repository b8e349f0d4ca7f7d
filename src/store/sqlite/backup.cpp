#include "store/sqlite/backup.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <system_error>

#include "store/sqlite/migrations.hpp"

namespace tandem::store::sqlite {

using core::Error;
using core::ErrorCode;
using core::Fail;
using core::Result;

namespace {

namespace fs = std::filesystem;

struct Closer {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, Closer>;

Error SqliteError(sqlite3* db, int rc, const std::string& what) {
  std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    return Error{ErrorCode::kUnavailable, what + ": the database is busy (" + detail + ")", {}};
  }
  if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT) {
    return Error::Invalid("", what + ": not a valid database (" + detail + ")");
  }
  if (rc == SQLITE_FULL) return Error::Internal(what + ": the disk is full (" + detail + ")");
  return Error{ErrorCode::kUnavailable, what + ": " + detail, {}};
}

Result<Db> OpenDb(const std::string& path, int flags, const std::string& what) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) return Fail(SqliteError(raw, rc, what + " " + path));
  sqlite3_extended_result_codes(raw, 1);
  return db;
}

Result<void> Exec(sqlite3* db, const char* sql, const std::string& what) {
  char* msg = nullptr;
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, &msg);
  if (msg != nullptr) sqlite3_free(msg);
  if (rc != SQLITE_OK) return Fail(SqliteError(db, rc, what));
  return {};
}

// The first column of the first row of `sql` as text ("" when there is no row).
Result<std::string> QueryText(sqlite3* db, const char* sql, const std::string& what) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  if (rc != SQLITE_OK) return Fail(SqliteError(db, rc, what));
  std::string out;
  rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    const auto* text = sqlite3_column_text(stmt, 0);
    if (text != nullptr) out = reinterpret_cast<const char*>(text);
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return Fail(SqliteError(db, rc, what));
  return out;
}

// quick_check, then the schema version: what makes a file a Tandem database this build opens.
Result<int> CheckTandemDatabase(sqlite3* db, const std::string& path) {
  TANDEM_ASSIGN(auto check, QueryText(db, "PRAGMA quick_check", "checking " + path));
  if (check != "ok") {
    return Fail(Error::Invalid("", path + " fails SQLite's quick_check: " + check));
  }
  TANDEM_ASSIGN(auto has, QueryText(db,
                                    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND "
                                    "name = 'schema_migrations'",
                                    "reading " + path));
  if (has != "1") {
    return Fail(Error::Invalid("", path + " is not a Tandem database (no schema_migrations)"));
  }
  TANDEM_ASSIGN(auto version, QueryText(db,
                                        "SELECT coalesce(max(version), 0) FROM "
                                        "schema_migrations",
                                        "reading " + path));
  const int v = std::stoi(version.empty() ? "0" : version);
  const auto migrations = EmbeddedMigrations();
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  if (v > latest) {
    return Fail(Error::Precondition(path + " is at schema version " + std::to_string(v) +
                                    ", newer than this build's " + std::to_string(latest)));
  }
  return v;
}

// Copies all of `src` ("main") into `dst` ("main") in one step.
Result<BackupReport> Copy(sqlite3* src, sqlite3* dst, const std::string& what) {
  sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
  if (b == nullptr) return Fail(SqliteError(dst, sqlite3_errcode(dst), what));
  const int rc = sqlite3_backup_step(b, -1);
  BackupReport report;
  report.pages = sqlite3_backup_pagecount(b);
  const int finish = sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) return Fail(SqliteError(dst, rc, what));
  if (finish != SQLITE_OK) return Fail(SqliteError(dst, finish, what));
  return report;
}

void RemoveQuietly(const fs::path& p) {
  std::error_code ec;
  fs::remove(p, ec);
  fs::remove(fs::path(p.string() + "-wal"), ec);
  fs::remove(fs::path(p.string() + "-shm"), ec);
  fs::remove(fs::path(p.string() + "-journal"), ec);
}

}  // namespace

Result<BackupReport> BackupDatabase(const std::string& from, const std::string& to,
                                    bool overwrite) {
  std::error_code ec;
  if (from.empty() || from == ":memory:") {
    return Fail(Error::Invalid("db", "a backup needs a database file"));
  }
  if (!fs::exists(from, ec)) return Fail(Error::NotFound("database " + from + " does not exist"));
  if (to.empty()) return Fail(Error::Invalid("to", "is required"));
  if (fs::exists(to, ec)) {
    if (fs::equivalent(from, to, ec)) {
      return Fail(Error::Invalid("to", "is the database itself"));
    }
    if (!overwrite) {
      return Fail(Error::Conflict("to", to + " already exists (--force replaces it)"));
    }
  }
  TANDEM_ASSIGN(auto src, OpenDb(from, SQLITE_OPEN_READONLY, "opening"));
  sqlite3_busy_timeout(src.get(), 5000);
  const fs::path target(to);
  const fs::path temp = target.string() + ".partial";
  RemoveQuietly(temp);
  BackupReport report;
  {
    TANDEM_ASSIGN(auto dst,
                  OpenDb(temp.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "creating"));
    auto copied = Copy(src.get(), dst.get(), "copying " + from);
    if (!copied) {
      dst.reset();
      RemoveQuietly(temp);
      return Fail(copied.error());
    }
    report = *copied;
    auto version = CheckTandemDatabase(dst.get(), temp.string());
    if (!version) {
      dst.reset();
      RemoveQuietly(temp);
      return Fail(version.error());
    }
    report.schema_version = *version;
  }
  fs::rename(temp, target, ec);
  if (ec) {
    RemoveQuietly(temp);
    return Fail(Error{ErrorCode::kUnavailable, "cannot write " + to + ": " + ec.message(), "to"});
  }
  report.bytes = static_cast<std::int64_t>(fs::file_size(target, ec));
  return report;
}

Result<BackupReport> RestoreDatabase(const std::string& backup, const std::string& db) {
  std::error_code ec;
  if (db.empty() || db == ":memory:") {
    return Fail(Error::Invalid("db", "a restore needs a database file"));
  }
  if (!fs::exists(backup, ec)) {
    return Fail(Error::NotFound("backup " + backup + " does not exist"));
  }
  if (fs::exists(db, ec) && fs::equivalent(backup, db, ec)) {
    return Fail(Error::Invalid("from", "is the database itself"));
  }
  TANDEM_ASSIGN(auto src, OpenDb(backup, SQLITE_OPEN_READONLY, "opening"));
  TANDEM_ASSIGN(int version, CheckTandemDatabase(src.get(), backup));

  TANDEM_ASSIGN(auto dst, OpenDb(db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "opening"));
  // No waiting: if anyone else has the database open, this is not the time to replace it.
  sqlite3_busy_timeout(dst.get(), 0);
  TANDEM_TRY(Exec(dst.get(), "PRAGMA locking_mode = EXCLUSIVE", "locking " + db));
  auto locked = Exec(dst.get(), "BEGIN EXCLUSIVE; COMMIT", "locking " + db);
  if (!locked) {
    if (locked.error().code == ErrorCode::kUnavailable) {
      return Fail(
          Error::Precondition(db + " is in use by another process (is `tandem serve` running "
                                   "on it?); stop it, then restore",
                              "db"));
    }
    return Fail(locked.error());
  }
  TANDEM_ASSIGN(auto report, Copy(src.get(), dst.get(), "restoring into " + db));
  report.schema_version = version;
  dst.reset();
  report.bytes = static_cast<std::int64_t>(fs::file_size(db, ec));
  return report;
}

}  // namespace tandem::store::sqlite
