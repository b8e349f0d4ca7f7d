#include "app/contracts.hpp"

#include "app/app_fixture.hpp"
#include "app/minimal_contract.hpp"

namespace tandem::app::apptest {
namespace {

using testing_contract::MinimalContract;

class ContractServiceTest : public AppTest {
 protected:
  ContractService& contracts() { return svc().contracts; }
};

TEST_F(ContractServiceTest, AdminActivatesAndEveryoneReadsTheVersionInForce) {
  auto v = contracts().Activate(admin(), MinimalContract(), std::nullopt);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->effective_at, kT0);
  EXPECT_EQ(v->activated_by, admin_.id);
  EXPECT_EQ(v->hash.size(), 64u);
  auto current = contracts().Current(rep1());
  ASSERT_TRUE(current) << current.error().message;
  EXPECT_EQ(current->version.id, v->id);
  EXPECT_EQ(current->contract.sales.first_touch_hours, 4);
  EXPECT_EQ(current->pending,
            (std::vector<std::string>{"marketer@acme.example", "manager@acme.example"}));
  EXPECT_EQ(AuditOf("contract", v->id).size(), 1u);
}

TEST_F(ContractServiceTest, OnlyAdminsActivate) {
  EXPECT_TRUE(FailsWith(contracts().Activate(manager(), MinimalContract(), std::nullopt),
                        core::ErrorCode::kPermissionDenied));
  EXPECT_TRUE(FailsWith(contracts().Current(rep1()), core::ErrorCode::kNotFound));
}

TEST_F(ContractServiceTest, BadTextIsRefusedWithPositions) {
  auto r = contracts().Activate(admin(), MinimalContract() + "\nbogus = 1\n", std::nullopt);
  ASSERT_TRUE(FailsWith(r, core::ErrorCode::kFailedPrecondition, "contract"));
  EXPECT_NE(r.error().message.find("column 1: unknown key 'bogus'"), std::string::npos)
      << r.error().message;
}

TEST_F(ContractServiceTest, VersionsTakeEffectAtTheirTimeAndHistoryIsKept) {
  auto v1 = contracts().Activate(admin(), MinimalContract(4), std::nullopt);
  ASSERT_TRUE(v1);
  auto v2 = contracts().Activate(admin(), MinimalContract(8), kT0 + 24h);
  ASSERT_TRUE(v2);
  EXPECT_TRUE(FailsWith(contracts().Activate(admin(), MinimalContract(2), kT0 - 1ms),
                        core::ErrorCode::kInvalidArgument, "effective_at"));
  EXPECT_EQ(contracts().Current(rep1())->version.id, v1->id);
  auto later = contracts().InForceAt(kT0 + 25h);
  ASSERT_TRUE(later && *later);
  EXPECT_EQ((*later)->contract.sales.first_touch_hours, 8);
  clock_.Advance(24h);
  EXPECT_EQ(contracts().Current(rep1())->version.id, v2->id);
  auto history = contracts().History(rep2());
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].id, v2->id);
  EXPECT_EQ((*history)[1].text, MinimalContract(4));
}

TEST_F(ContractServiceTest, OnlyNamedHeadsAcknowledgeOncePerVersion) {
  auto v = contracts().Activate(admin(), MinimalContract(), std::nullopt);
  ASSERT_TRUE(v);
  clock_.Advance(1h);
  EXPECT_TRUE(
      FailsWith(contracts().Acknowledge(rep1(), std::nullopt), core::ErrorCode::kPermissionDenied));
  EXPECT_TRUE(FailsWith(contracts().Acknowledge(admin(), std::nullopt),
                        core::ErrorCode::kPermissionDenied));
  auto ack = contracts().Acknowledge(manager(), std::nullopt);
  ASSERT_TRUE(ack) << ack.error().message;
  EXPECT_EQ(ack->team, "Sales");
  EXPECT_EQ(ack->acknowledged_at, kT0 + 1h);
  EXPECT_TRUE(
      FailsWith(contracts().Acknowledge(manager(), v->id), core::ErrorCode::kAlreadyExists));
  EXPECT_TRUE(
      FailsWith(contracts().Acknowledge(marketer(), v->id + 7), core::ErrorCode::kNotFound));
  ASSERT_TRUE(contracts().Acknowledge(marketer(), v->id));
  auto current = contracts().Current(rep1());
  ASSERT_TRUE(current);
  EXPECT_EQ(current->acknowledgements.size(), 2u);
  EXPECT_TRUE(current->pending.empty());
  // A new version needs new acknowledgements.
  auto v2 = contracts().Activate(admin(), MinimalContract(6), std::nullopt);
  ASSERT_TRUE(v2);
  EXPECT_EQ(contracts().Current(rep1())->pending.size(), 2u);
}

TEST_F(ContractServiceTest, TheOperatorActivatesAsTheSystemOrAsANamedUser) {
  auto v = contracts().ActivateAsOperator(MinimalContract(), std::nullopt, std::nullopt);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_FALSE(v->activated_by);
  EXPECT_EQ(v->activated_by_label, "cli");
  auto by = contracts().ActivateAsOperator(MinimalContract(), std::nullopt, "Manager@acme.example");
  ASSERT_TRUE(by);
  EXPECT_EQ(by->activated_by, manager_.id);
  EXPECT_TRUE(FailsWith(
      contracts().ActivateAsOperator(MinimalContract(), std::nullopt, "nobody@acme.example"),
      core::ErrorCode::kInvalidArgument, "by"));
}

}  // namespace
}  // namespace tandem::app::apptest
