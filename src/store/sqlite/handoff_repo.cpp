// Assignments, routing state, absences, SLA clocks and escalation steps (migration 0009).
#include <charconv>

#include "store/sqlite/repos.hpp"

namespace tandem::store::sqlite {

using core::Assignment;
using core::Error;
using core::Fail;
using core::FromMillis;
using core::SlaClock;
using core::SlaEscalation;
using core::ToMillis;

namespace {

std::optional<std::int64_t> OptMillis(const std::optional<core::Instant>& t) {
  if (!t) return std::nullopt;
  return ToMillis(*t);
}

std::optional<core::Instant> OptInstant(const Stmt& s, int col) {
  auto v = s.OptInt(col);
  if (!v) return std::nullopt;
  return FromMillis(*v);
}

constexpr std::string_view kAssignmentColumns =
    "id, contact_id, owner_id, owner_email, rule, code, text, contract_version_id, qualified_at, "
    "assigned_at, status, first_touch_at, attempts, ended_at, reason, note";

Result<Assignment> ReadAssignment(const Stmt& s) {
  Assignment a;
  a.id = s.Int(0);
  a.contact_id = s.Int(1);
  a.owner_id = s.OptInt(2);
  a.owner_email = s.Text(3);
  auto rule = core::RoutingRuleFromString(s.TextView(4));
  if (!rule) return Fail(Error::Internal("unknown routing rule stored"));
  a.rule = *rule;
  a.code = s.Text(5);
  a.text = s.Text(6);
  a.contract_version_id = s.OptInt(7);
  a.qualified_at = FromMillis(s.Int(8));
  a.assigned_at = FromMillis(s.Int(9));
  auto status = core::AssignmentStatusFromString(s.TextView(10));
  if (!status) return Fail(Error::Internal("unknown assignment status stored"));
  a.status = *status;
  a.first_touch_at = OptInstant(s, 11);
  a.attempts = static_cast<int>(s.Int(12));
  a.ended_at = OptInstant(s, 13);
  a.reason = s.Text(14);
  a.note = s.Text(15);
  return a;
}

Result<std::vector<Assignment>> ReadAssignments(Stmt& stmt) {
  std::vector<Assignment> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) return out;
    TANDEM_ASSIGN(auto a, ReadAssignment(stmt));
    out.push_back(std::move(a));
  }
}

constexpr std::string_view kClockColumns =
    "id, contact_id, assignment_id, owner_id, obligation, contract_version_id, started_at, "
    "due_at, target, progress, met_at, breached_at, cancelled_at";

Result<SlaClock> ReadClock(const Stmt& s) {
  SlaClock c;
  c.id = s.Int(0);
  c.contact_id = s.Int(1);
  c.assignment_id = s.Int(2);
  c.owner_id = s.Int(3);
  auto o = core::SlaObligationFromString(s.TextView(4));
  if (!o) return Fail(Error::Internal("unknown SLA obligation stored"));
  c.obligation = *o;
  c.contract_version_id = s.Int(5);
  c.started_at = FromMillis(s.Int(6));
  c.due_at = FromMillis(s.Int(7));
  c.target = static_cast<int>(s.Int(8));
  c.progress = static_cast<int>(s.Int(9));
  c.met_at = OptInstant(s, 10);
  c.breached_at = OptInstant(s, 11);
  c.cancelled_at = OptInstant(s, 12);
  return c;
}

Result<std::vector<SlaClock>> ReadClocks(Stmt& stmt) {
  std::vector<SlaClock> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) return out;
    TANDEM_ASSIGN(auto c, ReadClock(stmt));
    out.push_back(std::move(c));
  }
}

constexpr std::string_view kEscalationColumns =
    "id, clock_id, step, action, due_at, done_at, outcome";

Result<SlaEscalation> ReadEscalation(const Stmt& s) {
  SlaEscalation e;
  e.id = s.Int(0);
  e.clock_id = s.Int(1);
  e.step = static_cast<int>(s.Int(2));
  auto a = core::EscalationActionFromString(s.TextView(3));
  if (!a) return Fail(Error::Internal("unknown escalation action stored"));
  e.action = *a;
  e.due_at = FromMillis(s.Int(4));
  e.done_at = OptInstant(s, 5);
  e.outcome = s.Text(6);
  return e;
}

Result<std::vector<DueItem>> ReadDue(Stmt& stmt) {
  std::vector<DueItem> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) return out;
    out.push_back(DueItem{FromMillis(stmt.Int(0)), stmt.Int(1)});
  }
}

std::string EncodeWeights(const std::map<std::string, std::int64_t>& weights) {
  std::string out;
  for (const auto& [email, w] : weights) {
    out += email;
    out += '\t';
    out += std::to_string(w);
    out += '\n';
  }
  return out;
}

Result<std::map<std::string, std::int64_t>> DecodeWeights(std::string_view text) {
  std::map<std::string, std::int64_t> out;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    auto tab = line.find('\t');
    if (tab == std::string_view::npos) return Fail(Error::Internal("bad routing weights stored"));
    std::int64_t w = 0;
    auto num = line.substr(tab + 1);
    auto [ptr, ec] = std::from_chars(num.data(), num.data() + num.size(), w);
    if (ec != std::errc() || ptr != num.data() + num.size()) {
      return Fail(Error::Internal("bad routing weight stored"));
    }
    out.emplace(std::string(line.substr(0, tab)), w);
  }
  return out;
}

const char* StateCode(const SlaClock& c) {
  return ToString(c.state()).data();
}

}  // namespace

// ----- assignments ---------------------------------------------------------------------------

Result<Id> SqliteHandoffRepo::InsertAssignment(const Assignment& a) {
  TANDEM_TRY(CheckReference(ctx_.conn, "contact_id", std::optional<Id>(a.contact_id), "contacts",
                            "contact"));
  TANDEM_TRY(CheckReference(ctx_.conn, "owner_id", a.owner_id, "users", "user"));
  TANDEM_TRY(CheckReference(ctx_.conn, "contract_version_id", a.contract_version_id,
                            "contract_versions", "contract version"));
  TANDEM_ASSIGN(
      auto stmt,
      ctx_.conn.Prepare("INSERT INTO handoff_assignments (contact_id, owner_id, owner_email, rule, "
                        "code, text, contract_version_id, qualified_at, assigned_at, status, "
                        "first_touch_at, attempts, ended_at, reason, note) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  stmt.Bind(a.contact_id)
      .Bind(a.owner_id)
      .Bind(a.owner_email)
      .Bind(ToString(a.rule))
      .Bind(a.code)
      .Bind(a.text)
      .Bind(a.contract_version_id)
      .Bind(ToMillis(a.qualified_at))
      .Bind(ToMillis(a.assigned_at))
      .Bind(ToString(a.status))
      .Bind(OptMillis(a.first_touch_at))
      .Bind(a.attempts)
      .Bind(OptMillis(a.ended_at))
      .Bind(a.reason)
      .Bind(a.note);
  TANDEM_TRY(stmt.Run());
  return ctx_.conn.LastInsertId();
}

Result<void> SqliteHandoffRepo::UpdateAssignment(const Assignment& a) {
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("UPDATE handoff_assignments SET status = ?, first_touch_at = ?, "
                                  "attempts = ?, ended_at = ?, reason = ?, note = ? WHERE id = ?"));
  stmt.Bind(ToString(a.status))
      .Bind(OptMillis(a.first_touch_at))
      .Bind(a.attempts)
      .Bind(OptMillis(a.ended_at))
      .Bind(a.reason)
      .Bind(a.note)
      .Bind(a.id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(ctx_.conn, "assignment", a.id);
}

Result<std::optional<Assignment>> SqliteHandoffRepo::GetAssignment(Id id) {
  static const std::string sql =
      "SELECT " + std::string(kAssignmentColumns) + " FROM handoff_assignments WHERE id = ?";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(id);
  TANDEM_ASSIGN(auto rows, ReadAssignments(stmt));
  if (rows.empty()) return std::optional<Assignment>();
  return std::optional<Assignment>(std::move(rows.front()));
}

Result<std::optional<Assignment>> SqliteHandoffRepo::ActiveAssignment(Id contact_id) {
  static const std::string sql = "SELECT " + std::string(kAssignmentColumns) +
                                 " FROM handoff_assignments WHERE contact_id = ? AND status IN "
                                 "('open', 'accepted') ORDER BY id DESC LIMIT 1";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(contact_id);
  TANDEM_ASSIGN(auto rows, ReadAssignments(stmt));
  if (rows.empty()) return std::optional<Assignment>();
  return std::optional<Assignment>(std::move(rows.front()));
}

Result<std::vector<Assignment>> SqliteHandoffRepo::AssignmentsForContact(Id contact_id) {
  static const std::string sql = "SELECT " + std::string(kAssignmentColumns) +
                                 " FROM handoff_assignments WHERE contact_id = ? ORDER BY id DESC";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(contact_id);
  return ReadAssignments(stmt);
}

Result<std::vector<Assignment>> SqliteHandoffRepo::AssignmentsBetween(core::Instant from,
                                                                      core::Instant to) {
  static const std::string sql = "SELECT " + std::string(kAssignmentColumns) +
                                 " FROM handoff_assignments WHERE assigned_at >= ? AND "
                                 "assigned_at < ? ORDER BY assigned_at, id";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(ToMillis(from)).Bind(ToMillis(to));
  return ReadAssignments(stmt);
}

Result<int> SqliteHandoffRepo::OpenLeads(Id owner_id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("SELECT count(*) FROM handoff_assignments "
                                             "WHERE owner_id = ? AND status = 'open'"));
  stmt.Bind(owner_id);
  TANDEM_ASSIGN(bool row, stmt.Step());
  return row ? static_cast<int>(stmt.Int(0)) : 0;
}

// ----- routing state -------------------------------------------------------------------------

Result<core::RoutingState> SqliteHandoffRepo::LoadRoutingState() {
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("SELECT pool, cursor, smooth_weights FROM routing_pools"));
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

Result<void> SqliteHandoffRepo::SaveRoutingState(const core::RoutingState& s) {
  // Pools are few (one per team and '*'): a read and an upsert of the changed ones.
  TANDEM_ASSIGN(auto before, LoadRoutingState());
  for (const auto& [key, _] : before.pools) {
    if (s.pools.count(key)) continue;
    TANDEM_ASSIGN(auto del, ctx_.conn.Prepare("DELETE FROM routing_pools WHERE pool = ?"));
    del.Bind(key);
    TANDEM_TRY(del.Run());
  }
  for (const auto& [key, pool] : s.pools) {
    auto it = before.pools.find(key);
    if (it != before.pools.end() && it->second == pool) continue;
    TANDEM_ASSIGN(auto up,
                  ctx_.conn.Prepare("INSERT INTO routing_pools (pool, cursor, smooth_weights) "
                                    "VALUES (?, ?, ?) ON CONFLICT (pool) DO UPDATE SET "
                                    "cursor = excluded.cursor, "
                                    "smooth_weights = excluded.smooth_weights"));
    up.Bind(key)
        .Bind(static_cast<std::int64_t>(pool.cursor))
        .Bind(EncodeWeights(pool.smooth_weights));
    TANDEM_TRY(up.Run());
  }
  return {};
}

// ----- absences ------------------------------------------------------------------------------

Result<void> SqliteHandoffRepo::SetAbsences(Id user_id,
                                            const std::vector<core::DateRange>& ranges) {
  TANDEM_TRY(CheckReference(ctx_.conn, "user_id", std::optional<Id>(user_id), "users", "user"));
  for (const auto& r : ranges) {
    if (r.last < r.first) {
      return Fail(Error::Invalid("absences", "an absence cannot end (" + core::FormatDate(r.last) +
                                                 ") before it starts (" +
                                                 core::FormatDate(r.first) + ")"));
    }
  }
  TANDEM_ASSIGN(auto del, ctx_.conn.Prepare("DELETE FROM rep_absences WHERE user_id = ?"));
  del.Bind(user_id);
  TANDEM_TRY(del.Run());
  for (const auto& r : ranges) {
    TANDEM_ASSIGN(auto ins, ctx_.conn.Prepare("INSERT INTO rep_absences (user_id, first_day, "
                                              "last_day) VALUES (?, ?, ?) ON CONFLICT "
                                              "(user_id, first_day) DO UPDATE SET "
                                              "last_day = max(last_day, excluded.last_day)"));
    ins.Bind(user_id).Bind(core::FormatDate(r.first)).Bind(core::FormatDate(r.last));
    TANDEM_TRY(ins.Run());
  }
  return {};
}

Result<std::vector<core::DateRange>> SqliteHandoffRepo::Absences(Id user_id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("SELECT first_day, last_day FROM rep_absences "
                                             "WHERE user_id = ? ORDER BY first_day"));
  stmt.Bind(user_id);
  std::vector<core::DateRange> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) return out;
    auto first = core::ParseDate(stmt.TextView(0));
    auto last = core::ParseDate(stmt.TextView(1));
    if (!first || !last) return Fail(Error::Internal("bad absence date stored"));
    out.push_back({*first, *last});
  }
}

// ----- clocks --------------------------------------------------------------------------------

Result<Id> SqliteHandoffRepo::InsertClock(const SlaClock& c) {
  TANDEM_TRY(CheckReference(ctx_.conn, "contact_id", std::optional<Id>(c.contact_id), "contacts",
                            "contact"));
  TANDEM_TRY(CheckReference(ctx_.conn, "assignment_id", std::optional<Id>(c.assignment_id),
                            "handoff_assignments", "assignment"));
  TANDEM_TRY(CheckReference(ctx_.conn, "owner_id", std::optional<Id>(c.owner_id), "users", "user"));
  TANDEM_TRY(CheckReference(ctx_.conn, "contract_version_id",
                            std::optional<Id>(c.contract_version_id), "contract_versions",
                            "contract version"));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("INSERT INTO sla_clocks (contact_id, assignment_id, owner_id, "
                                  "obligation, contract_version_id, started_at, due_at, target, "
                                  "progress, met_at, breached_at, cancelled_at, state) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  stmt.Bind(c.contact_id)
      .Bind(c.assignment_id)
      .Bind(c.owner_id)
      .Bind(ToString(c.obligation))
      .Bind(c.contract_version_id)
      .Bind(ToMillis(c.started_at))
      .Bind(ToMillis(c.due_at))
      .Bind(c.target)
      .Bind(c.progress)
      .Bind(OptMillis(c.met_at))
      .Bind(OptMillis(c.breached_at))
      .Bind(OptMillis(c.cancelled_at))
      .Bind(StateCode(c));
  TANDEM_TRY(stmt.Run());
  return ctx_.conn.LastInsertId();
}

Result<void> SqliteHandoffRepo::UpdateClock(const SlaClock& c) {
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("UPDATE sla_clocks SET progress = ?, met_at = ?, "
                                  "breached_at = ?, cancelled_at = ?, state = ? WHERE id = ?"));
  stmt.Bind(c.progress)
      .Bind(OptMillis(c.met_at))
      .Bind(OptMillis(c.breached_at))
      .Bind(OptMillis(c.cancelled_at))
      .Bind(StateCode(c))
      .Bind(c.id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(ctx_.conn, "SLA clock", c.id);
}

Result<std::optional<SlaClock>> SqliteHandoffRepo::GetClock(Id id) {
  static const std::string sql =
      "SELECT " + std::string(kClockColumns) + " FROM sla_clocks WHERE id = ?";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(id);
  TANDEM_ASSIGN(auto rows, ReadClocks(stmt));
  if (rows.empty()) return std::optional<SlaClock>();
  return std::optional<SlaClock>(std::move(rows.front()));
}

Result<std::vector<SlaClock>> SqliteHandoffRepo::ClocksForAssignment(Id assignment_id) {
  static const std::string sql = "SELECT " + std::string(kClockColumns) +
                                 " FROM sla_clocks WHERE assignment_id = ? ORDER BY id";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(assignment_id);
  return ReadClocks(stmt);
}

Result<std::vector<SlaClock>> SqliteHandoffRepo::ClocksForContact(Id contact_id) {
  static const std::string sql =
      "SELECT " + std::string(kClockColumns) + " FROM sla_clocks WHERE contact_id = ? ORDER BY id";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(contact_id);
  return ReadClocks(stmt);
}

Result<std::vector<DueItem>> SqliteHandoffRepo::OpenClocksAfter(DueItem after, int limit) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("SELECT due_at, id FROM sla_clocks INDEXED BY "
                                             "sla_clocks_open_by_due WHERE state = 'open' AND "
                                             "(due_at, id) > (?, ?) ORDER BY due_at, id LIMIT ?"));
  stmt.Bind(ToMillis(after.due)).Bind(after.id).Bind(limit);
  return ReadDue(stmt);
}

// ----- escalations ---------------------------------------------------------------------------

Result<Id> SqliteHandoffRepo::InsertEscalation(const SlaEscalation& e) {
  TANDEM_TRY(CheckReference(ctx_.conn, "clock_id", std::optional<Id>(e.clock_id), "sla_clocks",
                            "SLA clock"));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("INSERT INTO sla_escalations (clock_id, step, action, due_at, "
                                  "done_at, outcome) VALUES (?, ?, ?, ?, ?, ?)"));
  stmt.Bind(e.clock_id)
      .Bind(e.step)
      .Bind(ToString(e.action))
      .Bind(ToMillis(e.due_at))
      .Bind(OptMillis(e.done_at))
      .Bind(e.outcome);
  TANDEM_TRY(stmt.Run());
  return ctx_.conn.LastInsertId();
}

Result<void> SqliteHandoffRepo::UpdateEscalation(const SlaEscalation& e) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("UPDATE sla_escalations SET done_at = ?, "
                                             "outcome = ? WHERE id = ?"));
  stmt.Bind(OptMillis(e.done_at)).Bind(e.outcome).Bind(e.id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(ctx_.conn, "escalation", e.id);
}

Result<std::optional<SlaEscalation>> SqliteHandoffRepo::GetEscalation(Id id) {
  static const std::string sql =
      "SELECT " + std::string(kEscalationColumns) + " FROM sla_escalations WHERE id = ?";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(id);
  TANDEM_ASSIGN(bool row, stmt.Step());
  if (!row) return std::optional<SlaEscalation>();
  TANDEM_ASSIGN(auto e, ReadEscalation(stmt));
  return std::optional<SlaEscalation>(std::move(e));
}

Result<std::vector<SlaEscalation>> SqliteHandoffRepo::EscalationsForClock(Id clock_id) {
  static const std::string sql = "SELECT " + std::string(kEscalationColumns) +
                                 " FROM sla_escalations WHERE clock_id = ? ORDER BY step";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(clock_id);
  std::vector<SlaEscalation> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) return out;
    TANDEM_ASSIGN(auto e, ReadEscalation(stmt));
    out.push_back(std::move(e));
  }
}

Result<std::vector<DueItem>> SqliteHandoffRepo::PendingEscalationsAfter(DueItem after, int limit) {
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("SELECT due_at, id FROM sla_escalations INDEXED BY "
                                  "sla_escalations_pending_by_due WHERE done_at IS NULL AND "
                                  "(due_at, id) > (?, ?) ORDER BY due_at, id LIMIT ?"));
  stmt.Bind(ToMillis(after.due)).Bind(after.id).Bind(limit);
  return ReadDue(stmt);
}

namespace {

// One row per (assignment, clock): the assignment's columns repeat, the clock's are NULL for an
// assignment without clocks.
constexpr std::string_view kComplianceSql =
    "SELECT a.id, a.contact_id, a.owner_id, COALESCE(u.email, a.owner_email), "
    "COALESCE(t.name, ''), a.contract_version_id, a.assigned_at, a.first_touch_at, a.attempts, "
    "k.obligation, k.due_at, k.met_at, k.breached_at, k.cancelled_at "
    "FROM handoff_assignments a "
    "LEFT JOIN users u ON u.id = a.owner_id "
    "LEFT JOIN teams t ON t.id = u.team_id "
    "LEFT JOIN sla_clocks k ON k.assignment_id = a.id "
    "WHERE a.assigned_at >= ? AND a.assigned_at < ? AND a.owner_id IS NOT NULL";

}  // namespace

Result<std::vector<core::ComplianceLead>> SqliteHandoffRepo::ComplianceLeads(
    core::Instant from, core::Instant to, std::optional<Id> owner_id) {
  std::string sql(kComplianceSql);
  if (owner_id) sql += " AND a.owner_id = ?";
  sql += " ORDER BY a.assigned_at, a.id, k.id";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(ToMillis(from)).Bind(ToMillis(to));
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
      l.assigned_at = FromMillis(stmt.Int(6));
      l.first_touch_at = OptInstant(stmt, 7);
      l.attempts = static_cast<int>(stmt.Int(8));
      out.push_back(std::move(l));
    }
    if (stmt.IsNull(9)) continue;
    auto o = core::SlaObligationFromString(stmt.TextView(9));
    if (!o) return Fail(Error::Internal("unknown SLA obligation stored"));
    core::ClockFacts f;
    f.due_at = FromMillis(stmt.Int(10));
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

Result<std::vector<core::MqlFact>> SqliteHandoffRepo::MqlsBetween(core::Instant from,
                                                                  core::Instant to) {
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("SELECT h.contact_id, h.at, "
                                  "COALESCE(s.grade IN ('A', 'B'), 0), "
                                  "s.persona_id IS NOT NULL "
                                  "FROM stage_history h "
                                  "LEFT JOIN contact_scores s ON s.contact_id = h.contact_id "
                                  "WHERE h.to_stage = 'mql' AND h.at >= ? AND h.at < ? "
                                  "ORDER BY h.at, h.contact_id, h.id"));
  stmt.Bind(ToMillis(from)).Bind(ToMillis(to));
  std::vector<core::MqlFact> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) return out;
    core::MqlFact m;
    m.contact_id = stmt.Int(0);
    m.at = FromMillis(stmt.Int(1));
    m.grade_ab = stmt.Int(2) != 0;
    m.persona_match = stmt.Int(3) != 0;
    out.push_back(m);
  }
}

}  // namespace tandem::store::sqlite
