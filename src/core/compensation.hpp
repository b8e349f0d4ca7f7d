// Shared pay (docs/analytics.md, "Shared pay"): the contract's compensation pool paid out on
// the KPIs both teams own, with the arithmetic shown line by line.
//
// For a pay period (whole local days, both ends included, in the company's zone):
//  * The pool of the period is the contract's pool per `week` (Monday to Sunday) or calendar
//    `month`, pro-rated by days: each local week or month the period touches contributes
//    pool x days inside / days of that week or month. A whole month gives exactly the pool.
//    Cents are rounded half away from zero once, on the sum.
//  * Each KPI measures an actual against a target (both in the KPI's unit); attainment =
//    actual / target. No actual, no target or a target of zero is "no data": the KPI pays
//    nothing and says why, nothing is divided by zero.
//  * The threshold is met when attainment x 100 >= threshold_percent (compared with a
//    tolerance of 1e-9 so that 48 of 60 is exactly 80%). Below it the KPI pays 0.
//  * The counted attainment is min(attainment, KPI cap); "cap applied" when the cap bit.
//  * KPI pool = period pool x weight / 100 (cents, half away from zero); the KPI earns
//    KPI pool x counted attainment (cents, half away from zero).
//  * The total is the sum of the KPIs' earnings, at most the period pool x the pool's
//    cap_percent / 100 ("pool cap applied" when it bit).
//  * Participants share the total equally: each gets floor(total / n) cents and the cents left
//    (fewer than n) go one each to the first participants in the order given (the app orders
//    them by user id). No participant: nothing is paid out and the statement says so.
// Pure functions: no I/O, no clock. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/contract.hpp"
#include "core/model.hpp"
#include "core/time.hpp"

namespace tandem::core {

// The unit an actual and its target are measured in (for the statement's words).
enum class KpiUnit : std::uint8_t {
  kCount,       // MQLs, clocks
  kMoneyMinor,  // minor units of the compensation's currency
  kShare,       // a share in [0, 1]
};

// One KPI's measured figures for the pay period, as the app measured them.
struct KpiMeasure {
  Kpi kpi = Kpi::kMqlQuotaAttainment;
  KpiUnit unit = KpiUnit::kCount;
  std::optional<double> actual;
  std::optional<double> target;
  std::string basis;    // what was measured, in words ("MQLs handed over against the quota")
  std::string no_data;  // why there is no figure, when actual or target is missing
};

// One line of the statement.
struct PayLine {
  KpiTerm term;
  KpiMeasure measure;
  std::optional<double> attainment;  // actual / target; nothing for "no data"
  bool threshold_met = false;
  std::optional<double> counted;  // min(attainment, cap) when the threshold is met
  bool cap_applied = false;
  std::int64_t kpi_pool_cents = 0;  // the period pool x weight
  std::int64_t earned_cents = 0;    // kpi pool x counted, 0 otherwise
  std::string text;                 // the line in words, with its arithmetic
};

struct Payout {
  Id user_id = 0;
  std::string email;
  std::int64_t cents = 0;
};

struct PayParticipant {
  Id user_id = 0;
  std::string email;
};

struct PayComputation {
  std::int64_t pool_cents = 0;  // of the period, pro-rated
  std::string currency;
  std::vector<PayLine> lines;          // in the contract's order of KPIs
  std::int64_t earned_cents = 0;       // sum of the lines
  std::int64_t pool_cap_cents = 0;     // pool x cap_percent / 100
  bool pool_cap_applied = false;       // earned was above the pool cap
  std::int64_t total_cents = 0;        // paid out in all
  std::vector<Payout> payouts;         // one per participant, in the order given
  std::vector<std::string> statement;  // every line of the arithmetic, in order
};

// The pool of the local days [from, to] (both included) under `c`, rounded to cents.
std::int64_t PoolForPeriod(const Compensation& c, Date from, Date to);

// Rounds half away from zero to a whole number of cents.
std::int64_t RoundCents(double cents);

// The attainment of `m`, or nothing (no actual, no target or a target of zero).
std::optional<double> Attainment(const KpiMeasure& m);

// The whole computation. `measures` gives each KPI of `c` its figures (a KPI missing there is
// "no data"). Payouts split the total over `participants` as the header says.
PayComputation ComputePay(const Compensation& c, std::int64_t pool_cents,
                          const std::vector<KpiMeasure>& measures,
                          const std::vector<PayParticipant>& participants);

// "1,234.50 EUR" from 123450 minor units.
std::string FormatMoney(std::int64_t minor, std::string_view currency);

}  // namespace tandem::core
