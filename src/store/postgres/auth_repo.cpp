// Sessions and API keys.
#include "store/common/rows.hpp"
#include "store/postgres/repos.hpp"

namespace tandem::store::postgres {

using core::ApiKey;
using core::Error;
using core::Fail;
using core::FromMillis;
using core::Session;
using core::ToMillis;

namespace {

constexpr std::string_view kKeyColumns = rows::kApiKeyColumns;

}  // namespace

Result<void> PostgresAuthRepo::InsertSession(const Session& s) {
  TANDEM_TRY(CheckReference(ctx_.conn, "user_id", s.user_id, "users", "user"));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("INSERT INTO sessions (token_hash, user_id, kind, csrf_token, "
                                  "created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)"));
  stmt.Bind(s.token_hash)
      .Bind(s.user_id)
      .Bind(ToString(s.kind))
      .Bind(s.csrf_token)
      .Bind(ToMillis(s.created_at))
      .Bind(ToMillis(s.expires_at));
  return stmt.Run();
}

Result<std::optional<Session>> PostgresAuthRepo::FindSession(std::string_view token_hash) {
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("SELECT token_hash, user_id, kind, csrf_token, created_at, "
                                  "expires_at FROM sessions WHERE token_hash = $1"));
  stmt.Bind(token_hash);
  TANDEM_ASSIGN(bool row, stmt.Step());
  if (!row) return std::optional<Session>();
  Session s;
  s.token_hash = stmt.Text(0);
  s.user_id = stmt.Int(1);
  auto kind = core::SessionKindFromString(stmt.TextView(2));
  if (!kind) return Fail(Error::Internal("unknown session kind stored"));
  s.kind = *kind;
  s.csrf_token = stmt.Text(3);
  s.created_at = FromMillis(stmt.Int(4));
  s.expires_at = FromMillis(stmt.Int(5));
  return std::optional<Session>(std::move(s));
}

Result<void> PostgresAuthRepo::DeleteSession(std::string_view token_hash) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("DELETE FROM sessions WHERE token_hash = $1"));
  stmt.Bind(token_hash);
  return stmt.Run();
}

Result<std::int64_t> PostgresAuthRepo::DeleteSessionsExpiredBefore(core::Instant now) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("DELETE FROM sessions WHERE expires_at < $1"));
  stmt.Bind(ToMillis(now));
  TANDEM_TRY(stmt.Run());
  return stmt.Affected();
}

Result<void> PostgresAuthRepo::DeleteSessionsOfUser(Id user_id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("DELETE FROM sessions WHERE user_id = $1"));
  stmt.Bind(user_id);
  return stmt.Run();
}

Result<Id> PostgresAuthRepo::InsertApiKey(const ApiKey& k, std::string_view secret_hash) {
  TANDEM_TRY(CheckReference(ctx_.conn, "user_id", k.user_id, "users", "user"));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare(
                    "INSERT INTO api_keys (name, user_id, prefix, scopes, secret_hash, "
                    "created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"));
  stmt.Bind(k.name)
      .Bind(k.user_id)
      .Bind(k.prefix)
      .Bind(core::JoinScopes(k.scopes))
      .Bind(secret_hash)
      .Bind(ToMillis(k.created_at));
  if (k.revoked_at) {
    stmt.Bind(ToMillis(*k.revoked_at));
  } else {
    stmt.BindNull();
  }
  TANDEM_TRY(stmt.Step());
  return stmt.Int(0);
}

Result<std::optional<ApiKey>> PostgresAuthRepo::FindApiKeyBySecretHash(
    std::string_view secret_hash) {
  static const std::string sql =
      "SELECT " + std::string(kKeyColumns) + " FROM api_keys WHERE secret_hash = $1";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(secret_hash);
  return rows::ReadOptional(stmt, rows::ReadApiKey<Stmt>);
}

Result<std::optional<ApiKey>> PostgresAuthRepo::GetApiKey(Id id) {
  static const std::string sql =
      "SELECT " + std::string(kKeyColumns) + " FROM api_keys WHERE id = $1";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(id);
  return rows::ReadOptional(stmt, rows::ReadApiKey<Stmt>);
}

Result<std::vector<ApiKey>> PostgresAuthRepo::ListApiKeys() {
  static const std::string sql =
      "SELECT " + std::string(kKeyColumns) + " FROM api_keys ORDER BY id";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  std::vector<ApiKey> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    TANDEM_ASSIGN(auto k, rows::ReadApiKey<Stmt>(stmt));
    out.push_back(std::move(k));
  }
  return out;
}

// Revoking keeps the first revocation time: revoking twice is not an error and changes nothing.
Result<void> PostgresAuthRepo::RevokeApiKey(Id id, core::Instant at) {
  TANDEM_ASSIGN(
      auto stmt,
      ctx_.conn.Prepare("UPDATE api_keys SET revoked_at = coalesce(revoked_at, $1) WHERE id = $2"));
  stmt.Bind(ToMillis(at)).Bind(id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(stmt, "API key", id);
}

}  // namespace tandem::store::postgres
