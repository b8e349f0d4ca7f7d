#include "core/funnel.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

namespace tandem::core {

std::string_view ToString(FunnelView v) {
  return v == FunnelView::kCohort ? "cohort" : "period";
}

std::optional<FunnelView> FunnelViewFromString(std::string_view text) {
  if (text == "cohort") return FunnelView::kCohort;
  if (text == "period") return FunnelView::kPeriod;
  return std::nullopt;
}

std::string_view ToString(FunnelBreakdown b) {
  switch (b) {
    case FunnelBreakdown::kNone: return "";
    case FunnelBreakdown::kSource: return "source";
    case FunnelBreakdown::kCampaign: return "campaign";
    case FunnelBreakdown::kOwner: return "owner";
    case FunnelBreakdown::kWeek: return "week";
    case FunnelBreakdown::kPersona: return "persona";
  }
  return "";
}

std::string_view AllowedFunnelBreakdowns() {
  return "source, campaign, owner, week, persona";
}

Result<FunnelBreakdown> FunnelBreakdownFromString(std::string_view text) {
  for (FunnelBreakdown b :
       {FunnelBreakdown::kNone, FunnelBreakdown::kSource, FunnelBreakdown::kCampaign,
        FunnelBreakdown::kOwner, FunnelBreakdown::kWeek, FunnelBreakdown::kPersona}) {
    if (ToString(b) == text) return b;
  }
  return Fail(Error::Invalid("by", "unknown breakdown '" + std::string(text) +
                                       "'; allowed: " + std::string(AllowedFunnelBreakdowns())));
}

std::optional<Interval> Wilson(std::int64_t successes, std::int64_t trials, double z) {
  if (trials <= 0) return std::nullopt;
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z2 = z * z;
  const double denom = 1.0 + z2 / n;
  const double centre = (p + z2 / (2.0 * n)) / denom;
  const double half = z * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denom;
  return Interval{std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

std::optional<std::int64_t> Percentile(const HourHistogram& h, double p) {
  std::int64_t total = 0;
  for (const auto& [hours, count] : h) total += count;
  if (total == 0) return std::nullopt;
  HourHistogram sorted = h;
  std::sort(sorted.begin(), sorted.end());
  // Nearest rank: the smallest value with at least ceil(p * n) values at or below it.
  const auto rank =
      std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(p * total - 1e-9)));
  std::int64_t seen = 0;
  for (const auto& [hours, count] : sorted) {
    seen += count;
    if (seen >= rank) return hours;
  }
  return sorted.back().first;
}

FunnelFigures ComputeFigures(const FunnelCounts& counts) {
  FunnelFigures f;
  f.key = counts.key;
  f.reached = counts.reached;
  for (FunnelStep s : kAllSteps) {
    const std::size_t i = Index(s);
    StepFigures& st = f.steps[i];
    st.step = s;
    st.base = counts.base[i];
    st.passed = counts.passed[i];
    st.dropped = st.base - st.passed;
    if (st.base > 0) {
      st.rate = static_cast<double>(st.passed) / static_cast<double>(st.base);
      st.interval = Wilson(st.passed, st.base);
    }
    st.p50_hours = Percentile(counts.hours[i], 0.5);
    st.p90_hours = Percentile(counts.hours[i], 0.9);
  }
  return f;
}

std::string FormatMajorUnits(std::int64_t minor) {
  const bool negative = minor < 0;
  const std::int64_t major = ((negative ? -minor : minor) + 50) / 100;
  std::string digits = std::to_string(major);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return negative ? "-" + out : out;
}

namespace {

std::string Percent(double x) {
  return std::to_string(static_cast<int>(std::lround(x * 100)));
}

}  // namespace

std::vector<BrokenStep> FindBrokenSteps(const FunnelFigures& f,
                                        const std::array<double, kStepCount>& planned,
                                        std::int64_t deal_size_minor, std::string_view currency,
                                        std::string_view period_words) {
  std::vector<BrokenStep> out;
  for (FunnelStep s : kAllSteps) {
    const std::size_t i = Index(s);
    const StepFigures& st = f.steps[i];
    if (!st.rate || !st.interval) continue;
    if (!(planned[i] > st.interval->high)) continue;
    BrokenStep b;
    b.step = s;
    b.rate = *st.rate;
    b.planned = planned[i];
    b.interval = *st.interval;
    double extra = static_cast<double>(st.base) * (planned[i] - *st.rate);
    for (std::size_t j = i + 1; j < kStepCount; ++j) {
      extra *= f.steps[j].rate ? *f.steps[j].rate : planned[j];
    }
    b.extra_deals = extra;
    b.revenue_minor = std::llround(extra * static_cast<double>(deal_size_minor) / 100.0) * 100;
    out.push_back(std::move(b));
  }
  std::stable_sort(out.begin(), out.end(), [](const BrokenStep& a, const BrokenStep& b) {
    return a.revenue_minor > b.revenue_minor;
  });
  for (std::size_t k = 0; k < out.size(); ++k) {
    BrokenStep& b = out[k];
    b.sentence = StepLabel(b.step) + (k == 0 ? " is the broken step: " : " is also below plan: ") +
                 Percent(b.rate) + "% against " + Percent(b.planned) + "% planned (" +
                 Percent(b.interval.low) + "-" + Percent(b.interval.high) + "%), about " +
                 FormatMajorUnits(b.revenue_minor) + " " + std::string(currency) + " " +
                 std::string(period_words);
  }
  return out;
}

}  // namespace tandem::core
