// The reverse-funnel planner: from a revenue target back to the volumes each stage must reach.
//
// Inputs are plain values (the app measures the ones the user does not give): a revenue target
// and an average deal size in minor units, one conversion rate per step of the main path, the
// median time each step takes, and the period. The plan states, for every stage from visits to
// won deals, how many are needed, an even per-week (or per-month) schedule, and which team owns
// the number: marketing owns visits, leads and MQLs; sales owns SALs onwards.
//
// Rounding (stated in docs/analytics.md): every stage is rounded UP, from deals backwards
// (deals = ceil(revenue / deal size); each earlier stage = ceil(next stage / rate)), so a
// plan never asks for a fraction of a person and never falls short. The per-period target is
// ceil(total / periods); each period gets that much until the total is reached, so the last
// period takes what remains.
// Pure functions: no I/O, no clock.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/lifecycle.hpp"
#include "core/time.hpp"

namespace tandem::core {

// The six steps of the main path, each from one stage to the next.
enum class FunnelStep : std::uint8_t {
  kVisitorLead,
  kLeadMql,
  kMqlSal,
  kSalSql,
  kSqlOpportunity,
  kOpportunityCustomer,
};
inline constexpr std::size_t kStepCount = 6;
inline constexpr std::array<FunnelStep, kStepCount> kAllSteps = {
    FunnelStep::kVisitorLead, FunnelStep::kLeadMql,        FunnelStep::kMqlSal,
    FunnelStep::kSalSql,      FunnelStep::kSqlOpportunity, FunnelStep::kOpportunityCustomer};

// The stages of the main path in order (visitor .. customer); a step i goes from
// kMainStages[i] to kMainStages[i + 1].
inline constexpr std::size_t kMainStageCount = 7;
inline constexpr std::array<Stage, kMainStageCount> kMainStages = {
    Stage::kVisitor, Stage::kLead,        Stage::kMql,     Stage::kSal,
    Stage::kSql,     Stage::kOpportunity, Stage::kCustomer};

// "visitor_lead", "lead_mql", "mql_sal", "sal_sql", "sql_opportunity", "opportunity_customer".
std::string_view ToString(FunnelStep s);
// Also accepts the short forms "visit_lead", "sql_opp", "opp_won" and "opportunity_won".
std::optional<FunnelStep> FunnelStepFromString(std::string_view text);
// "MQL -> SQL" style label for sentences.
std::string StepLabel(FunnelStep s);
inline std::size_t Index(FunnelStep s) {
  return static_cast<std::size_t>(s);
}

enum class PlanGranularity : std::uint8_t { kWeek, kMonth };
std::string_view ToString(PlanGranularity g);
std::optional<PlanGranularity> PlanGranularityFromString(std::string_view text);

// Which team owns a stage's number.
enum class PlanOwner : std::uint8_t { kMarketing, kSales };
std::string_view ToString(PlanOwner o);

struct PlanInput {
  std::int64_t revenue_minor = 0;    // the target, in minor units (cents)
  std::int64_t deal_size_minor = 0;  // the average won deal, in minor units
  std::string currency = "EUR";
  std::array<double, kStepCount> rates{};  // each in (0, 1]
  // Median days each step takes (entering the stage to entering the next); 0 when unknown.
  std::array<double, kStepCount> median_days{};
  Date from{};  // first day of the period
  Date to{};    // last day of the period (inclusive)
  PlanGranularity granularity = PlanGranularity::kWeek;
};

// One period of a stage's schedule: `target` to reach between `start` and `end` (inclusive).
struct PlanBucket {
  Date start{};
  Date end{};
  std::int64_t target = 0;
};

struct PlanStage {
  Stage stage = Stage::kVisitor;  // kCustomer stands for won deals
  std::string name;  // "visits", "leads", "mqls", "sals", "sqls", "opportunities", "deals"
  PlanOwner owner = PlanOwner::kMarketing;
  double exact = 0;                 // before rounding
  std::int64_t needed = 0;          // rounded up
  std::int64_t per_period = 0;      // ceil(needed / periods)
  std::int64_t lead_days = 0;       // how many days earlier than the deals this stage must happen
  std::vector<PlanBucket> buckets;  // the schedule, shifted earlier by lead_days
};

struct Plan {
  PlanInput input;
  std::int64_t periods = 0;                       // weeks (or months) in the period
  std::array<PlanStage, kMainStageCount> stages;  // visits first, deals last
};

// Checks every input; kInvalidArgument naming the field ("revenue", "deal_size", "to",
// "rates.mql_sal", "median_days.sal_sql") for the first bad one.
Result<void> ValidatePlanInput(const PlanInput& in);

// The plan; fails as ValidatePlanInput does.
Result<Plan> BuildPlan(const PlanInput& in);

// ceil(x) that ignores the last bits of floating-point noise (100 / 0.2 is 500, not 501).
std::int64_t CeilCount(double x);

}  // namespace tandem::core
