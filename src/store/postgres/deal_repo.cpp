// Deals and activities on PostgreSQL.
#include "store/common/list_plans.hpp"
#include "store/common/rows.hpp"
#include "store/postgres/list_sql.hpp"
#include "store/postgres/repos.hpp"

namespace tandem::store::postgres {

using core::Activity;
using core::Deal;

namespace {

// The sort expression of expected_close, as 0001's deals_by_close index: '' for "no date".
const std::string kCloseKey = "coalesce(expected_close, '')";

}  // namespace

Result<void> PostgresDealRepo::CheckReferences(const Deal& d) {
  TANDEM_TRY(CheckReference(ctx_.conn, "contact_id", d.contact_id, "contacts", "contact"));
  TANDEM_TRY(CheckReference(ctx_.conn, "company_id", d.company_id, "companies", "company"));
  return CheckReference(ctx_.conn, "owner_id", d.owner_id, "users", "user");
}

Result<Id> PostgresDealRepo::Insert(const Deal& d) {
  TANDEM_TRY(CheckReferences(d));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("INSERT INTO deals (title, contact_id, company_id, owner_id, "
                                  "amount_minor, currency, stage, expected_close, closed_at, "
                                  "lost_reason, created_at, updated_at) VALUES ($1, $2, $3, $4, "
                                  "$5, $6, $7, $8, $9, $10, $11, $12) RETURNING id"));
  rows::BindDeal(stmt, d);
  TANDEM_TRY(stmt.Step());
  return stmt.Int(0);
}

Result<void> PostgresDealRepo::Update(const Deal& d) {
  TANDEM_TRY(CheckReferences(d));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("UPDATE deals SET title = $1, contact_id = $2, company_id = $3, "
                                  "owner_id = $4, amount_minor = $5, currency = $6, stage = $7, "
                                  "expected_close = $8, closed_at = $9, lost_reason = $10, "
                                  "created_at = $11, updated_at = $12 WHERE id = $13"));
  rows::BindDeal(stmt, d);
  stmt.Bind(d.id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(stmt, "deal", d.id);
}

Result<void> PostgresDealRepo::Delete(Id id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("DELETE FROM deals WHERE id = $1"));
  stmt.Bind(id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(stmt, "deal", id);
}

Result<std::optional<Deal>> PostgresDealRepo::Get(Id id) {
  static const std::string sql =
      "SELECT " + std::string(rows::kDealColumns) + " FROM deals WHERE id = $1";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(id);
  return rows::ReadOptional(stmt, rows::ReadDeal<Stmt>);
}

Result<Page<Deal>> PostgresDealRepo::List(const core::DealQuery& q) {
  TANDEM_ASSIGN(const DealListPlan p, PlanDealList(q, kCloseKey));
  ListSql sql;
  for (const ListCondition& c : p.conditions) sql.Where(c.sql, c.values);
  if (p.after) sql.After(p.sort_key, q.dir, p.after->first, p.after->second);
  TANDEM_ASSIGN(auto stmt,
                sql.Prepare(ctx_.conn, rows::kDealColumns, "deals", p.sort_key, q.dir, p.limit));
  return ReadPage<Deal>(stmt, p.limit, rows::ReadDeal<Stmt>,
                        [&q](const Deal& d) { return DealSortKey(q.sort, d); });
}

Result<void> PostgresActivityRepo::CheckReferences(const Activity& a) {
  TANDEM_TRY(CheckReference(ctx_.conn, "contact_id", a.contact_id, "contacts", "contact"));
  TANDEM_TRY(CheckReference(ctx_.conn, "deal_id", a.deal_id, "deals", "deal"));
  return CheckReference(ctx_.conn, "owner_id", a.owner_id, "users", "user");
}

Result<Id> PostgresActivityRepo::Insert(const Activity& a) {
  TANDEM_TRY(CheckReferences(a));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("INSERT INTO activities (type, contact_id, deal_id, owner_id, "
                                  "occurred_at, subject, outcome, body, duration_minutes, "
                                  "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                                  "$8, $9, $10, $11) RETURNING id"));
  rows::BindActivity(stmt, a);
  TANDEM_TRY(stmt.Step());
  return stmt.Int(0);
}

Result<void> PostgresActivityRepo::Update(const Activity& a) {
  TANDEM_TRY(CheckReferences(a));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("UPDATE activities SET type = $1, contact_id = $2, "
                                  "deal_id = $3, owner_id = $4, occurred_at = $5, subject = $6, "
                                  "outcome = $7, body = $8, duration_minutes = $9, "
                                  "created_at = $10, updated_at = $11 WHERE id = $12"));
  rows::BindActivity(stmt, a);
  stmt.Bind(a.id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(stmt, "activity", a.id);
}

Result<void> PostgresActivityRepo::Delete(Id id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("DELETE FROM activities WHERE id = $1"));
  stmt.Bind(id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(stmt, "activity", id);
}

Result<std::optional<Activity>> PostgresActivityRepo::Get(Id id) {
  static const std::string sql =
      "SELECT " + std::string(rows::kActivityColumns) + " FROM activities WHERE id = $1";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(id);
  return rows::ReadOptional(stmt, rows::ReadActivity<Stmt>);
}

Result<Page<Activity>> PostgresActivityRepo::List(const core::ActivityQuery& q) {
  TANDEM_ASSIGN(const ActivityListPlan p, PlanActivityList(q));
  ListSql sql;
  for (const ListCondition& c : p.filters) sql.Where(c.sql, c.values);
  if (p.after) sql.After("occurred_at", q.dir, p.after->first, p.after->second);
  for (const ListCondition& c : p.range) sql.Where(c.sql, c.values);
  TANDEM_ASSIGN(auto stmt, sql.Prepare(ctx_.conn, rows::kActivityColumns, "activities",
                                       "occurred_at", q.dir, p.limit));
  return ReadPage<Activity>(stmt, p.limit, rows::ReadActivity<Stmt>, [](const Activity& a) {
    return std::to_string(core::ToMillis(a.occurred_at));
  });
}

}  // namespace tandem::store::postgres
