#include "store/common/event_rows.hpp"
#include "store/sqlite/repos.hpp"

namespace tandem::store::sqlite {

using core::Error;
using core::Event;
using core::Fail;
using core::FromMillis;
using core::ToMillis;

namespace {

constexpr std::string_view kColumns = rows::kEventColumns;

Result<std::vector<Event>> ReadAll(Stmt& stmt) {
  std::vector<Event> out;
  for (;;) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(rows::ReadEvent(stmt));
  }
  return out;
}

std::string_view KindCode(IdentityKind kind) {
  return kind == IdentityKind::kAnonymous ? "anonymous" : "email";
}

}  // namespace

Result<std::optional<Id>> SqliteEventRepo::Append(const Event& e) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(
                               "INSERT INTO events (event_id, type, occurred_at, received_at, "
                               "contact_id, email, anonymous_id, utm_source, utm_medium, "
                               "utm_campaign, properties) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                               "ON CONFLICT (occurred_at, event_id) DO NOTHING"));
  rows::BindEvent(stmt, e);
  TANDEM_TRY(stmt.Run());
  if (ctx_.conn.Changes() == 0) return std::optional<Id>();
  return std::optional<Id>(ctx_.conn.LastInsertId());
}

Result<std::optional<Event>> SqliteEventRepo::Get(Id id) {
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("SELECT " + std::string(kColumns) + " FROM events WHERE id = ?"));
  stmt.Bind(id);
  TANDEM_ASSIGN(bool row, stmt.Step());
  if (!row) return std::optional<Event>();
  return std::optional<Event>(rows::ReadEvent(stmt));
}

Result<void> SqliteEventRepo::SetContact(Id id, Id contact_id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("UPDATE events SET contact_id = ? WHERE id = ?"));
  stmt.Bind(contact_id).Bind(id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(ctx_.conn, "event", id);
}

Result<std::vector<Event>> SqliteEventRepo::ListForContact(Id contact_id, int limit) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("SELECT " + std::string(kColumns) +
                                             " FROM events WHERE contact_id = ? "
                                             "ORDER BY occurred_at DESC, id DESC LIMIT ?"));
  stmt.Bind(contact_id).Bind(limit < 0 ? 0 : limit);
  return ReadAll(stmt);
}

Result<std::vector<Event>> SqliteEventRepo::AttachAnonymous(std::string_view anonymous_id,
                                                            Id contact_id) {
  TANDEM_TRY(CheckReference(ctx_.conn, "contact_id", contact_id, "contacts", "contact"));
  std::vector<Event> out;
  {
    TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("SELECT " + std::string(kColumns) +
                                               " FROM events WHERE anonymous_id = ? AND "
                                               "contact_id IS NULL AND anonymous_id <> '' "
                                               "ORDER BY occurred_at, id"));
    stmt.Bind(anonymous_id);
    TANDEM_ASSIGN(out, ReadAll(stmt));
  }
  if (out.empty()) return out;
  TANDEM_ASSIGN(auto update,
                ctx_.conn.Prepare("UPDATE events SET contact_id = ? WHERE anonymous_id = ? AND "
                                  "contact_id IS NULL AND anonymous_id <> ''"));
  update.Bind(contact_id).Bind(anonymous_id);
  TANDEM_TRY(update.Run());
  for (auto& e : out) e.contact_id = contact_id;
  return out;
}

Result<std::int64_t> SqliteEventRepo::CountForContact(Id contact_id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("SELECT count(*) FROM events WHERE contact_id = ?"));
  stmt.Bind(contact_id);
  TANDEM_ASSIGN(bool row, stmt.Step());
  return row ? stmt.Int(0) : 0;
}

Result<std::optional<Id>> SqliteIdentityRepo::Find(IdentityKind kind, std::string_view value) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(
                               "SELECT contact_id FROM identities WHERE kind = ? AND value = ?"));
  stmt.Bind(KindCode(kind)).Bind(value);
  TANDEM_ASSIGN(bool row, stmt.Step());
  if (!row) return std::optional<Id>();
  return std::optional<Id>(stmt.Int(0));
}

Result<std::optional<Id>> SqliteIdentityRepo::FindContactByEmail(
    std::string_view normalized_email) {
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("SELECT id FROM contacts WHERE email = ?1 UNION ALL "
                                  "SELECT contact_id FROM identities WHERE kind = 'email' AND "
                                  "value = ?1 LIMIT 1"));
  stmt.Bind(normalized_email);
  TANDEM_ASSIGN(bool row, stmt.Step());
  if (!row) return std::optional<Id>();
  return std::optional<Id>(stmt.Int(0));
}

Result<void> SqliteIdentityRepo::Link(IdentityKind kind, std::string_view value, Id contact_id,
                                      core::Instant at) {
  TANDEM_TRY(CheckReference(ctx_.conn, "contact_id", contact_id, "contacts", "contact"));
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("INSERT INTO identities (kind, value, contact_id, "
                                             "created_at) VALUES (?, ?, ?, ?) "
                                             "ON CONFLICT (kind, value) DO NOTHING"));
  stmt.Bind(KindCode(kind)).Bind(value).Bind(contact_id).Bind(ToMillis(at));
  TANDEM_TRY(stmt.Run());
  if (ctx_.conn.Changes() == 0) {
    return Fail(Error::Conflict("value", std::string(KindCode(kind)) + " identity '" +
                                             std::string(value) + "' is already linked"));
  }
  return {};
}

Result<std::vector<std::string>> SqliteIdentityRepo::ListForContact(Id contact_id,
                                                                    IdentityKind kind) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("SELECT value FROM identities WHERE contact_id = ? "
                                             "AND kind = ? ORDER BY value"));
  stmt.Bind(contact_id).Bind(KindCode(kind));
  std::vector<std::string> out;
  for (;;) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(stmt.Text(0));
  }
  return out;
}

Result<void> SqliteIdentityRepo::MoveRecords(Id from, Id to) {
  if (from == to) return Fail(Error::Invalid("other_id", "a contact cannot be merged into itself"));
  TANDEM_TRY(CheckReference(ctx_.conn, "other_id", from, "contacts", "contact"));
  TANDEM_TRY(CheckReference(ctx_.conn, "id", to, "contacts", "contact"));
  for (const char* sql : {"UPDATE events SET contact_id = ? WHERE contact_id = ?",
                          "UPDATE identities SET contact_id = ? WHERE contact_id = ?",
                          "UPDATE stage_history SET contact_id = ? WHERE contact_id = ?",
                          "UPDATE activities SET contact_id = ? WHERE contact_id = ?",
                          "UPDATE deals SET contact_id = ? WHERE contact_id = ?",
                          "UPDATE form_submissions SET contact_id = ? WHERE contact_id = ?",
                          "UPDATE consents SET contact_id = ? WHERE contact_id = ?"}) {
    TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
    stmt.Bind(to).Bind(from);
    TANDEM_TRY(stmt.Run());
  }
  // The funnel's reach rows follow the moved history.
  TANDEM_TRY(RebuildReach(ctx_.conn, from));
  return RebuildReach(ctx_.conn, to);
}

}  // namespace tandem::store::sqlite
