// SLA compliance for both sides of the contract (docs/handoff.md, "Compliance"): how well
// sales kept its obligations on the leads it was handed, and how well marketing kept its
// MQL quota and quality, over a period of whole local days.
//
// Sales, per rep, per team or per week of assignment, over the leads *assigned* in the period:
//  * leads: assignments with an owner whose `assigned_at` lies in the period.
//  * first touch, attempts, disposition: each clock is judged at `now` (`JudgeClock`):
//      on time  - met at or before its due time (and never breached);
//      missed   - breached; or met after its due time; or still open with `now` at or past its
//                 due time (an open clock past due *is* a miss, even if the scheduler has not
//                 recorded the breach yet); or cancelled at or after its due time (it was
//                 already late when it stopped mattering);
//      pending  - still open and not yet due: not counted either way;
//      dropped  - cancelled before its due time (the lead was rejected or reassigned before
//                 the obligation fell due), or no such clock: not counted.
//    The share is on time / (on time + missed) with its Wilson 95% interval; no share when
//    nothing was decided.
//  * response: business time from assignment to first touch, on the calendar the lead's clocks
//    run under (the contract version of the assignment, the owner's team calendar), in
//    minutes; median and p90 by nearest rank over the touched leads. Untouched leads are
//    counted apart (`untouched`), not in the percentiles.
//  * attempts per lead: the owner's touches so far (calls, emails, meetings), averaged over
//    the leads.
// Marketing, over the MQLs of the period (moves into `mql` whose time lies in the period):
//  * expected MQLs: the contract's quota pro-rated by time. A quota of Q per week (month)
//    accrues at Q divided by the real length of the local week (calendar month) it falls in,
//    in the contract's zone: a full local week (month) expects exactly Q, 3 days of a 7-day
//    week expect 3Q/7, 10 days of a 30-day month expect Q/3. Each instant accrues under the
//    contract version in force then. No expectation when no quota is in force at all.
//  * attainment = MQLs / expected. Quality: the shares of the MQLs graded A or B and of those
//    matching a persona, each against its minimum (the version in force at the end of the
//    period).
//  * pace: the MQLs so far (before `now`) against the expectation of [start, now) — what
//    should exist by now; `projected` extrapolates the count so far to the whole period.
//    Before the period starts nothing is expected and there is no pace.
// Pure functions: no I/O, no clock (`now` is a parameter). Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <date/tz.h>

#include "core/calendar.hpp"
#include "core/contract.hpp"
#include "core/error.hpp"
#include "core/funnel.hpp"
#include "core/model.hpp"
#include "core/time.hpp"

namespace tandem::core {

enum class ComplianceBreakdown : std::uint8_t { kRep, kTeam, kWeek };
std::string_view ToString(ComplianceBreakdown b);
// kInvalidArgument on field "by", naming the allowed values, for anything else.
Result<ComplianceBreakdown> ComplianceBreakdownFromString(std::string_view text);

// What the report needs of one SLA clock.
struct ClockFacts {
  Instant due_at{};
  std::optional<Instant> met_at;
  std::optional<Instant> breached_at;
  std::optional<Instant> cancelled_at;
};

enum class ClockOutcome : std::uint8_t { kOnTime, kMissed, kPending, kDropped };
std::string_view ToString(ClockOutcome o);
// The rules of the header comment; a missing clock is kDropped.
ClockOutcome JudgeClock(const std::optional<ClockFacts>& clock, Instant now);

// One assigned lead of the period, as the store reads it (one row per assignment with an
// owner; `team` is the owner's team name now, "" when the owner has none).
struct ComplianceLead {
  Id assignment_id = 0;
  Id contact_id = 0;
  Id owner_id = 0;
  std::string owner_email;
  std::string team;
  std::optional<Id> contract_version_id;
  Instant assigned_at{};
  std::optional<Instant> first_touch_at;
  int attempts = 0;
  std::optional<ClockFacts> first_touch;
  std::optional<ClockFacts> attempts_clock;
  std::optional<ClockFacts> disposition;
};

// One move into `mql` in the period, with the contact's grade and persona as scored now.
struct MqlFact {
  Id contact_id = 0;
  Instant at{};
  bool grade_ab = false;       // graded A or B
  bool persona_match = false;  // a persona scored above 0 (the contact has a best persona)
};

struct ShareFigure {
  std::int64_t on_time = 0;
  std::int64_t missed = 0;
  std::int64_t pending = 0;
  std::optional<double> share;  // on_time / (on_time + missed)
  std::optional<Interval> interval;
};

struct SalesCompliance {
  std::string key;    // rep: the user id in decimal; team: its name; week: its Monday; total: ""
  std::string label;  // rep: email; team: name ("(no team)" for ""); week: the Monday
  std::optional<Id> user_id;  // rep rows
  std::int64_t leads = 0;
  ShareFigure first_touch;
  std::int64_t touched = 0;
  std::int64_t untouched = 0;
  std::optional<double> response_p50_minutes;
  std::optional<double> response_p90_minutes;
  std::optional<double> attempts_per_lead;
  ShareFigure attempts;  // K attempts within D business days
  ShareFigure disposition;
};

struct SalesReport {
  std::vector<SalesCompliance> rows;  // ordered by label (rep email, team name, week)
  SalesCompliance total;              // every lead of `rows` together
};

// The calendar the lead's clocks run under, or null when none can be found (its response
// time is then left out of the percentiles).
using LeadCalendar = std::function<const BusinessCalendar*(const ComplianceLead&)>;

// Local midnight at the start of `day` in `zone` (the earliest instant of that day).
Instant StartOfLocalDay(const date::time_zone* zone, Date day);
// The Monday of the local week of `t`.
Date LocalMonday(const date::time_zone* zone, Instant t);

SalesReport ComputeSalesCompliance(const std::vector<ComplianceLead>& leads, ComplianceBreakdown by,
                                   const date::time_zone* zone, Instant now,
                                   const LeadCalendar& calendar_of);

// The marketing terms of one contract version and when they take effect.
struct QuotaTerms {
  Instant effective_at{};
  MarketingObligations obligations;
};

// MQLs expected in [from, to) under `terms` (sorted by effective_at; an instant before the
// first version accrues nothing), pro-rated as the header says, in `zone`. Nothing when no
// version with a quota above 0 is in force at any instant of [from, to).
std::optional<double> ExpectedMqls(const std::vector<QuotaTerms>& terms, Instant from, Instant to,
                                   const date::time_zone* zone);

struct MarketingCompliance {
  std::string key;  // "" for the period; the Monday for a week
  Instant from{};
  Instant to{};
  std::int64_t mqls = 0;
  std::optional<double> expected;
  std::optional<double> attainment;  // mqls / expected
  // When a quota is in force for only the later part of [from, to) (the first contract took
  // effect, or raised the quota from 0, within it): the instant it starts to accrue.
  std::optional<Instant> quota_since;
  std::int64_t grade_ab = 0;
  std::optional<double> grade_ab_share;
  std::optional<Interval> grade_ab_interval;
  std::optional<int> min_grade_ab_percent;
  std::optional<bool> grade_ab_met;  // share >= minimum, when both exist
  std::int64_t persona_match = 0;
  std::optional<double> persona_share;
  std::optional<Interval> persona_interval;
  std::optional<int> min_persona_match_percent;
  std::optional<bool> persona_met;
  // Pace at `now` (clamped to the period).
  Instant pace_at{};
  std::int64_t mqls_so_far = 0;
  std::optional<double> expected_so_far;
  std::optional<double> pace;       // mqls_so_far / expected_so_far
  std::optional<double> projected;  // mqls_so_far scaled to the whole period
};

// Marketing's figures over [from, to) from the MQLs (any order; those outside are ignored).
MarketingCompliance ComputeMarketingCompliance(const std::vector<MqlFact>& mqls,
                                               const std::vector<QuotaTerms>& terms, Instant from,
                                               Instant to, Instant now, const date::time_zone* zone,
                                               std::string key = "");

// The same per local week (Monday to Monday) of [from, to), the edge weeks clipped to it.
std::vector<MarketingCompliance> ComputeMarketingWeeks(const std::vector<MqlFact>& mqls,
                                                       const std::vector<QuotaTerms>& terms,
                                                       Instant from, Instant to, Instant now,
                                                       const date::time_zone* zone);

}  // namespace tandem::core
