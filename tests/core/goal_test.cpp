#include "core/goal.hpp"

#include <gtest/gtest.h>

namespace tandem::core {
namespace {

Goal MqlGoal() {
  Goal g;
  g.name = "Q1 MQLs";
  g.metric = GoalMetric::kMqls;
  g.target = 120;
  g.from = *ParseDate("2027-01-01");
  g.to = *ParseDate("2027-03-31");
  g.owners = {3};
  return g;
}

SmartInputs Inputs() {
  SmartInputs in;
  in.today = *ParseDate("2026-12-15");
  // Most recent first: the best is 100 (from 2026-04-03).
  in.past = {{*ParseDate("2026-10-03"), 90},
             {*ParseDate("2026-07-05"), 80},
             {*ParseDate("2026-04-06"), 100},
             {*ParseDate("2026-01-06"), 0}};
  in.base[Index(FunnelStep::kMqlSal)] = 100;
  in.passed[Index(FunnelStep::kMqlSal)] = 18;  // Wilson 95%: 11.7% - 26.7%
  return in;
}

TEST(GoalTest, ValidateNamesTheBadField) {
  Goal g = MqlGoal();
  EXPECT_TRUE(ValidateGoal(g));
  g.target = 0;
  EXPECT_EQ(ValidateGoal(g).error().field, "target");
  g.target = -5;
  EXPECT_EQ(ValidateGoal(g).error().field, "target");
  g = MqlGoal();
  g.to = *ParseDate("2026-12-31");  // before from
  EXPECT_EQ(ValidateGoal(g).error().field, "to");
  g = MqlGoal();
  g.to = g.from;  // one day is fine
  EXPECT_TRUE(ValidateGoal(g));
  g.to = *ParseDate("2029-12-31");  // longer than two years
  EXPECT_EQ(ValidateGoal(g).error().field, "to");
  g = MqlGoal();
  g.rates[FunnelStep::kMqlSal] = 0.0;
  EXPECT_EQ(ValidateGoal(g).error().field, "rates.mql_sal");
  g.rates[FunnelStep::kMqlSal] = 1.5;
  EXPECT_EQ(ValidateGoal(g).error().field, "rates.mql_sal");
  g.rates[FunnelStep::kMqlSal] = 1.0;  // (0, 1]: 1 is allowed
  EXPECT_TRUE(ValidateGoal(g));
  g = MqlGoal();
  g.owners = {3, 3};
  EXPECT_EQ(ValidateGoal(g).error().field, "owners");
  g = MqlGoal();
  g.name.clear();
  EXPECT_EQ(ValidateGoal(g).error().field, "name");
  g = MqlGoal();
  g.currency = "eur";
  EXPECT_EQ(ValidateGoal(g).error().field, "currency");
}

TEST(GoalTest, PeriodInstantsAndDays) {
  Goal g = MqlGoal();
  EXPECT_EQ(GoalDays(g), 90);
  EXPECT_EQ(FormatInstant(GoalStart(g)), "2027-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatInstant(GoalEnd(g)), "2027-04-01T00:00:00.000Z");
}

TEST(SmartTest, EveryLetterPassesWithReasons) {
  Goal g = MqlGoal();
  g.rates[FunnelStep::kMqlSal] = 0.25;  // inside 11.7% - 26.7%
  SmartCheck c = CheckSmart(g, Inputs());
  EXPECT_TRUE(c.smart) << c.summary;
  EXPECT_EQ(c.letters[0].letter, 'S');
  EXPECT_EQ(c.letters[0].reason, "metric MQLs, scope all contacts, 1 owner");
  EXPECT_EQ(c.letters[1].verdict, Verdict::kPass);
  // 120 / 100 = 1.20: exactly the stretch allowed.
  EXPECT_EQ(c.letters[2].reason,
            "the target 120 MQLs is 1.20 times the best comparable past period (100 MQLs from "
            "2026-04-06), within 1.20 times");
  EXPECT_EQ(c.letters[3].verdict, Verdict::kPass);
  EXPECT_NE(c.letters[3].reason.find("MQL -> SAL 25% planned against 18% measured (12%-27%"),
            std::string::npos)
      << c.letters[3].reason;
  EXPECT_EQ(c.letters[4].reason, "from 2027-01-01 to 2027-03-31 (90 days)");
  EXPECT_EQ(c.summary, "SMART: every letter passes");
}

TEST(SmartTest, FailingLettersSayWhy) {
  Goal g = MqlGoal();
  g.owners.clear();
  g.target = 121;                       // 1.21 times the best
  g.rates[FunnelStep::kMqlSal] = 0.35;  // above 26.7%
  SmartCheck c = CheckSmart(g, Inputs());
  EXPECT_FALSE(c.smart);
  EXPECT_EQ(c.letters[0].verdict, Verdict::kFail);
  EXPECT_NE(c.letters[0].reason.find("nobody owns it"), std::string::npos);
  EXPECT_EQ(c.letters[2].verdict, Verdict::kFail);
  EXPECT_NE(c.letters[2].reason.find("1.21 times"), std::string::npos) << c.letters[2].reason;
  EXPECT_EQ(c.letters[3].verdict, Verdict::kFail);
  EXPECT_NE(c.letters[3].reason.find("above the measured interval: MQL -> SAL 35% planned"),
            std::string::npos)
      << c.letters[3].reason;
  EXPECT_EQ(c.summary, "not SMART yet: Specific (fail), Achievable (fail), Realistic (fail)");
}

TEST(SmartTest, NoDataIsUnknownNeverADivisionByZero) {
  Goal g = MqlGoal();
  g.rates[FunnelStep::kSalSql] = 0.5;  // nobody at that step's base
  SmartInputs in = Inputs();
  for (auto& p : in.past) p.second = 0;
  SmartCheck c = CheckSmart(g, in);
  EXPECT_EQ(c.letters[2].verdict, Verdict::kUnknown);
  EXPECT_EQ(c.letters[2].reason.substr(0, 8), "no data:");
  EXPECT_EQ(c.letters[3].verdict, Verdict::kUnknown);
  EXPECT_NE(c.letters[3].reason.find("no data for SAL -> SQL 50% planned (no data)"),
            std::string::npos)
      << c.letters[3].reason;
  EXPECT_FALSE(c.smart);
}

TEST(SmartTest, RevenueAmountsInMajorUnits) {
  Goal g = MqlGoal();
  g.metric = GoalMetric::kRevenue;
  g.target = 12'500'050;  // 125,000.50
  EXPECT_EQ(FormatGoalAmount(g, g.target), "125,000.50 EUR");
  EXPECT_EQ(GoalMetricFromString("new_customers"), GoalMetric::kNewCustomers);
  EXPECT_FALSE(GoalMetricFromString("visits"));
}

}  // namespace
}  // namespace tandem::core
