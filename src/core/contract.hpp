// The smarketing contract: the two-sided agreement between marketing and sales, as Tandem
// executes it.
//
// A `Contract` is the validated model of a contract file (docs/contract.md describes the file;
// app/contract_file.hpp parses it). Everything here has been checked: enums are known, reason
// codes referenced by recycle rules exist, KPI weights sum to 100, territories do not overlap,
// every calendar has valid hours and a resolved zone. Other capabilities read it directly:
// routing reads `routing`, handoff reads `rejection_reasons` and `recycle_rules`, the SLA
// clocks read `sales` and `CalendarFor(team)`, escalation reads `escalation`, compensation
// reads `compensation`.
//
// Durations keep the unit the file states (hours, business days, days) so that a diff shows
// what people wrote. A contract value is plain data: copy it freely; thread-safe to read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.hpp"
#include "core/error.hpp"
#include "core/lifecycle.hpp"
#include "core/model.hpp"
#include "core/time.hpp"

namespace tandem::core {

enum class PartySide : std::uint8_t { kMarketing, kSales };
std::string_view ToString(PartySide s);
std::optional<PartySide> PartySideFromString(std::string_view text);

// A signatory team and its head (the user who acknowledges each version for the team).
struct ContractParty {
  PartySide side = PartySide::kMarketing;
  std::string team;        // a team name, as in Tandem's teams
  std::string head_email;  // normalised (lower case)
};

struct ContractObjective {
  std::string key;   // short identifier, unique in the contract
  std::string text;  // the SMART sentence both teams signed
  std::string goal;  // key of a goal once goals exist; empty when not linked
};

enum class QuotaPeriod : std::uint8_t { kWeek, kMonth };
std::string_view ToString(QuotaPeriod p);
std::optional<QuotaPeriod> QuotaPeriodFromString(std::string_view text);

struct MarketingObligations {
  int mql_quota = 0;  // MQLs handed over per period
  QuotaPeriod quota_period = QuotaPeriod::kWeek;
  // Quality of what is handed over, as minimum shares of the period's MQLs (0-100).
  std::optional<int> min_grade_ab_percent;
  std::optional<int> min_persona_match_percent;
};

struct SalesObligations {
  int first_touch_hours = 0;     // first call, email or meeting within N business hours
  int attempts = 0;              // K attempts ...
  int attempts_within_days = 0;  // ... within D business days
  int disposition_days = 0;      // accept or reject within D business days
};

enum class RoutingStrategy : std::uint8_t {
  kRoundRobin,
  kWeighted,
  kLeastLoaded,
  kTerritory,
  kPersonaOwner,
  kAccountOwnerFirst,
};
std::string_view ToString(RoutingStrategy s);
std::optional<RoutingStrategy> RoutingStrategyFromString(std::string_view text);

// A rep's routing terms: weight for `weighted`, cap of open leads for every strategy.
struct RoutingRep {
  std::string email;
  int weight = 1;
  std::optional<int> capacity;  // overrides RoutingConfig::default_capacity
};

// Countries (ISO 3166-1 alpha-2, "FR") and regions (ISO 3166-2, "US-CA") to a team or a rep.
// A region is more specific than its country: "US-CA" in one territory and "US" in another
// is allowed and "US-CA" wins; the same code in two territories is an overlap (refused).
struct Territory {
  std::string name;
  std::vector<std::string> countries;
  std::vector<std::string> regions;
  std::string team;  // exactly one of team and rep is set
  std::string rep_email;
};

struct PersonaOwner {
  std::string persona;  // persona key
  std::string team;     // exactly one of team and rep is set
  std::string rep_email;
};

struct RoutingConfig {
  RoutingStrategy strategy = RoutingStrategy::kRoundRobin;
  // Tried when the strategy finds nobody (no territory matches, every rep at capacity...).
  std::optional<RoutingStrategy> fallback;
  std::optional<int> default_capacity;  // open leads per rep; none = no cap
  std::vector<RoutingRep> reps;
  std::vector<Territory> territories;
  std::vector<PersonaOwner> persona_owners;
};

struct RejectionReason {
  std::string code;               // [a-z0-9_]+, unique
  std::string label;              // what the rep picks from
  Stage next = Stage::kRecycled;  // kRecycled or kDisqualified
};

// What happens to recycled leads: back to marketing's nurture; they may qualify again after
// `wait_days` calendar days and, when required, only after new engagement.
struct RecycleRule {
  std::vector<std::string> reasons;  // rejection reason codes (each with next = recycled)
  int wait_days = 0;
  bool requires_new_engagement = true;
};

enum class EscalationAction : std::uint8_t { kNotifyOwner, kReassign, kNotifyManager };
std::string_view ToString(EscalationAction a);
std::optional<EscalationAction> EscalationActionFromString(std::string_view text);

// One step of the chain run on an SLA breach, `after_hours` business hours after the breach.
struct EscalationStep {
  int after_hours = 0;
  EscalationAction action = EscalationAction::kNotifyOwner;
};

// A calendar as the contract states it, with its zone resolved by the parser.
struct CalendarSpec {
  std::string time_zone;                  // IANA name
  const date::time_zone* zone = nullptr;  // resolved (base::LocateZone)
  bool overnight = false;                 // intervals past midnight were declared
  WeeklyHours hours;
  std::vector<Date> holidays;  // sorted

  // The executable calendar. The spec was validated on parsing, so this cannot fail for a
  // contract that came from the parser.
  Result<BusinessCalendar> Build() const;
};

struct TeamCalendar {
  std::string team;
  CalendarSpec calendar;
};

enum class Kpi : std::uint8_t {
  kMqlQuotaAttainment,
  kMqlQuality,
  kFirstTouchOnTime,
  kAttemptsOnTime,
  kDispositionOnTime,
  kSqlConversion,
  kRevenueAttainment,
};
std::string_view ToString(Kpi k);
std::optional<Kpi> KpiFromString(std::string_view text);

// A KPI of the shared pool: its share of the pool, the attainment below which it pays
// nothing, and the attainment at which its payout stops growing.
struct KpiTerm {
  Kpi kpi = Kpi::kMqlQuotaAttainment;
  int weight_percent = 0;     // weights of a contract sum to 100
  int threshold_percent = 0;  // attainment below this pays 0
  int cap_percent = 100;      // attainment counted at most up to this
};

struct Compensation {
  std::int64_t pool_cents = 0;  // per period, in `currency`
  std::string currency;         // ISO 4217, "EUR"
  QuotaPeriod period = QuotaPeriod::kMonth;
  std::vector<KpiTerm> kpis;
  int cap_percent = 100;  // the pool pays at most this share of itself in total
};

struct Contract {
  std::string name;
  std::vector<ContractParty> parties;
  std::vector<std::string> personas;  // targeted persona keys
  std::vector<ContractObjective> objectives;
  std::string mql_rule;  // the qualification rule text, evaluated by scoring
  MarketingObligations marketing;
  SalesObligations sales;
  RoutingConfig routing;
  std::vector<RejectionReason> rejection_reasons;
  std::vector<RecycleRule> recycle_rules;
  std::vector<EscalationStep> escalation;  // in ascending after_hours
  CalendarSpec calendar;                   // the default calendar
  std::vector<TeamCalendar> team_calendars;
  std::optional<Compensation> compensation;

  const RejectionReason* FindReason(std::string_view code) const;
  // The calendar of `team` when the contract gives it one, otherwise the default calendar.
  const CalendarSpec& CalendarFor(std::string_view team) const;
  // The head of a party whose email is `email` (normalised), or null.
  const ContractParty* PartyOf(std::string_view email) const;
};

// One activated version of the contract, as stored. The text is kept byte for byte (it is
// what people signed); `hash` is ContractHash of its meaning. Versions are numbered by `id`;
// the version in force at an instant is the one with the latest `effective_at` not after it
// (the highest id on a tie). Versions are never edited or deleted: history is kept.
struct ContractVersion {
  Id id = 0;
  std::string name;  // the contract's `name`, for listings
  std::string text;
  std::string hash;
  Instant effective_at{};
  Instant activated_at{};
  std::optional<Id> activated_by;  // the user, none when activated by the operator's CLI
  std::string activated_by_label;  // the user's email, or "cli"
};

// A party head's acknowledgement of one version, for their team.
struct ContractAcknowledgement {
  Id version_id = 0;
  Id user_id = 0;
  std::string email;
  std::string team;
  Instant acknowledged_at{};
};

// The contract as ordered "path = value" lines, one per leaf ("sales.first_touch_hours" =
// "4", "calendar.hours.monday" = "09:00-12:30, 13:30-18:00", "rejection_reasons.no_budget.next"
// = "disqualified"). Lists of keyed items use their key in the path, so reordering them is no
// change. The basis of the diff and of the contract's hash.
std::vector<std::pair<std::string, std::string>> FlattenContract(const Contract& c);

// Readable lines from `a` to `b`: "sales.first_touch_hours: 4 -> 8", "+ path: value",
// "- path: value". Empty when the contracts mean the same.
std::vector<std::string> DiffContracts(const Contract& a, const Contract& b);

}  // namespace tandem::core
