#include "store/common/list_plans.hpp"
#include "store/common/rows.hpp"
#include "store/sqlite/list_plan.hpp"
#include "store/sqlite/list_sql.hpp"
#include "store/sqlite/repos.hpp"

namespace tandem::store::sqlite {

using core::Company;
using core::CompanySort;
using core::FromMillis;
using core::ToMillis;

namespace {

constexpr std::string_view kColumns = rows::kCompanyColumns;

}  // namespace

Result<Id> SqliteCompanyRepo::Insert(const Company& c) {
  TANDEM_TRY(CheckReference(ctx_.conn, "owner_id", c.owner_id, "users", "user"));
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(
                               "INSERT INTO companies (name, domain, industry, employees, country, "
                               "owner_id, custom, created_at, updated_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  rows::BindCompany(stmt, c);
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
  rows::BindCompany(stmt, c);
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
  TANDEM_ASSIGN(auto c, rows::ReadCompany(stmt));
  return std::optional<Company>(std::move(c));
}

Result<Page<Company>> SqliteCompanyRepo::List(const core::CompanyQuery& q) {
  TANDEM_ASSIGN(const CompanyListPlan p, PlanCompanyList(q));
  const int limit = p.limit;
  ListPlanInput plan;
  plan.table = "companies";
  plan.fts_table = "companies_fts";
  plan.words_call = "tandem_words_match(?, name, domain)";
  plan.sort_index = p.sort_index;
  plan.filters_follow_sort = p.by_name;
  plan.limit = limit;
  TANDEM_ASSIGN(plan.rows, CountedRows(ctx_.conn, "companies"));

  ListSql sql;
  for (const ListFilter& f : p.filters) {
    if (!plan.driver_index) {
      plan.driver_index = f.index;
      plan.driver.Where(f.condition.sql, f.condition.values);
    }
    sql.Where(f.condition.sql, f.condition.values);
  }
  if (p.after) sql.After(p.sort_key, q.dir, p.after->first, p.after->second);
  TANDEM_ASSIGN(std::string from, PlanList(ctx_.conn, ctx_.words.SearchWords(q.text), plan, sql));
  TANDEM_ASSIGN(auto stmt, sql.Prepare(ctx_.conn, kColumns, from, p.sort_key, q.dir, limit));
  return ReadPage<Company>(stmt, limit, rows::ReadCompany<Stmt>,
                           [&p](const Company& c) { return CompanySortKey(p, c); });
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
  TANDEM_ASSIGN(auto c, rows::ReadCompany(stmt));
  return std::optional<Company>(std::move(c));
}

}  // namespace tandem::store::sqlite
