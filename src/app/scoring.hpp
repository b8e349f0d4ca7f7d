// Personas, scoring rules, contact scores, automatic MQL and the background re-score.
//
// * `ScoringModel` caches the compiled rule set and personas, keyed by the store's scoring
//   generation (bumped by every change of rules or personas), so each transaction pays one
//   small read to know its cache is current.
// * `ScoringService` holds the use cases: the rule set (GET/PUT, the MQL rule inside it),
//   a contact's score and its explanation, re-score jobs, and the hooks other use cases call
//   inside their own transactions: `OnContactSaved` (fit on create/update), `OnCompanySaved`
//   (fit of its contacts), `ApplyEvent` (engagement and automatic MQL, called by ingest) and
//   `MergeScores`.
// * `PersonaService` holds persona CRUD (archive instead of delete), versions and sign-offs.
//
// Decisions (docs/scoring.md): every change of rules or personas queues a re-score job that
// walks all contacts by id in batches, each batch one transaction that also records the job's
// progress (so a restart resumes where it stopped); a newer job supersedes older pending ones.
// Automatic MQL: an event moves a `lead` or `recycled` contact to `mql` when the rule holds
// (new evidence); a re-score job moves only `lead`s (a rule change should not undo sales'
// recycling). Both record cause "mql_rule" and the rule as the reason.
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/ingest.hpp"
#include "app/observers.hpp"
#include "base/clock.hpp"
#include "core/permissions.hpp"
#include "core/scoring.hpp"
#include "store/store.hpp"

namespace tandem::app {

using core::Id;
using core::Principal;
using core::Result;

// The compiled rules and personas in force, for one scoring generation.
struct ScoringSnapshot {
  std::int64_t generation = -1;
  core::CompiledRules rules;
  std::vector<core::CompiledPersona> personas;  // not archived, by id
  std::vector<core::Persona> sources;           // the same personas as stored
};

class ScoringModel {
 public:
  // The snapshot for the store's current generation, compiled on first use.
  Result<std::shared_ptr<const ScoringSnapshot>> Get(store::Tx& tx);

 private:
  std::mutex mu_;
  std::shared_ptr<const ScoringSnapshot> cached_;  // guarded by mu_
};

// The rule set in force: the newest stored, or the built-in defaults when none is stored.
Result<core::ScoringRules> CurrentRules(store::Tx& tx);

struct ScoringSettings {
  int job_batch = 500;  // contacts per re-score transaction
};

// How many of a contact's latest events the explanation replays, line by line.
inline constexpr int kExplainedEvents = 50;

// A contact's score, explained line by line.
struct ScoreExplanation {
  Id contact_id = 0;
  int fit = 0;
  core::Grade grade = core::Grade::kD;
  std::optional<Id> persona_id;
  std::string persona_key;
  double engagement = 0;  // at `as_of`
  core::Instant as_of{};
  std::optional<core::Instant> last_event_at;
  int rules_version = 0;
  bool qualifies = false;
  std::vector<core::ExplainLine> lines;
};

struct RulesChange {
  core::ScoringRules rules;
  core::ScoringJob job;
};

class ScoringService final : public RecordObserver, public EventSink {
 public:
  ScoringService(store::Store& store, const base::Clock& clock, ScoringSettings settings = {})
      : store_(store), clock_(clock), settings_(settings) {}

  ScoringModel& model() { return model_; }
  // Told of every automatic MQL, in its transaction (set once, before use).
  void SetHandoff(HandoffObserver* handoff) { handoff_ = handoff; }

  // The rule set in force (everyone may read it).
  Result<core::ScoringRules> GetRules(const Principal& p);
  // Validates and stores `rules` as the next version, then queues a re-score. A bad MQL
  // expression is kFailedPrecondition naming the column (field "mql.expression").
  Result<RulesChange> PutRules(const Principal& p, core::ScoringRules rules);

  Result<ScoreExplanation> Explain(const Principal& p, Id contact_id);
  Result<core::ScoringJob> GetJob(const Principal& p, Id job_id);

  // Runs one batch of the oldest pending re-score job. Returns true when work remains
  // (call again), false when no job is pending.
  Result<bool> RunJobBatch();

  // --- Hooks, each inside the caller's write transaction. ---
  // Recomputes the contact's fit, grade and persona (keeps its engagement).
  Result<void> OnContactSaved(store::Tx& tx, const core::Contact& c, core::Instant now) override;
  // Recomputes the fit of every contact of the company.
  Result<void> OnCompanySaved(store::Tx& tx, Id company_id, core::Instant now) override;
  // Scores one event of `contact_id` (type, occurred_at) and moves the contact to mql when
  // the rule now holds. Returns whether it became an MQL.
  Result<bool> ApplyEvent(store::Tx& tx, Id contact_id, std::string_view type,
                          core::Instant occurred_at, core::Instant now);
  // Folds the engagement of `other` into `keep` (before `other` is deleted).
  Result<void> MergeScores(store::Tx& tx, Id keep, Id other, core::Instant now);

  // EventSink (wired to ingest and merge by app::Services): ApplyEvent and MergeScores.
  Result<void> OnContactEvent(store::Tx& tx, const core::Event& e, core::Instant now) override;
  Result<void> OnMerge(store::Tx& tx, Id keep, Id other, core::Instant now) override;

 private:
  struct Loaded;
  Result<Loaded> Load(store::Tx& tx, Id contact_id, const ScoringSnapshot& snap);
  // Whether the MQL rule holds on these scores now (the stage is not looked at).
  static bool RuleHolds(const core::ContactScore& s, const ScoringSnapshot& snap,
                        core::Instant now);
  Result<bool> MaybeQualify(store::Tx& tx, core::Contact& c, const core::ContactScore& s,
                            const ScoringSnapshot& snap, core::Instant now, bool allow_recycled,
                            core::Instant qualified_at);

  store::Store& store_;
  const base::Clock& clock_;
  ScoringSettings settings_;
  ScoringModel model_;
  HandoffObserver* handoff_ = nullptr;
};

// Queues a re-score of every contact (superseding pending jobs) inside `tx`; bumps the
// scoring generation. Returns the job.
Result<core::ScoringJob> QueueRescore(store::Tx& tx, std::string reason,
                                      std::optional<Id> created_by, core::Instant now);

struct PersonaPatch {
  std::optional<std::string> key;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::vector<core::Criterion>> criteria;
  std::optional<bool> archived;
};

// A persona with its sign-offs, and whether its current version is signed by both heads.
struct PersonaView {
  core::Persona persona;
  std::vector<core::PersonaSignoff> signoffs;  // of every version, oldest first
  bool signed_off = false;
  std::optional<Id> rescore_job;  // the job queued by this change, when there was one
};

// Who may sign a persona off (decided here, documented in docs/scoring.md):
//  * head of marketing: the manager of a team whose function is marketing or revenue;
//  * head of sales: the manager of a team whose function is sales or revenue;
//  * an admin may sign in either capacity (a small company's founder).
// Sign-off is a person's act: API keys cannot sign. The version signed must be the current
// one (a stale `version` in the request is kFailedPrecondition).
class PersonaService {
 public:
  PersonaService(store::Store& store, const base::Clock& clock) : store_(store), clock_(clock) {}

  Result<PersonaView> Create(const Principal& p, core::Persona draft);
  Result<PersonaView> Update(const Principal& p, Id id, const PersonaPatch& patch);
  // Archives (personas are kept for their history and sign-offs).
  Result<PersonaView> Archive(const Principal& p, Id id);
  Result<PersonaView> Get(const Principal& p, Id id);
  Result<std::vector<PersonaView>> List(const Principal& p, bool include_archived);
  Result<std::vector<core::PersonaVersion>> Versions(const Principal& p, Id id);
  // `capacity` may be left out when the signer holds exactly one.
  Result<PersonaView> SignOff(const Principal& p, Id id, std::optional<int> version,
                              std::optional<core::SignoffCapacity> capacity, std::string note);

 private:
  Result<PersonaView> Save(const Principal& p, core::Persona persona, bool is_new);
  store::Store& store_;
  const base::Clock& clock_;
};

// The capacities in which `user` may sign personas off (see PersonaService).
Result<std::vector<core::SignoffCapacity>> SignoffCapacities(store::Tx& tx, const core::User& user);

}  // namespace tandem::app
