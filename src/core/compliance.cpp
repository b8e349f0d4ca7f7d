#include "core/compliance.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace tandem::core {
namespace {

using std::chrono::milliseconds;

constexpr std::pair<ComplianceBreakdown, std::string_view> kBreakdowns[] = {
    {ComplianceBreakdown::kRep, "rep"},
    {ComplianceBreakdown::kTeam, "team"},
    {ComplianceBreakdown::kWeek, "week"}};

Instant FromLocal(const date::time_zone* zone, date::local_days day) {
  auto sys = zone->to_sys(date::local_seconds(day.time_since_epoch()), date::choose::earliest);
  return std::chrono::time_point_cast<milliseconds>(sys);
}

date::local_days LocalDay(const date::time_zone* zone, Instant t) {
  return date::floor<date::days>(zone->to_local(t));
}

// The local week or calendar month containing t, as [start, end) instants.
std::pair<Instant, Instant> QuotaPeriodAround(const date::time_zone* zone, Instant t,
                                              QuotaPeriod kind) {
  if (kind == QuotaPeriod::kWeek) {
    const Date monday = LocalMonday(zone, t);
    return {StartOfLocalDay(zone, monday), StartOfLocalDay(zone, monday + date::days(7))};
  }
  const date::year_month_day ymd{LocalDay(zone, t)};
  const date::year_month first = ymd.year() / ymd.month();
  const date::year_month next = first + date::months(1);
  return {FromLocal(zone, date::local_days(first / 1)),
          FromLocal(zone, date::local_days(next / 1))};
}

void Add(ShareFigure& f, ClockOutcome o) {
  switch (o) {
    case ClockOutcome::kOnTime: ++f.on_time; break;
    case ClockOutcome::kMissed: ++f.missed; break;
    case ClockOutcome::kPending: ++f.pending; break;
    case ClockOutcome::kDropped: break;
  }
}

void Finish(ShareFigure& f) {
  const std::int64_t decided = f.on_time + f.missed;
  if (decided == 0) return;
  f.share = static_cast<double>(f.on_time) / static_cast<double>(decided);
  f.interval = Wilson(f.on_time, decided);
}

// Nearest rank over a sorted vector.
double NearestRank(const std::vector<std::int64_t>& sorted, double p) {
  const auto n = static_cast<double>(sorted.size());
  auto rank = static_cast<std::size_t>(std::ceil(p * n - 1e-9));
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return static_cast<double>(sorted[rank - 1]) / 60000.0;
}

struct Accumulator {
  SalesCompliance row;
  std::vector<std::int64_t> response_ms;
  std::int64_t attempts = 0;

  void Add(const ComplianceLead& l, Instant now, const LeadCalendar& calendar_of) {
    ++row.leads;
    attempts += l.attempts;
    core::Add(row.first_touch, JudgeClock(l.first_touch, now));
    core::Add(row.attempts, JudgeClock(l.attempts_clock, now));
    core::Add(row.disposition, JudgeClock(l.disposition, now));
    if (!l.first_touch_at) {
      ++row.untouched;
      return;
    }
    ++row.touched;
    const BusinessCalendar* cal = calendar_of ? calendar_of(l) : nullptr;
    if (cal) response_ms.push_back(cal->Between(l.assigned_at, *l.first_touch_at).count());
  }

  SalesCompliance Finish() {
    core::Finish(row.first_touch);
    core::Finish(row.attempts);
    core::Finish(row.disposition);
    if (row.leads > 0) {
      row.attempts_per_lead = static_cast<double>(attempts) / static_cast<double>(row.leads);
    }
    if (!response_ms.empty()) {
      std::sort(response_ms.begin(), response_ms.end());
      row.response_p50_minutes = NearestRank(response_ms, 0.5);
      row.response_p90_minutes = NearestRank(response_ms, 0.9);
    }
    return std::move(row);
  }
};

const QuotaTerms* TermsInForce(const std::vector<QuotaTerms>& terms, Instant at) {
  const QuotaTerms* found = nullptr;
  for (const auto& t : terms) {
    if (t.effective_at <= at) found = &t;
  }
  return found;
}

}  // namespace

std::string_view ToString(ComplianceBreakdown b) {
  for (const auto& [v, n] : kBreakdowns) {
    if (v == b) return n;
  }
  return "rep";
}

Result<ComplianceBreakdown> ComplianceBreakdownFromString(std::string_view text) {
  for (const auto& [v, n] : kBreakdowns) {
    if (n == text) return v;
  }
  return Fail(Error::Invalid("by", "must be one of: rep, team, week"));
}

std::string_view ToString(ClockOutcome o) {
  switch (o) {
    case ClockOutcome::kOnTime: return "on_time";
    case ClockOutcome::kMissed: return "missed";
    case ClockOutcome::kPending: return "pending";
    case ClockOutcome::kDropped: return "dropped";
  }
  return "dropped";
}

ClockOutcome JudgeClock(const std::optional<ClockFacts>& c, Instant now) {
  if (!c) return ClockOutcome::kDropped;
  if (c->breached_at) return ClockOutcome::kMissed;
  if (c->met_at) return *c->met_at <= c->due_at ? ClockOutcome::kOnTime : ClockOutcome::kMissed;
  if (c->cancelled_at) {
    return *c->cancelled_at >= c->due_at ? ClockOutcome::kMissed : ClockOutcome::kDropped;
  }
  return now >= c->due_at ? ClockOutcome::kMissed : ClockOutcome::kPending;
}

Instant StartOfLocalDay(const date::time_zone* zone, Date day) {
  return FromLocal(zone, date::local_days(day.time_since_epoch()));
}

Date LocalMonday(const date::time_zone* zone, Instant t) {
  const date::local_days day = LocalDay(zone, t);
  const date::weekday wd{day};
  const date::local_days monday = day - date::days(wd.iso_encoding() - 1);
  return Date(monday.time_since_epoch());
}

SalesReport ComputeSalesCompliance(const std::vector<ComplianceLead>& leads, ComplianceBreakdown by,
                                   const date::time_zone* zone, Instant now,
                                   const LeadCalendar& calendar_of) {
  std::map<std::string, Accumulator> groups;
  Accumulator total;
  for (const auto& l : leads) {
    std::string key, label;
    std::optional<Id> user;
    switch (by) {
      case ComplianceBreakdown::kRep:
        key = std::to_string(l.owner_id);
        label = l.owner_email;
        user = l.owner_id;
        break;
      case ComplianceBreakdown::kTeam:
        key = l.team;
        label = l.team.empty() ? "(no team)" : l.team;
        break;
      case ComplianceBreakdown::kWeek:
        key = FormatDate(LocalMonday(zone, l.assigned_at));
        label = key;
        break;
    }
    auto [it, fresh] = groups.try_emplace(key);
    if (fresh) {
      it->second.row.key = key;
      it->second.row.label = std::move(label);
      it->second.row.user_id = user;
    }
    it->second.Add(l, now, calendar_of);
    total.Add(l, now, calendar_of);
  }
  SalesReport out;
  for (auto& [key, acc] : groups) out.rows.push_back(acc.Finish());
  std::sort(out.rows.begin(), out.rows.end(), [](const auto& a, const auto& b) {
    return a.label != b.label ? a.label < b.label : a.key < b.key;
  });
  out.total = total.Finish();
  out.total.label = "total";
  return out;
}

std::optional<double> ExpectedMqls(const std::vector<QuotaTerms>& terms, Instant from, Instant to,
                                   const date::time_zone* zone) {
  double total = 0;
  bool any = false;
  for (std::size_t i = 0; i < terms.size(); ++i) {
    const Instant seg_from = std::max(from, terms[i].effective_at);
    const Instant seg_to = i + 1 < terms.size() ? std::min(to, terms[i + 1].effective_at) : to;
    const int quota = terms[i].obligations.mql_quota;
    if (seg_from >= seg_to || quota <= 0) continue;
    any = true;
    for (Instant t = seg_from; t < seg_to;) {
      const auto [ps, pe] = QuotaPeriodAround(zone, t, terms[i].obligations.quota_period);
      const Instant piece_end = std::min(pe, seg_to);
      total += quota * static_cast<double>((piece_end - t).count()) /
               static_cast<double>((pe - ps).count());
      t = piece_end;
    }
  }
  if (!any) return std::nullopt;
  return total;
}

MarketingCompliance ComputeMarketingCompliance(const std::vector<MqlFact>& mqls,
                                               const std::vector<QuotaTerms>& terms, Instant from,
                                               Instant to, Instant now, const date::time_zone* zone,
                                               std::string key) {
  MarketingCompliance m;
  m.key = std::move(key);
  m.from = from;
  m.to = to;
  m.pace_at = std::clamp(now, from, std::max(from, to));
  for (const auto& q : mqls) {
    if (q.at < from || q.at >= to) continue;
    ++m.mqls;
    if (q.grade_ab) ++m.grade_ab;
    if (q.persona_match) ++m.persona_match;
    if (q.at < m.pace_at) ++m.mqls_so_far;
  }
  m.expected = ExpectedMqls(terms, from, to, zone);
  for (std::size_t i = 0; i < terms.size(); ++i) {
    const Instant seg_from = std::max(from, terms[i].effective_at);
    const Instant seg_to = i + 1 < terms.size() ? std::min(to, terms[i + 1].effective_at) : to;
    if (seg_from >= seg_to || terms[i].obligations.mql_quota <= 0) continue;
    if (seg_from > from) m.quota_since = seg_from;
    break;
  }
  if (m.expected && *m.expected > 0) m.attainment = static_cast<double>(m.mqls) / *m.expected;
  if (m.mqls > 0) {
    const auto n = static_cast<double>(m.mqls);
    m.grade_ab_share = static_cast<double>(m.grade_ab) / n;
    m.grade_ab_interval = Wilson(m.grade_ab, m.mqls);
    m.persona_share = static_cast<double>(m.persona_match) / n;
    m.persona_interval = Wilson(m.persona_match, m.mqls);
  }
  if (to > from) {
    if (const QuotaTerms* t = TermsInForce(terms, to - milliseconds(1))) {
      m.min_grade_ab_percent = t->obligations.min_grade_ab_percent;
      m.min_persona_match_percent = t->obligations.min_persona_match_percent;
    }
  }
  if (m.min_grade_ab_percent && m.grade_ab_share) {
    m.grade_ab_met = *m.grade_ab_share * 100.0 >= *m.min_grade_ab_percent - 1e-9;
  }
  if (m.min_persona_match_percent && m.persona_share) {
    m.persona_met = *m.persona_share * 100.0 >= *m.min_persona_match_percent - 1e-9;
  }
  if (m.pace_at > from) {
    m.expected_so_far = ExpectedMqls(terms, from, m.pace_at, zone);
    if (m.expected_so_far && *m.expected_so_far > 0) {
      m.pace = static_cast<double>(m.mqls_so_far) / *m.expected_so_far;
    }
    m.projected = static_cast<double>(m.mqls_so_far) * static_cast<double>((to - from).count()) /
                  static_cast<double>((m.pace_at - from).count());
  } else if (m.expected) {
    m.expected_so_far = 0.0;
  }
  return m;
}

std::vector<MarketingCompliance> ComputeMarketingWeeks(const std::vector<MqlFact>& mqls,
                                                       const std::vector<QuotaTerms>& terms,
                                                       Instant from, Instant to, Instant now,
                                                       const date::time_zone* zone) {
  std::vector<MarketingCompliance> out;
  if (to <= from) return out;
  for (Date monday = LocalMonday(zone, from); StartOfLocalDay(zone, monday) < to;
       monday += date::days(7)) {
    const Instant ws = std::max(from, StartOfLocalDay(zone, monday));
    const Instant we = std::min(to, StartOfLocalDay(zone, monday + date::days(7)));
    out.push_back(ComputeMarketingCompliance(mqls, terms, ws, we, now, zone, FormatDate(monday)));
  }
  return out;
}

}  // namespace tandem::core
