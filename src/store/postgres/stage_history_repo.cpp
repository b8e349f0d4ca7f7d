// The stage history on PostgreSQL; contact_reach follows each insert by trigger (0007), except
// in bulk mode, where the changes go in by COPY and WriteBulk builds the reach rows at the end.
#include <unordered_set>

#include "store/common/reach_sql.hpp"
#include "store/common/rows.hpp"
#include "store/postgres/copy_rows.hpp"
#include "store/postgres/repos.hpp"

namespace tandem::store::postgres {

using core::StageChange;

namespace {

Result<Id> InsertChange(Connection& conn, const StageChange& change) {
  TANDEM_ASSIGN(auto stmt,
                conn.Prepare("INSERT INTO stage_history (contact_id, from_stage, to_stage, at, "
                             "actor_user_id, actor_name, cause, reason, mql_grade, "
                             "mql_persona_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
                             "RETURNING id"));
  rows::BindStageChange(stmt, change);
  TANDEM_TRY(stmt.Step());
  return stmt.Int(0);
}

}  // namespace

Result<void> RebuildReach(Connection& conn, Id contact_id) {
  {
    TANDEM_ASSIGN(auto del, conn.Prepare("DELETE FROM contact_reach WHERE contact_id = $1"));
    del.Bind(contact_id);
    TANDEM_TRY(del.Run());
  }
  static const std::string sql = Connection::Placeholders(rows::RebuildReachSql());
  TANDEM_ASSIGN(auto stmt, conn.Prepare(sql));
  stmt.Bind(contact_id);
  return stmt.Run();
}

Result<Id> PostgresStageHistoryRepo::Append(const StageChange& change) {
  TANDEM_TRY(CheckReference(ctx_.conn, "contact_id", change.contact_id, "contacts", "contact"));
  return InsertChange(ctx_.conn, change);
}

namespace {

// Bulk mode: the contacts are checked in one statement (and, only when one is missing, one by
// one in order, to name it as AppendMany does), then every change goes in by one COPY.
Result<void> CopyChanges(Connection& conn, const std::vector<StageChange>& changes) {
  std::vector<Id> ids;
  std::unordered_set<Id> seen;
  for (const StageChange& change : changes) {
    if (seen.insert(change.contact_id).second) ids.push_back(change.contact_id);
  }
  {
    TANDEM_ASSIGN(auto stmt,
                  conn.Prepare("SELECT count(*) FROM contacts WHERE id = ANY($1::bigint[])"));
    stmt.Bind(IdArray(ids));
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row || stmt.Int(0) != static_cast<std::int64_t>(ids.size())) {
      for (Id id : ids) {
        TANDEM_TRY(CheckReference(conn, "contact_id", id, "contacts", "contact"));
      }
    }
  }
  std::string data;
  data.reserve(changes.size() * 96);
  for (const StageChange& change : changes) {
    CopyRow row(data);
    rows::BindStageChange(row, change);
    row.End();
  }
  return conn.CopyIn(
      "COPY stage_history (contact_id, from_stage, to_stage, at, actor_user_id, actor_name, "
      "cause, reason, mql_grade, mql_persona_id) FROM STDIN",
      data);
}

}  // namespace

Result<void> PostgresStageHistoryRepo::AppendMany(const std::vector<StageChange>& changes) {
  if (changes.empty()) return {};
  if (ctx_.InBulk()) return CopyChanges(ctx_.conn, changes);
  Id checked = 0;
  for (const StageChange& change : changes) {
    // Changes come grouped by contact: one check per contact.
    if (change.contact_id != checked) {
      TANDEM_TRY(CheckReference(ctx_.conn, "contact_id", change.contact_id, "contacts", "contact"));
      checked = change.contact_id;
    }
    TANDEM_TRY(InsertChange(ctx_.conn, change));
  }
  return {};
}

Result<std::vector<StageChange>> PostgresStageHistoryRepo::ListForContact(Id contact_id) {
  static const std::string sql = "SELECT " + std::string(rows::kStageChangeColumns) +
                                 " FROM stage_history WHERE contact_id = $1 ORDER BY at, id";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(contact_id);
  std::vector<StageChange> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    TANDEM_ASSIGN(auto change, rows::ReadStageChange(stmt));
    out.push_back(std::move(change));
  }
  return out;
}

Result<void> PostgresStageHistoryRepo::RecordMqlQuality(Id contact_id,
                                                        const core::MqlQuality& quality) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("UPDATE stage_history SET mql_grade = $1, "
                                             "mql_persona_id = $2 WHERE contact_id = $3 AND "
                                             "to_stage = 'mql' AND mql_grade IS NULL"));
  stmt.Bind(core::ToString(quality.grade)).Bind(quality.persona_id).Bind(contact_id);
  return stmt.Run();
}

}  // namespace tandem::store::postgres
