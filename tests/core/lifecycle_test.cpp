#include "core/lifecycle.hpp"

#include <gtest/gtest.h>

namespace tandem::core {
namespace {

const Instant kNow = FromMillis(1'790'000'000'000);

TEST(LifecycleTest, MovesForwardOnMainPath) {
  EXPECT_TRUE(IsAllowedTransition(Stage::kLead, Stage::kMql));
  EXPECT_TRUE(IsAllowedTransition(Stage::kLead, Stage::kOpportunity));
  EXPECT_FALSE(IsAllowedTransition(Stage::kSql, Stage::kMql));
  EXPECT_FALSE(IsAllowedTransition(Stage::kMql, Stage::kMql));
}

TEST(LifecycleTest, CustomerIsFinal) {
  EXPECT_TRUE(AllowedTransitions(Stage::kCustomer).empty());
  auto r = PlanTransition(1, Stage::kCustomer, Stage::kLead, kNow, Actor::System("t"), "", "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(r.error().message.find("final"), std::string::npos);
}

TEST(LifecycleTest, ImpossibleTransitionNamesAllowedStages) {
  auto r = PlanTransition(1, Stage::kSql, Stage::kLead, kNow, Actor::System("t"), "", "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "cannot move a contact from sql to lead; allowed next stages: opportunity, customer, "
            "recycled, disqualified");
}

TEST(LifecycleTest, SideExitsRequireReason) {
  auto r = PlanTransition(1, Stage::kMql, Stage::kRecycled, kNow, Actor::System("t"), "", "  ");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "reason");
  auto ok = PlanTransition(1, Stage::kMql, Stage::kRecycled, kNow, Actor::User(7, "a@b.co"),
                           "manual", " not ready ");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->reason, "not ready");
  EXPECT_EQ(ok->actor.user_id, 7);
  EXPECT_EQ(ok->at, kNow);
}

TEST(LifecycleTest, RecycledCanQualifyAgainAndDisqualifiedOnlyReopens) {
  EXPECT_TRUE(IsAllowedTransition(Stage::kRecycled, Stage::kMql));
  EXPECT_FALSE(IsAllowedTransition(Stage::kRecycled, Stage::kLead));
  EXPECT_EQ(AllowedTransitions(Stage::kDisqualified), std::vector<Stage>{Stage::kLead});
}

TEST(LifecycleTest, DealEventsMoveForwardOnly) {
  EXPECT_EQ(StageAfterDealEvent(Stage::kSql, DealEvent::kCreated), Stage::kOpportunity);
  EXPECT_EQ(StageAfterDealEvent(Stage::kOpportunity, DealEvent::kWon), Stage::kCustomer);
  EXPECT_EQ(StageAfterDealEvent(Stage::kCustomer, DealEvent::kCreated), std::nullopt);
  EXPECT_EQ(StageAfterDealEvent(Stage::kDisqualified, DealEvent::kWon), std::nullopt);
}

TEST(LifecycleTest, CodecRoundTrips) {
  for (Stage s : kAllStages) EXPECT_EQ(StageFromString(ToString(s)), s);
  EXPECT_EQ(StageFromString("MQL"), std::nullopt);
}

}  // namespace
}  // namespace tandem::core
