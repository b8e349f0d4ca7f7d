#include "core/goal.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace tandem::core {

namespace {

constexpr std::array<std::string_view, 7> kMetricNames = {
    "revenue", "new_customers", "mqls", "sqls", "sals", "opportunities", "leads"};
constexpr std::array<std::string_view, 7> kMetricWords = {
    "revenue", "new customers", "MQLs", "SQLs", "SALs", "opportunities", "leads"};

std::string Percent(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f%%", x * 100.0);
  return buf;
}

std::string Ratio(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

}  // namespace

std::string_view ToString(GoalMetric m) {
  return kMetricNames[static_cast<std::size_t>(m)];
}

std::optional<GoalMetric> GoalMetricFromString(std::string_view text) {
  for (GoalMetric m : kAllGoalMetrics) {
    if (ToString(m) == text) return m;
  }
  return std::nullopt;
}

Stage MetricStage(GoalMetric m) {
  switch (m) {
    case GoalMetric::kRevenue:
    case GoalMetric::kNewCustomers: return Stage::kCustomer;
    case GoalMetric::kMqls: return Stage::kMql;
    case GoalMetric::kSqls: return Stage::kSql;
    case GoalMetric::kSals: return Stage::kSal;
    case GoalMetric::kOpportunities: return Stage::kOpportunity;
    case GoalMetric::kLeads: return Stage::kLead;
  }
  return Stage::kCustomer;
}

std::string_view ToString(Verdict v) {
  switch (v) {
    case Verdict::kPass: return "pass";
    case Verdict::kFail: return "fail";
    case Verdict::kUnknown: return "unknown";
  }
  return "unknown";
}

Instant GoalStart(const Goal& g) {
  return Instant{std::chrono::duration_cast<std::chrono::milliseconds>(g.from.time_since_epoch())};
}

Instant GoalEnd(const Goal& g) {
  return Instant{std::chrono::duration_cast<std::chrono::milliseconds>(
      (g.to + std::chrono::days{1}).time_since_epoch())};
}

std::int64_t GoalDays(const Goal& g) {
  return (g.to - g.from).count() + 1;
}

Result<void> ValidateGoal(const Goal& g) {
  if (g.name.empty() || g.name.size() > 200) {
    return Fail(Error::Invalid("name", "name must be 1 to 200 characters"));
  }
  if (g.target <= 0) {
    return Fail(Error::Invalid("target", "target must be positive"));
  }
  if (g.to < g.from) {
    return Fail(Error::Invalid("to", "the goal must not end (to) before it starts (from)"));
  }
  if (GoalDays(g) > kMaxGoalDays) {
    return Fail(
        Error::Invalid("to", "a goal spans at most " + std::to_string(kMaxGoalDays) + " days"));
  }
  if (g.currency.size() != 3 || !std::all_of(g.currency.begin(), g.currency.end(),
                                             [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return Fail(Error::Invalid("currency", "currency must be three capital letters (ISO 4217)"));
  }
  for (const auto& [step, rate] : g.rates) {
    if (!(rate > 0.0 && rate <= 1.0)) {
      const std::string field = "rates." + std::string(ToString(step));
      return Fail(Error::Invalid(field, field + " must be in (0, 1]"));
    }
  }
  std::set<Id> seen;
  for (Id o : g.owners) {
    if (o <= 0) return Fail(Error::Invalid("owners", "owners must be user ids"));
    if (!seen.insert(o).second) {
      return Fail(Error::Invalid("owners", "owner " + std::to_string(o) + " is named twice"));
    }
  }
  return {};
}

std::string FormatGoalAmount(const Goal& g, std::int64_t value) {
  if (g.metric == GoalMetric::kRevenue) {
    const std::int64_t cents = value % 100;
    char buf[8];
    std::snprintf(buf, sizeof buf, ".%02lld", static_cast<long long>(cents < 0 ? -cents : cents));
    return FormatMajorUnits(value - cents) + buf + " " + g.currency;
  }
  return std::to_string(value) + " " +
         std::string(kMetricWords[static_cast<std::size_t>(g.metric)]);
}

SmartCheck CheckSmart(const Goal& g, const SmartInputs& in) {
  SmartCheck out;
  const std::string what(kMetricWords[static_cast<std::size_t>(g.metric)]);

  // Specific.
  LetterCheck& s = out.letters[0];
  s = {'S', "Specific", Verdict::kPass, ""};
  std::string scope = "all contacts";
  if (g.source && g.campaign) {
    scope = "contacts of source \"" + *g.source + "\" and campaign \"" + *g.campaign + "\"";
  } else if (g.source) {
    scope = "contacts of source \"" + *g.source + "\"";
  } else if (g.campaign) {
    scope = "contacts of campaign \"" + *g.campaign + "\"";
  }
  if (g.owners.empty()) {
    s.verdict = Verdict::kFail;
    s.reason = "the metric (" + what + ") and scope (" + scope + ") are set, but nobody owns it";
  } else {
    s.reason = "metric " + what + ", scope " + scope + ", " + std::to_string(g.owners.size()) +
               (g.owners.size() == 1 ? " owner" : " owners");
  }

  // Measurable.
  LetterCheck& m = out.letters[1];
  m = {'M', "Measurable", Verdict::kPass, ""};
  if (g.metric == GoalMetric::kRevenue) {
    m.reason = "Tandem sums the won deals in " + g.currency + " closed in the period";
  } else {
    m.reason = "Tandem counts the contacts reaching " +
               std::string(ToString(MetricStage(g.metric))) +
               " (or a later stage) in the period from the stage history";
  }

  // Achievable.
  LetterCheck& a = out.letters[2];
  a = {'A', "Achievable", Verdict::kUnknown, ""};
  std::optional<std::pair<Date, std::int64_t>> best;
  for (const auto& p : in.past) {
    if (!best || p.second > best->second) best = p;
  }
  if (!best || best->second <= 0) {
    a.reason = "no data: no " + what + " in the " + std::to_string(in.past.size()) +
               " comparable past periods of " + std::to_string(GoalDays(g)) +
               " days, so the target cannot be compared";
  } else {
    const double ratio = static_cast<double>(g.target) / static_cast<double>(best->second);
    const std::string cmp = "the target " + FormatGoalAmount(g, g.target) + " is " + Ratio(ratio) +
                            " times the best comparable past period (" +
                            FormatGoalAmount(g, best->second) + " from " + FormatDate(best->first) +
                            ")";
    if (ratio <= kStretch) {
      a.verdict = Verdict::kPass;
      a.reason = cmp + ", within " + Ratio(kStretch) + " times";
    } else {
      a.verdict = Verdict::kFail;
      a.reason = cmp + ", above " + Ratio(kStretch) + " times";
    }
  }

  // Realistic.
  LetterCheck& r = out.letters[3];
  r = {'R', "Realistic", Verdict::kUnknown, ""};
  if (g.rates.empty()) {
    r.reason =
        "no planned stage rates to judge (give rates to check them against the measured ones)";
  } else {
    std::vector<std::string> above, inside, nodata;
    for (const auto& [step, rate] : g.rates) {
      const std::size_t i = Index(step);
      const auto iv = Wilson(in.passed[i], in.base[i]);
      const std::string label = StepLabel(step) + " " + Percent(rate) + " planned";
      if (!iv) {
        nodata.push_back(label + " (no data)");
        continue;
      }
      const double measured = static_cast<double>(in.passed[i]) / static_cast<double>(in.base[i]);
      const std::string text = label + " against " + Percent(measured) + " measured (" +
                               Percent(iv->low) + "-" + Percent(iv->high) + ", " +
                               std::to_string(in.base[i]) + " at base)";
      (rate > iv->high ? above : inside).push_back(text);
    }
    auto join = [](const std::vector<std::string>& v) {
      std::string o;
      for (const auto& x : v) o += (o.empty() ? "" : "; ") + x;
      return o;
    };
    if (!above.empty()) {
      r.verdict = Verdict::kFail;
      r.reason = "above the measured interval: " + join(above);
    } else if (!nodata.empty()) {
      r.reason =
          "no data for " + join(nodata) + (inside.empty() ? "" : "; within: " + join(inside));
    } else {
      r.verdict = Verdict::kPass;
      r.reason = "every planned rate within or below the measured interval: " + join(inside);
    }
  }

  // Time-bound.
  LetterCheck& t = out.letters[4];
  t = {'T', "Time-bound", Verdict::kPass, ""};
  t.reason = "from " + FormatDate(g.from) + " to " + FormatDate(g.to) + " (" +
             std::to_string(GoalDays(g)) + " days)";
  if (g.to < in.today) t.reason += "; already ended";

  out.smart = std::all_of(out.letters.begin(), out.letters.end(),
                          [](const LetterCheck& l) { return l.verdict == Verdict::kPass; });
  std::string failing;
  for (const auto& l : out.letters) {
    if (l.verdict != Verdict::kPass) {
      failing +=
          (failing.empty() ? "" : ", ") + l.name + " (" + std::string(ToString(l.verdict)) + ")";
    }
  }
  out.summary = out.smart ? "SMART: every letter passes" : "not SMART yet: " + failing;
  return out;
}

}  // namespace tandem::core
