#include "store/sqlite/connection.hpp"

#include <sqlite3.h>

#include <cctype>

namespace tandem::store::sqlite {

using core::Error;
using core::ErrorCode;
using core::Fail;

namespace {

// "UNIQUE constraint failed: contacts.email" -> "email".
std::string ColumnOf(std::string_view message) {
  auto colon = message.find(": ");
  if (colon == std::string_view::npos) return {};
  std::string_view rest = message.substr(colon + 2);
  rest = rest.substr(0, rest.find(','));
  if (auto dot = rest.rfind('.'); dot != std::string_view::npos) rest.remove_prefix(dot + 1);
  return std::string(rest);
}

// "CHECK constraint failed: amount_minor >= 0" -> "amount_minor".
std::string FirstWordOf(std::string_view message) {
  auto colon = message.find(": ");
  if (colon == std::string_view::npos) return {};
  std::string out;
  for (char c : message.substr(colon + 2)) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) {
      if (out.empty()) continue;
      break;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace

Error ErrorFromSqlite(sqlite3* db, int rc, std::string_view what) {
  std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string prefix = std::string(what) + ": ";
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      switch (rc) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY: {
          std::string field = ColumnOf(detail);
          return Error::Conflict(field, "another record already has this " + field);
        }
        case SQLITE_CONSTRAINT_FOREIGNKEY:
          return Error::Invalid("", "a referenced record does not exist");
        case SQLITE_CONSTRAINT_NOTNULL: return Error::Invalid(ColumnOf(detail), "is required");
        case SQLITE_CONSTRAINT_CHECK:
          return Error::Invalid(FirstWordOf(detail),
                                "has a value the database does not allow (" + detail + ")");
        default: return Error::Internal(prefix + detail);
      }
    case SQLITE_FULL: return {ErrorCode::kUnavailable, prefix + "disk full", {}};
    case SQLITE_IOERR:
      return {ErrorCode::kUnavailable, prefix + "database I/O error (" + detail + ")", {}};
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return {ErrorCode::kUnavailable, prefix + "database busy (" + detail + ")", {}};
    case SQLITE_CANTOPEN:
      return {
          ErrorCode::kUnavailable, prefix + "cannot open the database file (" + detail + ")", {}};
    case SQLITE_NOMEM: return {ErrorCode::kUnavailable, prefix + "out of memory", {}};
    case SQLITE_READONLY:
      return Error::Internal(prefix + "write attempted in a read-only transaction (" + detail +
                             ")");
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return Error::Internal(prefix + "the file is not a valid Tandem database (" + detail + ")");
    default: return Error::Internal(prefix + detail);
  }
}

Stmt::Stmt(Connection* conn, sqlite3_stmt* stmt, bool* in_use)
    : conn_(conn), stmt_(stmt), in_use_(in_use) {}

Stmt::Stmt(Stmt&& other) noexcept
    : conn_(other.conn_),
      stmt_(other.stmt_),
      in_use_(other.in_use_),
      next_(other.next_),
      bind_rc_(other.bind_rc_) {
  other.stmt_ = nullptr;
}

Stmt::~Stmt() {
  if (stmt_ != nullptr) conn_->Release(stmt_, in_use_);
}

Stmt& Stmt::Bind(std::int64_t v) {
  int rc = sqlite3_bind_int64(stmt_, next_++, v);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Stmt& Stmt::Bind(std::string_view v) {
  int rc = sqlite3_bind_text64(stmt_, next_++, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Stmt& Stmt::Bind(const std::optional<std::int64_t>& v) {
  return v ? Bind(*v) : BindNull();
}

Stmt& Stmt::BindNull() {
  int rc = sqlite3_bind_null(stmt_, next_++);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Stmt& Stmt::BindReal(double v) {
  int rc = sqlite3_bind_double(stmt_, next_++, v);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Stmt& Stmt::BindReal(const std::optional<double>& v) {
  return v ? BindReal(*v) : BindNull();
}

Result<bool> Stmt::Step() {
  if (bind_rc_ != SQLITE_OK) return Fail(ErrorFromSqlite(conn_->db_, bind_rc_, "binding"));
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Fail(ErrorFromSqlite(conn_->db_, sqlite3_extended_errcode(conn_->db_), "running a query"));
}

Result<void> Stmt::Run() {
  while (true) {
    auto r = Step();
    if (!r) return Fail(std::move(r.error()));
    if (!*r) return {};
  }
}

std::int64_t Stmt::Int(int col) const {
  return sqlite3_column_int64(stmt_, col);
}

std::optional<std::int64_t> Stmt::OptInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return sqlite3_column_int64(stmt_, col);
}

double Stmt::Real(int col) const {
  return sqlite3_column_double(stmt_, col);
}

std::optional<double> Stmt::OptReal(int col) const {
  if (IsNull(col)) return std::nullopt;
  return sqlite3_column_double(stmt_, col);
}

std::string_view Stmt::TextView(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (p == nullptr) return {};
  return {p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))};
}

std::string Stmt::Text(int col) const {
  return std::string(TextView(col));
}

int Stmt::Type(int col) const {
  return sqlite3_column_type(stmt_, col);
}

bool Stmt::IsNull(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path,
                                                     const ConnectionOptions& options) {
  int flags = SQLITE_OPEN_NOMUTEX;
  flags |= options.read_only && !options.uri ? SQLITE_OPEN_READONLY
                                             : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  if (options.uri) flags |= SQLITE_OPEN_URI;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error e = ErrorFromSqlite(db, rc, "opening '" + path + "'");
    sqlite3_close_v2(db);
    return Fail(std::move(e));
  }
  std::unique_ptr<Connection> conn(new Connection(db, options.read_only));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, 5000);

  // Reading the schema is the first access to the file: it tells a non-database apart early.
  std::string pragmas =
      "PRAGMA schema_version;"
      "PRAGMA foreign_keys = ON;"
      "PRAGMA synchronous = NORMAL;"
      "PRAGMA temp_store = MEMORY;"
      "PRAGMA cache_size = -" +
      std::to_string(options.cache_kib) +
      ";"
      "PRAGMA mmap_size = " +
      std::to_string(options.mmap_bytes) + ";";
  if (options.read_only) pragmas += "PRAGMA query_only = ON;";
  if (auto r = conn->Exec(pragmas.c_str()); !r) return Fail(std::move(r.error()));
  if (options.wal && !options.read_only) {
    TANDEM_ASSIGN(auto stmt, conn->Prepare("PRAGMA journal_mode = WAL"));
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row || stmt.TextView(0) != "wal") {
      return Fail(Error{ErrorCode::kUnavailable,
                        "opening '" + path + "': the database cannot use write-ahead logging",
                        {}});
    }
  }
  return conn;
}

Connection::~Connection() {
  for (auto& [sql, c] : cache_) sqlite3_finalize(c.stmt);
  sqlite3_close_v2(db_);
}

Result<Stmt> Connection::Prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end() && !it->second.in_use) {
    it->second.in_use = true;
    return Stmt(this, it->second.stmt, &it->second.in_use);
  }
  bool cache = it == cache_.end();
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              cache ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, nullptr);
  if (rc != SQLITE_OK)
    return Fail(ErrorFromSqlite(db_, rc, "preparing '" + std::string(sql) + "'"));
  if (!cache) return Stmt(this, stmt, nullptr);
  if (cache_.size() >= kMaxCached) {
    for (auto c = cache_.begin(); c != cache_.end();) {
      if (c->second.in_use) {
        ++c;
      } else {
        sqlite3_finalize(c->second.stmt);
        c = cache_.erase(c);
      }
    }
  }
  auto entry = cache_.emplace(std::string(sql), Cached{stmt, true}).first;
  return Stmt(this, stmt, &entry->second.in_use);
}

// Entries in use are never evicted, so `in_use` (a node of the map) is still valid here.
void Connection::Release(sqlite3_stmt* stmt, bool* in_use) {
  if (in_use == nullptr) {
    sqlite3_finalize(stmt);
    return;
  }
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  *in_use = false;
}

Result<void> Connection::Exec(const char* sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
  sqlite3_free(message);
  if (rc != SQLITE_OK)
    return Fail(ErrorFromSqlite(db_, sqlite3_extended_errcode(db_), "executing SQL"));
  return {};
}

std::int64_t Connection::LastInsertId() const {
  return sqlite3_last_insert_rowid(db_);
}

std::int64_t Connection::Changes() const {
  return sqlite3_changes64(db_);
}

}  // namespace tandem::store::sqlite
