#include "store/sqlite/list_sql.hpp"
#include "store/sqlite/repos.hpp"

namespace tandem::store::sqlite {

using core::Activity;
using core::Error;
using core::Fail;
using core::FromMillis;
using core::ToMillis;

namespace {

constexpr std::string_view kColumns =
    "id, type, contact_id, deal_id, owner_id, occurred_at, subject, outcome, body, "
    "duration_minutes, created_at, updated_at";

Result<Activity> ReadActivity(const Stmt& s) {
  Activity a;
  a.id = s.Int(0);
  auto type = core::ActivityTypeFromString(s.TextView(1));
  if (!type) {
    return Fail(
        Error::Internal("unknown activity type stored for activity " + std::to_string(a.id)));
  }
  a.type = *type;
  a.contact_id = s.OptInt(2);
  a.deal_id = s.OptInt(3);
  a.owner_id = s.Int(4);
  a.occurred_at = FromMillis(s.Int(5));
  a.subject = s.Text(6);
  a.outcome = s.Text(7);
  a.body = s.Text(8);
  a.duration_minutes = s.OptInt(9);
  a.created_at = FromMillis(s.Int(10));
  a.updated_at = FromMillis(s.Int(11));
  return a;
}

void BindActivity(Stmt& s, const Activity& a) {
  s.Bind(ToString(a.type))
      .Bind(a.contact_id)
      .Bind(a.deal_id)
      .Bind(a.owner_id)
      .Bind(ToMillis(a.occurred_at))
      .Bind(a.subject)
      .Bind(a.outcome)
      .Bind(a.body)
      .Bind(a.duration_minutes)
      .Bind(ToMillis(a.created_at))
      .Bind(ToMillis(a.updated_at));
}

}  // namespace

Result<void> SqliteActivityRepo::CheckReferences(const Activity& a) {
  TANDEM_TRY(CheckReference(ctx_.conn, "contact_id", a.contact_id, "contacts", "contact"));
  TANDEM_TRY(CheckReference(ctx_.conn, "deal_id", a.deal_id, "deals", "deal"));
  return CheckReference(ctx_.conn, "owner_id", a.owner_id, "users", "user");
}

Result<Id> SqliteActivityRepo::Insert(const Activity& a) {
  TANDEM_TRY(CheckReferences(a));
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(
                               "INSERT INTO activities (type, contact_id, deal_id, owner_id, "
                               "occurred_at, subject, outcome, body, duration_minutes, "
                               "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  BindActivity(stmt, a);
  TANDEM_TRY(stmt.Run());
  return ctx_.conn.LastInsertId();
}

Result<void> SqliteActivityRepo::Update(const Activity& a) {
  TANDEM_TRY(CheckReferences(a));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("UPDATE activities SET type = ?, contact_id = ?, deal_id = ?, "
                                  "owner_id = ?, occurred_at = ?, subject = ?, outcome = ?, "
                                  "body = ?, duration_minutes = ?, created_at = ?, updated_at = ? "
                                  "WHERE id = ?"));
  BindActivity(stmt, a);
  stmt.Bind(a.id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(ctx_.conn, "activity", a.id);
}

Result<void> SqliteActivityRepo::Delete(Id id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("DELETE FROM activities WHERE id = ?"));
  stmt.Bind(id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(ctx_.conn, "activity", id);
}

Result<std::optional<Activity>> SqliteActivityRepo::Get(Id id) {
  static const std::string sql =
      "SELECT " + std::string(kColumns) + " FROM activities WHERE id = ?";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(id);
  TANDEM_ASSIGN(bool row, stmt.Step());
  if (!row) return std::optional<Activity>();
  TANDEM_ASSIGN(auto a, ReadActivity(stmt));
  return std::optional<Activity>(std::move(a));
}

// Always by occurred_at: every filter has an index (filter, occurred_at), so each page is one
// index range whichever filter SQLite picks.
Result<Page<Activity>> SqliteActivityRepo::List(const core::ActivityQuery& q) {
  const int limit = ClampLimit(q.page.limit);
  ListSql sql;
  if (q.contact_id) sql.Where("contact_id = ?", {*q.contact_id});
  if (q.deal_id) sql.Where("deal_id = ?", {*q.deal_id});
  if (q.owner_id) sql.Where("owner_id = ?", {*q.owner_id});
  if (q.type) sql.Where("type = ?", {std::string(ToString(*q.type))});
  // The keyset bound first: SQLite seeks with the first bound it finds (the tighter one here).
  if (q.page.after) {
    TANDEM_ASSIGN(std::int64_t after, IntegerCursorKey(*q.page.after));
    sql.After("occurred_at", q.dir, after, q.page.after->id);
  }
  if (q.from) sql.Where("occurred_at >= ?", {ToMillis(*q.from)});
  if (q.to) sql.Where("occurred_at < ?", {ToMillis(*q.to)});
  TANDEM_ASSIGN(auto stmt,
                sql.Prepare(ctx_.conn, kColumns, "activities", "occurred_at", q.dir, limit));
  return ReadPage<Activity>(stmt, limit, ReadActivity, [](const Activity& a) {
    return std::to_string(ToMillis(a.occurred_at));
  });
}

}  // namespace tandem::store::sqlite
