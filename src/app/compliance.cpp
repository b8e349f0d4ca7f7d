#include "app/compliance.hpp"

#include <algorithm>

#include "app/contract_file.hpp"
#include "base/time_zones.hpp"

namespace tandem::app {

using core::Error;
using core::Fail;
using core::Instant;
using core::Result;

struct ComplianceService::Terms {
  core::ContractVersion version;
  core::Contract contract;
  std::map<std::string, core::BusinessCalendar> calendars;  // by team; "" is the default

  const core::BusinessCalendar* CalendarFor(const std::string& team) const {
    auto it = calendars.find(team);
    if (it != calendars.end()) return &it->second;
    it = calendars.find("");
    return it == calendars.end() ? nullptr : &it->second;
  }
};

Result<std::shared_ptr<const ComplianceService::Terms>> ComplianceService::TermsOf(
    const core::ContractVersion& v) {
  {
    std::lock_guard lock(mu_);
    auto it = terms_.find(v.id);
    if (it != terms_.end()) return it->second;
  }
  auto parsed = ParseContract(v.text);
  if (!parsed) {
    return Fail(Error::Internal("contract version " + std::to_string(v.id) + " no longer parses"));
  }
  auto terms = std::make_shared<Terms>();
  terms->version = v;
  terms->version.text.clear();
  terms->contract = std::move(*parsed);
  TANDEM_ASSIGN(auto base, terms->contract.calendar.Build());
  terms->calendars.emplace("", std::move(base));
  for (const auto& tc : terms->contract.team_calendars) {
    TANDEM_ASSIGN(auto cal, tc.calendar.Build());
    terms->calendars.emplace(tc.team, std::move(cal));
  }
  std::lock_guard lock(mu_);
  return terms_.emplace(v.id, std::move(terms)).first->second;
}

Result<ComplianceView> ComplianceService::Report(const core::Principal& p, core::Date from,
                                                 core::Date to, core::ComplianceBreakdown by) {
  TANDEM_ASSIGN(auto only, core::ComplianceRowsOf(p, by == core::ComplianceBreakdown::kTeam));
  if (to < from) return Fail(Error::Invalid("to", "must not be before from"));
  if ((to - from).count() + 1 > kMaxDays) {
    return Fail(
        Error::Invalid("to", "the period may span at most " + std::to_string(kMaxDays) + " days"));
  }
  ComplianceView v;
  v.from = from;
  v.to = to;
  v.by = by;
  v.now = clock_.Now();
  v.only_user = only;

  std::vector<core::ContractVersion> versions;
  std::vector<core::ComplianceLead> leads;
  std::vector<core::MqlFact> mqls;
  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(versions, tx.contracts().ListVersions());
    return {};
  }));
  std::sort(versions.begin(), versions.end(), [](const auto& a, const auto& b) {
    return a.effective_at != b.effective_at ? a.effective_at < b.effective_at : a.id < b.id;
  });
  std::vector<std::shared_ptr<const Terms>> all_terms;
  all_terms.reserve(versions.size());
  for (const auto& ver : versions) {
    TANDEM_ASSIGN(auto t, TermsOf(ver));
    all_terms.push_back(std::move(t));
  }

  // The zone of the version in force at the end of the last day (read as UTC).
  const Instant utc_end{to + date::days(1)};
  std::shared_ptr<const Terms> shown;
  for (const auto& t : all_terms) {
    if (t->version.effective_at < utc_end) shown = t;
  }
  TANDEM_ASSIGN(const date::time_zone* zone, base::LocateZone("UTC"));
  if (shown) {
    zone = shown->contract.calendar.zone;
    v.contract_version_id = shown->version.id;
    v.sales_terms = shown->contract.sales;
    v.marketing_terms = shown->contract.marketing;
  }
  v.time_zone = std::string(zone->name());
  v.start = core::StartOfLocalDay(zone, from);
  v.end = core::StartOfLocalDay(zone, to + date::days(1));

  TANDEM_TRY(store_.Read([&](store::Tx& tx) -> Result<void> {
    TANDEM_ASSIGN(leads, tx.handoff().ComplianceLeads(v.start, v.end, only));
    TANDEM_ASSIGN(mqls, tx.handoff().MqlsBetween(v.start, v.end));
    return {};
  }));

  std::map<core::Id, const Terms*> by_version;
  for (const auto& t : all_terms) by_version[t->version.id] = t.get();
  auto calendar_of = [&](const core::ComplianceLead& l) -> const core::BusinessCalendar* {
    if (!l.contract_version_id) return nullptr;
    auto it = by_version.find(*l.contract_version_id);
    if (it == by_version.end()) return nullptr;
    return it->second->CalendarFor(l.team);
  };
  v.sales = core::ComputeSalesCompliance(leads, by, zone, v.now, calendar_of);

  std::vector<core::QuotaTerms> quota;
  quota.reserve(all_terms.size());
  for (const auto& t : all_terms) quota.push_back({t->version.effective_at, t->contract.marketing});
  v.marketing = core::ComputeMarketingCompliance(mqls, quota, v.start, v.end, v.now, zone);
  if (by == core::ComplianceBreakdown::kWeek) {
    v.marketing_weeks = core::ComputeMarketingWeeks(mqls, quota, v.start, v.end, v.now, zone);
  }
  return v;
}

}  // namespace tandem::app
