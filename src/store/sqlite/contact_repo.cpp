#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "store/common/list_plans.hpp"
#include "store/common/rows.hpp"
#include "store/sqlite/list_plan.hpp"
#include "store/sqlite/list_sql.hpp"
#include "store/sqlite/repos.hpp"

namespace tandem::store::sqlite {

using core::Contact;
using core::ContactSort;
using core::Error;
using core::Fail;
using core::FromMillis;
using core::ToMillis;

namespace {

constexpr std::string_view kColumns = rows::kContactColumns;

constexpr const char* kWordsCall =
    "tandem_words_match(?, first_name, last_name, email, "
    "(SELECT name FROM companies WHERE companies.id = contacts.company_id))";

Result<std::optional<Contact>> FindOne(Connection& conn, const char* sql, const SqlValue& key) {
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

// Whether few enough rows of `table` pass `condition` for their contact ids to be collected and
// drive the list: the break-even of PlanList (sqrt((limit + 1) * rows) candidates), but never
// below kFewIds.
Result<bool> FewIds(Connection& conn, const std::string& table, const ListCondition& condition,
                    int limit, std::int64_t rows) {
  // At least kFewIds: reach and move sets are skewed in time (the customers of a period are old
  // contacts, far down a newest-first walk), and collecting that many ids costs less than
  // walking a million rows to find them.
  constexpr std::int64_t kFewIds = 50'000;
  const auto cap = std::max<std::int64_t>(
      kFewIds, static_cast<std::int64_t>(std::ceil(
                   std::sqrt(static_cast<double>(limit + 1) * static_cast<double>(rows)))));
  ListSql probe;
  probe.Where(condition.sql, condition.values);
  TANDEM_ASSIGN(auto stmt, probe.PrepareCountUpTo(conn, table, cap + 1));
  TANDEM_ASSIGN(bool row, stmt.Step());
  return row && stmt.Int(0) <= cap;
}

// The condition on contacts for rows of `table` (keyed by contact_id) passing `condition`: the
// ids collected when `few`, else a lookup by key per contact walked.
std::string ByContact(const std::string& table, const ListCondition& condition, bool few) {
  return few ? "id IN (SELECT contact_id FROM " + table + " WHERE " + condition.sql + ")"
             : "EXISTS (SELECT 1 FROM " + table + " WHERE contact_id = contacts.id AND " +
                   condition.sql + ")";
}

}  // namespace

Result<std::string> SqliteContactRepo::CheckReferences(const Contact& c) {
  TANDEM_TRY(CheckReference(ctx_.conn, "owner_id", c.owner_id, "users", "user"));
  if (!c.company_id) return std::string();
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("SELECT name FROM companies WHERE id = ?"));
  stmt.Bind(*c.company_id);
  TANDEM_ASSIGN(bool found, stmt.Step());
  if (!found) {
    return Fail(Error::Invalid(
        "company_id", "company_id " + std::to_string(*c.company_id) + " does not name a company"));
  }
  return stmt.Text(0);
}

Result<Id> SqliteContactRepo::Insert(const Contact& c) {
  TANDEM_ASSIGN(std::string company, CheckReferences(c));
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare(
                               "INSERT INTO contacts (email, first_name, last_name, phone, title, "
                               "company_id, owner_id, stage, stage_entered_at, source, campaign, "
                               "country, custom, created_at, updated_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  rows::BindContact(stmt, c);
  TANDEM_TRY(stmt.Run());
  const Id id = ctx_.conn.LastInsertId();
  TANDEM_TRY(AddToRowCount(ctx_.conn, "contacts", 1));
  if (ctx_.InBulk()) return id;  // WriteBulk builds the search rows at the end
  // The search row and the count are kept here rather than by triggers: see 0001_init.sql.
  TANDEM_ASSIGN(auto fts, ctx_.conn.Prepare("INSERT INTO contacts_fts (rowid, first_name, "
                                            "last_name, email, company) VALUES (?, ?, ?, ?, ?)"));
  fts.Bind(id).Bind(c.first_name).Bind(c.last_name).Bind(c.email).Bind(company);
  TANDEM_TRY(fts.Run());
  return id;
}

Result<void> SqliteContactRepo::Update(const Contact& c) {
  TANDEM_TRY(CheckReferences(c));
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("UPDATE contacts SET email = ?, first_name = ?, last_name = ?, "
                                  "phone = ?, title = ?, company_id = ?, owner_id = ?, stage = ?, "
                                  "stage_entered_at = ?, source = ?, campaign = ?, country = ?, "
                                  "custom = ?, created_at = ?, updated_at = ? WHERE id = ?"));
  rows::BindContact(stmt, c);
  stmt.Bind(c.id);
  TANDEM_TRY(stmt.Run());
  return CheckChanged(ctx_.conn, "contact", c.id);
}

Result<void> SqliteContactRepo::Delete(Id id) {
  TANDEM_ASSIGN(auto stmt, ctx_.conn.Prepare("DELETE FROM contacts WHERE id = ?"));
  stmt.Bind(id);
  TANDEM_TRY(stmt.Run());
  TANDEM_TRY(CheckChanged(ctx_.conn, "contact", id));
  return AddToRowCount(ctx_.conn, "contacts", -1);
}

Result<std::optional<Contact>> SqliteContactRepo::Get(Id id) {
  static const std::string sql = "SELECT " + std::string(kColumns) + " FROM contacts WHERE id = ?";
  return FindOne(ctx_.conn, sql.c_str(), id);
}

Result<std::optional<Contact>> SqliteContactRepo::FindByEmail(std::string_view normalized_email) {
  static const std::string sql =
      "SELECT " + std::string(kColumns) + " FROM contacts WHERE email = ?";
  return FindOne(ctx_.conn, sql.c_str(), std::string(normalized_email));
}

Result<std::int64_t> SqliteContactRepo::CountAll() {
  return CountedRows(ctx_.conn, "contacts");
}

Result<std::vector<std::pair<core::Stage, std::int64_t>>> SqliteContactRepo::CountByStage() {
  // Reads only the contacts_by_stage index.
  TANDEM_ASSIGN(auto stmt,
                ctx_.conn.Prepare("SELECT stage, count(*) FROM contacts GROUP BY stage"));
  std::vector<std::pair<core::Stage, std::int64_t>> out;
  while (true) {
    TANDEM_ASSIGN(bool row, stmt.Step());
    if (!row) break;
    TANDEM_ASSIGN(auto stage, StageFrom(stmt.TextView(0)));
    out.emplace_back(stage, stmt.Int(1));
  }
  return out;
}

Result<Page<Contact>> SqliteContactRepo::List(const core::ContactQuery& q) {
  TANDEM_ASSIGN(const ContactListPlan p, PlanContactList(q));
  const int limit = p.limit;
  ListPlanInput plan;
  plan.table = "contacts";
  plan.fts_table = "contacts_fts";
  plan.words_call = kWordsCall;
  plan.sort_index = p.sort_index;
  plan.filters_follow_sort = q.sort == ContactSort::kCreatedAt;
  plan.limit = limit;
  TANDEM_ASSIGN(plan.rows, CountedRows(ctx_.conn, "contacts"));

  ListSql sql;
  // Each equality filter has an index (filter, created_at); the first present, in order of
  // usual selectivity, drives the plan.
  for (const ListFilter& f : p.filters) {
    if (!plan.driver_index) {
      plan.driver_index = f.index;
      plan.driver.Where(f.condition.sql, f.condition.values);
    }
    sql.Where(f.condition.sql, f.condition.values);
  }
  // The two lists people keep open — a stage's queue and a rep's own contacts — also have
  // indexes ordered by last name and by last update (migration 0006), so those sorts walk in
  // order too when they are the only equality filters.
  if (!plan.filters_follow_sort && p.filters.size() == 1 &&
      (q.sort == ContactSort::kLastName || q.sort == ContactSort::kUpdatedAt)) {
    const bool by_name = q.sort == ContactSort::kLastName;
    if (*plan.driver_index == "contacts_by_stage") {
      plan.driver_index = by_name ? "contacts_by_stage_last_name" : "contacts_by_stage_updated";
      plan.filters_follow_sort = true;
    } else if (*plan.driver_index == "contacts_by_owner") {
      plan.driver_index = by_name ? "contacts_by_owner_last_name" : "contacts_by_owner_updated";
      plan.filters_follow_sort = true;
    }
  }
  // The keyset bound goes before the created range: SQLite seeks with the first bound it
  // finds, and the cursor's is the tighter one on a deep page.
  if (p.after) sql.After(p.sort_key, q.dir, p.after->first, p.after->second);
  if (!plan.driver_index && !p.created.empty()) plan.driver_index = "contacts_by_created";
  for (const ListCondition& c : p.created) {
    sql.Where(c.sql, c.values);
    if (plan.driver_index) plan.driver.Where(c.sql, c.values);
  }
  // The funnel's click-through. Few contacts reaching the stage (the list planner's
  // break-even): their ids are collected once, and drive the list when no other filter or
  // search does. Many: each row walked is looked up in contact_reach by its key, so a page
  // stops after about limit matches instead of collecting hundreds of thousands of ids. The
  // period view's moves out of a stage likewise, over stage_history (by stage_history_moves,
  // migration 0020, when collected; by stage_history_by_contact per contact walked).
  bool few_ids = false;
  if (p.reach) {
    TANDEM_ASSIGN(bool few, FewIds(ctx_.conn, "contact_reach", *p.reach, limit, plan.rows));
    sql.Where(ByContact("contact_reach", *p.reach, few), p.reach->values);
    few_ids = few_ids || few;
  }
  if (p.moved_out) {
    TANDEM_ASSIGN(bool few, FewIds(ctx_.conn, "stage_history", *p.moved_out, limit, plan.rows));
    sql.Where(ByContact("stage_history", *p.moved_out, few), p.moved_out->values);
    few_ids = few_ids || few;
  }
  if (p.persona) sql.Where(p.persona->sql, p.persona->values);
  // Erased contacts are tombstones kept for the funnel's counts (docs/privacy.md): never listed.
  sql.Where("erased_at IS NULL");
  const auto words = ctx_.words.SearchWords(q.text);
  const bool ids_drive = few_ids && words.empty() && !plan.driver_index;
  TANDEM_ASSIGN(std::string from, PlanList(ctx_.conn, words, plan, sql));
  if (ids_drive) from = "contacts NOT INDEXED";
  TANDEM_ASSIGN(auto stmt, sql.Prepare(ctx_.conn, kColumns, from, p.sort_key, q.dir, limit));
  return ReadPage<Contact>(stmt, limit, rows::ReadContact<Stmt>,
                           [&](const Contact& c) { return ContactSortKey(q.sort, c); });
}

}  // namespace tandem::store::sqlite

namespace tandem::store::sqlite {

// One prepared statement per table reused for every row; references checked once per distinct
// id; the search rows follow each insert as in Insert (see 0001_init.sql for why not by
// trigger), or in bulk mode are built by WriteBulk at the end; the row count is bumped once.
Result<void> SqliteContactRepo::InsertMany(std::vector<Contact>& contacts) {
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
  const bool bulk = ctx_.InBulk();
  for (Contact& c : contacts) {
    TANDEM_ASSIGN(auto stmt,
                  ctx_.conn.Prepare("INSERT INTO contacts (email, first_name, last_name, phone, "
                                    "title, company_id, owner_id, stage, stage_entered_at, "
                                    "source, campaign, country, custom, created_at, updated_at) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    rows::BindContact(stmt, c);
    TANDEM_TRY(stmt.Run());
    c.id = ctx_.conn.LastInsertId();
    if (bulk) continue;
    TANDEM_ASSIGN(auto fts, ctx_.conn.Prepare("INSERT INTO contacts_fts (rowid, first_name, "
                                              "last_name, email, company) VALUES (?, ?, ?, ?, ?)"));
    static const std::string kNoCompany;
    const std::string& company = c.company_id ? company_names[*c.company_id] : kNoCompany;
    fts.Bind(c.id).Bind(c.first_name).Bind(c.last_name).Bind(c.email).Bind(company);
    TANDEM_TRY(fts.Run());
  }
  return AddToRowCount(ctx_.conn, "contacts", static_cast<std::int64_t>(contacts.size()));
}

Result<std::vector<Contact>> SqliteContactRepo::FindByEmails(
    const std::vector<std::string>& normalized_emails) {
  static const std::string sql =
      "SELECT " + std::string(kColumns) + " FROM contacts WHERE email = ?";
  std::vector<Contact> out;
  for (const std::string& email : normalized_emails) {
    TANDEM_ASSIGN(auto found, FindOne(ctx_.conn, sql.c_str(), email));
    if (found) out.push_back(std::move(*found));
  }
  return out;
}

}  // namespace tandem::store::sqlite
