#include "app/analytics.hpp"

#include <chrono>
#include <cmath>

namespace tandem::app {

using core::Error;
using core::Fail;
using core::FunnelStep;
using core::kAllSteps;
using core::kStepCount;

namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

// The whole funnel: every breakdown value added together (histograms concatenated).
core::FunnelCounts Total(const std::vector<core::FunnelCounts>& parts) {
  core::FunnelCounts t;
  for (const auto& c : parts) {
    for (std::size_t i = 0; i < core::kMainStageCount; ++i) t.reached[i] += c.reached[i];
    for (std::size_t i = 0; i < kStepCount; ++i) {
      t.base[i] += c.base[i];
      t.passed[i] += c.passed[i];
      t.hours[i].insert(t.hours[i].end(), c.hours[i].begin(), c.hours[i].end());
    }
  }
  return t;
}

}  // namespace

Result<PlanResult> AnalyticsService::Plan(const core::Principal&, const PlanRequest& req) {
  PlanResult out;
  core::PlanInput in;
  in.revenue_minor = req.revenue_minor;
  in.from = req.from;
  in.to = req.to;
  in.granularity = req.granularity;
  in.currency = req.currency;
  in.deal_size_minor = req.deal_size_minor.value_or(1);
  in.rates.fill(1.0);
  for (const auto& [step, rate] : req.rates) in.rates[core::Index(step)] = rate;
  // Bad input is answered before anything is measured.
  TANDEM_TRY(core::ValidatePlanInput(in));
  if (req.trailing_days < 1 || req.trailing_days > 3650) {
    return Fail(Error::Invalid("trailing_days", "trailing_days must be between 1 and 3650"));
  }

  out.window_to = clock_.Now();
  out.window_from = out.window_to - std::chrono::milliseconds(req.trailing_days * kDayMs);
  core::FunnelQuery q;
  q.view = core::FunnelView::kCohort;
  q.from = out.window_from;
  q.to = out.window_to;
  q.window_ms = static_cast<std::int64_t>(req.trailing_days) * kDayMs;
  std::vector<core::FunnelCounts> counts;
  store::WonDealsSummary won;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(counts, tx.analytics().Funnel(q));
    TANDEM_ASSIGN(won, tx.analytics().WonDeals(q.from, q.to, req.currency));
    return {};
  }));
  const core::FunnelFigures f = core::ComputeFigures(Total(counts));

  if (req.deal_size_minor) {
    in.deal_size_minor = *req.deal_size_minor;
  } else {
    if (won.count == 0) {
      return Fail(Error::Precondition("no deal won in " + req.currency + " in the last " +
                                          std::to_string(req.trailing_days) +
                                          " days to measure the deal size; give deal_size",
                                      "deal_size"));
    }
    in.deal_size_minor = (won.amount_minor + won.count / 2) / won.count;
    out.deal_size_measured = true;
  }
  for (FunnelStep s : kAllSteps) {
    const std::size_t i = core::Index(s);
    const core::StepFigures& st = f.steps[i];
    out.rate_sample[i] = st.base;
    if (st.p50_hours) in.median_days[i] = static_cast<double>(*st.p50_hours) / 24.0;
    if (req.rates.count(s)) continue;
    if (!st.rate || *st.rate <= 0.0) {
      const std::string field = "rates." + std::string(core::ToString(s));
      return Fail(Error::Precondition("cannot measure " + field + " over the last " +
                                          std::to_string(req.trailing_days) + " days (" +
                                          std::to_string(st.base) + " at its base, " +
                                          std::to_string(st.passed) + " passed); give it",
                                      field));
    }
    in.rates[i] = *st.rate;
    out.rate_measured[i] = true;
  }
  TANDEM_ASSIGN(out.plan, core::BuildPlan(in));
  return out;
}

Result<FunnelReport> AnalyticsService::Funnel(const core::Principal&, const FunnelRequest& req) {
  const core::FunnelQuery& q = req.query;
  if (q.to <= q.from) {
    return Fail(Error::Invalid("to", "to must be after from"));
  }
  if (q.window_ms <= 0) {
    return Fail(Error::Invalid("window_days", "window_days must be positive"));
  }
  for (const auto& [step, rate] : req.planned) {
    if (!(rate > 0.0 && rate <= 1.0)) {
      const std::string field = "plan_" + std::string(core::ToString(step));
      return Fail(Error::Invalid(field, field + " must be in (0, 1]"));
    }
  }
  if (req.deal_size_minor && *req.deal_size_minor <= 0) {
    return Fail(Error::Invalid("deal_size", "deal_size must be a positive amount"));
  }
  FunnelReport out;
  out.query = q;
  std::vector<core::FunnelCounts> counts;
  store::WonDealsSummary won;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(counts, tx.analytics().Funnel(q));
    if (!req.deal_size_minor && !req.planned.empty()) {
      const core::Instant now = clock_.Now();
      TANDEM_ASSIGN(won, tx.analytics().WonDeals(now - std::chrono::milliseconds(180 * kDayMs), now,
                                                 req.currency));
    }
    return {};
  }));
  for (const auto& c : counts) out.funnels.push_back(core::ComputeFigures(c));
  out.total = core::ComputeFigures(Total(counts));
  for (std::int64_t n : out.total.reached) out.has_data = out.has_data || n > 0;
  if (req.deal_size_minor) {
    out.deal_size_minor = req.deal_size_minor;
  } else if (won.count > 0) {
    out.deal_size_minor = (won.amount_minor + won.count / 2) / won.count;
  }
  if (!out.has_data) {
    out.summary = "no data: no contact reached any stage in the period";
    return out;
  }
  if (req.planned.empty()) {
    out.summary = "no plan given: no step is judged against plan";
    return out;
  }
  std::array<double, kStepCount> planned{};
  for (std::size_t i = 0; i < kStepCount; ++i) {
    // A step without a planned rate is never broken: its plan is taken as 0 for the verdict
    // and as the measured rate downstream.
    planned[i] = out.total.steps[i].rate.value_or(0.0);
  }
  std::array<bool, kStepCount> judged{};
  for (const auto& [step, rate] : req.planned) {
    planned[core::Index(step)] = rate;
    judged[core::Index(step)] = true;
  }
  const std::string words = !req.period_words.empty()
                                ? req.period_words
                                : "from " + core::FormatInstant(q.from).substr(0, 10) + " to " +
                                      core::FormatInstant(q.to).substr(0, 10);
  for (auto& b : core::FindBrokenSteps(out.total, planned, out.deal_size_minor.value_or(0),
                                       req.currency, words)) {
    if (judged[core::Index(b.step)]) out.broken.push_back(std::move(b));
  }
  out.summary = out.broken.empty() ? "no step is below plan with 95% confidence"
                                   : out.broken.front().sentence;
  return out;
}

}  // namespace tandem::app
