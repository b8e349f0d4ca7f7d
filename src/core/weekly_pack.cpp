#include "core/weekly_pack.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/feedback.hpp"
#include "core/funnel.hpp"

namespace tandem::core {

namespace {

using namespace std::chrono;

// The Monday of ISO week 1: the week holding 4 January.
Date Week1Monday(int y) {
  const Date jan4 = sys_days{year{y} / January / 4};
  const weekday wd{jan4};
  return jan4 - days((wd.c_encoding() + 6) % 7);
}

unsigned WeeksIn(int y) {
  return static_cast<unsigned>((Week1Monday(y + 1) - Week1Monday(y)).count() / 7);
}

std::string Count(std::int64_t v, bool money, const std::string& currency) {
  if (money) return FormatMajorUnits(v) + " " + currency;
  return std::to_string(v);
}

std::string Pct(double share) {
  return std::to_string(static_cast<long long>(std::llround(share * 100))) + "%";
}

}  // namespace

Result<IsoWeek> ParseIsoWeek(std::string_view text) {
  auto bad = [&] {
    return Fail(Error::Invalid(
        "week", "week must be an ISO week like 2026-W48, got '" + std::string(text) + "'"));
  };
  if (text.size() != 8 || text[4] != '-' || text[5] != 'W') return bad();
  for (std::size_t i : {0u, 1u, 2u, 3u, 6u, 7u}) {
    if (text[i] < '0' || text[i] > '9') return bad();
  }
  IsoWeek w;
  w.year = std::stoi(std::string(text.substr(0, 4)));
  w.week = static_cast<unsigned>(std::stoi(std::string(text.substr(6, 2))));
  if (w.year < 1970 || w.week < 1 || w.week > WeeksIn(w.year)) {
    return Fail(Error::Invalid(
        "week", "there is no week " + std::string(text) + " (ISO year " + std::to_string(w.year) +
                    " has " + std::to_string(w.year >= 1970 ? WeeksIn(w.year) : 0) + " weeks)"));
  }
  return w;
}

std::string FormatIsoWeek(IsoWeek w) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-W%02u", w.year, w.week);
  return buf;
}

Date MondayOf(IsoWeek w) {
  return Week1Monday(w.year) + days(7 * (static_cast<int>(w.week) - 1));
}

IsoWeek IsoWeekOf(Date d) {
  const weekday wd{d};
  const Date monday = d - days((wd.c_encoding() + 6) % 7);
  // The ISO year is the year of the week's Thursday.
  const int y = static_cast<int>(year_month_day{monday + days(3)}.year());
  return {y, static_cast<unsigned>((monday - Week1Monday(y)).count() / 7 + 1)};
}

std::vector<Action> SuggestActions(const WeekFindings& f) {
  std::vector<Action> out;
  if (f.broken_step) {
    // The funnel's sentence names the step first; the action says what to do with it.
    std::string figures = f.broken_sentence;
    const std::string prefix = *f.broken_step + " is the broken step: ";
    if (figures.rfind(prefix, 0) == 0) figures = figures.substr(prefix.size());
    out.push_back({"broken_step", "Fix " + *f.broken_step + ": " + figures});
  }
  for (const auto& g : f.goals) {
    if (g.expected <= 0) continue;
    const double pace = static_cast<double>(g.actual) / static_cast<double>(g.expected);
    if (pace >= kBehindPace) continue;
    out.push_back({"goal_behind_pace", "Goal '" + g.name + "' is at " + Pct(pace) +
                                           " of its pace: " + Count(g.actual, g.money, g.currency) +
                                           " of " + Count(g.expected, g.money, g.currency) +
                                           " expected by " + FormatDate(g.as_of) + "."});
  }
  std::vector<const RepFinding*> reps;
  for (const auto& r : f.reps) {
    if (r.missed > 0 && r.decided > 0) reps.push_back(&r);
  }
  std::stable_sort(reps.begin(), reps.end(), [](const RepFinding* a, const RepFinding* b) {
    if (a->missed != b->missed) return a->missed > b->missed;
    // Lower share on time first: a missed of b decided against the other's, cross-multiplied.
    const std::int64_t on_a = (a->decided - a->missed) * b->decided;
    const std::int64_t on_b = (b->decided - b->missed) * a->decided;
    if (on_a != on_b) return on_a < on_b;
    return a->rep < b->rep;
  });
  for (std::size_t i = 0; i < reps.size() && i < kMaxListed; ++i) {
    const RepFinding& r = *reps[i];
    out.push_back({"rep_first_touch",
                   "Coach " + r.rep + ": " + std::to_string(r.missed) + " of " +
                       std::to_string(r.decided) + " first touches missed (" +
                       Pct(static_cast<double>(r.decided - r.missed) / r.decided) + " on time)."});
  }
  if (reps.size() > kMaxListed) {
    const std::size_t more = reps.size() - kMaxListed;
    out.push_back(
        {"more_reps_first_touch", std::to_string(more) + (more == 1 ? " more rep" : " more reps") +
                                      " missed first touches: see SLA compliance by rep."});
  }
  if (f.expected_mqls && *f.expected_mqls > 0) {
    const double a = static_cast<double>(f.mqls) / *f.expected_mqls;
    if (a < 1.0) {
      char expected[32];
      std::snprintf(expected, sizeof expected, "%.1f", *f.expected_mqls);
      out.push_back({"mql_quota", "Marketing handed over " + std::to_string(f.mqls) +
                                      " MQLs against " + expected + " expected (" + Pct(a) +
                                      " of the quota)."});
    }
  }
  if (f.grade_ab_share && f.min_grade_ab_percent &&
      *f.grade_ab_share * 100 < *f.min_grade_ab_percent) {
    out.push_back({"mql_quality", "MQL quality: " + Pct(*f.grade_ab_share) +
                                      " graded A or B against the minimum " +
                                      std::to_string(*f.min_grade_ab_percent) + "%."});
  }
  if (f.persona_share && f.min_persona_match_percent &&
      *f.persona_share * 100 < *f.min_persona_match_percent) {
    out.push_back({"mql_quality", "MQL quality: " + Pct(*f.persona_share) +
                                      " matching a persona against the minimum " +
                                      std::to_string(*f.min_persona_match_percent) + "%."});
  }
  struct Flagged {
    const CampaignFinding* c;
    double share;
  };
  std::vector<Flagged> flagged;
  for (const auto& c : f.campaigns) {
    if (c.dispositions < kMinDispositions) continue;
    const double share = static_cast<double>(c.rejected) / static_cast<double>(c.dispositions);
    if (share >= kHighRejection) flagged.push_back({&c, share});
  }
  std::stable_sort(flagged.begin(), flagged.end(), [](const Flagged& a, const Flagged& b) {
    // Exact comparison of the shares: rejected / dispositions, cross-multiplied.
    const std::int64_t ra = a.c->rejected * b.c->dispositions;
    const std::int64_t rb = b.c->rejected * a.c->dispositions;
    if (ra != rb) return ra > rb;
    if (a.c->dispositions != b.c->dispositions) return a.c->dispositions > b.c->dispositions;
    return a.c->campaign < b.c->campaign;
  });
  for (std::size_t i = 0; i < flagged.size() && i < kMaxListed; ++i) {
    const CampaignFinding& c = *flagged[i].c;
    const std::string name = c.campaign.empty() ? "leads without a campaign" : c.campaign;
    out.push_back({"campaign_rejections",
                   "Review '" + name + "' with sales: " + Pct(flagged[i].share) + " of its " +
                       std::to_string(c.dispositions) + " leads rejected" +
                       (c.top_reason.empty() ? "" : ", mostly '" + c.top_reason + "'") + "."});
  }
  if (flagged.size() > kMaxListed) {
    const std::size_t more = flagged.size() - kMaxListed;
    out.push_back({"more_campaign_rejections",
                   std::to_string(more) +
                       (more == 1 ? " more campaign has " : " more campaigns have ") +
                       Pct(kHighRejection) + (more == 1 ? " or more of its" : " or more of their") +
                       " leads rejected: see sales feedback by campaign."});
  }
  return out;
}

NextWeekTargets ComputeNextWeekTargets(Stage metric_stage, bool revenue, std::int64_t remaining,
                                       std::int64_t weeks_left,
                                       std::optional<std::int64_t> deal_size_minor,
                                       const std::map<FunnelStep, double>& rates) {
  NextWeekTargets t;
  if (weeks_left < 1) weeks_left = 1;
  if (remaining <= 0) {
    t.note = "the goal is reached: nothing more is needed";
    return t;
  }
  t.metric = CeilCount(static_cast<double>(remaining) / static_cast<double>(weeks_left));
  std::int64_t count = t.metric;
  Stage stage = metric_stage;
  if (revenue) {
    if (!deal_size_minor || *deal_size_minor <= 0) {
      t.note = "no won deal in the last 180 days to size deals: revenue only";
      return t;
    }
    count = CeilCount(static_cast<double>(t.metric) / static_cast<double>(*deal_size_minor));
    stage = Stage::kCustomer;
  }
  t.stages.push_back({stage, count});
  t.note = "remaining / weeks left, rounded up; earlier stages by the goal's planned rates";
  while (stage != Stage::kLead) {
    const auto step = static_cast<FunnelStep>(static_cast<std::size_t>(stage) - 1);
    auto it = rates.find(step);
    if (it == rates.end()) {
      t.note = "stops before " + std::string(ToString(step)) + ": the goal plans no rate for it";
      break;
    }
    count = CeilCount(static_cast<double>(count) / it->second);
    stage = static_cast<Stage>(static_cast<std::size_t>(stage) - 1);
    t.stages.push_back({stage, count});
  }
  return t;
}

}  // namespace tandem::core
