// The handoff repository (store/handoff_repo.hpp: assignments, routing state, absences, SLA
// clocks, escalation steps and the compliance reads), written once for both backends over the
// backend's `Db` (store/common/sql_repo.hpp). Migration 0009 (and 0012's `manual` rule) on each
// backend holds its tables.
//
// Each backend declares `extern template class HandoffRepoOn<Db>;` and instantiates it in one
// file, so the bodies below are compiled once per backend.
#pragma once

#include <charconv>
#include <map>
#include <string>
#include <string_view>

#include "store/common/rows.hpp"
#include "store/common/sql_repo.hpp"
#include "store/handoff_repo.hpp"

namespace tandem::store::common {

// ----- row mapping ---------------------------------------------------------------------------

inline constexpr std::string_view kAssignmentColumns =
    "id, contact_id, owner_id, owner_email, rule, code, text, contract_version_id, qualified_at, "
    "assigned_at, status, first_touch_at, attempts, ended_at, reason, note";

template <class R>
core::Result<core::Assignment> ReadAssignment(const R& s) {
  core::Assignment a;
  a.id = s.Int(0);
  a.contact_id = s.Int(1);
  a.owner_id = s.OptInt(2);
  a.owner_email = s.Text(3);
  auto rule = core::RoutingRuleFromString(s.TextView(4));
  if (!rule) return core::Fail(core::Error::Internal("unknown routing rule stored"));
  a.rule = *rule;
  a.code = s.Text(5);
  a.text = s.Text(6);
  a.contract_version_id = s.OptInt(7);
  a.qualified_at = core::FromMillis(s.Int(8));
  a.assigned_at = core::FromMillis(s.Int(9));
  auto status = core::AssignmentStatusFromString(s.TextView(10));
  if (!status) return core::Fail(core::Error::Internal("unknown assignment status stored"));
  a.status = *status;
  a.first_touch_at = OptInstant(s, 11);
  a.attempts = static_cast<int>(s.Int(12));
  a.ended_at = OptInstant(s, 13);
  a.reason = s.Text(14);
  a.note = s.Text(15);
  return a;
}

inline constexpr std::string_view kClockColumns =
    "id, contact_id, assignment_id, owner_id, obligation, contract_version_id, started_at, "
    "due_at, target, progress, met_at, breached_at, cancelled_at";

template <class R>
core::Result<core::SlaClock> ReadClock(const R& s) {
  core::SlaClock c;
  c.id = s.Int(0);
  c.contact_id = s.Int(1);
  c.assignment_id = s.Int(2);
  c.owner_id = s.Int(3);
  auto o = core::SlaObligationFromString(s.TextView(4));
  if (!o) return core::Fail(core::Error::Internal("unknown SLA obligation stored"));
  c.obligation = *o;
  c.contract_version_id = s.Int(5);
  c.started_at = core::FromMillis(s.Int(6));
  c.due_at = core::FromMillis(s.Int(7));
  c.target = static_cast<int>(s.Int(8));
  c.progress = static_cast<int>(s.Int(9));
  c.met_at = OptInstant(s, 10);
  c.breached_at = OptInstant(s, 11);
  c.cancelled_at = OptInstant(s, 12);
  return c;
}

inline constexpr std::string_view kEscalationColumns =
    "id, clock_id, step, action, due_at, done_at, outcome";

template <class R>
core::Result<core::SlaEscalation> ReadEscalation(const R& s) {
  core::SlaEscalation e;
  e.id = s.Int(0);
  e.clock_id = s.Int(1);
  e.step = static_cast<int>(s.Int(2));
  auto a = core::EscalationActionFromString(s.TextView(3));
  if (!a) return core::Fail(core::Error::Internal("unknown escalation action stored"));
  e.action = *a;
  e.due_at = core::FromMillis(s.Int(4));
  e.done_at = OptInstant(s, 5);
  e.outcome = s.Text(6);
  return e;
}

template <class R>
core::Result<DueItem> ReadDueItem(const R& s) {
  return DueItem{core::FromMillis(s.Int(0)), s.Int(1)};
}

// A pool's smooth weights as stored: "email<TAB>weight" lines.
inline std::string EncodeWeights(const std::map<std::string, std::int64_t>& weights) {
  std::string out;
  for (const auto& [email, w] : weights) {
    out += email;
    out += '\t';
    out += std::to_string(w);
    out += '\n';
  }
  return out;
}

inline core::Result<std::map<std::string, std::int64_t>> DecodeWeights(std::string_view text) {
  std::map<std::string, std::int64_t> out;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    auto tab = line.find('\t');
    if (tab == std::string_view::npos) {
      return core::Fail(core::Error::Internal("bad routing weights stored"));
    }
    std::int64_t w = 0;
    auto num = line.substr(tab + 1);
    auto [ptr, ec] = std::from_chars(num.data(), num.data() + num.size(), w);
    if (ec != std::errc() || ptr != num.data() + num.size()) {
      return core::Fail(core::Error::Internal("bad routing weight stored"));
    }
    out.emplace(std::string(line.substr(0, tab)), w);
  }
  return out;
}

// ----- the repository ------------------------------------------------------------------------

template <class Db>
class HandoffRepoOn final : public HandoffRepo {
 public:
  using Stmt = typename Db::Stmt;
  using Id = core::Id;
  template <class T>
  using Result = core::Result<T>;

  explicit HandoffRepoOn(Db db) : db_(db) {}

  // --- assignments ---

  Result<Id> InsertAssignment(const core::Assignment& a) override {
    TANDEM_TRY(
        db_.CheckReference("contact_id", std::optional<Id>(a.contact_id), "contacts", "contact"));
    TANDEM_TRY(db_.CheckReference("owner_id", a.owner_id, "users", "user"));
    TANDEM_TRY(db_.CheckReference("contract_version_id", a.contract_version_id, "contract_versions",
                                  "contract version"));
    static const std::string sql = Db::InsertSql(
        "INSERT INTO handoff_assignments (contact_id, owner_id, owner_email, rule, "
        "code, text, contract_version_id, qualified_at, assigned_at, status, "
        "first_touch_at, attempts, ended_at, reason, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(a.contact_id)
        .Bind(a.owner_id)
        .Bind(a.owner_email)
        .Bind(ToString(a.rule))
        .Bind(a.code)
        .Bind(a.text)
        .Bind(a.contract_version_id)
        .Bind(core::ToMillis(a.qualified_at))
        .Bind(core::ToMillis(a.assigned_at))
        .Bind(ToString(a.status))
        .Bind(OptMillis(a.first_touch_at))
        .Bind(a.attempts)
        .Bind(OptMillis(a.ended_at))
        .Bind(a.reason)
        .Bind(a.note);
    return db_.RunInsert(stmt);
  }

  Result<void> UpdateAssignment(const core::Assignment& a) override {
    static const std::string sql = Db::Sql(
        "UPDATE handoff_assignments SET status = ?, first_touch_at = ?, attempts = ?, "
        "ended_at = ?, reason = ?, note = ? WHERE id = ?");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(ToString(a.status))
        .Bind(OptMillis(a.first_touch_at))
        .Bind(a.attempts)
        .Bind(OptMillis(a.ended_at))
        .Bind(a.reason)
        .Bind(a.note)
        .Bind(a.id);
    return db_.RunUpdate(stmt, "assignment", a.id);
  }

  Result<std::optional<core::Assignment>> GetAssignment(Id id) override {
    static const std::string sql = Db::Sql("SELECT " + std::string(kAssignmentColumns) +
                                           " FROM handoff_assignments WHERE id = ?");
    return FirstAssignment(sql, id);
  }

  Result<std::optional<core::Assignment>> ActiveAssignment(Id contact_id) override {
    static const std::string sql =
        Db::Sql("SELECT " + std::string(kAssignmentColumns) +
                " FROM handoff_assignments WHERE contact_id = ? AND status IN ('open', 'accepted') "
                "ORDER BY id DESC LIMIT 1");
    return FirstAssignment(sql, contact_id);
  }

  Result<std::vector<core::Assignment>> AssignmentsForContact(Id contact_id) override {
    static const std::string sql =
        Db::Sql("SELECT " + std::string(kAssignmentColumns) +
                " FROM handoff_assignments WHERE contact_id = ? ORDER BY id DESC");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(contact_id);
    return ReadAll(stmt, ReadAssignment<Stmt>);
  }

  Result<std::vector<core::Assignment>> AssignmentsBetween(core::Instant from,
                                                           core::Instant to) override {
    static const std::string sql =
        Db::Sql("SELECT " + std::string(kAssignmentColumns) +
                " FROM handoff_assignments WHERE assigned_at >= ? AND assigned_at < ? "
                "ORDER BY assigned_at, id");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(core::ToMillis(from)).Bind(core::ToMillis(to));
    return ReadAll(stmt, ReadAssignment<Stmt>);
  }

  Result<int> OpenLeads(Id owner_id) override {
    static const std::string sql =
        Db::Sql("SELECT count(*) FROM handoff_assignments WHERE owner_id = ? AND status = 'open'");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(owner_id);
    TANDEM_ASSIGN(bool row, stmt.Step());
    return row ? static_cast<int>(stmt.Int(0)) : 0;
  }

  // --- routing state ---

  Result<core::RoutingState> LoadRoutingState() override {
    static const std::string sql =
        Db::Sql("SELECT pool, cursor, smooth_weights FROM routing_pools");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    core::RoutingState state;
    while (true) {
      TANDEM_ASSIGN(bool row, stmt.Step());
      if (!row) return state;
      core::RoutingPoolState pool;
      pool.cursor = static_cast<std::uint64_t>(stmt.Int(1));
      TANDEM_ASSIGN(pool.smooth_weights, DecodeWeights(stmt.TextView(2)));
      state.pools.emplace(stmt.Text(0), std::move(pool));
    }
  }

  Result<void> SaveRoutingState(const core::RoutingState& s) override {
    // Pools are few (one per team and '*'): a read and an upsert of the changed ones.
    static const std::string del_sql = Db::Sql("DELETE FROM routing_pools WHERE pool = ?");
    static const std::string up_sql = Db::Sql(
        "INSERT INTO routing_pools (pool, cursor, smooth_weights) VALUES (?, ?, ?) "
        "ON CONFLICT (pool) DO UPDATE SET cursor = excluded.cursor, "
        "smooth_weights = excluded.smooth_weights");
    TANDEM_ASSIGN(auto before, LoadRoutingState());
    for (const auto& [key, _] : before.pools) {
      if (s.pools.count(key)) continue;
      TANDEM_ASSIGN(auto del, db_.Prepare(del_sql));
      del.Bind(key);
      TANDEM_TRY(del.Run());
    }
    for (const auto& [key, pool] : s.pools) {
      auto it = before.pools.find(key);
      if (it != before.pools.end() && it->second == pool) continue;
      TANDEM_ASSIGN(auto up, db_.Prepare(up_sql));
      up.Bind(key)
          .Bind(static_cast<std::int64_t>(pool.cursor))
          .Bind(EncodeWeights(pool.smooth_weights));
      TANDEM_TRY(up.Run());
    }
    return {};
  }

  // --- absences ---

  Result<void> SetAbsences(Id user_id, const std::vector<core::DateRange>& ranges) override {
    TANDEM_TRY(db_.CheckReference("user_id", std::optional<Id>(user_id), "users", "user"));
    for (const auto& r : ranges) {
      if (r.last < r.first) {
        return core::Fail(core::Error::Invalid(
            "absences", "an absence cannot end (" + core::FormatDate(r.last) +
                            ") before it starts (" + core::FormatDate(r.first) + ")"));
      }
    }
    static const std::string del_sql = Db::Sql("DELETE FROM rep_absences WHERE user_id = ?");
    static const std::string ins_sql = Db::Sql(
        "INSERT INTO rep_absences (user_id, first_day, last_day) VALUES (?, ?, ?) "
        "ON CONFLICT (user_id, first_day) DO UPDATE SET last_day = " +
        std::string(Db::kGreatest) + "(rep_absences.last_day, excluded.last_day)");
    TANDEM_ASSIGN(auto del, db_.Prepare(del_sql));
    del.Bind(user_id);
    TANDEM_TRY(del.Run());
    for (const auto& r : ranges) {
      TANDEM_ASSIGN(auto ins, db_.Prepare(ins_sql));
      ins.Bind(user_id).Bind(core::FormatDate(r.first)).Bind(core::FormatDate(r.last));
      TANDEM_TRY(ins.Run());
    }
    return {};
  }

  Result<std::vector<core::DateRange>> Absences(Id user_id) override {
    static const std::string sql = Db::Sql(
        "SELECT first_day, last_day FROM rep_absences WHERE user_id = ? ORDER BY first_day");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(user_id);
    return ReadAll(stmt, [](const Stmt& s) -> Result<core::DateRange> {
      auto first = core::ParseDate(s.TextView(0));
      auto last = core::ParseDate(s.TextView(1));
      if (!first || !last) return core::Fail(core::Error::Internal("bad absence date stored"));
      return core::DateRange{*first, *last};
    });
  }

  // --- clocks ---

  Result<Id> InsertClock(const core::SlaClock& c) override {
    TANDEM_TRY(
        db_.CheckReference("contact_id", std::optional<Id>(c.contact_id), "contacts", "contact"));
    TANDEM_TRY(db_.CheckReference("assignment_id", std::optional<Id>(c.assignment_id),
                                  "handoff_assignments", "assignment"));
    TANDEM_TRY(db_.CheckReference("owner_id", std::optional<Id>(c.owner_id), "users", "user"));
    TANDEM_TRY(db_.CheckReference("contract_version_id", std::optional<Id>(c.contract_version_id),
                                  "contract_versions", "contract version"));
    static const std::string sql = Db::InsertSql(
        "INSERT INTO sla_clocks (contact_id, assignment_id, owner_id, obligation, "
        "contract_version_id, started_at, due_at, target, progress, met_at, breached_at, "
        "cancelled_at, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(c.contact_id)
        .Bind(c.assignment_id)
        .Bind(c.owner_id)
        .Bind(ToString(c.obligation))
        .Bind(c.contract_version_id)
        .Bind(core::ToMillis(c.started_at))
        .Bind(core::ToMillis(c.due_at))
        .Bind(c.target)
        .Bind(c.progress)
        .Bind(OptMillis(c.met_at))
        .Bind(OptMillis(c.breached_at))
        .Bind(OptMillis(c.cancelled_at))
        .Bind(ToString(c.state()));
    return db_.RunInsert(stmt);
  }

  Result<void> UpdateClock(const core::SlaClock& c) override {
    static const std::string sql = Db::Sql(
        "UPDATE sla_clocks SET progress = ?, met_at = ?, breached_at = ?, "
        "cancelled_at = ?, state = ? WHERE id = ?");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(c.progress)
        .Bind(OptMillis(c.met_at))
        .Bind(OptMillis(c.breached_at))
        .Bind(OptMillis(c.cancelled_at))
        .Bind(ToString(c.state()))
        .Bind(c.id);
    return db_.RunUpdate(stmt, "SLA clock", c.id);
  }

  Result<std::optional<core::SlaClock>> GetClock(Id id) override {
    static const std::string sql =
        Db::Sql("SELECT " + std::string(kClockColumns) + " FROM sla_clocks WHERE id = ?");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(id);
    return rows::ReadOptional(stmt, ReadClock<Stmt>);
  }

  Result<std::vector<core::SlaClock>> ClocksForAssignment(Id assignment_id) override {
    static const std::string sql = Db::Sql("SELECT " + std::string(kClockColumns) +
                                           " FROM sla_clocks WHERE assignment_id = ? ORDER BY id");
    return Clocks(sql, assignment_id);
  }

  Result<std::vector<core::SlaClock>> ClocksForContact(Id contact_id) override {
    static const std::string sql = Db::Sql("SELECT " + std::string(kClockColumns) +
                                           " FROM sla_clocks WHERE contact_id = ? ORDER BY id");
    return Clocks(sql, contact_id);
  }

  Result<std::vector<DueItem>> OpenClocksAfter(DueItem after, int limit) override {
    static const std::string sql =
        Db::Sql("SELECT due_at, id FROM sla_clocks" + Db::IndexedBy("sla_clocks_open_by_due") +
                " WHERE state = 'open' AND (due_at, id) > (?, ?) ORDER BY due_at, id LIMIT ?");
    return DueAfter(sql, after, limit);
  }

  // --- escalations ---

  Result<Id> InsertEscalation(const core::SlaEscalation& e) override {
    TANDEM_TRY(
        db_.CheckReference("clock_id", std::optional<Id>(e.clock_id), "sla_clocks", "SLA clock"));
    static const std::string sql = Db::InsertSql(
        "INSERT INTO sla_escalations (clock_id, step, action, due_at, done_at, outcome) "
        "VALUES (?, ?, ?, ?, ?, ?)");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(e.clock_id)
        .Bind(e.step)
        .Bind(ToString(e.action))
        .Bind(core::ToMillis(e.due_at))
        .Bind(OptMillis(e.done_at))
        .Bind(e.outcome);
    return db_.RunInsert(stmt);
  }

  Result<void> UpdateEscalation(const core::SlaEscalation& e) override {
    static const std::string sql =
        Db::Sql("UPDATE sla_escalations SET done_at = ?, outcome = ? WHERE id = ?");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(OptMillis(e.done_at)).Bind(e.outcome).Bind(e.id);
    return db_.RunUpdate(stmt, "escalation", e.id);
  }

  Result<std::optional<core::SlaEscalation>> GetEscalation(Id id) override {
    static const std::string sql =
        Db::Sql("SELECT " + std::string(kEscalationColumns) + " FROM sla_escalations WHERE id = ?");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(id);
    return rows::ReadOptional(stmt, ReadEscalation<Stmt>);
  }

  Result<std::vector<core::SlaEscalation>> EscalationsForClock(Id clock_id) override {
    static const std::string sql =
        Db::Sql("SELECT " + std::string(kEscalationColumns) +
                " FROM sla_escalations WHERE clock_id = ? ORDER BY step");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(clock_id);
    return ReadAll(stmt, ReadEscalation<Stmt>);
  }

  Result<std::vector<DueItem>> PendingEscalationsAfter(DueItem after, int limit) override {
    static const std::string sql = Db::Sql(
        "SELECT due_at, id FROM sla_escalations" + Db::IndexedBy("sla_escalations_pending_by_due") +
        " WHERE done_at IS NULL AND (due_at, id) > (?, ?) ORDER BY due_at, id LIMIT ?");
    return DueAfter(sql, after, limit);
  }

  // --- compliance ---

  Result<std::vector<core::ComplianceLead>> ComplianceLeads(core::Instant from, core::Instant to,
                                                            std::optional<Id> owner_id) override {
    // One row per (assignment, clock): the assignment's columns repeat, the clock's are NULL
    // for an assignment without clocks.
    static const std::string base =
        "SELECT a.id, a.contact_id, a.owner_id, COALESCE(u.email, a.owner_email), "
        "COALESCE(t.name, ''), a.contract_version_id, a.assigned_at, a.first_touch_at, "
        "a.attempts, k.obligation, k.due_at, k.met_at, k.breached_at, k.cancelled_at "
        "FROM handoff_assignments a "
        "LEFT JOIN users u ON u.id = a.owner_id "
        "LEFT JOIN teams t ON t.id = u.team_id "
        "LEFT JOIN sla_clocks k ON k.assignment_id = a.id "
        "WHERE a.assigned_at >= ? AND a.assigned_at < ? AND a.owner_id IS NOT NULL";
    static const std::string order = " ORDER BY a.assigned_at, a.id, k.id";
    static const std::string all_sql = Db::Sql(base + order);
    static const std::string owner_sql = Db::Sql(base + " AND a.owner_id = ?" + order);
    TANDEM_ASSIGN(auto stmt, db_.Prepare(owner_id ? owner_sql : all_sql));
    stmt.Bind(core::ToMillis(from)).Bind(core::ToMillis(to));
    if (owner_id) stmt.Bind(*owner_id);
    std::vector<core::ComplianceLead> out;
    while (true) {
      TANDEM_ASSIGN(bool row, stmt.Step());
      if (!row) return out;
      const Id id = stmt.Int(0);
      if (out.empty() || out.back().assignment_id != id) {
        core::ComplianceLead l;
        l.assignment_id = id;
        l.contact_id = stmt.Int(1);
        l.owner_id = stmt.Int(2);
        l.owner_email = stmt.Text(3);
        l.team = stmt.Text(4);
        l.contract_version_id = stmt.OptInt(5);
        l.assigned_at = core::FromMillis(stmt.Int(6));
        l.first_touch_at = OptInstant(stmt, 7);
        l.attempts = static_cast<int>(stmt.Int(8));
        out.push_back(std::move(l));
      }
      if (stmt.IsNull(9)) continue;
      auto o = core::SlaObligationFromString(stmt.TextView(9));
      if (!o) return core::Fail(core::Error::Internal("unknown SLA obligation stored"));
      core::ClockFacts f;
      f.due_at = core::FromMillis(stmt.Int(10));
      f.met_at = OptInstant(stmt, 11);
      f.breached_at = OptInstant(stmt, 12);
      f.cancelled_at = OptInstant(stmt, 13);
      core::ComplianceLead& l = out.back();
      switch (*o) {
        case core::SlaObligation::kFirstTouch: l.first_touch = f; break;
        case core::SlaObligation::kAttempts: l.attempts_clock = f; break;
        case core::SlaObligation::kDisposition: l.disposition = f; break;
      }
    }
  }

  Result<std::vector<core::MqlFact>> MqlsBetween(core::Instant from, core::Instant to) override {
    // The quality kept with the move (migration 0019); for a move recorded before Tandem kept
    // it, or not scored yet, the score as it is now.
    static const std::string sql = Db::Sql(
        "SELECT h.contact_id, h.at, "
        "CASE WHEN h.mql_grade IS NOT NULL "
        "THEN CASE WHEN h.mql_grade IN ('A', 'B') THEN 1 ELSE 0 END "
        "ELSE CASE WHEN s.grade IN ('A', 'B') THEN 1 ELSE 0 END END, "
        "CASE WHEN h.mql_grade IS NOT NULL "
        "THEN CASE WHEN h.mql_persona_id IS NULL THEN 0 ELSE 1 END "
        "ELSE CASE WHEN s.persona_id IS NULL THEN 0 ELSE 1 END END "
        "FROM stage_history h "
        "LEFT JOIN contact_scores s ON s.contact_id = h.contact_id AND h.mql_grade IS NULL "
        "WHERE h.to_stage = 'mql' AND h.at >= ? AND h.at < ? "
        "ORDER BY h.at, h.contact_id, h.id");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(core::ToMillis(from)).Bind(core::ToMillis(to));
    return ReadAll(stmt, [](const Stmt& s) -> Result<core::MqlFact> {
      core::MqlFact m;
      m.contact_id = s.Int(0);
      m.at = core::FromMillis(s.Int(1));
      m.grade_ab = s.Int(2) != 0;
      m.persona_match = s.Int(3) != 0;
      return m;
    });
  }

 private:
  Result<std::optional<core::Assignment>> FirstAssignment(const std::string& sql, Id key) {
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(key);
    return rows::ReadOptional(stmt, ReadAssignment<Stmt>);
  }

  Result<std::vector<core::SlaClock>> Clocks(const std::string& sql, Id key) {
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(key);
    return ReadAll(stmt, ReadClock<Stmt>);
  }

  Result<std::vector<DueItem>> DueAfter(const std::string& sql, DueItem after, int limit) {
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(core::ToMillis(after.due)).Bind(after.id).Bind(limit);
    return ReadAll(stmt, ReadDueItem<Stmt>);
  }

  Db db_;
};

}  // namespace tandem::store::common
