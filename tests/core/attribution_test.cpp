#include "core/attribution.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <random>

namespace tandem::core {
namespace {

using Credits = std::vector<std::int64_t>;

// A deal of `amount_minor` with one touch per key, an hour apart; the contact qualified at the
// touch `mql` (none: never).
DealTouches Deal(std::int64_t amount_minor, std::vector<std::string> keys,
                 std::optional<std::size_t> mql = std::nullopt, bool won = true) {
  DealTouches d;
  d.amount_minor = amount_minor;
  d.won = won;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    d.touches.push_back({FromMillis(static_cast<std::int64_t>(i) * 3'600'000), keys[i]});
  }
  d.created_at = FromMillis(static_cast<std::int64_t>(keys.size()) * 3'600'000);
  if (mql) d.qualified_at = FromMillis(static_cast<std::int64_t>(*mql) * 3'600'000 + 60'000);
  return d;
}

TEST(AttributionTest, UShapedGivesFortyTwentyForty) {
  // Touches A, B, C, D and a deal of 10,000.00: 4,000 / 1,000 / 1,000 / 4,000.
  EXPECT_EQ(CreditTouches(AttributionModel::kU, Deal(1'000'000, {"A", "B", "C", "D"})),
            (Credits{400'000, 100'000, 100'000, 400'000}));
  // One touch takes everything; two split 50/50 (an odd cent to the first).
  EXPECT_EQ(CreditTouches(AttributionModel::kU, Deal(1'000'000, {"A"})), (Credits{1'000'000}));
  EXPECT_EQ(CreditTouches(AttributionModel::kU, Deal(101, {"A", "B"})), (Credits{51, 50}));
  // Three middle touches share 20% of 10,000.00: 666.666... each; the 2 cents left over go to
  // the first two of them (equal remainders: the earlier touch first).
  EXPECT_EQ(CreditTouches(AttributionModel::kU, Deal(1'000'000, {"A", "B", "C", "D", "E"})),
            (Credits{400'000, 66'667, 66'667, 66'666, 400'000}));
}

TEST(AttributionTest, WShapedGivesThirtyToEachKeyTouchAndSpreadsTen) {
  // A, B, C (the MQL touch), D, E and 10,000.00: 3,000 to A, C and E; 500 to B and D.
  EXPECT_EQ(CreditTouches(AttributionModel::kW, Deal(1'000'000, {"A", "B", "C", "D", "E"}, 2)),
            (Credits{300'000, 50'000, 300'000, 50'000, 300'000}));
  // MQL touch B of A..D: A, B, D 3,000 each; C alone takes the 10%.
  EXPECT_EQ(CreditTouches(AttributionModel::kW, Deal(1'000'000, {"A", "B", "C", "D"}, 1)),
            (Credits{300'000, 300'000, 100'000, 300'000}));
  // Three distinct key touches and no other: a third each of 100.00 (the odd cent to A).
  EXPECT_EQ(CreditTouches(AttributionModel::kW, Deal(10'000, {"A", "B", "C"}, 1)),
            (Credits{3'334, 3'333, 3'333}));
}

TEST(AttributionTest, WShapedWithoutAMiddleKeyTouchIsUShaped) {
  const Credits u{400'000, 66'667, 66'667, 66'666, 400'000};
  // The MQL touch is the first touch, or the last, or the contact never qualified, or every
  // touch came after it qualified.
  EXPECT_EQ(CreditTouches(AttributionModel::kW, Deal(1'000'000, {"A", "B", "C", "D", "E"}, 0)), u);
  EXPECT_EQ(CreditTouches(AttributionModel::kW, Deal(1'000'000, {"A", "B", "C", "D", "E"}, 4)), u);
  EXPECT_EQ(CreditTouches(AttributionModel::kW, Deal(1'000'000, {"A", "B", "C", "D", "E"})), u);
  DealTouches early = Deal(1'000'000, {"A", "B", "C", "D", "E"});
  early.qualified_at = FromMillis(-1);
  EXPECT_FALSE(MqlTouch(early));
  EXPECT_EQ(CreditTouches(AttributionModel::kW, early), u);
  EXPECT_EQ(CreditTouches(AttributionModel::kW, Deal(1'000'000, {"A", "B"}, 0)),
            (Credits{500'000, 500'000}));
  EXPECT_EQ(CreditTouches(AttributionModel::kW, Deal(1'000'000, {"A"}, 0)), (Credits{1'000'000}));
}

TEST(AttributionTest, FirstLastAndLinear) {
  EXPECT_EQ(CreditTouches(AttributionModel::kFirst, Deal(999, {"A", "B", "C"})),
            (Credits{999, 0, 0}));
  EXPECT_EQ(CreditTouches(AttributionModel::kLast, Deal(999, {"A", "B", "C"})),
            (Credits{0, 0, 999}));
  EXPECT_EQ(CreditTouches(AttributionModel::kLinear, Deal(10'000, {"A", "B", "C"})),
            (Credits{3'334, 3'333, 3'333}));
  // 1.00 over 7 touches: 14 cents each and the 2 left to the first two.
  EXPECT_EQ(
      CreditTouches(AttributionModel::kLinear, Deal(100, {"A", "B", "C", "D", "E", "F", "G"})),
      (Credits{15, 15, 14, 14, 14, 14, 14}));
  EXPECT_TRUE(CreditTouches(AttributionModel::kLinear, Deal(100, {})).empty());
}

TEST(AttributionTest, CreditsAlwaysSumToTheDealExactly) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 2000; ++i) {
    const std::int64_t amount = static_cast<std::int64_t>(rng() % 100'000'000'000'000ULL);
    const std::size_t n = 1 + rng() % 60;
    std::vector<std::string> keys(n, "k");
    const std::size_t mql = rng() % n;
    for (AttributionModel m :
         {AttributionModel::kFirst, AttributionModel::kLast, AttributionModel::kLinear,
          AttributionModel::kU, AttributionModel::kW}) {
      const Credits c = CreditTouches(m, Deal(amount, keys, mql));
      ASSERT_EQ(c.size(), n);
      EXPECT_EQ(std::accumulate(c.begin(), c.end(), std::int64_t{0}), amount)
          << ToString(m) << " n=" << n;
      for (std::int64_t x : c) EXPECT_GE(x, 0);
    }
  }
}

TEST(AttributionTest, RevenueAndPipelinePerKey) {
  // Won 10,000.00 after webinar, ads, ads, webinar (U: webinar 4,000 + 4,000, ads 1,000 +
  // 1,000); open 5,000.00 after one fair touch; won 300.00 without any touch.
  const std::vector<DealTouches> deals = {
      Deal(1'000'000, {"webinar", "ads", "ads", "webinar"}),
      Deal(500'000, {"fair"}, std::nullopt, false),
      Deal(30'000, {}),
  };
  const AttributionResult r =
      Attribute(AttributionModel::kU, AttributionBreakdown::kCampaign, deals);
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_EQ(r.rows[0].key, "webinar");
  EXPECT_EQ(r.rows[0].revenue_minor, 800'000);
  EXPECT_EQ(r.rows[0].won_deals, 1);
  EXPECT_EQ(r.rows[0].touches, 2);
  EXPECT_EQ(r.rows[1].key, "ads");
  EXPECT_EQ(r.rows[1].revenue_minor, 200'000);
  EXPECT_EQ(r.rows[2].key, "fair");
  EXPECT_EQ(r.rows[2].revenue_minor, 0);
  EXPECT_EQ(r.rows[2].pipeline_minor, 500'000);
  EXPECT_EQ(r.rows[2].open_deals, 1);
  EXPECT_EQ(r.revenue_minor, 1'030'000);
  EXPECT_EQ(r.pipeline_minor, 500'000);
  EXPECT_EQ(r.won_deals, 2);
  EXPECT_EQ(r.open_deals, 1);
  EXPECT_EQ(r.unattributed_revenue_minor, 30'000);
  EXPECT_EQ(r.unattributed_deals, 1);
  // Linear over the same deals: webinar and ads 5,000 each (a tie on revenue: by key).
  const AttributionResult l =
      Attribute(AttributionModel::kLinear, AttributionBreakdown::kCampaign, deals);
  EXPECT_EQ(l.rows[0].key, "ads");
  EXPECT_EQ(l.rows[0].revenue_minor, 500'000);
  EXPECT_EQ(l.rows[1].revenue_minor, 500'000);
}

TEST(AttributionTest, Codecs) {
  EXPECT_EQ(*AttributionModelFromString("w"), AttributionModel::kW);
  EXPECT_EQ(*AttributionModelFromString("linear"), AttributionModel::kLinear);
  auto bad = AttributionModelFromString("time_decay");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "model");
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(*AttributionBreakdownFromString("source"), AttributionBreakdown::kSource);
  auto by = AttributionBreakdownFromString("persona");
  ASSERT_FALSE(by);
  EXPECT_EQ(by.error().field, "by");
}

}  // namespace
}  // namespace tandem::core
