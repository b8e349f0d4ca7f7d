#include "app/analytics.hpp"

#include <gtest/gtest.h>

#include <date/date.h>

#include "app_fixture.hpp"

namespace tandem::app::apptest {
namespace {

constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kDay = 24 * kHour;

class AnalyticsTest : public AppTest {
 protected:
  core::Instant Ago(std::int64_t ms) { return clock_.Now() - std::chrono::milliseconds(ms); }

  // A contact whose lifecycle follows `stages` one per `step_ms`, starting `start_ago` ago.
  void Journey(const std::string& email, std::vector<core::Stage> stages, std::int64_t start_ago,
               std::int64_t step_ms) {
    auto r = store_->Write([&](store::Tx& tx) -> Result<void> {
      core::Contact c;
      c.email = email;
      c.stage = stages.back();
      c.created_at = c.updated_at = c.stage_entered_at = Ago(start_ago);
      TANDEM_ASSIGN(const Id id, tx.contacts().Insert(c));
      std::optional<core::Stage> from;
      for (std::size_t i = 0; i < stages.size(); ++i) {
        core::StageChange ch;
        ch.contact_id = id;
        ch.from = from;
        ch.to = stages[i];
        ch.at = Ago(start_ago - static_cast<std::int64_t>(i) * step_ms);
        TANDEM_TRY(tx.stages().Append(ch));
        from = stages[i];
      }
      return {};
    });
    ASSERT_TRUE(r) << r.error().message;
  }

  void WonDeal(std::int64_t amount_minor, std::int64_t closed_ago) {
    core::Deal d;
    d.title = "Won";
    d.amount_minor = amount_minor;
    d.stage = core::DealStage::kWon;
    d.closed_at = Ago(closed_ago);
    d.created_at = d.updated_at = Ago(closed_ago);
    auto r = store_->Write([&](store::Tx& tx) -> Result<void> {
      TANDEM_TRY(tx.deals().Insert(d));
      return {};
    });
    ASSERT_TRUE(r) << r.error().message;
  }

  // Ten leads 100 days ago; four become MQLs a day later; two of them SALs, one of those an
  // SQL, an opportunity and a customer, a day apart. Deals won: 10,000 and 20,000 EUR.
  void Base() {
    using S = core::Stage;
    for (int i = 0; i < 6; ++i)
      Journey("l" + std::to_string(i) + "@x.example", {S::kLead}, 100 * kDay, kDay);
    Journey("m1@x.example", {S::kLead, S::kMql}, 100 * kDay, kDay);
    Journey("m2@x.example", {S::kLead, S::kMql}, 100 * kDay, kDay);
    Journey("s1@x.example", {S::kLead, S::kMql, S::kSal}, 100 * kDay, kDay);
    Journey("w1@x.example", {S::kLead, S::kMql, S::kSal, S::kSql, S::kOpportunity, S::kCustomer},
            100 * kDay, kDay);
    WonDeal(10'000'00, 50 * kDay);
    WonDeal(20'000'00, 40 * kDay);
  }

  core::Principal Manager() { return PrincipalOf(manager_); }
};

core::Date D(int y, unsigned m, unsigned d) {
  return date::sys_days{date::year{y} / m / d};
}

TEST_F(AnalyticsTest, PlanMeasuresWhatIsNotGiven) {
  Base();
  PlanRequest req;
  req.revenue_minor = 150'000'00;
  req.from = D(2027, 1, 1);
  req.to = D(2027, 3, 31);
  using F = core::FunnelStep;
  req.rates = {{F::kVisitorLead, 0.5},
               {F::kMqlSal, 0.5},
               {F::kSalSql, 0.5},
               {F::kSqlOpportunity, 0.5},
               {F::kOpportunityCustomer, 0.5}};
  auto r = svc().analytics.Plan(Manager(), req);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->deal_size_measured);
  EXPECT_EQ(r->plan.input.deal_size_minor, 15'000'00);  // (10,000 + 20,000) / 2
  EXPECT_TRUE(r->rate_measured[core::Index(F::kLeadMql)]);
  EXPECT_DOUBLE_EQ(r->plan.input.rates[core::Index(F::kLeadMql)], 0.4);  // 4 of 10
  EXPECT_EQ(r->rate_sample[core::Index(F::kLeadMql)], 10);
  // 150,000 / 15,000 = 10 deals; 20 opportunities; 40 SQLs; 80 SALs; 160 MQLs; 160 / 0.4 =
  // 400 leads; 800 visits.
  const std::array<std::int64_t, 7> want = {800, 400, 160, 80, 40, 20, 10};
  for (std::size_t i = 0; i < 7; ++i) EXPECT_EQ(r->plan.stages[i].needed, want[i]) << i;
  // Medians measured: every step took one day (24 h), so leads come before deals by
  // (lead -> mql, mql -> sal, sal -> sql, sql -> opportunity, opportunity -> customer = 5
  // steps from leads, all one day: 5 days).
  EXPECT_EQ(r->plan.stages[1].lead_days, 5);
  EXPECT_EQ(r->plan.stages[6].lead_days, 0);
}

TEST_F(AnalyticsTest, PlanWithoutWonDealsNeedsADealSize) {
  PlanRequest req;
  req.revenue_minor = 100;
  req.from = req.to = D(2027, 1, 1);
  req.rates = {{core::FunnelStep::kLeadMql, 0.5}};
  auto r = svc().analytics.Plan(Manager(), req);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(r.error().field, "deal_size");
  req.deal_size_minor = 100;
  r = svc().analytics.Plan(Manager(), req);
  ASSERT_FALSE(r);  // and no history to measure the other rates
  EXPECT_EQ(r.error().field, "rates.visitor_lead");
}

TEST_F(AnalyticsTest, PlanBadInputNamesTheField) {
  PlanRequest req;
  req.revenue_minor = 100;
  req.deal_size_minor = 100;
  req.from = D(2027, 2, 1);
  req.to = D(2027, 1, 1);
  auto r = svc().analytics.Plan(Manager(), req);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "to");
  req.to = D(2027, 3, 1);
  req.rates = {{core::FunnelStep::kMqlSal, 1.5}};
  r = svc().analytics.Plan(Manager(), req);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "rates.mql_sal");
  req.rates.clear();
  req.revenue_minor = 0;
  r = svc().analytics.Plan(Manager(), req);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "revenue");
}

TEST_F(AnalyticsTest, FunnelNamesTheBrokenStepWithItsRevenue) {
  Base();
  FunnelRequest req;
  req.query.from = Ago(101 * kDay);
  req.query.to = clock_.Now();
  req.query.window_ms = 30 * kDay;
  req.planned = {{core::FunnelStep::kLeadMql, 0.8}, {core::FunnelStep::kMqlSal, 0.5}};
  req.deal_size_minor = 10'000'00;
  auto r = svc().analytics.Funnel(Manager(), req);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(r->has_data);
  ASSERT_EQ(r->broken.size(), 1u);  // mql -> sal is on plan (2 of 4)
  EXPECT_EQ(r->broken[0].step, core::FunnelStep::kLeadMql);
  // 10 x (0.8 - 0.4) = 4 more MQLs x 0.5 x 0.5 x 1 x 1 = 1 deal = 10,000 EUR.
  EXPECT_EQ(r->broken[0].revenue_minor, 10'000'00);
  const std::string from = core::FormatInstant(req.query.from).substr(0, 10);
  const std::string to = core::FormatInstant(req.query.to).substr(0, 10);
  EXPECT_EQ(r->summary,
            "Lead -> MQL is the broken step: 40% against 80% planned (17-69%), "
            "about 10,000 EUR from " +
                from + " to " + to);
}

TEST_F(AnalyticsTest, FunnelOfAnEmptyPeriodSaysNoData) {
  FunnelRequest req;
  req.query.from = Ago(10 * kDay);
  req.query.to = clock_.Now();
  req.planned = {{core::FunnelStep::kLeadMql, 0.8}};
  req.deal_size_minor = 100;
  auto r = svc().analytics.Funnel(Manager(), req);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(r->has_data);
  EXPECT_FALSE(r->total.steps[1].rate);
  EXPECT_EQ(r->summary, "no data: no contact reached any stage in the period");
}

TEST_F(AnalyticsTest, FunnelBadInputNamesTheField) {
  FunnelRequest req;
  req.query.from = clock_.Now();
  req.query.to = Ago(kDay);
  auto r = svc().analytics.Funnel(Manager(), req);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "to");
  req.query.to = clock_.Now() + std::chrono::milliseconds(kDay);
  req.planned = {{core::FunnelStep::kSalSql, 0.0}};  // outside (0, 1]
  r = svc().analytics.Funnel(Manager(), req);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "plan_sal_sql");
}

}  // namespace
}  // namespace tandem::app::apptest
