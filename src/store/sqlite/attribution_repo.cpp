#include <string>

#include "store/sqlite/repos.hpp"

namespace tandem::store::sqlite {

using core::ToMillis;

// One statement: the deals in scope, each joined to its contact's reach row (for the W-shape's
// MQL touch) and to its touches through the (contact_id, occurred_at) index of the events, in
// deal then time order; the deals are cut apart here as the rows stream by.
Result<std::vector<core::DealTouches>> SqliteFeedbackRepo::DealTouches(
    const core::AttributionQuery& q) {
  const std::string key =
      q.by == core::AttributionBreakdown::kCampaign ? "e.utm_campaign" : "e.utm_source";
  const std::string sql =
      "SELECT d.id, d.amount_minor, d.stage = 'won', d.created_at, coalesce(r.r2, r.r1),"
      " e.occurred_at, " +
      key +
      " FROM deals d"
      " LEFT JOIN contact_reach r ON r.contact_id = d.contact_id"
      " LEFT JOIN events e ON e.contact_id = d.contact_id AND e.occurred_at <= d.created_at"
      " AND (e.utm_campaign <> '' OR e.utm_source <> '')"
      " WHERE d.currency = ? AND ((d.stage = 'won' AND d.closed_at >= ? AND d.closed_at < ?)"
      " OR (d.stage = 'open' AND d.created_at >= ? AND d.created_at < ?))"
      " ORDER BY d.id, e.occurred_at, e.id";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  const std::int64_t from = ToMillis(q.from);
  const std::int64_t to = ToMillis(q.to);
  stmt.Bind(q.currency).Bind(from).Bind(to).Bind(from).Bind(to);
  std::vector<core::DealTouches> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    const Id id = stmt.Int(0);
    if (out.empty() || out.back().deal_id != id) {
      core::DealTouches d;
      d.deal_id = id;
      d.amount_minor = stmt.Int(1);
      d.won = stmt.Int(2) != 0;
      d.created_at = core::FromMillis(stmt.Int(3));
      if (!stmt.IsNull(4)) d.qualified_at = core::FromMillis(stmt.Int(4));
      out.push_back(std::move(d));
    }
    if (stmt.IsNull(5)) continue;  // a deal without touches
    out.back().touches.push_back({core::FromMillis(stmt.Int(5)), std::string(stmt.TextView(6))});
  }
  return out;
}

}  // namespace tandem::store::sqlite
