#include <array>
#include <string>

#include "store/common/reach_sql.hpp"
#include "store/common/rows.hpp"
#include "store/sqlite/repos.hpp"

namespace tandem::store::sqlite {

using core::FromMillis;
using core::StageChange;
using core::ToMillis;

namespace {

Result<void> InsertChange(Connection& conn, const StageChange& change) {
  TANDEM_ASSIGN(auto stmt,
                conn.Prepare("INSERT INTO stage_history (contact_id, from_stage, to_stage, at, "
                             "actor_user_id, actor_name, cause, reason, mql_grade, "
                             "mql_persona_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  rows::BindStageChange(stmt, change);
  return stmt.Run();
}

}  // namespace

Result<void> RebuildReach(Connection& conn, Id contact_id) {
  {
    TANDEM_ASSIGN(auto del, conn.Prepare("DELETE FROM contact_reach WHERE contact_id = ?"));
    del.Bind(contact_id);
    TANDEM_TRY(del.Run());
  }
  static const std::string sql = rows::RebuildReachSql();
  TANDEM_ASSIGN(auto stmt, conn.Prepare(sql));
  stmt.Bind(contact_id);
  return stmt.Run();
}

Result<Id> SqliteStageHistoryRepo::Append(const StageChange& change) {
  TANDEM_TRY(CheckReference(ctx_.conn, "contact_id", change.contact_id, "contacts", "contact"));
  TANDEM_TRY(InsertChange(ctx_.conn, change));
  return ctx_.conn.LastInsertId();  // contact_reach follows by trigger (migration 0007)
}

Result<void> SqliteStageHistoryRepo::AppendMany(const std::vector<StageChange>& changes) {
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

Result<std::vector<StageChange>> SqliteStageHistoryRepo::ListForContact(Id contact_id) {
  static const std::string sql = "SELECT " + std::string(rows::kStageChangeColumns) +
                                 " FROM stage_history WHERE contact_id = ? ORDER BY at, id";
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

Result<void> SqliteStageHistoryRepo::RecordMqlQuality(Id contact_id,
                                                      const core::MqlQuality& quality) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("UPDATE stage_history SET mql_grade = ?, "
                                             "mql_persona_id = ? WHERE contact_id = ? AND "
                                             "to_stage = 'mql' AND mql_grade IS NULL"));
  stmt.Bind(core::ToString(quality.grade)).Bind(quality.persona_id).Bind(contact_id);
  return stmt.Run();
}

}  // namespace tandem::store::sqlite
