#include <string>

#include "store/sqlite/repos.hpp"

namespace tandem::store::sqlite {

using core::FeedbackBreakdown;
using core::ToMillis;

namespace {

// The group of a disposition as SQL over the change `h`, its contact `c` and its persona `p`.
std::string KeySql(FeedbackBreakdown by) {
  switch (by) {
    case FeedbackBreakdown::kCampaign: return "c.campaign";
    case FeedbackBreakdown::kSource: return "c.source";
    case FeedbackBreakdown::kPersona: return "ifnull(p.key, '')";
  }
  return "''";
}

std::string JoinSql(FeedbackBreakdown by) {
  if (by == FeedbackBreakdown::kPersona) {
    return " LEFT JOIN contact_scores s ON s.contact_id = h.contact_id"
           " LEFT JOIN personas p ON p.id = s.persona_id";
  }
  return " JOIN contacts c ON c.id = h.contact_id";
}

}  // namespace

// One statement: the period's changes out of mql (the partial index of migration 0014), each
// acceptance with the furthest stage its contact reached at or after it, grouped by key,
// disposition and reason. The furthest stage comes from the contact's reach row when the
// contact first reached sql at or after the acceptance (or never): its later instants are then
// after it too. Only a contact that had reached sql before (recycled, qualified again) needs a
// probe of its history by (contact_id, at).
Result<std::vector<core::DispositionCounts>> SqliteFeedbackRepo::Dispositions(
    const core::FeedbackQuery& q) {
  const std::string sql =
      "SELECT k, rejected, reason, COUNT(*), SUM(nx >= 4), SUM(nx >= 5), SUM(nx >= 6) FROM ("
      "SELECT " +
      KeySql(q.by) +
      " AS k, h.cause = 'rejected' AS rejected,"
      " CASE WHEN h.cause = 'rejected' THEN h.reason ELSE '' END AS reason,"
      " CASE WHEN h.cause = 'rejected' OR r.r4 IS NULL THEN 0"
      " WHEN r.r4 >= h.at THEN (CASE WHEN r.r6 IS NOT NULL THEN 6 WHEN r.r5 IS NOT NULL THEN 5"
      " ELSE 4 END)"
      " ELSE (SELECT ifnull(MAX(CASE n.to_stage"
      " WHEN 'sql' THEN 4 WHEN 'opportunity' THEN 5 WHEN 'customer' THEN 6 ELSE 0 END), 0)"
      " FROM stage_history n WHERE n.contact_id = h.contact_id AND n.at >= h.at) END AS nx"
      " FROM stage_history h" +
      JoinSql(q.by) + " LEFT JOIN contact_reach r ON r.contact_id = h.contact_id" +
      " WHERE h.from_stage = 'mql' AND h.at >= ? AND h.at < ? AND (h.cause = 'rejected' OR"
      " h.to_stage IN ('sal', 'sql', 'opportunity', 'customer'))"
      ") GROUP BY k, rejected, reason ORDER BY k, rejected, reason";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(ToMillis(q.from)).Bind(ToMillis(q.to));
  std::vector<core::DispositionCounts> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    const std::string_view key = stmt.TextView(0);
    if (out.empty() || out.back().key != key) {
      out.emplace_back();
      out.back().key = std::string(key);
    }
    core::DispositionCounts& c = out.back();
    const std::int64_t n = stmt.Int(3);
    if (stmt.Int(1) != 0) {
      c.rejected += n;
      c.reasons.emplace_back(std::string(stmt.TextView(2)), n);
    } else {
      c.accepted += n;
      for (std::size_t i = 0; i < core::kNextStageCount; ++i) {
        c.next[i] += stmt.Int(4 + static_cast<int>(i));
      }
    }
  }
  return out;
}

}  // namespace tandem::store::sqlite
