#include "core/compensation.hpp"

#include <gtest/gtest.h>

#include "core/permissions.hpp"

namespace tandem::core {
namespace {

using namespace std::chrono;

Date Day(int y, unsigned m, unsigned d) {
  return sys_days{year{y} / m / d};
}

// The example contract's terms: 24,000.00 EUR a month, the pool paying at most 120%.
Compensation Example() {
  Compensation c;
  c.pool_cents = 2'400'000;
  c.currency = "EUR";
  c.period = QuotaPeriod::kMonth;
  c.cap_percent = 120;
  c.kpis = {{Kpi::kMqlQuotaAttainment, 25, 80, 120},
            {Kpi::kMqlQuality, 15, 70, 100},
            {Kpi::kFirstTouchOnTime, 20, 85, 100},
            {Kpi::kDispositionOnTime, 10, 90, 100},
            {Kpi::kRevenueAttainment, 30, 70, 150}};
  return c;
}

KpiMeasure Measure(Kpi k, KpiUnit unit, std::optional<double> actual,
                   std::optional<double> target) {
  KpiMeasure m;
  m.kpi = k;
  m.unit = unit;
  m.actual = actual;
  m.target = target;
  return m;
}

TEST(PoolForPeriodTest, AWholeMonthIsThePoolAndPartsArePaidByDays) {
  const Compensation c = Example();
  EXPECT_EQ(PoolForPeriod(c, Day(2026, 11, 1), Day(2026, 11, 30)), 2'400'000);
  // 15 of November's 30 days and 15 of December's 31: 12,000.00 + 11,612.9032... EUR.
  EXPECT_EQ(PoolForPeriod(c, Day(2026, 11, 16), Day(2026, 12, 15)), 2'361'290);
  Compensation w = c;
  w.period = QuotaPeriod::kWeek;
  w.pool_cents = 70'000;
  // Wednesday 25 to Sunday 29 November 2026: 5 of the week's 7 days of 700.00.
  EXPECT_EQ(PoolForPeriod(w, Day(2026, 11, 25), Day(2026, 11, 29)), 50'000);
  // Sunday 29 November to Monday 30 November: one day of two weeks each.
  EXPECT_EQ(PoolForPeriod(w, Day(2026, 11, 29), Day(2026, 11, 30)), 20'000);
  EXPECT_EQ(PoolForPeriod(w, Day(2026, 11, 30), Day(2026, 11, 29)), 0);
}

TEST(ComputePayTest, ThresholdsCapsAndNoDataLineByLine) {
  const Compensation c = Example();
  const std::vector<KpiMeasure> m = {
      // 48 of 60 MQLs: exactly the 80% threshold.
      Measure(Kpi::kMqlQuotaAttainment, KpiUnit::kCount, 48, 60),
      // 55% graded A or B against a 60% minimum: 91.67%.
      Measure(Kpi::kMqlQuality, KpiUnit::kShare, 0.55, 0.60),
      // 84 of 100 first touches on time: below 85%.
      Measure(Kpi::kFirstTouchOnTime, KpiUnit::kCount, 84, 100),
      // Nothing decided: no data.
      Measure(Kpi::kDispositionOnTime, KpiUnit::kCount, 0, 0),
      // 180,000.00 EUR against 100,000.00: 180%, capped at 150%.
      Measure(Kpi::kRevenueAttainment, KpiUnit::kMoneyMinor, 18'000'000, 10'000'000)};
  const PayComputation p =
      ComputePay(c, 2'400'000, m, {{3, "c@x.example"}, {5, "k@x.example"}, {9, "m@x.example"}});
  ASSERT_EQ(p.lines.size(), 5u);
  // Quota: 25% of 24,000.00 = 6,000.00, x 80% = 4,800.00.
  EXPECT_EQ(p.lines[0].kpi_pool_cents, 600'000);
  EXPECT_TRUE(p.lines[0].threshold_met);
  EXPECT_FALSE(p.lines[0].cap_applied);
  EXPECT_EQ(p.lines[0].earned_cents, 480'000);
  // Quality: 15% = 3,600.00, x 0.55/0.60 = 3,300.00.
  EXPECT_EQ(p.lines[1].kpi_pool_cents, 360'000);
  EXPECT_EQ(p.lines[1].earned_cents, 330'000);
  // First touch: 84% < 85%, nothing.
  EXPECT_FALSE(p.lines[2].threshold_met);
  EXPECT_EQ(p.lines[2].earned_cents, 0);
  EXPECT_NEAR(*p.lines[2].attainment, 0.84, 1e-12);
  // Disposition: no data, nothing, no attainment.
  EXPECT_FALSE(p.lines[3].attainment);
  EXPECT_EQ(p.lines[3].earned_cents, 0);
  EXPECT_NE(p.lines[3].text.find("no data"), std::string::npos);
  // Revenue: 30% = 7,200.00, x 150% (cap) = 10,800.00.
  EXPECT_TRUE(p.lines[4].cap_applied);
  EXPECT_DOUBLE_EQ(*p.lines[4].counted, 1.5);
  EXPECT_EQ(p.lines[4].earned_cents, 1'080'000);
  EXPECT_EQ(p.lines[4].text,
            "revenue_attainment: actual 180,000.00 EUR, target 100,000.00 EUR, attainment "
            "180.0%; threshold 70% met; weight 30% of the pool = 7,200.00 EUR; cap 150% applied, "
            "counted 150.0%; earns 7,200.00 EUR x 150.0% = 10,800.00 EUR.");
  // 4,800 + 3,300 + 10,800 = 18,900.00, under the 28,800.00 pool cap; 6,300.00 each.
  EXPECT_EQ(p.earned_cents, 1'890'000);
  EXPECT_EQ(p.pool_cap_cents, 2'880'000);
  EXPECT_FALSE(p.pool_cap_applied);
  EXPECT_EQ(p.total_cents, 1'890'000);
  ASSERT_EQ(p.payouts.size(), 3u);
  for (const auto& po : p.payouts) EXPECT_EQ(po.cents, 630'000);
  EXPECT_EQ(p.payouts[1].user_id, 5);
  EXPECT_EQ(p.statement.front(), "Pool of the period: 24,000.00 EUR.");
  EXPECT_EQ(p.statement.back(),
            "Shared equally by 3 participants: 18,900.00 EUR / 3 = 6,300.00 EUR each.");
}

TEST(ComputePayTest, AThresholdJustMissedPaysNothing) {
  const Compensation c = Example();
  // 47 of 60: 78.3%, below 80%.
  const auto p =
      ComputePay(c, 2'400'000, {Measure(Kpi::kMqlQuotaAttainment, KpiUnit::kCount, 47, 60)},
                 {{1, "a@x.example"}});
  EXPECT_FALSE(p.lines[0].threshold_met);
  EXPECT_EQ(p.lines[0].earned_cents, 0);
  EXPECT_EQ(p.total_cents, 0);
  // A KPI the app did not measure is "no data".
  EXPECT_NE(p.lines[1].text.find("no data (not measured)"), std::string::npos);
}

TEST(ComputePayTest, ThePoolCapBitesAndTheCentsLeftGoToTheFirst) {
  Compensation c;
  c.pool_cents = 100'000;
  c.currency = "EUR";
  c.cap_percent = 100;
  c.kpis = {{Kpi::kRevenueAttainment, 100, 0, 200}};
  // 150% of a 1,000.00 KPI pool earns 1,500.00; the pool pays at most 100%: 1,000.00.
  const auto p =
      ComputePay(c, 100'000, {Measure(Kpi::kRevenueAttainment, KpiUnit::kMoneyMinor, 150, 100)},
                 {{1, "a"}, {2, "b"}, {3, "c"}});
  EXPECT_EQ(p.earned_cents, 150'000);
  EXPECT_TRUE(p.pool_cap_applied);
  EXPECT_EQ(p.total_cents, 100'000);
  ASSERT_EQ(p.payouts.size(), 3u);
  EXPECT_EQ(p.payouts[0].cents, 33'334);
  EXPECT_EQ(p.payouts[1].cents, 33'333);
  EXPECT_EQ(p.payouts[2].cents, 33'333);
}

TEST(ComputePayTest, NoParticipantAndZeroTargetsDivideNothingByZero) {
  Compensation c = Example();
  const auto p =
      ComputePay(c, 0,
                 {Measure(Kpi::kMqlQuotaAttainment, KpiUnit::kCount, 12, 0),
                  Measure(Kpi::kRevenueAttainment, KpiUnit::kMoneyMinor, std::nullopt, 100)},
                 {});
  EXPECT_FALSE(p.lines[0].attainment);
  EXPECT_FALSE(p.lines[4].attainment);
  EXPECT_EQ(p.total_cents, 0);
  EXPECT_TRUE(p.payouts.empty());
  EXPECT_EQ(p.statement.back(), "Nobody takes part: nothing is paid out.");
}

TEST(PayPermissionsTest, OwnStatementForEveryoneAllForAdminsAndHeads) {
  Principal rep{8, "rep@x.example", Role::kSales, std::nullopt};
  auto own = PayStatementsOf(rep, false, std::nullopt);
  ASSERT_TRUE(own);
  EXPECT_EQ(*own, std::optional<Id>(8));
  auto self = PayStatementsOf(rep, false, Id{8});
  ASSERT_TRUE(self);
  EXPECT_EQ(*self, std::optional<Id>(8));
  auto other = PayStatementsOf(rep, false, Id{9});
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kPermissionDenied);
  // A manager is not a head: own only.
  Principal manager{4, "m@x.example", Role::kManager, std::nullopt};
  EXPECT_EQ(*PayStatementsOf(manager, false, std::nullopt), std::optional<Id>(4));
  // A head of a party and an admin see everyone's, or the one asked for.
  EXPECT_FALSE(*PayStatementsOf(manager, true, std::nullopt));
  Principal admin{1, "a@x.example", Role::kAdmin, std::nullopt};
  EXPECT_FALSE(*PayStatementsOf(admin, false, std::nullopt));
  EXPECT_EQ(*PayStatementsOf(admin, false, Id{9}), std::optional<Id>(9));
  Principal key = admin;
  key.scopes = std::vector<Scope>{Scope::kIngest};
  EXPECT_FALSE(PayStatementsOf(key, false, std::nullopt));
}

}  // namespace
}  // namespace tandem::core
