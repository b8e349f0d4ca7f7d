// Progress of a goal and its forecast: actual against plan per stage to date, pace, a
// forecast from the run rate plus the open pipeline weighted by measured stage-to-target
// probabilities, and the probability of reaching the target by seeded Monte Carlo.
//
// Definitions (docs/analytics.md, "Progress and forecast"):
//  * Plan per stage: the target in the metric's stage (revenue: ceil(target / deal size)
//    deals), each earlier stage ceil(next / rate) back to leads, the rate being the goal's
//    planned one or else the measured one (no rate: that stage and the earlier ones have no
//    plan). Rounded up at every stage, as the planner does.
//  * To date: [from, today) within the period. Pace: what should exist by today on an even
//    spread, ceil(planned x elapsed days / period days); pace ratio = actual / that.
//  * Stage-to-target probability of stage s: the product of the measured step rates from s
//    to the metric's stage (no data on a step: unknown, counted as 0).
//  * Weighted pipeline: sum over stages before the metric's stage (from lead) of the contacts
//    there now times that probability (times the deal size for revenue).
//  * Run rate: actual / elapsed days, applied to the days left after the pipeline's horizon
//    (the sum of the measured median step times from lead to the metric's stage), so the
//    conversions the pipeline already holds are not counted twice.
//  * Forecast = actual + weighted pipeline + run rate x max(0, days left - horizon).
//  * Monte Carlo (seeded, `trials` runs): each run draws every step rate from its posterior
//    Beta(passed + 1, base - passed + 1), each stage's open contacts converting as a binomial
//    draw with the drawn probabilities, and the new arrivals as a Poisson draw of the
//    run-rate term. The probability is the share of runs reaching the target, with its
//    Wilson 95% interval; p10 and p90 of the runs bound the forecast.
// Pure functions: no I/O, no clock; the same inputs and seed give the same answer.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/funnel.hpp"
#include "core/goal.hpp"

namespace tandem::core {

struct ProgressInputs {
  Date today{};
  std::int64_t actual = 0;  // the metric to date (minor units for revenue)
  // Contacts reaching each main-path stage (visitor .. customer) to date in the period.
  std::array<std::int64_t, kMainStageCount> reached{};
  // Contacts whose current stage is each main-path stage: the open pipeline.
  std::array<std::int64_t, kMainStageCount> open{};
  // Measured step counts (cohort, trailing window) and median step times in days.
  std::array<std::int64_t, kStepCount> base{};
  std::array<std::int64_t, kStepCount> passed{};
  std::array<double, kStepCount> median_days{};
  std::int64_t deal_size_minor = 0;  // revenue only: the average won deal; 0 when unknown
  std::uint64_t seed = 1;
  int trials = 2000;
};

struct StageProgress {
  Stage stage = Stage::kLead;
  std::optional<std::int64_t> planned;  // none: no rate to plan it with
  std::int64_t actual = 0;
  std::optional<std::int64_t> expected_by_today;
  std::optional<double> pace;  // actual / expected_by_today; none when that is 0 or unknown
};

struct Progress {
  std::int64_t target = 0;
  std::int64_t actual = 0;
  std::int64_t period_days = 0;
  std::int64_t elapsed_days = 0;
  std::int64_t expected_by_today = 0;
  std::optional<double> pace;
  std::vector<StageProgress> stages;  // lead .. the metric's stage
  std::array<std::optional<double>, kMainStageCount> p_to_target{};
  double pipeline = 0;            // weighted open pipeline, in the metric's units
  double run_rate_per_day = 0;    // in the metric's units
  double horizon_days = 0;        // the pipeline's horizon
  double run_rate_remaining = 0;  // run rate x max(0, days left - horizon)
  double forecast = 0;
  double probability = 0;
  Interval probability_interval;
  double forecast_p10 = 0;
  double forecast_p90 = 0;
  int trials = 0;
  std::uint64_t seed = 0;
  std::string summary;
};

// kInvalidArgument "trials" outside [100, 100000]; kFailedPrecondition "deal_size" for a
// revenue goal without a deal size.
Result<Progress> ComputeProgress(const Goal& g, const ProgressInputs& in);

}  // namespace tandem::core
