// The SLA compliance report (docs/handoff.md, "Compliance"): sales' figures per rep, team or
// week over the leads assigned in a period, and marketing's quota, quality and pace over the
// MQLs of the period. The arithmetic is core/compliance.hpp; this service picks the contract
// terms and calendars, reads the period in two queries and applies who may see what
// (core::ComplianceRowsOf).
//
// The period is whole local days, `from` and `to` both included, in the time zone of the
// default calendar of the contract version in force at the end of `to` (read as UTC); UTC when
// no contract was ever in force. Periods run at most 366 days.
// Thread-safety: safe to share; parsed contract versions are cached under a mutex.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "core/compliance.hpp"
#include "core/permissions.hpp"
#include "store/store.hpp"

namespace tandem::app {

struct ComplianceView {
  core::Date from{};  // first day
  core::Date to{};    // last day, included
  core::Instant start{};
  core::Instant end{};  // exclusive: the local midnight after `to`
  core::Instant now{};
  core::ComplianceBreakdown by = core::ComplianceBreakdown::kRep;
  std::string time_zone;
  std::optional<core::Id> contract_version_id;        // whose zone and terms are shown
  std::optional<core::SalesObligations> sales_terms;  // of that version
  std::optional<core::MarketingObligations> marketing_terms;
  std::optional<core::Id> only_user;  // set when the caller sees only their own rows
  core::SalesReport sales;
  core::MarketingCompliance marketing;
  std::vector<core::MarketingCompliance> marketing_weeks;  // by=week only
};

class ComplianceService {
 public:
  static constexpr int kMaxDays = 366;

  ComplianceService(store::Store& store, const base::Clock& clock) : store_(store), clock_(clock) {}

  // kInvalidArgument (field "to") when `to` is before `from` or the period is longer than
  // kMaxDays; kPermissionDenied per core::ComplianceRowsOf.
  core::Result<ComplianceView> Report(const core::Principal& p, core::Date from, core::Date to,
                                      core::ComplianceBreakdown by);

  // A parsed version with its calendars built (the default under "").
  struct Terms;

 private:
  core::Result<std::shared_ptr<const Terms>> TermsOf(const core::ContractVersion& v);

  store::Store& store_;
  const base::Clock& clock_;
  std::mutex mu_;
  std::map<core::Id, std::shared_ptr<const Terms>> terms_;  // by version, guarded by mu_
};

}  // namespace tandem::app
