// Tandem's storage interface: one repository per aggregate, reached through a transaction.
//
// A `Store` runs a function inside a transaction: `Write` serialises writers and commits when
// the function returns success (rolls back on an error or an exception); `Read` runs against a
// consistent snapshot and may run concurrently with other reads and with the writer. The
// repositories handed to the function (through `Tx`) are valid only during the call.
//
// Contract shared by every backend (tests/store/store_contract.hpp runs it on each):
//  * Insert returns the new id (ids are positive, increasing).
//  * Unique keys — a contact's or user's normalised email — give kAlreadyExists with the
//    field name; a missing referenced record (owner, company, team...) gives kInvalidArgument
//    naming the field; Update/Delete of a missing id give kNotFound.
//  * List honours every filter of its query, sorts by the requested key then by id, returns at
//    most `limit` rows and a cursor when more rows follow.
//  * Values round-trip exactly (text byte for byte, instants to the millisecond).
//  * A backend failure (disk full, database away) is kUnavailable or kInternal, never a crash.
// Thread-safety: a Store may be used from any number of threads at once.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/audit.hpp"
#include "core/auth.hpp"
#include "core/contact_import.hpp"
#include "core/contract.hpp"
#include "core/error.hpp"
#include "core/event.hpp"
#include "core/form.hpp"
#include "core/funnel.hpp"
#include "core/goal.hpp"
#include "core/lifecycle.hpp"
#include "core/model.hpp"
#include "core/notification.hpp"
#include "core/query.hpp"
#include "core/scoring.hpp"
#include "store/feedback_repo.hpp"
#include "store/handoff_repo.hpp"
#include "store/view_repo.hpp"

namespace tandem::store {

using core::Id;
using core::Page;
using core::Result;

class ContactRepo {
 public:
  virtual ~ContactRepo() = default;
  virtual Result<Id> Insert(const core::Contact& c) = 0;
  virtual Result<void> Update(const core::Contact& c) = 0;
  // Removes the contact with its stage history and activities; deals keep their row with
  // contact_id cleared. The audit log keeps the record of it.
  virtual Result<void> Delete(Id id) = 0;
  virtual Result<std::optional<core::Contact>> Get(Id id) = 0;
  virtual Result<std::optional<core::Contact>> FindByEmail(std::string_view normalized_email) = 0;
  virtual Result<Page<core::Contact>> List(const core::ContactQuery& q) = 0;
  virtual Result<std::int64_t> CountAll() = 0;

  // Bulk paths for imports (same rules as Insert and FindByEmail, cheaper per row).
  // Inserts every contact in order and writes each new id into its `id`. Referenced owners
  // and companies are checked once per distinct id. On an error nothing is guaranteed about
  // which rows were written: the caller's transaction must be rolled back (Store::Write does
  // so when the function returns the error).
  virtual Result<void> InsertMany(std::vector<core::Contact>& contacts) = 0;
  // The stored contacts among `normalized_emails`, in no particular order; emails not found
  // are left out.
  virtual Result<std::vector<core::Contact>> FindByEmails(
      const std::vector<std::string>& normalized_emails) = 0;
  // How many contacts are in each stage now; stages without contacts are absent.
  virtual Result<std::vector<std::pair<core::Stage, std::int64_t>>> CountByStage() = 0;
};

class StageHistoryRepo {
 public:
  virtual ~StageHistoryRepo() = default;
  virtual Result<Id> Append(const core::StageChange& change) = 0;
  // Appends every change in order (same checks as Append).
  virtual Result<void> AppendMany(const std::vector<core::StageChange>& changes) = 0;
  // Oldest first.
  virtual Result<std::vector<core::StageChange>> ListForContact(Id contact_id) = 0;
  // Gives the contact's moves into mql that have no quality yet this one (a contact created or
  // imported straight into mql is scored after its first stage change is written). Moves that
  // have one keep it. A contact without such moves is left as it is.
  virtual Result<void> RecordMqlQuality(Id contact_id, const core::MqlQuality& quality) = 0;
};

class CompanyRepo {
 public:
  virtual ~CompanyRepo() = default;
  virtual Result<Id> Insert(const core::Company& c) = 0;
  virtual Result<void> Update(const core::Company& c) = 0;
  // Contacts and deals of the company keep their rows with company_id cleared.
  virtual Result<void> Delete(Id id) = 0;
  virtual Result<std::optional<core::Company>> Get(Id id) = 0;
  virtual Result<Page<core::Company>> List(const core::CompanyQuery& q) = 0;
  // The company with exactly this name (the lowest id when several share it).
  virtual Result<std::optional<core::Company>> FindByName(std::string_view name) = 0;
};

class DealRepo {
 public:
  virtual ~DealRepo() = default;
  virtual Result<Id> Insert(const core::Deal& d) = 0;
  virtual Result<void> Update(const core::Deal& d) = 0;
  virtual Result<void> Delete(Id id) = 0;
  virtual Result<std::optional<core::Deal>> Get(Id id) = 0;
  virtual Result<Page<core::Deal>> List(const core::DealQuery& q) = 0;
};

class ActivityRepo {
 public:
  virtual ~ActivityRepo() = default;
  virtual Result<Id> Insert(const core::Activity& a) = 0;
  virtual Result<void> Update(const core::Activity& a) = 0;
  virtual Result<void> Delete(Id id) = 0;
  virtual Result<std::optional<core::Activity>> Get(Id id) = 0;
  virtual Result<Page<core::Activity>> List(const core::ActivityQuery& q) = 0;
};

class UserRepo {
 public:
  virtual ~UserRepo() = default;
  // `password_hash` is an argon2id string, or empty for a user who cannot log in yet.
  virtual Result<Id> Insert(const core::User& u, std::string_view password_hash) = 0;
  virtual Result<void> Update(const core::User& u) = 0;
  virtual Result<void> SetPasswordHash(Id id, std::string_view password_hash) = 0;
  virtual Result<std::optional<core::User>> Get(Id id) = 0;
  virtual Result<std::optional<core::User>> FindByEmail(std::string_view normalized_email) = 0;
  // The stored hash, empty when none; kNotFound for an unknown id.
  virtual Result<std::string> GetPasswordHash(Id id) = 0;
  virtual Result<Page<core::User>> List(const core::UserQuery& q) = 0;
};

class TeamRepo {
 public:
  virtual ~TeamRepo() = default;
  virtual Result<Id> Insert(const core::Team& t) = 0;
  virtual Result<void> Update(const core::Team& t) = 0;
  // Members keep their rows with team_id cleared.
  virtual Result<void> Delete(Id id) = 0;
  virtual Result<std::optional<core::Team>> Get(Id id) = 0;
  // All teams by name (a company has tens, not thousands).
  virtual Result<std::vector<core::Team>> List() = 0;
};

class AuditRepo {
 public:
  virtual ~AuditRepo() = default;
  virtual Result<Id> Append(const core::AuditEntry& e) = 0;
  // Newest first.
  virtual Result<Page<core::AuditEntry>> List(const core::AuditQuery& q) = 0;
};

class AuthRepo {
 public:
  virtual ~AuthRepo() = default;
  virtual Result<void> InsertSession(const core::Session& s) = 0;
  virtual Result<std::optional<core::Session>> FindSession(std::string_view token_hash) = 0;
  virtual Result<void> DeleteSession(std::string_view token_hash) = 0;
  virtual Result<std::int64_t> DeleteSessionsExpiredBefore(core::Instant now) = 0;
  virtual Result<void> DeleteSessionsOfUser(Id user_id) = 0;
  virtual Result<Id> InsertApiKey(const core::ApiKey& k, std::string_view secret_hash) = 0;
  virtual Result<std::optional<core::ApiKey>> FindApiKeyBySecretHash(
      std::string_view secret_hash) = 0;
  virtual Result<std::optional<core::ApiKey>> GetApiKey(Id id) = 0;
  virtual Result<std::vector<core::ApiKey>> ListApiKeys() = 0;
  virtual Result<void> RevokeApiKey(Id id, core::Instant at) = 0;
};

// The event log (docs/events.md). Append-only apart from the contact an event belongs to.
class EventRepo {
 public:
  virtual ~EventRepo() = default;
  // Stores `e` (its id is ignored) and returns the new id, or nothing when an event with the
  // same (occurred_at, event_id) is already stored: a replay, which changes nothing.
  virtual Result<std::optional<Id>> Append(const core::Event& e) = 0;
  virtual Result<std::optional<core::Event>> Get(Id id) = 0;
  // Gives event `id` its contact (an event stored before its contact was created).
  // kNotFound for an unknown event.
  virtual Result<void> SetContact(Id id, Id contact_id) = 0;
  // A contact's events, newest first (then highest id first), at most `limit`.
  virtual Result<std::vector<core::Event>> ListForContact(Id contact_id, int limit) = 0;
  // Gives `contact_id` to every event of `anonymous_id` that has no contact yet and returns
  // those events, oldest first.
  virtual Result<std::vector<core::Event>> AttachAnonymous(std::string_view anonymous_id,
                                                           Id contact_id) = 0;
  virtual Result<std::int64_t> CountForContact(Id contact_id) = 0;
};

enum class IdentityKind : std::uint8_t { kAnonymous, kEmail };

// Identity links: anonymous visitor ids and former emails of merged contacts, each pointing
// at one contact.
class IdentityRepo {
 public:
  virtual ~IdentityRepo() = default;
  virtual Result<std::optional<Id>> Find(IdentityKind kind, std::string_view value) = 0;
  // The contact an email reaches: the contact whose email it is, else the contact a merged
  // email is linked to. One lookup on the ingest path, reading no contact row.
  virtual Result<std::optional<Id>> FindContactByEmail(std::string_view normalized_email) = 0;
  // kAlreadyExists (field "value") when the identity is already linked; kInvalidArgument
  // (field "contact_id") when the contact does not exist.
  virtual Result<void> Link(IdentityKind kind, std::string_view value, Id contact_id,
                            core::Instant at) = 0;
  // The values linked to a contact, of one kind, in value order.
  virtual Result<std::vector<std::string>> ListForContact(Id contact_id, IdentityKind kind) = 0;
  // Moves everything that belongs to contact `from` to contact `to`: events, identity links,
  // stage history, activities and deals. Both contacts must exist; `from` is left without
  // any of them (deleting it afterwards loses nothing).
  virtual Result<void> MoveRecords(Id from, Id to) = 0;
};

// Personas with their version history and sign-offs (docs/scoring.md). A persona is never
// deleted: archiving it is a new version.
class PersonaRepo {
 public:
  virtual ~PersonaRepo() = default;
  // Stores the persona as its version `p.version` (normally 1) and returns its id.
  // kAlreadyExists (field "key") when the key is taken.
  virtual Result<Id> Insert(const core::Persona& p, std::optional<Id> changed_by) = 0;
  // Replaces the current persona and appends version `p.version`, which must be new
  // (kAlreadyExists, field "version", otherwise). kNotFound for an unknown id.
  virtual Result<void> Update(const core::Persona& p, std::optional<Id> changed_by) = 0;
  virtual Result<std::optional<core::Persona>> Get(Id id) = 0;
  virtual Result<std::optional<core::Persona>> FindByKey(std::string_view key) = 0;
  // By id; archived personas only when asked.
  virtual Result<std::vector<core::Persona>> List(bool include_archived) = 0;
  // Oldest first.
  virtual Result<std::vector<core::PersonaVersion>> ListVersions(Id persona_id) = 0;
  // kAlreadyExists (field "capacity") when that version already has a sign-off in that
  // capacity; kInvalidArgument (field "version") when the version does not exist.
  virtual Result<Id> AddSignoff(const core::PersonaSignoff& s) = 0;
  // Oldest first.
  virtual Result<std::vector<core::PersonaSignoff>> ListSignoffs(Id persona_id) = 0;
};

// Scoring configuration, contact scores and re-score jobs.
class ScoringRepo {
 public:
  virtual ~ScoringRepo() = default;
  // The newest rule set, or nothing when none was ever stored.
  virtual Result<std::optional<core::ScoringRules>> CurrentRules() = 0;
  virtual Result<std::optional<core::ScoringRules>> GetRules(int version) = 0;
  // Stores `r` as the next version (its `version` is ignored) and returns that number.
  virtual Result<int> InsertRules(const core::ScoringRules& r) = 0;
  // A counter bumped by every change of rules or personas: caches of compiled rules compare it.
  virtual Result<std::int64_t> Generation() = 0;
  virtual Result<void> BumpGeneration() = 0;

  virtual Result<std::optional<core::ContactScore>> GetScore(Id contact_id) = 0;
  // Inserts or replaces the row of `s.contact_id`. kInvalidArgument (field "contact_id") for
  // an unknown contact.
  virtual Result<void> PutScore(const core::ContactScore& s) = 0;
  // Contact ids greater than `after`, ascending, at most `limit`: how a job walks the base.
  virtual Result<std::vector<Id>> ContactIdsAfter(Id after, int limit) = 0;

  virtual Result<Id> InsertJob(const core::ScoringJob& j) = 0;
  // kNotFound for an unknown id.
  virtual Result<void> UpdateJob(const core::ScoringJob& j) = 0;
  virtual Result<std::optional<core::ScoringJob>> GetJob(Id id) = 0;
  // The oldest job queued or running, if any.
  virtual Result<std::optional<core::ScoringJob>> NextPendingJob() = 0;
  // Marks every queued or running job `superseded` (a newer job covers their work).
  virtual Result<std::int64_t> SupersedePendingJobs(core::Instant at) = 0;
};

// Contract versions and their acknowledgements. Append-only: versions are never updated or
// deleted, so every SLA clock can name the version it ran under.
class ContractRepo {
 public:
  virtual ~ContractRepo() = default;
  // `activated_by` must name a user when set (kInvalidArgument otherwise).
  virtual Result<Id> InsertVersion(const core::ContractVersion& v) = 0;
  virtual Result<std::optional<core::ContractVersion>> GetVersion(Id id) = 0;
  // The version in force at `at`: the latest effective_at <= at, the highest id on a tie.
  virtual Result<std::optional<core::ContractVersion>> ActiveAt(core::Instant at) = 0;
  // Every version, newest (highest id) first.
  virtual Result<std::vector<core::ContractVersion>> ListVersions() = 0;
  // kAlreadyExists (field "user_id") when the user already acknowledged the version;
  // kInvalidArgument when the version or the user does not exist.
  virtual Result<void> InsertAcknowledgement(const core::ContractAcknowledgement& a) = 0;
  // Oldest first.
  virtual Result<std::vector<core::ContractAcknowledgement>> ListAcknowledgements(
      Id version_id) = 0;
};

// Contact import jobs and their per-row issues.
class ImportRepo {
 public:
  virtual ~ImportRepo() = default;
  virtual Result<Id> InsertJob(const core::imports::ImportJob& job) = 0;
  // Replaces everything but the id, the creator and created_at; kNotFound for a missing id.
  virtual Result<void> UpdateJob(const core::imports::ImportJob& job) = 0;
  virtual Result<std::optional<core::imports::ImportJob>> GetJob(Id id) = 0;
  // Every job still queued or running becomes failed at `now` with `message` (the process that
  // ran it stopped before it finished: the uploaded file was only in its memory). Returns how
  // many jobs changed.
  virtual Result<std::int64_t> FailUnfinishedJobs(core::Instant now,
                                                  const std::string& message) = 0;
  // Appends issues after those already stored for the job (kept in append order).
  virtual Result<void> AppendIssues(Id job_id,
                                    const std::vector<core::imports::ImportIssue>& issues) = 0;
  // Up to `limit` issues in append order, skipping the first `offset`.
  virtual Result<std::vector<core::imports::ImportIssue>> ListIssues(Id job_id, std::int64_t offset,
                                                                     int limit) = 0;
};

// Aggregates over the whole base for goals and funnel analytics. The backend counts (SQL
// aggregation); the core turns counts into rates, intervals and sentences.
// Contract:
//  * A contact reaches a main-path stage at the first stage change into that stage or a later
//    one (docs/analytics.md); Funnel counts follow the definitions of core/funnel.hpp exactly,
//    one FunnelCounts per breakdown value that has any count, ordered by key; with no
//    breakdown, exactly one FunnelCounts with key "" (all zero when there is no data).
//  * The owner key is the owner's user id in decimal ("" for none); the week key is the
//    Monday (UTC) of the week, "YYYY-MM-DD".
//  * Durations are whole hours, truncated.
struct WonDealsSummary {
  std::int64_t count = 0;
  std::int64_t amount_minor = 0;  // the sum
};

class AnalyticsRepo {
 public:
  virtual ~AnalyticsRepo() = default;
  virtual Result<std::vector<core::FunnelCounts>> Funnel(const core::FunnelQuery& q) = 0;
  // Deals won with closed_at in [from, to) in `currency`.
  virtual Result<WonDealsSummary> WonDeals(core::Instant from, core::Instant to,
                                           std::string_view currency) = 0;
  // A goal's metric over [from, to) for contacts of the goal's scope (source, campaign; each
  // empty one matches every contact): revenue is the sum of won deals closed in the window in
  // `currency` (deals of the scope's contacts when a scope is set), in minor units; the count
  // metrics are contacts reaching the metric's stage in the window (docs/analytics.md).
  virtual Result<std::int64_t> GoalMetricValue(const core::Goal& g, core::Instant from,
                                               core::Instant to) = 0;
  // Contacts whose current stage is each main-path stage (visitor .. customer), in the goal's
  // scope: the open pipeline.
  virtual Result<std::array<std::int64_t, core::kMainStageCount>> CurrentStageCounts(
      const core::Goal& g) = 0;
};

// SMART goals with owners and planned rates (migration 0011).
//  * Insert checks every owner exists (kInvalidArgument "owners" otherwise) and returns the id.
//  * Update replaces everything but the id, created_at and created_by; kNotFound when absent.
//  * Delete removes the goal with its owners and rates; kNotFound when absent.
//  * List is every goal, oldest (lowest id) first; owners come sorted by id.
class GoalRepo {
 public:
  virtual ~GoalRepo() = default;
  virtual Result<Id> Insert(const core::Goal& g) = 0;
  virtual Result<void> Update(const core::Goal& g) = 0;
  virtual Result<void> Delete(Id id) = 0;
  virtual Result<std::optional<core::Goal>> Get(Id id) = 0;
  virtual Result<std::vector<core::Goal>> List() = 0;
};

// Web capture (docs/capture.md): form definitions with their fields, the submissions they
// received (with the consent given), and the tracker's site keys. Forms and sites are never
// deleted: archiving is an update.
class FormRepo {
 public:
  virtual ~FormRepo() = default;
  // kAlreadyExists (field "public_id") when the public id is taken.
  virtual Result<Id> Insert(const core::Form& f) = 0;
  // Replaces every column and the fields (the public id included). kNotFound for an unknown id.
  virtual Result<void> Update(const core::Form& f) = 0;
  virtual Result<std::optional<core::Form>> Get(Id id) = 0;
  virtual Result<std::optional<core::Form>> FindByPublicId(std::string_view public_id) = 0;
  // By id; archived forms only when asked.
  virtual Result<std::vector<core::Form>> List(bool include_archived) = 0;
  // kInvalidArgument (field "form_id" or "contact_id") when either does not exist.
  virtual Result<Id> InsertSubmission(const core::FormSubmission& s) = 0;
  // A form's submissions, newest first, at most `limit`.
  virtual Result<std::vector<core::FormSubmission>> ListSubmissions(Id form_id, int limit) = 0;
  // kAlreadyExists (field "public_key") when the key is taken.
  virtual Result<Id> InsertSite(const core::TrackerSite& s) = 0;
  // kNotFound for an unknown id.
  virtual Result<void> UpdateSite(const core::TrackerSite& s) = 0;
  virtual Result<std::optional<core::TrackerSite>> GetSite(Id id) = 0;
  virtual Result<std::optional<core::TrackerSite>> FindSiteByKey(std::string_view public_key) = 0;
  // By id; archived sites only when asked.
  virtual Result<std::vector<core::TrackerSite>> ListSites(bool include_archived) = 0;
};

// The outbox (docs/notifications.md): services append a message in the transaction of the
// change it announces, so a rolled-back change leaves no message and a committed one always
// has its message. Consumers read in id order and keep their position as a named cursor.
class OutboxRepo {
 public:
  virtual ~OutboxRepo() = default;
  // Stores `m` (its id is ignored) and returns the new id. kInvalidArgument (field
  // "event_type") for an empty or over-long type, (field "payload") when it is not JSON.
  virtual Result<Id> Append(const core::OutboxMessage& m) = 0;
  // Messages with an id greater than `after`, oldest first, at most `limit`.
  virtual Result<std::vector<core::OutboxMessage>> ListAfter(Id after, int limit) = 0;
  // The last id `consumer` handled; 0 when it never recorded one.
  virtual Result<Id> GetCursor(std::string_view consumer) = 0;
  virtual Result<void> SetCursor(std::string_view consumer, Id last_id) = 0;
};

// Webhook subscriptions and the deliveries (webhook POSTs and emails) made from the outbox.
class WebhookRepo {
 public:
  virtual ~WebhookRepo() = default;
  // Stores `s` with its event types (its id and deleted_at are ignored) and returns the new id.
  // `created_by` must name a user when set (kInvalidArgument otherwise).
  virtual Result<Id> Insert(const core::WebhookSubscription& s) = 0;
  // Removed subscriptions too (with deleted_at set).
  virtual Result<std::optional<core::WebhookSubscription>> Get(Id id) = 0;
  // Subscriptions not removed, by id.
  virtual Result<std::vector<core::WebhookSubscription>> List() = 0;
  // Marks the subscription removed at `at`: it receives nothing more, its deliveries stay
  // readable and pending ones are not attempted. kNotFound for an unknown or removed id.
  virtual Result<void> Remove(Id id, core::Instant at) = 0;
  // Active subscriptions not removed that take `event_type`, by id.
  virtual Result<std::vector<core::WebhookSubscription>> ListFor(std::string_view event_type) = 0;

  // Stores `d` (its id is ignored) and returns the new id. kAlreadyExists (field "uid") when
  // the uid is taken.
  virtual Result<Id> InsertDelivery(const core::Delivery& d) = 0;
  virtual Result<std::optional<core::Delivery>> GetDelivery(Id id) = 0;
  // Writes the delivery's state: status, attempts, next_attempt_at, last_attempt_at,
  // last_status, last_error, delivered_at. kNotFound for an unknown id.
  virtual Result<void> UpdateDelivery(const core::Delivery& d) = 0;
  // Pending deliveries due at `now` (next_attempt_at <= now) whose subscription (if any) is not
  // removed, earliest due first (then by id), at most `limit`.
  virtual Result<std::vector<core::Delivery>> ListDue(core::Instant now, int limit) = 0;
  // The earliest next_attempt_at of those pending deliveries, if any.
  virtual Result<std::optional<core::Instant>> NextDue() = 0;
  // A subscription's deliveries with an id below `before` (0: from the newest), newest first,
  // at most `limit`.
  virtual Result<std::vector<core::Delivery>> ListDeliveries(Id subscription_id, Id before,
                                                             int limit) = 0;
};

// In-app notifications, per user.
class NotificationRepo {
 public:
  virtual ~NotificationRepo() = default;
  // Stores `n` (its id and read_at are ignored) and returns the new id. kAlreadyExists (field
  // "outbox_id") when the user already has a notification for that message.
  virtual Result<Id> Insert(const core::Notification& n) = 0;
  // The user's notifications after the position (unread, id) of the last one seen, in the
  // order unread first, then newest first; at most `limit`. Start with `after` empty.
  struct Position {
    bool read = false;
    Id id = 0;
  };
  virtual Result<std::vector<core::Notification>> List(Id user_id,
                                                       const std::optional<Position>& after,
                                                       int limit) = 0;
  // kNotFound when the notification does not exist or is another user's. Marking a read
  // notification again keeps its first read_at.
  virtual Result<core::Notification> MarkRead(Id user_id, Id id, core::Instant at) = 0;
  // Returns how many were unread.
  virtual Result<std::int64_t> MarkAllRead(Id user_id, core::Instant at) = 0;
  virtual Result<std::int64_t> CountUnread(Id user_id) = 0;
};

// The repositories of one transaction.
class Tx {
 public:
  virtual ~Tx() = default;
  virtual ContactRepo& contacts() = 0;
  virtual StageHistoryRepo& stages() = 0;
  virtual CompanyRepo& companies() = 0;
  virtual DealRepo& deals() = 0;
  virtual ActivityRepo& activities() = 0;
  virtual UserRepo& users() = 0;
  virtual TeamRepo& teams() = 0;
  virtual AuditRepo& audit() = 0;
  virtual AuthRepo& auth() = 0;
  virtual EventRepo& events() = 0;
  virtual IdentityRepo& identities() = 0;
  virtual ContractRepo& contracts() = 0;
  virtual PersonaRepo& personas() = 0;
  virtual ScoringRepo& scoring() = 0;
  virtual ImportRepo& imports() = 0;
  virtual AnalyticsRepo& analytics() = 0;
  virtual GoalRepo& goals() = 0;
  virtual HandoffRepo& handoff() = 0;
  virtual FormRepo& forms() = 0;
  virtual OutboxRepo& outbox() = 0;
  virtual WebhookRepo& webhooks() = 0;
  virtual NotificationRepo& notifications() = 0;
  virtual FeedbackRepo& feedback() = 0;
  virtual SavedViewRepo& views() = 0;
};

using TxFn = std::function<Result<void>(Tx&)>;

class Store {
 public:
  virtual ~Store() = default;
  // Runs `fn` in a write transaction; commits if it returns success.
  virtual Result<void> Write(const TxFn& fn) = 0;
  // Runs `fn` on a read-only snapshot; any write inside fails with kInternal.
  virtual Result<void> Read(const TxFn& fn) = 0;
  // Called after every write transaction that appended to the outbox has committed (not while
  // the writer is held, never for a rollback); the notification worker uses it to wake up at
  // once instead of at its next poll. One listener; an empty function removes it.
  virtual void SetOutboxListener(std::function<void()> listener) = 0;
  // "sqlite" or "postgresql".
  virtual std::string_view Backend() const = 0;
  // The highest migration applied.
  virtual int SchemaVersion() const = 0;
};

}  // namespace tandem::store
