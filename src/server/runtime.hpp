// The composition root: from a database location, build the clock, the metrics registry, the
// store and every application service, in that order, and own them.
//
// `tandem serve` adds the HTTP API and the scheduler on top (see serve.hpp); the other CLI
// commands use a Runtime alone. Database locations: a file path or "sqlite:PATH" for the
// embedded database (the default), or a PostgreSQL URL "postgresql://..." (or "postgres://...")
// for the server database (docs/postgres.md), whose pool size the URL parameter pool_size=N or
// RuntimeSettings::db_pool sets.
// Thread-safety: the objects it owns are thread-safe; the Runtime itself is built once.
#pragma once

#include <memory>
#include <string>

#include "app/services.hpp"
#include "base/clock.hpp"
#include "base/file_clock.hpp"
#include "base/metrics.hpp"
#include "core/error.hpp"
#include "store/store.hpp"

namespace tandem::server {

struct RuntimeSettings {
  std::string db = "tandem.db";
  app::PasswordSettings passwords;
  app::AuthSettings auth;
  int read_connections = 4;  // SQLite: reader connections
  // PostgreSQL: connections in the pool (2 to 100); 0 = the URL's pool_size=N, else kDefaultPool.
  int db_pool = 0;
  // Tests and tools may give their own clock; otherwise the system clock is used.
  const base::Clock* clock = nullptr;
  // When set (and `clock` is not): time is read from this file (base::FileClock), so a test
  // can move a real server process through time (`--clock-file`, tests/crash).
  std::string clock_file;
};

class Runtime {
 public:
  static core::Result<std::unique_ptr<Runtime>> Open(const RuntimeSettings& settings);

  base::Metrics& metrics() { return *metrics_; }
  const base::Clock& clock() const { return *clock_; }
  store::Store& store() { return *store_; }
  app::Services& services() { return *services_; }

 private:
  Runtime() = default;

  std::unique_ptr<base::Metrics> metrics_;
  std::unique_ptr<base::SystemClock> system_clock_;
  std::unique_ptr<base::FileClock> file_clock_;
  const base::Clock* clock_ = nullptr;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<app::Services> services_;
};

// A database location, parsed.
struct DbLocation {
  enum class Kind { kSqlite, kPostgres };
  static constexpr int kDefaultPool = 8;
  static constexpr int kMaxPool = 100;

  Kind kind = Kind::kSqlite;
  std::string target;  // the SQLite file path, or the URL for libpq (Tandem's parameters removed)
  int pool_size = 0;   // PostgreSQL: the URL's pool_size=N; 0 when absent
};

// True for "postgresql://..." and "postgres://...".
bool IsPostgresUrl(const std::string& db);

// "tandem.db", "sqlite:PATH", "postgresql://user:pw@host:port/db?pool_size=8&sslmode=require".
// kInvalidArgument on field "db" for an empty path or a bad pool_size (a whole number from 2 to
// 100). The URL itself is checked by libpq when the store connects.
core::Result<DbLocation> ParseDbLocation(const std::string& db);

// The SQLite file path of a database location; for a PostgreSQL URL, kInvalidArgument saying the
// command works on SQLite only (backup and restore: pg_dump and pg_restore are PostgreSQL's).
core::Result<std::string> SqlitePathOf(const std::string& db);

// The location as it may be printed or logged: a URL's password is replaced by "***".
std::string DisplayDb(const std::string& db);

}  // namespace tandem::server
