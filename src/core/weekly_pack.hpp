// The weekly smarketing pack's pure parts (docs/analytics.md, "The weekly pack"): ISO weeks,
// next week's targets from a goal's plan, and the suggested actions drawn from the week's
// findings by explicit rules.
//
// Suggested action rules, applied in this order (each may give several actions):
//  1. broken step: the funnel's broken step (below plan with 95% confidence, most revenue
//     first) -> "Fix <step>: <the funnel's figures>" (its sentence without "<step> is the
//     broken step: ").
//  2. goal behind pace: a goal whose actual by the end of the week is under
//     kBehindPace (90%) of what an even spread expects by then -> "Goal '<name>' is at N% of
//     its pace: <actual> of <expected> expected by <day>".
//  3. rep with breached first touches: each rep with at least one missed first-touch clock in
//     the week -> "Coach <rep>: N of M first touches missed (share on time)". At most
//     kMaxListed reps, those with the most missed clocks (then the lower share on time, then
//     the name); when more missed, one more action says how many more and where to see them.
//  4. marketing under quota: MQL attainment under 100% of the pro-rated quota -> "Marketing
//     handed over N MQLs against E expected (A%)"; each quality share under its minimum ->
//     "MQL quality: X% graded A or B against the minimum M%" (persona likewise).
//  5. campaign with a high rejection share: each campaign with at least kMinDispositions (5)
//     dispositions and rejections at or above kHighRejection (40%) of them -> "Review
//     '<campaign>' with sales: R% of its N leads rejected, mostly '<reason>'". At most
//     kMaxListed, the highest rejection shares first (then the most dispositions, the name),
//     and one more action for the rest. A meeting works through a handful of actions; at a
//     hundred reps a list of every rep who missed a clock is a report, not an agenda.
// No finding, no action: the list is then empty and the pack says "nothing to act on".
// Pure functions: no I/O, no clock. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/plan.hpp"
#include "core/time.hpp"

namespace tandem::core {

inline constexpr double kBehindPace = 0.9;
inline constexpr std::int64_t kMinDispositions = 5;
inline constexpr double kHighRejection = 0.4;
inline constexpr std::size_t kMaxListed = 5;

struct IsoWeek {
  int year = 0;
  unsigned week = 0;  // 1..52 or 53
  friend bool operator==(const IsoWeek&, const IsoWeek&) = default;
};

// "2026-W48" exactly (4-digit year, "W", 2-digit week that exists in that ISO year);
// kInvalidArgument on field "week" otherwise.
Result<IsoWeek> ParseIsoWeek(std::string_view text);
std::string FormatIsoWeek(IsoWeek w);
// The Monday of the ISO week, and the ISO week of a day.
Date MondayOf(IsoWeek w);
IsoWeek IsoWeekOf(Date d);

// The findings the rules read, gathered by the app from the week's reports.
struct GoalFinding {
  std::string name;
  std::int64_t actual = 0;    // by the end of the week (minor units for revenue)
  std::int64_t expected = 0;  // by then on an even spread
  bool money = false;
  std::string currency;
  Date as_of{};  // the last day counted
};
struct RepFinding {
  std::string rep;  // email
  std::int64_t missed = 0;
  std::int64_t decided = 0;  // on time + missed
};
struct CampaignFinding {
  std::string campaign;
  std::int64_t dispositions = 0;
  std::int64_t rejected = 0;
  std::string top_reason;  // label of the most frequent reason
};
struct WeekFindings {
  std::optional<std::string> broken_step;  // the step's name ("MQL -> SAL")
  std::string broken_sentence;
  std::vector<GoalFinding> goals;
  std::vector<RepFinding> reps;
  std::int64_t mqls = 0;
  std::optional<double> expected_mqls;
  std::optional<double> grade_ab_share;
  std::optional<int> min_grade_ab_percent;
  std::optional<double> persona_share;
  std::optional<int> min_persona_match_percent;
  std::vector<CampaignFinding> campaigns;
};

struct Action {
  std::string rule;  // "broken_step", "goal_behind_pace", "rep_first_touch", "mql_quota",
                     // "mql_quality", "campaign_rejections"
  std::string text;
};

std::vector<Action> SuggestActions(const WeekFindings& f);

// Next week's targets of a goal: the metric's share of what remains, then earlier stages by
// the goal's planned rates, rounded up at every stage (the planner's rule).
struct StageTarget {
  Stage stage = Stage::kLead;
  std::int64_t target = 0;
};
struct NextWeekTargets {
  std::int64_t metric = 0;          // minor units for revenue
  std::vector<StageTarget> stages;  // from the metric's stage (or deals) back to lead
  std::string note;                 // how it was computed, or why it stops
};
// `remaining` = target - actual so far (nothing left: 0 for every stage); `weeks_left` >= 1
// counts next week and every later week the goal runs into; `deal_size_minor` is needed to go
// from revenue to deals (none: the revenue figure only). `rates` are the goal's planned ones.
NextWeekTargets ComputeNextWeekTargets(Stage metric_stage, bool revenue, std::int64_t remaining,
                                       std::int64_t weeks_left,
                                       std::optional<std::int64_t> deal_size_minor,
                                       const std::map<FunnelStep, double>& rates);

}  // namespace tandem::core
