#include "core/plan.hpp"

#include <gtest/gtest.h>

#include <date/date.h>

namespace tandem::core {
namespace {

Date D(int y, unsigned m, unsigned d) {
  return date::sys_days{date::year{y} / m / d};
}

PlanInput AllOnes() {
  PlanInput in;
  in.rates.fill(1.0);
  in.median_days.fill(0.0);
  return in;
}

// The published worked example: 1,000,000 of revenue at 10,000 per deal and a 20% lead-to-deal
// rate needs 100 deals and 500 leads, 42 per month over 12 months (41.67 rounded up).
TEST(PlanTest, ReproducesTheWorkedExample) {
  PlanInput in = AllOnes();
  in.revenue_minor = 1'000'000'00;
  in.deal_size_minor = 10'000'00;
  in.rates[Index(FunnelStep::kOpportunityCustomer)] = 0.2;  // lead -> deal is 20% in all
  in.from = D(2027, 1, 1);
  in.to = D(2027, 12, 31);
  in.granularity = PlanGranularity::kMonth;
  auto plan = BuildPlan(in);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->periods, 12);
  EXPECT_EQ(plan->stages[6].name, "deals");
  EXPECT_EQ(plan->stages[6].needed, 100);
  EXPECT_EQ(plan->stages[1].name, "leads");
  EXPECT_EQ(plan->stages[1].needed, 500);
  EXPECT_NEAR(500.0 / 12, 41.67, 0.005);
  EXPECT_EQ(plan->stages[1].per_period, 42);
  ASSERT_EQ(plan->stages[1].buckets.size(), 12u);
  EXPECT_EQ(plan->stages[1].buckets[0].target, 42);
  EXPECT_EQ(plan->stages[1].buckets[10].target, 42);
  EXPECT_EQ(plan->stages[1].buckets[11].target, 500 - 11 * 42);  // the last month takes the rest
  EXPECT_EQ(plan->stages[1].buckets[1].start, D(2027, 2, 1));
  EXPECT_EQ(plan->stages[1].buckets[1].end, D(2027, 2, 28));
}

TEST(PlanTest, RoundsUpAtEveryStage) {
  PlanInput in;
  in.revenue_minor = 100'000'00;
  in.deal_size_minor = 7'000'00;  // 14.29 deals -> 15
  in.rates = {0.02, 0.3, 0.5, 0.6, 0.4, 0.25};
  in.from = D(2027, 1, 1);
  in.to = D(2027, 3, 31);
  auto plan = BuildPlan(in);
  ASSERT_TRUE(plan);
  // Written out by hand: 15 deals; 15/0.25 = 60 opportunities; 60/0.4 = 150 SQLs;
  // 150/0.6 = 250 SALs; 250/0.5 = 500 MQLs; 500/0.3 = 1666.67 -> 1667 leads;
  // 1667/0.02 = 83350 visits.
  const std::array<std::int64_t, 7> want = {83350, 1667, 500, 250, 150, 60, 15};
  for (std::size_t i = 0; i < 7; ++i) EXPECT_EQ(plan->stages[i].needed, want[i]) << i;
  EXPECT_NEAR(plan->stages[1].exact, 1666.67, 0.01);
  // 90 days: 13 weeks, the last one of 6 days.
  EXPECT_EQ(plan->periods, 13);
  EXPECT_EQ(plan->stages[6].per_period, 2);  // 15 / 13 rounded up
  EXPECT_EQ(plan->stages[6].buckets.back().start, D(2027, 3, 26));
  EXPECT_EQ(plan->stages[6].buckets.back().end, D(2027, 3, 31));
  std::int64_t sum = 0;
  for (const auto& b : plan->stages[6].buckets) sum += b.target;
  EXPECT_EQ(sum, 15);
  EXPECT_EQ(plan->stages[0].owner, PlanOwner::kMarketing);
  EXPECT_EQ(plan->stages[2].owner, PlanOwner::kMarketing);
  EXPECT_EQ(plan->stages[3].owner, PlanOwner::kSales);
  EXPECT_EQ(plan->stages[6].owner, PlanOwner::kSales);
}

TEST(PlanTest, ShiftsEachStageEarlierByTheMediansAfterIt) {
  PlanInput in = AllOnes();
  in.revenue_minor = 100;
  in.deal_size_minor = 100;
  in.median_days = {1, 2, 3, 4, 5, 6.5};
  in.from = D(2027, 1, 1);
  in.to = D(2027, 1, 14);
  auto plan = BuildPlan(in);
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->stages[6].lead_days, 0);
  EXPECT_EQ(plan->stages[5].lead_days, 7);   // 6.5 rounded up
  EXPECT_EQ(plan->stages[2].lead_days, 19);  // 3 + 4 + 5 + 6.5 = 18.5 -> 19
  EXPECT_EQ(plan->stages[0].lead_days, 22);  // 21.5 -> 22
  EXPECT_EQ(plan->stages[2].buckets[0].start, D(2026, 12, 13));
  EXPECT_EQ(plan->stages[6].buckets[0].start, D(2027, 1, 1));
}

TEST(PlanTest, FloatingPointNoiseDoesNotAddOne) {
  EXPECT_EQ(CeilCount(100 / 0.2), 500);
  EXPECT_EQ(CeilCount(3 / 0.3), 10);
  EXPECT_EQ(CeilCount(10.0000001), 11);
  EXPECT_EQ(CeilCount(41.67), 42);
}

TEST(PlanTest, RefusesAnEndBeforeTheStart) {
  PlanInput in = AllOnes();
  in.revenue_minor = 100;
  in.deal_size_minor = 100;
  in.from = D(2027, 3, 1);
  in.to = D(2027, 2, 28);
  auto plan = BuildPlan(in);
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(plan.error().field, "to");
}

TEST(PlanTest, RefusesZeroOrNegativeTargets) {
  PlanInput in = AllOnes();
  in.from = in.to = D(2027, 1, 1);
  in.deal_size_minor = 100;
  for (std::int64_t bad : {0LL, -5LL}) {
    in.revenue_minor = bad;
    auto plan = BuildPlan(in);
    ASSERT_FALSE(plan);
    EXPECT_EQ(plan.error().field, "revenue");
  }
  in.revenue_minor = 100;
  in.deal_size_minor = 0;
  auto plan = BuildPlan(in);
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().field, "deal_size");
}

TEST(PlanTest, RefusesRatesOutsideZeroToOne) {
  for (double bad : {0.0, -0.1, 1.01, std::nan("")}) {
    PlanInput in = AllOnes();
    in.revenue_minor = 100;
    in.deal_size_minor = 100;
    in.from = in.to = D(2027, 1, 1);
    in.rates[Index(FunnelStep::kMqlSal)] = bad;
    auto plan = BuildPlan(in);
    ASSERT_FALSE(plan) << bad;
    EXPECT_EQ(plan.error().field, "rates.mql_sal");
  }
}

TEST(PlanTest, StepNamesRoundTripAndAcceptShortForms) {
  for (FunnelStep s : kAllSteps) EXPECT_EQ(FunnelStepFromString(ToString(s)), s);
  EXPECT_EQ(FunnelStepFromString("opp_won"), FunnelStep::kOpportunityCustomer);
  EXPECT_FALSE(FunnelStepFromString("mql_customer"));
  EXPECT_EQ(StepLabel(FunnelStep::kMqlSal), "MQL -> SAL");
}

}  // namespace
}  // namespace tandem::core
