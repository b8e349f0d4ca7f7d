#include "store/common/list_plans.hpp"

#include <algorithm>

#include "core/plan.hpp"

namespace tandem::store {

using core::ContactSort;
using core::Error;
using core::Fail;
using core::ToMillis;

namespace {

core::Result<ListCondition> ReachCondition(const core::ReachFilter& f) {
  const auto* at = std::find(core::kMainStages.begin(), core::kMainStages.end(), f.stage);
  if (at == core::kMainStages.end()) {
    return Fail(Error::Invalid("reached", "must be a main-path stage (visitor .. customer)"));
  }
  const auto k = static_cast<std::size_t>(at - core::kMainStages.begin());
  if (f.to <= f.from) return Fail(Error::Invalid("reached_to", "must be after reached_from"));
  const std::string r = "r" + std::to_string(k);
  ListCondition c;
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

// "?, ?, ..." for `names`, appended to `values`.
std::string InList(const std::vector<std::string>& names, std::vector<SqlValue>& values) {
  std::string out;
  for (const auto& n : names) {
    out += out.empty() ? "?" : ", ?";
    values.emplace_back(n);
  }
  return out;
}

// The period view's step out of main-path stage k, as the funnel counts it over the period's
// stage changes (store/sqlite/analytics_repo.cpp): a change passes the step when it enters a
// later main-path stage from stage k or an earlier one, or from recycled (which re-enters at
// mql) when k is mql or later; it drops at the step when it goes from stage k to recycled or
// disqualified. A contact's first stage (no from) is no move.
core::Result<ListCondition> MoveCondition(const core::MoveFilter& f) {
  const auto* at = std::find(core::kMainStages.begin(), core::kMainStages.end(), f.stage);
  if (at == core::kMainStages.end() || at + 1 == core::kMainStages.end()) {
    return Fail(Error::Invalid(
        "moved_out", "must be a main-path stage with a next one (visitor .. opportunity)"));
  }
  if (f.to <= f.from) {
    return Fail(Error::Invalid("moved_out_to", "must be after moved_out_from"));
  }
  const auto k = static_cast<std::size_t>(at - core::kMainStages.begin());
  constexpr std::size_t kMql = 2;
  static_assert(core::kMainStages[kMql] == core::Stage::kMql);
  std::vector<std::string> earlier, later;
  for (std::size_t n = 0; n < core::kMainStageCount; ++n) {
    (n <= k ? earlier : later).emplace_back(ToString(core::kMainStages[n]));
  }
  if (k >= kMql) earlier.emplace_back(ToString(core::Stage::kRecycled));
  ListCondition forward;
  forward.sql = "from_stage IN (" + InList(earlier, forward.values) + ") AND to_stage IN (";
  forward.sql += InList(later, forward.values) + ")";
  ListCondition dropped{"from_stage = ? AND to_stage IN (", {std::string(ToString(f.stage))}};
  dropped.sql += InList({std::string(ToString(core::Stage::kRecycled)),
                         std::string(ToString(core::Stage::kDisqualified))},
                        dropped.values) +
                 ")";
  ListCondition c{"at >= ? AND at < ? AND ", {ToMillis(f.from), ToMillis(f.to)}};
  auto add = [&](const ListCondition& part) {
    c.values.insert(c.values.end(), part.values.begin(), part.values.end());
  };
  switch (f.way) {
    case core::MoveWay::kForward:
      c.sql += forward.sql;
      add(forward);
      break;
    case core::MoveWay::kDropped:
      c.sql += dropped.sql;
      add(dropped);
      break;
    case core::MoveWay::kAny:
      c.sql += "((" + forward.sql + ") OR (" + dropped.sql + "))";
      add(forward);
      add(dropped);
      break;
  }
  return c;
}

core::Result<std::optional<std::pair<SqlValue, core::Id>>> After(const core::PageRequest& page,
                                                                 bool integer) {
  if (!page.after) return std::optional<std::pair<SqlValue, core::Id>>();
  SqlValue key = page.after->key;
  if (integer) {
    TANDEM_ASSIGN(key, IntegerCursorKey(*page.after));
  }
  return std::optional<std::pair<SqlValue, core::Id>>(std::pair{std::move(key), page.after->id});
}

}  // namespace

core::Result<ContactListPlan> PlanContactList(const core::ContactQuery& q) {
  if (q.unowned && q.owner_id) {
    return Fail(Error::Invalid("unowned", "cannot be combined with an owner_id"));
  }
  ContactListPlan plan;
  plan.limit = ClampLimit(q.page.limit);
  switch (q.sort) {
    case ContactSort::kCreatedAt:
      plan.sort_key = "created_at", plan.sort_index = "contacts_by_created";
      break;
    case ContactSort::kUpdatedAt:
      plan.sort_key = "updated_at", plan.sort_index = "contacts_by_updated";
      break;
    case ContactSort::kEmail:
      plan.sort_key = "email", plan.sort_index = "contacts_by_email";
      plan.integer_sort = false;
      break;
    case ContactSort::kLastName:
      plan.sort_key = "last_name", plan.sort_index = "contacts_by_last_name";
      plan.integer_sort = false;
      break;
  }
  auto filter = [&](const char* index, std::string sql, std::vector<SqlValue> values) {
    plan.filters.push_back({index, {std::move(sql), std::move(values)}});
  };
  if (q.company_id) filter("contacts_by_company", "company_id = ?", {*q.company_id});
  if (q.owner_id) filter("contacts_by_owner", "owner_id = ?", {*q.owner_id});
  if (q.unowned) filter("contacts_by_owner", "owner_id IS NULL", {});
  if (q.campaign) filter("contacts_by_campaign", "campaign = ?", {*q.campaign});
  if (q.source) filter("contacts_by_source", "source = ?", {*q.source});
  if (q.stage) filter("contacts_by_stage", "stage = ?", {std::string(ToString(*q.stage))});
  TANDEM_ASSIGN(plan.after, After(q.page, plan.integer_sort));
  if (q.created_from) plan.created.push_back({"created_at >= ?", {ToMillis(*q.created_from)}});
  if (q.created_to) plan.created.push_back({"created_at < ?", {ToMillis(*q.created_to)}});
  if (q.reached) {
    TANDEM_ASSIGN(plan.reach, ReachCondition(*q.reached));
  }
  if (q.moved_out) {
    TANDEM_ASSIGN(plan.moved_out, MoveCondition(*q.moved_out));
  }
  // Persona (the funnel's persona breakdown): looked up per row walked, by the score's key.
  if (q.persona && !q.persona->empty()) {
    plan.persona = ListCondition{
        "EXISTS (SELECT 1 FROM contact_scores s JOIN personas p ON p.id = s.persona_id "
        "WHERE s.contact_id = contacts.id AND p.key = ?)",
        {*q.persona}};
  } else if (q.persona) {
    plan.persona = ListCondition{
        "NOT EXISTS (SELECT 1 FROM contact_scores s WHERE s.contact_id = contacts.id AND "
        "s.persona_id IS NOT NULL)",
        {}};
  }
  return plan;
}

std::string ContactSortKey(ContactSort sort, const core::Contact& c) {
  switch (sort) {
    case ContactSort::kCreatedAt: return std::to_string(ToMillis(c.created_at));
    case ContactSort::kUpdatedAt: return std::to_string(ToMillis(c.updated_at));
    case ContactSort::kEmail: return c.email;
    case ContactSort::kLastName: return c.last_name;
  }
  return {};
}

core::Result<CompanyListPlan> PlanCompanyList(const core::CompanyQuery& q) {
  CompanyListPlan plan;
  plan.limit = ClampLimit(q.page.limit);
  plan.by_name = q.sort == core::CompanySort::kName;
  plan.sort_key = plan.by_name ? "name" : "created_at";
  plan.sort_index = plan.by_name ? "companies_by_name" : "companies_by_created";
  auto filter = [&](const char* index, std::string sql, SqlValue value) {
    plan.filters.push_back({index, {std::move(sql), {std::move(value)}}});
  };
  if (q.owner_id) filter("companies_by_owner", "owner_id = ?", *q.owner_id);
  if (q.industry) filter("companies_by_industry", "industry = ?", *q.industry);
  if (q.country) filter("companies_by_country", "country = ?", *q.country);
  TANDEM_ASSIGN(plan.after, After(q.page, !plan.by_name));
  return plan;
}

std::string CompanySortKey(const CompanyListPlan& plan, const core::Company& c) {
  return plan.by_name ? c.name : std::to_string(ToMillis(c.created_at));
}

core::Result<DealListPlan> PlanDealList(const core::DealQuery& q, const std::string& close_key) {
  DealListPlan plan;
  plan.limit = ClampLimit(q.page.limit);
  auto where = [&](std::string sql, SqlValue value) {
    plan.conditions.push_back({std::move(sql), {std::move(value)}});
  };
  if (q.stage) where("stage = ?", std::string(ToString(*q.stage)));
  if (q.owner_id) where("owner_id = ?", *q.owner_id);
  if (q.contact_id) where("contact_id = ?", *q.contact_id);
  if (q.company_id) where("company_id = ?", *q.company_id);
  if (q.close_from) where(close_key + " >= ?", core::FormatDate(*q.close_from));
  if (q.close_to) {
    where(close_key + " > '' AND " + close_key + " <= ?", core::FormatDate(*q.close_to));
  }
  switch (q.sort) {
    case core::DealSort::kCreatedAt: plan.sort_key = "created_at"; break;
    case core::DealSort::kAmount: plan.sort_key = "amount_minor"; break;
    case core::DealSort::kExpectedClose: plan.sort_key = close_key; break;
  }
  if (q.sort == core::DealSort::kExpectedClose && q.page.after) {
    if (!q.page.after->key.empty() && !core::ParseDate(q.page.after->key)) {
      return Fail(Error::Invalid("cursor", "is not a cursor of this list"));
    }
    plan.after = std::pair<SqlValue, core::Id>{q.page.after->key, q.page.after->id};
  } else {
    TANDEM_ASSIGN(plan.after, After(q.page, true));
  }
  return plan;
}

std::string DealSortKey(core::DealSort sort, const core::Deal& d) {
  switch (sort) {
    case core::DealSort::kCreatedAt: return std::to_string(ToMillis(d.created_at));
    case core::DealSort::kAmount: return std::to_string(d.amount_minor);
    case core::DealSort::kExpectedClose:
      return d.expected_close ? core::FormatDate(*d.expected_close) : std::string();
  }
  return {};
}

core::Result<ActivityListPlan> PlanActivityList(const core::ActivityQuery& q) {
  ActivityListPlan plan;
  plan.limit = ClampLimit(q.page.limit);
  auto filter = [&](std::string sql, SqlValue value) {
    plan.filters.push_back({std::move(sql), {std::move(value)}});
  };
  if (q.contact_id) filter("contact_id = ?", *q.contact_id);
  if (q.deal_id) filter("deal_id = ?", *q.deal_id);
  if (q.owner_id) filter("owner_id = ?", *q.owner_id);
  if (q.type) filter("type = ?", std::string(ToString(*q.type)));
  TANDEM_ASSIGN(plan.after, After(q.page, true));
  if (q.from) plan.range.push_back({"occurred_at >= ?", {ToMillis(*q.from)}});
  if (q.to) plan.range.push_back({"occurred_at < ?", {ToMillis(*q.to)}});
  return plan;
}

}  // namespace tandem::store
