// Funnel analytics as plain arithmetic over counts the store aggregates: conversion per step
// with its Wilson 95% interval, drop-off, time in stage (p50, p90) and the broken step.
//
// The store does the counting (GROUP BY over the stage history); this file turns counts into
// figures and sentences. Definitions (docs/analytics.md):
//  * A contact "reaches" a main-path stage when it first enters that stage or any later one
//    (skipping forward passes the skipped stages).
//  * Cohort view: of the contacts reaching stage X in the period, the share reaching X+1 within
//    the window after reaching X.
//  * Period view: of the transitions out of stage X recorded in the period, the share going
//    forward (to X+1 or later) rather than to recycled or disqualified.
//  * A step with no contacts at its base has no rate ("no data"), never a division by zero.
//  * The broken step: a step whose planned rate lies above its Wilson interval (below plan with
//    95% confidence); several are ranked by the revenue that reaching plan would add.
// Pure functions: no I/O, no clock.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/plan.hpp"
#include "core/time.hpp"

namespace tandem::core {

enum class FunnelView : std::uint8_t { kCohort, kPeriod };
std::string_view ToString(FunnelView v);
std::optional<FunnelView> FunnelViewFromString(std::string_view text);

// What a funnel may be broken down by. Persona: the persona key the contact's score matches now
// ("" for none).
enum class FunnelBreakdown : std::uint8_t { kNone, kSource, kCampaign, kOwner, kWeek, kPersona };
std::string_view ToString(FunnelBreakdown b);
// kInvalidArgument on field "by" naming the allowed keys for anything else.
Result<FunnelBreakdown> FunnelBreakdownFromString(std::string_view text);
// "source, campaign, owner, week, persona".
std::string_view AllowedFunnelBreakdowns();

struct Interval {
  double low = 0;
  double high = 0;
};

// The Wilson score interval for `successes` out of `trials` at z (1.96 for 95%); nothing when
// trials is 0. Requires 0 <= successes <= trials.
std::optional<Interval> Wilson(std::int64_t successes, std::int64_t trials, double z = 1.96);

// A histogram of durations in whole hours: (hours, how many).
using HourHistogram = std::vector<std::pair<std::int64_t, std::int64_t>>;

// The nearest-rank percentile (0 < p <= 1) of the histogram, in hours; nothing when empty.
std::optional<std::int64_t> Percentile(const HourHistogram& h, double p);

// What the store counts: the view, the period [from, to), the cohort window, the breakdown and
// the filters (each empty filter matches every contact).
struct FunnelQuery {
  FunnelView view = FunnelView::kCohort;
  FunnelBreakdown by = FunnelBreakdown::kNone;
  Instant from{};
  Instant to{};
  std::int64_t window_ms = 90LL * 24 * 3600 * 1000;  // cohort: how long after X may Y come
  std::optional<std::string> source;
  std::optional<std::string> campaign;
  std::optional<std::int64_t> owner_id;
};

// The counts of one funnel (one breakdown key), as the store returns them.
struct FunnelCounts {
  std::string key;  // the breakdown value ("" when not broken down)
  std::array<std::int64_t, kMainStageCount> reached{};  // contacts reaching each stage
  std::array<std::int64_t, kStepCount> base{};          // the step's denominator
  std::array<std::int64_t, kStepCount> passed{};        // the step's numerator
  std::array<HourHistogram, kStepCount> hours;          // time from stage to next, per step
};

struct StepFigures {
  FunnelStep step = FunnelStep::kVisitorLead;
  std::int64_t base = 0;
  std::int64_t passed = 0;
  std::int64_t dropped = 0;          // base - passed
  std::optional<double> rate;        // passed / base; nothing when base is 0
  std::optional<Interval> interval;  // Wilson 95%
  std::optional<std::int64_t> p50_hours;
  std::optional<std::int64_t> p90_hours;
};

struct FunnelFigures {
  std::string key;
  std::array<std::int64_t, kMainStageCount> reached{};
  std::array<StepFigures, kStepCount> steps;
};

FunnelFigures ComputeFigures(const FunnelCounts& counts);

// A step below plan with 95% confidence, with what reaching plan would have added.
struct BrokenStep {
  FunnelStep step = FunnelStep::kVisitorLead;
  double rate = 0;
  double planned = 0;
  Interval interval;
  double extra_deals = 0;
  std::int64_t revenue_minor = 0;  // extra revenue, rounded to whole major units
  std::string sentence;
};

// Steps whose planned rate is above their interval's upper bound, most revenue first (ties:
// earlier step first). Extra deals = base x (planned - rate) carried down the later steps at
// their measured rates (the planned rate where a later step has no data); revenue = extra
// deals x deal size. `period_words` ends the sentence ("this quarter", "from ... to ...").
std::vector<BrokenStep> FindBrokenSteps(const FunnelFigures& f,
                                        const std::array<double, kStepCount>& planned,
                                        std::int64_t deal_size_minor, std::string_view currency,
                                        std::string_view period_words);

// "42,000" from 4'200'000 minor units (whole major units, thousands separated by commas).
std::string FormatMajorUnits(std::int64_t minor);

}  // namespace tandem::core
