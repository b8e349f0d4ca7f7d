#include "core/compensation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace tandem::core {

namespace {

constexpr double kTolerance = 1e-9;

// "80.0%" (one decimal).
std::string Pct1(double share) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", share * 100);
  return buf;
}

std::string Amount(double v, KpiUnit unit, std::string_view currency) {
  char buf[64];
  switch (unit) {
    case KpiUnit::kMoneyMinor: return FormatMoney(RoundCents(v), currency);
    case KpiUnit::kShare: return Pct1(v);
    case KpiUnit::kCount:
      if (std::abs(v - std::round(v)) < kTolerance) {
        std::snprintf(buf, sizeof buf, "%.0f", v);
      } else {
        std::snprintf(buf, sizeof buf, "%.2f", v);
      }
      return buf;
  }
  return {};
}

}  // namespace

std::int64_t RoundCents(double cents) {
  return static_cast<std::int64_t>(std::llround(cents));
}

std::string FormatMoney(std::int64_t minor, std::string_view currency) {
  const bool negative = minor < 0;
  const std::int64_t abs = negative ? -minor : minor;
  std::string digits = std::to_string(abs / 100);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  char cents[8];
  std::snprintf(cents, sizeof cents, ".%02lld", static_cast<long long>(abs % 100));
  return (negative ? "-" : "") + out + cents + " " + std::string(currency);
}

std::int64_t PoolForPeriod(const Compensation& c, Date from, Date to) {
  if (to < from) return 0;
  // Days inside each week (keyed by its Monday) or month (keyed by its first day).
  std::map<Date, std::pair<int, int>> parts;  // start -> (days inside, days of the period)
  for (Date d = from; d <= to; d += std::chrono::days(1)) {
    Date start;
    int length = 7;
    if (c.period == QuotaPeriod::kWeek) {
      const std::chrono::weekday wd{d};
      start = d - std::chrono::days((wd.c_encoding() + 6) % 7);
    } else {
      const std::chrono::year_month_day ymd{d};
      start = std::chrono::sys_days(ymd.year() / ymd.month() / std::chrono::day(1));
      const std::chrono::year_month_day_last last{ymd.year() / ymd.month() / std::chrono::last};
      length = static_cast<int>(static_cast<unsigned>(last.day()));
    }
    auto& part = parts[start];
    part.first += 1;
    part.second = length;
  }
  double cents = 0;
  for (const auto& [start, part] : parts) {
    cents += static_cast<double>(c.pool_cents) * part.first / part.second;
  }
  return RoundCents(cents);
}

std::optional<double> Attainment(const KpiMeasure& m) {
  if (!m.actual || !m.target || *m.target <= 0) return std::nullopt;
  return *m.actual / *m.target;
}

PayComputation ComputePay(const Compensation& c, std::int64_t pool_cents,
                          const std::vector<KpiMeasure>& measures,
                          const std::vector<PayParticipant>& participants) {
  PayComputation out;
  out.pool_cents = pool_cents;
  out.currency = c.currency;
  const std::string& cur = c.currency;
  out.statement.push_back("Pool of the period: " + FormatMoney(pool_cents, cur) + ".");
  for (const KpiTerm& term : c.kpis) {
    PayLine line;
    line.term = term;
    auto it = std::find_if(measures.begin(), measures.end(),
                           [&](const KpiMeasure& m) { return m.kpi == term.kpi; });
    if (it != measures.end()) {
      line.measure = *it;
    } else {
      line.measure.kpi = term.kpi;
      line.measure.no_data = "not measured";
    }
    line.kpi_pool_cents = RoundCents(static_cast<double>(pool_cents) * term.weight_percent / 100.0);
    line.attainment = Attainment(line.measure);
    const std::string name(ToString(term.kpi));
    std::string text = name + ": ";
    if (!line.attainment) {
      const std::string why = line.measure.no_data.empty()
                                  ? std::string("no target to measure against")
                                  : line.measure.no_data;
      text += "no data (" + why + "); weight " + std::to_string(term.weight_percent) +
              "% of the pool = " + FormatMoney(line.kpi_pool_cents, cur) + "; earns " +
              FormatMoney(0, cur) + ".";
    } else {
      const double a = *line.attainment;
      line.threshold_met = a * 100 + kTolerance >= term.threshold_percent;
      const double cap = term.cap_percent / 100.0;
      text += "actual " + Amount(*line.measure.actual, line.measure.unit, cur) + ", target " +
              Amount(*line.measure.target, line.measure.unit, cur) + ", attainment " + Pct1(a) +
              "; threshold " + std::to_string(term.threshold_percent) + "% " +
              (line.threshold_met ? "met" : "missed") + "; weight " +
              std::to_string(term.weight_percent) +
              "% of the pool = " + FormatMoney(line.kpi_pool_cents, cur) + "; ";
      if (line.threshold_met) {
        line.cap_applied = a > cap + kTolerance;
        line.counted = line.cap_applied ? cap : a;
        line.earned_cents = RoundCents(static_cast<double>(line.kpi_pool_cents) * *line.counted);
        text += line.cap_applied ? "cap " + std::to_string(term.cap_percent) +
                                       "% applied, counted " + Pct1(*line.counted)
                                 : "counted " + Pct1(*line.counted) + " (cap " +
                                       std::to_string(term.cap_percent) + "% not reached)";
        text += "; earns " + FormatMoney(line.kpi_pool_cents, cur) + " x " + Pct1(*line.counted) +
                " = " + FormatMoney(line.earned_cents, cur) + ".";
      } else {
        text += "earns " + FormatMoney(0, cur) + ".";
      }
    }
    line.text = text;
    out.earned_cents += line.earned_cents;
    out.statement.push_back(text);
    out.lines.push_back(std::move(line));
  }
  out.pool_cap_cents = RoundCents(static_cast<double>(pool_cents) * c.cap_percent / 100.0);
  out.pool_cap_applied = out.earned_cents > out.pool_cap_cents;
  out.total_cents = out.pool_cap_applied ? out.pool_cap_cents : out.earned_cents;
  out.statement.push_back("Earned by the KPIs: " + FormatMoney(out.earned_cents, cur) +
                          "; pool cap " + std::to_string(c.cap_percent) +
                          "% = " + FormatMoney(out.pool_cap_cents, cur) +
                          (out.pool_cap_applied ? " applied" : " not reached") +
                          "; paid out: " + FormatMoney(out.total_cents, cur) + ".");
  if (participants.empty()) {
    out.statement.push_back("Nobody takes part: nothing is paid out.");
    return out;
  }
  const auto n = static_cast<std::int64_t>(participants.size());
  const std::int64_t each = out.total_cents / n;
  std::int64_t left = out.total_cents - each * n;
  for (const auto& p : participants) {
    Payout po{p.user_id, p.email, each};
    if (left > 0) {
      po.cents += 1;
      --left;
    }
    out.payouts.push_back(std::move(po));
  }
  out.statement.push_back("Shared equally by " + std::to_string(n) + " participant" +
                          (n == 1 ? "" : "s") + ": " + FormatMoney(out.total_cents, cur) + " / " +
                          std::to_string(n) + " = " + FormatMoney(each, cur) +
                          (out.total_cents % n == 0
                               ? " each."
                               : " each, the " + std::to_string(out.total_cents % n) +
                                     " cent(s) left to the first in order."));
  return out;
}

}  // namespace tandem::core
