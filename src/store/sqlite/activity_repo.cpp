#include "store/common/list_plans.hpp"
#include "store/common/rows.hpp"
#include "store/sqlite/list_sql.hpp"
#include "store/sqlite/repos.hpp"

namespace tandem::store::sqlite {

using core::Activity;
using core::Error;
using core::Fail;
using core::FromMillis;
using core::ToMillis;

namespace {

constexpr std::string_view kColumns = rows::kActivityColumns;

}  // namespace

Result<void> SqliteActivityRepo::CheckReferences(const Activity& a) {
  TANDEM_TRY(CheckReference(ctx_.conn, "contact_id", a.contact_id, "contacts", "contact"));
  TANDEM_TRY(CheckReference(ctx_.conn, "deal_id", a.deal_id, "deals", "deal"));
  return CheckReference(ctx_.conn, "owner_id", a.owner_id, "users", "user");
}

Result<Id> SqliteActivityRepo::Insert(const Activity& a) {
  TANDEM_TRY(CheckReferences(a));
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(
                               "INSERT INTO activities (type, contact_id, deal_id, owner_id, "
                               "occurred_at, subject, outcome, body, duration_minutes, "
                               "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  rows::BindActivity(stmt, a);
  TANDEM_TRY(stmt.Run());
  return ctx_.conn.LastInsertId();
}

Result<void> SqliteActivityRepo::Update(const Activity& a) {
  TANDEM_TRY(CheckReferences(a));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("UPDATE activities SET type = ?, contact_id = ?, deal_id = ?, "
                                  "owner_id = ?, occurred_at = ?, subject = ?, outcome = ?, "
                                  "body = ?, duration_minutes = ?, created_at = ?, updated_at = ? "
                                  "WHERE id = ?"));
  rows::BindActivity(stmt, a);
  stmt.Bind(a.id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(ctx_.conn, "activity", a.id);
}

Result<void> SqliteActivityRepo::Delete(Id id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("DELETE FROM activities WHERE id = ?"));
  stmt.Bind(id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(ctx_.conn, "activity", id);
}

Result<std::optional<Activity>> SqliteActivityRepo::Get(Id id) {
  static const std::string sql =
      "SELECT " + std::string(kColumns) + " FROM activities WHERE id = ?";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(id);
  return rows::ReadOptional(stmt, rows::ReadActivity<Stmt>);
}

// Always by occurred_at: every filter has an index (filter, occurred_at), so each page is one
// index range whichever filter SQLite picks.
Result<Page<Activity>> SqliteActivityRepo::List(const core::ActivityQuery& q) {
  TANDEM_ASSIGN(const ActivityListPlan p, PlanActivityList(q));
  ListSql sql;
  for (const ListCondition& c : p.filters) sql.Where(c.sql, c.values);
  // The keyset bound first: SQLite seeks with the first bound it finds (the tighter one here).
  if (p.after) sql.After("occurred_at", q.dir, p.after->first, p.after->second);
  for (const ListCondition& c : p.range) sql.Where(c.sql, c.values);
  TANDEM_ASSIGN(auto stmt,
                sql.Prepare(ctx_.conn, kColumns, "activities", "occurred_at", q.dir, p.limit));
  return ReadPage<Activity>(stmt, p.limit, rows::ReadActivity<Stmt>, [](const Activity& a) {
    return std::to_string(ToMillis(a.occurred_at));
  });
}

}  // namespace tandem::store::sqlite
