// The SQLite repositories behind store::Tx. Internal to the backend: the store builds one
// SqliteTx per connection and hands it to each transaction run on that connection.
//
// Every repository reads and writes through its connection's statement cache with bound
// parameters only. Before an insert or update the referenced records (owner, company, team...)
// are looked up, so a missing one is reported as kInvalidArgument naming the field; the
// foreign keys in the schema remain the last line of defence.
// Thread-safety: as the connection's (one transaction at a time).
#pragma once

#include <string>

#include "store/common/analytics_repo.hpp"
#include "store/common/feedback_repo.hpp"
#include "store/common/form_repo.hpp"
#include "store/common/goal_repo.hpp"
#include "store/common/handoff_repo.hpp"
#include "store/common/notification_repo.hpp"
#include "store/common/privacy_repo.hpp"
#include "store/common/rows.hpp"
#include "store/common/scoring_repos.hpp"
#include "store/common/view_repo.hpp"
#include "store/common/webhook_repo.hpp"
#include "store/privacy_repo.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/text_search.hpp"
#include "store/store.hpp"

namespace tandem::store::sqlite {

// What a repository works with: the transaction's connection and its word tokenizer.
// What a transaction did that the store acts on after the commit.
struct TxEffects {
  bool outbox_appended = false;
};

struct TxContext {
  Connection& conn;
  const WordTokenizer& words;
  TxEffects* effects = nullptr;  // the session's; null for a context without one
  // The session's bulk-mode flag (Store::WriteBulk); null or false outside bulk mode. In bulk
  // mode new contacts get no search row here: WriteBulk builds them at the end.
  const bool* bulk = nullptr;
  bool InBulk() const { return bulk != nullptr && *bulk; }
};

// kInvalidArgument "<field> does not name a <what>" unless `id` is empty or a row of `table`.
// `table` is one of this backend's table names, never input.
Result<void> CheckReference(Connection& conn, std::string_view field, const std::optional<Id>& id,
                            std::string_view table, std::string_view what);

// Adds `delta` to the row count kept for `name` ("contacts", "companies").
Result<void> AddToRowCount(Connection& conn, std::string_view name, std::int64_t delta);

// kNotFound "<what> <id> does not exist" when the last statement changed no row.
Result<void> CheckChanged(Connection& conn, std::string_view what, Id id);

// The SQLite side of the repositories written once for both backends (store/common/sql_repo.hpp
// says what a `Db` is): statements as written, new ids from the connection's last rowid.
class Db {
 public:
  using Stmt = sqlite::Stmt;
  // Implicit: the transaction builds each shared repository from its context.
  Db(TxContext ctx) : ctx_(ctx) {}  // NOLINT(google-explicit-constructor)

  static std::string Sql(std::string_view sql) { return std::string(sql); }
  static std::string InsertSql(std::string_view sql) { return std::string(sql); }
  static std::string IndexedBy(std::string_view index) {
    return " INDEXED BY " + std::string(index);
  }
  static constexpr std::string_view kGreatest = "max";

  Result<Stmt> Prepare(const std::string& sql) { return ctx_.conn.Prepare(sql); }
  Result<Id> RunInsert(Stmt& stmt) {
    TANDEM_TRY(stmt.Run());
    return ctx_.conn.LastInsertId();
  }
  Result<void> RunUpdate(Stmt& stmt, std::string_view what, Id id) {
    TANDEM_TRY(stmt.Run());
    return CheckChanged(ctx_.conn, what, id);
  }
  Result<std::int64_t> RunChanges(Stmt& stmt) {
    TANDEM_TRY(stmt.Run());
    return ctx_.conn.Changes();
  }
  Result<void> CheckReference(std::string_view field, const std::optional<Id>& id,
                              std::string_view table, std::string_view what) {
    return sqlite::CheckReference(ctx_.conn, field, id, table, what);
  }
  const TxContext& context() const { return ctx_; }

 private:
  TxContext ctx_;
};

}  // namespace tandem::store::sqlite

namespace tandem::store::common {
extern template class AnalyticsRepoOn<sqlite::Db>;
extern template class HandoffRepoOn<sqlite::Db>;
extern template class FeedbackRepoOn<sqlite::Db>;
extern template class NotificationRepoOn<sqlite::Db>;
extern template class WebhookRepoOn<sqlite::Db>;
extern template class FormRepoOn<sqlite::Db>;
extern template class GoalRepoOn<sqlite::Db>;
extern template class SavedViewRepoOn<sqlite::Db>;
extern template class PrivacyRepoOn<sqlite::Db>;
}  // namespace tandem::store::common

namespace tandem::store::sqlite {

// Recomputes contact_reach (migration 0007) for one contact from its stage history, after its
// history moved (a merge): a contact without main-path history gets no row.
Result<void> RebuildReach(Connection& conn, Id contact_id);

// Decoding of stored stage codes (store/common/rows.hpp).
using rows::StageFrom;

class SqliteContactRepo final : public ContactRepo {
 public:
  explicit SqliteContactRepo(TxContext ctx) : ctx_(ctx) {}
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
  TxContext ctx_;
};

class SqliteStageHistoryRepo final : public StageHistoryRepo {
 public:
  explicit SqliteStageHistoryRepo(TxContext ctx) : ctx_(ctx) {}
  Result<Id> Append(const core::StageChange& change) override;
  Result<void> AppendMany(const std::vector<core::StageChange>& changes) override;
  Result<std::vector<core::StageChange>> ListForContact(Id contact_id) override;
  Result<void> RecordMqlQuality(Id contact_id, const core::MqlQuality& quality) override;

 private:
  TxContext ctx_;
};

class SqliteCompanyRepo final : public CompanyRepo {
 public:
  explicit SqliteCompanyRepo(TxContext ctx) : ctx_(ctx) {}
  Result<Id> Insert(const core::Company& c) override;
  Result<void> Update(const core::Company& c) override;
  Result<void> Delete(Id id) override;
  Result<std::optional<core::Company>> Get(Id id) override;
  Result<Page<core::Company>> List(const core::CompanyQuery& q) override;
  Result<std::optional<core::Company>> FindByName(std::string_view name) override;

 private:
  TxContext ctx_;
};

class SqliteDealRepo final : public DealRepo {
 public:
  explicit SqliteDealRepo(TxContext ctx) : ctx_(ctx) {}
  Result<Id> Insert(const core::Deal& d) override;
  Result<void> Update(const core::Deal& d) override;
  Result<void> Delete(Id id) override;
  Result<std::optional<core::Deal>> Get(Id id) override;
  Result<Page<core::Deal>> List(const core::DealQuery& q) override;

 private:
  Result<void> CheckReferences(const core::Deal& d);
  TxContext ctx_;
};

class SqliteActivityRepo final : public ActivityRepo {
 public:
  explicit SqliteActivityRepo(TxContext ctx) : ctx_(ctx) {}
  Result<Id> Insert(const core::Activity& a) override;
  Result<void> Update(const core::Activity& a) override;
  Result<void> Delete(Id id) override;
  Result<std::optional<core::Activity>> Get(Id id) override;
  Result<Page<core::Activity>> List(const core::ActivityQuery& q) override;

 private:
  Result<void> CheckReferences(const core::Activity& a);
  TxContext ctx_;
};

class SqliteUserRepo final : public UserRepo {
 public:
  explicit SqliteUserRepo(TxContext ctx) : ctx_(ctx) {}
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

class SqliteTeamRepo final : public TeamRepo {
 public:
  explicit SqliteTeamRepo(TxContext ctx) : ctx_(ctx) {}
  Result<Id> Insert(const core::Team& t) override;
  Result<void> Update(const core::Team& t) override;
  Result<void> Delete(Id id) override;
  Result<std::optional<core::Team>> Get(Id id) override;
  Result<std::vector<core::Team>> List() override;

 private:
  TxContext ctx_;
};

class SqliteAuditRepo final : public AuditRepo {
 public:
  explicit SqliteAuditRepo(TxContext ctx) : ctx_(ctx) {}
  Result<Id> Append(const core::AuditEntry& e) override;
  Result<Page<core::AuditEntry>> List(const core::AuditQuery& q) override;

 private:
  TxContext ctx_;
};

class SqliteAuthRepo final : public AuthRepo {
 public:
  explicit SqliteAuthRepo(TxContext ctx) : ctx_(ctx) {}
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

class SqliteEventRepo final : public EventRepo {
 public:
  explicit SqliteEventRepo(TxContext ctx) : ctx_(ctx) {}
  Result<std::optional<Id>> Append(const core::Event& e) override;
  Result<std::optional<core::Event>> Get(Id id) override;
  Result<void> SetContact(Id id, Id contact_id) override;
  Result<std::vector<core::Event>> ListForContact(Id contact_id, int limit) override;
  Result<std::vector<core::Event>> AttachAnonymous(std::string_view anonymous_id,
                                                   Id contact_id) override;
  Result<std::int64_t> CountForContact(Id contact_id) override;

 private:
  TxContext ctx_;
};

class SqliteIdentityRepo final : public IdentityRepo {
 public:
  explicit SqliteIdentityRepo(TxContext ctx) : ctx_(ctx) {}
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
using SqlitePersonaRepo = scoring_sql::PersonaRepoOn<Connection>;
using SqliteScoringRepo = scoring_sql::ScoringRepoOn<Connection>;
}  // namespace tandem::store::sqlite
namespace tandem::store {
extern template class scoring_sql::PersonaRepoOn<sqlite::Connection>;
extern template class scoring_sql::ScoringRepoOn<sqlite::Connection>;
}  // namespace tandem::store
namespace tandem::store::sqlite {

class SqliteContractRepo final : public ContractRepo {
 public:
  explicit SqliteContractRepo(TxContext ctx) : ctx_(ctx) {}
  Result<Id> InsertVersion(const core::ContractVersion& v) override;
  Result<std::optional<core::ContractVersion>> GetVersion(Id id) override;
  Result<std::optional<core::ContractVersion>> ActiveAt(core::Instant at) override;
  Result<std::vector<core::ContractVersion>> ListVersions() override;
  Result<void> InsertAcknowledgement(const core::ContractAcknowledgement& a) override;
  Result<std::vector<core::ContractAcknowledgement>> ListAcknowledgements(Id version_id) override;

 private:
  TxContext ctx_;
};

class SqliteImportRepo final : public ImportRepo {
 public:
  explicit SqliteImportRepo(TxContext ctx) : ctx_(ctx) {}
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

class SqliteOutboxRepo final : public OutboxRepo {
 public:
  explicit SqliteOutboxRepo(TxContext ctx) : ctx_(ctx) {}
  Result<Id> Append(const core::OutboxMessage& m) override;
  Result<std::vector<core::OutboxMessage>> ListAfter(Id after, int limit) override;
  Result<Id> GetCursor(std::string_view consumer) override;
  Result<void> SetCursor(std::string_view consumer, Id last_id) override;

 private:
  TxContext ctx_;
};

// The repositories written once for both backends (store/common/<name>_repo.hpp, each
// compiled in this backend's <name>_repo.cpp).
using SqliteAnalyticsRepo = common::AnalyticsRepoOn<Db>;
using SqliteHandoffRepo = common::HandoffRepoOn<Db>;
using SqliteSavedViewRepo = common::SavedViewRepoOn<Db>;
using SqliteGoalRepo = common::GoalRepoOn<Db>;
using SqliteFormRepo = common::FormRepoOn<Db>;
using SqliteWebhookRepo = common::WebhookRepoOn<Db>;
using SqliteNotificationRepo = common::NotificationRepoOn<Db>;
using SqliteFeedbackRepo = common::FeedbackRepoOn<Db>;

// Consents, export, erasure and event retention (migration 0018): the statements both backends
// share (store/common/privacy_repo.hpp), and SQLite's own reading of a table's rows, FTS5 row,
// schema listing and purge (privacy_repo.cpp).
class SqlitePrivacyRepo final : public common::PrivacyRepoOn<Db> {
 public:
  explicit SqlitePrivacyRepo(TxContext ctx) : PrivacyRepoOn(ctx) {}
  Result<std::vector<std::string>> TablesNamingContacts() override;
  Result<std::int64_t> DeleteEventsBefore(core::Instant before, int limit) override;

 private:
  Result<core::RecordTable> ReadTable(const std::string& table, const std::string& sql,
                                      Id contact_id) override;
  Result<void> ForgetSearchWords(Id contact_id) override;
};

class SqliteTx final : public Tx, public PrivacyTx {
 public:
  explicit SqliteTx(TxContext ctx)
      : contacts_(ctx),
        stages_(ctx),
        companies_(ctx),
        deals_(ctx),
        activities_(ctx),
        users_(ctx),
        teams_(ctx),
        audit_(ctx),
        auth_(ctx),
        events_(ctx),
        identities_(ctx),
        contracts_(ctx),
        personas_(ctx.conn),
        scoring_(ctx.conn),
        imports_(ctx),
        analytics_(ctx),
        goals_(ctx),
        handoff_(ctx),
        forms_(ctx),
        outbox_(ctx),
        webhooks_(ctx),
        notifications_(ctx),
        feedback_(ctx),
        views_(ctx),
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
  EventRepo& events() override { return events_; }
  IdentityRepo& identities() override { return identities_; }
  ContractRepo& contracts() override { return contracts_; }
  PersonaRepo& personas() override { return personas_; }
  ScoringRepo& scoring() override { return scoring_; }
  ImportRepo& imports() override { return imports_; }
  AnalyticsRepo& analytics() override { return analytics_; }
  GoalRepo& goals() override { return goals_; }
  HandoffRepo& handoff() override { return handoff_; }
  FormRepo& forms() override { return forms_; }
  OutboxRepo& outbox() override { return outbox_; }
  WebhookRepo& webhooks() override { return webhooks_; }
  NotificationRepo& notifications() override { return notifications_; }
  FeedbackRepo& feedback() override { return feedback_; }
  SavedViewRepo& views() override { return views_; }
  PrivacyRepo& privacy() override { return privacy_; }

 private:
  SqliteContactRepo contacts_;
  SqliteStageHistoryRepo stages_;
  SqliteCompanyRepo companies_;
  SqliteDealRepo deals_;
  SqliteActivityRepo activities_;
  SqliteUserRepo users_;
  SqliteTeamRepo teams_;
  SqliteAuditRepo audit_;
  SqliteAuthRepo auth_;
  SqliteEventRepo events_;
  SqliteIdentityRepo identities_;
  SqliteContractRepo contracts_;
  SqlitePersonaRepo personas_;
  SqliteScoringRepo scoring_;
  SqliteImportRepo imports_;
  SqliteAnalyticsRepo analytics_;
  SqliteGoalRepo goals_;
  SqliteHandoffRepo handoff_;
  SqliteFormRepo forms_;
  SqliteOutboxRepo outbox_;
  SqliteWebhookRepo webhooks_;
  SqliteNotificationRepo notifications_;
  SqliteFeedbackRepo feedback_;
  SqliteSavedViewRepo views_;
  SqlitePrivacyRepo privacy_;
};

}  // namespace tandem::store::sqlite
