// Personas (with versions and sign-offs), scoring rule sets, contact scores and re-score jobs.
#include "store/sqlite/repos.hpp"

namespace tandem::store::sqlite {

using core::Error;
using core::Fail;
using core::FromMillis;
using core::Instant;
using core::ToMillis;

namespace {

std::string JoinLines(const std::vector<std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += '\n';
    out += values[i];
  }
  return out;
}

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  while (true) {
    auto nl = text.find('\n');
    out.emplace_back(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

bool IsUniqueViolation(const Error& e) {
  return e.code == core::ErrorCode::kAlreadyExists;
}

Result<void> InsertVersion(Connection& conn, Id persona_id, const core::Persona& p,
                           std::optional<Id> changed_by) {
  TANDEM_TRY(CheckReference(conn, "changed_by", changed_by, "users", "user"));
  {
    TANDEM_ASSIGN(auto exists, conn.Prepare("SELECT 1 FROM persona_versions WHERE persona_id = ? "
                                            "AND version = ?"));
    exists.Bind(persona_id).Bind(p.version);
    TANDEM_ASSIGN(bool found, exists.Step());
    if (found) {
      return Fail(Error::Conflict("version", "persona " + std::to_string(persona_id) +
                                                 " already has version " +
                                                 std::to_string(p.version)));
    }
  }
  TANDEM_ASSIGN(auto stmt,
                conn.Prepare("INSERT INTO persona_versions (persona_id, version, key, name, "
                             "description, archived, changed_by, changed_at) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  stmt.Bind(persona_id)
      .Bind(p.version)
      .Bind(p.key)
      .Bind(p.name)
      .Bind(p.description)
      .Bind(p.archived ? 1 : 0)
      .Bind(changed_by)
      .Bind(ToMillis(p.updated_at));
  TANDEM_TRY(stmt.Run());
  for (std::size_t i = 0; i < p.criteria.size(); ++i) {
    // One statement per row: a Stmt binds once (the cache hands the same one back).
    TANDEM_ASSIGN(auto crit,
                  conn.Prepare("INSERT INTO persona_criteria (persona_id, version, position, "
                               "property, op, vals, min_value, max_value, weight) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    const core::Criterion& c = p.criteria[i];
    crit.Bind(persona_id)
        .Bind(p.version)
        .Bind(static_cast<std::int64_t>(i))
        .Bind(c.property)
        .Bind(ToString(c.op))
        .Bind(JoinLines(c.values))
        .BindReal(c.min)
        .BindReal(c.max)
        .Bind(c.weight);
    TANDEM_TRY(crit.Run());
  }
  return {};
}

// Reads version `version` of persona `id` into `p` (everything but id, created_at).
Result<bool> ReadVersion(Connection& conn, Id id, int version, core::Persona& p,
                         std::optional<Id>* changed_by) {
  TANDEM_ASSIGN(auto stmt, conn.Prepare("SELECT key, name, description, archived, changed_by, "
                                        "changed_at FROM persona_versions "
                                        "WHERE persona_id = ? AND version = ?"));
  stmt.Bind(id).Bind(version);
  TANDEM_ASSIGN(bool row, stmt.Step());
  if (!row) return false;
  p.version = version;
  p.key = stmt.Text(0);
  p.name = stmt.Text(1);
  p.description = stmt.Text(2);
  p.archived = stmt.Int(3) != 0;
  if (changed_by) *changed_by = stmt.OptInt(4);
  p.updated_at = FromMillis(stmt.Int(5));
  TANDEM_ASSIGN(auto crit, conn.Prepare("SELECT property, op, vals, min_value, max_value, weight "
                                        "FROM persona_criteria WHERE persona_id = ? AND "
                                        "version = ? ORDER BY position"));
  crit.Bind(id).Bind(version);
  p.criteria.clear();
  while (true) {
    TANDEM_ASSIGN(bool more, crit.Step());
    if (!more) break;
    core::Criterion c;
    c.property = crit.Text(0);
    auto op = core::CriterionOpFromString(crit.TextView(1));
    if (!op)
      return Fail(Error::Internal("unknown criterion op stored for persona " + std::to_string(id)));
    c.op = *op;
    c.values = SplitLines(crit.TextView(2));
    c.min = crit.OptReal(3);
    c.max = crit.OptReal(4);
    c.weight = static_cast<int>(crit.Int(5));
    p.criteria.push_back(std::move(c));
  }
  return true;
}

Result<std::optional<core::Persona>> ReadPersona(Connection& conn, Stmt& head) {
  TANDEM_ASSIGN(bool row, head.Step());
  if (!row) return std::optional<core::Persona>();
  core::Persona p;
  p.id = head.Int(0);
  int version = static_cast<int>(head.Int(1));
  p.created_at = FromMillis(head.Int(2));
  Instant updated = FromMillis(head.Int(3));
  TANDEM_ASSIGN(bool found, ReadVersion(conn, p.id, version, p, nullptr));
  if (!found) {
    return Fail(Error::Internal("persona " + std::to_string(p.id) + " lacks its version row"));
  }
  p.updated_at = updated;
  return std::optional<core::Persona>(std::move(p));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Personas.

Result<Id> SqlitePersonaRepo::Insert(const core::Persona& p, std::optional<Id> changed_by) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("INSERT INTO personas (key, version, created_at, "
                                             "updated_at) VALUES (?, ?, ?, ?)"));
  stmt.Bind(p.key).Bind(p.version).Bind(ToMillis(p.created_at)).Bind(ToMillis(p.updated_at));
  if (auto r = stmt.Run(); !r) {
    if (IsUniqueViolation(r.error())) {
      return Fail(Error::Conflict("key", "a persona with key '" + p.key + "' exists"));
    }
    return Fail(std::move(r.error()));
  }
  Id id = ctx_.conn.LastInsertId();
  TANDEM_TRY(InsertVersion(ctx_.conn, id, p, changed_by));
  return id;
}

Result<void> SqlitePersonaRepo::Update(const core::Persona& p, std::optional<Id> changed_by) {
  {
    TANDEM_ASSIGN(auto taken,
                  ctx_.conn.Prepare("SELECT id FROM personas WHERE key = ? AND id <> ?"));
    taken.Bind(p.key).Bind(p.id);
    TANDEM_ASSIGN(bool found, taken.Step());
    if (found) return Fail(Error::Conflict("key", "a persona with key '" + p.key + "' exists"));
  }
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("UPDATE personas SET key = ?, version = ?, "
                                             "updated_at = ? WHERE id = ?"));
  stmt.Bind(p.key).Bind(p.version).Bind(ToMillis(p.updated_at)).Bind(p.id);
  TANDEM_TRY(stmt.Run());
  TANDEM_TRY(CheckChanged(ctx_.conn, "persona", p.id));
  return InsertVersion(ctx_.conn, p.id, p, changed_by);
}

Result<std::optional<core::Persona>> SqlitePersonaRepo::Get(Id id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("SELECT id, version, created_at, updated_at FROM "
                                             "personas WHERE id = ?"));
  stmt.Bind(id);
  return ReadPersona(ctx_.conn, stmt);
}

Result<std::optional<core::Persona>> SqlitePersonaRepo::FindByKey(std::string_view key) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("SELECT id, version, created_at, updated_at FROM "
                                             "personas WHERE key = ?"));
  stmt.Bind(key);
  return ReadPersona(ctx_.conn, stmt);
}

Result<std::vector<core::Persona>> SqlitePersonaRepo::List(bool include_archived) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("SELECT id, version, created_at, updated_at FROM "
                                             "personas ORDER BY id"));
  std::vector<core::Persona> out;
  while (true) {
    TANDEM_ASSIGN(auto p, ReadPersona(ctx_.conn, stmt));
    if (!p) break;
    if (p->archived && !include_archived) continue;
    out.push_back(std::move(*p));
  }
  return out;
}

Result<std::vector<core::PersonaVersion>> SqlitePersonaRepo::ListVersions(Id persona_id) {
  TANDEM_ASSIGN(auto head, ctx_.conn.Prepare("SELECT created_at FROM personas WHERE id = ?"));
  head.Bind(persona_id);
  TANDEM_ASSIGN(bool exists, head.Step());
  if (!exists)
    return Fail(Error::NotFound("persona " + std::to_string(persona_id) + " does not exist"));
  Instant created = FromMillis(head.Int(0));
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("SELECT version FROM persona_versions WHERE "
                                             "persona_id = ? ORDER BY version"));
  stmt.Bind(persona_id);
  std::vector<int> versions;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    versions.push_back(static_cast<int>(stmt.Int(0)));
  }
  std::vector<core::PersonaVersion> out;
  for (int v : versions) {
    core::PersonaVersion pv;
    pv.persona.id = persona_id;
    pv.persona.created_at = created;
    TANDEM_TRY(ReadVersion(ctx_.conn, persona_id, v, pv.persona, &pv.changed_by));
    pv.changed_at = pv.persona.updated_at;
    out.push_back(std::move(pv));
  }
  return out;
}

Result<Id> SqlitePersonaRepo::AddSignoff(const core::PersonaSignoff& s) {
  {
    TANDEM_ASSIGN(auto v, ctx_.conn.Prepare("SELECT 1 FROM persona_versions WHERE persona_id = ? "
                                            "AND version = ?"));
    v.Bind(s.persona_id).Bind(s.version);
    TANDEM_ASSIGN(bool found, v.Step());
    if (!found) {
      return Fail(Error::Invalid("version", "persona " + std::to_string(s.persona_id) +
                                                " has no version " + std::to_string(s.version)));
    }
  }
  TANDEM_TRY(CheckReference(ctx_.conn, "user_id", std::optional<Id>(s.user_id), "users", "user"));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("INSERT INTO persona_signoffs (persona_id, version, user_id, "
                                  "user_email, capacity, note, signed_at) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?)"));
  stmt.Bind(s.persona_id)
      .Bind(s.version)
      .Bind(s.user_id)
      .Bind(s.user_email)
      .Bind(ToString(s.capacity))
      .Bind(s.note)
      .Bind(ToMillis(s.signed_at));
  if (auto r = stmt.Run(); !r) {
    if (IsUniqueViolation(r.error())) {
      return Fail(Error::Conflict("capacity", "version " + std::to_string(s.version) +
                                                  " is already signed off as " +
                                                  std::string(ToString(s.capacity))));
    }
    return Fail(std::move(r.error()));
  }
  return ctx_.conn.LastInsertId();
}

Result<std::vector<core::PersonaSignoff>> SqlitePersonaRepo::ListSignoffs(Id persona_id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("SELECT id, persona_id, version, user_id, "
                                             "user_email, capacity, note, signed_at FROM "
                                             "persona_signoffs WHERE persona_id = ? ORDER BY id"));
  stmt.Bind(persona_id);
  std::vector<core::PersonaSignoff> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    core::PersonaSignoff s;
    s.id = stmt.Int(0);
    s.persona_id = stmt.Int(1);
    s.version = static_cast<int>(stmt.Int(2));
    s.user_id = stmt.OptInt(3).value_or(0);
    s.user_email = stmt.Text(4);
    auto cap = core::SignoffCapacityFromString(stmt.TextView(5));
    if (!cap) return Fail(Error::Internal("unknown sign-off capacity stored"));
    s.capacity = *cap;
    s.note = stmt.Text(6);
    s.signed_at = FromMillis(stmt.Int(7));
    out.push_back(std::move(s));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Rules.

Result<std::optional<core::ScoringRules>> SqliteScoringRepo::CurrentRules() {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("SELECT max(version) FROM scoring_rule_sets"));
  TANDEM_TRY(stmt.Step());
  auto v = stmt.OptInt(0);
  if (!v) return std::optional<core::ScoringRules>();
  return GetRules(static_cast<int>(*v));
}

Result<std::optional<core::ScoringRules>> SqliteScoringRepo::GetRules(int version) {
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("SELECT half_life_days, competitor_domains, "
                                  "competitor_penalty, personal_email_domains, "
                                  "personal_email_penalty, grade_a, grade_b, grade_c, mql_kind, "
                                  "mql_expression, mql_matrix_a, mql_matrix_b, mql_matrix_c, "
                                  "mql_matrix_d, created_at, created_by FROM scoring_rule_sets "
                                  "WHERE version = ?"));
  stmt.Bind(version);
  TANDEM_ASSIGN(bool row, stmt.Step());
  if (!row) return std::optional<core::ScoringRules>();
  core::ScoringRules r;
  r.version = version;
  r.half_life_days = stmt.Real(0);
  r.negatives.competitor_domains = SplitLines(stmt.TextView(1));
  r.negatives.competitor_penalty = static_cast<int>(stmt.Int(2));
  r.negatives.personal_email_domains = SplitLines(stmt.TextView(3));
  r.negatives.personal_email_penalty = static_cast<int>(stmt.Int(4));
  r.grades = {static_cast<int>(stmt.Int(5)), static_cast<int>(stmt.Int(6)),
              static_cast<int>(stmt.Int(7))};
  r.mql.kind = stmt.TextView(8) == "matrix" ? core::QualificationRule::Kind::kMatrix
                                            : core::QualificationRule::Kind::kExpression;
  r.mql.expression = stmt.Text(9);
  for (int g = 0; g < 4; ++g) r.mql.matrix.min_engagement[g] = stmt.OptReal(10 + g);
  r.updated_at = FromMillis(stmt.Int(14));
  r.updated_by = stmt.OptInt(15);
  TANDEM_ASSIGN(auto ev, ctx_.conn.Prepare("SELECT event_type, points, cap, cap_period_hours FROM "
                                           "scoring_event_rules WHERE version = ? ORDER BY "
                                           "position"));
  ev.Bind(version);
  while (true) {
    TANDEM_ASSIGN(bool more, ev.Step());
    if (!more) break;
    r.events.push_back({ev.Text(0), ev.Real(1), ev.Real(2), ev.Int(3)});
  }
  return std::optional<core::ScoringRules>(std::move(r));
}

Result<int> SqliteScoringRepo::InsertRules(const core::ScoringRules& r) {
  TANDEM_TRY(CheckReference(ctx_.conn, "updated_by", r.updated_by, "users", "user"));
  TANDEM_ASSIGN(auto next, ctx_.conn.Prepare("SELECT coalesce(max(version), 0) + 1 FROM "
                                             "scoring_rule_sets"));
  TANDEM_TRY(next.Step());
  int version = static_cast<int>(next.Int(0));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("INSERT INTO scoring_rule_sets (version, half_life_days, "
                                  "competitor_domains, competitor_penalty, "
                                  "personal_email_domains, personal_email_penalty, grade_a, "
                                  "grade_b, grade_c, mql_kind, mql_expression, mql_matrix_a, "
                                  "mql_matrix_b, mql_matrix_c, mql_matrix_d, created_at, "
                                  "created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                  "?, ?, ?)"));
  stmt.Bind(version)
      .BindReal(r.half_life_days)
      .Bind(JoinLines(r.negatives.competitor_domains))
      .Bind(r.negatives.competitor_penalty)
      .Bind(JoinLines(r.negatives.personal_email_domains))
      .Bind(r.negatives.personal_email_penalty)
      .Bind(r.grades.a)
      .Bind(r.grades.b)
      .Bind(r.grades.c)
      .Bind(r.mql.kind == core::QualificationRule::Kind::kMatrix ? "matrix" : "expression")
      .Bind(r.mql.expression);
  for (const auto& m : r.mql.matrix.min_engagement) stmt.BindReal(m);
  stmt.Bind(ToMillis(r.updated_at)).Bind(r.updated_by);
  TANDEM_TRY(stmt.Run());
  for (std::size_t i = 0; i < r.events.size(); ++i) {
    TANDEM_ASSIGN(auto ev, ctx_.conn.Prepare("INSERT INTO scoring_event_rules (version, position, "
                                             "event_type, points, cap, cap_period_hours) VALUES "
                                             "(?, ?, ?, ?, ?, ?)"));
    const auto& e = r.events[i];
    ev.Bind(version)
        .Bind(static_cast<std::int64_t>(i))
        .Bind(e.event_type)
        .BindReal(e.points)
        .BindReal(e.cap)
        .Bind(e.cap_period_hours);
    TANDEM_TRY(ev.Run());
  }
  return version;
}

Result<std::int64_t> SqliteScoringRepo::Generation() {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("SELECT generation FROM scoring_generation"));
  TANDEM_TRY(stmt.Step());
  return stmt.Int(0);
}

Result<void> SqliteScoringRepo::BumpGeneration() {
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("UPDATE scoring_generation SET generation = generation + 1"));
  return stmt.Run();
}

// ---------------------------------------------------------------------------------------------
// Scores.

Result<std::optional<core::ContactScore>> SqliteScoringRepo::GetScore(Id contact_id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("SELECT fit, grade, persona_id, engagement, "
                                             "engagement_at, caps, rules_version, updated_at "
                                             "FROM contact_scores WHERE contact_id = ?"));
  stmt.Bind(contact_id);
  TANDEM_ASSIGN(bool row, stmt.Step());
  if (!row) return std::optional<core::ContactScore>();
  core::ContactScore s;
  s.contact_id = contact_id;
  s.fit = static_cast<int>(stmt.Int(0));
  auto grade = core::GradeFromString(stmt.TextView(1));
  if (!grade) return Fail(Error::Internal("unknown grade stored"));
  s.grade = *grade;
  s.persona_id = stmt.OptInt(2);
  s.engagement.value = stmt.Real(3);
  s.engagement.last_update = FromMillis(stmt.Int(4));
  s.caps_text = stmt.Text(5);
  s.rules_version = static_cast<int>(stmt.Int(6));
  s.updated_at = FromMillis(stmt.Int(7));
  return std::optional<core::ContactScore>(std::move(s));
}

Result<void> SqliteScoringRepo::PutScore(const core::ContactScore& s) {
  TANDEM_TRY(CheckReference(ctx_.conn, "persona_id", s.persona_id, "personas", "persona"));
  // Every event of a scored contact lands here: update the row in place first (its contact
  // exists, the row's foreign key says so), insert only the first time.
  {
    TANDEM_ASSIGN(auto update,
                  ctx_.conn.Prepare("UPDATE contact_scores SET fit = ?, grade = ?, persona_id = ?, "
                                    "engagement = ?, engagement_at = ?, caps = ?, "
                                    "rules_version = ?, updated_at = ? WHERE contact_id = ?"));
    update.Bind(s.fit)
        .Bind(ToString(s.grade))
        .Bind(s.persona_id)
        .BindReal(s.engagement.value)
        .Bind(ToMillis(s.engagement.last_update))
        .Bind(s.caps_text)
        .Bind(s.rules_version)
        .Bind(ToMillis(s.updated_at))
        .Bind(s.contact_id);
    TANDEM_TRY(update.Run());
    if (ctx_.conn.Changes() > 0) return {};
  }
  TANDEM_TRY(CheckReference(ctx_.conn, "contact_id", std::optional<Id>(s.contact_id), "contacts",
                            "contact"));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("INSERT INTO contact_scores (contact_id, fit, "
                                  "grade, persona_id, engagement, engagement_at, caps, "
                                  "rules_version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  stmt.Bind(s.contact_id)
      .Bind(s.fit)
      .Bind(ToString(s.grade))
      .Bind(s.persona_id)
      .BindReal(s.engagement.value)
      .Bind(ToMillis(s.engagement.last_update))
      .Bind(s.caps_text)
      .Bind(s.rules_version)
      .Bind(ToMillis(s.updated_at));
  return stmt.Run();
}

Result<std::vector<Id>> SqliteScoringRepo::ContactIdsAfter(Id after, int limit) {
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("SELECT id FROM contacts WHERE id > ? ORDER BY id LIMIT ?"));
  stmt.Bind(after).Bind(limit);
  std::vector<Id> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(stmt.Int(0));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Jobs.

namespace {

constexpr std::string_view kJobColumns =
    "id, status, reason, total, done, cursor, qualified, error, created_at, started_at, "
    "finished_at, created_by";

Result<core::ScoringJob> ReadJob(const Stmt& s) {
  core::ScoringJob j;
  j.id = s.Int(0);
  auto status = core::JobStatusFromString(s.TextView(1));
  if (!status) return Fail(Error::Internal("unknown job status stored"));
  j.status = *status;
  j.reason = s.Text(2);
  j.total = s.Int(3);
  j.done = s.Int(4);
  j.cursor = s.Int(5);
  j.qualified = s.Int(6);
  j.error = s.Text(7);
  j.created_at = FromMillis(s.Int(8));
  if (auto v = s.OptInt(9)) j.started_at = FromMillis(*v);
  if (auto v = s.OptInt(10)) j.finished_at = FromMillis(*v);
  j.created_by = s.OptInt(11);
  return j;
}

std::optional<std::int64_t> OptMillis(const std::optional<Instant>& t) {
  if (!t) return std::nullopt;
  return ToMillis(*t);
}

}  // namespace

Result<Id> SqliteScoringRepo::InsertJob(const core::ScoringJob& j) {
  TANDEM_TRY(CheckReference(ctx_.conn, "created_by", j.created_by, "users", "user"));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("INSERT INTO scoring_jobs (status, reason, total, done, cursor, "
                                  "qualified, error, created_at, started_at, finished_at, "
                                  "created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  stmt.Bind(ToString(j.status))
      .Bind(j.reason)
      .Bind(j.total)
      .Bind(j.done)
      .Bind(j.cursor)
      .Bind(j.qualified)
      .Bind(j.error)
      .Bind(ToMillis(j.created_at))
      .Bind(OptMillis(j.started_at))
      .Bind(OptMillis(j.finished_at))
      .Bind(j.created_by);
  TANDEM_TRY(stmt.Run());
  return ctx_.conn.LastInsertId();
}

Result<void> SqliteScoringRepo::UpdateJob(const core::ScoringJob& j) {
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("UPDATE scoring_jobs SET status = ?, reason = ?, total = ?, "
                                  "done = ?, cursor = ?, qualified = ?, error = ?, "
                                  "started_at = ?, finished_at = ? WHERE id = ?"));
  stmt.Bind(ToString(j.status))
      .Bind(j.reason)
      .Bind(j.total)
      .Bind(j.done)
      .Bind(j.cursor)
      .Bind(j.qualified)
      .Bind(j.error)
      .Bind(OptMillis(j.started_at))
      .Bind(OptMillis(j.finished_at))
      .Bind(j.id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(ctx_.conn, "scoring job", j.id);
}

Result<std::optional<core::ScoringJob>> SqliteScoringRepo::GetJob(Id id) {
  static const std::string sql =
      "SELECT " + std::string(kJobColumns) + " FROM scoring_jobs WHERE id = ?";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(id);
  TANDEM_ASSIGN(bool row, stmt.Step());
  if (!row) return std::optional<core::ScoringJob>();
  TANDEM_ASSIGN(auto j, ReadJob(stmt));
  return std::optional<core::ScoringJob>(std::move(j));
}

Result<std::optional<core::ScoringJob>> SqliteScoringRepo::NextPendingJob() {
  static const std::string sql = "SELECT " + std::string(kJobColumns) +
                                 " FROM scoring_jobs WHERE status IN ('queued', 'running') "
                                 "ORDER BY id LIMIT 1";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  TANDEM_ASSIGN(bool row, stmt.Step());
  if (!row) return std::optional<core::ScoringJob>();
  TANDEM_ASSIGN(auto j, ReadJob(stmt));
  return std::optional<core::ScoringJob>(std::move(j));
}

Result<std::int64_t> SqliteScoringRepo::SupersedePendingJobs(Instant at) {
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("UPDATE scoring_jobs SET status = 'superseded', finished_at = ? "
                                  "WHERE status IN ('queued', 'running')"));
  stmt.Bind(ToMillis(at));
  TANDEM_TRY(stmt.Run());
  return ctx_.conn.Changes();
}

}  // namespace tandem::store::sqlite
