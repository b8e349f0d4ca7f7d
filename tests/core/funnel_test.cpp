#include "core/funnel.hpp"

#include <gtest/gtest.h>

namespace tandem::core {
namespace {

// Reference values computed independently (Wilson score interval, z = 1.96).
TEST(WilsonTest, MatchesKnownValues) {
  auto a = Wilson(5, 10);
  ASSERT_TRUE(a);
  EXPECT_NEAR(a->low, 0.236590, 1e-6);
  EXPECT_NEAR(a->high, 0.763410, 1e-6);
  auto b = Wilson(18, 100);
  ASSERT_TRUE(b);
  EXPECT_NEAR(b->low, 0.117001, 1e-6);
  EXPECT_NEAR(b->high, 0.266675, 1e-6);
  auto c = Wilson(0, 10);
  ASSERT_TRUE(c);
  EXPECT_NEAR(c->low, 0.0, 1e-12);
  EXPECT_NEAR(c->high, 0.277540, 1e-6);
  auto d = Wilson(10, 10);
  ASSERT_TRUE(d);
  EXPECT_NEAR(d->low, 0.722460, 1e-6);
  EXPECT_NEAR(d->high, 1.0, 1e-12);
}

TEST(WilsonTest, NoTrialsIsNoInterval) {
  EXPECT_FALSE(Wilson(0, 0));
}

TEST(PercentileTest, NearestRankOverAHistogram) {
  HourHistogram h = {{10, 1}, {2, 3}, {5, 1}};  // 2,2,2,5,10
  EXPECT_EQ(Percentile(h, 0.5), 2);
  EXPECT_EQ(Percentile(h, 0.9), 10);
  EXPECT_EQ(Percentile(h, 0.8), 5);
  EXPECT_FALSE(Percentile({}, 0.5));
}

FunnelCounts Counts() {
  FunnelCounts c;
  c.reached = {0, 1000, 400, 200, 100, 40, 10};
  c.base = {0, 1000, 1000, 200, 100, 40};
  c.passed = {0, 400, 180, 120, 40, 10};
  return c;
}

TEST(FunnelFiguresTest, RatesDropOffAndNoData) {
  FunnelFigures f = ComputeFigures(Counts());
  EXPECT_FALSE(f.steps[0].rate);  // no visitors: no data, not a division by zero
  EXPECT_FALSE(f.steps[0].interval);
  ASSERT_TRUE(f.steps[2].rate);
  EXPECT_DOUBLE_EQ(*f.steps[2].rate, 0.18);
  EXPECT_EQ(f.steps[2].dropped, 820);
  EXPECT_NEAR(f.steps[2].interval->low, 0.157427, 1e-6);
  EXPECT_NEAR(f.steps[2].interval->high, 0.205023, 1e-6);
}

TEST(BrokenStepTest, NamesTheStepBelowPlanWithItsRevenue) {
  FunnelFigures f = ComputeFigures(Counts());
  // Plan: MQL -> SAL 35% (measured 18%, interval 15.7-20.5%: broken); SAL -> SQL 60%
  // (measured exactly 60%: not broken); the rest at or under the measured rates.
  const std::array<double, kStepCount> planned = {0.02, 0.4, 0.35, 0.6, 0.4, 0.25};
  auto broken = FindBrokenSteps(f, planned, 10'000'00, "EUR", "this quarter");
  ASSERT_EQ(broken.size(), 1u);
  EXPECT_EQ(broken[0].step, FunnelStep::kMqlSal);
  // 1000 x (0.35 - 0.18) = 170 more SALs; x 0.6 x 0.4 x 0.25 = 10.2 deals; x 10,000 EUR.
  EXPECT_NEAR(broken[0].extra_deals, 10.2, 1e-9);
  EXPECT_EQ(broken[0].revenue_minor, 102'000'00);
  EXPECT_EQ(broken[0].sentence,
            "MQL -> SAL is the broken step: 18% against 35% planned (16-21%), about 102,000 EUR "
            "this quarter");
}

TEST(BrokenStepTest, PlanInsideTheIntervalIsNotBroken) {
  FunnelFigures f = ComputeFigures(Counts());
  const std::array<double, kStepCount> planned = {0.02, 0.4, 0.2, 0.6, 0.4, 0.25};
  EXPECT_TRUE(FindBrokenSteps(f, planned, 100, "EUR", "").empty());
}

TEST(BrokenStepTest, RanksSeveralByRevenue) {
  FunnelFigures f = ComputeFigures(Counts());
  // Opportunity -> customer planned 50% (measured 25%, 40 at base): 40 x 0.25 = 10 deals.
  // MQL -> SAL planned 20.6%: 1000 x 0.026 x 0.6 x 0.4 x 0.25 = 1.56 deals.
  const std::array<double, kStepCount> planned = {0.02, 0.4, 0.206, 0.6, 0.4, 0.5};
  auto broken = FindBrokenSteps(f, planned, 100'00, "EUR", "");
  ASSERT_EQ(broken.size(), 2u);
  EXPECT_EQ(broken[0].step, FunnelStep::kOpportunityCustomer);
  EXPECT_EQ(broken[1].step, FunnelStep::kMqlSal);
  EXPECT_NE(broken[1].sentence.find("is also below plan"), std::string::npos);
}

TEST(FunnelBreakdownTest, UnknownKeyNamesTheAllowedOnes) {
  auto b = FunnelBreakdownFromString("persona_x");
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().field, "by");
  EXPECT_NE(b.error().message.find("source, campaign, owner, week"), std::string::npos);
  EXPECT_EQ(*FunnelBreakdownFromString("week"), FunnelBreakdown::kWeek);
}

TEST(FormatTest, MajorUnitsWithSeparators) {
  EXPECT_EQ(FormatMajorUnits(4'200'000), "42,000");
  EXPECT_EQ(FormatMajorUnits(99), "1");
  EXPECT_EQ(FormatMajorUnits(123'456'789'00), "123,456,789");
}

}  // namespace
}  // namespace tandem::core
