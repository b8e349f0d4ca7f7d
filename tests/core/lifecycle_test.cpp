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

// The whole transition table, written out from the rules in lifecycle.hpp rather than derived
// from the implementation. Rows are `from`, columns are `to`, in kAllStages order:
// visitor lead mql sal sql opportunity customer recycled disqualified.
TEST(LifecycleTest, TransitionTableMatchesTheRules) {
  constexpr bool T = true, F = false;
  constexpr bool kTable[9][9] = {
      /* visitor      */ {F, T, T, T, T, T, T, F, T},
      /* lead         */ {F, F, T, T, T, T, T, T, T},
      /* mql          */ {F, F, F, T, T, T, T, T, T},
      /* sal          */ {F, F, F, F, T, T, T, T, T},
      /* sql          */ {F, F, F, F, F, T, T, T, T},
      /* opportunity  */ {F, F, F, F, F, F, T, T, T},
      /* customer     */ {F, F, F, F, F, F, F, F, F},
      /* recycled     */ {F, F, T, T, T, T, T, F, T},
      /* disqualified */ {F, T, F, F, F, F, F, F, F},
  };
  for (std::size_t i = 0; i < kAllStages.size(); ++i) {
    for (std::size_t j = 0; j < kAllStages.size(); ++j) {
      EXPECT_EQ(IsAllowedTransition(kAllStages[i], kAllStages[j]), kTable[i][j])
          << ToString(kAllStages[i]) << " -> " << ToString(kAllStages[j]);
    }
  }
}

TEST(LifecycleTest, AllowedTransitionsListsTheTableRowInOrder) {
  EXPECT_EQ(AllowedTransitions(Stage::kVisitor),
            (std::vector<Stage>{Stage::kLead, Stage::kMql, Stage::kSal, Stage::kSql,
                                Stage::kOpportunity, Stage::kCustomer, Stage::kDisqualified}));
  EXPECT_EQ(AllowedTransitions(Stage::kOpportunity),
            (std::vector<Stage>{Stage::kCustomer, Stage::kRecycled, Stage::kDisqualified}));
  EXPECT_EQ(AllowedTransitions(Stage::kRecycled),
            (std::vector<Stage>{Stage::kMql, Stage::kSal, Stage::kSql, Stage::kOpportunity,
                                Stage::kCustomer, Stage::kDisqualified}));
  for (Stage from : kAllStages) {
    for (Stage to : AllowedTransitions(from)) EXPECT_TRUE(IsAllowedTransition(from, to));
  }
}

TEST(LifecycleTest, NoStageMovesToItself) {
  for (Stage s : kAllStages) {
    EXPECT_FALSE(IsAllowedTransition(s, s)) << ToString(s);
    auto r = PlanTransition(1, s, s, kNow, Actor::System("t"), "", "why");
    ASSERT_FALSE(r) << ToString(s);
    EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
    EXPECT_EQ(r.error().field, "stage");
  }
}

TEST(LifecycleTest, MainPathAndReasonPredicates) {
  for (Stage s : kAllStages) {
    const bool side = s == Stage::kRecycled || s == Stage::kDisqualified;
    EXPECT_EQ(IsMainPath(s), !side) << ToString(s);
    EXPECT_EQ(RequiresReason(s), side) << ToString(s);
  }
}

TEST(LifecycleTest, DisqualifyingNeedsAReasonToo) {
  auto r =
      PlanTransition(3, Stage::kLead, Stage::kDisqualified, kNow, Actor::System("t"), "", "\t\n ");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().field, "reason");
  EXPECT_NE(r.error().message.find("disqualified"), std::string::npos);
}

TEST(LifecycleTest, ForbiddenMoveIsReportedBeforeAMissingReason) {
  // customer -> recycled is impossible whatever the reason; the caller learns that first.
  auto r = PlanTransition(1, Stage::kCustomer, Stage::kRecycled, kNow, Actor::System("t"), "", "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
}

TEST(LifecycleTest, PlannedChangeCarriesEveryField) {
  auto r = PlanTransition(42, Stage::kSal, Stage::kSql, kNow, Actor::User(9, "rep@acme.example"),
                          "demo_request", "  budget confirmed\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->id, 0);
  EXPECT_EQ(r->contact_id, 42);
  EXPECT_EQ(r->from, Stage::kSal);
  EXPECT_EQ(r->to, Stage::kSql);
  EXPECT_EQ(r->at, kNow);
  EXPECT_EQ(r->actor.user_id, 9);
  EXPECT_EQ(r->actor.name, "rep@acme.example");
  EXPECT_EQ(r->cause, "demo_request");
  // The reason is trimmed even where none is required.
  EXPECT_EQ(r->reason, "budget confirmed");
}

TEST(LifecycleTest, CauseDefaultsToManual) {
  auto r = PlanTransition(1, Stage::kLead, Stage::kMql, kNow, Actor::System("rules"), "", "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->cause, "manual");
  EXPECT_TRUE(r->actor.is_system());
  EXPECT_EQ(r->actor.name, "system:rules");
}

TEST(LifecycleTest, ActorKinds) {
  EXPECT_TRUE(Actor::System("demo").is_system());
  EXPECT_EQ(Actor::System("demo").name, "system:demo");
  EXPECT_FALSE(Actor::User(3, "a@b.co").is_system());
}

TEST(LifecycleTest, DealCreationMakesEveryEarlierStageAnOpportunity) {
  for (Stage s :
       {Stage::kVisitor, Stage::kLead, Stage::kMql, Stage::kSal, Stage::kSql, Stage::kRecycled}) {
    EXPECT_EQ(StageAfterDealEvent(s, DealEvent::kCreated), Stage::kOpportunity) << ToString(s);
  }
  EXPECT_EQ(StageAfterDealEvent(Stage::kOpportunity, DealEvent::kCreated), std::nullopt);
  EXPECT_EQ(StageAfterDealEvent(Stage::kDisqualified, DealEvent::kCreated), std::nullopt);
}

TEST(LifecycleTest, DealWonMakesACustomerUnlessDisqualifiedOrAlreadyOne) {
  for (Stage s : {Stage::kVisitor, Stage::kLead, Stage::kMql, Stage::kSal, Stage::kSql,
                  Stage::kOpportunity, Stage::kRecycled}) {
    EXPECT_EQ(StageAfterDealEvent(s, DealEvent::kWon), Stage::kCustomer) << ToString(s);
  }
  EXPECT_EQ(StageAfterDealEvent(Stage::kCustomer, DealEvent::kWon), std::nullopt);
  EXPECT_EQ(StageAfterDealEvent(Stage::kDisqualified, DealEvent::kWon), std::nullopt);
}

TEST(LifecycleTest, CodecRejectsUnknownAndPaddedNames) {
  for (std::string s : {"", " lead", "lead ", "Lead", "customers", "sales_qualified"}) {
    EXPECT_EQ(StageFromString(s), std::nullopt) << s;
  }
  EXPECT_EQ(ToString(Stage::kOpportunity), "opportunity");
  EXPECT_EQ(ToString(Stage::kDisqualified), "disqualified");
}

}  // namespace
}  // namespace tandem::core
