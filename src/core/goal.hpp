// SMART goals: a metric, a target, a period and owners, and Tandem's check of each letter.
//
// The app measures what the check needs (the metric in comparable past periods, the stage
// rates of a trailing window); this file judges and says why, in words. Definitions and the
// thresholds chosen are in docs/analytics.md ("SMART goals").
//  * Specific: the metric and its scope (all contacts, or one source / campaign) are set and
//    at least one owner answers for it.
//  * Measurable: Tandem computes the metric itself (every metric offered is computable; the
//    letter says from what).
//  * Achievable: the target against the best of the comparable past periods (the same length,
//    back to back before the goal's start): achievable up to kStretch times that best; no
//    past data at all is "unknown: no data", never a division by zero.
//  * Realistic: each stage rate the goal plans against the measured rate of that step and its
//    Wilson 95% interval: unrealistic when a planned rate lies above the interval (better than
//    anything measured with 95% confidence); a step with nobody at its base is "no data".
//  * Time-bound: both dates set, the end not before the start, at most kMaxGoalDays long.
// Pure functions: no I/O, no clock.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/funnel.hpp"
#include "core/model.hpp"
#include "core/plan.hpp"
#include "core/time.hpp"

namespace tandem::core {

enum class GoalMetric : std::uint8_t {
  kRevenue,        // won deals' amounts, closed in the period, in the goal's currency
  kNewCustomers,   // contacts reaching customer in the period
  kMqls,           // contacts reaching mql (or later) in the period
  kSqls,           // ... sql
  kSals,           // ... sal
  kOpportunities,  // ... opportunity
  kLeads,          // ... lead
};
inline constexpr std::array<GoalMetric, 7> kAllGoalMetrics = {
    GoalMetric::kRevenue, GoalMetric::kNewCustomers,  GoalMetric::kMqls, GoalMetric::kSqls,
    GoalMetric::kSals,    GoalMetric::kOpportunities, GoalMetric::kLeads};
// "revenue", "new_customers", "mqls", "sqls", "sals", "opportunities", "leads".
std::string_view ToString(GoalMetric m);
std::optional<GoalMetric> GoalMetricFromString(std::string_view text);
// The main-path stage a count metric counts (kCustomer for new customers and revenue).
Stage MetricStage(GoalMetric m);

// The longest goal period accepted (two years).
inline constexpr std::int64_t kMaxGoalDays = 731;
// Achievable up to this many times the best comparable past period.
inline constexpr double kStretch = 1.2;
// How many comparable past periods Achievable looks at.
inline constexpr int kComparablePeriods = 4;

struct Goal {
  Id id = 0;
  std::string name;
  GoalMetric metric = GoalMetric::kRevenue;
  std::int64_t target = 0;  // minor units for revenue, a count otherwise
  std::string currency = "EUR";
  Date from{};  // first day (UTC)
  Date to{};    // last day, included
  std::vector<Id> owners;
  std::optional<std::string> source;    // scope: only contacts of this original source
  std::optional<std::string> campaign;  // scope: only contacts of this original campaign
  std::map<FunnelStep, double> rates;   // the plan's stage rates, each in (0, 1]
  Instant created_at{};
  Id created_by = 0;
};

// kInvalidArgument naming the field for the first bad one: name (empty or over 200), target
// (zero or negative), to (before from, or longer than kMaxGoalDays), rates.<step> outside
// (0, 1], currency (not three letters), owners (not positive ids, repeated).
Result<void> ValidateGoal(const Goal& g);

// The period's instants: [from 00:00 UTC, the day after `to` 00:00 UTC).
Instant GoalStart(const Goal& g);
Instant GoalEnd(const Goal& g);
std::int64_t GoalDays(const Goal& g);

enum class Verdict : std::uint8_t { kPass, kFail, kUnknown };
std::string_view ToString(Verdict v);  // "pass", "fail", "unknown"

struct LetterCheck {
  char letter = 'S';
  std::string name;  // "Specific" ...
  Verdict verdict = Verdict::kUnknown;
  std::string reason;
};

// What the app measured for the check.
struct SmartInputs {
  // The metric in each comparable past period, most recent first (start and value).
  std::vector<std::pair<Date, std::int64_t>> past;
  // Each step's measured cohort counts over the trailing window (base and passed).
  std::array<std::int64_t, kStepCount> base{};
  std::array<std::int64_t, kStepCount> passed{};
  Date today{};
};

struct SmartCheck {
  std::array<LetterCheck, 5> letters;
  bool smart = false;  // every letter passes
  std::string summary;
};

SmartCheck CheckSmart(const Goal& g, const SmartInputs& in);

// "12,500.00 EUR" for revenue, "320 MQLs" for counts.
std::string FormatGoalAmount(const Goal& g, std::int64_t value);

}  // namespace tandem::core
