#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "core/plan.hpp"
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

constexpr std::string_view kColumns =
    "id, email, first_name, last_name, phone, title, company_id, owner_id, stage, "
    "stage_entered_at, source, campaign, country, custom, created_at, updated_at";

constexpr const char* kWordsCall =
    "tandem_words_match(?, first_name, last_name, email, "
    "(SELECT name FROM companies WHERE companies.id = contacts.company_id))";

Result<Contact> ReadContact(const Stmt& s) {
  Contact c;
  c.id = s.Int(0);
  c.email = s.Text(1);
  c.first_name = s.Text(2);
  c.last_name = s.Text(3);
  c.phone = s.Text(4);
  c.title = s.Text(5);
  c.company_id = s.OptInt(6);
  c.owner_id = s.OptInt(7);
  TANDEM_ASSIGN(c.stage, StageFrom(s.TextView(8)));
  c.stage_entered_at = FromMillis(s.Int(9));
  c.source = s.Text(10);
  c.campaign = s.Text(11);
  c.country = s.Text(12);
  c.custom = core::DecodeCustomFields(s.TextView(13));
  c.created_at = FromMillis(s.Int(14));
  c.updated_at = FromMillis(s.Int(15));
  return c;
}

// Binds every column but id, in kColumns order.
void BindContact(Stmt& s, const Contact& c) {
  s.Bind(c.email)
      .Bind(c.first_name)
      .Bind(c.last_name)
      .Bind(c.phone)
      .Bind(c.title)
      .Bind(c.company_id)
      .Bind(c.owner_id)
      .Bind(ToString(c.stage))
      .Bind(ToMillis(c.stage_entered_at))
      .Bind(c.source)
      .Bind(c.campaign)
      .Bind(c.country)
      .Bind(core::EncodeCustomFields(c.custom))
      .Bind(ToMillis(c.created_at))
      .Bind(ToMillis(c.updated_at));
}

Result<std::optional<Contact>> FindOne(Connection& conn, const char* sql, const SqlValue& key) {
  TANDEM_ASSIGN(auto stmt, conn.Prepare(sql));
  if (const auto* id = std::get_if<std::int64_t>(&key)) {
    stmt.Bind(*id);
  } else {
    stmt.Bind(std::get<std::string>(key));
  }
  TANDEM_ASSIGN(bool row, stmt.Step());
  if (!row) return std::optional<Contact>();
  TANDEM_ASSIGN(auto c, ReadContact(stmt));
  return std::optional<Contact>(std::move(c));
}

struct SortSpec {
  std::string key;    // column
  std::string index;  // the index walking it
  bool integer;
};

SortSpec SpecOf(ContactSort sort) {
  switch (sort) {
    case ContactSort::kCreatedAt: return {"created_at", "contacts_by_created", true};
    case ContactSort::kUpdatedAt: return {"updated_at", "contacts_by_updated", true};
    case ContactSort::kEmail: return {"email", "contacts_by_email", false};
    case ContactSort::kLastName: return {"last_name", "contacts_by_last_name", false};
  }
  return {"created_at", "contacts_by_created", true};
}

std::string KeyOf(ContactSort sort, const Contact& c) {
  switch (sort) {
    case ContactSort::kCreatedAt: return std::to_string(ToMillis(c.created_at));
    case ContactSort::kUpdatedAt: return std::to_string(ToMillis(c.updated_at));
    case ContactSort::kEmail: return c.email;
    case ContactSort::kLastName: return c.last_name;
  }
  return {};
}

// The reach filter as a condition over contact_reach (columns r0 visitor .. r6 customer).
struct ReachCondition {
  std::string sql;
  std::vector<SqlValue> values;
};

Result<ReachCondition> ReachSql(const core::ReachFilter& f) {
  const auto* at = std::find(core::kMainStages.begin(), core::kMainStages.end(), f.stage);
  if (at == core::kMainStages.end()) {
    return Fail(Error::Invalid("reached", "must be a main-path stage (visitor .. customer)"));
  }
  const auto k = static_cast<std::size_t>(at - core::kMainStages.begin());
  if (f.to <= f.from) return Fail(Error::Invalid("reached_to", "must be after reached_from"));
  const std::string r = "r" + std::to_string(k);
  ReachCondition c;
  c.sql = r + " >= ? AND " + r + " < ?";
  c.values = {ToMillis(f.from), ToMillis(f.to)};
  if (f.converted) {
    if (k + 1 >= core::kMainStageCount) {
      return Fail(Error::Invalid("converted", "customer is the last stage: nothing follows it"));
    }
    const std::string next = "r" + std::to_string(k + 1);
    // As the funnel counts a pass: the next stage reached at most `window` after this one.
    c.sql += *f.converted ? " AND " + next + " IS NOT NULL AND " + next + " - " + r + " <= ?"
                          : " AND (" + next + " IS NULL OR " + next + " - " + r + " > ?)";
    c.values.emplace_back(static_cast<std::int64_t>(f.window.count()));
  }
  return c;
}

// Whether few enough contacts pass the reach condition for their ids to be collected and drive
// the list: the break-even of PlanList (sqrt((limit + 1) * rows) candidates), but never below
// kFewReached.
Result<bool> FewReached(Connection& conn, const ReachCondition& reach, int limit,
                        std::int64_t rows) {
  // At least kFewReached: reach sets are skewed in time (the customers of a period are old
  // contacts, far down a newest-first walk), and collecting that many ids costs less than
  // walking a million rows to find them.
  constexpr std::int64_t kFewReached = 50'000;
  const auto cap = std::max<std::int64_t>(
      kFewReached, static_cast<std::int64_t>(std::ceil(
                       std::sqrt(static_cast<double>(limit + 1) * static_cast<double>(rows)))));
  ListSql probe;
  probe.Where(reach.sql, reach.values);
  TANDEM_ASSIGN(auto stmt, probe.PrepareCountUpTo(conn, "contact_reach", cap + 1));
  TANDEM_ASSIGN(bool row, stmt.Step());
  return row && stmt.Int(0) <= cap;
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
  BindContact(stmt, c);
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
  BindContact(stmt, c);
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
  if (q.unowned && q.owner_id) {
    return Fail(Error::Invalid("unowned", "cannot be combined with an owner_id"));
  }
  const int limit = ClampLimit(q.page.limit);
  const SortSpec sort = SpecOf(q.sort);
  ListPlanInput plan;
  plan.table = "contacts";
  plan.fts_table = "contacts_fts";
  plan.words_call = kWordsCall;
  plan.sort_index = sort.index;
  plan.filters_follow_sort = q.sort == ContactSort::kCreatedAt;
  plan.limit = limit;
  TANDEM_ASSIGN(plan.rows, CountedRows(ctx_.conn, "contacts"));

  ListSql sql;
  // Each equality filter has an index (filter, created_at); the first present, in order of
  // usual selectivity, drives the plan.
  auto filter = [&](const char* index, std::string condition, std::vector<SqlValue> values) {
    if (!plan.driver_index) {
      plan.driver_index = index;
      plan.driver.Where(condition, values);
    }
    sql.Where(std::move(condition), std::move(values));
  };
  if (q.company_id) filter("contacts_by_company", "company_id = ?", {*q.company_id});
  if (q.owner_id) filter("contacts_by_owner", "owner_id = ?", {*q.owner_id});
  if (q.unowned) filter("contacts_by_owner", "owner_id IS NULL", {});
  if (q.campaign) filter("contacts_by_campaign", "campaign = ?", {*q.campaign});
  if (q.source) filter("contacts_by_source", "source = ?", {*q.source});
  if (q.stage) filter("contacts_by_stage", "stage = ?", {std::string(ToString(*q.stage))});
  // The two lists people keep open — a stage's queue and a rep's own contacts — also have
  // indexes ordered by last name and by last update (migration 0006), so those sorts walk in
  // order too when they are the only equality filters.
  if (!plan.filters_follow_sort && plan.driver_index &&
      (q.sort == ContactSort::kLastName || q.sort == ContactSort::kUpdatedAt)) {
    const int filters = (q.company_id ? 1 : 0) + (q.owner_id || q.unowned ? 1 : 0) +
                        (q.campaign ? 1 : 0) + (q.source ? 1 : 0) + (q.stage ? 1 : 0);
    const bool by_name = q.sort == ContactSort::kLastName;
    if (filters == 1 && *plan.driver_index == "contacts_by_stage") {
      plan.driver_index = by_name ? "contacts_by_stage_last_name" : "contacts_by_stage_updated";
      plan.filters_follow_sort = true;
    } else if (filters == 1 && *plan.driver_index == "contacts_by_owner") {
      plan.driver_index = by_name ? "contacts_by_owner_last_name" : "contacts_by_owner_updated";
      plan.filters_follow_sort = true;
    }
  }
  // The keyset bound goes before the created range: SQLite seeks with the first bound it
  // finds, and the cursor's is the tighter one on a deep page.
  if (q.page.after) {
    SqlValue key = q.page.after->key;
    if (sort.integer) {
      TANDEM_ASSIGN(key, IntegerCursorKey(*q.page.after));
    }
    sql.After(sort.key, q.dir, std::move(key), q.page.after->id);
  }
  if (!plan.driver_index && (q.created_from || q.created_to)) {
    plan.driver_index = "contacts_by_created";
  }
  if (q.created_from) {
    sql.Where("created_at >= ?", {ToMillis(*q.created_from)});
    if (plan.driver_index) plan.driver.Where("created_at >= ?", {ToMillis(*q.created_from)});
  }
  if (q.created_to) {
    sql.Where("created_at < ?", {ToMillis(*q.created_to)});
    if (plan.driver_index) plan.driver.Where("created_at < ?", {ToMillis(*q.created_to)});
  }
  // The funnel's click-through. Few contacts reaching the stage (the list planner's
  // break-even): their ids are collected once, and drive the list when no other filter or
  // search does. Many: each row walked is looked up in contact_reach by its key, so a page
  // stops after about limit matches instead of collecting hundreds of thousands of ids.
  std::optional<ReachCondition> reach;
  bool few_reached = false;
  if (q.reached) {
    TANDEM_ASSIGN(reach, ReachSql(*q.reached));
    TANDEM_ASSIGN(few_reached, FewReached(ctx_.conn, *reach, limit, plan.rows));
    sql.Where(few_reached ? "id IN (SELECT contact_id FROM contact_reach WHERE " + reach->sql + ")"
                          : "EXISTS (SELECT 1 FROM contact_reach WHERE contact_id = contacts.id "
                            "AND " +
                                reach->sql + ")",
              reach->values);
  }
  // Persona (the funnel's persona breakdown): looked up per row walked, by the score's key.
  if (q.persona && !q.persona->empty()) {
    sql.Where(
        "EXISTS (SELECT 1 FROM contact_scores s JOIN personas p ON p.id = s.persona_id "
        "WHERE s.contact_id = contacts.id AND p.key = ?)",
        {*q.persona});
  } else if (q.persona) {
    sql.Where(
        "NOT EXISTS (SELECT 1 FROM contact_scores s WHERE s.contact_id = contacts.id AND "
        "s.persona_id IS NOT NULL)");
  }
  const auto words = ctx_.words.SearchWords(q.text);
  const bool reach_drives = few_reached && words.empty() && !plan.driver_index;
  TANDEM_ASSIGN(std::string from, PlanList(ctx_.conn, words, plan, sql));
  if (reach_drives) from = "contacts NOT INDEXED";
  TANDEM_ASSIGN(auto stmt, sql.Prepare(ctx_.conn, kColumns, from, sort.key, q.dir, limit));
  return ReadPage<Contact>(stmt, limit, ReadContact,
                           [&](const Contact& c) { return KeyOf(q.sort, c); });
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
    BindContact(stmt, c);
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
