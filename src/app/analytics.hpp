// Goals and funnel use cases: the reverse-funnel plan with the figures Tandem measures from the
// base, and the funnel report with its broken step.
//
// Measured figures come from a trailing window ending now (default 180 days): the average won
// deal (deals won in the window, in the plan's currency), each step's cohort rate (contacts
// reaching the stage in the window, passing to the next before now) and each step's median
// time. A figure the caller gives is used as given; one that is neither given nor measurable
// (no won deal, no contact at a step's base) is a kFailedPrecondition naming the field.
// Every authenticated user may read analytics.
// Thread-safety: stateless apart from its references; safe to share between threads.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "core/funnel.hpp"
#include "core/permissions.hpp"
#include "core/plan.hpp"
#include "store/store.hpp"

namespace tandem::app {

using core::Result;

struct PlanRequest {
  std::int64_t revenue_minor = 0;
  std::optional<std::int64_t> deal_size_minor;
  std::map<core::FunnelStep, double> rates;  // the ones given; the others are measured
  core::Date from{};
  core::Date to{};
  core::PlanGranularity granularity = core::PlanGranularity::kWeek;
  std::string currency = "EUR";
  int trailing_days = 180;
};

// Where each input of the plan came from.
struct PlanResult {
  core::Plan plan;
  bool deal_size_measured = false;
  std::array<bool, core::kStepCount> rate_measured{};
  std::array<std::int64_t, core::kStepCount> rate_sample{};  // contacts at the base, measured
  core::Instant window_from{};
  core::Instant window_to{};
};

struct FunnelRequest {
  core::FunnelQuery query;
  std::map<core::FunnelStep, double>
      planned;  // for the broken step; none: no verdict. Errors name "plan_<step>".
  std::optional<std::int64_t> deal_size_minor;  // measured over the trailing window if empty
  std::string currency = "EUR";
  // How the broken step's sentence names the period, e.g. "in week 2026-W48 (2026-11-23 to
  // 2026-11-29)"; empty: "from <from> to <to>" with the instants' UTC dates.
  std::string period_words;
};

struct FunnelReport {
  core::FunnelQuery query;
  std::vector<core::FunnelFigures> funnels;  // one per breakdown value
  core::FunnelFigures total;                 // the whole funnel (all values together)
  std::vector<core::BrokenStep> broken;      // of the total, most revenue first
  std::optional<std::int64_t> deal_size_minor;
  bool has_data = false;
  std::string summary;  // one sentence: the broken step, "no data", or "no step below plan"
};

class AnalyticsService {
 public:
  AnalyticsService(store::Store& store, const base::Clock& clock) : store_(store), clock_(clock) {}

  Result<PlanResult> Plan(const core::Principal& p, const PlanRequest& req);
  Result<FunnelReport> Funnel(const core::Principal& p, const FunnelRequest& req);

 private:
  store::Store& store_;
  const base::Clock& clock_;
};

}  // namespace tandem::app
