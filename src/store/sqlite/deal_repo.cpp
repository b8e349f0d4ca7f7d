#include "store/sqlite/list_sql.hpp"
#include "store/sqlite/repos.hpp"

namespace tandem::store::sqlite {

using core::Deal;
using core::DealSort;
using core::Error;
using core::Fail;
using core::FromMillis;
using core::ToMillis;

namespace {

constexpr std::string_view kColumns =
    "id, title, contact_id, company_id, owner_id, amount_minor, currency, stage, expected_close, "
    "closed_at, lost_reason, created_at, updated_at";

// The sort expression of expected_close: '' stands for "no date" (see sqlite_store.hpp).
constexpr const char* kCloseKey = "ifnull(expected_close, '')";

Result<Deal> ReadDeal(const Stmt& s) {
  Deal d;
  d.id = s.Int(0);
  d.title = s.Text(1);
  d.contact_id = s.OptInt(2);
  d.company_id = s.OptInt(3);
  d.owner_id = s.OptInt(4);
  d.amount_minor = s.Int(5);
  d.currency = s.Text(6);
  auto stage = core::DealStageFromString(s.TextView(7));
  if (!stage)
    return Fail(Error::Internal("unknown deal stage stored for deal " + std::to_string(d.id)));
  d.stage = *stage;
  if (!s.IsNull(8)) {
    d.expected_close = core::ParseDate(s.TextView(8));
    if (!d.expected_close) {
      return Fail(Error::Internal("bad expected_close stored for deal " + std::to_string(d.id)));
    }
  }
  if (auto closed = s.OptInt(9)) d.closed_at = FromMillis(*closed);
  d.lost_reason = s.Text(10);
  d.created_at = FromMillis(s.Int(11));
  d.updated_at = FromMillis(s.Int(12));
  return d;
}

void BindDeal(Stmt& s, const Deal& d) {
  s.Bind(d.title)
      .Bind(d.contact_id)
      .Bind(d.company_id)
      .Bind(d.owner_id)
      .Bind(d.amount_minor)
      .Bind(d.currency)
      .Bind(ToString(d.stage));
  if (d.expected_close) {
    s.Bind(core::FormatDate(*d.expected_close));
  } else {
    s.BindNull();
  }
  if (d.closed_at) {
    s.Bind(ToMillis(*d.closed_at));
  } else {
    s.BindNull();
  }
  s.Bind(d.lost_reason).Bind(ToMillis(d.created_at)).Bind(ToMillis(d.updated_at));
}

}  // namespace

Result<void> SqliteDealRepo::CheckReferences(const Deal& d) {
  TANDEM_TRY(CheckReference(ctx_.conn, "contact_id", d.contact_id, "contacts", "contact"));
  TANDEM_TRY(CheckReference(ctx_.conn, "company_id", d.company_id, "companies", "company"));
  return CheckReference(ctx_.conn, "owner_id", d.owner_id, "users", "user");
}

Result<Id> SqliteDealRepo::Insert(const Deal& d) {
  TANDEM_TRY(CheckReferences(d));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("INSERT INTO deals (title, contact_id, company_id, owner_id, "
                                  "amount_minor, currency, stage, expected_close, closed_at, "
                                  "lost_reason, created_at, updated_at) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  BindDeal(stmt, d);
  TANDEM_TRY(stmt.Run());
  return ctx_.conn.LastInsertId();
}

Result<void> SqliteDealRepo::Update(const Deal& d) {
  TANDEM_TRY(CheckReferences(d));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("UPDATE deals SET title = ?, contact_id = ?, company_id = ?, "
                                  "owner_id = ?, amount_minor = ?, currency = ?, stage = ?, "
                                  "expected_close = ?, closed_at = ?, lost_reason = ?, "
                                  "created_at = ?, updated_at = ? WHERE id = ?"));
  BindDeal(stmt, d);
  stmt.Bind(d.id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(ctx_.conn, "deal", d.id);
}

Result<void> SqliteDealRepo::Delete(Id id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("DELETE FROM deals WHERE id = ?"));
  stmt.Bind(id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(ctx_.conn, "deal", id);
}

Result<std::optional<Deal>> SqliteDealRepo::Get(Id id) {
  static const std::string sql = "SELECT " + std::string(kColumns) + " FROM deals WHERE id = ?";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(id);
  TANDEM_ASSIGN(bool row, stmt.Step());
  if (!row) return std::optional<Deal>();
  TANDEM_ASSIGN(auto d, ReadDeal(stmt));
  return std::optional<Deal>(std::move(d));
}

// Deals number in the thousands to hundreds of thousands: every filter has an index ending with
// created_at, and SQLite's planner (with ANALYZE statistics) picks between them.
Result<Page<Deal>> SqliteDealRepo::List(const core::DealQuery& q) {
  const int limit = ClampLimit(q.page.limit);
  ListSql sql;
  if (q.stage) sql.Where("stage = ?", {std::string(ToString(*q.stage))});
  if (q.owner_id) sql.Where("owner_id = ?", {*q.owner_id});
  if (q.contact_id) sql.Where("contact_id = ?", {*q.contact_id});
  if (q.company_id) sql.Where("company_id = ?", {*q.company_id});
  if (q.close_from) {
    sql.Where(std::string(kCloseKey) + " >= ?", {core::FormatDate(*q.close_from)});
  }
  if (q.close_to) {
    sql.Where(std::string(kCloseKey) + " > '' AND " + kCloseKey + " <= ?",
              {core::FormatDate(*q.close_to)});
  }
  std::string key;
  switch (q.sort) {
    case DealSort::kCreatedAt: key = "created_at"; break;
    case DealSort::kAmount: key = "amount_minor"; break;
    case DealSort::kExpectedClose: key = kCloseKey; break;
  }
  if (q.page.after) {
    SqlValue after = q.page.after->key;
    if (q.sort == DealSort::kExpectedClose) {
      if (!q.page.after->key.empty() && !core::ParseDate(q.page.after->key)) {
        return Fail(Error::Invalid("cursor", "is not a cursor of this list"));
      }
    } else {
      TANDEM_ASSIGN(after, IntegerCursorKey(*q.page.after));
    }
    sql.After(key, q.dir, std::move(after), q.page.after->id);
  }
  TANDEM_ASSIGN(auto stmt, sql.Prepare(ctx_.conn, kColumns, "deals", key, q.dir, limit));
  return ReadPage<Deal>(stmt, limit, ReadDeal, [&q](const Deal& d) -> std::string {
    switch (q.sort) {
      case DealSort::kCreatedAt: return std::to_string(ToMillis(d.created_at));
      case DealSort::kAmount: return std::to_string(d.amount_minor);
      case DealSort::kExpectedClose:
        return d.expected_close ? core::FormatDate(*d.expected_close) : std::string();
    }
    return {};
  });
}

}  // namespace tandem::store::sqlite
