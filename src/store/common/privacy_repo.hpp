// The privacy repository (store/privacy_repo.hpp: consents, export, erasure to a tombstone,
// event retention; migration 0018 on both backends), written once for both backends over the
// backend's `Db` (store/common/sql_repo.hpp) where the SQL allows.
//
// What each backend does its own way is left to it, as virtual functions of this base: reading a
// table's rows without knowing its columns in advance (the export; each database describes a
// result's columns differently), taking a contact's words out of text search (SQLite's FTS5
// table, PostgreSQL's tsvector column), listing the schema's tables with a contact_id column
// (sqlite_schema, pg_catalog) and the purge of old events (PostgreSQL drops whole monthly
// partitions). The statements here are in the SQL both take: `||` rather than json_object,
// positional `?` only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/common/sql_repo.hpp"
#include "store/privacy_repo.hpp"

namespace tandem::store::common {

inline constexpr std::string_view kConsentColumns =
    "id, contact_id, purpose, text, source, form_id, submission_id, import_job_id, import_row, "
    "recorded_by, given_at, withdrawn_at, withdrawn_by";

template <class R>
core::Result<core::Consent> ReadConsent(const R& s) {
  core::Consent c;
  c.id = s.Int(0);
  c.contact_id = s.Int(1);
  c.purpose = s.Text(2);
  c.text = s.Text(3);
  auto source = core::ConsentSourceFromString(s.TextView(4));
  if (!source) return core::Fail(core::Error::Internal("unknown consent source " + s.Text(4)));
  c.source = *source;
  c.form_id = s.OptInt(5);
  c.submission_id = s.OptInt(6);
  c.import_job_id = s.OptInt(7);
  c.import_row = s.OptInt(8);
  c.recorded_by = s.OptInt(9);
  c.given_at = core::FromMillis(s.Int(10));
  c.withdrawn_at = OptInstant(s, 11);
  c.withdrawn_by = s.OptInt(12);
  return c;
}

// The tables an export reads, each with the condition selecting the contact's rows (its one `?`
// is the contact's id) and an order. Every table with a contact_id column must be here (the
// store contract checks it against the schema), plus the tables that name a contact through
// another row: escalations through their clock, deliveries through their outbox message, the
// audit log through its entity.
struct ExportSpec {
  const char* table;
  const char* where;
  const char* order;
};
inline constexpr ExportSpec kExportTables[] = {
    {"consents", "contact_id = ?", "id"},
    {"identities", "contact_id = ?", "kind, value"},
    {"events", "contact_id = ?", "occurred_at, id"},
    {"form_submissions", "contact_id = ?", "id"},
    {"stage_history", "contact_id = ?", "at, id"},
    {"contact_reach", "contact_id = ?", "contact_id"},
    {"contact_scores", "contact_id = ?", "contact_id"},
    {"deals", "contact_id = ?", "id"},
    {"activities", "contact_id = ?", "occurred_at, id"},
    {"handoff_assignments", "contact_id = ?", "id"},
    {"sla_clocks", "contact_id = ?", "id"},
    {"sla_escalations", "clock_id IN (SELECT id FROM sla_clocks WHERE contact_id = ?)", "id"},
    {"outbox", "contact_id = ?", "id"},
    {"deliveries", "outbox_id IN (SELECT id FROM outbox WHERE contact_id = ?)", "id"},
    {"notifications", "contact_id = ?", "id"},
    {"audit_log", "entity = 'contact' AND entity_id = ?", "id"},
    {"audit_changes",
     "audit_id IN (SELECT id FROM audit_log WHERE entity = 'contact' AND entity_id = ?)",
     "audit_id, seq"},
};

template <class Db>
class PrivacyRepoOn : public PrivacyRepo {
 public:
  using Stmt = typename Db::Stmt;
  using Id = core::Id;
  template <class T>
  using Result = core::Result<T>;

  explicit PrivacyRepoOn(Db db) : db_(db) {}

  Result<Id> InsertConsent(const core::Consent& c) override {
    TANDEM_TRY(db_.CheckReference("contact_id", c.contact_id, "contacts", "contact"));
    static const std::string sql = Db::InsertSql(
        "INSERT INTO consents (contact_id, purpose, text, source, form_id, submission_id, "
        "import_job_id, import_row, recorded_by, given_at, withdrawn_at, withdrawn_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(c.contact_id)
        .Bind(c.purpose)
        .Bind(c.text)
        .Bind(core::ToString(c.source))
        .Bind(c.form_id)
        .Bind(c.submission_id)
        .Bind(c.import_job_id)
        .Bind(c.import_row)
        .Bind(c.recorded_by)
        .Bind(core::ToMillis(c.given_at))
        .Bind(OptMillis(c.withdrawn_at))
        .Bind(c.withdrawn_by);
    return db_.RunInsert(stmt);
  }

  Result<std::optional<core::Consent>> GetConsent(Id id) override {
    static const std::string sql =
        Db::Sql("SELECT " + std::string(kConsentColumns) + " FROM consents WHERE id = ?");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(id);
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) return std::optional<core::Consent>();
    TANDEM_ASSIGN(auto c, ReadConsent(stmt));
    return std::optional<core::Consent>(std::move(c));
  }

  Result<std::vector<core::Consent>> ListConsents(Id contact_id) override {
    static const std::string sql = Db::Sql("SELECT " + std::string(kConsentColumns) +
                                           " FROM consents WHERE contact_id = ? ORDER BY id");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(contact_id);
    return ReadAll(stmt, [](const Stmt& s) { return ReadConsent(s); });
  }

  Result<void> WithdrawConsent(Id id, core::Instant at, std::optional<Id> by) override {
    TANDEM_ASSIGN(auto found, GetConsent(id));
    if (!found) {
      return core::Fail(core::Error::NotFound("consent " + std::to_string(id) + " does not exist"));
    }
    if (found->withdrawn_at) {
      return core::Fail(core::Error::Precondition("consent " + std::to_string(id) +
                                                  " was already withdrawn at " +
                                                  core::FormatInstant(*found->withdrawn_at)));
    }
    static const std::string sql =
        Db::Sql("UPDATE consents SET withdrawn_at = ?, withdrawn_by = ? WHERE id = ?");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(core::ToMillis(at)).Bind(by).Bind(id);
    return stmt.Run();
  }

  Result<core::PersonalRecords> Export(Id contact_id) override {
    core::PersonalRecords out;
    for (const ExportSpec& spec : kExportTables) {
      const std::string sql = Db::Sql(std::string("SELECT * FROM ") + spec.table + " WHERE " +
                                      spec.where + " ORDER BY " + spec.order);
      TANDEM_ASSIGN(auto t, ReadTable(spec.table, sql, contact_id));
      out.tables.push_back(std::move(t));
    }
    return out;
  }

  Result<bool> IsErased(Id contact_id) override {
    static const std::string sql = Db::Sql("SELECT erased_at FROM contacts WHERE id = ?");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(contact_id);
    TANDEM_ASSIGN(bool row, stmt.Step());
    return row && !stmt.IsNull(0);
  }

  Result<core::ErasureCounts> Erase(Id contact_id, core::Instant at) override {
    {
      static const std::string sql = Db::Sql("SELECT erased_at FROM contacts WHERE id = ?");
      TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
      stmt.Bind(contact_id);
      TANDEM_ASSIGN(bool row, stmt.Step());
      if (!row) {
        return core::Fail(
            core::Error::NotFound("contact " + std::to_string(contact_id) + " does not exist"));
      }
      if (!stmt.IsNull(0)) {
        return core::Fail(core::Error::Precondition("contact " + std::to_string(contact_id) +
                                                    " was already erased"));
      }
    }
    const std::int64_t now = core::ToMillis(at);
    core::ErasureCounts n;
    {
      static const std::string sql = Db::Sql(
          "UPDATE contacts SET email = ?, first_name = '', last_name = '', phone = '', "
          "title = '', company_id = NULL, custom = '', erased_at = ?, updated_at = ? WHERE id = ?");
      TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
      stmt.Bind(core::TombstoneEmail(contact_id)).Bind(now).Bind(now).Bind(contact_id);
      TANDEM_TRY(stmt.Run());
    }
    TANDEM_TRY(ForgetSearchWords(contact_id));
    TANDEM_ASSIGN(n.identities, Change("DELETE FROM identities WHERE contact_id = ?", contact_id));
    TANDEM_ASSIGN(n.consents, Change("DELETE FROM consents WHERE contact_id = ?", contact_id));
    // Events: campaign touches stay for attribution (deal touches read utm_source and
    // utm_campaign), stripped of everything that could name the person; the rest go.
    TANDEM_ASSIGN(n.events_deleted, Change("DELETE FROM events WHERE contact_id = ? AND "
                                           "utm_source = '' AND utm_campaign = ''",
                                           contact_id));
    TANDEM_ASSIGN(n.events_kept_anonymous,
                  Change("UPDATE events SET event_id = 'erased-' || id, email = '', "
                         "anonymous_id = 'erased', properties = '{}' WHERE contact_id = ?",
                         contact_id));
    TANDEM_ASSIGN(n.form_posts, Change("UPDATE form_submissions SET field_values = '', "
                                       "event_id = 'erased' WHERE contact_id = ?",
                                       contact_id));
    TANDEM_ASSIGN(n.activities, Change("UPDATE activities SET subject = '', body = '', "
                                       "updated_at = ? WHERE contact_id = ?",
                                       now, contact_id));
    TANDEM_ASSIGN(n.deals, Change("UPDATE deals SET title = '(erased contact)', updated_at = ? "
                                  "WHERE contact_id = ?",
                                  now, contact_id));
    // Deliveries first: they find their messages by contact.
    TANDEM_ASSIGN(n.deliveries,
                  Change("UPDATE deliveries SET subject = '', "
                         "body = CASE channel WHEN 'webhook' THEN '{\"erased\":true}' ELSE '' END, "
                         "last_error = CASE status WHEN 'pending' THEN 'the contact was erased' "
                         "ELSE last_error END, "
                         "status = CASE status WHEN 'pending' THEN 'dead' ELSE status END "
                         "WHERE outbox_id IN (SELECT id FROM outbox WHERE contact_id = ?)",
                         contact_id));
    // The payload is {"contact_id":<id>,"erased":true}, written as text (what SQLite's
    // json_object gave).
    TANDEM_ASSIGN(n.outbox_messages,
                  Change("UPDATE outbox SET payload = '{\"contact_id\":' || contact_id || "
                         "',\"erased\":true}' WHERE contact_id = ?",
                         contact_id));
    TANDEM_ASSIGN(n.notifications, Change("UPDATE notifications SET title = 'An erased contact', "
                                          "payload = '{\"erased\":true}' WHERE contact_id = ?",
                                          contact_id));
    TANDEM_ASSIGN(n.audit_changes,
                  Change("UPDATE audit_changes SET "
                         "before = CASE before WHEN '' THEN '' ELSE '(erased)' END, "
                         "after = CASE after WHEN '' THEN '' ELSE '(erased)' END "
                         "WHERE audit_id IN (SELECT id FROM audit_log WHERE entity = 'contact' "
                         "AND entity_id = ?) AND (field IN ('email', 'first_name', 'last_name', "
                         "'phone', 'title', 'company_id') OR field LIKE 'custom.%')",
                         contact_id));
    return n;
  }

  Result<std::int64_t> CountEventsBefore(core::Instant before) override {
    static const std::string sql = Db::Sql("SELECT COUNT(*) FROM events WHERE occurred_at < ?");
    TANDEM_ASSIGN(auto stmt, db_.Prepare(sql));
    stmt.Bind(core::ToMillis(before));
    TANDEM_ASSIGN(bool row, stmt.Step());
    return row ? stmt.Int(0) : 0;
  }

 protected:
  // The rows of `table` that `sql` (SELECT * ... with one `?`, in the backend's placeholders)
  // selects for the contact, every column as stored, under its name.
  virtual Result<core::RecordTable> ReadTable(const std::string& table, const std::string& sql,
                                              Id contact_id) = 0;
  // Takes the (tombstoned) contact out of text search.
  virtual Result<void> ForgetSearchWords(Id contact_id) = 0;

  // Runs `sql` (`?` placeholders) with `params` bound in order; the rows it changed.
  template <class... P>
  Result<std::int64_t> Change(const char* sql, const P&... params) {
    TANDEM_ASSIGN(auto stmt, db_.Prepare(Db::Sql(sql)));
    (stmt.Bind(params), ...);
    return db_.RunChanges(stmt);
  }

  Db db_;
};

}  // namespace tandem::store::common
