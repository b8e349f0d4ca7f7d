#include "core/compliance.hpp"

#include <gtest/gtest.h>

#include "core/handoff.hpp"
#include "core/permissions.hpp"

namespace tandem::core {
namespace {

using namespace std::chrono;

const date::time_zone* Paris() {
  return date::locate_zone("Europe/Paris");
}

Instant At(int y, unsigned mo, unsigned d, int h, int mi) {
  const auto lt =
      date::local_days{date::year{y} / mo / d} + std::chrono::hours{h} + std::chrono::minutes{mi};
  return time_point_cast<milliseconds>(Paris()->to_sys(lt, date::choose::earliest));
}

Date Day(int y, unsigned m, unsigned d) {
  return sys_days{year{y} / m / d};
}

BusinessCalendar ParisOffice() {
  WeeklyHours w;
  for (std::size_t d = 0; d < 5; ++d) w.days[d] = {{9 * 60, 18 * 60}};
  auto c = BusinessCalendar::Create(Paris(), std::move(w), {});
  EXPECT_TRUE(c.has_value());
  return *c;
}

ClockFacts Clock(Instant due) {
  ClockFacts f;
  f.due_at = due;
  return f;
}

// ----- judging one clock ---------------------------------------------------------------------

TEST(JudgeClockTest, EachRuleOfTheHeader) {
  const Instant due = At(2026, 11, 23, 12, 30);
  const Instant before = due - minutes(1);
  const Instant after = due + minutes(1);
  EXPECT_EQ(JudgeClock(std::nullopt, after), ClockOutcome::kDropped);
  auto c = Clock(due);
  EXPECT_EQ(JudgeClock(c, before), ClockOutcome::kPending) << "open, not yet due";
  EXPECT_EQ(JudgeClock(c, due), ClockOutcome::kMissed) << "open at its due time is a miss";
  EXPECT_EQ(JudgeClock(c, after), ClockOutcome::kMissed) << "open past due is a miss";
  c.met_at = due;
  EXPECT_EQ(JudgeClock(c, after), ClockOutcome::kOnTime) << "met exactly at the due time";
  c.met_at = after;
  EXPECT_EQ(JudgeClock(c, after), ClockOutcome::kMissed) << "met late";
  c = Clock(due);
  c.breached_at = due;
  EXPECT_EQ(JudgeClock(c, before), ClockOutcome::kMissed);
  c = Clock(due);
  c.cancelled_at = before;
  EXPECT_EQ(JudgeClock(c, after), ClockOutcome::kDropped) << "stopped mattering in time";
  c.cancelled_at = after;
  EXPECT_EQ(JudgeClock(c, after), ClockOutcome::kMissed) << "already late when cancelled";
}

TEST(ComplianceBreakdownTest, ParsesTheThreeKeysAndNamesTheFieldOtherwise) {
  EXPECT_EQ(ComplianceBreakdownFromString("rep").value(), ComplianceBreakdown::kRep);
  EXPECT_EQ(ComplianceBreakdownFromString("team").value(), ComplianceBreakdown::kTeam);
  EXPECT_EQ(ComplianceBreakdownFromString("week").value(), ComplianceBreakdown::kWeek);
  for (const char* bad : {"", "month", "Rep", "rep "}) {
    auto r = ComplianceBreakdownFromString(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().field, "by");
    EXPECT_NE(r.error().message.find("rep, team, week"), std::string::npos);
  }
}

// ----- sales ---------------------------------------------------------------------------------

// Four leads assigned Friday 2026-11-20 17:30 in Paris (office Mon-Fri 09:00-18:00), under a
// contract of first touch within 4 business hours (due Monday 12:30), 2 attempts within 1
// business day (due Monday 18:00), a disposition within 2 business days (due Tuesday 18:00).
// Judged Monday 15:00.
class FridayLeadsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SalesObligations sales{
        .first_touch_hours = 4, .attempts = 2, .attempts_within_days = 1, .disposition_days = 2};
    auto plan = PlanSlaClocks(sales, calendar_, friday_);
    ASSERT_EQ(plan.size(), 3u);
    ASSERT_EQ(plan[0].due_at, At(2026, 11, 23, 12, 30));
    ASSERT_EQ(plan[1].due_at, At(2026, 11, 23, 18, 0));
    ASSERT_EQ(plan[2].due_at, At(2026, 11, 24, 18, 0));
    auto lead = [&](Id id, Id owner, const char* email, const char* team) {
      ComplianceLead l;
      l.assignment_id = id;
      l.contact_id = 100 + id;
      l.owner_id = owner;
      l.owner_email = email;
      l.team = team;
      l.contract_version_id = 1;
      l.assigned_at = friday_;
      l.first_touch = Clock(plan[0].due_at);
      l.attempts_clock = Clock(plan[1].due_at);
      l.disposition = Clock(plan[2].due_at);
      return l;
    };
    // Ana (Sales EMEA): touched Friday 17:50 (20 business minutes), 2 attempts by Monday 10:00,
    // accepted Monday 10:05.
    ComplianceLead l1 = lead(1, 7, "ana@example.com", "Sales EMEA");
    l1.first_touch_at = At(2026, 11, 20, 17, 50);
    l1.first_touch->met_at = l1.first_touch_at;
    l1.attempts = 2;
    l1.attempts_clock->met_at = At(2026, 11, 23, 10, 0);
    l1.disposition->met_at = At(2026, 11, 23, 10, 5);
    // Ana: touched Monday 09:30 (30 + 30 = 60 minutes), one attempt so far, not decided yet.
    ComplianceLead l2 = lead(2, 7, "ana@example.com", "Sales EMEA");
    l2.first_touch_at = At(2026, 11, 23, 9, 30);
    l2.first_touch->met_at = l2.first_touch_at;
    l2.attempts = 1;
    // Ben (no team): touched Monday 12:30, exactly at the due time (30 + 210 = 240 minutes),
    // second attempt Monday 13:00.
    ComplianceLead l3 = lead(3, 8, "ben@example.com", "");
    l3.first_touch_at = At(2026, 11, 23, 12, 30);
    l3.first_touch->met_at = l3.first_touch_at;
    l3.attempts = 2;
    l3.attempts_clock->met_at = At(2026, 11, 23, 13, 0);
    // Ben: breached at 12:30, touched Monday 14:00 (30 + 300 = 330 minutes), rejected 14:30
    // (the attempts clock is cancelled before its due time: not counted).
    ComplianceLead l4 = lead(4, 8, "ben@example.com", "");
    l4.first_touch_at = At(2026, 11, 23, 14, 0);
    l4.first_touch->breached_at = l4.first_touch->due_at;
    l4.attempts = 1;
    l4.attempts_clock->cancelled_at = At(2026, 11, 23, 14, 30);
    l4.disposition->met_at = At(2026, 11, 23, 14, 30);
    leads_ = {l1, l2, l3, l4};
  }

  SalesReport Run(ComplianceBreakdown by) {
    return ComputeSalesCompliance(leads_, by, Paris(), now_,
                                  [this](const ComplianceLead&) { return &calendar_; });
  }

  BusinessCalendar calendar_ = ParisOffice();
  Instant friday_ = At(2026, 11, 20, 17, 30);
  Instant now_ = At(2026, 11, 23, 15, 0);
  std::vector<ComplianceLead> leads_;
};

TEST_F(FridayLeadsTest, TotalHasOnTimeSharesMediansAndAttempts) {
  const auto r = Run(ComplianceBreakdown::kRep);
  const auto& t = r.total;
  EXPECT_EQ(t.leads, 4);
  EXPECT_EQ(t.first_touch.on_time, 3);
  EXPECT_EQ(t.first_touch.missed, 1);
  EXPECT_EQ(t.first_touch.pending, 0);
  ASSERT_TRUE(t.first_touch.share);
  EXPECT_DOUBLE_EQ(*t.first_touch.share, 0.75);
  ASSERT_TRUE(t.first_touch.interval);
  EXPECT_NEAR(t.first_touch.interval->low, 0.3006, 1e-4);  // Wilson 95% of 3 out of 4
  EXPECT_NEAR(t.first_touch.interval->high, 0.9544, 1e-4);
  EXPECT_EQ(t.touched, 4);
  EXPECT_EQ(t.untouched, 0);
  // Responses 20, 60, 240, 330 business minutes: nearest rank 2 of 4 and 4 of 4.
  EXPECT_EQ(t.response_p50_minutes, 60.0);
  EXPECT_EQ(t.response_p90_minutes, 330.0);
  EXPECT_EQ(t.attempts_per_lead, 1.5);
  EXPECT_EQ(t.attempts.on_time, 2);
  EXPECT_EQ(t.attempts.missed, 0);
  EXPECT_EQ(t.attempts.pending, 1) << "lead 2 may still make its second attempt by 18:00";
  EXPECT_EQ(t.attempts.share, 1.0);
  EXPECT_EQ(t.disposition.on_time, 2);
  EXPECT_EQ(t.disposition.pending, 2);
  EXPECT_EQ(t.disposition.share, 1.0);
}

TEST_F(FridayLeadsTest, PerRepRowsAreOrderedByEmail) {
  const auto r = Run(ComplianceBreakdown::kRep);
  ASSERT_EQ(r.rows.size(), 2u);
  const auto& ana = r.rows[0];
  EXPECT_EQ(ana.label, "ana@example.com");
  EXPECT_EQ(ana.key, "7");
  EXPECT_EQ(ana.user_id, 7);
  EXPECT_EQ(ana.leads, 2);
  EXPECT_EQ(ana.first_touch.share, 1.0);
  EXPECT_EQ(ana.response_p50_minutes, 20.0);
  EXPECT_EQ(ana.response_p90_minutes, 60.0);
  const auto& ben = r.rows[1];
  EXPECT_EQ(ben.label, "ben@example.com");
  EXPECT_EQ(ben.first_touch.share, 0.5);
  EXPECT_EQ(ben.response_p50_minutes, 240.0);
  EXPECT_EQ(ben.response_p90_minutes, 330.0);
  EXPECT_EQ(ben.attempts.on_time, 1);
  EXPECT_EQ(ben.attempts.pending, 0) << "lead 4's attempts clock was cancelled in time";
}

TEST_F(FridayLeadsTest, PerTeamAndPerWeek) {
  const auto teams = Run(ComplianceBreakdown::kTeam);
  ASSERT_EQ(teams.rows.size(), 2u);
  EXPECT_EQ(teams.rows[0].label, "(no team)");
  EXPECT_EQ(teams.rows[0].key, "");
  EXPECT_EQ(teams.rows[0].leads, 2);
  EXPECT_EQ(teams.rows[1].label, "Sales EMEA");
  EXPECT_FALSE(teams.rows[1].user_id);
  // A lead assigned the next Monday falls in the next week.
  leads_[3].assigned_at = At(2026, 11, 23, 9, 0);
  const auto weeks = Run(ComplianceBreakdown::kWeek);
  ASSERT_EQ(weeks.rows.size(), 2u);
  EXPECT_EQ(weeks.rows[0].key, "2026-11-16");
  EXPECT_EQ(weeks.rows[0].leads, 3);
  EXPECT_EQ(weeks.rows[1].key, "2026-11-23");
  EXPECT_EQ(weeks.rows[1].leads, 1);
}

TEST_F(FridayLeadsTest, AnOpenClockPastDueIsAMissAndUntouchedLeadsStayOutOfThePercentiles) {
  ComplianceLead l5 = leads_[1];
  l5.assignment_id = 5;
  l5.first_touch_at.reset();
  l5.first_touch->met_at.reset();  // nobody called; the scheduler has not fired yet
  l5.attempts = 0;
  leads_.push_back(l5);
  auto t = Run(ComplianceBreakdown::kRep).total;
  EXPECT_EQ(t.first_touch.missed, 2);
  EXPECT_EQ(t.first_touch.share, 3.0 / 5.0);
  EXPECT_EQ(t.untouched, 1);
  EXPECT_EQ(t.response_p50_minutes, 60.0);
  // The same lead judged before its due time is pending, not a miss.
  now_ = At(2026, 11, 23, 12, 0);
  leads_ = {l5};
  t = Run(ComplianceBreakdown::kRep).total;
  EXPECT_EQ(t.first_touch.pending, 1);
  EXPECT_EQ(t.first_touch.missed, 0);
  EXPECT_FALSE(t.first_touch.share) << "nothing decided: no share";
  EXPECT_FALSE(t.first_touch.interval);
  EXPECT_FALSE(t.response_p50_minutes);
}

TEST(SalesComplianceTest, NoLeadsGiveNoFigures) {
  auto r = ComputeSalesCompliance({}, ComplianceBreakdown::kRep, Paris(), At(2026, 11, 23, 9, 0),
                                  nullptr);
  EXPECT_TRUE(r.rows.empty());
  EXPECT_EQ(r.total.leads, 0);
  EXPECT_FALSE(r.total.attempts_per_lead);
  EXPECT_FALSE(r.total.first_touch.share);
}

// ----- marketing -----------------------------------------------------------------------------

std::vector<QuotaTerms> Weekly(int quota) {
  MarketingObligations m;
  m.mql_quota = quota;
  m.quota_period = QuotaPeriod::kWeek;
  m.min_grade_ab_percent = 70;
  m.min_persona_match_percent = 50;
  return {{At(2026, 1, 1, 0, 0), m}};
}

TEST(ExpectedMqlsTest, WeeklyQuotaIsProRatedByTime) {
  const auto terms = Weekly(40);
  const Instant monday = At(2026, 11, 16, 0, 0);
  EXPECT_NEAR(*ExpectedMqls(terms, monday, At(2026, 11, 23, 0, 0), Paris()), 40.0, 1e-9);
  EXPECT_NEAR(*ExpectedMqls(terms, monday, At(2026, 11, 19, 0, 0), Paris()), 40.0 * 3 / 7, 1e-9);
  // Two weeks and a half.
  EXPECT_NEAR(*ExpectedMqls(terms, At(2026, 11, 19, 12, 0), At(2026, 12, 3, 12, 0), Paris()), 80.0,
              1e-9);
}

TEST(ExpectedMqlsTest, AFullLocalWeekExpectsTheQuotaEvenWhenTheClocksChange) {
  // Summer time ends on Sunday 2026-10-25 in Paris: that week lasts 169 hours.
  const auto terms = Weekly(40);
  EXPECT_NEAR(*ExpectedMqls(terms, At(2026, 10, 19, 0, 0), At(2026, 10, 26, 0, 0), Paris()), 40.0,
              1e-9);
}

TEST(ExpectedMqlsTest, MonthlyQuotaUsesTheLengthOfEachMonth) {
  MarketingObligations m;
  m.mql_quota = 100;
  m.quota_period = QuotaPeriod::kMonth;
  std::vector<QuotaTerms> terms = {{At(2026, 1, 1, 0, 0), m}};
  // 10 of November's 30 days.
  EXPECT_NEAR(*ExpectedMqls(terms, At(2026, 11, 1, 0, 0), At(2026, 11, 11, 0, 0), Paris()),
              100.0 / 3, 1e-9);
  // 10 days of November and 10 of December's 31.
  EXPECT_NEAR(*ExpectedMqls(terms, At(2026, 11, 21, 0, 0), At(2026, 12, 11, 0, 0), Paris()),
              100.0 / 3 + 1000.0 / 31, 1e-9);
}

TEST(ExpectedMqlsTest, EachInstantAccruesUnderTheVersionInForce) {
  auto terms = Weekly(40);
  MarketingObligations raised = terms[0].obligations;
  raised.mql_quota = 80;
  terms.push_back({At(2026, 11, 19, 0, 0), raised});  // from Thursday
  EXPECT_NEAR(*ExpectedMqls(terms, At(2026, 11, 16, 0, 0), At(2026, 11, 23, 0, 0), Paris()),
              40.0 * 3 / 7 + 80.0 * 4 / 7, 1e-9);
  // Before the first version nothing accrues.
  EXPECT_NEAR(*ExpectedMqls(Weekly(40), At(2025, 12, 29, 0, 0), At(2026, 1, 5, 0, 0), Paris()),
              40.0 * 4 / 7, 1e-9);
}

TEST(ExpectedMqlsTest, NoQuotaMeansNoExpectation) {
  EXPECT_FALSE(ExpectedMqls(Weekly(0), At(2026, 11, 16, 0, 0), At(2026, 11, 23, 0, 0), Paris()));
  EXPECT_FALSE(ExpectedMqls({}, At(2026, 11, 16, 0, 0), At(2026, 11, 23, 0, 0), Paris()));
  EXPECT_FALSE(ExpectedMqls(Weekly(40), At(2025, 11, 16, 0, 0), At(2025, 11, 23, 0, 0), Paris()));
}

// Eight MQLs Monday and Tuesday of a week with a quota of 35 (5 a day): six graded A/B, three
// matching a persona. Judged Wednesday 00:00.
std::vector<MqlFact> EightMqls() {
  std::vector<MqlFact> out;
  for (int i = 0; i < 8; ++i) {
    MqlFact m;
    m.contact_id = i + 1;
    m.at = At(2026, 11, 16 + (i % 2), 10, i);
    m.grade_ab = i < 6;
    m.persona_match = i < 3;
    out.push_back(m);
  }
  return out;
}

TEST(MarketingComplianceTest, AttainmentQualityAndPace) {
  const auto m =
      ComputeMarketingCompliance(EightMqls(), Weekly(35), At(2026, 11, 16, 0, 0),
                                 At(2026, 11, 23, 0, 0), At(2026, 11, 18, 0, 0), Paris());
  EXPECT_EQ(m.mqls, 8);
  EXPECT_NEAR(*m.expected, 35.0, 1e-9);
  EXPECT_NEAR(*m.attainment, 8.0 / 35, 1e-9);
  EXPECT_EQ(m.grade_ab, 6);
  EXPECT_EQ(m.grade_ab_share, 0.75);
  EXPECT_EQ(m.min_grade_ab_percent, 70);
  EXPECT_EQ(m.grade_ab_met, true);
  EXPECT_EQ(m.persona_match, 3);
  EXPECT_EQ(m.persona_share, 0.375);
  EXPECT_EQ(m.persona_met, false);
  ASSERT_TRUE(m.persona_interval);
  EXPECT_LT(m.persona_interval->low, 0.375);
  EXPECT_GT(m.persona_interval->high, 0.375);
  EXPECT_FALSE(m.quota_since) << "the quota was in force all week";
  EXPECT_EQ(m.pace_at, At(2026, 11, 18, 0, 0));
  EXPECT_EQ(m.mqls_so_far, 8);
  EXPECT_NEAR(*m.expected_so_far, 10.0, 1e-9);  // two days of five
  EXPECT_NEAR(*m.pace, 0.8, 1e-9);
  EXPECT_NEAR(*m.projected, 28.0, 1e-9);  // 8 in 2 days -> 28 in 7
}

TEST(MarketingComplianceTest, BeforeThePeriodNothingIsExpectedYet) {
  const auto m =
      ComputeMarketingCompliance({}, Weekly(35), At(2026, 11, 16, 0, 0), At(2026, 11, 23, 0, 0),
                                 At(2026, 11, 10, 0, 0), Paris());
  EXPECT_EQ(m.mqls, 0);
  EXPECT_EQ(m.expected_so_far, 0.0);
  EXPECT_FALSE(m.pace);
  EXPECT_FALSE(m.projected);
  EXPECT_FALSE(m.grade_ab_share) << "no MQLs: no share";
  EXPECT_FALSE(m.grade_ab_met);
  EXPECT_EQ(m.attainment, 0.0);
}

TEST(MarketingComplianceTest, AQuotaTakingEffectWithinThePeriodSaysSince) {
  auto terms = Weekly(0);
  MarketingObligations quota = terms[0].obligations;
  quota.mql_quota = 35;
  terms.push_back({At(2026, 11, 19, 12, 0), quota});  // Thursday noon
  const auto m = ComputeMarketingCompliance(EightMqls(), terms, At(2026, 11, 16, 0, 0),
                                            At(2026, 11, 23, 0, 0), At(2026, 12, 1, 0, 0), Paris());
  EXPECT_EQ(m.quota_since, At(2026, 11, 19, 12, 0));
  EXPECT_NEAR(*m.expected, 35.0 * 3.5 / 7, 1e-9);
}

TEST(MarketingComplianceTest, AfterThePeriodPaceIsAttainment) {
  const auto m = ComputeMarketingCompliance(EightMqls(), Weekly(35), At(2026, 11, 16, 0, 0),
                                            At(2026, 11, 23, 0, 0), At(2026, 12, 1, 0, 0), Paris());
  EXPECT_EQ(m.pace_at, At(2026, 11, 23, 0, 0));
  EXPECT_NEAR(*m.pace, *m.attainment, 1e-12);
  EXPECT_NEAR(*m.projected, 8.0, 1e-9);
}

TEST(MarketingComplianceTest, WeeksAreLocalMondaysClippedToThePeriod) {
  // Wednesday 18th to Sunday 29th included.
  const auto weeks = ComputeMarketingWeeks(EightMqls(), Weekly(35), At(2026, 11, 18, 0, 0),
                                           At(2026, 11, 30, 0, 0), At(2026, 12, 1, 0, 0), Paris());
  ASSERT_EQ(weeks.size(), 2u);
  EXPECT_EQ(weeks[0].key, "2026-11-16");
  EXPECT_EQ(weeks[0].from, At(2026, 11, 18, 0, 0));
  EXPECT_NEAR(*weeks[0].expected, 25.0, 1e-9);
  EXPECT_EQ(weeks[0].mqls, 0) << "the MQLs of Monday and Tuesday are before the period";
  EXPECT_EQ(weeks[1].key, "2026-11-23");
  EXPECT_NEAR(*weeks[1].expected, 35.0, 1e-9);
}

TEST(LocalDaysTest, MondayAndMidnightAreLocal) {
  // Sunday 23:30 UTC is already Monday in Paris.
  const Instant t = Instant(sys_days{year{2026} / 11 / 22}) + hours(23) + minutes(30);
  EXPECT_EQ(LocalMonday(Paris(), t), Day(2026, 11, 23));
  EXPECT_EQ(StartOfLocalDay(Paris(), Day(2026, 11, 23)),
            Instant(sys_days{year{2026} / 11 / 22}) + hours(23));
}

// ----- who sees what -------------------------------------------------------------------------

TEST(CompliancePermissionsTest, RepsSeeTheirOwnRowsOthersSeeAll) {
  Principal rep;
  rep.user_id = 8;
  rep.role = Role::kSales;
  auto own = ComplianceRowsOf(rep, false);
  ASSERT_TRUE(own);
  EXPECT_EQ(*own, std::optional<Id>(8));
  auto team = ComplianceRowsOf(rep, true);
  ASSERT_FALSE(team);
  EXPECT_EQ(team.error().code, ErrorCode::kPermissionDenied);
  for (Role r : {Role::kAdmin, Role::kManager, Role::kMarketing}) {
    Principal p;
    p.user_id = 1;
    p.role = r;
    auto all = ComplianceRowsOf(p, true);
    ASSERT_TRUE(all);
    EXPECT_FALSE(*all);
  }
  Principal key;
  key.user_id = 1;
  key.role = Role::kAdmin;
  key.scopes = std::vector<Scope>{Scope::kIngest};
  auto denied = ComplianceRowsOf(key, false);
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
}

}  // namespace
}  // namespace tandem::core
