// The event log (monthly partitions, docs/postgres.md "Events") and identity links on
// PostgreSQL; the SQLite twin is store/sqlite/event_repo.cpp.
#include <algorithm>
#include <chrono>
#include <map>
#include <utility>

#include "store/common/event_rows.hpp"
#include "store/postgres/copy_rows.hpp"
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

namespace {

using EventKey = std::pair<std::int64_t, std::string>;  // occurred_at, event_id

// The ids RETURNING gave (id, occurred_at, event_id per row) matched back to the batch: the first
// event of each key stored gets its id; replays get nothing.
Result<void> CollectIds(Stmt& stmt, std::map<EventKey, Id>& stored) {
  for (;;) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    stored.emplace(EventKey{stmt.Int(1), stmt.Text(2)}, stmt.Int(0));
  }
  return {};
}

// "INSERT INTO events (...) VALUES (...), ... ON CONFLICT DO NOTHING RETURNING ..." of `rows`
// rows, a power of two up to kValuesRows.
std::string BuildValuesSql(std::size_t rows) {
  std::string sql = "INSERT INTO events (" + std::string(rows::kEventInsertColumns) + ") VALUES ";
  int n = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    sql += r ? ", (" : "(";
    for (int c = 0; c < rows::kEventInsertColumnCount; ++c) {
      sql += (c ? ", $" : "$") + std::to_string(++n);
    }
    sql += ')';
  }
  sql += " ON CONFLICT (occurred_at, event_id) DO NOTHING RETURNING id, occurred_at, event_id";
  return sql;
}

// Statements of 512 rows (5,632 parameters; the protocol allows 65,535), then the rest in
// powers of two, so at most ten statement texts are ever prepared.
constexpr std::size_t kValuesRows = 512;

const std::string& ValuesSql(std::size_t rows) {
  static const std::vector<std::string> texts = [] {
    std::vector<std::string> out;
    for (std::size_t r = kValuesRows; r > 0; r /= 2) out.push_back(BuildValuesSql(r));
    return out;
  }();
  std::size_t i = 0;
  for (std::size_t r = kValuesRows; r > rows; r /= 2) ++i;
  return texts[i];
}

Result<void> InsertValues(Connection& conn, const std::vector<Event>& events,
                          std::map<EventKey, Id>& stored) {
  std::size_t at = 0;
  for (std::size_t rows = kValuesRows; rows > 0; rows /= 2) {
    while (events.size() - at >= rows) {
      TANDEM_ASSIGN(auto stmt, conn.Prepare(ValuesSql(rows)));
      for (std::size_t i = at; i < at + rows; ++i) rows::BindEvent(stmt, events[i]);
      TANDEM_TRY(CollectIds(stmt, stored));
      at += rows;
    }
  }
  return {};
}

Result<void> InsertCopy(Connection& conn, const std::vector<Event>& events,
                        std::map<EventKey, Id>& stored) {
  // The session's staging table (kept across transactions, emptied at each commit; created
  // again after a rollback took it away).
  TANDEM_TRY(conn.Exec(
      "CREATE TEMPORARY TABLE IF NOT EXISTS events_incoming (n BIGINT NOT NULL, event_id TEXT "
      "COLLATE \"C\", type TEXT COLLATE \"C\", occurred_at BIGINT, received_at BIGINT, "
      "contact_id BIGINT, email TEXT COLLATE \"C\", anonymous_id TEXT COLLATE \"C\", utm_source "
      "TEXT COLLATE \"C\", utm_medium TEXT COLLATE \"C\", utm_campaign TEXT COLLATE \"C\", "
      "properties TEXT COLLATE \"C\") ON COMMIT DELETE ROWS; TRUNCATE events_incoming"));
  std::string data;
  data.reserve(events.size() * 256);
  for (std::size_t i = 0; i < events.size(); ++i) {
    CopyRow row(data);
    row.Bind(static_cast<std::int64_t>(i));
    rows::BindEvent(row, events[i]);
    row.End();
  }
  static const std::string copy =
      "COPY events_incoming (n, " + std::string(rows::kEventInsertColumns) + ") FROM STDIN";
  TANDEM_TRY(conn.CopyIn(copy, data));
  static const std::string insert =
      "INSERT INTO events (" + std::string(rows::kEventInsertColumns) + ") SELECT " +
      std::string(rows::kEventInsertColumns) +
      " FROM events_incoming ORDER BY n ON CONFLICT (occurred_at, event_id) DO NOTHING "
      "RETURNING id, occurred_at, event_id";
  TANDEM_ASSIGN(auto stmt, conn.Prepare(insert));
  return CollectIds(stmt, stored);
}

}  // namespace

Result<std::vector<std::optional<Id>>> AppendEventBatch(TxContext& ctx,
                                                        const std::vector<Event>& events,
                                                        EventBatchPath path) {
  std::vector<core::Instant> months;
  std::vector<std::int64_t> seen;
  for (const Event& e : events) {
    const std::int64_t month = EventMonth(e.occurred_at);
    if (std::find(seen.begin(), seen.end(), month) != seen.end()) continue;
    seen.push_back(month);
    months.push_back(e.occurred_at);
  }
  TANDEM_TRY(EnsureEventPartitions(ctx, months));
  std::map<EventKey, Id> stored;
  if (path == EventBatchPath::kCopy) {
    TANDEM_TRY(InsertCopy(ctx.conn, events, stored));
  } else {
    TANDEM_TRY(InsertValues(ctx.conn, events, stored));
  }
  std::vector<std::optional<Id>> out(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    auto it = stored.find(EventKey{ToMillis(events[i].occurred_at), events[i].event_id});
    if (it == stored.end()) continue;
    out[i] = it->second;
    stored.erase(it);
  }
  return out;
}

Result<std::vector<std::optional<Id>>> PostgresEventRepo::AppendBatch(
    const std::vector<Event>& events, EventBatchPath path) {
  return AppendEventBatch(ctx_, events, path);
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
  for (const char* sql : {"UPDATE events SET contact_id = $1 WHERE contact_id = $2",
                          "UPDATE identities SET contact_id = $1 WHERE contact_id = $2",
                          "UPDATE stage_history SET contact_id = $1 WHERE contact_id = $2",
                          "UPDATE activities SET contact_id = $1 WHERE contact_id = $2",
                          "UPDATE deals SET contact_id = $1 WHERE contact_id = $2",
                          "UPDATE form_submissions SET contact_id = $1 WHERE contact_id = $2",
                          "UPDATE consents SET contact_id = $1 WHERE contact_id = $2"}) {
    TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
    stmt.Bind(to).Bind(from);
    TANDEM_TRY(stmt.Run());
  }
  // The funnel's reach rows follow the moved history.
  TANDEM_TRY(RebuildReach(ctx_.conn, from));
  return RebuildReach(ctx_.conn, to);
}

}  // namespace tandem::store::postgres
