#include "store/postgres/connection.hpp"

#include "store/common/list_sql.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace tandem::store::postgres {

using core::Error;
using core::ErrorCode;
using core::Fail;

namespace {

std::string Field(pg_result* result, int code) {
  if (result == nullptr) return {};
  const char* v = PQresultErrorField(result, code);
  return v ? v : "";
}

// "Key (email)=(a@b.example) already exists." -> "email"; the first column of a multi-column
// key, as the SQLite backend names it.
std::string KeyColumnOf(std::string_view detail) {
  auto open = detail.find("Key (");
  if (open == std::string_view::npos) return {};
  std::string_view rest = detail.substr(open + 5);
  auto end = rest.find_first_of(",)");
  if (end == std::string_view::npos) return {};
  return std::string(rest.substr(0, end));
}

// "deals_amount_minor_check" on table "deals" -> "amount_minor".
std::string CheckColumnOf(std::string constraint, const std::string& table) {
  if (!table.empty() && constraint.rfind(table + "_", 0) == 0) {
    constraint.erase(0, table.size() + 1);
  }
  constexpr std::string_view kSuffix = "_check";
  if (constraint.size() > kSuffix.size() &&
      constraint.compare(constraint.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0) {
    constraint.resize(constraint.size() - kSuffix.size());
  }
  return constraint;
}

std::string TrimNewline(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

void IgnoreNotice(void*, const char*) {}

}  // namespace

bool IsRetryableState(std::string_view sqlstate) {
  return sqlstate == "40001" || sqlstate == "40P01";
}

Error ErrorFromPostgres(pg_conn* conn, pg_result* result, std::string_view what,
                        std::string* sqlstate_out) {
  std::string state = Field(result, PG_DIAG_SQLSTATE);
  std::string message = Field(result, PG_DIAG_MESSAGE_PRIMARY);
  if (message.empty() && conn != nullptr) message = TrimNewline(PQerrorMessage(conn));
  if (sqlstate_out != nullptr) *sqlstate_out = state;
  const std::string prefix = std::string(what) + ": ";
  if (state.empty()) {
    // No answer from the server: the connection is gone or was never made.
    if (conn == nullptr || PQstatus(conn) == CONNECTION_BAD) {
      return {
          ErrorCode::kUnavailable, prefix + "the database is unreachable (" + message + ")", {}};
    }
    return Error::Internal(prefix + message);
  }
  const std::string detail = Field(result, PG_DIAG_MESSAGE_DETAIL);
  if (state == "23505") {
    std::string field = KeyColumnOf(detail);
    return Error::Conflict(field, "another record already has this " + field);
  }
  if (state == "23503") {
    return Error::Invalid(KeyColumnOf(detail),
                          "a referenced record does not exist (" + detail + ")");
  }
  if (state == "23502") return Error::Invalid(Field(result, PG_DIAG_COLUMN_NAME), "is required");
  if (state == "23514") {
    return Error::Invalid(
        CheckColumnOf(Field(result, PG_DIAG_CONSTRAINT_NAME), Field(result, PG_DIAG_TABLE_NAME)),
        "has a value the database does not allow (" + message + ")");
  }
  if (state == "25006") {
    return Error::Internal(prefix + "write attempted in a read-only transaction (" + message + ")");
  }
  if (state == "40001" || state == "40P01") {
    return {ErrorCode::kUnavailable, prefix + "transaction conflict (" + message + ")", {}};
  }
  if (state == "53100") {
    return {ErrorCode::kUnavailable, "the database's disk is full (" + message + ")", {}};
  }
  if (state == "53200" || state == "53300") {
    return {ErrorCode::kUnavailable, prefix + "database out of resources (" + message + ")", {}};
  }
  if (state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" || state == "57P03") {
    return {ErrorCode::kUnavailable, prefix + "the database is unreachable (" + message + ")", {}};
  }
  return Error::Internal(prefix + message + " [" + state + "]");
}

// ---------------------------------------------------------------------------------------------
// Stmt

Stmt::Stmt(Connection* conn, std::string name) : conn_(conn), name_(std::move(name)) {}

Stmt::Stmt(Stmt&& other) noexcept
    : conn_(other.conn_),
      name_(std::move(other.name_)),
      params_(std::move(other.params_)),
      result_(other.result_),
      row_(other.row_),
      executed_(other.executed_) {
  other.result_ = nullptr;
}

Stmt::~Stmt() {
  if (result_ != nullptr) PQclear(result_);
}

Stmt& Stmt::Bind(std::int64_t v) {
  params_.emplace_back(std::to_string(v));
  return *this;
}

Stmt& Stmt::Bind(std::string_view v) {
  params_.emplace_back(std::string(v));
  return *this;
}

Stmt& Stmt::Bind(const std::optional<std::int64_t>& v) {
  if (v) return Bind(*v);
  return BindNull();
}

Stmt& Stmt::BindNull() {
  params_.emplace_back(std::nullopt);
  return *this;
}

Stmt& Stmt::BindReal(double v) {
  // Shortest text that reads back as the same double.
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  params_.emplace_back(ec == std::errc() ? std::string(buf, end) : std::to_string(v));
  return *this;
}

Stmt& Stmt::BindReal(const std::optional<double>& v) {
  if (v) return BindReal(*v);
  return BindNull();
}

Result<void> Stmt::Execute() {
  executed_ = true;
  std::vector<const char*> values;
  values.reserve(params_.size());
  for (const auto& p : params_) values.push_back(p ? p->c_str() : nullptr);
  result_ = PQexecPrepared(conn_->conn_, name_.c_str(), static_cast<int>(values.size()),
                           values.data(), nullptr, nullptr, 0);
  const auto status = result_ ? PQresultStatus(result_) : PGRES_FATAL_ERROR;
  if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) return {};
  return Fail(conn_->Failure(result_, "running a statement"));
}

Result<bool> Stmt::Step() {
  if (!executed_) TANDEM_TRY(Execute());
  if (result_ == nullptr) return false;
  if (row_ + 1 >= PQntuples(result_)) {
    row_ = PQntuples(result_);
    return false;
  }
  ++row_;
  return true;
}

Result<void> Stmt::Run() {
  if (executed_) return {};
  return Execute();
}

std::int64_t Stmt::Affected() const {
  if (result_ == nullptr) return 0;
  const char* n = PQcmdTuples(result_);
  std::int64_t v = 0;
  if (n != nullptr) std::from_chars(n, n + std::char_traits<char>::length(n), v);
  return v;
}

std::int64_t Stmt::Int(int col) const {
  if (PQgetisnull(result_, row_, col)) return 0;
  const char* v = PQgetvalue(result_, row_, col);
  const int len = PQgetlength(result_, row_, col);
  std::int64_t out = 0;
  if (len == 1 && (v[0] == 't' || v[0] == 'f')) return v[0] == 't' ? 1 : 0;  // boolean
  std::from_chars(v, v + len, out);
  return out;
}

std::optional<std::int64_t> Stmt::OptInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}

std::string Stmt::Text(int col) const {
  return std::string(TextView(col));
}

std::string_view Stmt::TextView(int col) const {
  return {PQgetvalue(result_, row_, col),
          static_cast<std::size_t>(PQgetlength(result_, row_, col))};
}

bool Stmt::IsNull(int col) const {
  return PQgetisnull(result_, row_, col) != 0;
}

double Stmt::Real(int col) const {
  if (IsNull(col)) return 0;
  const std::string v = Text(col);
  double out = 0;
  std::from_chars(v.data(), v.data() + v.size(), out);
  return out;
}

std::optional<double> Stmt::OptReal(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Real(col);
}

int Stmt::ColumnCount() const {
  return result_ == nullptr ? 0 : PQnfields(result_);
}

std::string Stmt::ColumnName(int col) const {
  const char* name = result_ == nullptr ? nullptr : PQfname(result_, col);
  return name == nullptr ? std::string() : std::string(name);
}

Stmt::ColumnKind Stmt::KindOf(int col) const {
  // The built-in type oids (pg_type.h): int8, int2, int4, bool; float4, float8, numeric.
  switch (result_ == nullptr ? 0 : PQftype(result_, col)) {
    case 20:
    case 21:
    case 23:
    case 16: return ColumnKind::kInteger;
    case 700:
    case 701:
    case 1700: return ColumnKind::kReal;
    default: return ColumnKind::kText;
  }
}

// ---------------------------------------------------------------------------------------------
// Connection

std::string UrlWithDatabase(const std::string& url, const std::string& database) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return url + " dbname=" + database;
  const auto query = url.find('?', scheme + 3);
  const auto slash = url.find('/', scheme + 3);
  const std::string options = query == std::string::npos ? "" : url.substr(query);
  const auto host_end = slash != std::string::npos && (query == std::string::npos || slash < query)
                            ? slash
                            : (query == std::string::npos ? url.size() : query);
  return url.substr(0, host_end) + "/" + database + options;
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& url) {
  return Open(url, {});
}

Result<std::unique_ptr<Connection>> Connection::Open(
    const std::string& url, const std::vector<std::pair<std::string, std::string>>& params) {
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &parse_error);
  if (options == nullptr) {
    std::string message = parse_error ? TrimNewline(parse_error) : "cannot parse the URL";
    if (parse_error) PQfreemem(parse_error);
    return Fail(Error::Invalid("url", "not a PostgreSQL URL: " + message));
  }
  PQconninfoFree(options);
  // The URL comes first as dbname (expanded by libpq); keywords after it override its values.
  std::vector<const char*> keys{"dbname"}, values{url.c_str()};
  for (const auto& [key, value] : params) {
    keys.push_back(key.c_str());
    values.push_back(value.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  pg_conn* conn = PQconnectdbParams(keys.data(), values.data(), /*expand_dbname=*/1);
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    Error e{ErrorCode::kUnavailable,
            "cannot connect to PostgreSQL: " +
                (conn ? TrimNewline(PQerrorMessage(conn)) : std::string("out of memory")),
            {}};
    if (conn) PQfinish(conn);
    return Fail(std::move(e));
  }
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  std::unique_ptr<Connection> out(new Connection(conn));
  TANDEM_TRY(out->Exec("SET TIME ZONE 'UTC'; SET client_encoding = 'UTF8'"));
  return out;
}

Connection::~Connection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

std::string Connection::Placeholders(const std::string& sql) {
  return NumberPlaceholders(sql);
}

Result<Stmt> Connection::Prepare(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it == cache_.end()) {
    if (cache_.size() >= kMaxCached) {
      TANDEM_TRY(Exec("DEALLOCATE ALL"));
      cache_.clear();
    }
    std::string name = "tandem_" + std::to_string(++next_name_);
    std::string text(sql);
    pg_result* r = PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr);
    const bool ok = r != nullptr && PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) {
      Error e = Failure(r, "preparing a statement");
      if (r) PQclear(r);
      return Fail(std::move(e));
    }
    PQclear(r);
    it = cache_.emplace(std::move(text), std::move(name)).first;
  }
  return Stmt(this, it->second);
}

Result<void> Connection::Exec(std::string_view sql) {
  const std::string text(sql);
  pg_result* r = PQexec(conn_, text.c_str());
  const auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
    PQclear(r);
    return {};
  }
  Error e = Failure(r, "running SQL");
  if (r) PQclear(r);
  return Fail(std::move(e));
}

Result<void> Connection::CopyIn(std::string_view sql, std::string_view data) {
  const std::string text(sql);
  pg_result* r = PQexec(conn_, text.c_str());
  if (r == nullptr || PQresultStatus(r) != PGRES_COPY_IN) {
    Error e = Failure(r, "starting a COPY");
    if (r) PQclear(r);
    return Fail(std::move(e));
  }
  PQclear(r);
  // Sent in pieces of at most 1 MiB (PQputCopyData takes an int length).
  constexpr std::size_t kPiece = 1 << 20;
  bool sent = true;
  for (std::size_t at = 0; sent && at < data.size(); at += kPiece) {
    const std::size_t n = std::min(kPiece, data.size() - at);
    sent = PQputCopyData(conn_, data.data() + at, static_cast<int>(n)) == 1;
  }
  const bool ended = PQputCopyEnd(conn_, sent ? nullptr : "the client failed to send") == 1;
  Result<void> out;
  // The COPY's outcome, then nothing more.
  while ((r = PQgetResult(conn_)) != nullptr) {
    if (out && PQresultStatus(r) != PGRES_COMMAND_OK) out = Fail(Failure(r, "copying rows"));
    PQclear(r);
  }
  if (out && (!sent || !ended)) out = Fail(Failure(nullptr, "sending COPY data"));
  return out;
}

Error Connection::Failure(pg_result* result, std::string_view what) {
  std::string state;
  Error e = ErrorFromPostgres(conn_, result, what, &state);
  last_state_ = state.empty() && !Healthy() ? "08006" : state;
  return e;
}

bool Connection::Healthy() const {
  return PQstatus(conn_) == CONNECTION_OK;
}

Result<void> Connection::Reset() {
  cache_.clear();
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    return Fail(Error{ErrorCode::kUnavailable,
                      "cannot reconnect to PostgreSQL: " + TrimNewline(PQerrorMessage(conn_)),
                      {}});
  }
  PQsetNoticeProcessor(conn_, IgnoreNotice, nullptr);
  return Exec("SET TIME ZONE 'UTC'; SET client_encoding = 'UTF8'");
}

}  // namespace tandem::store::postgres
