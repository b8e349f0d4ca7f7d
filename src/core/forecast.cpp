#include "core/forecast.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

namespace tandem::core {

namespace {

std::int64_t CeilDiv(std::int64_t a, std::int64_t b) {
  return (a + b - 1) / b;
}

std::string Amount(const Goal& g, double v) {
  return FormatGoalAmount(g, static_cast<std::int64_t>(std::llround(v)));
}

std::string Pct(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f%%", x * 100.0);
  return buf;
}

double Beta(std::mt19937_64& rng, double a, double b) {
  std::gamma_distribution<double> ga(a, 1.0);
  std::gamma_distribution<double> gb(b, 1.0);
  const double x = ga(rng);
  const double y = gb(rng);
  return x + y > 0 ? x / (x + y) : 0.0;
}

}  // namespace

Result<Progress> ComputeProgress(const Goal& g, const ProgressInputs& in) {
  if (in.trials < 100 || in.trials > 100000) {
    return Fail(Error::Invalid("trials", "trials must be between 100 and 100000"));
  }
  const bool revenue = g.metric == GoalMetric::kRevenue;
  if (revenue && in.deal_size_minor <= 0) {
    return Fail(Error::Precondition(
        "no deal won to measure the deal size; a revenue forecast needs one", "deal_size"));
  }
  const std::size_t m = static_cast<std::size_t>(MetricStage(g.metric));
  const double unit = revenue ? static_cast<double>(in.deal_size_minor) : 1.0;
  Progress p;
  p.target = g.target;
  p.actual = in.actual;
  p.trials = in.trials;
  p.seed = in.seed;
  p.period_days = GoalDays(g);
  p.elapsed_days = std::clamp<std::int64_t>((in.today - g.from).count(), 0, p.period_days);
  p.expected_by_today = CeilDiv(g.target * p.elapsed_days, p.period_days);
  if (p.expected_by_today > 0) {
    p.pace = static_cast<double>(p.actual) / static_cast<double>(p.expected_by_today);
  }

  // Measured step rates (none: no data).
  std::array<std::optional<double>, kStepCount> measured{};
  for (std::size_t i = 0; i < kStepCount; ++i) {
    if (in.base[i] > 0) {
      measured[i] = static_cast<double>(in.passed[i]) / static_cast<double>(in.base[i]);
    }
  }

  // The plan per stage, from the metric's stage back to leads.
  std::array<std::optional<std::int64_t>, kMainStageCount> planned{};
  planned[m] = revenue ? CeilDiv(g.target, in.deal_size_minor) : g.target;
  for (std::size_t s = m; s-- > 1;) {
    std::optional<double> rate;
    auto given = g.rates.find(kAllSteps[s]);
    if (given != g.rates.end()) {
      rate = given->second;
    } else if (measured[s] && *measured[s] > 0) {
      rate = measured[s];
    }
    if (!rate || !planned[s + 1]) break;
    planned[s] = CeilCount(static_cast<double>(*planned[s + 1]) / *rate);
  }
  for (std::size_t s = 1; s <= m; ++s) {
    StageProgress sp;
    sp.stage = kMainStages[s];
    sp.planned = planned[s];
    sp.actual = in.reached[s];
    if (planned[s]) {
      sp.expected_by_today = CeilDiv(*planned[s] * p.elapsed_days, p.period_days);
      if (*sp.expected_by_today > 0) {
        sp.pace = static_cast<double>(sp.actual) / static_cast<double>(*sp.expected_by_today);
      }
    }
    p.stages.push_back(sp);
  }

  // Stage-to-target probabilities and the weighted pipeline.
  p.p_to_target[m] = 1.0;
  for (std::size_t s = m; s-- > 1;) {
    if (!p.p_to_target[s + 1] || !measured[s]) break;
    p.p_to_target[s] = *p.p_to_target[s + 1] * *measured[s];
  }
  for (std::size_t s = 1; s < m; ++s) {
    p.pipeline += static_cast<double>(in.open[s]) * p.p_to_target[s].value_or(0.0) * unit;
    p.horizon_days += in.median_days[s];
  }
  if (p.elapsed_days > 0) {
    p.run_rate_per_day = static_cast<double>(p.actual) / static_cast<double>(p.elapsed_days);
  }
  const double days_left = static_cast<double>(p.period_days - p.elapsed_days);
  p.run_rate_remaining = p.run_rate_per_day * std::max(0.0, days_left - p.horizon_days);
  p.forecast = static_cast<double>(p.actual) + p.pipeline + p.run_rate_remaining;

  // Monte Carlo.
  std::mt19937_64 rng(in.seed);
  std::vector<double> totals;
  totals.reserve(static_cast<std::size_t>(in.trials));
  std::int64_t hits = 0;
  const double arrivals_mean = p.run_rate_remaining / unit;
  for (int t = 0; t < in.trials; ++t) {
    std::array<double, kStepCount> r{};
    std::array<bool, kStepCount> known{};
    for (std::size_t s = 1; s < m; ++s) {
      if (in.base[s] > 0) {
        known[s] = true;
        r[s] = Beta(rng, static_cast<double>(in.passed[s] + 1),
                    static_cast<double>(in.base[s] - in.passed[s] + 1));
      }
    }
    double q = 1.0;
    bool chain = true;
    std::int64_t converted = 0;
    for (std::size_t s = m; s-- > 1;) {
      chain = chain && known[s];
      if (!chain) break;
      q *= r[s];
      if (in.open[s] > 0) {
        std::binomial_distribution<std::int64_t> bin(in.open[s], std::clamp(q, 0.0, 1.0));
        converted += bin(rng);
      }
    }
    std::int64_t arrivals = 0;
    if (arrivals_mean > 0) {
      std::poisson_distribution<std::int64_t> poi(arrivals_mean);
      arrivals = poi(rng);
    }
    const double total =
        static_cast<double>(p.actual) + static_cast<double>(converted + arrivals) * unit;
    totals.push_back(total);
    if (total >= static_cast<double>(g.target)) ++hits;
  }
  std::sort(totals.begin(), totals.end());
  auto rank = [&](double q) {
    const auto n = totals.size();
    std::size_t k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(n)));
    return totals[std::clamp<std::size_t>(k, 1, n) - 1];
  };
  p.forecast_p10 = rank(0.10);
  p.forecast_p90 = rank(0.90);
  p.probability = static_cast<double>(hits) / static_cast<double>(in.trials);
  p.probability_interval = *Wilson(hits, in.trials);

  p.summary =
      Amount(g, static_cast<double>(p.actual)) + " of " + Amount(g, g.target) + " to date" +
      (p.pace ? " (" + Pct(*p.pace) + " of pace)" : std::string(" (the period has not started)")) +
      "; forecast " + Amount(g, p.forecast) + ", " + Pct(p.probability) +
      " likely to reach the target (" + Pct(p.probability_interval.low) + "-" +
      Pct(p.probability_interval.high) + ")";
  return p;
}

}  // namespace tandem::core
