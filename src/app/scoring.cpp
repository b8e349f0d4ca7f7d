#include "app/scoring.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "app/contacts.hpp"
#include "core/audit.hpp"

namespace tandem::app {

using core::AuditAction;
using core::Error;
using core::Fail;
using core::Instant;
using core::Resource;
using core::Verb;

namespace {

std::string RuleText(const core::ScoringRules& r) {
  if (r.mql.kind == core::QualificationRule::Kind::kExpression) {
    auto parsed = core::MqlRule::Parse(r.mql.expression);
    return "rules v" + std::to_string(r.version) + ": " +
           (parsed ? parsed->ToString() : r.mql.expression);
  }
  std::string out = "rules v" + std::to_string(r.version) + ": grade matrix";
  for (int g = 0; g < 4; ++g) {
    const auto& m = r.mql.matrix.min_engagement[g];
    out += std::string(g == 0 ? " " : ", ") +
           std::string(core::ToString(static_cast<core::Grade>(g))) + " " +
           (m ? ">= " + std::to_string(static_cast<long long>(std::llround(*m))) : "never");
  }
  return out;
}

// Two decimals at most, no trailing zeros: "12.5", "40".
std::string Points(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 2);
  std::string out(buf, end);
  while (!out.empty() && out.back() == '0') out.pop_back();
  if (!out.empty() && out.back() == '.') out.pop_back();
  if (out == "-0") out = "0";
  return out;
}

core::AuditEntry Audit(Instant now, const core::Actor& actor, std::string entity, Id id,
                       AuditAction action, std::vector<core::FieldChange> changes) {
  core::AuditEntry e;
  e.at = now;
  e.actor = actor;
  e.entity = std::move(entity);
  e.entity_id = id;
  e.action = action;
  e.changes = std::move(changes);
  return e;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The model.

Result<core::ScoringRules> CurrentRules(store::Tx& tx) {
  TANDEM_ASSIGN(auto stored, tx.scoring().CurrentRules());
  if (stored) return *stored;
  return core::DefaultScoringRules();
}

Result<std::shared_ptr<const ScoringSnapshot>> ScoringModel::Get(store::Tx& tx) {
  TANDEM_ASSIGN(std::int64_t generation, tx.scoring().Generation());
  {
    std::lock_guard lock(mu_);
    if (cached_ && cached_->generation == generation) return cached_;
  }
  auto snap = std::make_shared<ScoringSnapshot>();
  snap->generation = generation;
  TANDEM_ASSIGN(auto rules, CurrentRules(tx));
  auto compiled = core::CompileRules(rules);
  if (!compiled) {
    return Fail(
        Error::Internal("the stored scoring rules do not compile: " + compiled.error().message));
  }
  snap->rules = std::move(*compiled);
  TANDEM_ASSIGN(snap->sources, tx.personas().List(false));
  for (const auto& p : snap->sources) {
    auto cp = core::CompilePersona(p);
    if (!cp) {
      return Fail(
          Error::Internal("stored persona " + p.key + " does not compile: " + cp.error().message));
    }
    snap->personas.push_back(std::move(*cp));
  }
  std::lock_guard lock(mu_);
  // Keep the newest generation when two transactions compiled at once.
  if (!cached_ || cached_->generation <= generation) cached_ = snap;
  return std::shared_ptr<const ScoringSnapshot>(snap);
}

Result<core::ScoringJob> QueueRescore(store::Tx& tx, std::string reason,
                                      std::optional<Id> created_by, Instant now) {
  TANDEM_TRY(tx.scoring().BumpGeneration());
  TANDEM_TRY(tx.scoring().SupersedePendingJobs(now));
  core::ScoringJob job;
  job.reason = std::move(reason);
  TANDEM_ASSIGN(job.total, tx.contacts().CountAll());
  job.created_at = now;
  job.created_by = created_by;
  TANDEM_ASSIGN(job.id, tx.scoring().InsertJob(job));
  return job;
}

// ---------------------------------------------------------------------------------------------
// Scores of one contact.

struct ScoringService::Loaded {
  core::Contact contact;
  std::optional<core::Company> company;
  core::ContactScore score;
  bool stored = false;
};

Result<ScoringService::Loaded> ScoringService::Load(store::Tx& tx, Id contact_id,
                                                    const ScoringSnapshot& snap) {
  Loaded l;
  TANDEM_ASSIGN(auto contact, tx.contacts().Get(contact_id));
  if (!contact)
    return Fail(Error::NotFound("contact " + std::to_string(contact_id) + " does not exist"));
  l.contact = std::move(*contact);
  if (l.contact.company_id) {
    TANDEM_ASSIGN(l.company, tx.companies().Get(*l.contact.company_id));
  }
  TANDEM_ASSIGN(auto score, tx.scoring().GetScore(contact_id));
  if (score) {
    l.score = std::move(*score);
    l.stored = true;
    l.score.engagement.caps = core::DecodeCaps(snap.rules, l.score.caps_text);
  } else {
    l.score.contact_id = contact_id;
  }
  return l;
}

namespace {

void ApplyFit(core::ContactScore& s, const core::FitResult& f) {
  s.fit = f.fit;
  s.grade = f.grade;
  s.persona_id = f.persona_id;
}

// A contact created or imported straight into mql had no score when its move was written: the
// move keeps the quality of its first score (moves that have one keep theirs).
Result<void> RecordQualityIfMql(store::Tx& tx, const core::Contact& c,
                                const core::ContactScore& s) {
  if (c.stage != core::Stage::kMql) return {};
  return tx.stages().RecordMqlQuality(c.id, core::MqlQuality{s.grade, s.persona_id});
}

std::string_view PersonaKeyOf(const ScoringSnapshot& snap, const std::optional<Id>& id) {
  if (!id) return {};
  for (const auto& p : snap.personas) {
    if (p.id == *id) return p.key;
  }
  return {};
}

}  // namespace

bool ScoringService::RuleHolds(const core::ContactScore& s, const ScoringSnapshot& snap,
                               Instant now) {
  Instant at = std::max(now, s.engagement.last_update);
  double engagement = core::EngagementAt(snap.rules, s.engagement, at);
  core::MqlInputs in{static_cast<double>(s.fit), engagement, s.grade,
                     PersonaKeyOf(snap, s.persona_id)};
  return snap.rules.Qualifies(in);
}

Result<bool> ScoringService::MaybeQualify(store::Tx& tx, core::Contact& c,
                                          const core::ContactScore& s, const ScoringSnapshot& snap,
                                          Instant now, bool allow_recycled, Instant qualified_at) {
  bool eligible =
      c.stage == core::Stage::kLead || (allow_recycled && c.stage == core::Stage::kRecycled);
  if (!eligible || !RuleHolds(s, snap, now)) return false;
  if (c.stage == core::Stage::kRecycled && handoff_) {
    TANDEM_ASSIGN(bool may, handoff_->MayRequalify(tx, c, qualified_at, now));
    if (!may) return false;
  }
  TANDEM_ASSIGN(
      auto change,
      ApplyTransition(tx, c, core::Stage::kMql, now, core::Actor::System("scoring"), "mql_rule",
                      RuleText(snap.rules.source()), core::MqlQuality{s.grade, s.persona_id}));
  if (handoff_) TANDEM_TRY(handoff_->OnStageChanged(tx, c, change, qualified_at, now));
  return true;
}

Result<void> ScoringService::OnContactSaved(store::Tx& tx, const core::Contact& c, Instant now) {
  TANDEM_ASSIGN(auto snap, model_.Get(tx));
  TANDEM_ASSIGN(auto l, Load(tx, c.id, *snap));
  auto fit = snap->rules.Fit(snap->personas, l.contact, l.company ? &*l.company : nullptr);
  if (!l.stored || l.score.fit != fit.fit || l.score.grade != fit.grade ||
      l.score.persona_id != fit.persona_id) {
    ApplyFit(l.score, fit);
    l.score.caps_text = core::EncodeCaps(snap->rules, l.score.engagement);
    l.score.rules_version = snap->rules.version();
    l.score.updated_at = now;
    TANDEM_TRY(tx.scoring().PutScore(l.score));
  }
  return RecordQualityIfMql(tx, l.contact, l.score);
}

Result<void> ScoringService::OnCompanySaved(store::Tx& tx, Id company_id, Instant now) {
  core::ContactQuery q;
  q.company_id = company_id;
  q.page.limit = core::kMaxPageSize;
  while (true) {
    TANDEM_ASSIGN(auto page, tx.contacts().List(q));
    for (const auto& c : page.items) TANDEM_TRY(OnContactSaved(tx, c, now));
    if (!page.next) return {};
    q.page.after = page.next;
  }
}

Result<bool> ScoringService::ApplyEvent(store::Tx& tx, Id contact_id, std::string_view type,
                                        Instant occurred_at, Instant now) {
  TANDEM_ASSIGN(auto snap, model_.Get(tx));
  // The hot path of ingest: a contact already scored needs only its score row. The contact
  // and its company are read when the fit must be computed (first score) or when the rule
  // holds and the stage decides whether it qualifies.
  Loaded l;
  TANDEM_ASSIGN(auto stored, tx.scoring().GetScore(contact_id));
  if (stored) {
    l.score = std::move(*stored);
    l.stored = true;
    l.score.engagement.caps = core::DecodeCaps(snap->rules, l.score.caps_text);
  } else {
    TANDEM_ASSIGN(l, Load(tx, contact_id, *snap));
    ApplyFit(l.score,
             snap->rules.Fit(snap->personas, l.contact, l.company ? &*l.company : nullptr));
  }
  auto applied = snap->rules.ApplyEvent(l.score.engagement, type, occurred_at);
  if (!applied.known && l.stored) return false;
  l.score.caps_text = core::EncodeCaps(snap->rules, l.score.engagement);
  l.score.rules_version = snap->rules.version();
  l.score.updated_at = now;
  TANDEM_TRY(tx.scoring().PutScore(l.score));
  if (stored) {
    if (!RuleHolds(l.score, *snap, now)) return false;
    TANDEM_ASSIGN(auto contact, tx.contacts().Get(contact_id));
    if (!contact) {
      return Fail(Error::NotFound("contact " + std::to_string(contact_id) + " does not exist"));
    }
    l.contact = std::move(*contact);
  }
  return MaybeQualify(tx, l.contact, l.score, *snap, now, true, occurred_at);
}

Result<void> ScoringService::MergeScores(store::Tx& tx, Id keep, Id other, Instant now) {
  TANDEM_ASSIGN(auto snap, model_.Get(tx));
  TANDEM_ASSIGN(auto from, tx.scoring().GetScore(other));
  if (!from) {
    core::Contact kept;
    kept.id = keep;
    return OnContactSaved(tx, kept, now);
  }
  from->engagement.caps = core::DecodeCaps(snap->rules, from->caps_text);
  TANDEM_ASSIGN(auto l, Load(tx, keep, *snap));
  core::MergeEngagement(snap->rules, l.score.engagement, from->engagement);
  ApplyFit(l.score, snap->rules.Fit(snap->personas, l.contact, l.company ? &*l.company : nullptr));
  l.score.caps_text = core::EncodeCaps(snap->rules, l.score.engagement);
  l.score.rules_version = snap->rules.version();
  l.score.updated_at = now;
  return tx.scoring().PutScore(l.score);
}

Result<void> ScoringService::OnContactEvent(store::Tx& tx, const core::Event& e, Instant now) {
  if (!e.contact_id) return {};
  TANDEM_ASSIGN(bool became_mql, ApplyEvent(tx, *e.contact_id, e.type, e.occurred_at, now));
  (void)became_mql;
  return {};
}

Result<void> ScoringService::OnMerge(store::Tx& tx, Id keep, Id other, Instant now) {
  return MergeScores(tx, keep, other, now);
}

// ---------------------------------------------------------------------------------------------
// Use cases.

Result<core::ScoringRules> ScoringService::GetRules(const Principal& p) {
  TANDEM_TRY(core::Authorize(p, Verb::kRead, Resource::kScoringRules));
  core::ScoringRules out;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(out, CurrentRules(tx));
    return {};
  }));
  return out;
}

Result<RulesChange> ScoringService::PutRules(const Principal& p, core::ScoringRules rules) {
  TANDEM_TRY(core::Authorize(p, Verb::kUpdate, Resource::kScoringRules));
  TANDEM_TRY(core::Validate(rules));
  const Instant now = clock_.Now();
  rules.updated_at = now;
  rules.updated_by = p.user_id;
  RulesChange out;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(auto before, CurrentRules(tx));
    TANDEM_ASSIGN(rules.version, tx.scoring().InsertRules(rules));
    TANDEM_ASSIGN(out.job,
                  QueueRescore(tx, "rules v" + std::to_string(rules.version), p.user_id, now));
    TANDEM_TRY(tx.audit().Append(
        Audit(now, p.AsActor(), "scoring_rules", rules.version, AuditAction::kUpdate,
              {{"version", std::to_string(before.version), std::to_string(rules.version)},
               {"mql", RuleText(before), RuleText(rules)}})));
    return {};
  }));
  out.rules = std::move(rules);
  return out;
}

Result<ScoreExplanation> ScoringService::Explain(const Principal& p, Id contact_id) {
  TANDEM_TRY(core::Authorize(p, Verb::kRead, Resource::kContact));
  ScoreExplanation out;
  const Instant now = clock_.Now();
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(auto snap, model_.Get(tx));
    TANDEM_ASSIGN(auto l, Load(tx, contact_id, *snap));
    out.contact_id = contact_id;
    out.rules_version = snap->rules.version();
    auto fit =
        snap->rules.Fit(snap->personas, l.contact, l.company ? &*l.company : nullptr, &out.lines);
    out.fit = fit.fit;
    out.grade = fit.grade;
    out.persona_id = fit.persona_id;
    out.persona_key = fit.persona_key;
    out.as_of = std::max(now, l.score.engagement.last_update);
    out.engagement = core::EngagementAt(snap->rules, l.score.engagement, out.as_of);
    // The latest events, oldest first, replayed under the rules in force: what each one
    // brought, the caps they hit and the decay between them.
    TANDEM_ASSIGN(auto events, tx.events().ListForContact(contact_id, kExplainedEvents));
    if (!events.empty()) {
      TANDEM_ASSIGN(auto total, tx.events().CountForContact(contact_id));
      if (total > static_cast<std::int64_t>(events.size())) {
        out.lines.push_back({core::ExplainKind::kEngagement,
                             "the latest " + std::to_string(events.size()) + " of " +
                                 std::to_string(total) + " events:",
                             0, true});
      }
      core::EngagementState replay;
      for (auto it = events.rbegin(); it != events.rend(); ++it) {
        snap->rules.ApplyEvent(replay, it->type, it->occurred_at, &out.lines);
      }
    }
    if (l.stored && l.score.engagement.last_update != Instant{}) {
      out.last_event_at = l.score.engagement.last_update;
      double at_last = l.score.engagement.value;
      out.lines.push_back({core::ExplainKind::kEngagement,
                           "engagement at the last event (" +
                               core::FormatInstant(l.score.engagement.last_update) +
                               "): " + Points(at_last),
                           at_last, true});
      double decay = std::max(0.0, at_last) - out.engagement;
      if (decay > 0.005) {
        out.lines.push_back({core::ExplainKind::kDecay,
                             "decay since then (half-life " +
                                 Points(snap->rules.source().half_life_days) + " days): -" +
                                 Points(decay),
                             -decay, true});
      }
    } else {
      out.lines.push_back(
          {core::ExplainKind::kEngagement, "no scored event yet: engagement 0", 0, false});
    }
    core::MqlInputs in{static_cast<double>(out.fit), out.engagement, out.grade, out.persona_key};
    out.qualifies = snap->rules.Qualifies(in, &out.lines);
    return {};
  }));
  return out;
}

Result<core::ScoringJob> ScoringService::GetJob(const Principal& p, Id job_id) {
  TANDEM_TRY(core::Authorize(p, Verb::kRead, Resource::kScoringRules));
  std::optional<core::ScoringJob> job;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(job, tx.scoring().GetJob(job_id));
    return {};
  }));
  if (!job)
    return Fail(Error::NotFound("scoring job " + std::to_string(job_id) + " does not exist"));
  return *job;
}

Result<bool> ScoringService::RunJobBatch() {
  bool more = false;
  const Instant now = clock_.Now();
  std::optional<Id> job_id;
  auto ran = store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(auto job, tx.scoring().NextPendingJob());
    if (!job) return {};
    job_id = job->id;
    TANDEM_ASSIGN(auto snap, model_.Get(tx));
    if (job->status == core::JobStatus::kQueued) {
      job->status = core::JobStatus::kRunning;
      job->started_at = now;
    }
    TANDEM_ASSIGN(auto ids, tx.scoring().ContactIdsAfter(job->cursor, settings_.job_batch));
    for (Id id : ids) {
      TANDEM_ASSIGN(auto l, Load(tx, id, *snap));
      ApplyFit(l.score,
               snap->rules.Fit(snap->personas, l.contact, l.company ? &*l.company : nullptr));
      l.score.caps_text = core::EncodeCaps(snap->rules, l.score.engagement);
      l.score.rules_version = snap->rules.version();
      l.score.updated_at = now;
      TANDEM_TRY(tx.scoring().PutScore(l.score));
      TANDEM_TRY(RecordQualityIfMql(tx, l.contact, l.score));
      TANDEM_ASSIGN(bool qualified, MaybeQualify(tx, l.contact, l.score, *snap, now, false, now));
      if (qualified) ++job->qualified;
      job->cursor = id;
      ++job->done;
    }
    if (static_cast<int>(ids.size()) < settings_.job_batch) {
      job->status = core::JobStatus::kDone;
      job->finished_at = now;
      // Contacts created while the job ran were scored by their own create; the count
      // shown should not say less than what was done.
      job->total = std::max(job->total, job->done);
    } else {
      more = true;
    }
    return tx.scoring().UpdateJob(*job);
  });
  if (!ran && job_id && ran.error().code != core::ErrorCode::kUnavailable) {
    // A batch that fails (other than the database being away) would fail again: the job
    // stops, with the reason, rather than spin.
    (void)store_.Write([&](store::Tx& tx) -> Result<void> {
      TANDEM_ASSIGN(auto job, tx.scoring().GetJob(*job_id));
      if (!job) return {};
      job->status = core::JobStatus::kFailed;
      job->error = ran.error().message;
      job->finished_at = now;
      return tx.scoring().UpdateJob(*job);
    });
  }
  if (!ran) return Fail(std::move(ran.error()));
  return more;
}

// ---------------------------------------------------------------------------------------------
// Personas.

Result<std::vector<core::SignoffCapacity>> SignoffCapacities(store::Tx& tx,
                                                             const core::User& user) {
  std::vector<core::SignoffCapacity> out;
  if (user.role == core::Role::kAdmin) {
    return std::vector{core::SignoffCapacity::kHeadOfMarketing,
                       core::SignoffCapacity::kHeadOfSales};
  }
  TANDEM_ASSIGN(auto teams, tx.teams().List());
  bool marketing = false, sales = false;
  for (const auto& t : teams) {
    if (t.manager_id != user.id) continue;
    if (t.function == core::TeamFunction::kMarketing || t.function == core::TeamFunction::kRevenue)
      marketing = true;
    if (t.function == core::TeamFunction::kSales || t.function == core::TeamFunction::kRevenue)
      sales = true;
  }
  if (marketing) out.push_back(core::SignoffCapacity::kHeadOfMarketing);
  if (sales) out.push_back(core::SignoffCapacity::kHeadOfSales);
  return out;
}

namespace {

Result<PersonaView> ViewOf(store::Tx& tx, core::Persona persona) {
  PersonaView v;
  TANDEM_ASSIGN(v.signoffs, tx.personas().ListSignoffs(persona.id));
  bool marketing = false, sales = false;
  for (const auto& s : v.signoffs) {
    if (s.version != persona.version) continue;
    if (s.capacity == core::SignoffCapacity::kHeadOfMarketing) marketing = true;
    if (s.capacity == core::SignoffCapacity::kHeadOfSales) sales = true;
  }
  v.signed_off = marketing && sales;
  v.persona = std::move(persona);
  return v;
}

Result<core::Persona> MustGet(store::Tx& tx, Id id) {
  TANDEM_ASSIGN(auto p, tx.personas().Get(id));
  if (!p) return Fail(Error::NotFound("persona " + std::to_string(id) + " does not exist"));
  return std::move(*p);
}

void Normalize(core::Persona& p) {
  auto trim = [](std::string& s) {
    auto b = s.find_first_not_of(" \t\r\n");
    auto e = s.find_last_not_of(" \t\r\n");
    s = b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
  };
  trim(p.key);
  trim(p.name);
  for (auto& c : p.criteria) trim(c.property);
}

}  // namespace

Result<PersonaView> PersonaService::Save(const Principal& p, core::Persona persona, bool is_new) {
  Normalize(persona);
  TANDEM_TRY(core::Validate(persona));
  const Instant now = clock_.Now();
  persona.updated_at = now;
  PersonaView out;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    std::string before_version = "";
    if (is_new) {
      persona.version = 1;
      persona.created_at = now;
      TANDEM_ASSIGN(persona.id, tx.personas().Insert(persona, p.user_id));
    } else {
      TANDEM_ASSIGN(auto before, MustGet(tx, persona.id));
      before_version = std::to_string(before.version);
      persona.version = before.version + 1;
      persona.created_at = before.created_at;
      TANDEM_TRY(tx.personas().Update(persona, p.user_id));
    }
    TANDEM_ASSIGN(
        auto job,
        QueueRescore(tx, "persona " + persona.key + " v" + std::to_string(persona.version),
                     p.user_id, now));
    TANDEM_TRY(
        tx.audit().Append(Audit(now, p.AsActor(), "persona", persona.id,
                                is_new ? AuditAction::kCreate : AuditAction::kUpdate,
                                {{"version", before_version, std::to_string(persona.version)}})));
    TANDEM_ASSIGN(out, ViewOf(tx, persona));
    out.rescore_job = job.id;
    return {};
  }));
  return out;
}

Result<PersonaView> PersonaService::Create(const Principal& p, core::Persona draft) {
  TANDEM_TRY(core::Authorize(p, Verb::kCreate, Resource::kPersona));
  draft.id = 0;
  draft.archived = false;
  return Save(p, std::move(draft), true);
}

Result<PersonaView> PersonaService::Update(const Principal& p, Id id, const PersonaPatch& patch) {
  TANDEM_TRY(core::Authorize(p, Verb::kUpdate, Resource::kPersona));
  std::optional<core::Persona> current;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(current, MustGet(tx, id));
    return {};
  }));
  core::Persona next = *current;
  if (patch.key) next.key = *patch.key;
  if (patch.name) next.name = *patch.name;
  if (patch.description) next.description = *patch.description;
  if (patch.criteria) next.criteria = *patch.criteria;
  if (patch.archived) next.archived = *patch.archived;
  // The version check inside Save's transaction (Update refuses an existing version) keeps two
  // concurrent edits from both landing on the same version.
  return Save(p, std::move(next), false);
}

Result<PersonaView> PersonaService::Archive(const Principal& p, Id id) {
  PersonaPatch patch;
  patch.archived = true;
  return Update(p, id, patch);
}

Result<PersonaView> PersonaService::Get(const Principal& p, Id id) {
  TANDEM_TRY(core::Authorize(p, Verb::kRead, Resource::kPersona));
  PersonaView out;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(auto persona, MustGet(tx, id));
    TANDEM_ASSIGN(out, ViewOf(tx, std::move(persona)));
    return {};
  }));
  return out;
}

Result<std::vector<PersonaView>> PersonaService::List(const Principal& p, bool include_archived) {
  TANDEM_TRY(core::Authorize(p, Verb::kRead, Resource::kPersona));
  std::vector<PersonaView> out;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(auto all, tx.personas().List(include_archived));
    for (auto& persona : all) {
      TANDEM_ASSIGN(auto v, ViewOf(tx, std::move(persona)));
      out.push_back(std::move(v));
    }
    return {};
  }));
  return out;
}

Result<std::vector<core::PersonaVersion>> PersonaService::Versions(const Principal& p, Id id) {
  TANDEM_TRY(core::Authorize(p, Verb::kRead, Resource::kPersona));
  std::vector<core::PersonaVersion> out;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(out, tx.personas().ListVersions(id));
    return {};
  }));
  return out;
}

Result<PersonaView> PersonaService::SignOff(const Principal& p, Id id, std::optional<int> version,
                                            std::optional<core::SignoffCapacity> capacity,
                                            std::string note) {
  TANDEM_TRY(core::Authorize(p, Verb::kRead, Resource::kPersona));
  if (p.scopes)
    return Fail(Error::Forbidden("personas are signed off by a person, not an API key"));
  if (note.size() > core::kLongTextMax) {
    return Fail(Error::Invalid("note", "note is longer than 65536 characters"));
  }
  const Instant now = clock_.Now();
  PersonaView out;
  TANDEM_TRY(store_.Write([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(auto persona, MustGet(tx, id));
    if (persona.archived)
      return Fail(Error::Precondition("an archived persona cannot be signed off"));
    if (version && *version != persona.version) {
      return Fail(Error::Precondition(
          "version " + std::to_string(*version) + " is not the current version (" +
              std::to_string(persona.version) + "); review the current one and sign that",
          "version"));
    }
    TANDEM_ASSIGN(auto user, tx.users().Get(p.user_id));
    if (!user || !user->active) return Fail(Error::Forbidden("unknown or inactive user"));
    TANDEM_ASSIGN(auto held, SignoffCapacities(tx, *user));
    if (held.empty()) {
      return Fail(Error::Forbidden(
          "only the head of marketing (manager of a marketing team), the head of sales "
          "(manager of a sales team) or an admin signs personas off"));
    }
    core::SignoffCapacity cap;
    if (capacity) {
      if (std::find(held.begin(), held.end(), *capacity) == held.end()) {
        return Fail(Error::Forbidden("you do not sign as " + std::string(ToString(*capacity))));
      }
      cap = *capacity;
    } else if (held.size() == 1) {
      cap = held[0];
    } else {
      return Fail(Error::Invalid("capacity",
                                 "you may sign as head_of_marketing or head_of_sales: say which"));
    }
    core::PersonaSignoff s;
    s.persona_id = id;
    s.version = persona.version;
    s.user_id = user->id;
    s.user_email = user->email;
    s.capacity = cap;
    s.note = std::move(note);
    s.signed_at = now;
    TANDEM_ASSIGN(s.id, tx.personas().AddSignoff(s));
    TANDEM_TRY(tx.audit().Append(Audit(
        now, p.AsActor(), "persona", id, AuditAction::kUpdate,
        {{"signoff", "", std::string(ToString(cap)) + " v" + std::to_string(persona.version)}})));
    TANDEM_ASSIGN(out, ViewOf(tx, std::move(persona)));
    return {};
  }));
  return out;
}

}  // namespace tandem::app
