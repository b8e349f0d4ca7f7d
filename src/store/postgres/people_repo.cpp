// Users and teams.
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

constexpr std::string_view kUserColumns =
    "id, email, name, role, team_id, active, created_at, updated_at";
constexpr std::string_view kTeamColumns =
    "id, name, function, manager_id, region, created_at, updated_at";

Result<User> ReadUser(const Stmt& s) {
  User u;
  u.id = s.Int(0);
  u.email = s.Text(1);
  u.name = s.Text(2);
  auto role = core::RoleFromString(s.TextView(3));
  if (!role) return Fail(Error::Internal("unknown role stored for user " + std::to_string(u.id)));
  u.role = *role;
  u.team_id = s.OptInt(4);
  u.active = s.Int(5) != 0;
  u.created_at = FromMillis(s.Int(6));
  u.updated_at = FromMillis(s.Int(7));
  return u;
}

Result<Team> ReadTeam(const Stmt& s) {
  Team t;
  t.id = s.Int(0);
  t.name = s.Text(1);
  auto function = core::TeamFunctionFromString(s.TextView(2));
  if (!function) {
    return Fail(Error::Internal("unknown function stored for team " + std::to_string(t.id)));
  }
  t.function = *function;
  t.manager_id = s.OptInt(3);
  t.region = s.Text(4);
  t.created_at = FromMillis(s.Int(5));
  t.updated_at = FromMillis(s.Int(6));
  return t;
}

template <class T>
Result<std::optional<T>> ReadOne(Stmt& stmt, Result<T> (*read)(const Stmt&)) {
  TANDEM_ASSIGN(bool row, stmt.Step());
  if (!row) return std::optional<T>();
  TANDEM_ASSIGN(auto value, read(stmt));
  return std::optional<T>(std::move(value));
}

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
  return ReadOne(stmt, ReadUser);
}

Result<std::optional<User>> PostgresUserRepo::FindByEmail(std::string_view normalized_email) {
  static const std::string sql =
      "SELECT " + std::string(kUserColumns) + " FROM users WHERE email = $1";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(normalized_email);
  return ReadOne(stmt, ReadUser);
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
  return ReadPage<User>(stmt, limit, ReadUser, [](const User& u) { return std::to_string(u.id); });
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
  return ReadOne(stmt, ReadTeam);
}

Result<std::vector<Team>> PostgresTeamRepo::List() {
  static const std::string sql =
      "SELECT " + std::string(kTeamColumns) + " FROM teams ORDER BY name, id";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  std::vector<Team> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    TANDEM_ASSIGN(auto t, ReadTeam(stmt));
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace tandem::store::postgres
