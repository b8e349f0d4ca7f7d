// Consents, export, erasure and event retention (migration 0018, docs/privacy.md).
#include <sqlite3.h>

#include <memory>
#include <string>

#include "store/sqlite/repos.hpp"

namespace tandem::store::sqlite {

using core::Consent;
using core::Error;
using core::Fail;
using core::FromMillis;
using core::ToMillis;

namespace {

constexpr const char* kConsentColumns =
    "id, contact_id, purpose, text, source, form_id, submission_id, import_job_id, import_row, "
    "recorded_by, given_at, withdrawn_at, withdrawn_by";

Result<Consent> ConsentFrom(const Stmt& s) {
  Consent c;
  c.id = s.Int(0);
  c.contact_id = s.Int(1);
  c.purpose = s.Text(2);
  c.text = s.Text(3);
  auto source = core::ConsentSourceFromString(s.TextView(4));
  if (!source) return Fail(Error::Internal("unknown consent source " + s.Text(4)));
  c.source = *source;
  c.form_id = s.OptInt(5);
  c.submission_id = s.OptInt(6);
  c.import_job_id = s.OptInt(7);
  c.import_row = s.OptInt(8);
  c.recorded_by = s.OptInt(9);
  c.given_at = FromMillis(s.Int(10));
  if (auto w = s.OptInt(11)) c.withdrawn_at = FromMillis(*w);
  c.withdrawn_by = s.OptInt(12);
  return c;
}

// The tables an export reads, each with the condition selecting the contact's rows (the one
// parameter is the contact's id) and an order. Every table with a contact_id column must be
// here (the store contract checks it against the schema), plus the tables that name a contact
// through another row: escalations through their clock, deliveries through their outbox
// message, the audit log through its entity.
struct ExportSpec {
  const char* table;
  const char* where;
  const char* order;
};
constexpr ExportSpec kExport[] = {
    {"consents", "contact_id = ?1", "id"},
    {"identities", "contact_id = ?1", "kind, value"},
    {"events", "contact_id = ?1", "occurred_at, id"},
    {"form_submissions", "contact_id = ?1", "id"},
    {"stage_history", "contact_id = ?1", "at, id"},
    {"contact_reach", "contact_id = ?1", "contact_id"},
    {"contact_scores", "contact_id = ?1", "contact_id"},
    {"deals", "contact_id = ?1", "id"},
    {"activities", "contact_id = ?1", "occurred_at, id"},
    {"handoff_assignments", "contact_id = ?1", "id"},
    {"sla_clocks", "contact_id = ?1", "id"},
    {"sla_escalations", "clock_id IN (SELECT id FROM sla_clocks WHERE contact_id = ?1)", "id"},
    {"outbox", "contact_id = ?1", "id"},
    {"deliveries", "outbox_id IN (SELECT id FROM outbox WHERE contact_id = ?1)", "id"},
    {"notifications", "contact_id = ?1", "id"},
    {"audit_log", "entity = 'contact' AND entity_id = ?1", "id"},
    {"audit_changes",
     "audit_id IN (SELECT id FROM audit_log WHERE entity = 'contact' AND entity_id = ?1)",
     "audit_id, seq"},
};

// Reads with SQLite's own statement API: the columns are not known in advance (every column of
// the table, as stored), which the Stmt wrapper does not describe.
Result<core::RecordTable> ReadTable(Connection& conn, const ExportSpec& spec, Id contact_id) {
  core::RecordTable t;
  t.table = spec.table;
  const std::string sql = std::string("SELECT * FROM ") + spec.table + " WHERE " + spec.where +
                          " ORDER BY " + spec.order;
  sqlite3* db = conn.handle();
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr);
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
  if (rc != SQLITE_OK) return Fail(ErrorFromSqlite(db, rc, "reading " + t.table));
  sqlite3_bind_int64(raw, 1, contact_id);
  const int n = sqlite3_column_count(raw);
  for (int i = 0; i < n; ++i) t.columns.emplace_back(sqlite3_column_name(raw, i));
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
    std::vector<core::StoredValue> values;
    values.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      switch (sqlite3_column_type(raw, i)) {
        case SQLITE_NULL: values.emplace_back(std::monostate{}); break;
        case SQLITE_INTEGER: values.emplace_back(std::int64_t{sqlite3_column_int64(raw, i)}); break;
        case SQLITE_FLOAT: values.emplace_back(sqlite3_column_double(raw, i)); break;
        default: {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(raw, i));
          values.emplace_back(std::string(text == nullptr ? "" : text,
                                          static_cast<std::size_t>(sqlite3_column_bytes(raw, i))));
        }
      }
    }
    t.rows.push_back(std::move(values));
  }
  if (rc != SQLITE_DONE) return Fail(ErrorFromSqlite(db, rc, "reading " + t.table));
  return t;
}

// Runs `sql` with the contact's id (and `at`, when the statement takes it as ?2) and returns the
// rows it changed.
Result<std::int64_t> Change(Connection& conn, const char* sql, Id contact_id,
                            std::optional<std::int64_t> at = std::nullopt) {
  TANDEM_ASSIGN(auto stmt, conn.Prepare(sql));
  stmt.Bind(contact_id);
  if (at) stmt.Bind(*at);
  TANDEM_TRY(stmt.Run());
  return conn.Changes();
}

}  // namespace

Result<Id> SqlitePrivacyRepo::InsertConsent(const Consent& c) {
  TANDEM_TRY(CheckReference(ctx_.conn, "contact_id", c.contact_id, "contacts", "contact"));
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(
                               "INSERT INTO consents (contact_id, purpose, text, source, form_id, "
                               "submission_id, import_job_id, import_row, recorded_by, given_at, "
                               "withdrawn_at, withdrawn_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                               "?, ?)"));
  stmt.Bind(c.contact_id)
      .Bind(c.purpose)
      .Bind(c.text)
      .Bind(core::ToString(c.source))
      .Bind(c.form_id)
      .Bind(c.submission_id)
      .Bind(c.import_job_id)
      .Bind(c.import_row)
      .Bind(c.recorded_by)
      .Bind(ToMillis(c.given_at));
  if (c.withdrawn_at) {
    stmt.Bind(ToMillis(*c.withdrawn_at));
  } else {
    stmt.BindNull();
  }
  stmt.Bind(c.withdrawn_by);
  TANDEM_TRY(stmt.Run());
  return ctx_.conn.LastInsertId();
}

Result<std::optional<Consent>> SqlitePrivacyRepo::GetConsent(Id id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(std::string("SELECT ") + kConsentColumns +
                                             " FROM consents WHERE id = ?"));
  stmt.Bind(id);
  TANDEM_ASSIGN(bool row, stmt.Step());
  if (!row) return std::optional<Consent>();
  TANDEM_ASSIGN(auto c, ConsentFrom(stmt));
  return std::optional<Consent>(std::move(c));
}

Result<std::vector<Consent>> SqlitePrivacyRepo::ListConsents(Id contact_id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(std::string("SELECT ") + kConsentColumns +
                                             " FROM consents WHERE contact_id = ? ORDER BY id"));
  stmt.Bind(contact_id);
  std::vector<Consent> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    TANDEM_ASSIGN(auto c, ConsentFrom(stmt));
    out.push_back(std::move(c));
  }
  return out;
}

Result<void> SqlitePrivacyRepo::WithdrawConsent(Id id, core::Instant at, std::optional<Id> by) {
  TANDEM_ASSIGN(auto found, GetConsent(id));
  if (!found) return Fail(Error::NotFound("consent " + std::to_string(id) + " does not exist"));
  if (found->withdrawn_at) {
    return Fail(Error::Precondition("consent " + std::to_string(id) + " was already withdrawn at " +
                                    core::FormatInstant(*found->withdrawn_at)));
  }
  TANDEM_ASSIGN(
      auto stmt,
      ctx_.conn.Prepare("UPDATE consents SET withdrawn_at = ?, withdrawn_by = ? WHERE id = ?"));
  stmt.Bind(ToMillis(at)).Bind(by).Bind(id);
  return stmt.Run();
}

Result<core::PersonalRecords> SqlitePrivacyRepo::Export(Id contact_id) {
  core::PersonalRecords out;
  for (const ExportSpec& spec : kExport) {
    TANDEM_ASSIGN(auto t, ReadTable(ctx_.conn, spec, contact_id));
    out.tables.push_back(std::move(t));
  }
  return out;
}

Result<std::vector<std::string>> SqlitePrivacyRepo::TablesNamingContacts() {
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("SELECT DISTINCT m.name FROM sqlite_schema m, "
                                  "pragma_table_info(m.name) p WHERE m.type = 'table' AND "
                                  "p.name = 'contact_id' ORDER BY m.name"));
  std::vector<std::string> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(stmt.Text(0));
  }
  return out;
}

Result<bool> SqlitePrivacyRepo::IsErased(Id contact_id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("SELECT erased_at FROM contacts WHERE id = ?"));
  stmt.Bind(contact_id);
  TANDEM_ASSIGN(bool row, stmt.Step());
  return row && !stmt.IsNull(0);
}

Result<core::ErasureCounts> SqlitePrivacyRepo::Erase(Id contact_id, core::Instant at) {
  Connection& conn = ctx_.conn;
  {
    TANDEM_ASSIGN(auto stmt, conn.Prepare("SELECT erased_at FROM contacts WHERE id = ?"));
    stmt.Bind(contact_id);
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) {
      return Fail(Error::NotFound("contact " + std::to_string(contact_id) + " does not exist"));
    }
    if (!stmt.IsNull(0)) {
      return Fail(
          Error::Precondition("contact " + std::to_string(contact_id) + " was already erased"));
    }
  }
  const std::int64_t now = ToMillis(at);
  core::ErasureCounts n;
  // The tombstone: the search row follows the update (trigger), then goes.
  {
    TANDEM_ASSIGN(auto stmt,
                  conn.Prepare("UPDATE contacts SET email = ?, first_name = '', last_name = '', "
                               "phone = '', title = '', company_id = NULL, custom = '', "
                               "erased_at = ?, updated_at = ? WHERE id = ?"));
    stmt.Bind(core::TombstoneEmail(contact_id)).Bind(now).Bind(now).Bind(contact_id);
    TANDEM_TRY(stmt.Run());
  }
  TANDEM_TRY(Change(conn, "DELETE FROM contacts_fts WHERE rowid = ?", contact_id));
  TANDEM_ASSIGN(n.identities,
                Change(conn, "DELETE FROM identities WHERE contact_id = ?", contact_id));
  TANDEM_ASSIGN(n.consents, Change(conn, "DELETE FROM consents WHERE contact_id = ?", contact_id));
  // Events: campaign touches stay for attribution (deal touches read utm_source and
  // utm_campaign), stripped of everything that could name the person; the rest go.
  TANDEM_ASSIGN(n.events_deleted,
                Change(conn,
                       "DELETE FROM events WHERE contact_id = ? AND utm_source = '' AND "
                       "utm_campaign = ''",
                       contact_id));
  TANDEM_ASSIGN(n.events_kept_anonymous,
                Change(conn,
                       "UPDATE events SET event_id = 'erased-' || id, email = '', "
                       "anonymous_id = 'erased', properties = '{}' WHERE contact_id = ?",
                       contact_id));
  TANDEM_ASSIGN(n.form_posts,
                Change(conn,
                       "UPDATE form_submissions SET field_values = '', event_id = 'erased' "
                       "WHERE contact_id = ?",
                       contact_id));
  TANDEM_ASSIGN(n.activities,
                Change(conn,
                       "UPDATE activities SET subject = '', body = '', updated_at = ?2 "
                       "WHERE contact_id = ?1",
                       contact_id, now));
  TANDEM_ASSIGN(n.deals, Change(conn,
                                "UPDATE deals SET title = '(erased contact)', updated_at = ?2 "
                                "WHERE contact_id = ?1",
                                contact_id, now));
  // Deliveries first: they find their messages by contact.
  TANDEM_ASSIGN(n.deliveries,
                Change(conn,
                       "UPDATE deliveries SET subject = '', "
                       "body = CASE channel WHEN 'webhook' THEN '{\"erased\":true}' ELSE '' END, "
                       "last_error = CASE status WHEN 'pending' THEN 'the contact was erased' "
                       "ELSE last_error END, "
                       "status = CASE status WHEN 'pending' THEN 'dead' ELSE status END "
                       "WHERE outbox_id IN (SELECT id FROM outbox WHERE contact_id = ?)",
                       contact_id));
  TANDEM_ASSIGN(n.outbox_messages,
                Change(conn,
                       "UPDATE outbox SET payload = json_object('contact_id', contact_id, "
                       "'erased', json('true')) WHERE contact_id = ?",
                       contact_id));
  TANDEM_ASSIGN(n.notifications, Change(conn,
                                        "UPDATE notifications SET title = 'An erased contact', "
                                        "payload = '{\"erased\":true}' WHERE contact_id = ?",
                                        contact_id));
  TANDEM_ASSIGN(n.audit_changes,
                Change(conn,
                       "UPDATE audit_changes SET "
                       "before = CASE before WHEN '' THEN '' ELSE '(erased)' END, "
                       "after = CASE after WHEN '' THEN '' ELSE '(erased)' END "
                       "WHERE audit_id IN (SELECT id FROM audit_log WHERE entity = 'contact' "
                       "AND entity_id = ?) AND (field IN ('email', 'first_name', 'last_name', "
                       "'phone', 'title', 'company_id') OR field LIKE 'custom.%')",
                       contact_id));
  return n;
}

Result<std::int64_t> SqlitePrivacyRepo::CountEventsBefore(core::Instant before) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("SELECT count(*) FROM events WHERE occurred_at < ?"));
  stmt.Bind(ToMillis(before));
  TANDEM_TRY(stmt.Step());
  return stmt.Int(0);
}

Result<std::int64_t> SqlitePrivacyRepo::DeleteEventsBefore(core::Instant before, int limit) {
  if (limit < 1) return Fail(Error::Invalid("limit", "limit must be at least 1"));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("DELETE FROM events WHERE id IN (SELECT id FROM events WHERE "
                                  "occurred_at < ? ORDER BY occurred_at LIMIT ?)"));
  stmt.Bind(ToMillis(before)).Bind(limit);
  TANDEM_TRY(stmt.Run());
  return ctx_.conn.Changes();
}

}  // namespace tandem::store::sqlite
