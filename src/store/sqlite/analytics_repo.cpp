#include <map>
#include <string>

#include "store/sqlite/repos.hpp"

namespace tandem::store::sqlite {

using core::FunnelBreakdown;
using core::FunnelCounts;
using core::FunnelQuery;
using core::FunnelView;
using core::kMainStageCount;
using core::kStepCount;
using core::ToMillis;

namespace {

constexpr std::int64_t kHourMs = 3'600'000;

// The rank of a main-path stage code as SQL (NULL for recycled and disqualified).
constexpr const char* kRankOfTo =
    "CASE h.to_stage WHEN 'visitor' THEN 0 WHEN 'lead' THEN 1 WHEN 'mql' THEN 2 "
    "WHEN 'sal' THEN 3 WHEN 'sql' THEN 4 WHEN 'opportunity' THEN 5 WHEN 'customer' THEN 6 END";
constexpr const char* kRankOfFrom =
    "CASE h.from_stage WHEN 'visitor' THEN 0 WHEN 'lead' THEN 1 WHEN 'mql' THEN 2 "
    "WHEN 'sal' THEN 3 WHEN 'sql' THEN 4 WHEN 'opportunity' THEN 5 END";

// The breakdown key as SQL over contacts `c`; `at` is the instant the week is taken from.
std::string KeyExpr(FunnelBreakdown by, const std::string& at) {
  switch (by) {
    case FunnelBreakdown::kNone: return "''";
    case FunnelBreakdown::kSource: return "c.source";
    case FunnelBreakdown::kCampaign: return "c.campaign";
    case FunnelBreakdown::kOwner: return "ifnull(CAST(c.owner_id AS TEXT), '')";
    case FunnelBreakdown::kWeek:
      return "date(" + at + " / 1000, 'unixepoch', '-6 days', 'weekday 1')";
  }
  return "''";
}

bool NeedsContacts(const FunnelQuery& q) {
  return q.by == FunnelBreakdown::kSource || q.by == FunnelBreakdown::kCampaign ||
         q.by == FunnelBreakdown::kOwner || q.source || q.campaign || q.owner_id;
}

// " AND c.source = ?..." for the filters set; bound by BindFilters in the same order.
std::string FilterSql(const FunnelQuery& q) {
  std::string out;
  if (q.source) out += " AND c.source = ?";
  if (q.campaign) out += " AND c.campaign = ?";
  if (q.owner_id) out += " AND c.owner_id = ?";
  return out;
}

void BindFilters(Stmt& stmt, const FunnelQuery& q) {
  if (q.source) stmt.Bind(*q.source);
  if (q.campaign) stmt.Bind(*q.campaign);
  if (q.owner_id) stmt.Bind(*q.owner_id);
}

std::string R(std::size_t k) {
  return "f.r" + std::to_string(k);
}

}  // namespace

Result<std::vector<FunnelCounts>> SqliteAnalyticsRepo::Funnel(const FunnelQuery& q) {
  std::map<std::string, FunnelCounts> by_key;
  auto at_key = [&](std::string key) -> FunnelCounts& {
    auto [it, inserted] = by_key.try_emplace(key);
    if (inserted) it->second.key = std::move(key);
    return it->second;
  };
  const std::string join =
      NeedsContacts(q) ? " JOIN contacts c ON c.id = f.contact_id" : std::string();
  const std::string filters = FilterSql(q);
  const std::int64_t from = ToMillis(q.from);
  const std::int64_t to = ToMillis(q.to);

  // Contacts reaching each stage in the period (both views), and for the cohort view the step
  // counts and durations: hour bucket -1 holds those that did not pass within the window.
  for (std::size_t k = 0; k < kMainStageCount; ++k) {
    const std::string rk = R(k);
    const bool cohort_step = q.view == FunnelView::kCohort && k + 1 < kMainStageCount;
    std::string bucket = "-1";
    if (cohort_step) {
      const std::string rn = R(k + 1);
      bucket = "CASE WHEN " + rn + " IS NOT NULL AND " + rn + " - " + rk + " <= ? THEN (" + rn +
               " - " + rk + ") / " + std::to_string(kHourMs) + " ELSE -1 END";
    }
    const std::string sql = "SELECT " + KeyExpr(q.by, rk) + " AS k, " + bucket +
                            " AS b, COUNT(*) FROM contact_reach f" + join + " WHERE " + rk +
                            " >= ? AND " + rk + " < ?" + filters + " GROUP BY k, b";
    TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
    if (cohort_step) stmt.Bind(q.window_ms);
    stmt.Bind(from).Bind(to);
    BindFilters(stmt, q);
    while (true) {
      TANDEM_ASSIGN(bool row, stmt.Step());
      if (!row) break;
      FunnelCounts& c = at_key(stmt.Text(0));
      const std::int64_t b = stmt.Int(1);
      const std::int64_t n = stmt.Int(2);
      c.reached[k] += n;
      if (cohort_step) {
        c.base[k] += n;
        if (b >= 0) {
          c.passed[k] += n;
          c.hours[k].emplace_back(b, n);
        }
      }
    }
  }

  if (q.view == FunnelView::kPeriod) {
    // Transitions recorded in the period: a move forward from stage X (or from recycled,
    // which re-enters at mql) passes every step from X up to the stage entered; a move from
    // main-path stage X to recycled or disqualified drops at step X.
    const std::string hjoin =
        NeedsContacts(q) ? " JOIN contacts c ON c.id = h.contact_id" : std::string();
    const std::string sql =
        "WITH t AS (SELECT " + KeyExpr(q.by, "h.at") + " AS k, " + kRankOfTo + " AS tr, " +
        "CASE WHEN h.from_stage = 'recycled' THEN 2 ELSE " + kRankOfFrom + " END AS fr, " +
        kRankOfFrom + " AS fm, " + "h.to_stage IN ('recycled', 'disqualified') AS out " +
        "FROM stage_history h" + hjoin + " WHERE h.at >= ? AND h.at < ?" + filters +
        "), s(n) AS (VALUES (0), (1), (2), (3), (4), (5)) "
        "SELECT t.k, s.n, SUM(t.tr IS NOT NULL), COUNT(*) FROM t JOIN s ON "
        "(t.tr IS NOT NULL AND t.fr <= s.n AND s.n < t.tr) OR "
        "(t.out AND t.fm = s.n) GROUP BY t.k, s.n";
    // A recycled contact disqualified is not a drop at any step (fm is NULL for it).
    TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
    stmt.Bind(from).Bind(to);
    BindFilters(stmt, q);
    while (true) {
      TANDEM_ASSIGN(bool row, stmt.Step());
      if (!row) break;
      FunnelCounts& c = at_key(stmt.Text(0));
      const auto n = static_cast<std::size_t>(stmt.Int(1));
      c.passed[n] += stmt.Int(2);
      c.base[n] += stmt.Int(3);
    }
    // Time in stage for the contacts that passed each step in the period.
    for (std::size_t k = 0; k + 1 < kMainStageCount; ++k) {
      const std::string rk = R(k);
      const std::string rn = R(k + 1);
      const std::string hsql =
          "SELECT " + KeyExpr(q.by, rn) + " AS k, (" + rn + " - " + rk + ") / " +
          std::to_string(kHourMs) + " AS b, COUNT(*) FROM contact_reach f" + join + " WHERE " + rn +
          " >= ? AND " + rn + " < ? AND " + rk + " IS NOT NULL" + filters + " GROUP BY k, b";
      TANDEM_ASSIGN(auto hs, ctx_.conn.Prepare(hsql));
      hs.Bind(from).Bind(to);
      BindFilters(hs, q);
      while (true) {
        TANDEM_ASSIGN(bool row, hs.Step());
        if (!row) break;
        at_key(hs.Text(0)).hours[k].emplace_back(hs.Int(1), hs.Int(2));
      }
    }
  }

  std::vector<FunnelCounts> out;
  if (q.by == FunnelBreakdown::kNone && by_key.empty()) out.emplace_back();
  for (auto& [key, counts] : by_key) out.push_back(std::move(counts));
  return out;
}

Result<WonDealsSummary> SqliteAnalyticsRepo::WonDeals(core::Instant from, core::Instant to,
                                                      std::string_view currency) {
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("SELECT COUNT(*), ifnull(SUM(amount_minor), 0) FROM deals "
                                  "WHERE stage = 'won' AND closed_at >= ? AND closed_at < ? "
                                  "AND currency = ?"));
  stmt.Bind(ToMillis(from)).Bind(ToMillis(to)).Bind(currency);
  TANDEM_ASSIGN(bool row, stmt.Step());
  WonDealsSummary s;
  if (row) {
    s.count = stmt.Int(0);
    s.amount_minor = stmt.Int(1);
  }
  return s;
}

}  // namespace tandem::store::sqlite
