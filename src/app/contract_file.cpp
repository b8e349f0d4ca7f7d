#include "app/contract_file.hpp"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include <toml++/toml.h>

#include "base/time_zones.hpp"
#include "core/model.hpp"

namespace tandem::app {
namespace {

using core::Contract;

struct Pos {
  int line = 0;
  int column = 0;
};

Pos PosOf(const toml::source_region& r) {
  return {static_cast<int>(r.begin.line), static_cast<int>(r.begin.column)};
}
Pos PosOf(const toml::node& n) {
  return PosOf(n.source());
}

// The parser's state: the issues found so far. Each reader reports its own problem and
// returns nothing, so one run collects every problem of the file.
class Reader {
 public:
  std::vector<ContractIssue> issues;

  void Report(Pos p, std::string message) {
    issues.push_back({p.line, p.column, std::move(message)});
  }

  // Reports each key of `t` that is not in `allowed`.
  void Keys(const toml::table& t, std::initializer_list<std::string_view> allowed,
            const std::string& where) {
    for (auto&& [k, v] : t) {
      if (std::find(allowed.begin(), allowed.end(), k.str()) == allowed.end()) {
        Report(PosOf(k.source()), "unknown key '" + std::string(k.str()) + "' in " + where);
      }
    }
  }

  const toml::node* Need(const toml::table& t, std::string_view key, const std::string& path) {
    const toml::node* n = t.get(key);
    if (n == nullptr) Report(PosOf(t), "missing key '" + path + "'");
    return n;
  }

  const toml::table* Table(const toml::table& t, std::string_view key, const std::string& path,
                           bool required) {
    const toml::node* n = required ? Need(t, key, path) : t.get(key);
    if (n == nullptr) return nullptr;
    if (!n->is_table()) {
      Report(PosOf(*n), "'" + path + "' must be a table");
      return nullptr;
    }
    return n->as_table();
  }

  // An array of tables ([[name]]); an absent key is an empty list unless required.
  std::vector<const toml::table*> Tables(const toml::table& t, std::string_view key,
                                         const std::string& path, bool required) {
    std::vector<const toml::table*> out;
    const toml::node* n = required ? Need(t, key, path) : t.get(key);
    if (n == nullptr) return out;
    const toml::array* a = n->as_array();
    if (a == nullptr || !a->is_array_of_tables()) {
      Report(PosOf(*n), "'" + path + "' must be a list of tables ([[" + path + "]])");
      return out;
    }
    for (const auto& e : *a) out.push_back(e.as_table());
    return out;
  }

  std::optional<std::string> Str(const toml::table& t, std::string_view key,
                                 const std::string& path, bool required) {
    const toml::node* n = required ? Need(t, key, path) : t.get(key);
    if (n == nullptr) return std::nullopt;
    if (!n->is_string()) {
      Report(PosOf(*n), "'" + path + "' must be a string");
      return std::nullopt;
    }
    std::string s = n->as_string()->get();
    if (required && s.find_first_not_of(" \t") == std::string::npos) {
      Report(PosOf(*n), "'" + path + "' must not be empty");
      return std::nullopt;
    }
    return s;
  }

  std::optional<int> Int(const toml::table& t, std::string_view key, const std::string& path,
                         bool required, std::int64_t min, std::int64_t max) {
    const toml::node* n = required ? Need(t, key, path) : t.get(key);
    if (n == nullptr) return std::nullopt;
    if (!n->is_integer()) {
      Report(PosOf(*n), "'" + path + "' must be an integer");
      return std::nullopt;
    }
    const std::int64_t v = n->as_integer()->get();
    if (v < min || v > max) {
      Report(PosOf(*n), "'" + path + "' must be between " + std::to_string(min) + " and " +
                            std::to_string(max) + ", not " + std::to_string(v));
      return std::nullopt;
    }
    return static_cast<int>(v);
  }

  std::optional<bool> Bool(const toml::table& t, std::string_view key, const std::string& path) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return std::nullopt;
    if (!n->is_boolean()) {
      Report(PosOf(*n), "'" + path + "' must be true or false");
      return std::nullopt;
    }
    return n->as_boolean()->get();
  }

  // A list of strings, each with its position.
  std::vector<std::pair<std::string, Pos>> Strs(const toml::table& t, std::string_view key,
                                                const std::string& path, bool required) {
    std::vector<std::pair<std::string, Pos>> out;
    const toml::node* n = required ? Need(t, key, path) : t.get(key);
    if (n == nullptr) return out;
    const toml::array* a = n->as_array();
    if (a == nullptr) {
      Report(PosOf(*n), "'" + path + "' must be a list of strings");
      return out;
    }
    for (const auto& e : *a) {
      if (!e.is_string()) {
        Report(PosOf(e), "'" + path + "' must hold strings only");
        continue;
      }
      out.emplace_back(e.as_string()->get(), PosOf(e));
    }
    return out;
  }

  template <class E>
  std::optional<E> Enum(const toml::table& t, std::string_view key, const std::string& path,
                        bool required, std::optional<E> (*parse)(std::string_view),
                        std::string_view choices) {
    auto s = Str(t, key, path, required);
    if (!s) return std::nullopt;
    auto e = parse(*s);
    if (!e) {
      Report(PosOf(*t.get(key)),
             "'" + path + "' must be one of " + std::string(choices) + ", not '" + *s + "'");
    }
    return e;
  }

  std::optional<std::string> Email(const toml::table& t, std::string_view key,
                                   const std::string& path, bool required) {
    auto s = Str(t, key, path, required);
    if (!s) return std::nullopt;
    auto e = core::NormalizeEmail(*s);
    if (!e) {
      Report(PosOf(*t.get(key)), "'" + path + "': " + e.error().message);
      return std::nullopt;
    }
    return *e;
  }
};

bool IsCode(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// "HH:MM" with 00:00 <= value <= 24:00 (24:00 only as an end).
std::optional<int> ParseClock(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  for (int i : {0, 1, 3, 4}) {
    if (!std::isdigit(static_cast<unsigned char>(s[static_cast<std::size_t>(i)]))) {
      return std::nullopt;
    }
  }
  const int h = (s[0] - '0') * 10 + (s[1] - '0');
  const int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return h * 60 + m;
}

std::optional<core::CalendarSpec> ReadCalendar(Reader& r, const toml::table& t,
                                               const std::string& where, bool team) {
  if (team) {
    r.Keys(t, {"team", "time_zone", "overnight", "hours", "holidays"}, where);
  } else {
    r.Keys(t, {"time_zone", "overnight", "hours", "holidays"}, where);
  }
  core::CalendarSpec c;
  bool ok = true;
  if (auto tz = r.Str(t, "time_zone", where + ".time_zone", true)) {
    c.time_zone = *tz;
    auto zone = base::LocateZone(*tz);
    if (zone) {
      c.zone = *zone;
    } else {
      r.Report(PosOf(*t.get("time_zone")), "unknown time zone '" + *tz + "' in " + where +
                                               ".time_zone (use an IANA name such as "
                                               "Europe/Paris)");
      ok = false;
    }
  } else {
    ok = false;
  }
  c.overnight = r.Bool(t, "overnight", where + ".overnight").value_or(false);

  const toml::table* hours = r.Table(t, "hours", where + ".hours", true);
  if (hours == nullptr) {
    ok = false;
  } else {
    r.Keys(*hours, {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"},
           "[" + where + ".hours]");
    for (int d = 0; d < 7; ++d) {
      const std::string day = core::WeekdayName(d);
      for (const auto& [text, pos] : r.Strs(*hours, day, where + ".hours." + day, false)) {
        const auto dash = text.find('-');
        std::optional<int> s, e;
        if (dash != std::string::npos) {
          s = ParseClock(std::string_view(text).substr(0, dash));
          e = ParseClock(std::string_view(text).substr(dash + 1));
        }
        if (!s || !e || *s >= 24 * 60) {
          r.Report(pos, "'" + text +
                            "' is not an interval: write \"HH:MM-HH:MM\", e.g. "
                            "\"09:00-18:00\"");
          ok = false;
          continue;
        }
        if (*e <= *s) {
          if (!c.overnight) {
            r.Report(pos, "impossible hours " + text + " on " + day +
                              ": the end is not after the start (for a shift past midnight, "
                              "set overnight = true in " +
                              where + ")");
            ok = false;
            continue;
          }
          *e += 24 * 60;
        }
        c.hours.days[static_cast<std::size_t>(d)].push_back({*s, *e});
      }
    }
  }

  if (const toml::node* h = t.get("holidays")) {
    if (const toml::array* a = h->as_array()) {
      for (const auto& e : *a) {
        std::optional<core::Date> d;
        if (e.is_date()) {
          const toml::date v = e.as_date()->get();
          std::chrono::year_month_day ymd{std::chrono::year{v.year}, std::chrono::month{v.month},
                                          std::chrono::day{v.day}};
          if (ymd.ok()) d = core::Date{ymd};
        } else if (e.is_string()) {
          d = core::ParseDate(e.as_string()->get());
        }
        if (!d) {
          r.Report(PosOf(e), "holidays are dates written 2026-12-25");
          ok = false;
          continue;
        }
        c.holidays.push_back(*d);
      }
    } else {
      r.Report(PosOf(*h), "'" + where + ".holidays' must be a list of dates");
      ok = false;
    }
  }
  std::sort(c.holidays.begin(), c.holidays.end());
  c.holidays.erase(std::unique(c.holidays.begin(), c.holidays.end()), c.holidays.end());
  if (!ok) return std::nullopt;
  if (auto built = c.Build(); !built) {
    r.Report(PosOf(hours != nullptr ? static_cast<const toml::node&>(*hours) : t),
             where + ": " + built.error().message);
    return std::nullopt;
  }
  return c;
}

bool IsCountry(const std::string& s) {
  return s.size() == 2 && std::isupper(static_cast<unsigned char>(s[0])) &&
         std::isupper(static_cast<unsigned char>(s[1]));
}
bool IsRegion(const std::string& s) {
  if (s.size() < 4 || s.size() > 6 || s[2] != '-' || !IsCountry(s.substr(0, 2))) return false;
  return std::all_of(s.begin() + 3, s.end(), [](char c) {
    return std::isupper(static_cast<unsigned char>(c)) ||
           std::isdigit(static_cast<unsigned char>(c));
  });
}

void ReadParties(Reader& r, const toml::table& root, Contract& c) {
  std::set<std::string> teams;
  bool marketing = false, sales = false;
  for (const toml::table* p : r.Tables(root, "parties", "parties", true)) {
    r.Keys(*p, {"side", "team", "head"}, "[[parties]]");
    core::ContractParty party;
    auto side = r.Enum<core::PartySide>(*p, "side", "parties.side", true, core::PartySideFromString,
                                        "marketing, sales");
    auto team = r.Str(*p, "team", "parties.team", true);
    auto head = r.Email(*p, "head", "parties.head", true);
    if (!side || !team || !head) continue;
    if (!teams.insert(*team).second) {
      r.Report(PosOf(*p->get("team")), "team '" + *team + "' is already a party");
      continue;
    }
    (*side == core::PartySide::kMarketing ? marketing : sales) = true;
    c.parties.push_back({*side, *team, *head});
  }
  if (root.get("parties") != nullptr && (!marketing || !sales)) {
    r.Report(PosOf(*root.get("parties")),
             "a contract needs at least one marketing party and one sales party");
  }
}

const core::ContractParty* SalesParty(const Contract& c, const std::string& team) {
  for (const auto& p : c.parties) {
    if (p.team == team && p.side == core::PartySide::kSales) return &p;
  }
  return nullptr;
}

// "team" or "rep" (exactly one), the team being a sales party of the contract.
bool ReadTarget(Reader& r, const toml::table& t, const std::string& where, const Contract& c,
                std::string& team, std::string& rep) {
  auto tm = r.Str(t, "team", where + ".team", false);
  auto rp = r.Email(t, "rep", where + ".rep", false);
  if (tm.has_value() == rp.has_value()) {
    r.Report(PosOf(t), where + " needs exactly one of 'team' and 'rep'");
    return false;
  }
  if (tm) {
    if (SalesParty(c, *tm) == nullptr) {
      r.Report(PosOf(*t.get("team")), "team '" + *tm + "' is not a sales party of the contract");
      return false;
    }
    team = *tm;
  } else {
    rep = *rp;
  }
  return true;
}

void ReadRouting(Reader& r, const toml::table& root, Contract& c) {
  const toml::table* t = r.Table(root, "routing", "routing", true);
  if (t == nullptr) return;
  r.Keys(*t, {"strategy", "fallback", "default_capacity", "reps", "territories", "persona_owners"},
         "[routing]");
  constexpr std::string_view kChoices =
      "round_robin, weighted, least_loaded, territory, persona_owner, account_owner_first";
  auto& rt = c.routing;
  const auto strategy = r.Enum<core::RoutingStrategy>(*t, "strategy", "routing.strategy", true,
                                                      core::RoutingStrategyFromString, kChoices);
  if (strategy) rt.strategy = *strategy;
  rt.fallback = r.Enum<core::RoutingStrategy>(*t, "fallback", "routing.fallback", false,
                                              core::RoutingStrategyFromString, kChoices);
  rt.default_capacity = r.Int(*t, "default_capacity", "routing.default_capacity", false, 1, 100000);

  std::set<std::string> reps;
  for (const toml::table* p : r.Tables(*t, "reps", "routing.reps", false)) {
    r.Keys(*p, {"email", "weight", "capacity"}, "[[routing.reps]]");
    core::RoutingRep rep;
    auto email = r.Email(*p, "email", "routing.reps.email", true);
    rep.weight = r.Int(*p, "weight", "routing.reps.weight", false, 0, 1000).value_or(1);
    rep.capacity = r.Int(*p, "capacity", "routing.reps.capacity", false, 0, 100000);
    if (!email) continue;
    if (!reps.insert(*email).second) {
      r.Report(PosOf(*p->get("email")), "rep " + *email + " is listed twice in routing.reps");
      continue;
    }
    rep.email = *email;
    rt.reps.push_back(std::move(rep));
  }

  std::map<std::string, std::string> owner_of_code;  // country or region -> territory name
  std::set<std::string> names;
  for (const toml::table* p : r.Tables(*t, "territories", "routing.territories", false)) {
    r.Keys(*p, {"name", "countries", "regions", "team", "rep"}, "[[routing.territories]]");
    core::Territory ter;
    auto name = r.Str(*p, "name", "routing.territories.name", true);
    if (!name) continue;
    ter.name = *name;
    if (!names.insert(*name).second) {
      r.Report(PosOf(*p->get("name")), "territory '" + *name + "' is defined twice");
      continue;
    }
    bool ok = ReadTarget(r, *p, "territory '" + *name + "'", c, ter.team, ter.rep_email);
    auto check = [&](const std::vector<std::pair<std::string, Pos>>& codes, bool region,
                     std::vector<std::string>& into) {
      for (const auto& [code, pos] : codes) {
        if (region ? !IsRegion(code) : !IsCountry(code)) {
          r.Report(pos, region ? "'" + code + "' is not an ISO 3166-2 region such as US-CA"
                               : "'" + code + "' is not an ISO 3166 country code such as FR");
          ok = false;
          continue;
        }
        auto [it, fresh] = owner_of_code.emplace(code, *name);
        if (!fresh) {
          r.Report(pos, "territories overlap: " + code + " is in both '" + it->second + "' and '" +
                            *name + "'");
          ok = false;
          continue;
        }
        into.push_back(code);
      }
    };
    check(r.Strs(*p, "countries", "routing.territories.countries", false), false, ter.countries);
    check(r.Strs(*p, "regions", "routing.territories.regions", false), true, ter.regions);
    if (ter.countries.empty() && ter.regions.empty() && ok) {
      r.Report(PosOf(*p), "territory '" + *name + "' needs countries or regions");
      ok = false;
    }
    if (ok) rt.territories.push_back(std::move(ter));
  }

  std::set<std::string> personas;
  for (const toml::table* p : r.Tables(*t, "persona_owners", "routing.persona_owners", false)) {
    r.Keys(*p, {"persona", "team", "rep"}, "[[routing.persona_owners]]");
    core::PersonaOwner o;
    auto persona = r.Str(*p, "persona", "routing.persona_owners.persona", true);
    if (!persona) continue;
    if (std::find(c.personas.begin(), c.personas.end(), *persona) == c.personas.end()) {
      r.Report(PosOf(*p->get("persona")),
               "persona '" + *persona + "' is not one of the targeted personas");
      continue;
    }
    if (!personas.insert(*persona).second) {
      r.Report(PosOf(*p->get("persona")), "persona '" + *persona + "' has two owners");
      continue;
    }
    o.persona = *persona;
    if (ReadTarget(r, *p, "persona owner '" + *persona + "'", c, o.team, o.rep_email)) {
      rt.persona_owners.push_back(std::move(o));
    }
  }

  auto needs = [&](core::RoutingStrategy s, bool present, const char* what) {
    if ((rt.strategy == s || rt.fallback == s) && !present) {
      r.Report(PosOf(*t), "routing strategy " + std::string(core::ToString(s)) + " needs " + what);
    }
  };
  if (strategy) {
    needs(core::RoutingStrategy::kTerritory, t->get("territories") != nullptr,
          "[[routing.territories]]");
    needs(core::RoutingStrategy::kPersonaOwner, t->get("persona_owners") != nullptr,
          "[[routing.persona_owners]]");
    needs(core::RoutingStrategy::kWeighted, t->get("reps") != nullptr,
          "[[routing.reps]] with weights");
  }
}

void ReadReasonsAndRecycle(Reader& r, const toml::table& root, Contract& c) {
  for (const toml::table* p : r.Tables(root, "rejection_reasons", "rejection_reasons", true)) {
    r.Keys(*p, {"code", "label", "next"}, "[[rejection_reasons]]");
    auto code = r.Str(*p, "code", "rejection_reasons.code", true);
    auto label = r.Str(*p, "label", "rejection_reasons.label", true);
    auto next = r.Str(*p, "next", "rejection_reasons.next", true);
    if (!code || !label || !next) continue;
    if (!IsCode(*code)) {
      r.Report(PosOf(*p->get("code")),
               "reason code '" + *code + "' may hold only a-z, 0-9, '_' and '-'");
      continue;
    }
    if (c.FindReason(*code) != nullptr) {
      r.Report(PosOf(*p->get("code")), "reason code '" + *code + "' is defined twice");
      continue;
    }
    if (*next != "recycled" && *next != "disqualified") {
      r.Report(PosOf(*p->get("next")),
               "'rejection_reasons.next' must be recycled or disqualified, not '" + *next + "'");
      continue;
    }
    c.rejection_reasons.push_back(
        {*code, *label, *next == "recycled" ? core::Stage::kRecycled : core::Stage::kDisqualified});
  }
  if (root.get("rejection_reasons") != nullptr && c.rejection_reasons.empty() && r.issues.empty()) {
    r.Report(PosOf(*root.get("rejection_reasons")), "define at least one rejection reason");
  }

  std::set<std::string> covered;
  for (const toml::table* p : r.Tables(root, "recycle", "recycle", false)) {
    r.Keys(*p, {"reasons", "wait_days", "requires_new_engagement"}, "[[recycle]]");
    core::RecycleRule rule;
    for (const auto& [code, pos] : r.Strs(*p, "reasons", "recycle.reasons", true)) {
      const auto* reason = c.FindReason(code);
      if (reason == nullptr) {
        r.Report(pos,
                 "reason code '" + code + "' is used but not defined in [[rejection_reasons]]");
        continue;
      }
      if (reason->next != core::Stage::kRecycled) {
        r.Report(pos, "reason code '" + code + "' sends leads to disqualified, not recycled");
        continue;
      }
      if (!covered.insert(code).second) {
        r.Report(pos, "reason code '" + code + "' is in two recycle rules");
        continue;
      }
      rule.reasons.push_back(code);
    }
    rule.wait_days = r.Int(*p, "wait_days", "recycle.wait_days", true, 0, 3650).value_or(0);
    rule.requires_new_engagement =
        r.Bool(*p, "requires_new_engagement", "recycle.requires_new_engagement").value_or(true);
    if (!rule.reasons.empty()) c.recycle_rules.push_back(std::move(rule));
  }
}

void ReadEscalation(Reader& r, const toml::table& root, Contract& c) {
  int last = -1;
  for (const toml::table* p : r.Tables(root, "escalation", "escalation", true)) {
    r.Keys(*p, {"after_hours", "action"}, "[[escalation]]");
    auto after = r.Int(*p, "after_hours", "escalation.after_hours", true, 0, 10000);
    auto action = r.Enum<core::EscalationAction>(*p, "action", "escalation.action", true,
                                                 core::EscalationActionFromString,
                                                 "notify_owner, reassign, notify_manager");
    if (!after || !action) continue;
    if (*after < last) {
      r.Report(PosOf(*p->get("after_hours")), "escalation steps must come in order of after_hours");
      continue;
    }
    last = *after;
    c.escalation.push_back({*after, *action});
  }
}

std::optional<std::int64_t> ReadMoney(Reader& r, const toml::table& t, std::string_view key,
                                      const std::string& path) {
  const toml::node* n = r.Need(t, key, path);
  if (n == nullptr) return std::nullopt;
  double v = 0;
  if (n->is_integer()) {
    v = static_cast<double>(n->as_integer()->get());
  } else if (n->is_floating_point()) {
    v = n->as_floating_point()->get();
  } else {
    r.Report(PosOf(*n), "'" + path + "' must be a number");
    return std::nullopt;
  }
  const double cents = std::round(v * 100);
  if (!(v >= 0) || v >= 1e12 || std::fabs(cents - v * 100) > 1e-6) {
    r.Report(PosOf(*n), "'" + path + "' must be an amount >= 0 with at most two decimals");
    return std::nullopt;
  }
  return static_cast<std::int64_t>(cents);
}

void ReadCompensation(Reader& r, const toml::table& root, Contract& c) {
  const toml::table* t = r.Table(root, "compensation", "compensation", false);
  if (t == nullptr) return;
  r.Keys(*t, {"pool", "currency", "period", "cap_percent", "kpis"}, "[compensation]");
  core::Compensation k;
  auto pool = ReadMoney(r, *t, "pool", "compensation.pool");
  if (auto cur = r.Str(*t, "currency", "compensation.currency", true)) {
    auto n = core::NormalizeCurrency(*cur);
    if (n) {
      k.currency = *n;
    } else {
      r.Report(PosOf(*t->get("currency")), "'compensation.currency': " + n.error().message);
    }
  }
  k.period = r.Enum<core::QuotaPeriod>(*t, "period", "compensation.period", true,
                                       core::QuotaPeriodFromString, "week, month")
                 .value_or(core::QuotaPeriod::kMonth);
  k.cap_percent =
      r.Int(*t, "cap_percent", "compensation.cap_percent", false, 0, 1000).value_or(100);
  int total = 0;
  bool all = true;
  std::set<core::Kpi> seen;
  const auto kpis = r.Tables(*t, "kpis", "compensation.kpis", true);
  for (const toml::table* p : kpis) {
    r.Keys(*p, {"kpi", "weight", "threshold_percent", "cap_percent"}, "[[compensation.kpis]]");
    auto kpi = r.Enum<core::Kpi>(
        *p, "kpi", "compensation.kpis.kpi", true, core::KpiFromString,
        "mql_quota_attainment, mql_quality, first_touch_on_time, attempts_on_time, "
        "disposition_on_time, sql_conversion, revenue_attainment");
    auto weight = r.Int(*p, "weight", "compensation.kpis.weight", true, 0, 100);
    auto threshold =
        r.Int(*p, "threshold_percent", "compensation.kpis.threshold_percent", false, 0, 1000);
    auto cap = r.Int(*p, "cap_percent", "compensation.kpis.cap_percent", false, 0, 1000);
    if (!kpi || !weight) {
      all = false;
      continue;
    }
    if (!seen.insert(*kpi).second) {
      r.Report(PosOf(*p->get("kpi")),
               "KPI " + std::string(core::ToString(*kpi)) + " is listed twice");
      all = false;
      continue;
    }
    core::KpiTerm term{*kpi, *weight, threshold.value_or(0), cap.value_or(100)};
    if (term.threshold_percent > term.cap_percent) {
      r.Report(PosOf(*p), "KPI " + std::string(core::ToString(*kpi)) +
                              ": threshold_percent is above cap_percent");
      all = false;
      continue;
    }
    total += *weight;
    k.kpis.push_back(term);
  }
  if (all && !kpis.empty() && total != 100) {
    r.Report(PosOf(*t->get("kpis")), "KPI weights must sum to 100, not " + std::to_string(total));
  }
  if (pool) k.pool_cents = *pool;
  c.compensation = std::move(k);
}

void ReadContract(Reader& r, const toml::table& root, Contract& c) {
  r.Keys(
      root,
      {"name", "parties", "personas", "objectives", "mql", "marketing", "sales", "routing",
       "rejection_reasons", "recycle", "escalation", "calendar", "team_calendars", "compensation"},
      "the contract");
  c.name = r.Str(root, "name", "name", true).value_or("");
  ReadParties(r, root, c);

  if (const toml::table* t = r.Table(root, "personas", "personas", false)) {
    r.Keys(*t, {"targeted"}, "[personas]");
    for (const auto& [key, pos] : r.Strs(*t, "targeted", "personas.targeted", true)) {
      if (!IsCode(key)) {
        r.Report(pos, "persona key '" + key + "' may hold only a-z, 0-9, '_' and '-'");
      } else if (std::find(c.personas.begin(), c.personas.end(), key) != c.personas.end()) {
        r.Report(pos, "persona '" + key + "' is listed twice");
      } else {
        c.personas.push_back(key);
      }
    }
  }

  std::set<std::string> objective_keys;
  for (const toml::table* p : r.Tables(root, "objectives", "objectives", false)) {
    r.Keys(*p, {"key", "text", "goal"}, "[[objectives]]");
    auto key = r.Str(*p, "key", "objectives.key", true);
    auto text = r.Str(*p, "text", "objectives.text", true);
    auto goal = r.Str(*p, "goal", "objectives.goal", false);
    if (!key || !text) continue;
    if (!objective_keys.insert(*key).second) {
      r.Report(PosOf(*p->get("key")), "objective '" + *key + "' is defined twice");
      continue;
    }
    c.objectives.push_back({*key, *text, goal.value_or("")});
  }

  if (const toml::table* t = r.Table(root, "mql", "mql", true)) {
    r.Keys(*t, {"rule"}, "[mql]");
    c.mql_rule = r.Str(*t, "rule", "mql.rule", true).value_or("");
  }

  if (const toml::table* t = r.Table(root, "marketing", "marketing", true)) {
    r.Keys(*t, {"mql_quota", "quota_period", "min_grade_ab_percent", "min_persona_match_percent"},
           "[marketing]");
    auto& m = c.marketing;
    m.mql_quota = r.Int(*t, "mql_quota", "marketing.mql_quota", true, 0, 10'000'000).value_or(0);
    m.quota_period = r.Enum<core::QuotaPeriod>(*t, "quota_period", "marketing.quota_period", true,
                                               core::QuotaPeriodFromString, "week, month")
                         .value_or(core::QuotaPeriod::kWeek);
    m.min_grade_ab_percent =
        r.Int(*t, "min_grade_ab_percent", "marketing.min_grade_ab_percent", false, 0, 100);
    m.min_persona_match_percent = r.Int(*t, "min_persona_match_percent",
                                        "marketing.min_persona_match_percent", false, 0, 100);
  }

  if (const toml::table* t = r.Table(root, "sales", "sales", true)) {
    r.Keys(*t, {"first_touch_hours", "attempts", "attempts_within_days", "disposition_days"},
           "[sales]");
    auto& s = c.sales;
    s.first_touch_hours =
        r.Int(*t, "first_touch_hours", "sales.first_touch_hours", true, 1, 2000).value_or(0);
    s.attempts = r.Int(*t, "attempts", "sales.attempts", true, 1, 100).value_or(0);
    s.attempts_within_days =
        r.Int(*t, "attempts_within_days", "sales.attempts_within_days", true, 1, 365).value_or(0);
    s.disposition_days =
        r.Int(*t, "disposition_days", "sales.disposition_days", true, 1, 365).value_or(0);
  }

  ReadRouting(r, root, c);
  ReadReasonsAndRecycle(r, root, c);
  ReadEscalation(r, root, c);

  if (const toml::table* t = r.Table(root, "calendar", "calendar", true)) {
    if (auto cal = ReadCalendar(r, *t, "calendar", false)) c.calendar = std::move(*cal);
  }
  std::set<std::string> calendar_teams;
  for (const toml::table* p : r.Tables(root, "team_calendars", "team_calendars", false)) {
    auto team = r.Str(*p, "team", "team_calendars.team", true);
    auto cal = ReadCalendar(r, *p, "team_calendars", true);
    if (!team) continue;
    if (std::none_of(c.parties.begin(), c.parties.end(),
                     [&](const core::ContractParty& q) { return q.team == *team; })) {
      r.Report(PosOf(*p->get("team")), "team '" + *team + "' is not a party of the contract");
      continue;
    }
    if (!calendar_teams.insert(*team).second) {
      r.Report(PosOf(*p->get("team")), "team '" + *team + "' has two calendars");
      continue;
    }
    if (cal) c.team_calendars.push_back({*team, std::move(*cal)});
  }

  ReadCompensation(r, root, c);
}

}  // namespace

ContractParse ParseContract(std::string_view text) {
  Reader r;
  toml::table root;
  try {
    root = toml::parse(text);
  } catch (const toml::parse_error& e) {
    const Pos p = PosOf(e.source());
    return tl::unexpected(std::vector<ContractIssue>{
        {p.line, p.column, "not valid TOML: " + std::string(e.description())}});
  }
  Contract c;
  ReadContract(r, root, c);
  if (!r.issues.empty()) {
    std::stable_sort(r.issues.begin(), r.issues.end(),
                     [](const ContractIssue& a, const ContractIssue& b) {
                       return std::pair(a.line, a.column) < std::pair(b.line, b.column);
                     });
    return tl::unexpected(std::move(r.issues));
  }
  return c;
}

std::string FormatIssues(std::string_view file, const std::vector<ContractIssue>& issues) {
  std::string out;
  for (const auto& i : issues) {
    out += std::string(file) + ":" + std::to_string(i.line) + ":" + std::to_string(i.column) +
           ": " + i.message + "\n";
  }
  return out;
}

std::string ContractHash(const core::Contract& c) {
  std::string canonical;
  for (const auto& [path, value] : core::FlattenContract(c)) {
    canonical += path;
    canonical += '=';
    canonical += value;
    canonical += '\n';
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(canonical.data()),
                     canonical.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : digest) {
    hex += kHex[b >> 4];
    hex += kHex[b & 15];
  }
  return hex;
}

}  // namespace tandem::app
