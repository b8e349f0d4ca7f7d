// The weekly smarketing pack (docs/analytics.md, "The weekly pack"): one report value for an
// ISO week in the company's time zone, built from the other reports of the loop.
//
// The week runs from Monday 00:00 to the next Monday 00:00 local time in the zone of the
// default calendar of the contract version in force at the end of the week's Sunday (read as
// UTC), or UTC without a contract. Its blocks:
//  * goals: every goal whose period overlaps the week: the metric in the week, to date (from
//    the goal's start to the end of the week), what an even spread expects by then
//    (ceil(target x days elapsed / period days)) and the pace; next week's targets
//    (core::ComputeNextWeekTargets) for goals that run into next week;
//  * funnel: the cohort funnel of the week, judged against the planned rates of the first goal
//    (lowest id) that plans any, with its broken step in words (AnalyticsService::Funnel);
//  * sla: SLA compliance per rep and marketing's quota and quality (ComplianceService);
//  * rejections: the week's top reasons (up to kTopReasons) and the per-campaign figures
//    (FeedbackService, by campaign);
//  * campaigns: the best campaigns by attributed pipeline (linear model, deals created in the
//    week and open now; up to kTopCampaigns, most pipeline first, then revenue, then key);
//  * actions: core::SuggestActions over the findings.
// The week's data is what the base holds when the pack is built (deals "open now").
// Access: every signed-in user reads the pack; the SLA block follows ComplianceService's rules
// (a sales rep sees their own row only). Thread-safety: safe to share.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/analytics.hpp"
#include "app/attribution.hpp"
#include "app/compliance.hpp"
#include "app/feedback.hpp"
#include "base/clock.hpp"
#include "core/goal.hpp"
#include "core/weekly_pack.hpp"
#include "store/store.hpp"

namespace tandem::app {

struct WeeklyGoal {
  core::Goal goal;
  std::int64_t in_week = 0;   // the metric in the week (minor units for revenue)
  std::int64_t to_date = 0;   // from the goal's start to the end of the week
  std::int64_t expected = 0;  // by the end of the week on an even spread
  std::optional<double> pace;
  core::Date as_of{};  // the last day counted (the Sunday, or the goal's end)
  std::optional<core::NextWeekTargets> next;  // none when the goal ends this week
};

struct WeeklyPack {
  core::IsoWeek week;
  core::Date monday{};
  core::Date sunday{};
  core::Instant start{};
  core::Instant end{};  // exclusive: the next Monday 00:00 local
  core::Instant generated_at{};
  std::string time_zone;
  bool has_data = false;
  std::string summary;  // "no data: ..." or how many actions
  std::vector<WeeklyGoal> goals;
  std::optional<core::Id> plan_goal_id;  // whose planned rates judge the funnel
  FunnelReport funnel;
  ComplianceView sla;
  FeedbackReport feedback;
  std::vector<core::ReasonFigures> top_reasons;
  AttributionReport attribution;
  std::vector<core::AttributionRow> best_campaigns;
  std::vector<core::Action> actions;
};

class WeeklyReportService {
 public:
  static constexpr std::size_t kTopReasons = 5;
  static constexpr std::size_t kTopCampaigns = 5;

  WeeklyReportService(store::Store& store, const base::Clock& clock, AnalyticsService& analytics,
                      ComplianceService& compliance, FeedbackService& feedback,
                      AttributionService& attribution)
      : store_(store),
        clock_(clock),
        analytics_(analytics),
        compliance_(compliance),
        feedback_(feedback),
        attribution_(attribution) {}

  // The pack of `week`; errors of the reports it reads pass through.
  core::Result<WeeklyPack> Build(const core::Principal& p, core::IsoWeek week);

 private:
  store::Store& store_;
  const base::Clock& clock_;
  AnalyticsService& analytics_;
  ComplianceService& compliance_;
  FeedbackService& feedback_;
  AttributionService& attribution_;
};

}  // namespace tandem::app
