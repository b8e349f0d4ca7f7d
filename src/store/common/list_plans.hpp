// What a contact, company, deal or activity list asks of the tables, the same on every backend: the
// query checked, its filters as SQL conditions over the schema both backends share (the same tables
// and columns), the sort column and the cursor's key. Each backend then decides how to reach
// the rows: SQLite picks the index to walk and whether the full-text index drives
// (store/sqlite/list_plan.hpp); PostgreSQL leaves that to its planner.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/model.hpp"
#include "core/query.hpp"
#include "store/common/list_sql.hpp"

namespace tandem::store {

// One condition with its values (`?` per value).
struct ListCondition {
  std::string sql;
  std::vector<SqlValue> values;
};

// An equality filter and the index (filter, created_at, id) that serves it.
struct ListFilter {
  std::string index;
  ListCondition condition;
};

struct ContactListPlan {
  int limit = core::kDefaultPageSize;  // clamped
  std::string sort_key;                // the column
  std::string sort_index;              // the index walking that column (SQLite names)
  bool integer_sort = true;
  // The equality filters present, most selective first (company, owner, campaign, source,
  // stage).
  std::vector<ListFilter> filters;
  // The cursor's key (decoded for an integer sort) and id, when paging on.
  std::optional<std::pair<SqlValue, core::Id>> after;
  // created_at >= ? and created_at < ?, when asked.
  std::vector<ListCondition> created;
  // The funnel's reach (over contact_reach: r0 visitor .. r6 customer), without the table.
  std::optional<ListCondition> reach;
  // The period view's moves out of a stage (over stage_history: at, from_stage, to_stage),
  // without the table: the rows of one contact's history that make it match.
  std::optional<ListCondition> moved_out;
  // Persona: a condition over contacts (EXISTS over contact_scores and personas).
  std::optional<ListCondition> persona;
};

// Checks `q` (unowned with an owner, the cursor, the reach and move filters: kInvalidArgument
// naming the field) and plans it.
core::Result<ContactListPlan> PlanContactList(const core::ContactQuery& q);
// The cursor key of `c` in the order `sort`.
std::string ContactSortKey(core::ContactSort sort, const core::Contact& c);

struct CompanyListPlan {
  int limit = core::kDefaultPageSize;
  bool by_name = true;
  std::string sort_key;             // "name" or "created_at"
  std::string sort_index;           // SQLite index names
  std::vector<ListFilter> filters;  // owner, industry, country
  std::optional<std::pair<SqlValue, core::Id>> after;
};

core::Result<CompanyListPlan> PlanCompanyList(const core::CompanyQuery& q);
std::string CompanySortKey(const CompanyListPlan& plan, const core::Company& c);

struct DealListPlan {
  int limit = core::kDefaultPageSize;
  std::string sort_key;  // created_at, amount_minor or the close key
  // The filters (stage, owner, contact, company) and the expected-close range.
  std::vector<ListCondition> conditions;
  std::optional<std::pair<SqlValue, core::Id>> after;
};

// `close_key` is the backend's expression for "expected close, '' when none", the one its index
// deals_by_close is built on (SQLite ifnull(...), PostgreSQL coalesce(...)). Checks the cursor.
core::Result<DealListPlan> PlanDealList(const core::DealQuery& q, const std::string& close_key);
std::string DealSortKey(core::DealSort sort, const core::Deal& d);

struct ActivityListPlan {
  int limit = core::kDefaultPageSize;
  std::vector<ListCondition> filters;                  // contact, deal, owner, type
  std::optional<std::pair<SqlValue, core::Id>> after;  // on occurred_at
  std::vector<ListCondition> range;                    // occurred_at from / to
};

core::Result<ActivityListPlan> PlanActivityList(const core::ActivityQuery& q);

}  // namespace tandem::store
