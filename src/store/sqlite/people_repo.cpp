// Users and teams.
#include "store/common/rows.hpp"
#include "store/sqlite/list_sql.hpp"
#include "store/sqlite/repos.hpp"

namespace tandem::store::sqlite {

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

Result<Id> SqliteUserRepo::Insert(const User& u, std::string_view password_hash) {
  TANDEM_TRY(CheckReference(ctx_.conn, "team_id", u.team_id, "teams", "team"));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("INSERT INTO users (email, name, role, team_id, active, "
                                  "password_hash, created_at, updated_at) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  stmt.Bind(u.email)
      .Bind(u.name)
      .Bind(ToString(u.role))
      .Bind(u.team_id)
      .Bind(u.active ? 1 : 0)
      .Bind(password_hash)
      .Bind(ToMillis(u.created_at))
      .Bind(ToMillis(u.updated_at));
  TANDEM_TRY(stmt.Run());
  return ctx_.conn.LastInsertId();
}

Result<void> SqliteUserRepo::Update(const User& u) {
  TANDEM_TRY(CheckReference(ctx_.conn, "team_id", u.team_id, "teams", "team"));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("UPDATE users SET email = ?, name = ?, role = ?, team_id = ?, "
                                  "active = ?, created_at = ?, updated_at = ? WHERE id = ?"));
  stmt.Bind(u.email)
      .Bind(u.name)
      .Bind(ToString(u.role))
      .Bind(u.team_id)
      .Bind(u.active ? 1 : 0)
      .Bind(ToMillis(u.created_at))
      .Bind(ToMillis(u.updated_at))
      .Bind(u.id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(ctx_.conn, "user", u.id);
}

Result<void> SqliteUserRepo::SetPasswordHash(Id id, std::string_view password_hash) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("UPDATE users SET password_hash = ? WHERE id = ?"));
  stmt.Bind(password_hash).Bind(id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(ctx_.conn, "user", id);
}

Result<std::optional<User>> SqliteUserRepo::Get(Id id) {
  static const std::string sql = "SELECT " + std::string(kUserColumns) + " FROM users WHERE id = ?";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(id);
  return rows::ReadOptional(stmt, rows::ReadUser<Stmt>);
}

Result<std::optional<User>> SqliteUserRepo::FindByEmail(std::string_view normalized_email) {
  static const std::string sql =
      "SELECT " + std::string(kUserColumns) + " FROM users WHERE email = ?";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(normalized_email);
  return rows::ReadOptional(stmt, rows::ReadUser<Stmt>);
}

Result<std::string> SqliteUserRepo::GetPasswordHash(Id id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("SELECT password_hash FROM users WHERE id = ?"));
  stmt.Bind(id);
  TANDEM_ASSIGN(bool row, stmt.Step());
  if (!row) return Fail(Error::NotFound("user " + std::to_string(id) + " does not exist"));
  return stmt.Text(0);
}

// By id; the cursor key is the id as text.
Result<Page<User>> SqliteUserRepo::List(const core::UserQuery& q) {
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

Result<Id> SqliteTeamRepo::Insert(const Team& t) {
  TANDEM_TRY(CheckReference(ctx_.conn, "manager_id", t.manager_id, "users", "user"));
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(
                               "INSERT INTO teams (name, function, manager_id, region, created_at, "
                               "updated_at) VALUES (?, ?, ?, ?, ?, ?)"));
  stmt.Bind(t.name)
      .Bind(ToString(t.function))
      .Bind(t.manager_id)
      .Bind(t.region)
      .Bind(ToMillis(t.created_at))
      .Bind(ToMillis(t.updated_at));
  TANDEM_TRY(stmt.Run());
  return ctx_.conn.LastInsertId();
}

Result<void> SqliteTeamRepo::Update(const Team& t) {
  TANDEM_TRY(CheckReference(ctx_.conn, "manager_id", t.manager_id, "users", "user"));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("UPDATE teams SET name = ?, function = ?, manager_id = ?, "
                                  "region = ?, created_at = ?, updated_at = ? WHERE id = ?"));
  stmt.Bind(t.name)
      .Bind(ToString(t.function))
      .Bind(t.manager_id)
      .Bind(t.region)
      .Bind(ToMillis(t.created_at))
      .Bind(ToMillis(t.updated_at))
      .Bind(t.id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(ctx_.conn, "team", t.id);
}

Result<void> SqliteTeamRepo::Delete(Id id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("DELETE FROM teams WHERE id = ?"));
  stmt.Bind(id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(ctx_.conn, "team", id);
}

Result<std::optional<Team>> SqliteTeamRepo::Get(Id id) {
  static const std::string sql = "SELECT " + std::string(kTeamColumns) + " FROM teams WHERE id = ?";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(id);
  return rows::ReadOptional(stmt, rows::ReadTeam<Stmt>);
}

Result<std::vector<Team>> SqliteTeamRepo::List() {
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

}  // namespace tandem::store::sqlite
