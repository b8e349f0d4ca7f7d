// The analytics repository (store.hpp's AnalyticsRepo: the funnel, won deals, goal metrics and
// current stage counts), written once for both backends over the backend's `Db`
// (store/common/sql_repo.hpp); each backend compiles it once (sqlite/analytics_repo.cpp,
// postgres/analytics_repo.cpp).
//
// The statements are in the SQL both take: COALESCE, `WHERE 1 = 1`, a boolean read as a number
// written `CASE WHEN ... THEN 1 ELSE 0 END`, sums cast to BIGINT (PostgreSQL's SUM of a BIGINT
// is NUMERIC). SQLite's plans are those of the statements it had before they were shared (no
// index hint was needed: its planner picks contact_reach's and stage_history's indexes alone).
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/common/sql_repo.hpp"
#include "store/store.hpp"

namespace tandem::store::common {

namespace analytics_sql {

inline constexpr std::int64_t kHourMs = 3'600'000;

// The rank of a main-path stage code as SQL (NULL for recycled and disqualified).
inline constexpr const char* kRankOfTo =
    "CASE h.to_stage WHEN 'visitor' THEN 0 WHEN 'lead' THEN 1 WHEN 'mql' THEN 2 "
    "WHEN 'sal' THEN 3 WHEN 'sql' THEN 4 WHEN 'opportunity' THEN 5 WHEN 'customer' THEN 6 END";
inline constexpr const char* kRankOfFrom =
    "CASE h.from_stage WHEN 'visitor' THEN 0 WHEN 'lead' THEN 1 WHEN 'mql' THEN 2 "
    "WHEN 'sal' THEN 3 WHEN 'sql' THEN 4 WHEN 'opportunity' THEN 5 END";

inline bool NeedsContacts(const core::FunnelQuery& q) {
  using core::FunnelBreakdown;
  return q.by == FunnelBreakdown::kSource || q.by == FunnelBreakdown::kCampaign ||
         q.by == FunnelBreakdown::kOwner || q.by == FunnelBreakdown::kPersona || q.source ||
         q.campaign || q.owner_id;
}

// " AND c.source = ?..." for the filters set; bound by BindFilters in the same order.
inline std::string FilterSql(const core::FunnelQuery& q) {
  std::string out;
  if (q.source) out += " AND c.source = ?";
  if (q.campaign) out += " AND c.campaign = ?";
  if (q.owner_id) out += " AND c.owner_id = ?";
  return out;
}

template <class Stmt>
void BindFilters(Stmt& stmt, const core::FunnelQuery& q) {
  if (q.source) stmt.Bind(*q.source);
  if (q.campaign) stmt.Bind(*q.campaign);
  if (q.owner_id) stmt.Bind(*q.owner_id);
}

// Per breakdown value while counting: histograms as hash maps, turned into sorted vectors at
// the end.
struct Acc {
  core::FunnelCounts counts;
  std::array<std::unordered_map<std::int64_t, std::int64_t>, core::kStepCount> hours;
};

// The Monday (UTC) of the week holding `ms`, "YYYY-MM-DD"; cached per day.
class WeekKeys {
 public:
  const std::string& Of(std::int64_t ms) {
    std::int64_t day = ms / kDayMs;
    if (ms < 0 && ms % kDayMs != 0) --day;
    const std::int64_t monday = day - (((day + 3) % 7) + 7) % 7;  // 1970-01-01 was a Thursday
    auto it = cache_.find(monday);
    if (it != cache_.end()) return it->second;
    const core::Date d{std::chrono::days{monday}};
    return cache_.emplace(monday, core::FormatDate(d)).first->second;
  }

 private:
  static constexpr std::int64_t kDayMs = 86'400'000;
  std::unordered_map<std::int64_t, std::string> cache_;
};

// The breakdown value of a contact as SQL over contacts `c` (none for the week, computed per
// stage from the instants).
inline std::string ContactKeySql(core::FunnelBreakdown by) {
  using core::FunnelBreakdown;
  switch (by) {
    case FunnelBreakdown::kSource: return "c.source";
    case FunnelBreakdown::kCampaign: return "c.campaign";
    case FunnelBreakdown::kOwner: return "COALESCE(CAST(c.owner_id AS TEXT), '')";
    case FunnelBreakdown::kPersona:
      return "COALESCE((SELECT p.key FROM contact_scores s JOIN personas p ON p.id = "
             "s.persona_id WHERE s.contact_id = c.id), '')";
    case FunnelBreakdown::kNone:
    case FunnelBreakdown::kWeek: break;
  }
  return "''";
}

// Every contact's breakdown value, for the period view's pass over the stage changes: that pass
// reads about one change per contact per quarter, and looking each change's contact up is a
// B-tree descent per row (2 us on SQLite, most of the period view's time at 1M contacts); one
// scan of a narrow covering index (contacts by source, campaign or owner: entries of value and
// id) gives every value at once, kept in a vector by contact id. Contacts the filters leave out,
// and ids with no contact, have no value (-1). Memory: 4 bytes per id up to the largest.
class ContactKeys {
 public:
  template <class Db>
  core::Result<void> Load(Db& db, const core::FunnelQuery& q) {
    std::string sql;
    if (q.by == core::FunnelBreakdown::kPersona) {
      sql =
          "SELECT c.id, COALESCE(p.key, '') FROM contacts c LEFT JOIN contact_scores s ON "
          "s.contact_id = c.id LEFT JOIN personas p ON p.id = s.persona_id WHERE 1 = 1";
    } else {
      sql = "SELECT c.id, " + ContactKeySql(q.by) + " FROM contacts c WHERE 1 = 1";
    }
    sql += FilterSql(q);
    TANDEM_ASSIGN(auto stmt, db.Prepare(Db::Sql(sql)));
    BindFilters(stmt, q);
    std::unordered_map<std::string, std::int32_t> index;
    while (true) {
      TANDEM_ASSIGN(bool row, stmt.Step());
      if (!row) break;
      const std::int64_t id = stmt.Int(0);
      if (id < 0) continue;
      const std::string_view name = stmt.TextView(1);
      auto it = index.find(std::string(name));
      if (it == index.end()) {
        it = index.emplace(std::string(name), static_cast<std::int32_t>(names_.size())).first;
        names_.emplace_back(name);
      }
      if (static_cast<std::size_t>(id) >= of_.size()) {
        of_.resize(std::max<std::size_t>(static_cast<std::size_t>(id) + 1, of_.size() * 2), -1);
      }
      of_[static_cast<std::size_t>(id)] = it->second;
    }
    return {};
  }

  // The contact's value, or null when the filters leave it out.
  const std::string* Of(std::int64_t id) const {
    if (id < 0 || static_cast<std::size_t>(id) >= of_.size()) return nullptr;
    const std::int32_t k = of_[static_cast<std::size_t>(id)];
    return k < 0 ? nullptr : &names_[static_cast<std::size_t>(k)];
  }

 private:
  std::vector<std::int32_t> of_;
  std::vector<std::string> names_;
};

// " AND c.source = ? AND c.campaign = ?" for the goal's scope, bound in that order.
inline std::string ScopeSql(const core::Goal& g) {
  std::string out;
  if (g.source) out += " AND c.source = ?";
  if (g.campaign) out += " AND c.campaign = ?";
  return out;
}

template <class Stmt>
void BindScope(Stmt& stmt, const core::Goal& g) {
  if (g.source) stmt.Bind(*g.source);
  if (g.campaign) stmt.Bind(*g.campaign);
}

}  // namespace analytics_sql

template <class Db>
class AnalyticsRepoOn final : public AnalyticsRepo {
 public:
  using Stmt = typename Db::Stmt;
  template <class T>
  using Result = core::Result<T>;

  explicit AnalyticsRepoOn(Db db) : db_(db) {}

  // One pass over contact_reach (both views), plus one over the period's stage changes for the
  // period view's transitions. Every row is read once and counted in C++: a contact's reach
  // instants give, for each stage, whether it was reached in the period, and for each step the
  // cohort's pass and its hours.
  Result<std::vector<core::FunnelCounts>> Funnel(const core::FunnelQuery& q) override {
    using core::FunnelBreakdown;
    using core::kMainStageCount;
    using core::kStepCount;
    using namespace analytics_sql;
    std::map<std::string, Acc, std::less<>> by_key;
    const std::string* last_key = nullptr;
    Acc* last_acc = nullptr;
    auto at_key = [&](std::string_view key) -> Acc& {
      if (last_key && *last_key == key) return *last_acc;
      auto it = by_key.find(key);
      if (it == by_key.end()) {
        it = by_key.try_emplace(std::string(key)).first;
        it->second.counts.key = std::string(key);
      }
      last_key = &it->first;
      last_acc = &it->second;
      return it->second;
    };
    WeekKeys weeks;
    const bool by_week = q.by == FunnelBreakdown::kWeek;
    const bool cohort = q.view == core::FunnelView::kCohort;
    const std::string join =
        NeedsContacts(q) ? " JOIN contacts c ON c.id = f.contact_id" : std::string();
    const std::string filters = FilterSql(q);
    const std::int64_t from = core::ToMillis(q.from);
    const std::int64_t to = core::ToMillis(q.to);

    // A row matters when any of its instants lies in the period. Reach instants never decrease
    // from r0 to r6 (reaching a stage reaches the earlier ones), so that is: r0 before the end
    // and the last instant reached at or after the start.
    {
      const std::string sql =
          "SELECT " + ContactKeySql(q.by) +
          ", f.r0, f.r1, f.r2, f.r3, f.r4, f.r5, f.r6 FROM contact_reach f" + join +
          " WHERE f.r0 < ? AND COALESCE(f.r6, f.r5, f.r4, f.r3, f.r2, f.r1, f.r0) >= ?" + filters;
      TANDEM_ASSIGN(auto stmt, db_.Prepare(Db::Sql(sql)));
      stmt.Bind(to).Bind(from);
      BindFilters(stmt, q);
      std::array<std::int64_t, kMainStageCount> r{};
      std::array<bool, kMainStageCount> has{};
      while (true) {
        TANDEM_ASSIGN(bool row, stmt.Step());
        if (!row) break;
        for (std::size_t k = 0; k < kMainStageCount; ++k) {
          has[k] = !stmt.IsNull(static_cast<int>(k) + 1);
          r[k] = has[k] ? stmt.Int(static_cast<int>(k) + 1) : 0;
        }
        Acc* acc = by_week ? nullptr : &at_key(stmt.TextView(0));
        for (std::size_t k = 0; k < kMainStageCount; ++k) {
          if (!has[k]) break;
          const bool next = k + 1 < kMainStageCount && has[k + 1];
          if (r[k] >= from && r[k] < to) {
            Acc& a = by_week ? at_key(weeks.Of(r[k])) : *acc;
            ++a.counts.reached[k];
            if (cohort && k + 1 < kMainStageCount) {
              ++a.counts.base[k];
              if (next && r[k + 1] - r[k] <= q.window_ms) {
                ++a.counts.passed[k];
                ++a.hours[k][(r[k + 1] - r[k]) / kHourMs];
              }
            }
          }
          // Period view: time in stage for the contacts reaching the next stage in the period.
          if (!cohort && next && r[k + 1] >= from && r[k + 1] < to) {
            Acc& a = by_week ? at_key(weeks.Of(r[k + 1])) : *acc;
            ++a.hours[k][(r[k + 1] - r[k]) / kHourMs];
          }
        }
      }
    }

    if (!cohort) {
      // Transitions recorded in the period: a move forward from stage X (or from recycled,
      // which re-enters at mql) passes every step from X up to the stage entered; a move from
      // main-path stage X to recycled or disqualified drops at step X. A contact's first stage
      // (no from) is no transition; a recycled contact disqualified is a drop at no step.
      const bool keyed = NeedsContacts(q);
      ContactKeys keys;
      if (keyed) TANDEM_TRY(keys.Load(db_, q));
      const std::string empty;
      static const std::string sql =
          Db::Sql(std::string("SELECT h.contact_id, ") + kRankOfTo +
                  ", CASE WHEN h.from_stage = 'recycled' THEN 2 ELSE " + kRankOfFrom + " END, " +
                  kRankOfFrom +
                  ", CASE WHEN h.to_stage IN ('recycled', 'disqualified') THEN 1 ELSE 0 END, h.at "
                  "FROM stage_history h WHERE h.at >= ? AND h.at < ?");
      TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
      stmt.Bind(from).Bind(to);
      while (true) {
        TANDEM_ASSIGN(bool row, stmt.Step());
        if (!row) break;
        const bool fwd = !stmt.IsNull(1) && !stmt.IsNull(2);
        const bool out = stmt.Int(4) != 0 && !stmt.IsNull(3);
        if (!fwd && !out) continue;
        const std::string* key = keyed ? keys.Of(stmt.Int(0)) : &empty;
        if (key == nullptr) continue;  // left out by the filters
        Acc& a = by_week ? at_key(weeks.Of(stmt.Int(5))) : at_key(*key);
        if (fwd) {
          const std::int64_t tr = stmt.Int(1);
          for (std::int64_t n = stmt.Int(2); n < tr; ++n) {
            ++a.counts.passed[static_cast<std::size_t>(n)];
            ++a.counts.base[static_cast<std::size_t>(n)];
          }
        } else {
          ++a.counts.base[static_cast<std::size_t>(stmt.Int(3))];
        }
      }
    }

    std::vector<core::FunnelCounts> out;
    if (q.by == FunnelBreakdown::kNone && by_key.empty()) out.emplace_back();
    for (auto& [key, acc] : by_key) {
      for (std::size_t k = 0; k < kStepCount; ++k) {
        auto& h = acc.counts.hours[k];
        h.assign(acc.hours[k].begin(), acc.hours[k].end());
        std::sort(h.begin(), h.end());
      }
      out.push_back(std::move(acc.counts));
    }
    return out;
  }

  Result<WonDealsSummary> WonDeals(core::Instant from, core::Instant to,
                                   std::string_view currency) override {
    static const std::string sql = Db::Sql(
        "SELECT COUNT(*), CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM deals "
        "WHERE stage = 'won' AND closed_at >= ? AND closed_at < ? AND currency = ?");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(core::ToMillis(from)).Bind(core::ToMillis(to)).Bind(currency);
    TANDEM_ASSIGN(bool row, stmt.Step());
    WonDealsSummary s;
    if (row) {
      s.count = stmt.Int(0);
      s.amount_minor = stmt.Int(1);
    }
    return s;
  }

  Result<std::int64_t> GoalMetricValue(const core::Goal& g, core::Instant from,
                                       core::Instant to) override {
    using namespace analytics_sql;
    const bool scoped = g.source || g.campaign;
    std::string sql;
    if (g.metric == core::GoalMetric::kRevenue) {
      sql = std::string("SELECT CAST(COALESCE(SUM(d.amount_minor), 0) AS BIGINT) FROM deals d") +
            (scoped ? " JOIN contacts c ON c.id = d.contact_id" : "") +
            " WHERE d.stage = 'won' AND d.closed_at >= ? AND d.closed_at < ? AND d.currency = ?" +
            ScopeSql(g);
    } else {
      const std::string r = "f.r" + std::to_string(static_cast<int>(core::MetricStage(g.metric)));
      sql = "SELECT COUNT(*) FROM contact_reach f" +
            std::string(scoped ? " JOIN contacts c ON c.id = f.contact_id" : "") + " WHERE " + r +
            " >= ? AND " + r + " < ?" + ScopeSql(g);
    }
    TANDEM_ASSIGN(auto stmt, db_.Prepare(Db::Sql(sql)));
    stmt.Bind(core::ToMillis(from)).Bind(core::ToMillis(to));
    if (g.metric == core::GoalMetric::kRevenue) stmt.Bind(g.currency);
    BindScope(stmt, g);
    TANDEM_ASSIGN(bool row, stmt.Step());
    return row ? stmt.Int(0) : 0;
  }

  Result<std::array<std::int64_t, core::kMainStageCount>> CurrentStageCounts(
      const core::Goal& g) override {
    using namespace analytics_sql;
    TANDEM_ASSIGN(auto stmt, db_.Prepare(Db::Sql("SELECT c.stage, COUNT(*) FROM contacts c "
                                                 "WHERE 1 = 1" +
                                                 ScopeSql(g) + " GROUP BY c.stage")));
    BindScope(stmt, g);
    std::array<std::int64_t, core::kMainStageCount> out{};
    while (true) {
      TANDEM_ASSIGN(bool row, stmt.Step());
      if (!row) break;
      auto stage = core::StageFromString(stmt.TextView(0));
      if (stage && core::IsMainPath(*stage)) out[static_cast<std::size_t>(*stage)] = stmt.Int(1);
    }
    return out;
  }

 private:
  Db db_;
};

}  // namespace tandem::store::common
