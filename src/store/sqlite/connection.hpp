// A thin RAII layer over one sqlite3 connection: opening with Tandem's PRAGMAs, a cache of
// prepared statements, typed binding and reading, and the mapping of SQLite result codes to
// core errors. Internal to the SQLite backend.
//
// Ownership: a Connection owns its sqlite3 handle and every cached statement. A Stmt borrows a
// statement from its connection; on destruction it resets the statement and clears its bindings
// so the connection holds no read lock and no stale value. A Stmt must not outlive its
// connection.
// Thread-safety: none. A connection (and its Stmts) is used by one thread at a time; the store
// hands each connection to one transaction at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace tandem::store::sqlite {

using core::Result;

// Maps a failed SQLite call to a core error: unique and primary-key violations are
// kAlreadyExists naming the column; foreign-key and CHECK violations kInvalidArgument; a full
// disk, an I/O error, a busy or locked database kUnavailable; a write on a read-only connection
// and everything else kInternal. `what` says what was being done, for the message.
core::Error ErrorFromSqlite(sqlite3* db, int rc, std::string_view what);

class Connection;

class Stmt {
 public:
  Stmt(Stmt&& other) noexcept;
  Stmt& operator=(Stmt&&) = delete;
  Stmt(const Stmt&) = delete;
  ~Stmt();

  // Bind the next parameter (1, 2, ...); a binding failure is reported by the next Step.
  Stmt& Bind(std::int64_t v);
  Stmt& Bind(int v) { return Bind(static_cast<std::int64_t>(v)); }
  Stmt& Bind(std::string_view v);
  Stmt& Bind(const std::string& v) { return Bind(std::string_view(v)); }
  Stmt& Bind(const char* v) { return Bind(std::string_view(v)); }
  Stmt& Bind(const std::optional<std::int64_t>& v);
  Stmt& BindNull();
  // Floating-point values have their own name so integer arguments never convert to them.
  Stmt& BindReal(double v);
  Stmt& BindReal(const std::optional<double>& v);

  // Advances to the next row: true when a row is available, false when done.
  Result<bool> Step();
  // Runs the statement to completion (for statements returning no rows).
  Result<void> Run();

  std::int64_t Int(int col) const;
  std::optional<std::int64_t> OptInt(int col) const;
  std::string Text(int col) const;
  std::string_view TextView(int col) const;  // valid until the next Step
  bool IsNull(int col) const;
  // SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB or SQLITE_NULL.
  int Type(int col) const;
  double Real(int col) const;
  std::optional<double> OptReal(int col) const;

 private:
  friend class Connection;
  Stmt(Connection* conn, sqlite3_stmt* stmt, bool* in_use);

  Connection* conn_;
  sqlite3_stmt* stmt_;
  bool* in_use_;  // the cache entry's flag, or null for a private statement
  int next_ = 1;
  int bind_rc_ = 0;
};

struct ConnectionOptions {
  bool read_only = false;
  bool uri = false;       // `path` is a file: URI (the shared in-memory database)
  bool wal = true;        // journal_mode=WAL (not for in-memory databases)
  int cache_kib = 16384;  // page cache per connection
  std::int64_t mmap_bytes = 0;
};

class Connection {
 public:
  // Opens `path` and applies the PRAGMAs: foreign_keys=ON, busy_timeout=5000, synchronous=
  // NORMAL, journal_mode=WAL (writer of a file database), cache_size, mmap_size, temp_store=
  // MEMORY, and query_only=ON for a read-only connection. Errors: kUnavailable when the file
  // cannot be opened, kInternal when it is not a database.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path,
                                                  const ConnectionOptions& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A statement for `sql`, prepared once per connection and cached (SQLITE_PREPARE_PERSISTENT).
  // If the cached statement is already in use (a nested use of the same SQL), a private one is
  // prepared and finalised after use.
  Result<Stmt> Prepare(std::string_view sql);
  // `sql` whose `?` placeholders are this backend's own (SQLite takes `?` as written); what
  // the backend-neutral statement builders (store/common) pass to Prepare.
  static std::string Placeholders(std::string sql) { return sql; }
  // Runs one or more statements without parameters (transaction control, migrations).
  Result<void> Exec(const char* sql);

  std::int64_t LastInsertId() const;
  std::int64_t Changes() const;
  bool read_only() const { return read_only_; }
  sqlite3* handle() const { return db_; }

 private:
  friend class Stmt;
  Connection(sqlite3* db, bool read_only) : db_(db), read_only_(read_only) {}
  void Release(sqlite3_stmt* stmt, bool* in_use);

  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // List queries build their SQL from a fixed set of fragments, so the number of distinct
  // statements is bounded; should it pass this, the statements not in use are finalised and
  // prepared again when next needed.
  static constexpr std::size_t kMaxCached = 512;

  sqlite3* db_;
  bool read_only_;
  std::unordered_map<std::string, Cached, SqlHash, std::equal_to<>> cache_;
};

}  // namespace tandem::store::sqlite
