// The feedback repository (store/feedback_repo.hpp: dispositions of MQLs and the touches behind
// deals), written once for both backends over the backend's `Db` (store/common/sql_repo.hpp);
// each backend compiles it once. Read-only: one statement per call, aggregated in the database.
#pragma once

#include <string>
#include <vector>

#include "store/common/sql_repo.hpp"
#include "store/feedback_repo.hpp"

namespace tandem::store::common {

template <class Db>
class FeedbackRepoOn final : public FeedbackRepo {
 public:
  using Stmt = typename Db::Stmt;
  using Id = core::Id;
  template <class T>
  using Result = core::Result<T>;

  explicit FeedbackRepoOn(Db db) : db_(db) {}

  // One statement: the period's changes out of mql (the partial index of migration 0014), each
  // acceptance with the furthest stage its contact reached at or after it, grouped by key,
  // disposition and reason. The furthest stage comes from the contact's reach row when the
  // contact first reached sql at or after the acceptance (or never): its later instants are
  // then after it too. Only a contact that had reached sql before (recycled, qualified again)
  // needs a probe of its history by (contact_id, at).
  Result<std::vector<core::DispositionCounts>> Dispositions(const core::FeedbackQuery& q) override {
    TANDEM_ASSIGN(auto stmt, db_.Prepare(DispositionsSql(q.by)));
    stmt.Bind(core::ToMillis(q.from)).Bind(core::ToMillis(q.to));
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

  // One statement: the deals in scope, each joined to its contact's reach row (for the
  // W-shape's MQL touch) and to its touches through the (contact_id, occurred_at) index of the
  // events, in deal then time order; the deals are cut apart here as the rows stream by.
  Result<std::vector<core::DealTouches>> DealTouches(const core::AttributionQuery& q) override {
    static const std::string by_campaign = Db::Sql(DealTouchesSql("e.utm_campaign"));
    static const std::string by_source = Db::Sql(DealTouchesSql("e.utm_source"));
    TANDEM_ASSIGN(
        auto stmt,
        db_.Prepare(q.by == core::AttributionBreakdown::kCampaign ? by_campaign : by_source));
    const std::int64_t from = core::ToMillis(q.from);
    const std::int64_t to = core::ToMillis(q.to);
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

 private:
  static const std::string& DispositionsSql(core::FeedbackBreakdown by) {
    static const std::string campaign = Db::Sql(DispositionsText(kByCampaign, kContactJoin));
    static const std::string source = Db::Sql(DispositionsText(kBySource, kContactJoin));
    static const std::string persona = Db::Sql(DispositionsText(kByPersona, kPersonaJoin));
    switch (by) {
      case core::FeedbackBreakdown::kCampaign: return campaign;
      case core::FeedbackBreakdown::kSource: return source;
      case core::FeedbackBreakdown::kPersona: return persona;
    }
    return campaign;
  }

  // The group of a disposition as SQL over the change `h`, its contact `c` and its persona `p`,
  // and the join that brings them.
  static constexpr std::string_view kByCampaign = "c.campaign";
  static constexpr std::string_view kBySource = "c.source";
  static constexpr std::string_view kByPersona = "COALESCE(p.key, '')";
  static constexpr std::string_view kContactJoin = " JOIN contacts c ON c.id = h.contact_id";
  static constexpr std::string_view kPersonaJoin =
      " LEFT JOIN contact_scores s ON s.contact_id = h.contact_id"
      " LEFT JOIN personas p ON p.id = s.persona_id";

  static std::string DispositionsText(std::string_view key, std::string_view join) {
    return "SELECT k, rejected, reason, COUNT(*), SUM(CASE WHEN nx >= 4 THEN 1 ELSE 0 END),"
           " SUM(CASE WHEN nx >= 5 THEN 1 ELSE 0 END), SUM(CASE WHEN nx >= 6 THEN 1 ELSE 0 END)"
           " FROM (SELECT " +
           std::string(key) +
           " AS k, CASE WHEN h.cause = 'rejected' THEN 1 ELSE 0 END AS rejected,"
           " CASE WHEN h.cause = 'rejected' THEN h.reason ELSE '' END AS reason,"
           " CASE WHEN h.cause = 'rejected' OR r.r4 IS NULL THEN 0"
           " WHEN r.r4 >= h.at THEN (CASE WHEN r.r6 IS NOT NULL THEN 6"
           " WHEN r.r5 IS NOT NULL THEN 5 ELSE 4 END)"
           " ELSE (SELECT COALESCE(MAX(CASE n.to_stage"
           " WHEN 'sql' THEN 4 WHEN 'opportunity' THEN 5 WHEN 'customer' THEN 6 ELSE 0 END), 0)"
           " FROM stage_history n WHERE n.contact_id = h.contact_id AND n.at >= h.at) END AS nx"
           " FROM stage_history h" +
           std::string(join) + " LEFT JOIN contact_reach r ON r.contact_id = h.contact_id" +
           " WHERE h.from_stage = 'mql' AND h.at >= ? AND h.at < ? AND (h.cause = 'rejected' OR"
           " h.to_stage IN ('sal', 'sql', 'opportunity', 'customer'))"
           ") dispositions GROUP BY k, rejected, reason ORDER BY k, rejected, reason";
  }

  static std::string DealTouchesSql(std::string_view key) {
    return "SELECT d.id, d.amount_minor, CASE WHEN d.stage = 'won' THEN 1 ELSE 0 END,"
           " d.created_at, COALESCE(r.r2, r.r1), e.occurred_at, " +
           std::string(key) +
           " FROM deals d"
           " LEFT JOIN contact_reach r ON r.contact_id = d.contact_id"
           " LEFT JOIN events e ON e.contact_id = d.contact_id AND e.occurred_at <= d.created_at"
           " AND (e.utm_campaign <> '' OR e.utm_source <> '')"
           " WHERE d.currency = ? AND ((d.stage = 'won' AND d.closed_at >= ? AND d.closed_at < ?)"
           " OR (d.stage = 'open' AND d.created_at >= ? AND d.created_at < ?))"
           " ORDER BY d.id, e.occurred_at, e.id";
  }

  Db db_;
};

}  // namespace tandem::store::common
