#include "store/common/list_plans.hpp"
#include "store/common/rows.hpp"
#include "store/sqlite/list_sql.hpp"
#include "store/sqlite/repos.hpp"

namespace tandem::store::sqlite {

using core::Deal;
using core::DealSort;
using core::Error;
using core::Fail;
using core::FromMillis;
using core::ToMillis;

namespace {

constexpr std::string_view kColumns = rows::kDealColumns;

// The sort expression of expected_close: '' stands for "no date" (see sqlite_store.hpp); the
// expression of the index deals_by_close.
const std::string kCloseKey = "ifnull(expected_close, '')";

}  // namespace

Result<void> SqliteDealRepo::CheckReferences(const Deal& d) {
  TANDEM_TRY(CheckReference(ctx_.conn, "contact_id", d.contact_id, "contacts", "contact"));
  TANDEM_TRY(CheckReference(ctx_.conn, "company_id", d.company_id, "companies", "company"));
  return CheckReference(ctx_.conn, "owner_id", d.owner_id, "users", "user");
}

Result<Id> SqliteDealRepo::Insert(const Deal& d) {
  TANDEM_TRY(CheckReferences(d));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("INSERT INTO deals (title, contact_id, company_id, owner_id, "
                                  "amount_minor, currency, stage, expected_close, closed_at, "
                                  "lost_reason, created_at, updated_at) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  rows::BindDeal(stmt, d);
  TANDEM_TRY(stmt.Run());
  return ctx_.conn.LastInsertId();
}

Result<void> SqliteDealRepo::Update(const Deal& d) {
  TANDEM_TRY(CheckReferences(d));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("UPDATE deals SET title = ?, contact_id = ?, company_id = ?, "
                                  "owner_id = ?, amount_minor = ?, currency = ?, stage = ?, "
                                  "expected_close = ?, closed_at = ?, lost_reason = ?, "
                                  "created_at = ?, updated_at = ? WHERE id = ?"));
  rows::BindDeal(stmt, d);
  stmt.Bind(d.id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(ctx_.conn, "deal", d.id);
}

Result<void> SqliteDealRepo::Delete(Id id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("DELETE FROM deals WHERE id = ?"));
  stmt.Bind(id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(ctx_.conn, "deal", id);
}

Result<std::optional<Deal>> SqliteDealRepo::Get(Id id) {
  static const std::string sql = "SELECT " + std::string(kColumns) + " FROM deals WHERE id = ?";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(id);
  return rows::ReadOptional(stmt, rows::ReadDeal<Stmt>);
}

// Deals number in the thousands to hundreds of thousands: every filter has an index ending with
// created_at, and SQLite's planner (with ANALYZE statistics) picks between them.
Result<Page<Deal>> SqliteDealRepo::List(const core::DealQuery& q) {
  TANDEM_ASSIGN(const DealListPlan p, PlanDealList(q, kCloseKey));
  ListSql sql;
  for (const ListCondition& c : p.conditions) sql.Where(c.sql, c.values);
  if (p.after) sql.After(p.sort_key, q.dir, p.after->first, p.after->second);
  TANDEM_ASSIGN(auto stmt, sql.Prepare(ctx_.conn, kColumns, "deals", p.sort_key, q.dir, p.limit));
  return ReadPage<Deal>(stmt, p.limit, rows::ReadDeal<Stmt>,
                        [&q](const Deal& d) { return DealSortKey(q.sort, d); });
}

}  // namespace tandem::store::sqlite
