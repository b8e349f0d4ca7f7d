// Companies and their word search on PostgreSQL (docs/postgres.md, "Text search").
#include "store/common/list_plans.hpp"
#include "store/common/rows.hpp"
#include "store/postgres/list_sql.hpp"
#include "store/postgres/repos.hpp"

namespace tandem::store::postgres {

using core::Company;

namespace {

constexpr std::string_view kColumns = rows::kCompanyColumns;

// The words of a company's name alone (what its contacts' vectors hold) and with its domain.
std::string NameWords(const WordTokenizer& words, const Company& c) {
  std::vector<std::string> list;
  words.DocumentWords(c.name, list);
  return JoinIndexableWords(list);
}

std::string SearchWordsOf(const WordTokenizer& words, const Company& c) {
  std::vector<std::string> list;
  words.DocumentWords(c.name, list);
  words.DocumentWords(c.domain, list);
  return JoinIndexableWords(list);
}

Result<std::optional<Company>> ReadOne(Stmt& stmt) {
  TANDEM_ASSIGN(bool row, stmt.Step());
  if (!row) return std::optional<Company>();
  TANDEM_ASSIGN(auto c, rows::ReadCompany(stmt));
  return std::optional<Company>(std::move(c));
}

}  // namespace

Result<Id> PostgresCompanyRepo::Insert(const Company& c) {
  TANDEM_TRY(CheckReference(ctx_.conn, "owner_id", c.owner_id, "users", "user"));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("INSERT INTO companies (name, domain, industry, employees, "
                                  "country, owner_id, custom, created_at, updated_at, search) "
                                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
                                  "array_to_tsvector(string_to_array($10, ' '))) RETURNING id"));
  rows::BindCompany(stmt, c);
  stmt.Bind(SearchWordsOf(ctx_.words, c));
  TANDEM_TRY(stmt.Step());
  const Id id = stmt.Int(0);
  TANDEM_TRY(AddToRowCount(ctx_.conn, "companies", 1));
  return id;
}

Result<void> PostgresCompanyRepo::Update(const Company& c) {
  TANDEM_TRY(CheckReference(ctx_.conn, "owner_id", c.owner_id, "users", "user"));
  TANDEM_ASSIGN(auto old, ctx_.conn.Prepare("SELECT name FROM companies WHERE id = $1"));
  old.Bind(c.id);
  TANDEM_ASSIGN(bool found, old.Step());
  const bool renamed = found && old.TextView(0) != c.name;
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("UPDATE companies SET name = $1, domain = $2, industry = $3, "
                                  "employees = $4, country = $5, owner_id = $6, custom = $7, "
                                  "created_at = $8, updated_at = $9, "
                                  "search = array_to_tsvector(string_to_array($10, ' ')) "
                                  "WHERE id = $11"));
  rows::BindCompany(stmt, c);
  stmt.Bind(SearchWordsOf(ctx_.words, c)).Bind(c.id);
  TANDEM_TRY(stmt.Run());
  TANDEM_TRY(CheckChanged(stmt, "company", c.id));
  if (!renamed) return {};
  // Its contacts are found by the company's new name, no longer by the old one.
  TANDEM_ASSIGN(auto contacts,
                ctx_.conn.Prepare("UPDATE contacts SET search = array_to_tsvector(array_remove("
                                  "string_to_array(search_words || ' ' || $1, ' '), '')) "
                                  "WHERE company_id = $2"));
  contacts.Bind(NameWords(ctx_.words, c)).Bind(c.id);
  return contacts.Run();
}

Result<void> PostgresCompanyRepo::Delete(Id id) {
  // The foreign key clears company_id on its contacts; their vectors lose the company's words.
  TANDEM_ASSIGN(auto contacts,
                ctx_.conn.Prepare("UPDATE contacts SET search = array_to_tsvector("
                                  "string_to_array(search_words, ' ')) WHERE company_id = $1"));
  contacts.Bind(id);
  TANDEM_TRY(contacts.Run());
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("DELETE FROM companies WHERE id = $1"));
  stmt.Bind(id);
  TANDEM_TRY(stmt.Run());
  TANDEM_TRY(CheckChanged(stmt, "company", id));
  return AddToRowCount(ctx_.conn, "companies", -1);
}

Result<std::optional<Company>> PostgresCompanyRepo::Get(Id id) {
  static const std::string sql =
      "SELECT " + std::string(kColumns) + " FROM companies WHERE id = $1";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(id);
  return ReadOne(stmt);
}

Result<std::optional<Company>> PostgresCompanyRepo::FindByName(std::string_view name) {
  static const std::string sql =
      "SELECT " + std::string(kColumns) + " FROM companies WHERE name = $1 ORDER BY id LIMIT 1";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(name);
  return ReadOne(stmt);
}

// As the contacts list: the conditions go to PostgreSQL's planner as they are.
Result<Page<Company>> PostgresCompanyRepo::List(const core::CompanyQuery& q) {
  TANDEM_ASSIGN(const CompanyListPlan p, PlanCompanyList(q));
  ListSql sql;
  for (const ListFilter& f : p.filters) sql.Where(f.condition.sql, f.condition.values);
  if (p.after) sql.After(p.sort_key, q.dir, p.after->first, p.after->second);
  AddSearch(sql, ctx_.words.SearchWords(q.text));
  TANDEM_ASSIGN(auto stmt,
                sql.Prepare(ctx_.conn, kColumns, "companies", p.sort_key, q.dir, p.limit));
  return ReadPage<Company>(stmt, p.limit, rows::ReadCompany<Stmt>,
                           [&p](const Company& c) { return CompanySortKey(p, c); });
}

}  // namespace tandem::store::postgres
