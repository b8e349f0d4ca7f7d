// Personas (with versions and sign-offs), scoring rule sets, contact scores and re-score jobs:
// one implementation for both backends, templated on the backend's connection (docs/postgres.md,
// "What both backends share").
//
// What a backend's connection provides: Prepare(sql) -> Result<Stmt>, where the Stmt binds (Bind,
// BindNull, BindReal) and reads (Step, Run, Int, OptInt, Text, TextView, Real, OptReal);
// Placeholders(sql), which turns the `?` the statements are written with into the backend's own;
// and, found by argument-dependent lookup in the backend's namespace, CheckReference(conn, field,
// id, table, what). The statements use only SQL both dialects read: `INSERT ... RETURNING id` for
// the new id and `UPDATE ... RETURNING` to learn whether a row changed (SQLite has RETURNING since
// 3.35). Unique violations are kAlreadyExists on both backends.
// Thread-safety: as the connection's (one transaction at a time).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/scoring.hpp"
#include "store/store.hpp"

namespace tandem::store::scoring_sql {

using core::Error;
using core::Fail;
using core::FromMillis;
using core::Instant;
using core::ToMillis;

// Criterion values and domain lists are stored one per line (core refuses control characters).
inline std::string JoinLines(const std::vector<std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += '\n';
    out += values[i];
  }
  return out;
}

inline std::vector<std::string> SplitLines(std::string_view text) {
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

inline std::optional<std::int64_t> OptMillis(const std::optional<Instant>& t) {
  if (!t) return std::nullopt;
  return ToMillis(*t);
}

inline bool IsUniqueViolation(const Error& e) {
  return e.code == core::ErrorCode::kAlreadyExists;
}

inline Error NotFound(std::string_view what, Id id) {
  return Error::NotFound(std::string(what) + " " + std::to_string(id) + " does not exist");
}

// A call site's statement, its `?` turned into the backend's placeholders once.
#define TANDEM_SCORING_SQL(name, text) \
  static const std::string name = Conn::Placeholders(std::string(text))

inline constexpr std::string_view kJobColumns =
    "id, status, reason, total, done, cursor, qualified, error, created_at, started_at, "
    "finished_at, created_by";

template <class S>
Result<core::ScoringJob> ReadJob(const S& s) {
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

// status, reason, total, done, cursor, qualified, error (the columns a job's update writes first).
template <class S>
S& BindJobProgress(S& s, const core::ScoringJob& j) {
  s.Bind(ToString(j.status))
      .Bind(std::string_view(j.reason))
      .Bind(j.total)
      .Bind(j.done)
      .Bind(j.cursor)
      .Bind(j.qualified)
      .Bind(std::string_view(j.error));
  return s;
}

// fit, grade, persona_id, engagement, engagement_at, caps, rules_version, updated_at.
template <class S>
S& BindScore(S& s, const core::ContactScore& score) {
  s.Bind(score.fit)
      .Bind(ToString(score.grade))
      .Bind(score.persona_id)
      .BindReal(score.engagement.value)
      .Bind(ToMillis(score.engagement.last_update))
      .Bind(std::string_view(score.caps_text))
      .Bind(score.rules_version)
      .Bind(ToMillis(score.updated_at));
  return s;
}

template <class Conn>
Result<void> InsertPersonaVersion(Conn& conn, Id persona_id, const core::Persona& p,
                                  std::optional<Id> changed_by) {
  TANDEM_TRY(CheckReference(conn, "changed_by", changed_by, "users", "user"));
  {
    TANDEM_SCORING_SQL(kExists,
                       "SELECT 1 FROM persona_versions WHERE persona_id = ? AND version = ?");
    TANDEM_ASSIGN(auto exists, conn.Prepare(kExists));
    exists.Bind(persona_id).Bind(p.version);
    TANDEM_ASSIGN(bool found, exists.Step());
    if (found) {
      return Fail(Error::Conflict("version", "persona " + std::to_string(persona_id) +
                                                 " already has version " +
                                                 std::to_string(p.version)));
    }
  }
  TANDEM_SCORING_SQL(kInsert,
                     "INSERT INTO persona_versions (persona_id, version, key, name, description, "
                     "archived, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  TANDEM_ASSIGN(auto stmt, conn.Prepare(kInsert));
  stmt.Bind(persona_id)
      .Bind(p.version)
      .Bind(std::string_view(p.key))
      .Bind(std::string_view(p.name))
      .Bind(std::string_view(p.description))
      .Bind(p.archived ? 1 : 0)
      .Bind(changed_by)
      .Bind(ToMillis(p.updated_at));
  TANDEM_TRY(stmt.Run());
  for (std::size_t i = 0; i < p.criteria.size(); ++i) {
    // One statement per row: a Stmt binds once (SQLite's cache hands the same one back).
    TANDEM_SCORING_SQL(kCriterion,
                       "INSERT INTO persona_criteria (persona_id, version, position, property, op, "
                       "vals, min_value, max_value, weight) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    TANDEM_ASSIGN(auto crit, conn.Prepare(kCriterion));
    const core::Criterion& c = p.criteria[i];
    crit.Bind(persona_id)
        .Bind(p.version)
        .Bind(static_cast<std::int64_t>(i))
        .Bind(std::string_view(c.property))
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
template <class Conn>
Result<bool> ReadPersonaVersion(Conn& conn, Id id, int version, core::Persona& p,
                                std::optional<Id>* changed_by) {
  TANDEM_SCORING_SQL(kVersion,
                     "SELECT key, name, description, archived, changed_by, changed_at FROM "
                     "persona_versions WHERE persona_id = ? AND version = ?");
  TANDEM_ASSIGN(auto stmt, conn.Prepare(kVersion));
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
  TANDEM_SCORING_SQL(kCriteria,
                     "SELECT property, op, vals, min_value, max_value, weight FROM "
                     "persona_criteria WHERE persona_id = ? AND version = ? ORDER BY position");
  TANDEM_ASSIGN(auto crit, conn.Prepare(kCriteria));
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

// The persona of the next row of `head` (id, version, created_at, updated_at), if any.
template <class Conn, class S>
Result<std::optional<core::Persona>> ReadPersona(Conn& conn, S& head) {
  TANDEM_ASSIGN(bool row, head.Step());
  if (!row) return std::optional<core::Persona>();
  core::Persona p;
  p.id = head.Int(0);
  int version = static_cast<int>(head.Int(1));
  p.created_at = FromMillis(head.Int(2));
  Instant updated = FromMillis(head.Int(3));
  TANDEM_ASSIGN(bool found, ReadPersonaVersion(conn, p.id, version, p, nullptr));
  if (!found) {
    return Fail(Error::Internal("persona " + std::to_string(p.id) + " lacks its version row"));
  }
  p.updated_at = updated;
  return std::optional<core::Persona>(std::move(p));
}

template <class Conn>
class PersonaRepoOn final : public PersonaRepo {
 public:
  explicit PersonaRepoOn(Conn& conn) : conn_(conn) {}

  Result<Id> Insert(const core::Persona& p, std::optional<Id> changed_by) override {
    TANDEM_SCORING_SQL(kInsert,
                       "INSERT INTO personas (key, version, created_at, updated_at) "
                       "VALUES (?, ?, ?, ?) RETURNING id");
    TANDEM_ASSIGN(auto stmt, conn_.Prepare(kInsert));
    stmt.Bind(std::string_view(p.key))
        .Bind(p.version)
        .Bind(ToMillis(p.created_at))
        .Bind(ToMillis(p.updated_at));
    auto row = stmt.Step();
    if (!row) {
      if (IsUniqueViolation(row.error())) {
        return Fail(Error::Conflict("key", "a persona with key '" + p.key + "' exists"));
      }
      return Fail(std::move(row.error()));
    }
    if (!*row) return Fail(Error::Internal("the persona insert returned no id"));
    const Id id = stmt.Int(0);
    TANDEM_TRY(InsertPersonaVersion(conn_, id, p, changed_by));
    return id;
  }

  Result<void> Update(const core::Persona& p, std::optional<Id> changed_by) override {
    {
      TANDEM_SCORING_SQL(kTaken, "SELECT id FROM personas WHERE key = ? AND id <> ?");
      TANDEM_ASSIGN(auto taken, conn_.Prepare(kTaken));
      taken.Bind(std::string_view(p.key)).Bind(p.id);
      TANDEM_ASSIGN(bool found, taken.Step());
      if (found) return Fail(Error::Conflict("key", "a persona with key '" + p.key + "' exists"));
    }
    {
      TANDEM_SCORING_SQL(kUpdate,
                         "UPDATE personas SET key = ?, version = ?, updated_at = ? WHERE id = ? "
                         "RETURNING id");
      TANDEM_ASSIGN(auto stmt, conn_.Prepare(kUpdate));
      stmt.Bind(std::string_view(p.key)).Bind(p.version).Bind(ToMillis(p.updated_at)).Bind(p.id);
      TANDEM_ASSIGN(bool changed, stmt.Step());
      if (!changed) return Fail(NotFound("persona", p.id));
    }
    return InsertPersonaVersion(conn_, p.id, p, changed_by);
  }

  Result<std::optional<core::Persona>> Get(Id id) override {
    TANDEM_SCORING_SQL(kGet,
                       "SELECT id, version, created_at, updated_at FROM personas WHERE id = ?");
    TANDEM_ASSIGN(auto stmt, conn_.Prepare(kGet));
    stmt.Bind(id);
    return ReadPersona(conn_, stmt);
  }

  Result<std::optional<core::Persona>> FindByKey(std::string_view key) override {
    TANDEM_SCORING_SQL(kFind,
                       "SELECT id, version, created_at, updated_at FROM personas WHERE key = ?");
    TANDEM_ASSIGN(auto stmt, conn_.Prepare(kFind));
    stmt.Bind(key);
    return ReadPersona(conn_, stmt);
  }

  Result<std::vector<core::Persona>> List(bool include_archived) override {
    TANDEM_SCORING_SQL(kList,
                       "SELECT id, version, created_at, updated_at FROM personas ORDER BY id");
    TANDEM_ASSIGN(auto stmt, conn_.Prepare(kList));
    std::vector<core::Persona> out;
    while (true) {
      TANDEM_ASSIGN(auto p, ReadPersona(conn_, stmt));
      if (!p) break;
      if (p->archived && !include_archived) continue;
      out.push_back(std::move(*p));
    }
    return out;
  }

  Result<std::vector<core::PersonaVersion>> ListVersions(Id persona_id) override {
    Instant created;
    {
      TANDEM_SCORING_SQL(kHead, "SELECT created_at FROM personas WHERE id = ?");
      TANDEM_ASSIGN(auto head, conn_.Prepare(kHead));
      head.Bind(persona_id);
      TANDEM_ASSIGN(bool exists, head.Step());
      if (!exists) return Fail(NotFound("persona", persona_id));
      created = FromMillis(head.Int(0));
    }
    std::vector<int> versions;
    {
      TANDEM_SCORING_SQL(kVersions,
                         "SELECT version FROM persona_versions WHERE persona_id = ? "
                         "ORDER BY version");
      TANDEM_ASSIGN(auto stmt, conn_.Prepare(kVersions));
      stmt.Bind(persona_id);
      while (true) {
        TANDEM_ASSIGN(bool row, stmt.Step());
        if (!row) break;
        versions.push_back(static_cast<int>(stmt.Int(0)));
      }
    }
    std::vector<core::PersonaVersion> out;
    for (int v : versions) {
      core::PersonaVersion pv;
      pv.persona.id = persona_id;
      pv.persona.created_at = created;
      TANDEM_TRY(ReadPersonaVersion(conn_, persona_id, v, pv.persona, &pv.changed_by));
      pv.changed_at = pv.persona.updated_at;
      out.push_back(std::move(pv));
    }
    return out;
  }

  Result<Id> AddSignoff(const core::PersonaSignoff& s) override {
    {
      TANDEM_SCORING_SQL(kVersion,
                         "SELECT 1 FROM persona_versions WHERE persona_id = ? AND version = ?");
      TANDEM_ASSIGN(auto v, conn_.Prepare(kVersion));
      v.Bind(s.persona_id).Bind(s.version);
      TANDEM_ASSIGN(bool found, v.Step());
      if (!found) {
        return Fail(Error::Invalid("version", "persona " + std::to_string(s.persona_id) +
                                                  " has no version " + std::to_string(s.version)));
      }
    }
    TANDEM_TRY(CheckReference(conn_, "user_id", std::optional<Id>(s.user_id), "users", "user"));
    TANDEM_SCORING_SQL(kInsert,
                       "INSERT INTO persona_signoffs (persona_id, version, user_id, user_email, "
                       "capacity, note, signed_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
    TANDEM_ASSIGN(auto stmt, conn_.Prepare(kInsert));
    stmt.Bind(s.persona_id)
        .Bind(s.version)
        .Bind(s.user_id)
        .Bind(std::string_view(s.user_email))
        .Bind(ToString(s.capacity))
        .Bind(std::string_view(s.note))
        .Bind(ToMillis(s.signed_at));
    auto row = stmt.Step();
    if (!row) {
      if (IsUniqueViolation(row.error())) {
        return Fail(Error::Conflict("capacity", "version " + std::to_string(s.version) +
                                                    " is already signed off as " +
                                                    std::string(ToString(s.capacity))));
      }
      return Fail(std::move(row.error()));
    }
    if (!*row) return Fail(Error::Internal("the sign-off insert returned no id"));
    return stmt.Int(0);
  }

  Result<std::vector<core::PersonaSignoff>> ListSignoffs(Id persona_id) override {
    TANDEM_SCORING_SQL(kList,
                       "SELECT id, persona_id, version, user_id, user_email, capacity, note, "
                       "signed_at FROM persona_signoffs WHERE persona_id = ? ORDER BY id");
    TANDEM_ASSIGN(auto stmt, conn_.Prepare(kList));
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

 private:
  Conn& conn_;
};

template <class Conn>
class ScoringRepoOn final : public ScoringRepo {
 public:
  explicit ScoringRepoOn(Conn& conn) : conn_(conn) {}

  // --- Rules.

  Result<std::optional<core::ScoringRules>> CurrentRules() override {
    std::optional<std::int64_t> v;
    {
      TANDEM_SCORING_SQL(kMax, "SELECT max(version) FROM scoring_rule_sets");
      TANDEM_ASSIGN(auto stmt, conn_.Prepare(kMax));
      TANDEM_TRY(stmt.Step());
      v = stmt.OptInt(0);
    }
    if (!v) return std::optional<core::ScoringRules>();
    return GetRules(static_cast<int>(*v));
  }

  Result<std::optional<core::ScoringRules>> GetRules(int version) override {
    core::ScoringRules r;
    {
      TANDEM_SCORING_SQL(kGet,
                         "SELECT half_life_days, competitor_domains, competitor_penalty, "
                         "personal_email_domains, personal_email_penalty, grade_a, grade_b, "
                         "grade_c, mql_kind, mql_expression, mql_matrix_a, mql_matrix_b, "
                         "mql_matrix_c, mql_matrix_d, created_at, created_by FROM "
                         "scoring_rule_sets WHERE version = ?");
      TANDEM_ASSIGN(auto stmt, conn_.Prepare(kGet));
      stmt.Bind(version);
      TANDEM_ASSIGN(bool row, stmt.Step());
      if (!row) return std::optional<core::ScoringRules>();
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
    }
    TANDEM_SCORING_SQL(kEvents,
                       "SELECT event_type, points, cap, cap_period_hours FROM "
                       "scoring_event_rules WHERE version = ? ORDER BY position");
    TANDEM_ASSIGN(auto ev, conn_.Prepare(kEvents));
    ev.Bind(version);
    while (true) {
      TANDEM_ASSIGN(bool more, ev.Step());
      if (!more) break;
      r.events.push_back({ev.Text(0), ev.Real(1), ev.Real(2), ev.Int(3)});
    }
    return std::optional<core::ScoringRules>(std::move(r));
  }

  Result<int> InsertRules(const core::ScoringRules& r) override {
    TANDEM_TRY(CheckReference(conn_, "updated_by", r.updated_by, "users", "user"));
    int version = 0;
    {
      TANDEM_SCORING_SQL(kNext, "SELECT coalesce(max(version), 0) + 1 FROM scoring_rule_sets");
      TANDEM_ASSIGN(auto next, conn_.Prepare(kNext));
      TANDEM_TRY(next.Step());
      version = static_cast<int>(next.Int(0));
    }
    {
      TANDEM_SCORING_SQL(kInsert,
                         "INSERT INTO scoring_rule_sets (version, half_life_days, "
                         "competitor_domains, competitor_penalty, personal_email_domains, "
                         "personal_email_penalty, grade_a, grade_b, grade_c, mql_kind, "
                         "mql_expression, mql_matrix_a, mql_matrix_b, mql_matrix_c, "
                         "mql_matrix_d, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                         "?, ?, ?, ?, ?, ?, ?, ?, ?)");
      TANDEM_ASSIGN(auto stmt, conn_.Prepare(kInsert));
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
          .Bind(std::string_view(r.mql.expression));
      for (const auto& m : r.mql.matrix.min_engagement) stmt.BindReal(m);
      stmt.Bind(ToMillis(r.updated_at)).Bind(r.updated_by);
      TANDEM_TRY(stmt.Run());
    }
    for (std::size_t i = 0; i < r.events.size(); ++i) {
      TANDEM_SCORING_SQL(kEvent,
                         "INSERT INTO scoring_event_rules (version, position, event_type, "
                         "points, cap, cap_period_hours) VALUES (?, ?, ?, ?, ?, ?)");
      TANDEM_ASSIGN(auto ev, conn_.Prepare(kEvent));
      const auto& e = r.events[i];
      ev.Bind(version)
          .Bind(static_cast<std::int64_t>(i))
          .Bind(std::string_view(e.event_type))
          .BindReal(e.points)
          .BindReal(e.cap)
          .Bind(e.cap_period_hours);
      TANDEM_TRY(ev.Run());
    }
    return version;
  }

  Result<std::int64_t> Generation() override {
    TANDEM_SCORING_SQL(kGet, "SELECT generation FROM scoring_generation");
    TANDEM_ASSIGN(auto stmt, conn_.Prepare(kGet));
    TANDEM_TRY(stmt.Step());
    return stmt.Int(0);
  }

  Result<void> BumpGeneration() override {
    TANDEM_SCORING_SQL(kBump, "UPDATE scoring_generation SET generation = generation + 1");
    TANDEM_ASSIGN(auto stmt, conn_.Prepare(kBump));
    return stmt.Run();
  }

  // --- Scores.

  Result<std::optional<core::ContactScore>> GetScore(Id contact_id) override {
    TANDEM_SCORING_SQL(kGet,
                       "SELECT fit, grade, persona_id, engagement, engagement_at, caps, "
                       "rules_version, updated_at FROM contact_scores WHERE contact_id = ?");
    TANDEM_ASSIGN(auto stmt, conn_.Prepare(kGet));
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

  Result<void> PutScore(const core::ContactScore& s) override {
    TANDEM_TRY(CheckReference(conn_, "persona_id", s.persona_id, "personas", "persona"));
    // Every event of a scored contact lands here: update the row in place first (its contact
    // exists, the row's foreign key says so), insert only the first time.
    {
      TANDEM_SCORING_SQL(kUpdate,
                         "UPDATE contact_scores SET fit = ?, grade = ?, persona_id = ?, "
                         "engagement = ?, engagement_at = ?, caps = ?, rules_version = ?, "
                         "updated_at = ? WHERE contact_id = ? RETURNING contact_id");
      TANDEM_ASSIGN(auto update, conn_.Prepare(kUpdate));
      BindScore(update, s).Bind(s.contact_id);
      TANDEM_ASSIGN(bool changed, update.Step());
      if (changed) return {};
    }
    TANDEM_TRY(CheckReference(conn_, "contact_id", std::optional<Id>(s.contact_id), "contacts",
                              "contact"));
    TANDEM_SCORING_SQL(kInsert,
                       "INSERT INTO contact_scores (fit, grade, persona_id, engagement, "
                       "engagement_at, caps, rules_version, updated_at, contact_id) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    TANDEM_ASSIGN(auto stmt, conn_.Prepare(kInsert));
    BindScore(stmt, s).Bind(s.contact_id);
    return stmt.Run();
  }

  Result<std::vector<Id>> ContactIdsAfter(Id after, int limit) override {
    TANDEM_SCORING_SQL(kIds, "SELECT id FROM contacts WHERE id > ? ORDER BY id LIMIT ?");
    TANDEM_ASSIGN(auto stmt, conn_.Prepare(kIds));
    stmt.Bind(after).Bind(limit);
    std::vector<Id> out;
    while (true) {
      TANDEM_ASSIGN(bool row, stmt.Step());
      if (!row) break;
      out.push_back(stmt.Int(0));
    }
    return out;
  }

  // --- Jobs.

  Result<Id> InsertJob(const core::ScoringJob& j) override {
    TANDEM_TRY(CheckReference(conn_, "created_by", j.created_by, "users", "user"));
    TANDEM_SCORING_SQL(kInsert,
                       "INSERT INTO scoring_jobs (status, reason, total, done, cursor, qualified, "
                       "error, created_at, started_at, finished_at, created_by) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    TANDEM_ASSIGN(auto stmt, conn_.Prepare(kInsert));
    BindJobProgress(stmt, j)
        .Bind(ToMillis(j.created_at))
        .Bind(OptMillis(j.started_at))
        .Bind(OptMillis(j.finished_at))
        .Bind(j.created_by);
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) return Fail(Error::Internal("the job insert returned no id"));
    return stmt.Int(0);
  }

  Result<void> UpdateJob(const core::ScoringJob& j) override {
    TANDEM_SCORING_SQL(kUpdate,
                       "UPDATE scoring_jobs SET status = ?, reason = ?, total = ?, done = ?, "
                       "cursor = ?, qualified = ?, error = ?, started_at = ?, finished_at = ? "
                       "WHERE id = ? RETURNING id");
    TANDEM_ASSIGN(auto stmt, conn_.Prepare(kUpdate));
    BindJobProgress(stmt, j)
        .Bind(OptMillis(j.started_at))
        .Bind(OptMillis(j.finished_at))
        .Bind(j.id);
    TANDEM_ASSIGN(bool changed, stmt.Step());
    if (!changed) return Fail(NotFound("scoring job", j.id));
    return {};
  }

  Result<std::optional<core::ScoringJob>> GetJob(Id id) override {
    TANDEM_SCORING_SQL(kGet,
                       "SELECT " + std::string(kJobColumns) + " FROM scoring_jobs WHERE id = ?");
    TANDEM_ASSIGN(auto stmt, conn_.Prepare(kGet));
    stmt.Bind(id);
    return ReadOneJob(stmt);
  }

  Result<std::optional<core::ScoringJob>> NextPendingJob() override {
    TANDEM_SCORING_SQL(kNext, "SELECT " + std::string(kJobColumns) +
                                  " FROM scoring_jobs WHERE status IN ('queued', 'running') "
                                  "ORDER BY id LIMIT 1");
    TANDEM_ASSIGN(auto stmt, conn_.Prepare(kNext));
    return ReadOneJob(stmt);
  }

  Result<std::int64_t> SupersedePendingJobs(Instant at) override {
    TANDEM_SCORING_SQL(kSupersede,
                       "UPDATE scoring_jobs SET status = 'superseded', finished_at = ? "
                       "WHERE status IN ('queued', 'running') RETURNING id");
    TANDEM_ASSIGN(auto stmt, conn_.Prepare(kSupersede));
    stmt.Bind(ToMillis(at));
    std::int64_t n = 0;
    while (true) {
      TANDEM_ASSIGN(bool row, stmt.Step());
      if (!row) break;
      ++n;
    }
    return n;
  }

 private:
  template <class S>
  static Result<std::optional<core::ScoringJob>> ReadOneJob(S& stmt) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) return std::optional<core::ScoringJob>();
    TANDEM_ASSIGN(auto j, ReadJob(stmt));
    return std::optional<core::ScoringJob>(std::move(j));
  }

  Conn& conn_;
};

#undef TANDEM_SCORING_SQL

}  // namespace tandem::store::scoring_sql
