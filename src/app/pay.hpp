// Shared pay (docs/analytics.md, "Shared pay"): each participant's payout from the contract's
// compensation pool for a period of whole local days, with the statement's arithmetic
// (core/compensation.hpp).
//
// Measured for the KPIs, over the period (the SLA compliance report's figures, read through
// ComplianceService, and the goals' metric):
//  * mql_quota_attainment: MQLs handed over against the quota pro-rated to the period;
//  * mql_quality: the share graded A or B and the share matching a persona against the
//    contract's minimums, the lower of the two ratios (the binding one) is shown;
//  * first_touch_on_time, attempts_on_time, disposition_on_time: clocks on time against clocks
//    decided (on time + missed) over the leads assigned in the period, all reps;
//  * revenue_attainment: won revenue of the period (the goal's scope) against the revenue
//    goal's target pro-rated to the days the period shares with the goal. The goal is the
//    revenue goal in the pool's currency overlapping the period most (then the lowest id);
//  * sql_conversion: contacts reaching sql in the period per contact reaching mql in it,
//    against the product of that goal's planned mql_sal and sal_sql rates.
// The contract is the version in force at the end of the period's last day (read as UTC), its
// calendar's zone the company's; no version or no [compensation] is kFailedPrecondition.
// Participants: the active users of the contract's party teams and its heads, by user id.
// Thread-safety: safe to share (the services it uses are).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/compliance.hpp"
#include "app/contracts.hpp"
#include "base/clock.hpp"
#include "core/compensation.hpp"
#include "core/permissions.hpp"
#include "store/store.hpp"

namespace tandem::app {

struct PayView {
  core::Date from{};
  core::Date to{};  // included
  core::Instant start{};
  core::Instant end{};  // exclusive: the local midnight after `to`
  core::Instant as_of{};
  std::string time_zone;
  core::Id contract_version_id = 0;
  core::Compensation terms;
  std::optional<core::Id> goal_id;  // the revenue goal measured against
  std::string goal_name;
  core::PayComputation computation;  // the company's figures and every payout
  // The payouts the caller may see: everyone's, or only the one asked for / their own. A user
  // who does not take part is shown with 0 and `participant` false.
  struct Shown {
    core::Payout payout;
    bool participant = true;
  };
  std::vector<Shown> payouts;
  std::optional<core::Id> only_user;
};

class PayService {
 public:
  static constexpr int kMaxDays = 366;

  PayService(store::Store& store, const base::Clock& clock, ContractService& contracts,
             ComplianceService& compliance)
      : store_(store), clock_(clock), contracts_(contracts), compliance_(compliance) {}

  // kInvalidArgument "to" (before from, or more than kMaxDays), "user_id" (no such user);
  // kPermissionDenied per core::PayStatementsOf; kFailedPrecondition "contract" without
  // compensation terms in force.
  core::Result<PayView> Statement(const core::Principal& p, core::Date from, core::Date to,
                                  std::optional<core::Id> user_id);

  // The id of the user with this email (normalised), kNotFound "user" otherwise.
  core::Result<core::Id> UserIdOf(std::string_view email);

 private:
  store::Store& store_;
  const base::Clock& clock_;
  ContractService& contracts_;
  ComplianceService& compliance_;
};

}  // namespace tandem::app
