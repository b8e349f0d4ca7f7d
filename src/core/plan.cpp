#include "core/plan.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include <date/date.h>

namespace tandem::core {

namespace {

constexpr std::array<std::string_view, kStepCount> kStepNames = {
    "visitor_lead", "lead_mql", "mql_sal", "sal_sql", "sql_opportunity", "opportunity_customer"};
constexpr std::array<std::string_view, kMainStageCount> kStageLabels = {
    "Visitor", "Lead", "MQL", "SAL", "SQL", "Opportunity", "Customer"};
constexpr std::array<std::string_view, kMainStageCount> kPlanNames = {
    "visits", "leads", "mqls", "sals", "sqls", "opportunities", "deals"};

// Whole months from `from`'s month to `to`'s month, both counted.
std::int64_t MonthsSpanned(Date from, Date to) {
  const date::year_month_day a{from};
  const date::year_month_day b{to};
  return (static_cast<int>(b.year()) - static_cast<int>(a.year())) * 12 +
         (static_cast<int>(static_cast<unsigned>(b.month())) -
          static_cast<int>(static_cast<unsigned>(a.month()))) +
         1;
}

// The periods of [from, to]: weeks starting on `from`, or calendar months, the last one (and
// for months the first one) clipped to the period.
std::vector<std::pair<Date, Date>> Periods(Date from, Date to, PlanGranularity g) {
  std::vector<std::pair<Date, Date>> out;
  if (g == PlanGranularity::kWeek) {
    for (Date s = from; s <= to; s += date::days{7}) {
      out.emplace_back(s, std::min(to, s + date::days{6}));
    }
    return out;
  }
  Date s = from;
  while (s <= to) {
    const date::year_month_day ymd{s};
    const Date next = date::sys_days{(ymd.year() / ymd.month() / 1) + date::months{1}};
    out.emplace_back(s, std::min(to, next - date::days{1}));
    s = next;
  }
  return out;
}

}  // namespace

std::string_view ToString(FunnelStep s) {
  return kStepNames[Index(s)];
}

std::optional<FunnelStep> FunnelStepFromString(std::string_view text) {
  for (FunnelStep s : kAllSteps) {
    if (ToString(s) == text) return s;
  }
  if (text == "visit_lead") return FunnelStep::kVisitorLead;
  if (text == "sql_opp") return FunnelStep::kSqlOpportunity;
  if (text == "opp_won" || text == "opportunity_won") return FunnelStep::kOpportunityCustomer;
  return std::nullopt;
}

std::string StepLabel(FunnelStep s) {
  const std::size_t i = Index(s);
  return std::string(kStageLabels[i]) + " -> " + std::string(kStageLabels[i + 1]);
}

std::string_view ToString(PlanGranularity g) {
  return g == PlanGranularity::kWeek ? "week" : "month";
}

std::optional<PlanGranularity> PlanGranularityFromString(std::string_view text) {
  if (text == "week") return PlanGranularity::kWeek;
  if (text == "month") return PlanGranularity::kMonth;
  return std::nullopt;
}

std::string_view ToString(PlanOwner o) {
  return o == PlanOwner::kMarketing ? "marketing" : "sales";
}

std::int64_t CeilCount(double x) {
  // Rates like 0.2 are not exact in binary; a quotient a hair above a whole number is that
  // number, not the next one.
  const double nearest = std::round(x);
  if (std::fabs(x - nearest) <= 1e-9 * std::max(1.0, std::fabs(x))) {
    return static_cast<std::int64_t>(nearest);
  }
  return static_cast<std::int64_t>(std::ceil(x));
}

Result<void> ValidatePlanInput(const PlanInput& in) {
  if (in.revenue_minor <= 0) {
    return Fail(Error::Invalid("revenue", "revenue must be a positive amount"));
  }
  if (in.deal_size_minor <= 0) {
    return Fail(Error::Invalid("deal_size", "deal_size must be a positive amount"));
  }
  if (in.to < in.from) {
    return Fail(Error::Invalid(
        "to", "to (" + FormatDate(in.to) + ") is before from (" + FormatDate(in.from) + ")"));
  }
  for (FunnelStep s : kAllSteps) {
    const double r = in.rates[Index(s)];
    if (!(r > 0.0 && r <= 1.0)) {
      const std::string field = "rates." + std::string(ToString(s));
      return Fail(Error::Invalid(field, field + " must be in (0, 1], got " + std::to_string(r)));
    }
    const double d = in.median_days[Index(s)];
    if (!(d >= 0.0) || d > 3650.0) {
      const std::string field = "median_days." + std::string(ToString(s));
      return Fail(Error::Invalid(field, field + " must be between 0 and 3650 days"));
    }
  }
  return {};
}

Result<Plan> BuildPlan(const PlanInput& in) {
  TANDEM_TRY(ValidatePlanInput(in));
  Plan plan;
  plan.input = in;
  const auto periods = Periods(in.from, in.to, in.granularity);
  plan.periods = static_cast<std::int64_t>(periods.size());
  if (in.granularity == PlanGranularity::kMonth && plan.periods != MonthsSpanned(in.from, in.to)) {
    return Fail(Error::Internal("month periods miscounted"));
  }

  // Backwards from deals: each stage rounded up before the next division.
  std::array<double, kMainStageCount> exact{};
  std::array<std::int64_t, kMainStageCount> needed{};
  exact[kMainStageCount - 1] =
      static_cast<double>(in.revenue_minor) / static_cast<double>(in.deal_size_minor);
  needed[kMainStageCount - 1] =
      (in.revenue_minor + in.deal_size_minor - 1) / in.deal_size_minor;  // exact integer ceil
  for (std::size_t i = kMainStageCount - 1; i-- > 0;) {
    exact[i] = static_cast<double>(needed[i + 1]) / in.rates[i];
    needed[i] = CeilCount(exact[i]);
  }

  // A stage must happen before the deals by the median time of every step after it.
  std::array<double, kMainStageCount> lead_days{};
  for (std::size_t i = kMainStageCount - 1; i-- > 0;) {
    lead_days[i] = lead_days[i + 1] + in.median_days[i];
  }

  for (std::size_t i = 0; i < kMainStageCount; ++i) {
    PlanStage& st = plan.stages[i];
    st.stage = kMainStages[i];
    st.name = std::string(kPlanNames[i]);
    st.owner = i <= 2 ? PlanOwner::kMarketing : PlanOwner::kSales;
    st.exact = exact[i];
    st.needed = needed[i];
    st.per_period = (needed[i] + plan.periods - 1) / plan.periods;
    st.lead_days = static_cast<std::int64_t>(std::ceil(lead_days[i] - 1e-9));
    std::int64_t left = st.needed;
    const date::days shift{st.lead_days};
    for (const auto& [s, e] : periods) {
      const std::int64_t t = std::min(left, st.per_period);
      left -= t;
      st.buckets.push_back({s - shift, e - shift, t});
    }
  }
  return plan;
}

}  // namespace tandem::core
