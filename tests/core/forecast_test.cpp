#include "core/forecast.hpp"

#include <gtest/gtest.h>

namespace tandem::core {
namespace {

// 100 SQLs in January 2027 (30 days: the 1st to the 30th), looked at on the 16th: 15 days gone.
Goal SqlGoal() {
  Goal g;
  g.name = "January SQLs";
  g.metric = GoalMetric::kSqls;
  g.target = 100;
  g.from = *ParseDate("2027-01-01");
  g.to = *ParseDate("2027-01-30");
  g.owners = {1};
  g.rates[FunnelStep::kMqlSal] = 0.6;  // planned; the other steps use the measured rates
  return g;
}

ProgressInputs Inputs() {
  ProgressInputs in;
  in.today = *ParseDate("2027-01-16");
  in.actual = 40;
  in.reached[static_cast<std::size_t>(Stage::kLead)] = 500;
  in.reached[static_cast<std::size_t>(Stage::kMql)] = 150;
  in.reached[static_cast<std::size_t>(Stage::kSal)] = 80;
  in.reached[static_cast<std::size_t>(Stage::kSql)] = 40;
  in.open[static_cast<std::size_t>(Stage::kLead)] = 100;
  in.open[static_cast<std::size_t>(Stage::kMql)] = 40;
  in.open[static_cast<std::size_t>(Stage::kSal)] = 20;
  in.base[Index(FunnelStep::kLeadMql)] = 1000;
  in.passed[Index(FunnelStep::kLeadMql)] = 300;  // 0.3
  in.base[Index(FunnelStep::kMqlSal)] = 400;
  in.passed[Index(FunnelStep::kMqlSal)] = 200;  // 0.5
  in.base[Index(FunnelStep::kSalSql)] = 200;
  in.passed[Index(FunnelStep::kSalSql)] = 100;  // 0.5
  in.median_days[Index(FunnelStep::kLeadMql)] = 2;
  in.median_days[Index(FunnelStep::kMqlSal)] = 3;
  in.median_days[Index(FunnelStep::kSalSql)] = 5;
  in.seed = 42;
  in.trials = 2000;
  return in;
}

TEST(ForecastTest, PlanPaceAndForecastByHand) {
  auto r = ComputeProgress(SqlGoal(), Inputs());
  ASSERT_TRUE(r) << r.error().message;
  const Progress& p = *r;
  EXPECT_EQ(p.period_days, 30);
  EXPECT_EQ(p.elapsed_days, 15);
  EXPECT_EQ(p.expected_by_today, 50);  // ceil(100 x 15 / 30)
  ASSERT_TRUE(p.pace);
  EXPECT_DOUBLE_EQ(*p.pace, 0.8);  // 40 / 50
  // Plan back from 100 SQLs: SAL 100 / 0.5 = 200 (measured); MQL 200 / 0.6 = 333.3 -> 334
  // (planned rate); lead 334 / 0.3 = 1113.3 -> 1114 (measured).
  ASSERT_EQ(p.stages.size(), 4u);
  EXPECT_EQ(p.stages[0].stage, Stage::kLead);
  EXPECT_EQ(p.stages[0].planned, 1114);
  EXPECT_EQ(p.stages[0].expected_by_today, 557);
  EXPECT_EQ(p.stages[0].actual, 500);
  EXPECT_EQ(p.stages[1].planned, 334);
  EXPECT_EQ(p.stages[1].expected_by_today, 167);
  EXPECT_EQ(p.stages[2].planned, 200);
  EXPECT_EQ(p.stages[3].planned, 100);
  EXPECT_EQ(p.stages[3].actual, 40);
  // To SQL: from SAL 0.5, from MQL 0.5 x 0.5 = 0.25, from lead 0.3 x 0.25 = 0.075.
  EXPECT_DOUBLE_EQ(*p.p_to_target[static_cast<std::size_t>(Stage::kSal)], 0.5);
  EXPECT_DOUBLE_EQ(*p.p_to_target[static_cast<std::size_t>(Stage::kMql)], 0.25);
  EXPECT_DOUBLE_EQ(*p.p_to_target[static_cast<std::size_t>(Stage::kLead)], 0.075);
  // Pipeline 100 x 0.075 + 40 x 0.25 + 20 x 0.5 = 27.5; run rate 40 / 15 a day over the
  // 15 days left less the 2 + 3 + 5 = 10-day horizon: 40 / 15 x 5 = 13.33.
  EXPECT_DOUBLE_EQ(p.pipeline, 27.5);
  EXPECT_DOUBLE_EQ(p.horizon_days, 10.0);
  EXPECT_NEAR(p.run_rate_remaining, 13.3333333, 1e-6);
  EXPECT_NEAR(p.forecast, 80.8333333, 1e-6);
  // About 81 expected with a spread near 6: reaching 100 is unlikely.
  EXPECT_LT(p.probability, 0.05);
  EXPECT_LE(p.probability_interval.low, p.probability);
  EXPECT_GE(p.probability_interval.high, p.probability);
  EXPECT_LE(p.forecast_p10, p.forecast);
  EXPECT_GE(p.forecast_p90, p.forecast);
  EXPECT_EQ(p.summary.substr(0, 40), "40 SQLs of 100 SQLs to date (80% of pace");
}

TEST(ForecastTest, SameSeedSameAnswer) {
  auto a = ComputeProgress(SqlGoal(), Inputs());
  auto b = ComputeProgress(SqlGoal(), Inputs());
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->probability, b->probability);
  EXPECT_EQ(a->forecast_p10, b->forecast_p10);
  EXPECT_EQ(a->forecast_p90, b->forecast_p90);
}

TEST(ForecastTest, ReachedAlreadyIsCertainAndNothingIsZero) {
  ProgressInputs in = Inputs();
  in.actual = 100;
  auto done = ComputeProgress(SqlGoal(), in);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->probability, 1.0);
  EXPECT_GT(done->probability_interval.low, 0.99);

  ProgressInputs none;
  none.today = *ParseDate("2027-01-16");
  auto nothing = ComputeProgress(SqlGoal(), none);
  ASSERT_TRUE(nothing);
  EXPECT_EQ(nothing->probability, 0.0);
  EXPECT_EQ(nothing->forecast, 0.0);
  // No measured rates: no plan below the metric's stage, no probabilities, no division.
  EXPECT_FALSE(nothing->stages[0].planned);
  EXPECT_FALSE(nothing->p_to_target[static_cast<std::size_t>(Stage::kSal)]);
}

TEST(ForecastTest, PipelineOnlyMatchesTheBinomial) {
  // 50 new customers wanted, nothing yet, the period starting today: 100 open opportunities
  // closing at a measured 50% (10,000 of 20,000). P(Binomial(100, 0.5) >= 50) = 0.54.
  Goal g = SqlGoal();
  g.metric = GoalMetric::kNewCustomers;
  g.target = 50;
  g.rates.clear();
  ProgressInputs in;
  in.today = g.from;
  in.open[static_cast<std::size_t>(Stage::kOpportunity)] = 100;
  in.base[Index(FunnelStep::kOpportunityCustomer)] = 20000;
  in.passed[Index(FunnelStep::kOpportunityCustomer)] = 10000;
  in.seed = 7;
  auto r = ComputeProgress(g, in);
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(r->forecast, 50.0);
  EXPECT_FALSE(r->pace);  // nothing expected yet
  EXPECT_GT(r->probability, 0.47);
  EXPECT_LT(r->probability, 0.61);
}

TEST(ForecastTest, RevenueInDealsAndBadInput) {
  Goal g = SqlGoal();
  g.metric = GoalMetric::kRevenue;
  g.target = 100'000'000;  // 1,000,000.00
  g.rates.clear();
  ProgressInputs in = Inputs();
  in.actual = 0;
  auto no_size = ComputeProgress(g, in);
  ASSERT_FALSE(no_size);
  EXPECT_EQ(no_size.error().field, "deal_size");
  in.deal_size_minor = 1'000'000;  // 10,000.00: 100 deals
  auto r = ComputeProgress(g, in);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->stages.back().stage, Stage::kCustomer);
  EXPECT_EQ(r->stages.back().planned, 100);
  in.trials = 50;
  auto bad = ComputeProgress(g, in);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "trials");
}

}  // namespace
}  // namespace tandem::core
