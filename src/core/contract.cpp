#include "core/contract.hpp"

#include "core/contract_diff.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <utility>

namespace tandem::core {
namespace {

template <class E, std::size_t N>
std::optional<E> Lookup(const std::array<std::pair<E, std::string_view>, N>& table,
                        std::string_view text) {
  for (const auto& [e, name] : table) {
    if (name == text) return e;
  }
  return std::nullopt;
}

template <class E, std::size_t N>
std::string_view Name(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return "?";
}

constexpr std::array<std::pair<PartySide, std::string_view>, 2> kSides{
    {{PartySide::kMarketing, "marketing"}, {PartySide::kSales, "sales"}}};
constexpr std::array<std::pair<QuotaPeriod, std::string_view>, 2> kPeriods{
    {{QuotaPeriod::kWeek, "week"}, {QuotaPeriod::kMonth, "month"}}};
constexpr std::array<std::pair<RoutingStrategy, std::string_view>, 6> kStrategies{
    {{RoutingStrategy::kRoundRobin, "round_robin"},
     {RoutingStrategy::kWeighted, "weighted"},
     {RoutingStrategy::kLeastLoaded, "least_loaded"},
     {RoutingStrategy::kTerritory, "territory"},
     {RoutingStrategy::kPersonaOwner, "persona_owner"},
     {RoutingStrategy::kAccountOwnerFirst, "account_owner_first"}}};
constexpr std::array<std::pair<EscalationAction, std::string_view>, 3> kActions{
    {{EscalationAction::kNotifyOwner, "notify_owner"},
     {EscalationAction::kReassign, "reassign"},
     {EscalationAction::kNotifyManager, "notify_manager"}}};
constexpr std::array<std::pair<Kpi, std::string_view>, 7> kKpis{
    {{Kpi::kMqlQuotaAttainment, "mql_quota_attainment"},
     {Kpi::kMqlQuality, "mql_quality"},
     {Kpi::kFirstTouchOnTime, "first_touch_on_time"},
     {Kpi::kAttemptsOnTime, "attempts_on_time"},
     {Kpi::kDispositionOnTime, "disposition_on_time"},
     {Kpi::kSqlConversion, "sql_conversion"},
     {Kpi::kRevenueAttainment, "revenue_attainment"}}};

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

std::string Quoted(const std::string& s) {
  return "\"" + s + "\"";
}

std::string Money(std::int64_t cents) {
  std::string s = std::to_string(cents / 100);
  const auto rest = cents % 100;
  if (rest != 0) s += (rest < 10 ? ".0" : ".") + std::to_string(rest);
  return s;
}

class Flat {
 public:
  void Add(std::string path, std::string value) {
    lines_.emplace_back(std::move(path), std::move(value));
  }
  void Add(std::string path, int value) { Add(std::move(path), std::to_string(value)); }
  void Opt(std::string path, const std::optional<int>& v) {
    if (v) Add(std::move(path), *v);
  }
  void Text(std::string path, const std::string& v) {
    if (!v.empty()) Add(std::move(path), Quoted(v));
  }
  std::vector<std::pair<std::string, std::string>> Take() { return std::move(lines_); }

 private:
  std::vector<std::pair<std::string, std::string>> lines_;
};

void FlattenCalendar(Flat& f, const std::string& prefix, const CalendarSpec& c) {
  f.Add(prefix + ".time_zone", Quoted(c.time_zone));
  if (c.overnight) f.Add(prefix + ".overnight", "true");
  for (int d = 0; d < 7; ++d) {
    const auto& list = c.hours.days[static_cast<std::size_t>(d)];
    std::vector<std::string> spans;
    for (const auto& i : list) spans.push_back(FormatDayInterval(i));
    f.Add(prefix + ".hours." + WeekdayName(d), spans.empty() ? "closed" : Join(spans));
  }
  std::vector<std::string> days;
  for (const auto& h : c.holidays) days.push_back(FormatDate(h));
  f.Add(prefix + ".holidays", days.empty() ? "none" : Join(days));
}

std::string TargetOf(const std::string& team, const std::string& rep) {
  return team.empty() ? "rep " + rep : "team " + Quoted(team);
}

}  // namespace

std::string_view ToString(PartySide s) {
  return Name(kSides, s);
}
std::optional<PartySide> PartySideFromString(std::string_view t) {
  return Lookup(kSides, t);
}
std::string_view ToString(QuotaPeriod p) {
  return Name(kPeriods, p);
}
std::optional<QuotaPeriod> QuotaPeriodFromString(std::string_view t) {
  return Lookup(kPeriods, t);
}
std::string_view ToString(RoutingStrategy s) {
  return Name(kStrategies, s);
}
std::optional<RoutingStrategy> RoutingStrategyFromString(std::string_view t) {
  return Lookup(kStrategies, t);
}
std::string_view ToString(EscalationAction a) {
  return Name(kActions, a);
}
std::optional<EscalationAction> EscalationActionFromString(std::string_view t) {
  return Lookup(kActions, t);
}
std::string_view ToString(Kpi k) {
  return Name(kKpis, k);
}
std::optional<Kpi> KpiFromString(std::string_view t) {
  return Lookup(kKpis, t);
}

Result<BusinessCalendar> CalendarSpec::Build() const {
  return BusinessCalendar::Create(zone, hours, holidays);
}

const RejectionReason* Contract::FindReason(std::string_view code) const {
  for (const auto& r : rejection_reasons) {
    if (r.code == code) return &r;
  }
  return nullptr;
}

const CalendarSpec& Contract::CalendarFor(std::string_view team) const {
  for (const auto& t : team_calendars) {
    if (t.team == team) return t.calendar;
  }
  return calendar;
}

const ContractParty* Contract::PartyOf(std::string_view email) const {
  for (const auto& p : parties) {
    if (p.head_email == email) return &p;
  }
  return nullptr;
}

std::vector<std::pair<std::string, std::string>> FlattenContract(const Contract& c) {
  Flat f;
  f.Text("name", c.name);
  for (const auto& p : c.parties) {
    f.Add("parties." + Quoted(p.team) + ".side", std::string(ToString(p.side)));
    f.Add("parties." + Quoted(p.team) + ".head", p.head_email);
  }
  f.Add("personas.targeted", c.personas.empty() ? "none" : Join(c.personas));
  for (const auto& o : c.objectives) {
    f.Text("objectives." + o.key + ".text", o.text);
    f.Text("objectives." + o.key + ".goal", o.goal);
  }
  f.Text("mql.rule", c.mql_rule);
  f.Add("marketing.mql_quota", c.marketing.mql_quota);
  f.Add("marketing.quota_period", std::string(ToString(c.marketing.quota_period)));
  f.Opt("marketing.min_grade_ab_percent", c.marketing.min_grade_ab_percent);
  f.Opt("marketing.min_persona_match_percent", c.marketing.min_persona_match_percent);
  f.Add("sales.first_touch_hours", c.sales.first_touch_hours);
  f.Add("sales.attempts", c.sales.attempts);
  f.Add("sales.attempts_within_days", c.sales.attempts_within_days);
  f.Add("sales.disposition_days", c.sales.disposition_days);
  f.Add("routing.strategy", std::string(ToString(c.routing.strategy)));
  if (c.routing.fallback) f.Add("routing.fallback", std::string(ToString(*c.routing.fallback)));
  f.Opt("routing.default_capacity", c.routing.default_capacity);
  for (const auto& r : c.routing.reps) {
    f.Add("routing.reps." + r.email + ".weight", r.weight);
    f.Opt("routing.reps." + r.email + ".capacity", r.capacity);
  }
  for (const auto& t : c.routing.territories) {
    const std::string p = "routing.territories." + Quoted(t.name);
    if (!t.countries.empty()) f.Add(p + ".countries", Join(t.countries));
    if (!t.regions.empty()) f.Add(p + ".regions", Join(t.regions));
    f.Add(p + ".to", TargetOf(t.team, t.rep_email));
  }
  for (const auto& o : c.routing.persona_owners) {
    f.Add("routing.persona_owners." + o.persona, TargetOf(o.team, o.rep_email));
  }
  for (const auto& r : c.rejection_reasons) {
    f.Add("rejection_reasons." + r.code + ".label", Quoted(r.label));
    f.Add("rejection_reasons." + r.code + ".next", std::string(ToString(r.next)));
  }
  for (const auto& r : c.recycle_rules) {
    const std::string p = "recycle." + Join(r.reasons);
    f.Add(p + ".wait_days", r.wait_days);
    f.Add(p + ".requires_new_engagement", r.requires_new_engagement ? "true" : "false");
  }
  for (std::size_t i = 0; i < c.escalation.size(); ++i) {
    f.Add("escalation." + std::to_string(i + 1),
          std::string(ToString(c.escalation[i].action)) + " after " +
              std::to_string(c.escalation[i].after_hours) + " business hours");
  }
  FlattenCalendar(f, "calendar", c.calendar);
  for (const auto& t : c.team_calendars) {
    FlattenCalendar(f, "team_calendars." + Quoted(t.team), t.calendar);
  }
  if (c.compensation) {
    const auto& k = *c.compensation;
    f.Add("compensation.pool", Money(k.pool_cents) + " " + k.currency);
    f.Add("compensation.period", std::string(ToString(k.period)));
    f.Add("compensation.cap_percent", k.cap_percent);
    for (const auto& t : k.kpis) {
      const std::string p = "compensation.kpis." + std::string(ToString(t.kpi));
      f.Add(p + ".weight_percent", t.weight_percent);
      f.Add(p + ".threshold_percent", t.threshold_percent);
      f.Add(p + ".cap_percent", t.cap_percent);
    }
  }
  return f.Take();
}

std::vector<std::string> DiffContracts(const Contract& a, const Contract& b) {
  std::vector<std::string> out;
  for (const auto& c : CompareContracts(a, b)) {
    switch (c.kind) {
      case ContractChange::Kind::kRemoved: out.push_back("- " + c.path + ": " + *c.before); break;
      case ContractChange::Kind::kChanged:
        out.push_back(c.path + ": " + *c.before + " -> " + *c.after);
        break;
      case ContractChange::Kind::kAdded: out.push_back("+ " + c.path + ": " + *c.after); break;
    }
  }
  return out;
}

}  // namespace tandem::core
