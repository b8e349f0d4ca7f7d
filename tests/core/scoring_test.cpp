#include "core/scoring.hpp"

#include <cmath>

#include <gtest/gtest.h>

namespace tandem::core {
namespace {

const Instant kT0 = FromMillis(1'790'000'000'000);
constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kHour = 3'600'000;

Instant At(std::int64_t offset_ms) {
  return kT0 + std::chrono::milliseconds(offset_ms);
}

Criterion Crit(std::string property, CriterionOp op, std::vector<std::string> values,
               int weight = 1) {
  Criterion c;
  c.property = std::move(property);
  c.op = op;
  c.values = std::move(values);
  c.weight = weight;
  return c;
}

Criterion Range(std::string property, std::optional<double> min, std::optional<double> max,
                int weight = 1) {
  Criterion c;
  c.property = std::move(property);
  c.op = CriterionOp::kRange;
  c.min = min;
  c.max = max;
  c.weight = weight;
  return c;
}

Persona DataLead() {
  Persona p;
  p.id = 1;
  p.key = "data_lead";
  p.name = "Head of Data";
  p.criteria = {
      Crit("contact.title", CriterionOp::kPattern, {"*head of data*", "*data lead*"}, 40),
      Crit("company.industry", CriterionOp::kOneOf, {"SaaS", "Fintech"}, 30),
      Range("company.employees", 50, 1000, 20),
      Crit("contact.country", CriterionOp::kEquals, {"fr"}, 10),
  };
  return p;
}

CompiledPersona Compile(const Persona& p) {
  auto c = CompilePersona(p);
  EXPECT_TRUE(c) << (c ? "" : c.error().field + ": " + c.error().message);
  return c ? *c : CompiledPersona{};
}

CompiledRules Rules(ScoringRules r = DefaultScoringRules()) {
  auto c = CompileRules(r);
  EXPECT_TRUE(c) << (c ? "" : c.error().field + ": " + c.error().message);
  return c ? *c : CompiledRules{};
}

Contact AContact() {
  Contact c;
  c.id = 9;
  c.email = "ana@acme.example";
  c.title = "VP, Head of Data Platform";
  c.country = "FR";
  return c;
}

Company ACompany() {
  Company c;
  c.id = 3;
  c.name = "Acme";
  c.domain = "acme.example";
  c.industry = "saas ";
  c.employees = 200;
  return c;
}

// ---------------------------------------------------------------------------------------------
// Glob and helpers.

TEST(GlobMatchTest, StarQuestionAndEscape) {
  EXPECT_TRUE(GlobMatch("*head of data*", "VP, Head of Data Platform"));
  EXPECT_TRUE(GlobMatch("c?o", "CFO"));
  EXPECT_FALSE(GlobMatch("c?o", "CTOO"));
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("a*b*c", "axxbyyc"));
  EXPECT_FALSE(GlobMatch("a*b*c", "axxbyy"));
  EXPECT_TRUE(GlobMatch("100\\*", "100*"));
  EXPECT_FALSE(GlobMatch("100\\*", "1000"));
  EXPECT_TRUE(GlobMatch("what\\?", "what?"));
  EXPECT_FALSE(GlobMatch("what\\?", "whatx"));
  EXPECT_FALSE(GlobMatch("abc", "ab"));
}

TEST(GlobMatchTest, HostilePatternStaysFast) {
  // A backtracking matcher would take exponential time here; ours is quadratic at worst.
  std::string text(2000, 'a');
  std::string pattern;
  for (int i = 0; i < 30; ++i) pattern += "*a";
  pattern += "b";
  EXPECT_FALSE(GlobMatch(pattern, text));
}

TEST(EmailDomainTest, TakesTheLastAt) {
  EXPECT_EQ(EmailDomain("a@b.example"), "b.example");
  EXPECT_EQ(EmailDomain("nobody"), "");
}

// ---------------------------------------------------------------------------------------------
// Personas and fit.

TEST(PersonaTest, AllCriteriaMatchedIsFullFit) {
  Company co = ACompany();
  EXPECT_EQ(PersonaFit(Compile(DataLead()), AContact(), &co), 100);
}

TEST(PersonaTest, FitIsTheWeightedShareOfMatchedCriteria) {
  Company co = ACompany();
  co.industry = "Retail";  // loses 30
  EXPECT_EQ(PersonaFit(Compile(DataLead()), AContact(), &co), 70);
  co.employees = 20;  // loses 20 more
  EXPECT_EQ(PersonaFit(Compile(DataLead()), AContact(), &co), 50);
  // Without a company, only contact criteria count: 40 + 10 of 100.
  EXPECT_EQ(PersonaFit(Compile(DataLead()), AContact(), nullptr), 50);
}

TEST(PersonaTest, FitRoundsHalfUp) {
  Persona p;
  p.key = "k";
  p.name = "K";
  p.criteria = {Crit("contact.country", CriterionOp::kEquals, {"fr"}),
                Crit("contact.title", CriterionOp::kEquals, {"x"}),
                Crit("contact.source", CriterionOp::kEquals, {"y"})};
  EXPECT_EQ(PersonaFit(Compile(p), AContact(), nullptr), 33);  // 33.33
  p.criteria.pop_back();
  p.criteria.push_back(Crit("contact.title", CriterionOp::kContains, {"data"}, 2));
  // 1 + 2 matched of 4 = 75
  EXPECT_EQ(PersonaFit(Compile(p), AContact(), nullptr), 75);
}

TEST(PersonaTest, EveryOperatorAndProperty) {
  Contact c = AContact();
  c.source = "Paid_Social";
  c.campaign = "q4-launch";
  c.custom["seniority"] = "  Director ";
  Company co = ACompany();
  co.custom["arr"] = "1.5e6";
  co.country = "DE";
  struct Case {
    Criterion crit;
    bool match;
  };
  std::vector<Case> cases = {
      {Crit("contact.email_domain", CriterionOp::kEquals, {"ACME.example"}), true},
      {Crit("contact.source", CriterionOp::kOneOf, {"organic", "paid_social"}), true},
      {Crit("contact.campaign", CriterionOp::kContains, {"LAUNCH"}), true},
      {Crit("contact.campaign", CriterionOp::kContains, {"spring"}), false},
      {Crit("contact.custom.seniority", CriterionOp::kEquals, {"director"}), true},
      {Crit("contact.custom.missing", CriterionOp::kPattern, {"*"}), false},
      {Crit("company.name", CriterionOp::kPattern, {"ac?e"}), true},
      {Crit("company.domain", CriterionOp::kEquals, {"acme.example"}), true},
      {Crit("company.country", CriterionOp::kOneOf, {"de", "at"}), true},
      {Range("company.custom.arr", 1e6, std::nullopt), true},
      {Range("company.custom.arr", std::nullopt, 1e6), false},
      {Range("company.employees", 200, 200), true},
      {Range("company.employees", 201, std::nullopt), false},
      {Range("contact.title", 0, 10), false},  // not a number
  };
  for (const auto& tc : cases) {
    Persona p;
    p.key = "p";
    p.name = "P";
    p.criteria = {tc.crit};
    EXPECT_EQ(PersonaFit(Compile(p), c, &co), tc.match ? 100 : 0)
        << tc.crit.property << " " << ToString(tc.crit.op);
  }
}

TEST(PersonaTest, ExplainsEachCriterion) {
  Company co = ACompany();
  co.industry = "Retail";
  std::vector<ExplainLine> lines;
  PersonaFit(Compile(DataLead()), AContact(), &co, &lines);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].text,
            "matched: contact.title pattern [*head of data*, *data lead*] (weight 40)");
  EXPECT_TRUE(lines[0].matched);
  EXPECT_EQ(lines[0].points, 40);
  EXPECT_EQ(lines[1].text, "not matched: company.industry one_of [SaaS, Fintech] (weight 30)");
  EXPECT_FALSE(lines[1].matched);
  EXPECT_EQ(lines[1].points, 0);
  EXPECT_EQ(lines[2].text, "matched: company.employees range [50..1000] (weight 20)");
}

TEST(PersonaTest, ValidationNamesTheField) {
  auto bad = [](auto mutate) {
    Persona p = DataLead();
    mutate(p);
    auto r = Validate(p);
    EXPECT_FALSE(r);
    return r ? std::string() : r.error().field;
  };
  EXPECT_EQ(bad([](Persona& p) { p.key = "Bad Key"; }), "key");
  EXPECT_EQ(bad([](Persona& p) { p.key = ""; }), "key");
  EXPECT_EQ(bad([](Persona& p) { p.name = "  "; }), "name");
  EXPECT_EQ(bad([](Persona& p) { p.criteria.clear(); }), "criteria");
  EXPECT_EQ(bad([](Persona& p) { p.criteria.resize(51, p.criteria[0]); }), "criteria");
  EXPECT_EQ(bad([](Persona& p) { p.criteria[1].property = "company.revenue"; }),
            "criteria[1].property");
  EXPECT_EQ(bad([](Persona& p) { p.criteria[1].property = "deal.amount"; }),
            "criteria[1].property");
  EXPECT_EQ(bad([](Persona& p) { p.criteria[1].property = "contact.custom."; }),
            "criteria[1].property");
  EXPECT_EQ(bad([](Persona& p) { p.criteria[0].weight = 0; }), "criteria[0].weight");
  EXPECT_EQ(bad([](Persona& p) { p.criteria[0].weight = 101; }), "criteria[0].weight");
  EXPECT_EQ(bad([](Persona& p) { p.criteria[0].values.clear(); }), "criteria[0].values");
  EXPECT_EQ(bad([](Persona& p) { p.criteria[0].values = {" "}; }), "criteria[0].values");
  EXPECT_EQ(bad([](Persona& p) { p.criteria[3].values = {"fr", "de"}; }), "criteria[3].values");
  EXPECT_EQ(bad([](Persona& p) { p.criteria[0].min = 3; }), "criteria[0].min");
  EXPECT_EQ(bad([](Persona& p) { p.criteria[2].min.reset(), p.criteria[2].max.reset(); }),
            "criteria[2].min");
  EXPECT_EQ(bad([](Persona& p) { p.criteria[2].min = 2000; }), "criteria[2].max");
  EXPECT_EQ(bad([](Persona& p) { p.criteria[2].values = {"1"}; }), "criteria[2].values");
  EXPECT_EQ(bad([](Persona& p) { p.criteria[2].max = std::nan(""); }), "criteria[2].min");
  EXPECT_TRUE(Validate(DataLead()));
}

TEST(PersonaTest, CriterionOpCodec) {
  for (auto op : {CriterionOp::kEquals, CriterionOp::kOneOf, CriterionOp::kRange,
                  CriterionOp::kContains, CriterionOp::kPattern}) {
    EXPECT_EQ(CriterionOpFromString(ToString(op)), op);
  }
  EXPECT_FALSE(CriterionOpFromString("regex"));
}

TEST(FitTest, BestPersonaWinsAndTiesGoToTheFirst) {
  Persona other;
  other.id = 2;
  other.key = "french";
  other.name = "French";
  other.criteria = {Crit("contact.country", CriterionOp::kEquals, {"fr"})};
  std::vector<CompiledPersona> ps = {Compile(DataLead()), Compile(other)};
  CompiledRules rules = Rules();
  Company co = ACompany();
  co.industry = "Retail";  // data_lead: 70, french: 100
  FitResult r = rules.Fit(ps, AContact(), &co);
  EXPECT_EQ(r.fit, 100);
  EXPECT_EQ(r.persona_id, 2);
  EXPECT_EQ(r.persona_key, "french");
  EXPECT_EQ(r.grade, Grade::kA);

  co.industry = "SaaS";  // both 100: the first listed wins
  EXPECT_EQ(rules.Fit(ps, AContact(), &co).persona_key, "data_lead");
}

TEST(FitTest, NoPersonaMeansFitZeroGradeD) {
  CompiledRules rules = Rules();
  FitResult r = rules.Fit({}, AContact(), nullptr);
  EXPECT_EQ(r.fit, 0);
  EXPECT_FALSE(r.persona_id);
  EXPECT_EQ(r.grade, Grade::kD);
  Contact nobody;
  nobody.email = "x@y.example";
  std::vector<CompiledPersona> ps = {Compile(DataLead())};
  r = rules.Fit(ps, nobody, nullptr);
  EXPECT_FALSE(r.persona_id);
  EXPECT_EQ(r.fit, 0);
}

TEST(FitTest, GradesFollowThresholds) {
  GradeThresholds t;
  EXPECT_EQ(GradeForFit(100, t), Grade::kA);
  EXPECT_EQ(GradeForFit(80, t), Grade::kA);
  EXPECT_EQ(GradeForFit(79, t), Grade::kB);
  EXPECT_EQ(GradeForFit(60, t), Grade::kB);
  EXPECT_EQ(GradeForFit(59, t), Grade::kC);
  EXPECT_EQ(GradeForFit(40, t), Grade::kC);
  EXPECT_EQ(GradeForFit(39, t), Grade::kD);
  EXPECT_EQ(GradeForFit(0, t), Grade::kD);
  EXPECT_EQ(GradeForFit(50, GradeThresholds{90, 50, 10}), Grade::kB);
}

TEST(FitTest, NegativeRulesSubtractFromFit) {
  ScoringRules sr = DefaultScoringRules();
  sr.negatives.competitor_domains = {"rival.example"};
  CompiledRules rules = Rules(sr);
  std::vector<CompiledPersona> ps = {Compile(DataLead())};
  Company co = ACompany();

  Contact personal = AContact();
  personal.email = "ana@Gmail.com";
  FitResult r = rules.Fit(ps, personal, &co);
  EXPECT_EQ(r.raw_fit, 100);
  EXPECT_EQ(r.penalty, 20);
  EXPECT_EQ(r.fit, 80);

  Contact rival = AContact();
  rival.email = "spy@eu.rival.example";  // a subdomain counts
  r = rules.Fit(ps, rival, &co);
  EXPECT_EQ(r.fit, 0);
  EXPECT_EQ(r.grade, Grade::kD);

  Company rival_co = co;
  rival_co.domain = "rival.example";
  r = rules.Fit(ps, AContact(), &rival_co);
  EXPECT_EQ(r.penalty, 100);

  Contact lookalike = AContact();
  lookalike.email = "x@notrival.example";  // not a subdomain
  EXPECT_EQ(rules.Fit(ps, lookalike, &co).penalty, 0);
}

TEST(FitTest, ExplanationListsCriteriaNegativesAndGrade) {
  CompiledRules rules = Rules();
  std::vector<CompiledPersona> ps = {Compile(DataLead())};
  Contact c = AContact();
  c.email = "ana@gmail.com";
  Company co = ACompany();
  std::vector<ExplainLine> lines;
  rules.Fit(ps, c, &co, &lines);
  ASSERT_EQ(lines.size(), 7u);
  EXPECT_EQ(lines[4].kind, ExplainKind::kFit);
  EXPECT_EQ(lines[4].text, "best persona: Head of Data (data_lead, version 1), fit 100 of 100");
  EXPECT_EQ(lines[5].kind, ExplainKind::kNegative);
  EXPECT_EQ(lines[5].text, "personal email domain gmail.com: -20 fit");
  EXPECT_EQ(lines[5].points, -20);
  EXPECT_EQ(lines[6].kind, ExplainKind::kGrade);
  EXPECT_EQ(lines[6].text, "fit 80: grade A (fit >= 80)");
}

// ---------------------------------------------------------------------------------------------
// Engagement.

ScoringRules SimpleRules(double half_life_days = 0) {
  ScoringRules r;
  r.events = {{"page_view", 1, 3, 24},
              {"demo_request", 40, 0, 24},
              {"unsubscribe", -50, 0, 24},
              {"webinar_attended", 20, 20, 168}};
  r.half_life_days = half_life_days;
  return r;
}

TEST(EngagementTest, AddsPointsPerEventType) {
  CompiledRules rules = Rules(SimpleRules());
  EngagementState s;
  auto a = rules.ApplyEvent(s, "demo_request", At(0));
  EXPECT_TRUE(a.known);
  EXPECT_EQ(a.points, 40);
  rules.ApplyEvent(s, "page_view", At(1));
  EXPECT_DOUBLE_EQ(s.value, 41);
  EXPECT_EQ(s.last_update, At(1));
  auto custom = rules.ApplyEvent(s, "webinar_attended", At(2));
  EXPECT_EQ(custom.points, 20);
  EXPECT_DOUBLE_EQ(EngagementAt(rules, s, At(3)), 61);
}

TEST(EngagementTest, UnknownEventTypeChangesNothing) {
  CompiledRules rules = Rules(SimpleRules(30));
  EngagementState s;
  rules.ApplyEvent(s, "page_view", At(0));
  auto r = rules.ApplyEvent(s, "tweet", At(kDay));
  EXPECT_FALSE(r.known);
  EXPECT_EQ(s.last_update, At(0));
  EXPECT_DOUBLE_EQ(s.value, 1);
  EXPECT_FALSE(rules.FindEventRule("tweet"));
  EXPECT_EQ(rules.FindEventRule("demo_request"), 1);
}

TEST(EngagementTest, DecaysHalfAfterHalfLife) {
  CompiledRules rules = Rules(SimpleRules(10));
  EngagementState s;
  rules.ApplyEvent(s, "demo_request", At(0));
  EXPECT_DOUBLE_EQ(EngagementAt(rules, s, At(10 * kDay)), 20);
  EXPECT_DOUBLE_EQ(EngagementAt(rules, s, At(20 * kDay)), 10);
  // The state itself is not touched by reading it.
  EXPECT_DOUBLE_EQ(s.value, 40);
  // Applying an event decays first, then adds.
  auto a = rules.ApplyEvent(s, "demo_request", At(10 * kDay));
  EXPECT_DOUBLE_EQ(a.decayed_by, 20);
  EXPECT_DOUBLE_EQ(s.value, 60);
  EXPECT_EQ(s.last_update, At(10 * kDay));
}

TEST(EngagementTest, NoDecayWhenHalfLifeIsZero) {
  CompiledRules rules = Rules(SimpleRules(0));
  EngagementState s;
  rules.ApplyEvent(s, "demo_request", At(0));
  EXPECT_DOUBLE_EQ(EngagementAt(rules, s, At(3650 * kDay)), 40);
}

TEST(EngagementTest, LateEventsGiveTheSameValueAsOrderedOnes) {
  CompiledRules rules = Rules(SimpleRules(7));
  EngagementState ordered, shuffled;
  rules.ApplyEvent(ordered, "demo_request", At(0));
  rules.ApplyEvent(ordered, "webinar_attended", At(3 * kDay));
  rules.ApplyEvent(ordered, "demo_request", At(9 * kDay));

  rules.ApplyEvent(shuffled, "demo_request", At(9 * kDay));
  auto late = rules.ApplyEvent(shuffled, "demo_request", At(0));
  rules.ApplyEvent(shuffled, "webinar_attended", At(3 * kDay));
  EXPECT_EQ(late.points, 40);
  EXPECT_EQ(shuffled.last_update, At(9 * kDay));
  EXPECT_NEAR(ordered.value, shuffled.value, 1e-9);
  EXPECT_NEAR(EngagementAt(rules, ordered, At(20 * kDay)),
              EngagementAt(rules, shuffled, At(20 * kDay)), 1e-9);
}

TEST(EngagementTest, CapLimitsPointsPerTypePerPeriod) {
  CompiledRules rules = Rules(SimpleRules());
  EngagementState s;
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(rules.ApplyEvent(s, "page_view", At(i)).capped);
  auto fourth = rules.ApplyEvent(s, "page_view", At(4));
  EXPECT_TRUE(fourth.capped);
  EXPECT_EQ(fourth.points, 0);
  EXPECT_DOUBLE_EQ(s.value, 3);
  // Another type is not limited by page_view's cap.
  rules.ApplyEvent(s, "demo_request", At(5));
  EXPECT_DOUBLE_EQ(s.value, 43);
  // The next period starts afresh (periods are aligned on multiples of the period length).
  std::int64_t next_period = ((ToMillis(kT0) / (24 * kHour)) + 1) * 24 * kHour - ToMillis(kT0);
  EXPECT_FALSE(rules.ApplyEvent(s, "page_view", At(next_period)).capped);
  EXPECT_DOUBLE_EQ(s.value, 44);
  EXPECT_EQ(s.caps.size(), 1u);  // one slot per capped type, reused
}

TEST(EngagementTest, CapGrantsThePartThatFits) {
  ScoringRules r = SimpleRules();
  r.events = {{"form_submit", 15, 20, 24}};
  CompiledRules rules = Rules(r);
  EngagementState s;
  rules.ApplyEvent(s, "form_submit", At(0));
  auto second = rules.ApplyEvent(s, "form_submit", At(1));
  EXPECT_TRUE(second.capped);
  EXPECT_EQ(second.points, 5);
  EXPECT_DOUBLE_EQ(s.value, 20);
}

TEST(EngagementTest, WeeklyCapPeriod) {
  CompiledRules rules = Rules(SimpleRules());
  EngagementState s;
  // webinar_attended: 20 points, cap 20 per 168 h.
  std::int64_t week = 168 * kHour;
  std::int64_t start = (ToMillis(kT0) / week + 1) * week - ToMillis(kT0);
  rules.ApplyEvent(s, "webinar_attended", At(start));
  EXPECT_TRUE(rules.ApplyEvent(s, "webinar_attended", At(start + 6 * kDay)).capped);
  EXPECT_FALSE(rules.ApplyEvent(s, "webinar_attended", At(start + 7 * kDay)).capped);
}

TEST(EngagementTest, UnsubscribeIsNegativeAndShownEngagementFloorsAtZero) {
  CompiledRules rules = Rules(SimpleRules());
  EngagementState s;
  rules.ApplyEvent(s, "page_view", At(0));
  auto u = rules.ApplyEvent(s, "unsubscribe", At(1));
  EXPECT_EQ(u.points, -50);
  EXPECT_DOUBLE_EQ(s.value, -49);
  EXPECT_EQ(EngagementAt(rules, s, At(2)), 0);
  rules.ApplyEvent(s, "demo_request", At(3));
  EXPECT_EQ(EngagementAt(rules, s, At(3)), 0);  // still under: -9
  rules.ApplyEvent(s, "demo_request", At(4));
  EXPECT_DOUBLE_EQ(EngagementAt(rules, s, At(4)), 31);
}

TEST(EngagementTest, ExplanationShowsDecayEventsAndCaps) {
  ScoringRules r = SimpleRules(1);
  CompiledRules rules = Rules(r);
  EngagementState s;
  std::vector<ExplainLine> lines;
  rules.ApplyEvent(s, "demo_request", At(0), &lines);
  rules.ApplyEvent(s, "page_view", At(kDay), &lines);
  for (int i = 0; i < 3; ++i) rules.ApplyEvent(s, "page_view", At(kDay + 1 + i), &lines);
  rules.ApplyEvent(s, "unsubscribe", At(kDay + 10), &lines);
  rules.ApplyEvent(s, "nothing", At(kDay + 11), &lines);
  ASSERT_GE(lines.size(), 8u);
  EXPECT_EQ(lines[0].kind, ExplainKind::kEvent);
  EXPECT_EQ(lines[0].text, "demo_request at 2026-09-21T14:13:20.000Z: +40");
  EXPECT_EQ(lines[1].kind, ExplainKind::kDecay);
  EXPECT_EQ(lines[1].text, "decay to 2026-09-22T14:13:20.000Z: -20 (half-life 1 days)");
  EXPECT_EQ(lines[1].points, -20);
  EXPECT_EQ(lines[2].text, "page_view at 2026-09-22T14:13:20.000Z: +1");
  bool saw_cap = false, saw_negative = false, saw_unknown = false;
  for (const auto& l : lines) {
    if (l.kind == ExplainKind::kCap) {
      saw_cap = true;
      EXPECT_EQ(l.text, "page_view: cap of 3 per 24 h reached, 1 points not counted");
    }
    if (l.kind == ExplainKind::kNegative) saw_negative = true;
    if (l.text.find("no rule for this event type") != std::string::npos) saw_unknown = true;
  }
  EXPECT_TRUE(saw_cap);
  EXPECT_TRUE(saw_negative);
  EXPECT_TRUE(saw_unknown);
}

// ---------------------------------------------------------------------------------------------
// Rules: validation and qualification.

TEST(RulesTest, DefaultsAreValid) {
  EXPECT_TRUE(Validate(DefaultScoringRules()));
  CompiledRules rules = Rules();
  for (auto type : {"page_view", "email_open", "email_click", "form_submit", "content_download",
                    "webinar", "demo_request", "unsubscribe"}) {
    EXPECT_TRUE(rules.FindEventRule(type)) << type;
  }
}

TEST(RulesTest, ValidationNamesTheField) {
  auto bad = [](auto mutate) {
    ScoringRules r = DefaultScoringRules();
    mutate(r);
    auto v = Validate(r);
    EXPECT_FALSE(v);
    return v ? std::string() : v.error().field;
  };
  EXPECT_EQ(bad([](ScoringRules& r) { r.events[0].event_type = "Page View"; }),
            "events[0].event_type");
  EXPECT_EQ(bad([](ScoringRules& r) { r.events[1].event_type = "page_view"; }),
            "events[1].event_type");
  EXPECT_EQ(bad([](ScoringRules& r) { r.events[0].points = 5000; }), "events[0].points");
  EXPECT_EQ(bad([](ScoringRules& r) { r.events[0].points = std::nan(""); }), "events[0].points");
  EXPECT_EQ(bad([](ScoringRules& r) { r.events[0].cap = -1; }), "events[0].cap");
  EXPECT_EQ(bad([](ScoringRules& r) { r.events[7].cap = 10; }), "events[7].cap");
  EXPECT_EQ(bad([](ScoringRules& r) { r.events[0].cap_period_hours = 0; }),
            "events[0].cap_period_hours");
  EXPECT_EQ(bad([](ScoringRules& r) { r.events.resize(65, r.events[0]); }), "events");
  EXPECT_EQ(bad([](ScoringRules& r) { r.half_life_days = -1; }), "half_life_days");
  EXPECT_EQ(bad([](ScoringRules& r) { r.negatives.competitor_domains = {"not a domain"}; }),
            "negatives.competitor_domains");
  EXPECT_EQ(bad([](ScoringRules& r) { r.negatives.personal_email_domains = {"a@b.com"}; }),
            "negatives.personal_email_domains");
  EXPECT_EQ(bad([](ScoringRules& r) { r.negatives.competitor_penalty = 101; }),
            "negatives.competitor_penalty");
  EXPECT_EQ(bad([](ScoringRules& r) { r.grades = {60, 80, 40}; }), "grades");
  EXPECT_EQ(bad([](ScoringRules& r) { r.grades = {101, 80, 40}; }), "grades");
  EXPECT_EQ(bad([](ScoringRules& r) {
              r.mql.kind = QualificationRule::Kind::kMatrix;
              r.mql.matrix = {};
            }),
            "mql.matrix");
}

TEST(RulesTest, BadMqlExpressionIsAPreconditionWithTheColumn) {
  ScoringRules r = DefaultScoringRules();
  r.mql.expression = "fit >= 60 and engagment >= 40";
  auto v = CompileRules(r);
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(v.error().field, "mql.expression");
  EXPECT_EQ(v.error().message,
            "MQL rule at column 15: unknown name 'engagment'; expected 'fit', 'engagement', "
            "'grade' or 'persona'");
}

TEST(RulesTest, ExpressionQualification) {
  CompiledRules rules = Rules();
  EXPECT_TRUE(rules.Qualifies({60, 40, Grade::kB, "x"}));
  EXPECT_FALSE(rules.Qualifies({59, 90, Grade::kC, "x"}));
  std::vector<ExplainLine> lines;
  rules.Qualifies({70, 12.345, Grade::kB, ""}, &lines);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].kind, ExplainKind::kQualification);
  EXPECT_FALSE(lines[0].matched);
  EXPECT_EQ(lines[0].text,
            "MQL rule does not hold: fit >= 60 and engagement >= 40 (fit 70, engagement 12.35, "
            "grade B, persona none)");
}

TEST(RulesTest, MatrixQualification) {
  ScoringRules r = DefaultScoringRules();
  r.mql.kind = QualificationRule::Kind::kMatrix;
  r.mql.matrix.min_engagement[0] = 10;  // A
  r.mql.matrix.min_engagement[1] = 30;  // B
  r.mql.matrix.min_engagement[2] = 80;  // C; D never
  CompiledRules rules = Rules(r);
  EXPECT_TRUE(rules.Qualifies({90, 10, Grade::kA, ""}));
  EXPECT_FALSE(rules.Qualifies({70, 20, Grade::kB, ""}));
  EXPECT_TRUE(rules.Qualifies({45, 80, Grade::kC, ""}));
  EXPECT_FALSE(rules.Qualifies({10, 1000, Grade::kD, ""}));
  std::vector<ExplainLine> lines;
  rules.Qualifies({10, 1000, Grade::kD, ""}, &lines);
  EXPECT_EQ(lines.at(0).text,
            "MQL rule does not hold: grade D never qualifies (fit 10, engagement 1000, grade D, "
            "persona none)");
}

}  // namespace
}  // namespace tandem::core

namespace tandem::core {
namespace {

TEST(EngagementMergeTest, AddsValuesAtTheLaterInstantAndCapUsage) {
  ScoringRules r;
  r.events = {{"page_view", 1, 3, 24}, {"demo_request", 40, 0, 24}};
  r.half_life_days = 1;
  CompiledRules rules = *CompileRules(r);
  const Instant t0 = FromMillis(1'790'000'000'000);
  const auto day = std::chrono::milliseconds(86'400'000);
  EngagementState a, b;
  rules.ApplyEvent(a, "demo_request", t0);
  rules.ApplyEvent(b, "demo_request", t0 + day);
  rules.ApplyEvent(b, "page_view", t0 + day);
  rules.ApplyEvent(b, "page_view", t0 + day);
  EngagementState into = a;
  MergeEngagement(rules, into, b);
  EXPECT_EQ(into.last_update, t0 + day);
  EXPECT_DOUBLE_EQ(into.value, 20 + 42);
  // The other order gives the same value.
  EngagementState other = b;
  MergeEngagement(rules, other, a);
  EXPECT_DOUBLE_EQ(other.value, into.value);
  // Cap usage carried over: one more page view fits the cap of 3 that day, the next does not.
  rules.ApplyEvent(into, "page_view", t0 + day);
  EXPECT_TRUE(rules.ApplyEvent(into, "page_view", t0 + day).capped);
}

TEST(CapsCodecTest, RoundTripsByTypeNameAndDropsUncappedTypes) {
  ScoringRules r;
  r.events = {{"page_view", 1, 3, 24}, {"form_submit", 15, 30, 24}};
  CompiledRules rules = *CompileRules(r);
  EngagementState s;
  const Instant t0 = FromMillis(1'790'000'000'000);
  rules.ApplyEvent(s, "form_submit", t0);
  rules.ApplyEvent(s, "page_view", t0);
  std::string text = EncodeCaps(rules, s);
  EXPECT_EQ(text, "form_submit\t20717\t15\npage_view\t20717\t1\n");
  auto back = DecodeCaps(rules, text);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].rule, 1);
  EXPECT_EQ(back[0].period, 20717);
  EXPECT_EQ(back[0].used, 15.0f);

  // A new rule set: page_view no longer capped, form_submit moved to index 0.
  ScoringRules r2;
  r2.events = {{"form_submit", 15, 30, 24}, {"page_view", 1, 0, 24}};
  CompiledRules rules2 = *CompileRules(r2);
  auto moved = DecodeCaps(rules2, text);
  ASSERT_EQ(moved.size(), 1u);
  EXPECT_EQ(moved[0].rule, 0);
  // Garbage lines are skipped, not fatal.
  EXPECT_TRUE(DecodeCaps(rules, "junk\nform_submit\tx\t1\n\n").empty());
}

TEST(ScoringCodecsTest, SignoffCapacityAndJobStatus) {
  for (auto c : {SignoffCapacity::kHeadOfMarketing, SignoffCapacity::kHeadOfSales}) {
    EXPECT_EQ(SignoffCapacityFromString(ToString(c)), c);
  }
  EXPECT_FALSE(SignoffCapacityFromString("ceo"));
  for (auto s : {JobStatus::kQueued, JobStatus::kRunning, JobStatus::kDone, JobStatus::kFailed,
                 JobStatus::kSuperseded}) {
    EXPECT_EQ(JobStatusFromString(ToString(s)), s);
  }
  EXPECT_FALSE(JobStatusFromString("paused"));
}

TEST(PersonaValuesTest, ControlCharactersAreRefused) {
  Persona p;
  p.key = "k";
  p.name = "K";
  Criterion c;
  c.property = "contact.title";
  c.op = CriterionOp::kOneOf;
  c.values = {"cfo\nceo"};
  p.criteria = {c};
  auto v = Validate(p);
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().field, "criteria[0].values");
}

}  // namespace
}  // namespace tandem::core
