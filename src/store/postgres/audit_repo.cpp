#include "store/common/rows.hpp"
#include "store/postgres/list_sql.hpp"
#include "store/postgres/repos.hpp"

namespace tandem::store::postgres {

using core::AuditEntry;
using core::Error;
using core::Fail;
using core::FromMillis;
using core::ToMillis;

namespace {}  // namespace

Result<Id> PostgresAuditRepo::Append(const AuditEntry& e) {
  TANDEM_ASSIGN(auto entry, ctx_.conn.Prepare(
                                "INSERT INTO audit_log (at, actor_user_id, actor_name, entity, "
                                "entity_id, action) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"));
  entry.Bind(ToMillis(e.at))
      .Bind(e.actor.user_id)
      .Bind(e.actor.name)
      .Bind(e.entity)
      .Bind(e.entity_id)
      .Bind(ToString(e.action));
  TANDEM_TRY(entry.Step());
  const Id id = entry.Int(0);
  std::int64_t seq = 0;
  for (const auto& change : e.changes) {
    TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(
                                 "INSERT INTO audit_changes (audit_id, seq, field, before, after) "
                                 "VALUES ($1, $2, $3, $4, $5)"));
    stmt.Bind(id).Bind(seq++).Bind(change.field).Bind(change.before).Bind(change.after);
    TANDEM_TRY(stmt.Run());
  }
  return id;
}

// Newest first: by (at, id) descending. The indexes (entity, entity_id, at) and
// (actor_user_id, at) serve the filtered lists, (at) the whole log.
Result<Page<AuditEntry>> PostgresAuditRepo::List(const core::AuditQuery& q) {
  const int limit = ClampLimit(q.page.limit);
  ListSql sql;
  if (q.entity) sql.Where("entity = ?", {*q.entity});
  if (q.entity_id) sql.Where("entity_id = ?", {*q.entity_id});
  if (q.actor_user_id) sql.Where("actor_user_id = ?", {*q.actor_user_id});
  if (q.page.after) {
    TANDEM_ASSIGN(std::int64_t after, IntegerCursorKey(*q.page.after));
    sql.After("at", core::SortDir::kDesc, after, q.page.after->id);
  }
  TANDEM_ASSIGN(
      auto stmt,
      sql.Prepare(ctx_.conn, "id, at, actor_user_id, actor_name, entity, entity_id, action",
                  "audit_log", "at", core::SortDir::kDesc, limit));
  TANDEM_ASSIGN(auto page, ReadPage<AuditEntry>(
                               stmt, limit, rows::ReadAuditEntry<Stmt>,
                               [](const AuditEntry& e) { return std::to_string(ToMillis(e.at)); }));
  for (auto& e : page.items) {
    TANDEM_ASSIGN(auto changes, ctx_.conn.Prepare("SELECT field, before, after FROM audit_changes "
                                                  "WHERE audit_id = $1 ORDER BY seq"));
    changes.Bind(e.id);
    while (true) {
      TANDEM_ASSIGN(bool row, changes.Step());
      if (!row) break;
      e.changes.push_back({changes.Text(0), changes.Text(1), changes.Text(2)});
    }
  }
  return page;
}

}  // namespace tandem::store::postgres
