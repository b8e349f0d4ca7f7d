#include "store/sqlite/list_plan.hpp"
#include "store/sqlite/list_sql.hpp"
#include "store/sqlite/repos.hpp"

namespace tandem::store::sqlite {

using core::Company;
using core::CompanySort;
using core::FromMillis;
using core::ToMillis;

namespace {

constexpr std::string_view kColumns =
    "id, name, domain, industry, employees, country, owner_id, custom, created_at, updated_at";

Result<Company> ReadCompany(const Stmt& s) {
  Company c;
  c.id = s.Int(0);
  c.name = s.Text(1);
  c.domain = s.Text(2);
  c.industry = s.Text(3);
  c.employees = s.OptInt(4);
  c.country = s.Text(5);
  c.owner_id = s.OptInt(6);
  c.custom = core::DecodeCustomFields(s.TextView(7));
  c.created_at = FromMillis(s.Int(8));
  c.updated_at = FromMillis(s.Int(9));
  return c;
}

void BindCompany(Stmt& s, const Company& c) {
  s.Bind(c.name)
      .Bind(c.domain)
      .Bind(c.industry)
      .Bind(c.employees)
      .Bind(c.country)
      .Bind(c.owner_id)
      .Bind(core::EncodeCustomFields(c.custom))
      .Bind(ToMillis(c.created_at))
      .Bind(ToMillis(c.updated_at));
}

}  // namespace

Result<Id> SqliteCompanyRepo::Insert(const Company& c) {
  TANDEM_TRY(CheckReference(ctx_.conn, "owner_id", c.owner_id, "users", "user"));
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(
                               "INSERT INTO companies (name, domain, industry, employees, country, "
                               "owner_id, custom, created_at, updated_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  BindCompany(stmt, c);
  TANDEM_TRY(stmt.Run());
  const Id id = ctx_.conn.LastInsertId();
  TANDEM_ASSIGN(auto fts, ctx_.conn.Prepare(
                              "INSERT INTO companies_fts (rowid, name, domain) VALUES (?, ?, ?)"));
  fts.Bind(id).Bind(c.name).Bind(c.domain);
  TANDEM_TRY(fts.Run());
  TANDEM_TRY(AddToRowCount(ctx_.conn, "companies", 1));
  return id;
}

Result<void> SqliteCompanyRepo::Update(const Company& c) {
  TANDEM_TRY(CheckReference(ctx_.conn, "owner_id", c.owner_id, "users", "user"));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("UPDATE companies SET name = ?, domain = ?, industry = ?, "
                                  "employees = ?, country = ?, owner_id = ?, custom = ?, "
                                  "created_at = ?, updated_at = ? WHERE id = ?"));
  BindCompany(stmt, c);
  stmt.Bind(c.id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(ctx_.conn, "company", c.id);
}

Result<void> SqliteCompanyRepo::Delete(Id id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("DELETE FROM companies WHERE id = ?"));
  stmt.Bind(id);
  TANDEM_TRY(stmt.Run());
  TANDEM_TRY(CheckChanged(ctx_.conn, "company", id));
  return AddToRowCount(ctx_.conn, "companies", -1);
}

Result<std::optional<Company>> SqliteCompanyRepo::Get(Id id) {
  static const std::string sql = "SELECT " + std::string(kColumns) + " FROM companies WHERE id = ?";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(id);
  TANDEM_ASSIGN(bool row, stmt.Step());
  if (!row) return std::optional<Company>();
  TANDEM_ASSIGN(auto c, ReadCompany(stmt));
  return std::optional<Company>(std::move(c));
}

Result<Page<Company>> SqliteCompanyRepo::List(const core::CompanyQuery& q) {
  const int limit = ClampLimit(q.page.limit);
  const bool by_name = q.sort == CompanySort::kName;
  const std::string key = by_name ? "name" : "created_at";
  ListPlanInput plan;
  plan.table = "companies";
  plan.fts_table = "companies_fts";
  plan.words_call = "tandem_words_match(?, name, domain)";
  plan.sort_index = by_name ? "companies_by_name" : "companies_by_created";
  plan.filters_follow_sort = by_name;
  plan.limit = limit;
  TANDEM_ASSIGN(plan.rows, CountedRows(ctx_.conn, "companies"));

  ListSql sql;
  auto filter = [&](const char* index, std::string condition, SqlValue value) {
    if (!plan.driver_index) {
      plan.driver_index = index;
      plan.driver.Where(condition, {value});
    }
    sql.Where(std::move(condition), {std::move(value)});
  };
  if (q.owner_id) filter("companies_by_owner", "owner_id = ?", *q.owner_id);
  if (q.industry) filter("companies_by_industry", "industry = ?", *q.industry);
  if (q.country) filter("companies_by_country", "country = ?", *q.country);
  if (q.page.after) {
    SqlValue after = q.page.after->key;
    if (!by_name) {
      TANDEM_ASSIGN(after, IntegerCursorKey(*q.page.after));
    }
    sql.After(key, q.dir, std::move(after), q.page.after->id);
  }
  TANDEM_ASSIGN(std::string from, PlanList(ctx_.conn, ctx_.words.SearchWords(q.text), plan, sql));
  TANDEM_ASSIGN(auto stmt, sql.Prepare(ctx_.conn, kColumns, from, key, q.dir, limit));
  return ReadPage<Company>(stmt, limit, ReadCompany, [by_name](const Company& c) {
    return by_name ? c.name : std::to_string(ToMillis(c.created_at));
  });
}

}  // namespace tandem::store::sqlite

namespace tandem::store::sqlite {

Result<std::optional<Company>> SqliteCompanyRepo::FindByName(std::string_view name) {
  static const std::string sql =
      "SELECT " + std::string(kColumns) + " FROM companies WHERE name = ? ORDER BY id LIMIT 1";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(name);
  TANDEM_ASSIGN(bool row, stmt.Step());
  if (!row) return std::optional<Company>();
  TANDEM_ASSIGN(auto c, ReadCompany(stmt));
  return std::optional<Company>(std::move(c));
}

}  // namespace tandem::store::sqlite
