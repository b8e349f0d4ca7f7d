#include "app/weekly_report.hpp"

#include <algorithm>

#include "core/plan.hpp"

namespace tandem::app {

using core::Error;
using core::Fail;
using core::Result;

namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

std::string StepWords(core::FunnelStep s) {
  return core::StepLabel(s);
}

}  // namespace

Result<WeeklyPack> WeeklyReportService::Build(const core::Principal& p, core::IsoWeek week) {
  WeeklyPack pack;
  pack.week = week;
  pack.monday = core::MondayOf(week);
  pack.sunday = pack.monday + date::days(6);
  pack.generated_at = clock_.Now();

  // The SLA report fixes the zone and the week's instants (the contract in force at the end of
  // Sunday, read as UTC).
  TANDEM_ASSIGN(pack.sla,
                compliance_.Report(p, pack.monday, pack.sunday, core::ComplianceBreakdown::kRep));
  pack.time_zone = pack.sla.time_zone;
  pack.start = pack.sla.start;
  pack.end = pack.sla.end;

  // Goals overlapping the week, with their figures to date.
  std::vector<core::Goal> goals;
  std::map<std::string, std::optional<std::int64_t>> deal_size;  // by currency
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(goals, tx.goals().List());
    const core::Date next_monday = pack.monday + date::days(7);
    for (const auto& g : goals) {
      if (g.to < pack.monday || g.from > pack.sunday) continue;
      WeeklyGoal wg;
      wg.goal = g;
      const core::Instant to_date_end = std::min(pack.end, core::GoalEnd(g));
      TANDEM_ASSIGN(wg.in_week, tx.analytics().GoalMetricValue(
                                    g, std::max(pack.start, core::GoalStart(g)), to_date_end));
      TANDEM_ASSIGN(wg.to_date, tx.analytics().GoalMetricValue(g, core::GoalStart(g), to_date_end));
      wg.as_of = std::min(pack.sunday, g.to);
      const std::int64_t elapsed = (wg.as_of - g.from).count() + 1;
      wg.expected = core::CeilCount(static_cast<double>(g.target) * static_cast<double>(elapsed) /
                                    static_cast<double>(core::GoalDays(g)));
      if (wg.expected > 0) {
        wg.pace = static_cast<double>(wg.to_date) / static_cast<double>(wg.expected);
      }
      if (g.to >= next_monday) {
        std::optional<std::int64_t> size;
        if (g.metric == core::GoalMetric::kRevenue) {
          auto it = deal_size.find(g.currency);
          if (it == deal_size.end()) {
            const core::Instant now = pack.generated_at;
            TANDEM_ASSIGN(auto won,
                          tx.analytics().WonDeals(now - std::chrono::milliseconds(180 * kDayMs),
                                                  now, g.currency));
            std::optional<std::int64_t> avg;
            if (won.count > 0) avg = (won.amount_minor + won.count / 2) / won.count;
            it = deal_size.emplace(g.currency, avg).first;
          }
          size = it->second;
        }
        const std::int64_t weeks_left = ((g.to - next_monday).count() + 1 + 6) / 7;
        wg.next = core::ComputeNextWeekTargets(core::MetricStage(g.metric),
                                               g.metric == core::GoalMetric::kRevenue,
                                               g.target - wg.to_date, weeks_left, size, g.rates);
      }
      pack.goals.push_back(std::move(wg));
    }
    return {};
  }));

  // The funnel, judged against the first goal of the week that plans rates.
  FunnelRequest fr;
  fr.query.view = core::FunnelView::kCohort;
  fr.query.from = pack.start;
  fr.query.to = pack.end;
  std::string currency = "EUR";
  for (const auto& wg : pack.goals) {
    if (!wg.goal.rates.empty()) {
      pack.plan_goal_id = wg.goal.id;
      fr.planned = wg.goal.rates;
      fr.currency = wg.goal.currency;
      currency = wg.goal.currency;
      break;
    }
  }
  if (!pack.plan_goal_id && !pack.goals.empty()) currency = pack.goals.front().goal.currency;
  // The week as the pack names it, in the contract's zone: the instants' UTC dates would give
  // Sunday for a week that starts on Monday in Paris.
  const std::string span = core::FormatDate(pack.monday) + " to " + core::FormatDate(pack.sunday);
  const std::string week_words = "in week " + core::FormatIsoWeek(week) + " (" + span + ")";
  fr.period_words = week_words;
  TANDEM_ASSIGN(pack.funnel, analytics_.Funnel(p, fr));

  core::FeedbackQuery fq;
  fq.from = pack.start;
  fq.to = pack.end;
  fq.by = core::FeedbackBreakdown::kCampaign;
  TANDEM_ASSIGN(pack.feedback, feedback_.Feedback(p, fq, week_words));
  const auto& reasons = pack.feedback.figures.total.reasons;
  pack.top_reasons.assign(reasons.begin(), reasons.begin() + std::min(reasons.size(), kTopReasons));

  core::AttributionQuery aq;
  aq.from = pack.start;
  aq.to = pack.end;
  aq.by = core::AttributionBreakdown::kCampaign;
  aq.currency = currency;
  TANDEM_ASSIGN(pack.attribution,
                attribution_.Attribution(p, aq, core::AttributionModel::kLinear, week_words));
  std::vector<core::AttributionRow> rows;
  for (const auto& r : pack.attribution.result.rows) {
    if (r.pipeline_minor > 0) rows.push_back(r);
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    if (a.pipeline_minor != b.pipeline_minor) return a.pipeline_minor > b.pipeline_minor;
    if (a.revenue_minor != b.revenue_minor) return a.revenue_minor > b.revenue_minor;
    return a.key < b.key;
  });
  if (rows.size() > kTopCampaigns) rows.resize(kTopCampaigns);
  pack.best_campaigns = std::move(rows);

  // Findings and actions.
  core::WeekFindings f;
  if (!pack.funnel.broken.empty()) {
    f.broken_step = StepWords(pack.funnel.broken.front().step);
    f.broken_sentence = pack.funnel.broken.front().sentence;
  }
  for (const auto& wg : pack.goals) {
    f.goals.push_back({wg.goal.name, wg.to_date, wg.expected,
                       wg.goal.metric == core::GoalMetric::kRevenue, wg.goal.currency, wg.as_of});
  }
  for (const auto& r : pack.sla.sales.rows) {
    f.reps.push_back({r.label, r.first_touch.missed, r.first_touch.on_time + r.first_touch.missed});
  }
  const auto& mk = pack.sla.marketing;
  f.mqls = mk.mqls;
  f.expected_mqls = mk.expected;
  f.grade_ab_share = mk.grade_ab_share;
  f.min_grade_ab_percent = mk.min_grade_ab_percent;
  f.persona_share = mk.persona_share;
  f.min_persona_match_percent = mk.min_persona_match_percent;
  for (const auto& g : pack.feedback.figures.groups) {
    f.campaigns.push_back({g.key, g.dispositions, g.rejected,
                           g.reasons.empty() ? std::string() : g.reasons.front().label});
  }
  pack.actions = core::SuggestActions(f);

  bool goal_data = false;
  for (const auto& wg : pack.goals) goal_data = goal_data || wg.in_week > 0;
  pack.has_data = goal_data || pack.funnel.has_data || pack.sla.sales.total.leads > 0 ||
                  mk.mqls > 0 || pack.feedback.figures.has_data || pack.attribution.has_data;
  if (!pack.has_data) {
    pack.summary =
        "no data: nothing was recorded in week " + core::FormatIsoWeek(week) + " (" + span + ")";
  } else if (pack.actions.empty()) {
    pack.summary = "Week " + core::FormatIsoWeek(week) + " (" + span + "): nothing to act on.";
  } else {
    pack.summary = "Week " + core::FormatIsoWeek(week) + " (" + span +
                   "): " + std::to_string(pack.actions.size()) + " suggested action" +
                   (pack.actions.size() == 1 ? "" : "s") + ".";
  }
  return pack;
}

}  // namespace tandem::app
