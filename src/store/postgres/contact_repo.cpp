// Contacts and their word search on PostgreSQL (docs/postgres.md, "Text search").
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "store/common/list_plans.hpp"
#include "store/common/rows.hpp"
#include "store/postgres/copy_rows.hpp"
#include "store/postgres/list_sql.hpp"
#include "store/postgres/repos.hpp"

namespace tandem::store::postgres {

using core::Contact;
using core::Error;
using core::Fail;

namespace {

constexpr std::string_view kColumns = rows::kContactColumns;

constexpr const char* kInsert =
    "INSERT INTO contacts (email, first_name, last_name, phone, title, company_id, owner_id, "
    "stage, stage_entered_at, source, campaign, country, custom, created_at, updated_at, "
    "search_words, search) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
    "$15, $16, array_to_tsvector(string_to_array($17, ' '))) RETURNING id";

// A contact's own words (first and last name, email) and those with its company's name.
struct ContactWords {
  std::string own;
  std::string all;
};

ContactWords WordsOf(const WordTokenizer& words, const Contact& c, std::string_view company) {
  std::vector<std::string> list;
  words.DocumentWords(c.first_name, list);
  words.DocumentWords(c.last_name, list);
  words.DocumentWords(c.email, list);
  ContactWords out;
  out.own = JoinIndexableWords(list);
  words.DocumentWords(company, list);
  out.all = JoinIndexableWords(list);
  return out;
}

Result<std::optional<Contact>> FindOne(Connection& conn, const std::string& sql,
                                       const SqlValue& key) {
  TANDEM_ASSIGN(auto stmt, conn.Prepare(sql));
  if (const auto* id = std::get_if<std::int64_t>(&key)) {
    stmt.Bind(*id);
  } else {
    stmt.Bind(std::get<std::string>(key));
  }
  TANDEM_ASSIGN(bool row, stmt.Step());
  if (!row) return std::optional<Contact>();
  TANDEM_ASSIGN(auto c, rows::ReadContact(stmt));
  return std::optional<Contact>(std::move(c));
}

}  // namespace

Result<std::string> PostgresContactRepo::CheckReferences(const Contact& c) {
  TANDEM_TRY(CheckReference(ctx_.conn, "owner_id", c.owner_id, "users", "user"));
  if (!c.company_id) return std::string();
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("SELECT name FROM companies WHERE id = $1"));
  stmt.Bind(*c.company_id);
  TANDEM_ASSIGN(bool found, stmt.Step());
  if (!found) {
    return Fail(Error::Invalid(
        "company_id", "company_id " + std::to_string(*c.company_id) + " does not name a company"));
  }
  return stmt.Text(0);
}

Result<Id> PostgresContactRepo::InsertChecked(const Contact& c, std::string_view company) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(kInsert));
  rows::BindContact(stmt, c);
  const ContactWords w = WordsOf(ctx_.words, c, company);
  stmt.Bind(w.own).Bind(w.all);
  TANDEM_TRY(stmt.Step());
  return stmt.Int(0);
}

Result<Id> PostgresContactRepo::Insert(const Contact& c) {
  TANDEM_ASSIGN(std::string company, CheckReferences(c));
  TANDEM_ASSIGN(Id id, InsertChecked(c, company));
  TANDEM_TRY(AddToRowCount(ctx_.conn, "contacts", 1));
  return id;
}

Result<void> PostgresContactRepo::Update(const Contact& c) {
  TANDEM_ASSIGN(std::string company, CheckReferences(c));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("UPDATE contacts SET email = $1, first_name = $2, "
                                  "last_name = $3, phone = $4, title = $5, company_id = $6, "
                                  "owner_id = $7, stage = $8, stage_entered_at = $9, source = $10, "
                                  "campaign = $11, country = $12, custom = $13, created_at = $14, "
                                  "updated_at = $15, search_words = $16, "
                                  "search = array_to_tsvector(string_to_array($17, ' ')) "
                                  "WHERE id = $18"));
  rows::BindContact(stmt, c);
  const ContactWords w = WordsOf(ctx_.words, c, company);
  stmt.Bind(w.own).Bind(w.all).Bind(c.id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(stmt, "contact", c.id);
}

Result<void> PostgresContactRepo::Delete(Id id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("DELETE FROM contacts WHERE id = $1"));
  stmt.Bind(id);
  TANDEM_TRY(stmt.Run());
  TANDEM_TRY(CheckChanged(stmt, "contact", id));
  return AddToRowCount(ctx_.conn, "contacts", -1);
}

Result<std::optional<Contact>> PostgresContactRepo::Get(Id id) {
  static const std::string sql = "SELECT " + std::string(kColumns) + " FROM contacts WHERE id = $1";
  return FindOne(ctx_.conn, sql, id);
}

Result<std::optional<Contact>> PostgresContactRepo::FindByEmail(std::string_view normalized_email) {
  static const std::string sql =
      "SELECT " + std::string(kColumns) + " FROM contacts WHERE email = $1";
  return FindOne(ctx_.conn, sql, std::string(normalized_email));
}

Result<std::int64_t> PostgresContactRepo::CountAll() {
  return CountedRows(ctx_.conn, "contacts");
}

Result<std::vector<std::pair<core::Stage, std::int64_t>>> PostgresContactRepo::CountByStage() {
  TANDEM_ASSIGN(
      auto stmt,
      ctx_.conn.Prepare("SELECT stage, count(*) FROM contacts GROUP BY stage ORDER BY stage"));
  std::vector<std::pair<core::Stage, std::int64_t>> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    TANDEM_ASSIGN(auto stage, rows::StageFrom(stmt.TextView(0)));
    out.emplace_back(stage, stmt.Int(1));
  }
  return out;
}

// Every condition is handed to PostgreSQL's planner, which picks among the filters' indexes, the
// sort's and the search's GIN index from its statistics: the list_plan.cpp work SQLite needs
// (INDEXED BY, probing the full-text index's size) is its job here. The pages are the same.
Result<Page<Contact>> PostgresContactRepo::List(const core::ContactQuery& q) {
  TANDEM_ASSIGN(const ContactListPlan p, PlanContactList(q));
  ListSql sql;
  for (const ListFilter& f : p.filters) sql.Where(f.condition.sql, f.condition.values);
  if (p.after) sql.After(p.sort_key, q.dir, p.after->first, p.after->second);
  for (const ListCondition& c : p.created) sql.Where(c.sql, c.values);
  if (p.reach) {
    sql.Where("id IN (SELECT contact_id FROM contact_reach WHERE " + p.reach->sql + ")",
              p.reach->values);
  }
  if (p.moved_out) {
    sql.Where("id IN (SELECT contact_id FROM stage_history WHERE " + p.moved_out->sql + ")",
              p.moved_out->values);
  }
  if (p.persona) sql.Where(p.persona->sql, p.persona->values);
  // Erased contacts are tombstones kept for the funnel's counts (docs/privacy.md): never listed,
  // never found by text search (their vectors are empty too).
  sql.Where("erased_at IS NULL");
  AddSearch(sql, ctx_.words.SearchWords(q.text));
  TANDEM_ASSIGN(auto stmt,
                sql.Prepare(ctx_.conn, kColumns, "contacts", p.sort_key, q.dir, p.limit));
  return ReadPage<Contact>(stmt, p.limit, rows::ReadContact<Stmt>,
                           [&](const Contact& c) { return ContactSortKey(q.sort, c); });
}

// The references are checked once per distinct id, the row count bumped once.
Result<void> PostgresContactRepo::InsertMany(std::vector<Contact>& contacts) {
  if (contacts.empty()) return {};
  std::unordered_map<Id, std::string> company_names;
  std::unordered_set<Id> owners;
  for (const Contact& c : contacts) {
    if (c.owner_id && owners.insert(*c.owner_id).second) {
      TANDEM_TRY(CheckReference(ctx_.conn, "owner_id", c.owner_id, "users", "user"));
    }
    if (c.company_id && !company_names.count(*c.company_id)) {
      Contact probe;
      probe.company_id = c.company_id;
      TANDEM_ASSIGN(company_names[*c.company_id], CheckReferences(probe));
    }
  }
  static const std::string kNoCompany;
  if (ctx_.InBulk()) {
    TANDEM_TRY(CopyChecked(contacts, company_names));
  } else {
    for (Contact& c : contacts) {
      const std::string& company = c.company_id ? company_names[*c.company_id] : kNoCompany;
      TANDEM_ASSIGN(c.id, InsertChecked(c, company));
    }
  }
  return AddToRowCount(ctx_.conn, "contacts", static_cast<std::int64_t>(contacts.size()));
}

// Bulk mode: the ids are taken from the table's sequence in one statement, then every row goes
// in by one COPY with its id, search words and search vector (the vector as tsvector input
// text, the same lexemes array_to_tsvector gives). A duplicate email fails the whole COPY
// (kAlreadyExists "email"), which the caller's step undoes.
Result<void> PostgresContactRepo::CopyChecked(
    std::vector<Contact>& contacts, const std::unordered_map<Id, std::string>& company_names) {
  {
    TANDEM_ASSIGN(auto ids, ctx_.conn.Prepare("SELECT nextval(pg_get_serial_sequence('contacts', "
                                              "'id')) FROM generate_series(1, $1)"));
    ids.Bind(static_cast<std::int64_t>(contacts.size()));
    for (Contact& c : contacts) {
      TANDEM_ASSIGN(bool row, ids.Step());
      if (!row) return Fail(Error::Internal("the contacts' id sequence gave too few ids"));
      c.id = ids.Int(0);
    }
    TANDEM_TRY(ids.Step());
  }
  std::string data;
  data.reserve(contacts.size() * 320);
  static const std::string kNoCompany;
  for (const Contact& c : contacts) {
    const std::string& company = c.company_id ? company_names.at(*c.company_id) : kNoCompany;
    const ContactWords w = WordsOf(ctx_.words, c, company);
    CopyRow row(data);
    row.Bind(c.id);
    rows::BindContact(row, c);
    row.Bind(w.own).Bind(TsVectorText(w.all));
    row.End();
  }
  return ctx_.conn.CopyIn(
      "COPY contacts (id, email, first_name, last_name, phone, title, company_id, owner_id, "
      "stage, stage_entered_at, source, campaign, country, custom, created_at, updated_at, "
      "search_words, search) FROM STDIN",
      data);
}

// One statement for the whole list (email = ANY of an array), the found contacts returned in
// the order of `normalized_emails`.
Result<std::vector<Contact>> PostgresContactRepo::FindByEmails(
    const std::vector<std::string>& normalized_emails) {
  std::vector<Contact> out;
  if (normalized_emails.empty()) return out;
  static const std::string sql =
      "SELECT " + std::string(kColumns) + " FROM contacts WHERE email = ANY($1::text[])";
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(sql));
  stmt.Bind(TextArray(normalized_emails));
  std::unordered_map<std::string, Contact> found;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    TANDEM_ASSIGN(auto c, rows::ReadContact(stmt));
    std::string email = c.email;
    found.emplace(std::move(email), std::move(c));
  }
  for (const std::string& email : normalized_emails) {
    auto it = found.find(email);
    if (it != found.end()) out.push_back(it->second);
  }
  return out;
}

}  // namespace tandem::store::postgres
