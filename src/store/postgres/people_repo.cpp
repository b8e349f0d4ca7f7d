// Users and teams.
#include "store/common/rows.hpp"
#include "store/postgres/list_sql.hpp"
#include "store/postgres/repos.hpp"

namespace tandem::store::postgres {

using core::Error;
using core::Fail;
using core::FromMillis;
using core::Team;
using core::ToMillis;
using core::User;

namespace {

constexpr std::string_view kUserColumns = rows::kUserColumns;
constexpr std::string_view kTeamColumns = rows::kTeamColumns;

}  // namespace

Result<Id> PostgresUserRepo::Insert(const User& u, std::string_view password_hash) {
  TANDEM_TRY(CheckReference(ctx_.conn, "team_id", u.team_id, "teams", "team"));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("INSERT INTO users (email, name, role, team_id, active, "
                                  "password_hash, created_at, updated_at) "
                                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"));
  stmt.Bind(u.email)
      .Bind(u.name)
      .Bind(ToString(u.role))
      .Bind(u.team_id)
      .Bind(u.active ? 1 : 0)
      .Bind(password_hash)
      .Bind(ToMillis(u.created_at))
      .Bind(ToMillis(u.updated_at));
  TANDEM_TRY(stmt.Step());
  return stmt.Int(0);
}

Result<void> PostgresUserRepo::Update(const User& u) {
  TANDEM_TRY(CheckReference(ctx_.conn, "team_id", u.team_id, "teams", "team"));
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(
                               "UPDATE users SET email = $1, name = $2, role = $3, team_id = $4, "
                               "active = $5, created_at = $6, updated_at = $7 WHERE id = $8"));
  stmt.Bind(u.email)
      .Bind(u.name)
      .Bind(ToString(u.role))
      .Bind(u.team_id)
      .Bind(u.active ? 1 : 0)
      .Bind(ToMillis(u.created_at))
      .Bind(ToMillis(u.updated_at))
      .Bind(u.id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(stmt, "user", u.id);
}

Result<void> PostgresUserRepo::SetPasswordHash(Id id, std::string_view password_hash) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("UPDATE users SET password_hash = $1 WHERE id = $2"));
  stmt.Bind(password_hash).Bind(id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(stmt, "user", id);
}

Result<std::optional<User>> PostgresUserRepo::Get(Id id) {
  static const std::string sql =
      "SELECT " + std::string(kUserColumns) + " FROM users WHERE id = $1";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(id);
  return rows::ReadOptional(stmt, rows::ReadUser<Stmt>);
}

Result<std::optional<User>> PostgresUserRepo::FindByEmail(std::string_view normalized_email) {
  static const std::string sql =
      "SELECT " + std::string(kUserColumns) + " FROM users WHERE email = $1";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(normalized_email);
  return rows::ReadOptional(stmt, rows::ReadUser<Stmt>);
}

Result<std::string> PostgresUserRepo::GetPasswordHash(Id id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("SELECT password_hash FROM users WHERE id = $1"));
  stmt.Bind(id);
  TANDEM_ASSIGN(bool row, stmt.Step());
  if (!row) return Fail(Error::NotFound("user " + std::to_string(id) + " does not exist"));
  return stmt.Text(0);
}

// By id; the cursor key is the id as text.
Result<Page<User>> PostgresUserRepo::List(const core::UserQuery& q) {
  const int limit = ClampLimit(q.page.limit);
  ListSql sql;
  if (q.role) sql.Where("role = ?", {std::string(ToString(*q.role))});
  if (q.team_id) sql.Where("team_id = ?", {*q.team_id});
  if (q.active) sql.Where("active = ?", {std::int64_t{*q.active ? 1 : 0}});
  if (q.page.after) {
    TANDEM_TRY(IntegerCursorKey(*q.page.after));
    sql.Where("id > ?", {q.page.after->id});
  }
  TANDEM_ASSIGN(auto stmt,
                sql.Prepare(ctx_.conn, kUserColumns, "users", "id", core::SortDir::kAsc, limit));
  return ReadPage<User>(stmt, limit, rows::ReadUser<Stmt>,
                        [](const User& u) { return std::to_string(u.id); });
}

Result<Id> PostgresTeamRepo::Insert(const Team& t) {
  TANDEM_TRY(CheckReference(ctx_.conn, "manager_id", t.manager_id, "users", "user"));
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(
                               "INSERT INTO teams (name, function, manager_id, region, created_at, "
                               "updated_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"));
  stmt.Bind(t.name)
      .Bind(ToString(t.function))
      .Bind(t.manager_id)
      .Bind(t.region)
      .Bind(ToMillis(t.created_at))
      .Bind(ToMillis(t.updated_at));
  TANDEM_TRY(stmt.Step());
  return stmt.Int(0);
}

Result<void> PostgresTeamRepo::Update(const Team& t) {
  TANDEM_TRY(CheckReference(ctx_.conn, "manager_id", t.manager_id, "users", "user"));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("UPDATE teams SET name = $1, function = $2, manager_id = $3, "
                                  "region = $4, created_at = $5, updated_at = $6 WHERE id = $7"));
  stmt.Bind(t.name)
      .Bind(ToString(t.function))
      .Bind(t.manager_id)
      .Bind(t.region)
      .Bind(ToMillis(t.created_at))
      .Bind(ToMillis(t.updated_at))
      .Bind(t.id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(stmt, "team", t.id);
}

Result<void> PostgresTeamRepo::Delete(Id id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("DELETE FROM teams WHERE id = $1"));
  stmt.Bind(id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(stmt, "team", id);
}

Result<std::optional<Team>> PostgresTeamRepo::Get(Id id) {
  static const std::string sql =
      "SELECT " + std::string(kTeamColumns) + " FROM teams WHERE id = $1";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(id);
  return rows::ReadOptional(stmt, rows::ReadTeam<Stmt>);
}

Result<std::vector<Team>> PostgresTeamRepo::List() {
  static const std::string sql =
      "SELECT " + std::string(kTeamColumns) + " FROM teams ORDER BY name, id";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  std::vector<Team> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    TANDEM_ASSIGN(auto t, rows::ReadTeam<Stmt>(stmt));
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace tandem::store::postgres
