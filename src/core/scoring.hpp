// Lead scoring: personas and fit, engagement from events, negative rules, grades, and the
// explanation of a score. Pure functions and plain values: no I/O, no clock (instants are
// passed in). The MQL qualification rule lives in core/mql_rule.hpp.
//
// The model (decisions documented in docs/scoring.md):
//  * A Persona holds fit criteria on contact and company properties, each with a weight.
//    A contact's fit for a persona is the weighted share of matched criteria, 0..100
//    (rounded to the nearest integer). The best persona is the one with the highest fit;
//    ties go to the persona listed first (callers list personas by id).
//  * Negative rules on who the contact is (a competitor's domain, a personal email domain)
//    subtract points from the fit, floored at 0. The grade A-D comes from the final fit.
//  * Engagement is a decaying sum of event points. The state is a value and the instant of
//    its last update; applying an event first decays the value to the event's instant
//    (half-life decay: value * 2^(-dt / half_life)), then adds the event's points, limited by
//    the event type's cap per period. An event older than the last update adds its points
//    decayed forward to the last update (exponential decay commutes, so the order of
//    arrival does not matter). Negative points (an unsubscribe) are allowed; the internal
//    value may go below 0 and the engagement shown is max(0, value).
//  * Compile once, score many: `CompileRules` and `CompilePersona` validate and precompute;
//    the compiled forms are immutable and safe to share between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/model.hpp"
#include "core/mql_rule.hpp"
#include "core/time.hpp"

namespace tandem::core {

// ---------------------------------------------------------------------------------------------
// Personas and fit criteria.

enum class CriterionOp : std::uint8_t { kEquals, kOneOf, kRange, kContains, kPattern };
std::string_view ToString(CriterionOp op);
std::optional<CriterionOp> CriterionOpFromString(std::string_view text);

// One fit criterion. `property` names what is tested:
//   contact.email_domain, contact.title, contact.country, contact.source, contact.campaign,
//   contact.custom.<key>, company.name, company.domain, company.industry,
//   company.employees, company.country, company.custom.<key>.
// Text comparisons ignore case and surrounding spaces. Semantics per op:
//   equals   values[0] equals the property
//   one_of   the property equals one of values (1..100 values)
//   contains the property contains one of values as a substring
//   pattern  the property matches one of values as a glob over the whole text: `*` any run
//            of characters, `?` one character, `\` escapes the next one. Globs (not
//            regular expressions) so a pattern typed by a user runs in linear-ish time.
//   range    the property read as a number lies in [min, max]; either bound may be absent
//            (not both); a property that is not a number does not match.
// An empty or absent property never matches.
struct Criterion {
  std::string property;
  CriterionOp op = CriterionOp::kEquals;
  std::vector<std::string> values;
  std::optional<double> min;
  std::optional<double> max;
  int weight = 1;  // 1..100
};

struct Persona {
  Id id = 0;
  std::string key;  // stable identifier used by rules: [a-z0-9_-]{1,64}
  std::string name;
  std::string description;
  std::vector<Criterion> criteria;  // 1..50
  int version = 1;                  // bumped on every change by the app layer
  bool archived = false;            // archived personas are kept for history, never scored
  Instant created_at{};
  Instant updated_at{};
};

// Checks a persona (key, name, lengths, every criterion). kInvalidArgument with a field such
// as "criteria[2].values".
Result<void> Validate(const Persona& p);

// A persona ready for scoring: property selectors resolved, texts lower-cased, weights
// summed. Immutable once built.
struct CompiledCriterion {
  enum class Source : std::uint8_t { kContact, kCompany } source = Source::kContact;
  enum class Field : std::uint8_t {
    kEmailDomain,
    kTitle,
    kCountry,
    kSource,
    kCampaign,
    kName,
    kDomain,
    kIndustry,
    kEmployees,
    kCustom,
  } field = Field::kTitle;
  std::string custom_key;  // for kCustom
  CriterionOp op = CriterionOp::kEquals;
  std::vector<std::string> values;  // trimmed and lower-cased
  double min = 0;
  double max = 0;
  bool has_min = false;
  bool has_max = false;
  int weight = 1;
  std::string label;  // "company.industry one_of [saas, fintech]" for explanations
};

struct CompiledPersona {
  Id id = 0;
  std::string key;
  std::string name;
  int version = 0;
  std::vector<CompiledCriterion> criteria;
  int total_weight = 0;
};

Result<CompiledPersona> CompilePersona(const Persona& p);

// ---------------------------------------------------------------------------------------------
// Grades.

// Fit at or above `a` is A, at or above `b` is B, at or above `c` is C, else D.
// Defaults: A >= 80, B >= 60, C >= 40. Must hold 100 >= a > b > c >= 0.
struct GradeThresholds {
  int a = 80;
  int b = 60;
  int c = 40;
};
Grade GradeForFit(int fit, const GradeThresholds& t);

// ---------------------------------------------------------------------------------------------
// Rule set: event points, caps, decay, negative rules, grades, the MQL rule text.

// The event types Tandem knows; any other name of [a-z0-9_.:-]{1,64} is a custom type.
inline constexpr std::string_view kKnownEventTypes[] = {
    "page_view", "email_open",   "email_click", "form_submit", "content_download",
    "webinar",   "demo_request", "unsubscribe", "identify"};

struct EventRule {
  std::string event_type;
  double points = 0;                   // may be negative (e.g. unsubscribe)
  double cap = 0;                      // most points this type adds per period; 0 = no cap
  std::int64_t cap_period_hours = 24;  // 1 .. 8784 (a leap year)
};

struct NegativeRules {
  std::vector<std::string> competitor_domains;      // matched on email domain and company domain
  int competitor_penalty = 100;                     // fit points removed
  std::vector<std::string> personal_email_domains;  // gmail.com, yahoo.com, ...
  int personal_email_penalty = 20;
};

// The MQL qualification: an expression (see core/mql_rule.hpp) or a grade-by-engagement
// matrix giving, per grade, the least engagement that qualifies (absent = never).
struct GradeMatrix {
  std::optional<double> min_engagement[4];  // indexed by Grade
};
struct QualificationRule {
  enum class Kind : std::uint8_t { kExpression, kMatrix } kind = Kind::kExpression;
  std::string expression = "fit >= 60 and engagement >= 40";
  GradeMatrix matrix;
};

struct ScoringRules {
  int version = 0;  // given by the store; 0 = the built-in defaults
  std::vector<EventRule> events;
  double half_life_days = 30;  // 0 = no decay
  NegativeRules negatives;
  GradeThresholds grades;
  QualificationRule mql;
  Instant updated_at{};
  std::optional<Id> updated_by;
};

// The built-in rule set (documented in docs/scoring.md).
ScoringRules DefaultScoringRules();

// Checks every field, including that the MQL expression parses. Errors are
// kInvalidArgument naming the field, except a bad MQL expression which is
// kFailedPrecondition on field "mql.expression" with the position in the message.
Result<void> Validate(const ScoringRules& r);

// ---------------------------------------------------------------------------------------------
// Engagement state: small, cheap, persisted per contact.

// Points granted to one capped event type within its current period.
struct CapUsage {
  std::int64_t period = 0;  // floor(event instant / period length)
  float used = 0;
  std::uint16_t rule = 0;  // index into the compiled rules' event list
};

struct EngagementState {
  double value = 0;            // points as of last_update (no decay applied after it)
  Instant last_update{};       // the newest event applied; epoch when none
  std::vector<CapUsage> caps;  // at most one entry per capped event rule
};

// Engagement at instant `at` (decayed from the last update, floored at 0).
// `at` before the last update gives the value at the last update.
class CompiledRules;
double EngagementAt(const CompiledRules& rules, const EngagementState& s, Instant at);

// What applying one event did.
struct AppliedEvent {
  double points = 0;      // points actually added (after the cap), at the event's instant
  double decayed_by = 0;  // points lost to decay between the last update and the event
  bool capped = false;    // the cap removed some or all of the rule's points
  bool known = false;     // a rule exists for the event type
};

// ---------------------------------------------------------------------------------------------
// Explanations.

enum class ExplainKind : std::uint8_t {
  kCriterion,      // a persona criterion, matched or not
  kFit,            // the persona's fit and which persona was best
  kNegative,       // a negative rule applied
  kGrade,          // the grade and its threshold
  kEvent,          // an event's points
  kCap,            // a cap removed points
  kDecay,          // decay since the previous update
  kEngagement,     // the engagement total
  kQualification,  // the MQL rule's verdict
};
std::string_view ToString(ExplainKind k);

struct ExplainLine {
  ExplainKind kind = ExplainKind::kCriterion;
  std::string text;      // one human sentence
  double points = 0;     // the contribution (weight, points, or a penalty as a negative)
  bool matched = false;  // criteria: matched; qualification: holds
};

// ---------------------------------------------------------------------------------------------
// The compiled rule set and fit computation.

struct FitResult {
  int fit = 0;                   // after negatives, 0..100
  int raw_fit = 0;               // best persona's fit before negatives
  std::optional<Id> persona_id;  // best persona (absent when no persona scores above 0)
  std::string persona_key;
  Grade grade = Grade::kD;
  int penalty = 0;  // fit points removed by negative rules
};

class CompiledRules {
 public:
  int version() const { return source_.version; }
  const ScoringRules& source() const { return source_; }

  // The index of the rule for an event type, or nothing when no rule names it. Resolve
  // once per event; ApplyEvent takes the index.
  std::optional<std::uint16_t> FindEventRule(std::string_view event_type) const;

  // Decays `s` to `at` and adds the points of rule `rule` (from FindEventRule) within its
  // cap. O(number of capped rules) at worst, no allocation once the state has seen each
  // capped rule. `explain`, when given, receives the decay, event and cap lines.
  AppliedEvent ApplyEvent(EngagementState& s, std::uint16_t rule, Instant at,
                          std::vector<ExplainLine>* explain = nullptr) const;
  // Same, by type name. An event type without a rule changes nothing (known = false).
  AppliedEvent ApplyEvent(EngagementState& s, std::string_view event_type, Instant at,
                          std::vector<ExplainLine>* explain = nullptr) const;

  // Fit of a contact (with its company, when it has one) against the personas, negatives
  // applied, graded. `explain` receives the best persona's criteria, negatives and grade.
  FitResult Fit(std::span<const CompiledPersona> personas, const Contact& contact,
                const Company* company, std::vector<ExplainLine>* explain = nullptr) const;

  // Whether the MQL rule holds for these scores (`persona_key` empty when none); with
  // `explain`, appends one kQualification line saying why.
  bool Qualifies(const MqlInputs& in, std::vector<ExplainLine>* explain = nullptr) const;

  double half_life_ms() const { return half_life_ms_; }

 private:
  friend Result<CompiledRules> CompileRules(const ScoringRules& r);
  ScoringRules source_;
  double half_life_ms_ = 0;              // 0 = no decay
  std::vector<std::int64_t> period_ms_;  // per event rule
  std::vector<std::string> competitors_;
  std::vector<std::string> personal_;
  MqlRule mql_;
};

// Merges the engagement of a contact merged away (`from`) into the one kept (`into`): both
// values are brought to the later of their last updates and added; cap usage of the same type
// in the same period is added too.
void MergeEngagement(const CompiledRules& rules, EngagementState& into,
                     const EngagementState& from);

// A lossless text form of the cap usage for storage, keyed by event type name so that it
// survives a new rule set: "type\tperiod\tused" lines. Decoding drops the lines of types the
// rules no longer cap.
std::string EncodeCaps(const CompiledRules& rules, const EngagementState& s);
std::vector<CapUsage> DecodeCaps(const CompiledRules& rules, std::string_view text);

// ---------------------------------------------------------------------------------------------
// Stored values around scoring.

// A contact's scores as stored (one row per scored contact).
struct ContactScore {
  Id contact_id = 0;
  int fit = 0;
  Grade grade = Grade::kD;
  std::optional<Id> persona_id;
  EngagementState engagement;
  std::string caps_text;  // EncodeCaps form; decoded against the rules in use
  int rules_version = 0;
  Instant updated_at{};
};

// Who signs personas off: the head of marketing and the head of sales.
enum class SignoffCapacity : std::uint8_t { kHeadOfMarketing, kHeadOfSales };
std::string_view ToString(SignoffCapacity c);
std::optional<SignoffCapacity> SignoffCapacityFromString(std::string_view text);

struct PersonaSignoff {
  Id id = 0;
  Id persona_id = 0;
  int version = 0;  // the persona version signed
  Id user_id = 0;
  std::string user_email;
  SignoffCapacity capacity = SignoffCapacity::kHeadOfMarketing;
  std::string note;
  Instant signed_at{};
};

// One entry of a persona's history: the persona as it was at `version`.
struct PersonaVersion {
  Persona persona;  // persona.version is the version
  std::optional<Id> changed_by;
  Instant changed_at{};
};

// A background re-score of every contact after a rule or persona change.
enum class JobStatus : std::uint8_t { kQueued, kRunning, kDone, kFailed, kSuperseded };
std::string_view ToString(JobStatus s);
std::optional<JobStatus> JobStatusFromString(std::string_view text);

struct ScoringJob {
  Id id = 0;
  JobStatus status = JobStatus::kQueued;
  std::string reason;          // "rules v3", "persona data_lead v2"
  std::int64_t total = 0;      // contacts to score, counted when the job was queued
  std::int64_t done = 0;       // contacts scored so far
  Id cursor = 0;               // the last contact id scored (the job resumes after it)
  std::int64_t qualified = 0;  // leads the job moved to mql
  std::string error;
  Instant created_at{};
  std::optional<Instant> started_at;
  std::optional<Instant> finished_at;
  std::optional<Id> created_by;
};

// Validates and compiles a rule set (see Validate(const ScoringRules&) for the errors).
Result<CompiledRules> CompileRules(const ScoringRules& r);

// Fit of one persona alone, 0..100, with its criterion lines when `explain` is given.
int PersonaFit(const CompiledPersona& p, const Contact& contact, const Company* company,
               std::vector<ExplainLine>* explain = nullptr);

// Whole-text glob match ('*', '?', '\' escape), ASCII case-insensitive. Exposed for tests.
bool GlobMatch(std::string_view pattern, std::string_view text);

// The domain of an email ("a@b.example" -> "b.example"), empty when there is no '@'.
std::string_view EmailDomain(std::string_view email);

}  // namespace tandem::core
