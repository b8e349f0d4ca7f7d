// SMART goals: create, read, update and delete goals, each read with Tandem's SMART check
// (core/goal.hpp) measured from the base at the time of the call.
//
// Measured for the check: the goal's metric in kComparablePeriods periods of the goal's
// length, back to back, ending at the earlier of the goal's start and now (Achievable), and
// each step's cohort rate over the trailing 180 days ending now in the goal's scope
// (Realistic). Admins and managers write goals; every user with read access reads them.
// Thread-safety: stateless apart from its references; safe to share between threads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "core/forecast.hpp"
#include "core/goal.hpp"
#include "core/permissions.hpp"
#include "store/store.hpp"

namespace tandem::app {

using core::Result;

struct GoalView {
  core::Goal goal;
  core::SmartCheck smart;
  std::vector<std::pair<core::Date, std::int64_t>> past;  // the comparable periods measured
  std::vector<std::string> owner_emails;                  // in the order of goal.owners
};

struct GoalProgressView {
  core::Goal goal;
  core::Progress progress;
  core::Instant measured_at{};
  std::optional<std::int64_t> deal_size_minor;  // revenue: the average won deal measured
};

class GoalService {
 public:
  static constexpr int kTrailingDays = 180;

  GoalService(store::Store& store, const base::Clock& clock) : store_(store), clock_(clock) {}

  // `g.id`, created_at and created_by are set here; the owners are named by email
  // (kInvalidArgument "owners" for an unknown one) and replace g.owners.
  Result<GoalView> Create(const core::Principal& p, core::Goal g,
                          const std::vector<std::string>& owner_emails);
  Result<GoalView> Get(const core::Principal& p, core::Id id);
  // Every goal with its owners' emails, oldest first; no SMART check (that is per goal).
  Result<std::vector<GoalView>> List(const core::Principal& p);
  // Replaces the goal's fields (name, metric, target, currency, dates, scope, owners, rates).
  Result<GoalView> Update(const core::Principal& p, core::Goal g,
                          const std::vector<std::string>& owner_emails);
  Result<void> Delete(const core::Principal& p, core::Id id);
  // Actual against plan per stage to date, pace, forecast and the Monte Carlo probability
  // (core/forecast.hpp), measured now; `seed` defaults to the goal's id.
  Result<GoalProgressView> Progress(const core::Principal& p, core::Id id,
                                    std::optional<std::uint64_t> seed, int trials);

 private:
  Result<GoalView> View(store::Tx& tx, core::Goal g);
  static Result<std::vector<std::string>> Emails(store::Tx& tx, const core::Goal& g);
  store::Store& store_;
  const base::Clock& clock_;
};

}  // namespace tandem::app
