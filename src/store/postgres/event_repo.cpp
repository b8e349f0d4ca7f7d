// The event log (monthly partitions, docs/postgres.md "Events") and identity links on
// PostgreSQL; the SQLite twin is store/sqlite/event_repo.cpp.
#include <algorithm>
#include <chrono>

#include "store/common/event_rows.hpp"
#include "store/postgres/repos.hpp"

namespace tandem::store::postgres {

using core::Error;
using core::Event;
using core::Fail;
using core::ToMillis;

namespace {

const std::string& SelectEvents() {
  static const std::string sql = "SELECT " + std::string(rows::kEventColumns) + " FROM events ";
  return sql;
}

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

std::int64_t EventMonth(core::Instant at) {
  namespace chrono = std::chrono;
  const std::int64_t ms = ToMillis(at);
  const chrono::sys_days day(chrono::floor<chrono::days>(
      chrono::milliseconds(ms >= 0 ? ms : 0)));  // occurred_at >= 0 (the table's check)
  const chrono::year_month_day ymd(day);
  return static_cast<std::int64_t>(static_cast<int>(ymd.year())) * 12 +
         static_cast<unsigned>(ymd.month()) - 1;
}

Result<void> EnsureEventPartitions(TxContext& ctx, const std::vector<core::Instant>& instants) {
  for (const core::Instant at : instants) {
    const std::int64_t month = EventMonth(at);
    if (ctx.event_months != nullptr && ctx.event_months->count(month) > 0) continue;
    TANDEM_ASSIGN(auto stmt, ctx.conn.Prepare("SELECT tandem_events_partition($1)"));
    stmt.Bind(ToMillis(at));
    TANDEM_TRY(stmt.Run());
    if (ctx.event_months != nullptr) ctx.event_months->insert(month);
  }
  return {};
}

Result<std::optional<Id>> PostgresEventRepo::Append(const Event& e) {
  TANDEM_TRY(EnsureEventPartitions(ctx_, {e.occurred_at}));
  static const std::string sql = "INSERT INTO events (" + std::string(rows::kEventInsertColumns) +
                                 ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
                                 "ON CONFLICT (occurred_at, event_id) DO NOTHING RETURNING id";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  rows::BindEvent(stmt, e);
  TANDEM_ASSIGN(bool row, stmt.Step());
  if (!row) return std::optional<Id>();  // a replay
  return std::optional<Id>(stmt.Int(0));
}

Result<std::optional<Event>> PostgresEventRepo::Get(Id id) {
  static const std::string sql = SelectEvents() + "WHERE id = $1";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(id);
  TANDEM_ASSIGN(bool row, stmt.Step());
  if (!row) return std::optional<Event>();
  return std::optional<Event>(rows::ReadEvent(stmt));
}

Result<void> PostgresEventRepo::SetContact(Id id, Id contact_id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("UPDATE events SET contact_id = $1 WHERE id = $2"));
  stmt.Bind(contact_id).Bind(id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(stmt, "event", id);
}

Result<std::vector<Event>> PostgresEventRepo::ListForContact(Id contact_id, int limit) {
  static const std::string sql =
      SelectEvents() + "WHERE contact_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT $2";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(contact_id).Bind(limit < 0 ? 0 : limit);
  return ReadAll(stmt);
}

Result<std::vector<Event>> PostgresEventRepo::AttachAnonymous(std::string_view anonymous_id,
                                                              Id contact_id) {
  TANDEM_TRY(CheckReference(ctx_.conn, "contact_id", contact_id, "contacts", "contact"));
  // One statement: the rows it changed come back, then sorted oldest first.
  static const std::string sql =
      "UPDATE events SET contact_id = $1 WHERE anonymous_id = $2 AND "
      "contact_id IS NULL AND anonymous_id <> '' RETURNING " +
      std::string(rows::kEventColumns);
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(contact_id).Bind(anonymous_id);
  TANDEM_ASSIGN(auto out, ReadAll(stmt));
  std::sort(out.begin(), out.end(), [](const Event& a, const Event& b) {
    return a.occurred_at != b.occurred_at ? a.occurred_at < b.occurred_at : a.id < b.id;
  });
  return out;
}

Result<std::int64_t> PostgresEventRepo::CountForContact(Id contact_id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("SELECT count(*) FROM events WHERE contact_id = $1"));
  stmt.Bind(contact_id);
  TANDEM_ASSIGN(bool row, stmt.Step());
  return row ? stmt.Int(0) : 0;
}

Result<std::optional<Id>> PostgresIdentityRepo::Find(IdentityKind kind, std::string_view value) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(
                               "SELECT contact_id FROM identities WHERE kind = $1 AND value = $2"));
  stmt.Bind(KindCode(kind)).Bind(value);
  TANDEM_ASSIGN(bool row, stmt.Step());
  if (!row) return std::optional<Id>();
  return std::optional<Id>(stmt.Int(0));
}

Result<std::optional<Id>> PostgresIdentityRepo::FindContactByEmail(
    std::string_view normalized_email) {
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("SELECT id FROM contacts WHERE email = $1 UNION ALL "
                                  "SELECT contact_id FROM identities WHERE kind = 'email' AND "
                                  "value = $1 LIMIT 1"));
  stmt.Bind(normalized_email);
  TANDEM_ASSIGN(bool row, stmt.Step());
  if (!row) return std::optional<Id>();
  return std::optional<Id>(stmt.Int(0));
}

Result<void> PostgresIdentityRepo::Link(IdentityKind kind, std::string_view value, Id contact_id,
                                        core::Instant at) {
  TANDEM_TRY(CheckReference(ctx_.conn, "contact_id", contact_id, "contacts", "contact"));
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("INSERT INTO identities (kind, value, contact_id, "
                                             "created_at) VALUES ($1, $2, $3, $4) "
                                             "ON CONFLICT (kind, value) DO NOTHING"));
  stmt.Bind(KindCode(kind)).Bind(value).Bind(contact_id).Bind(ToMillis(at));
  TANDEM_TRY(stmt.Run());
  if (stmt.Affected() == 0) {
    return Fail(Error::Conflict("value", std::string(KindCode(kind)) + " identity '" +
                                             std::string(value) + "' is already linked"));
  }
  return {};
}

Result<std::vector<std::string>> PostgresIdentityRepo::ListForContact(Id contact_id,
                                                                      IdentityKind kind) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("SELECT value FROM identities WHERE contact_id = $1 "
                                             "AND kind = $2 ORDER BY value"));
  stmt.Bind(contact_id).Bind(KindCode(kind));
  std::vector<std::string> out;
  for (;;) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(stmt.Text(0));
  }
  return out;
}

Result<void> PostgresIdentityRepo::MoveRecords(Id from, Id to) {
  if (from == to) return Fail(Error::Invalid("other_id", "a contact cannot be merged into itself"));
  TANDEM_TRY(CheckReference(ctx_.conn, "other_id", from, "contacts", "contact"));
  TANDEM_TRY(CheckReference(ctx_.conn, "id", to, "contacts", "contact"));
  // Form submissions (SQLite moves them too) join this list with the forms' tables (0008).
  for (const char* sql : {"UPDATE events SET contact_id = $1 WHERE contact_id = $2",
                          "UPDATE identities SET contact_id = $1 WHERE contact_id = $2",
                          "UPDATE stage_history SET contact_id = $1 WHERE contact_id = $2",
                          "UPDATE activities SET contact_id = $1 WHERE contact_id = $2",
                          "UPDATE deals SET contact_id = $1 WHERE contact_id = $2"}) {
    TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
    stmt.Bind(to).Bind(from);
    TANDEM_TRY(stmt.Run());
  }
  // The funnel's reach rows follow the moved history.
  TANDEM_TRY(RebuildReach(ctx_.conn, from));
  return RebuildReach(ctx_.conn, to);
}

}  // namespace tandem::store::postgres
