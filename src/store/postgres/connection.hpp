// A thin RAII layer over one libpq connection: opening from a URL, statements prepared once per
// connection and cached, parameters bound in text format, rows read in text format, and the
// mapping of PostgreSQL's SQLSTATEs to core errors. Internal to the PostgreSQL backend.
//
// The Stmt mirrors the SQLite backend's (Bind ..., then Step over rows or Run), so the
// repositories of both backends read alike: a Stmt executes on its first Step or Run and then
// holds the whole result (libpq returns it at once); `$1, $2 ...` are the placeholders.
// Parameters travel as text (integers in decimal, exactly what PostgreSQL parses back), results
// as text; binary format is not used: for BIGINT and TEXT it saves no measurable time here and
// text keeps one decoding path.
//
// Ownership: a Connection owns its PGconn; a Stmt owns its PGresult and borrows the connection.
// Thread-safety: none. One transaction on one thread uses a connection at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/error.hpp"

struct pg_conn;
struct pg_result;

namespace tandem::store::postgres {

using core::Result;

// SQLSTATE classes the store acts on.
bool IsRetryableState(std::string_view sqlstate);  // 40001 serialization, 40P01 deadlock

// Maps a failed statement to a core error (the SQLSTATE of `result`, or the connection's state
// when there is no result): unique violations (23505) are kAlreadyExists naming the column of
// the key; foreign-key (23503), not-null (23502) and check (23514) violations kInvalidArgument
// naming the column; a lost or refused connection (class 08, 57P01..57P03), serialization
// failures and deadlocks (40001, 40P01), a full disk (53100) and lack of memory or connections
// (53200, 53300) kUnavailable; a write in a read-only transaction (25006) and everything else
// kInternal. `what` says what was being done, for the message. `sqlstate` receives the code.
core::Error ErrorFromPostgres(pg_conn* conn, pg_result* result, std::string_view what,
                              std::string* sqlstate = nullptr);

// `url` (postgresql://user@host:port/db?options, or a key=value string) with its database replaced
// by `database`: the scratch databases of tests and benchmarks.
std::string UrlWithDatabase(const std::string& url, const std::string& database);

class Connection;

class Stmt {
 public:
  Stmt(Stmt&& other) noexcept;
  Stmt& operator=(Stmt&&) = delete;
  Stmt(const Stmt&) = delete;
  ~Stmt();

  // Bind the next parameter ($1, $2, ...).
  Stmt& Bind(std::int64_t v);
  Stmt& Bind(int v) { return Bind(static_cast<std::int64_t>(v)); }
  Stmt& Bind(std::string_view v);
  Stmt& Bind(const std::string& v) { return Bind(std::string_view(v)); }
  Stmt& Bind(const char* v) { return Bind(std::string_view(v)); }
  Stmt& Bind(const std::optional<std::int64_t>& v);
  Stmt& BindNull();
  Stmt& BindReal(double v);
  Stmt& BindReal(const std::optional<double>& v);

  // Executes on the first call; then true while a row is available.
  Result<bool> Step();
  // Executes (for statements whose rows are not read).
  Result<void> Run();
  // Rows changed by an INSERT, UPDATE or DELETE (after Run or Step).
  std::int64_t Affected() const;

  std::int64_t Int(int col) const;
  std::optional<std::int64_t> OptInt(int col) const;
  std::string Text(int col) const;
  std::string_view TextView(int col) const;  // valid as long as the Stmt
  bool IsNull(int col) const;
  double Real(int col) const;
  std::optional<double> OptReal(int col) const;

  // The result's columns (after the first Step): how many, each one's name, and what its type
  // stores (for reading rows whose columns are not known in advance, as the privacy export).
  enum class ColumnKind : std::uint8_t { kInteger, kReal, kText };
  int ColumnCount() const;
  std::string ColumnName(int col) const;
  ColumnKind KindOf(int col) const;

 private:
  friend class Connection;
  Stmt(Connection* conn, std::string name);
  Result<void> Execute();

  Connection* conn_;
  std::string name_;  // the prepared statement's name
  std::vector<std::optional<std::string>> params_;
  pg_result* result_ = nullptr;
  int row_ = -1;
  bool executed_ = false;
};

class Connection {
 public:
  // Connects to `url` (postgresql://user@host:port/db?... or a key=value string) and sets the
  // session up: UTC time zone, UTF8 client encoding, no notices on the client. kUnavailable
  // when the server cannot be reached or refuses; kInvalidArgument (field "url") for a URL
  // libpq cannot parse.
  static Result<std::unique_ptr<Connection>> Open(const std::string& url);
  // The same with libpq connection parameters (keyword, value) that override the URL's.
  static Result<std::unique_ptr<Connection>> Open(
      const std::string& url, const std::vector<std::pair<std::string, std::string>>& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A statement for `sql` ($n placeholders), prepared on this connection at its first use and
  // kept for the connection's life (named tandem_1, tandem_2 ...).
  Result<Stmt> Prepare(std::string_view sql);
  // `sql` with each `?` numbered as PostgreSQL's $1, $2 ... (the backend-neutral statement
  // builders of store/common write `?`; their fragments hold no other '?').
  static std::string Placeholders(const std::string& sql);
  // Runs one or more statements without parameters (transaction control, migrations).
  Result<void> Exec(std::string_view sql);
  // Runs `sql`, a COPY ... FROM STDIN, sending `data` (COPY's text format: columns separated by
  // tabs, rows ended by newlines, \N for NULL) as its input.
  Result<void> CopyIn(std::string_view sql, std::string_view data);

  // True while the connection is usable; false after the server went away.
  bool Healthy() const;
  // Reconnects a connection that went bad (the cache of prepared statements is dropped).
  Result<void> Reset();
  pg_conn* handle() const { return conn_; }
  // The SQLSTATE of the last failure on this connection ("" when none since ClearState).
  const std::string& last_state() const { return last_state_; }
  void ClearState() { last_state_.clear(); }

 private:
  friend class Stmt;
  explicit Connection(pg_conn* conn) : conn_(conn) {}

  core::Error Failure(pg_result* result, std::string_view what);

  pg_conn* conn_;
  std::string last_state_;
  std::unordered_map<std::string, std::string> cache_;  // SQL -> prepared statement name
  int next_name_ = 0;
  // The bound of distinct statements kept prepared (list queries compose their SQL from a
  // fixed set of fragments, so this is not reached in practice); beyond it every statement is
  // deallocated and prepared again when next used.
  static constexpr std::size_t kMaxCached = 512;
};

}  // namespace tandem::store::postgres
