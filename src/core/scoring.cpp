#include "core/scoring.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace tandem::core {
namespace {

constexpr double kMsPerDay = 86'400'000.0;
constexpr std::int64_t kMsPerHour = 3'600'000;
constexpr std::size_t kMaxCriteria = 50;
constexpr std::size_t kMaxValues = 100;
constexpr std::size_t kMaxEventRules = 64;
constexpr std::size_t kMaxDomains = 1000;

char LowerChar(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string LowerTrim(std::string_view s) {
  s = Trim(s);
  std::string out(s);
  for (char& c : out) c = LowerChar(c);
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (LowerChar(a[i]) != b[i]) return false;  // b is lower-cased already
  }
  return true;
}

bool ContainsIgnoreCase(std::string_view hay, std::string_view needle) {
  if (needle.empty()) return true;
  if (needle.size() > hay.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    if (EqualsIgnoreCase(hay.substr(i, needle.size()), needle)) return true;
  }
  return false;
}

std::optional<double> ParseNumber(std::string_view s) {
  s = Trim(s);
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') s.remove_prefix(1);
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

bool ValidKey(std::string_view k, std::size_t max) {
  if (k.empty() || k.size() > max) return false;
  return std::all_of(k.begin(), k.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

bool ValidEventType(std::string_view k) {
  if (k.empty() || k.size() > 64) return false;
  return std::all_of(k.begin(), k.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':' ||
           c == '-';
  });
}

std::string FormatPoints(double v) {
  double r = std::round(v * 100) / 100;
  if (r == 0) r = 0;  // no "-0"
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, r);
  return std::string(buf, end);
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += ", ";
    out += v[i];
  }
  return out;
}

using Field = CompiledCriterion::Field;
using Source = CompiledCriterion::Source;

struct PropertyName {
  Source source;
  Field field;
  std::string custom_key;
};

std::optional<PropertyName> ResolveProperty(std::string_view p) {
  auto take = [&](std::string_view prefix) {
    if (p.substr(0, prefix.size()) != prefix) return false;
    p.remove_prefix(prefix.size());
    return true;
  };
  Source src;
  if (take("contact.")) {
    src = Source::kContact;
  } else if (take("company.")) {
    src = Source::kCompany;
  } else {
    return std::nullopt;
  }
  if (take("custom.")) {
    if (p.empty() || p.size() > 64) return std::nullopt;
    return PropertyName{src, Field::kCustom, std::string(p)};
  }
  static constexpr std::pair<std::string_view, Field> kContactFields[] = {
      {"email_domain", Field::kEmailDomain},
      {"title", Field::kTitle},
      {"country", Field::kCountry},
      {"source", Field::kSource},
      {"campaign", Field::kCampaign}};
  static constexpr std::pair<std::string_view, Field> kCompanyFields[] = {
      {"name", Field::kName},
      {"domain", Field::kDomain},
      {"industry", Field::kIndustry},
      {"employees", Field::kEmployees},
      {"country", Field::kCountry}};
  if (src == Source::kContact) {
    for (auto [name, f] : kContactFields) {
      if (name == p) return PropertyName{src, f, {}};
    }
  } else {
    for (auto [name, f] : kCompanyFields) {
      if (name == p) return PropertyName{src, f, {}};
    }
  }
  return std::nullopt;
}

// The property's text for a contact; `scratch` holds formatted numbers.
std::string_view PropertyValue(const CompiledCriterion& c, const Contact& contact,
                               const Company* company, std::string& scratch) {
  if (c.source == Source::kContact) {
    switch (c.field) {
      case Field::kEmailDomain: return EmailDomain(contact.email);
      case Field::kTitle: return contact.title;
      case Field::kCountry: return contact.country;
      case Field::kSource: return contact.source;
      case Field::kCampaign: return contact.campaign;
      case Field::kCustom: {
        auto it = contact.custom.find(c.custom_key);
        return it == contact.custom.end() ? std::string_view{} : std::string_view(it->second);
      }
      default: return {};
    }
  }
  if (company == nullptr) return {};
  switch (c.field) {
    case Field::kName: return company->name;
    case Field::kDomain: return company->domain;
    case Field::kIndustry: return company->industry;
    case Field::kCountry: return company->country;
    case Field::kEmployees:
      if (!company->employees) return {};
      scratch = std::to_string(*company->employees);
      return scratch;
    case Field::kCustom: {
      auto it = company->custom.find(c.custom_key);
      return it == company->custom.end() ? std::string_view{} : std::string_view(it->second);
    }
    default: return {};
  }
}

bool Matches(const CompiledCriterion& c, std::string_view raw) {
  std::string_view v = Trim(raw);
  if (v.empty()) return false;
  switch (c.op) {
    case CriterionOp::kEquals:
    case CriterionOp::kOneOf:
      for (const auto& want : c.values) {
        if (EqualsIgnoreCase(v, want)) return true;
      }
      return false;
    case CriterionOp::kContains:
      for (const auto& want : c.values) {
        if (ContainsIgnoreCase(v, want)) return true;
      }
      return false;
    case CriterionOp::kPattern:
      for (const auto& want : c.values) {
        if (GlobMatch(want, v)) return true;
      }
      return false;
    case CriterionOp::kRange: {
      auto n = ParseNumber(v);
      if (!n) return false;
      if (c.has_min && *n < c.min) return false;
      if (c.has_max && *n > c.max) return false;
      return true;
    }
  }
  return false;
}

std::string CriterionLabel(const Criterion& c) {
  std::string out = c.property + " " + std::string(ToString(c.op));
  if (c.op == CriterionOp::kRange) {
    out += " [";
    out += c.min ? FormatPoints(*c.min) : "";
    out += "..";
    out += c.max ? FormatPoints(*c.max) : "";
    out += "]";
  } else {
    out += " [" + Join(c.values) + "]";
  }
  return out;
}

bool DomainIn(std::string_view domain, const std::vector<std::string>& list) {
  if (domain.empty()) return false;
  for (const auto& d : list) {
    // The domain itself or any subdomain of it ("eu.rival.example" is rival.example).
    if (domain.size() == d.size()) {
      if (EqualsIgnoreCase(domain, d)) return true;
    } else if (domain.size() > d.size() && domain[domain.size() - d.size() - 1] == '.' &&
               EqualsIgnoreCase(domain.substr(domain.size() - d.size()), d)) {
      return true;
    }
  }
  return false;
}

Result<void> ValidateDomains(const std::vector<std::string>& list, const std::string& field) {
  if (list.size() > kMaxDomains) return Fail(Error::Invalid(field, "at most 1000 domains"));
  for (const auto& d : list) {
    auto t = Trim(d);
    if (t.empty() || t.size() > 253 || t.find('.') == std::string_view::npos ||
        t.find_first_of(" @/") != std::string_view::npos) {
      return Fail(Error::Invalid(field, "'" + d + "' is not a domain such as rival.example"));
    }
  }
  return {};
}

}  // namespace

// ---------------------------------------------------------------------------------------------

std::string_view ToString(CriterionOp op) {
  switch (op) {
    case CriterionOp::kEquals: return "equals";
    case CriterionOp::kOneOf: return "one_of";
    case CriterionOp::kRange: return "range";
    case CriterionOp::kContains: return "contains";
    case CriterionOp::kPattern: return "pattern";
  }
  return "equals";
}

std::optional<CriterionOp> CriterionOpFromString(std::string_view text) {
  for (auto op : {CriterionOp::kEquals, CriterionOp::kOneOf, CriterionOp::kRange,
                  CriterionOp::kContains, CriterionOp::kPattern}) {
    if (ToString(op) == text) return op;
  }
  return std::nullopt;
}

std::string_view ToString(ExplainKind k) {
  switch (k) {
    case ExplainKind::kCriterion: return "criterion";
    case ExplainKind::kFit: return "fit";
    case ExplainKind::kNegative: return "negative";
    case ExplainKind::kGrade: return "grade";
    case ExplainKind::kEvent: return "event";
    case ExplainKind::kCap: return "cap";
    case ExplainKind::kDecay: return "decay";
    case ExplainKind::kEngagement: return "engagement";
    case ExplainKind::kQualification: return "qualification";
  }
  return "criterion";
}

std::string_view EmailDomain(std::string_view email) {
  auto at = email.rfind('@');
  if (at == std::string_view::npos) return {};
  return email.substr(at + 1);
}

bool GlobMatch(std::string_view pattern, std::string_view text) {
  // Iterative matcher with one backtrack point (the last '*'): O(|pattern| * |text|) at
  // worst, no recursion, so a hostile pattern cannot blow up.
  std::size_t p = 0, t = 0;
  std::size_t star_p = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size()) {
      char pc = pattern[p];
      if (pc == '*') {
        star_p = p++;
        star_t = t;
        continue;
      }
      bool escaped = pc == '\\' && p + 1 < pattern.size();
      char lit = escaped ? pattern[p + 1] : pc;
      if ((!escaped && pc == '?') || LowerChar(lit) == LowerChar(text[t])) {
        p += escaped ? 2 : 1;
        ++t;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p + 1;
    t = ++star_t;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

Grade GradeForFit(int fit, const GradeThresholds& t) {
  if (fit >= t.a) return Grade::kA;
  if (fit >= t.b) return Grade::kB;
  if (fit >= t.c) return Grade::kC;
  return Grade::kD;
}

// ---------------------------------------------------------------------------------------------
// Personas.

Result<void> Validate(const Persona& p) {
  if (!ValidKey(p.key, 64)) {
    return Fail(Error::Invalid("key", "key must be 1-64 characters of a-z, 0-9, '_' or '-'"));
  }
  if (Trim(p.name).empty() || p.name.size() > kShortTextMax) {
    return Fail(Error::Invalid("name", "name is required (at most 256 characters)"));
  }
  if (p.description.size() > kLongTextMax) {
    return Fail(Error::Invalid("description", "description is longer than 65536 characters"));
  }
  if (p.criteria.empty() || p.criteria.size() > kMaxCriteria) {
    return Fail(Error::Invalid("criteria", "a persona needs 1 to 50 criteria"));
  }
  for (std::size_t i = 0; i < p.criteria.size(); ++i) {
    const Criterion& c = p.criteria[i];
    std::string f = "criteria[" + std::to_string(i) + "]";
    if (!ResolveProperty(c.property)) {
      return Fail(Error::Invalid(
          f + ".property",
          "unknown property '" + c.property +
              "'; use contact.(email_domain|title|country|source|campaign|custom.<key>) or "
              "company.(name|domain|industry|employees|country|custom.<key>)"));
    }
    if (c.weight < 1 || c.weight > 100) {
      return Fail(Error::Invalid(f + ".weight", "weight must be 1..100"));
    }
    if (c.op == CriterionOp::kRange) {
      if (!c.values.empty()) {
        return Fail(Error::Invalid(f + ".values", "a range takes min and max, not values"));
      }
      if (!c.min && !c.max) {
        return Fail(Error::Invalid(f + ".min", "a range needs min, max or both"));
      }
      if ((c.min && !std::isfinite(*c.min)) || (c.max && !std::isfinite(*c.max))) {
        return Fail(Error::Invalid(f + ".min", "range bounds must be finite numbers"));
      }
      if (c.min && c.max && *c.min > *c.max) {
        return Fail(Error::Invalid(f + ".max", "max is below min"));
      }
      continue;
    }
    if (c.min || c.max) {
      return Fail(Error::Invalid(f + ".min", "min and max belong to range criteria only"));
    }
    if (c.values.empty() || c.values.size() > kMaxValues) {
      return Fail(Error::Invalid(f + ".values", "give 1 to 100 values"));
    }
    if (c.op == CriterionOp::kEquals && c.values.size() != 1) {
      return Fail(Error::Invalid(f + ".values", "equals takes exactly one value"));
    }
    for (const auto& v : c.values) {
      if (Trim(v).empty() || v.size() > kShortTextMax) {
        return Fail(Error::Invalid(f + ".values", "values must be 1..256 characters, not blank"));
      }
      if (std::any_of(v.begin(), v.end(), [](char ch) {
            return static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f;
          })) {
        return Fail(Error::Invalid(f + ".values", "values may not hold control characters"));
      }
    }
  }
  return {};
}

Result<CompiledPersona> CompilePersona(const Persona& p) {
  TANDEM_TRY(Validate(p));
  CompiledPersona out;
  out.id = p.id;
  out.key = p.key;
  out.name = p.name;
  out.version = p.version;
  for (const Criterion& c : p.criteria) {
    CompiledCriterion cc;
    auto prop = *ResolveProperty(c.property);
    cc.source = prop.source;
    cc.field = prop.field;
    cc.custom_key = prop.custom_key;
    cc.op = c.op;
    for (const auto& v : c.values) {
      // Patterns keep their case-insensitive matching in GlobMatch and only lose the
      // surrounding spaces; the other ops compare against lower-cased text.
      cc.values.push_back(c.op == CriterionOp::kPattern ? std::string(Trim(v)) : LowerTrim(v));
    }
    cc.has_min = c.min.has_value();
    cc.has_max = c.max.has_value();
    cc.min = c.min.value_or(0);
    cc.max = c.max.value_or(0);
    cc.weight = c.weight;
    cc.label = CriterionLabel(c);
    out.total_weight += c.weight;
    out.criteria.push_back(std::move(cc));
  }
  return out;
}

int PersonaFit(const CompiledPersona& p, const Contact& contact, const Company* company,
               std::vector<ExplainLine>* explain) {
  if (p.total_weight <= 0) return 0;
  int matched = 0;
  std::string scratch;
  for (const auto& c : p.criteria) {
    bool ok = Matches(c, PropertyValue(c, contact, company, scratch));
    if (ok) matched += c.weight;
    if (explain) {
      explain->push_back({ExplainKind::kCriterion,
                          std::string(ok ? "matched: " : "not matched: ") + c.label + " (weight " +
                              std::to_string(c.weight) + ")",
                          ok ? static_cast<double>(c.weight) : 0.0, ok});
    }
  }
  // Rounded half up, in integers: 100 * matched / total.
  return (200 * matched + p.total_weight) / (2 * p.total_weight);
}

// ---------------------------------------------------------------------------------------------
// Rules.

ScoringRules DefaultScoringRules() {
  ScoringRules r;
  r.events = {
      {"page_view", 1, 10, 24},    {"email_open", 2, 10, 24},        {"email_click", 5, 20, 24},
      {"form_submit", 15, 30, 24}, {"content_download", 10, 30, 24}, {"webinar", 20, 40, 168},
      {"demo_request", 40, 0, 24}, {"unsubscribe", -50, 0, 24},
  };
  r.half_life_days = 30;
  r.negatives.competitor_domains = {};
  r.negatives.competitor_penalty = 100;
  r.negatives.personal_email_domains = {
      "gmail.com",  "googlemail.com", "yahoo.com",   "hotmail.com", "outlook.com",    "live.com",
      "icloud.com", "me.com",         "aol.com",     "gmx.de",      "gmx.net",        "web.de",
      "orange.fr",  "free.fr",        "laposte.net", "proton.me",   "protonmail.com", "yandex.ru",
      "mail.ru",    "qq.com",         "163.com"};
  r.negatives.personal_email_penalty = 20;
  r.grades = {};
  r.mql = {};
  return r;
}

Result<void> Validate(const ScoringRules& r) {
  if (r.events.size() > kMaxEventRules) {
    return Fail(Error::Invalid("events", "at most 64 event rules"));
  }
  for (std::size_t i = 0; i < r.events.size(); ++i) {
    const EventRule& e = r.events[i];
    std::string f = "events[" + std::to_string(i) + "]";
    if (!ValidEventType(e.event_type)) {
      return Fail(Error::Invalid(f + ".event_type",
                                 "event type must be 1-64 characters of a-z, 0-9, '_', '.', ':' "
                                 "or '-'"));
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (r.events[j].event_type == e.event_type) {
        return Fail(Error::Invalid(f + ".event_type", "two rules for '" + e.event_type + "'"));
      }
    }
    if (!std::isfinite(e.points) || std::abs(e.points) > 1000) {
      return Fail(Error::Invalid(f + ".points", "points must be between -1000 and 1000"));
    }
    if (!std::isfinite(e.cap) || e.cap < 0 || e.cap > 100000) {
      return Fail(Error::Invalid(f + ".cap", "cap must be 0 (none) to 100000"));
    }
    if (e.cap > 0 && e.points < 0) {
      return Fail(Error::Invalid(f + ".cap", "a cap limits positive points only"));
    }
    if (e.cap_period_hours < 1 || e.cap_period_hours > 8784) {
      return Fail(Error::Invalid(f + ".cap_period_hours", "cap period must be 1..8784 hours"));
    }
  }
  if (!std::isfinite(r.half_life_days) || r.half_life_days < 0 || r.half_life_days > 3650) {
    return Fail(Error::Invalid("half_life_days", "half-life must be 0 (no decay) to 3650 days"));
  }
  TANDEM_TRY(ValidateDomains(r.negatives.competitor_domains, "negatives.competitor_domains"));
  TANDEM_TRY(
      ValidateDomains(r.negatives.personal_email_domains, "negatives.personal_email_domains"));
  if (r.negatives.competitor_penalty < 0 || r.negatives.competitor_penalty > 100) {
    return Fail(Error::Invalid("negatives.competitor_penalty", "penalty must be 0..100"));
  }
  if (r.negatives.personal_email_penalty < 0 || r.negatives.personal_email_penalty > 100) {
    return Fail(Error::Invalid("negatives.personal_email_penalty", "penalty must be 0..100"));
  }
  const auto& g = r.grades;
  if (!(g.a <= 100 && g.a > g.b && g.b > g.c && g.c >= 0)) {
    return Fail(Error::Invalid("grades", "grade thresholds must hold 100 >= a > b > c >= 0"));
  }
  if (r.mql.kind == QualificationRule::Kind::kExpression) {
    auto parsed = MqlRule::Parse(r.mql.expression);
    if (!parsed) {
      return Fail(Error::Precondition("MQL rule " + parsed.error().ToString(), "mql.expression"));
    }
  } else {
    bool any = false;
    for (const auto& m : r.mql.matrix.min_engagement) {
      if (!m) continue;
      any = true;
      if (!std::isfinite(*m) || *m < 0 || *m > 1e9) {
        return Fail(Error::Invalid("mql.matrix", "engagement thresholds must be 0..1e9"));
      }
    }
    if (!any) {
      return Fail(Error::Invalid("mql.matrix", "the matrix must qualify at least one grade"));
    }
  }
  return {};
}

Result<CompiledRules> CompileRules(const ScoringRules& r) {
  TANDEM_TRY(Validate(r));
  CompiledRules out;
  out.source_ = r;
  out.half_life_ms_ = r.half_life_days * kMsPerDay;
  for (const auto& e : r.events) out.period_ms_.push_back(e.cap_period_hours * kMsPerHour);
  for (const auto& d : r.negatives.competitor_domains) out.competitors_.push_back(LowerTrim(d));
  for (const auto& d : r.negatives.personal_email_domains) out.personal_.push_back(LowerTrim(d));
  if (r.mql.kind == QualificationRule::Kind::kExpression) {
    out.mql_ = *MqlRule::Parse(r.mql.expression);
  }
  return out;
}

std::optional<std::uint16_t> CompiledRules::FindEventRule(std::string_view event_type) const {
  for (std::size_t i = 0; i < source_.events.size(); ++i) {
    if (source_.events[i].event_type == event_type) return static_cast<std::uint16_t>(i);
  }
  return std::nullopt;
}

namespace {
// 2^(-(to - from) / half_life) for to > from, else 1.
double DecayFactor(const CompiledRules& rules, Instant from, Instant to) {
  if (rules.half_life_ms() <= 0 || to <= from) return 1;
  return std::exp2(-static_cast<double>(ToMillis(to) - ToMillis(from)) / rules.half_life_ms());
}
double EngagementValueAt(const CompiledRules& rules, const EngagementState& s, Instant at) {
  return s.value * DecayFactor(rules, s.last_update, at);
}
}  // namespace

double EngagementAt(const CompiledRules& rules, const EngagementState& s, Instant at) {
  double v = EngagementValueAt(rules, s, at);
  return v > 0 ? v : 0;
}

AppliedEvent CompiledRules::ApplyEvent(EngagementState& s, std::string_view event_type, Instant at,
                                       std::vector<ExplainLine>* explain) const {
  auto rule = FindEventRule(event_type);
  if (!rule) {
    if (explain) {
      explain->push_back({ExplainKind::kEvent,
                          std::string(event_type) + " at " + FormatInstant(at) +
                              ": no rule for this event type, 0 points",
                          0, false});
    }
    return {};
  }
  return ApplyEvent(s, *rule, at, explain);
}

AppliedEvent CompiledRules::ApplyEvent(EngagementState& s, std::uint16_t rule, Instant at,
                                       std::vector<ExplainLine>* explain) const {
  AppliedEvent out;
  out.known = true;
  const EventRule& r = source_.events[rule];
  const std::int64_t at_ms = ToMillis(at);
  const std::int64_t last_ms = ToMillis(s.last_update);

  // 1. Bring the value to the later of the two instants.
  double carry = 1;  // factor applied to this event's points (late events decay forward)
  if (half_life_ms_ > 0) {
    if (at_ms > last_ms) {
      double before = s.value;
      s.value *= std::exp2(-static_cast<double>(at_ms - last_ms) / half_life_ms_);
      out.decayed_by = before - s.value;
    } else if (at_ms < last_ms) {
      carry = std::exp2(-static_cast<double>(last_ms - at_ms) / half_life_ms_);
    }
  }
  if (at_ms > last_ms) s.last_update = at;
  if (explain && out.decayed_by != 0) {
    explain->push_back({ExplainKind::kDecay,
                        "decay to " + FormatInstant(at) + ": -" + FormatPoints(out.decayed_by) +
                            " (half-life " + FormatPoints(source_.half_life_days) + " days)",
                        -out.decayed_by, false});
  }

  // 2. The cap of this type within the event's period.
  double points = r.points;
  if (r.cap > 0 && points > 0) {
    const std::int64_t period_ms = period_ms_[rule];
    // floor division, so events before 1970 (refused upstream) would still land right.
    std::int64_t period = at_ms >= 0 ? at_ms / period_ms : -((-at_ms + period_ms - 1) / period_ms);
    CapUsage* slot = nullptr;
    for (auto& c : s.caps) {
      if (c.rule == rule) {
        slot = &c;
        break;
      }
    }
    if (slot == nullptr) {
      s.caps.push_back({period, 0.0f, rule});
      slot = &s.caps.back();
    }
    double used = 0;
    if (slot->period == period) {
      used = slot->used;
    } else if (slot->period < period) {
      slot->period = period;
      slot->used = 0;
    }
    // A late event for a period older than the one tracked is held to the cap alone: only
    // the latest period per type is kept, which keeps the state bounded.
    double room = std::max(0.0, r.cap - used);
    if (points > room) {
      out.capped = true;
      if (explain) {
        explain->push_back({ExplainKind::kCap,
                            r.event_type + ": cap of " + FormatPoints(r.cap) + " per " +
                                std::to_string(r.cap_period_hours) + " h reached, " +
                                FormatPoints(points - room) + " points not counted",
                            -(points - room), false});
      }
      points = room;
    }
    if (slot->period == period) slot->used = static_cast<float>(used + points);
  }

  // 3. Add.
  out.points = points;
  s.value += points * carry;
  if (explain) {
    std::string text = r.event_type + " at " + FormatInstant(at) + ": " + (points >= 0 ? "+" : "") +
                       FormatPoints(points);
    if (carry != 1) text += " (arrived late: worth " + FormatPoints(points * carry) + " now)";
    explain->push_back({points < 0 ? ExplainKind::kNegative : ExplainKind::kEvent, std::move(text),
                        points * carry, true});
  }
  return out;
}

FitResult CompiledRules::Fit(std::span<const CompiledPersona> personas, const Contact& contact,
                             const Company* company, std::vector<ExplainLine>* explain) const {
  FitResult out;
  const CompiledPersona* best = nullptr;
  for (const auto& p : personas) {
    int f = PersonaFit(p, contact, company);
    if (f > out.raw_fit) {
      out.raw_fit = f;
      best = &p;
    }
  }
  if (best != nullptr) {
    out.persona_id = best->id;
    out.persona_key = best->key;
    if (explain) {
      PersonaFit(*best, contact, company, explain);
      explain->push_back({ExplainKind::kFit,
                          "best persona: " + best->name + " (" + best->key + ", version " +
                              std::to_string(best->version) + "), fit " +
                              std::to_string(out.raw_fit) + " of 100",
                          static_cast<double>(out.raw_fit), true});
    }
  } else if (explain) {
    explain->push_back(
        {ExplainKind::kFit,
         personas.empty() ? "no persona defined: fit 0" : "no persona matches any criterion: fit 0",
         0, false});
  }

  std::string_view email_domain = EmailDomain(contact.email);
  const std::string_view company_domain =
      company != nullptr ? std::string_view(company->domain) : std::string_view{};
  if (DomainIn(email_domain, competitors_) || DomainIn(company_domain, competitors_)) {
    out.penalty += source_.negatives.competitor_penalty;
    if (explain) {
      explain->push_back(
          {ExplainKind::kNegative,
           "competitor domain: -" + std::to_string(source_.negatives.competitor_penalty) + " fit",
           -static_cast<double>(source_.negatives.competitor_penalty), true});
    }
  }
  if (DomainIn(email_domain, personal_)) {
    out.penalty += source_.negatives.personal_email_penalty;
    if (explain) {
      explain->push_back({ExplainKind::kNegative,
                          "personal email domain " + std::string(email_domain) + ": -" +
                              std::to_string(source_.negatives.personal_email_penalty) + " fit",
                          -static_cast<double>(source_.negatives.personal_email_penalty), true});
    }
  }
  out.fit = std::clamp(out.raw_fit - out.penalty, 0, 100);
  out.grade = GradeForFit(out.fit, source_.grades);
  if (explain) {
    const auto& g = source_.grades;
    std::string rule = out.grade == Grade::kA   ? "fit >= " + std::to_string(g.a)
                       : out.grade == Grade::kB ? "fit >= " + std::to_string(g.b)
                       : out.grade == Grade::kC ? "fit >= " + std::to_string(g.c)
                                                : "fit < " + std::to_string(g.c);
    explain->push_back({ExplainKind::kGrade,
                        "fit " + std::to_string(out.fit) + ": grade " +
                            std::string(ToString(out.grade)) + " (" + rule + ")",
                        static_cast<double>(out.fit), true});
  }
  return out;
}

bool CompiledRules::Qualifies(const MqlInputs& in, std::vector<ExplainLine>* explain) const {
  bool holds = false;
  std::string rule;
  if (source_.mql.kind == QualificationRule::Kind::kExpression) {
    holds = mql_.Evaluate(in);
    if (explain) rule = mql_.ToString();
  } else {
    const auto& m = source_.mql.matrix.min_engagement[static_cast<int>(in.grade)];
    holds = m.has_value() && in.engagement >= *m;
    if (explain) {
      rule = "grade " + std::string(ToString(in.grade)) +
             (m ? " needs engagement >= " + FormatPoints(*m) : " never qualifies");
    }
  }
  if (explain) {
    explain->push_back(
        {ExplainKind::kQualification,
         std::string(holds ? "MQL rule holds: " : "MQL rule does not hold: ") + rule + " (fit " +
             FormatPoints(in.fit) + ", engagement " + FormatPoints(in.engagement) + ", grade " +
             std::string(ToString(in.grade)) + ", persona " +
             (in.persona.empty() ? std::string("none") : std::string(in.persona)) + ")",
         0, holds});
  }
  return holds;
}

void MergeEngagement(const CompiledRules& rules, EngagementState& into,
                     const EngagementState& from) {
  if (from.last_update > into.last_update) {
    into.value = EngagementValueAt(rules, into, from.last_update) + from.value;
    into.last_update = from.last_update;
  } else {
    into.value += from.value * DecayFactor(rules, from.last_update, into.last_update);
  }
  for (const CapUsage& c : from.caps) {
    auto it = std::find_if(into.caps.begin(), into.caps.end(),
                           [&](const CapUsage& x) { return x.rule == c.rule; });
    if (it == into.caps.end()) {
      into.caps.push_back(c);
    } else if (it->period == c.period) {
      it->used += c.used;
    } else if (it->period < c.period) {
      *it = c;
    }
  }
}

std::string EncodeCaps(const CompiledRules& rules, const EngagementState& s) {
  std::string out;
  for (const CapUsage& c : s.caps) {
    if (c.rule >= rules.source().events.size()) continue;
    out += rules.source().events[c.rule].event_type;
    out += '\t';
    out += std::to_string(c.period);
    out += '\t';
    out += FormatPoints(c.used);
    out += '\n';
  }
  return out;
}

std::vector<CapUsage> DecodeCaps(const CompiledRules& rules, std::string_view text) {
  std::vector<CapUsage> out;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    auto t1 = line.find('\t');
    if (t1 == std::string_view::npos) continue;
    auto t2 = line.find('\t', t1 + 1);
    if (t2 == std::string_view::npos) continue;
    auto rule = rules.FindEventRule(line.substr(0, t1));
    if (!rule || rules.source().events[*rule].cap <= 0) continue;
    std::int64_t period = 0;
    std::string_view p = line.substr(t1 + 1, t2 - t1 - 1);
    auto [pe, pec] = std::from_chars(p.data(), p.data() + p.size(), period);
    auto used = ParseNumber(line.substr(t2 + 1));
    if (pec != std::errc() || pe != p.data() + p.size() || !used) continue;
    out.push_back({period, static_cast<float>(*used), *rule});
  }
  return out;
}

std::string_view ToString(SignoffCapacity c) {
  return c == SignoffCapacity::kHeadOfMarketing ? "head_of_marketing" : "head_of_sales";
}

std::optional<SignoffCapacity> SignoffCapacityFromString(std::string_view text) {
  if (text == "head_of_marketing") return SignoffCapacity::kHeadOfMarketing;
  if (text == "head_of_sales") return SignoffCapacity::kHeadOfSales;
  return std::nullopt;
}

std::string_view ToString(JobStatus s) {
  switch (s) {
    case JobStatus::kQueued: return "queued";
    case JobStatus::kRunning: return "running";
    case JobStatus::kDone: return "done";
    case JobStatus::kFailed: return "failed";
    case JobStatus::kSuperseded: return "superseded";
  }
  return "queued";
}

std::optional<JobStatus> JobStatusFromString(std::string_view text) {
  for (auto s : {JobStatus::kQueued, JobStatus::kRunning, JobStatus::kDone, JobStatus::kFailed,
                 JobStatus::kSuperseded}) {
    if (ToString(s) == text) return s;
  }
  return std::nullopt;
}

}  // namespace tandem::core
