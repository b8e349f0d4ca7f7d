// The PostgreSQL repositories behind store::Tx. Internal to the backend: the store builds one
// PostgresTx per connection and hands it to each transaction run on that connection.
//
// Each repository is the SQLite one's twin: the same statements in PostgreSQL's dialect ($n
// placeholders, RETURNING id instead of the last rowid), the same reference checks before a
// write (so a missing owner, team... is kInvalidArgument naming the field), the same orders and
// cursors. Every repository of store::Tx, and the privacy repository (PrivacyTx), is here
// (docs/postgres.md lists them with their contract tests); what is not ported (bulk mode,
// store/bulk.hpp) is reached through a capability PostgresTx does not have, so no caller can get
// a partial answer.
// Thread-safety: as the connection's (one transaction at a time).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "store/common/analytics_repo.hpp"
#include "store/common/feedback_repo.hpp"
#include "store/common/form_repo.hpp"
#include "store/common/goal_repo.hpp"
#include "store/common/handoff_repo.hpp"
#include "store/common/list_sql.hpp"
#include "store/common/notification_repo.hpp"
#include "store/common/privacy_repo.hpp"
#include "store/common/scoring_repos.hpp"
#include "store/common/text_search.hpp"
#include "store/common/view_repo.hpp"
#include "store/common/webhook_repo.hpp"
#include "store/postgres/connection.hpp"
#include "store/privacy_repo.hpp"
#include "store/store.hpp"

namespace tandem::store::postgres {

// What a transaction did that the store acts on after the commit.
struct TxEffects {
  bool outbox_appended = false;
};

// What a repository works with: the transaction's connection and its word tokenizer.
struct TxContext {
  Connection& conn;
  const WordTokenizer& words;
  TxEffects* effects = nullptr;
  // The months (EventMonth) whose events partition this connection has seen exist; the session's,
  // emptied when a transaction fails (a partition created in it is gone). Null: no memory.
  std::unordered_set<std::int64_t>* event_months = nullptr;
  // The session's bulk-mode flag (BulkStore::WriteBulk; null or false outside it). In bulk mode
  // new contacts and stage changes go in by COPY, the stage history's reach trigger is off and
  // WriteBulk builds the reach rows at the end (store/postgres/bulk_load.hpp).
  const bool* bulk = nullptr;
  bool InBulk() const { return bulk != nullptr && *bulk; }
};

// kInvalidArgument "<field> does not name a <what>" unless `id` is empty or a row of `table`.
// `table` is one of this backend's table names, never input.
Result<void> CheckReference(Connection& conn, std::string_view field, const std::optional<Id>& id,
                            std::string_view table, std::string_view what);

// kNotFound "<what> <id> does not exist" when `stmt` (run) changed no row.
Result<void> CheckChanged(const Stmt& stmt, std::string_view what, Id id);

// The PostgreSQL side of the repositories written once for both backends
// (store/common/sql_repo.hpp says what a `Db` is): `?` numbered as $1, $2 ..., new ids through
// RETURNING id, the changed-row count read from the statement, no index hints (the planner
// chooses).
class Db {
 public:
  using Stmt = postgres::Stmt;
  // Implicit: the transaction builds each shared repository from its context.
  Db(TxContext ctx) : ctx_(ctx) {}  // NOLINT(google-explicit-constructor)

  static std::string Sql(std::string_view sql) {
    return Connection::Placeholders(std::string(sql));
  }
  static std::string InsertSql(std::string_view sql) { return Sql(sql) + " RETURNING id"; }
  static std::string IndexedBy(std::string_view) { return ""; }
  static constexpr std::string_view kGreatest = "GREATEST";

  Result<Stmt> Prepare(const std::string& sql) { return ctx_.conn.Prepare(sql); }
  Result<Id> RunInsert(Stmt& stmt) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) return core::Fail(core::Error::Internal("an insert returned no id"));
    return stmt.Int(0);
  }
  Result<void> RunUpdate(Stmt& stmt, std::string_view what, Id id) {
    TANDEM_TRY(stmt.Run());
    return CheckChanged(stmt, what, id);
  }
  Result<std::int64_t> RunChanges(Stmt& stmt) {
    TANDEM_TRY(stmt.Run());
    return stmt.Affected();
  }
  Result<void> CheckReference(std::string_view field, const std::optional<Id>& id,
                              std::string_view table, std::string_view what) {
    return postgres::CheckReference(ctx_.conn, field, id, table, what);
  }
  const TxContext& context() const { return ctx_; }

 private:
  TxContext ctx_;
};

}  // namespace tandem::store::postgres

namespace tandem::store::common {
extern template class AnalyticsRepoOn<postgres::Db>;
extern template class HandoffRepoOn<postgres::Db>;
extern template class FeedbackRepoOn<postgres::Db>;
extern template class NotificationRepoOn<postgres::Db>;
extern template class WebhookRepoOn<postgres::Db>;
extern template class FormRepoOn<postgres::Db>;
extern template class GoalRepoOn<postgres::Db>;
extern template class SavedViewRepoOn<postgres::Db>;
extern template class PrivacyRepoOn<postgres::Db>;
}  // namespace tandem::store::common

namespace tandem::store::postgres {

// Adds `delta` to the row count kept for `name` ("contacts", "companies").
Result<void> AddToRowCount(Connection& conn, std::string_view name, std::int64_t delta);
// The row count kept for `name`.
Result<std::int64_t> CountedRows(Connection& conn, std::string_view name);

// Text search (docs/postgres.md, "Text search"). A tsvector lexeme holds at most 2046 bytes:
// longer words are not indexed (a search word that long matches nothing).
inline constexpr std::size_t kMaxLexemeBytes = 2046;
// The words joined by spaces, as the statements' array_to_tsvector(string_to_array(?, ' '))
// take them, without those too long to index.
std::string JoinIndexableWords(const std::vector<std::string>& words);
// Adds "every word is a prefix of a word of the row's search vector" to `sql` (nothing for no
// words): search @@ 'w1':* & 'w2':* ...
void AddSearch(ListSql& sql, const std::vector<std::string>& words);

// `values` as a PostgreSQL array literal ({"a","b"}), for a parameter cast to text[] or
// bigint[]: each element quoted, a quote or backslash in it escaped.
std::string TextArray(const std::vector<std::string>& values);
std::string IdArray(const std::vector<Id>& ids);

// Rebuilds the funnel's reach row of `contact_id` from its stage history (after a merge moved
// history between contacts; inserts keep it by trigger).
Result<void> RebuildReach(Connection& conn, Id contact_id);

// Events (docs/postgres.md, "Events"): the month of an instant (UTC, as year * 12 + month - 1),
// and the partitions of the months of `instants` made sure to exist (tandem_events_partition,
// migration 0002), asking the server only for months not seen yet.
std::int64_t EventMonth(core::Instant at);
Result<void> EnsureEventPartitions(TxContext& ctx, const std::vector<core::Instant>& instants);

class PostgresContactRepo final : public ContactRepo {
 public:
  explicit PostgresContactRepo(TxContext ctx) : ctx_(ctx) {}
  Result<Id> Insert(const core::Contact& c) override;
  Result<void> Update(const core::Contact& c) override;
  Result<void> Delete(Id id) override;
  Result<std::optional<core::Contact>> Get(Id id) override;
  Result<std::optional<core::Contact>> FindByEmail(std::string_view normalized_email) override;
  Result<Page<core::Contact>> List(const core::ContactQuery& q) override;
  Result<std::int64_t> CountAll() override;
  Result<void> InsertMany(std::vector<core::Contact>& contacts) override;
  Result<std::vector<core::Contact>> FindByEmails(
      const std::vector<std::string>& normalized_emails) override;
  Result<std::vector<std::pair<core::Stage, std::int64_t>>> CountByStage() override;

 private:
  // Checks the owner and the company; returns the company's name ("" without one).
  Result<std::string> CheckReferences(const core::Contact& c);
  // Inserts `c` (references checked) with its search words; its id.
  Result<Id> InsertChecked(const core::Contact& c, std::string_view company);
  // Bulk mode: inserts `contacts` (references checked; their companies' names by id) by COPY,
  // setting their ids.
  Result<void> CopyChecked(std::vector<core::Contact>& contacts,
                           const std::unordered_map<Id, std::string>& company_names);
  TxContext ctx_;
};

class PostgresStageHistoryRepo final : public StageHistoryRepo {
 public:
  explicit PostgresStageHistoryRepo(TxContext ctx) : ctx_(ctx) {}
  Result<Id> Append(const core::StageChange& change) override;
  Result<void> AppendMany(const std::vector<core::StageChange>& changes) override;
  Result<std::vector<core::StageChange>> ListForContact(Id contact_id) override;
  Result<void> RecordMqlQuality(Id contact_id, const core::MqlQuality& quality) override;

 private:
  TxContext ctx_;
};

class PostgresCompanyRepo final : public CompanyRepo {
 public:
  explicit PostgresCompanyRepo(TxContext ctx) : ctx_(ctx) {}
  Result<Id> Insert(const core::Company& c) override;
  Result<void> Update(const core::Company& c) override;
  Result<void> Delete(Id id) override;
  Result<std::optional<core::Company>> Get(Id id) override;
  Result<Page<core::Company>> List(const core::CompanyQuery& q) override;
  Result<std::optional<core::Company>> FindByName(std::string_view name) override;

 private:
  TxContext ctx_;
};

class PostgresDealRepo final : public DealRepo {
 public:
  explicit PostgresDealRepo(TxContext ctx) : ctx_(ctx) {}
  Result<Id> Insert(const core::Deal& d) override;
  Result<void> Update(const core::Deal& d) override;
  Result<void> Delete(Id id) override;
  Result<std::optional<core::Deal>> Get(Id id) override;
  Result<Page<core::Deal>> List(const core::DealQuery& q) override;

 private:
  Result<void> CheckReferences(const core::Deal& d);
  TxContext ctx_;
};

class PostgresActivityRepo final : public ActivityRepo {
 public:
  explicit PostgresActivityRepo(TxContext ctx) : ctx_(ctx) {}
  Result<Id> Insert(const core::Activity& a) override;
  Result<void> Update(const core::Activity& a) override;
  Result<void> Delete(Id id) override;
  Result<std::optional<core::Activity>> Get(Id id) override;
  Result<Page<core::Activity>> List(const core::ActivityQuery& q) override;

 private:
  Result<void> CheckReferences(const core::Activity& a);
  TxContext ctx_;
};

class PostgresUserRepo final : public UserRepo {
 public:
  explicit PostgresUserRepo(TxContext ctx) : ctx_(ctx) {}
  Result<Id> Insert(const core::User& u, std::string_view password_hash) override;
  Result<void> Update(const core::User& u) override;
  Result<void> SetPasswordHash(Id id, std::string_view password_hash) override;
  Result<std::optional<core::User>> Get(Id id) override;
  Result<std::optional<core::User>> FindByEmail(std::string_view normalized_email) override;
  Result<std::string> GetPasswordHash(Id id) override;
  Result<Page<core::User>> List(const core::UserQuery& q) override;

 private:
  TxContext ctx_;
};

class PostgresTeamRepo final : public TeamRepo {
 public:
  explicit PostgresTeamRepo(TxContext ctx) : ctx_(ctx) {}
  Result<Id> Insert(const core::Team& t) override;
  Result<void> Update(const core::Team& t) override;
  Result<void> Delete(Id id) override;
  Result<std::optional<core::Team>> Get(Id id) override;
  Result<std::vector<core::Team>> List() override;

 private:
  TxContext ctx_;
};

class PostgresAuditRepo final : public AuditRepo {
 public:
  explicit PostgresAuditRepo(TxContext ctx) : ctx_(ctx) {}
  Result<Id> Append(const core::AuditEntry& e) override;
  Result<Page<core::AuditEntry>> List(const core::AuditQuery& q) override;

 private:
  TxContext ctx_;
};

class PostgresAuthRepo final : public AuthRepo {
 public:
  explicit PostgresAuthRepo(TxContext ctx) : ctx_(ctx) {}
  Result<void> InsertSession(const core::Session& s) override;
  Result<std::optional<core::Session>> FindSession(std::string_view token_hash) override;
  Result<void> DeleteSession(std::string_view token_hash) override;
  Result<std::int64_t> DeleteSessionsExpiredBefore(core::Instant now) override;
  Result<void> DeleteSessionsOfUser(Id user_id) override;
  Result<Id> InsertApiKey(const core::ApiKey& k, std::string_view secret_hash) override;
  Result<std::optional<core::ApiKey>> FindApiKeyBySecretHash(std::string_view secret_hash) override;
  Result<std::optional<core::ApiKey>> GetApiKey(Id id) override;
  Result<std::vector<core::ApiKey>> ListApiKeys() override;
  Result<void> RevokeApiKey(Id id, core::Instant at) override;

 private:
  TxContext ctx_;
};

class PostgresContractRepo final : public ContractRepo {
 public:
  explicit PostgresContractRepo(TxContext ctx) : ctx_(ctx) {}
  Result<Id> InsertVersion(const core::ContractVersion& v) override;
  Result<std::optional<core::ContractVersion>> GetVersion(Id id) override;
  Result<std::optional<core::ContractVersion>> ActiveAt(core::Instant at) override;
  Result<std::vector<core::ContractVersion>> ListVersions() override;
  Result<void> InsertAcknowledgement(const core::ContractAcknowledgement& a) override;
  Result<std::vector<core::ContractAcknowledgement>> ListAcknowledgements(Id version_id) override;

 private:
  TxContext ctx_;
};

class PostgresImportRepo final : public ImportRepo {
 public:
  explicit PostgresImportRepo(TxContext ctx) : ctx_(ctx) {}
  Result<Id> InsertJob(const core::imports::ImportJob& job) override;
  Result<void> UpdateJob(const core::imports::ImportJob& job) override;
  Result<std::int64_t> FailUnfinishedJobs(core::Instant now, const std::string& message) override;
  Result<std::optional<core::imports::ImportJob>> GetJob(Id id) override;
  Result<void> AppendIssues(Id job_id,
                            const std::vector<core::imports::ImportIssue>& issues) override;
  Result<std::vector<core::imports::ImportIssue>> ListIssues(Id job_id, std::int64_t offset,
                                                             int limit) override;

 private:
  TxContext ctx_;
};

class PostgresOutboxRepo final : public OutboxRepo {
 public:
  explicit PostgresOutboxRepo(TxContext ctx) : ctx_(ctx) {}
  Result<Id> Append(const core::OutboxMessage& m) override;
  Result<std::vector<core::OutboxMessage>> ListAfter(Id after, int limit) override;
  Result<Id> GetCursor(std::string_view consumer) override;
  Result<void> SetCursor(std::string_view consumer, Id last_id) override;

 private:
  TxContext ctx_;
};

// How a batch of events is written (docs/postgres.md, "Events: batches"; the figures are in
// docs/performance.md): multi-row INSERT statements, or COPY into a temporary table and one
// INSERT ... SELECT from it. Both keep the idempotency of Append.
enum class EventBatchPath : std::uint8_t { kValues, kCopy };
inline constexpr EventBatchPath kFasterEventBatchPath = EventBatchPath::kCopy;
// Stores `events` in order, as Append would one by one, in fewer round trips: the new id of each,
// or nothing for a replay (of a stored event or of one earlier in the batch).
Result<std::vector<std::optional<Id>>> AppendEventBatch(TxContext& ctx,
                                                        const std::vector<core::Event>& events,
                                                        EventBatchPath path);

class PostgresEventRepo final : public EventRepo {
 public:
  explicit PostgresEventRepo(TxContext ctx) : ctx_(ctx) {}
  Result<std::optional<Id>> Append(const core::Event& e) override;
  Result<std::optional<core::Event>> Get(Id id) override;
  Result<void> SetContact(Id id, Id contact_id) override;
  Result<std::vector<core::Event>> ListForContact(Id contact_id, int limit) override;
  Result<std::vector<core::Event>> AttachAnonymous(std::string_view anonymous_id,
                                                   Id contact_id) override;
  Result<std::int64_t> CountForContact(Id contact_id) override;
  // A batch (AppendEventBatch), by default through the faster path: the PostgreSQL backend's
  // batch API for moving a company's events in (migrate-data) and bulk loads.
  Result<std::vector<std::optional<Id>>> AppendBatch(const std::vector<core::Event>& events,
                                                     EventBatchPath path = kFasterEventBatchPath);

 private:
  TxContext ctx_;
};

class PostgresIdentityRepo final : public IdentityRepo {
 public:
  explicit PostgresIdentityRepo(TxContext ctx) : ctx_(ctx) {}
  Result<std::optional<Id>> Find(IdentityKind kind, std::string_view value) override;
  Result<std::optional<Id>> FindContactByEmail(std::string_view normalized_email) override;
  Result<void> Link(IdentityKind kind, std::string_view value, Id contact_id,
                    core::Instant at) override;
  Result<std::vector<std::string>> ListForContact(Id contact_id, IdentityKind kind) override;
  Result<void> MoveRecords(Id from, Id to) override;

 private:
  TxContext ctx_;
};

// Personas and scoring: the implementation both backends share (store/common/scoring_repos.hpp),
// instantiated once in scoring_repo.cpp.
using PostgresPersonaRepo = scoring_sql::PersonaRepoOn<Connection>;
using PostgresScoringRepo = scoring_sql::ScoringRepoOn<Connection>;
}  // namespace tandem::store::postgres
namespace tandem::store {
extern template class scoring_sql::PersonaRepoOn<postgres::Connection>;
extern template class scoring_sql::ScoringRepoOn<postgres::Connection>;
}  // namespace tandem::store
namespace tandem::store::postgres {
// The repositories written once for both backends (store/common/<name>_repo.hpp, each
// compiled in this backend's <name>_repo.cpp).
using PostgresAnalyticsRepo = common::AnalyticsRepoOn<Db>;
using PostgresHandoffRepo = common::HandoffRepoOn<Db>;
using PostgresSavedViewRepo = common::SavedViewRepoOn<Db>;
using PostgresGoalRepo = common::GoalRepoOn<Db>;
using PostgresFormRepo = common::FormRepoOn<Db>;
using PostgresWebhookRepo = common::WebhookRepoOn<Db>;
using PostgresNotificationRepo = common::NotificationRepoOn<Db>;
using PostgresFeedbackRepo = common::FeedbackRepoOn<Db>;

// Consents, export, erasure and event retention (migration 0018): the statements both backends
// share (store/common/privacy_repo.hpp), and PostgreSQL's own reading of a table's rows, search
// vector, schema listing and purge by monthly partitions (privacy_repo.cpp).
class PostgresPrivacyRepo final : public common::PrivacyRepoOn<Db> {
 public:
  explicit PostgresPrivacyRepo(TxContext ctx) : PrivacyRepoOn(ctx) {}
  Result<std::vector<std::string>> TablesNamingContacts() override;
  Result<std::int64_t> DeleteEventsBefore(core::Instant before, int limit) override;

 private:
  Result<core::RecordTable> ReadTable(const std::string& table, const std::string& sql,
                                      Id contact_id) override;
  Result<void> ForgetSearchWords(Id contact_id) override;
};

// The repositories of one transaction on one connection.
class PostgresTx final : public Tx, public PrivacyTx {
 public:
  explicit PostgresTx(TxContext ctx)
      : contacts_(ctx),
        stages_(ctx),
        companies_(ctx),
        deals_(ctx),
        activities_(ctx),
        users_(ctx),
        teams_(ctx),
        audit_(ctx),
        auth_(ctx),
        contracts_(ctx),
        imports_(ctx),
        outbox_(ctx),
        events_(ctx),
        identities_(ctx),
        personas_(ctx.conn),
        scoring_(ctx.conn),
        handoff_(ctx),
        views_(ctx),
        forms_(ctx),
        goals_(ctx),
        notifications_(ctx),
        webhooks_(ctx),
        feedback_(ctx),
        analytics_(ctx),
        privacy_(ctx) {}

  ContactRepo& contacts() override { return contacts_; }
  StageHistoryRepo& stages() override { return stages_; }
  CompanyRepo& companies() override { return companies_; }
  DealRepo& deals() override { return deals_; }
  ActivityRepo& activities() override { return activities_; }
  UserRepo& users() override { return users_; }
  TeamRepo& teams() override { return teams_; }
  AuditRepo& audit() override { return audit_; }
  AuthRepo& auth() override { return auth_; }
  ContractRepo& contracts() override { return contracts_; }
  ImportRepo& imports() override { return imports_; }
  OutboxRepo& outbox() override { return outbox_; }
  EventRepo& events() override { return events_; }
  IdentityRepo& identities() override { return identities_; }
  PersonaRepo& personas() override { return personas_; }
  ScoringRepo& scoring() override { return scoring_; }
  HandoffRepo& handoff() override { return handoff_; }
  SavedViewRepo& views() override { return views_; }
  FeedbackRepo& feedback() override { return feedback_; }
  NotificationRepo& notifications() override { return notifications_; }
  WebhookRepo& webhooks() override { return webhooks_; }
  FormRepo& forms() override { return forms_; }
  GoalRepo& goals() override { return goals_; }
  AnalyticsRepo& analytics() override { return analytics_; }
  PrivacyRepo& privacy() override { return privacy_; }

 private:
  PostgresContactRepo contacts_;
  PostgresStageHistoryRepo stages_;
  PostgresCompanyRepo companies_;
  PostgresDealRepo deals_;
  PostgresActivityRepo activities_;
  PostgresUserRepo users_;
  PostgresTeamRepo teams_;
  PostgresAuditRepo audit_;
  PostgresAuthRepo auth_;
  PostgresContractRepo contracts_;
  PostgresImportRepo imports_;
  PostgresOutboxRepo outbox_;
  PostgresEventRepo events_;
  PostgresIdentityRepo identities_;
  PostgresPersonaRepo personas_;
  PostgresScoringRepo scoring_;
  PostgresHandoffRepo handoff_;
  PostgresSavedViewRepo views_;
  PostgresFormRepo forms_;
  PostgresGoalRepo goals_;
  PostgresNotificationRepo notifications_;
  PostgresWebhookRepo webhooks_;
  PostgresFeedbackRepo feedback_;
  PostgresAnalyticsRepo analytics_;
  PostgresPrivacyRepo privacy_;
};

}  // namespace tandem::store::postgres
