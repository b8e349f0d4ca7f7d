#include "app/records.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app_fixture.hpp"

namespace tandem::app::apptest {
namespace {

using core::DealStage;
using core::ErrorCode;
using core::Stage;

class DealServiceTest : public AppTest {
 protected:
  core::Deal NewDeal(const core::Principal& p, std::optional<core::Id> contact_id,
                     DealStage stage = DealStage::kOpen) {
    core::Deal d;
    d.title = "Acme - 50 seats";
    d.contact_id = contact_id;
    d.amount_minor = 1'200'000;
    d.currency = "eur";
    d.stage = stage;
    auto r = svc().deals.Create(p, d);
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(core::Deal{});
  }
  core::Deal GetDeal(core::Id id) {
    auto r = svc().deals.Get(admin(), id);
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(core::Deal{});
  }
};

TEST_F(DealServiceTest, CreateMovesTheContactToOpportunity) {
  auto c = NewContact("buyer@example.com", Stage::kSql, rep1_.id);
  clock_.Advance(2h);
  auto d = NewDeal(rep1(), c.id);
  EXPECT_GT(d.id, 0);
  EXPECT_EQ(d.owner_id, rep1_.id);  // a rep's deal is theirs
  EXPECT_EQ(d.currency, "EUR");
  EXPECT_EQ(d.created_at, kT0 + 2h);
  EXPECT_EQ(d.closed_at, std::nullopt);

  const auto contact = GetContact(c.id);
  EXPECT_EQ(contact.stage, Stage::kOpportunity);
  EXPECT_EQ(contact.stage_entered_at, kT0 + 2h);
  const auto history = HistoryOf(c.id);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].from, Stage::kSql);
  EXPECT_EQ(history[1].to, Stage::kOpportunity);
  EXPECT_EQ(history[1].cause, "deal_created");
  EXPECT_EQ(history[1].reason, "deal " + std::to_string(d.id));
  EXPECT_EQ(history[1].actor.user_id, rep1_.id);
  EXPECT_EQ(history[1].at, kT0 + 2h);

  const auto contact_audit = AuditOf("contact", c.id);
  ASSERT_EQ(contact_audit.size(), 2u);
  EXPECT_EQ(contact_audit[0].action, core::AuditAction::kTransition);
  const auto deal_audit = AuditOf("deal", d.id);
  ASSERT_EQ(deal_audit.size(), 1u);
  EXPECT_EQ(deal_audit[0].action, core::AuditAction::kCreate);
  EXPECT_EQ(ChangeOf(deal_audit[0], "amount").after, "12000.00");
}

TEST_F(DealServiceTest, CreateWithoutAContactTouchesNoLifecycle) {
  auto d = NewDeal(manager(), std::nullopt);
  EXPECT_GT(d.id, 0);
  EXPECT_EQ(d.owner_id, std::nullopt);
}

TEST_F(DealServiceTest, NewDealLeavesACustomerAndADisqualifiedContactWhereTheyAre) {
  auto customer = NewContact("customer@example.com", Stage::kCustomer);
  auto dq = NewContact("dq@example.com", Stage::kLead);
  ASSERT_TRUE(svc().contacts.ChangeStage(manager(), dq.id, Stage::kDisqualified, "student"));
  NewDeal(manager(), customer.id);
  NewDeal(manager(), dq.id);
  EXPECT_EQ(GetContact(customer.id).stage, Stage::kCustomer);
  EXPECT_EQ(HistoryOf(customer.id).size(), 1u);
  EXPECT_EQ(GetContact(dq.id).stage, Stage::kDisqualified);
  EXPECT_EQ(HistoryOf(dq.id).size(), 2u);
}

TEST_F(DealServiceTest, WinningMakesTheContactACustomerAndStampsClosedAt) {
  auto c = NewContact("win@example.com", Stage::kSql, rep1_.id);
  auto d = NewDeal(rep1(), c.id);
  clock_.Advance(3h);
  DealPatch win;
  win.stage = DealStage::kWon;
  auto won = svc().deals.Update(rep1(), d.id, win);
  ASSERT_TRUE(won) << won.error().message;
  EXPECT_EQ(won->stage, DealStage::kWon);
  EXPECT_EQ(won->closed_at, kT0 + 3h);
  EXPECT_EQ(GetDeal(d.id).closed_at, kT0 + 3h);

  EXPECT_EQ(GetContact(c.id).stage, Stage::kCustomer);
  const auto history = HistoryOf(c.id);
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[2].from, Stage::kOpportunity);
  EXPECT_EQ(history[2].to, Stage::kCustomer);
  EXPECT_EQ(history[2].cause, "deal_won");
  EXPECT_EQ(history[2].at, kT0 + 3h);
}

TEST_F(DealServiceTest, DealCreatedWonPassesThroughOpportunity) {
  auto c = NewContact("instant@example.com", Stage::kMql);
  auto d = NewDeal(manager(), c.id, DealStage::kWon);
  EXPECT_EQ(d.closed_at, kT0);
  const auto history = HistoryOf(c.id);
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[1].to, Stage::kOpportunity);
  EXPECT_EQ(history[2].to, Stage::kCustomer);
  EXPECT_EQ(GetContact(c.id).stage, Stage::kCustomer);
}

TEST_F(DealServiceTest, LosingRequiresAReasonAndWritesNothingWithout) {
  auto c = NewContact("lose@example.com", Stage::kSql, rep1_.id);
  auto d = NewDeal(rep1(), c.id);
  const auto audit_before = AuditOf("deal", d.id).size();
  clock_.Advance(1h);
  DealPatch lose;
  lose.stage = DealStage::kLost;
  EXPECT_TRUE(FailsWith(svc().deals.Update(rep1(), d.id, lose), ErrorCode::kInvalidArgument,
                        "lost_reason"));
  lose.lost_reason = " \t ";  // blank is no reason either
  EXPECT_TRUE(FailsWith(svc().deals.Update(rep1(), d.id, lose), ErrorCode::kInvalidArgument,
                        "lost_reason"));
  const auto stored = GetDeal(d.id);
  EXPECT_EQ(stored.stage, DealStage::kOpen);
  EXPECT_EQ(stored.closed_at, std::nullopt);
  EXPECT_EQ(AuditOf("deal", d.id).size(), audit_before);

  lose.lost_reason = " went with a competitor ";
  auto lost = svc().deals.Update(rep1(), d.id, lose);
  ASSERT_TRUE(lost) << lost.error().message;
  EXPECT_EQ(lost->closed_at, kT0 + 1h);
  EXPECT_EQ(lost->lost_reason, "went with a competitor");
  EXPECT_EQ(GetDeal(d.id).lost_reason, "went with a competitor");
  // Losing a deal does not move the contact by itself.
  EXPECT_EQ(GetContact(c.id).stage, Stage::kOpportunity);
}

TEST_F(DealServiceTest, ReopeningClearsClosedAtAndTheLostReason) {
  auto d = NewDeal(manager(), std::nullopt);
  DealPatch lose;
  lose.stage = DealStage::kLost;
  lose.lost_reason = "timing";
  clock_.Advance(1h);
  ASSERT_TRUE(svc().deals.Update(manager(), d.id, lose));
  clock_.Advance(1h);
  DealPatch reopen;
  reopen.stage = DealStage::kOpen;
  auto open = svc().deals.Update(manager(), d.id, reopen);
  ASSERT_TRUE(open) << open.error().message;
  EXPECT_EQ(open->closed_at, std::nullopt);
  EXPECT_EQ(open->lost_reason, "");
  const auto stored = GetDeal(d.id);
  EXPECT_EQ(stored.closed_at, std::nullopt);
  EXPECT_EQ(stored.lost_reason, "");
  const auto audit = AuditOf("deal", d.id);
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(ChangeOf(audit[0], "stage"), (core::FieldChange{"stage", "lost", "open"}));
  EXPECT_EQ(ChangeOf(audit[0], "closed_at"),
            (core::FieldChange{"closed_at", core::FormatInstant(kT0 + 1h), ""}));
  EXPECT_EQ(ChangeOf(audit[0], "lost_reason"), (core::FieldChange{"lost_reason", "timing", ""}));
}

TEST_F(DealServiceTest, ClosedAtMovesWhenTheOutcomeChangesNotOnOtherEdits) {
  auto d = NewDeal(manager(), std::nullopt);
  DealPatch win;
  win.stage = DealStage::kWon;
  clock_.Advance(1h);
  ASSERT_TRUE(svc().deals.Update(manager(), d.id, win));
  clock_.Advance(1h);
  DealPatch retitle;
  retitle.title = "Renamed";
  auto renamed = svc().deals.Update(manager(), d.id, retitle);
  ASSERT_TRUE(renamed);
  EXPECT_EQ(renamed->closed_at, kT0 + 1h);
  clock_.Advance(1h);
  DealPatch lose;
  lose.stage = DealStage::kLost;
  lose.lost_reason = "churned before start";
  auto lost = svc().deals.Update(manager(), d.id, lose);
  ASSERT_TRUE(lost);
  EXPECT_EQ(lost->closed_at, kT0 + 3h);
}

TEST_F(DealServiceTest, AttachingADealToAContactMakesItAnOpportunity) {
  auto d = NewDeal(manager(), std::nullopt);
  auto c = NewContact("later@example.com", Stage::kSal);
  DealPatch attach;
  attach.contact_id.emplace(c.id);
  ASSERT_TRUE(svc().deals.Update(manager(), d.id, attach));
  EXPECT_EQ(GetContact(c.id).stage, Stage::kOpportunity);
  EXPECT_EQ(HistoryOf(c.id).back().cause, "deal_created");
}

TEST_F(DealServiceTest, MarketingCannotTouchDeals) {
  auto c = NewContact("m@example.com", Stage::kSql);
  core::Deal d;
  d.title = "Nope";
  d.contact_id = c.id;
  EXPECT_TRUE(FailsWith(svc().deals.Create(marketer(), d), ErrorCode::kPermissionDenied));
  EXPECT_EQ(GetContact(c.id).stage, Stage::kSql);
  auto mine = NewDeal(manager(), std::nullopt);
  EXPECT_TRUE(svc().deals.Get(marketer(), mine.id));  // but reads them
  DealPatch p;
  p.title = "x";
  EXPECT_TRUE(FailsWith(svc().deals.Update(marketer(), mine.id, p), ErrorCode::kPermissionDenied));
}

TEST_F(DealServiceTest, SalesCannotGiveDealsAwayOrEditOthers) {
  auto d = NewDeal(rep1(), std::nullopt);
  DealPatch give;
  give.owner_id.emplace(rep2_.id);
  EXPECT_TRUE(FailsWith(svc().deals.Update(rep1(), d.id, give), ErrorCode::kPermissionDenied));
  DealPatch edit;
  edit.amount_minor = 1;
  EXPECT_TRUE(FailsWith(svc().deals.Update(rep2(), d.id, edit), ErrorCode::kPermissionDenied));
  EXPECT_TRUE(FailsWith(svc().deals.Delete(rep2(), d.id), ErrorCode::kPermissionDenied));
  EXPECT_EQ(GetDeal(d.id).owner_id, rep1_.id);
  EXPECT_EQ(GetDeal(d.id).amount_minor, 1'200'000);
}

TEST_F(DealServiceTest, InvalidDealIsRejected) {
  core::Deal d;
  d.title = "Bad money";
  d.amount_minor = -5;
  EXPECT_TRUE(FailsWith(svc().deals.Create(manager(), d), ErrorCode::kInvalidArgument, "amount"));
  d.amount_minor = 5;
  d.currency = "EURO";
  EXPECT_TRUE(FailsWith(svc().deals.Create(manager(), d), ErrorCode::kInvalidArgument, "currency"));
}

TEST_F(DealServiceTest, DeleteIsAudited) {
  auto d = NewDeal(rep1(), std::nullopt);
  ASSERT_TRUE(svc().deals.Delete(rep1(), d.id));
  EXPECT_TRUE(FailsWith(svc().deals.Get(admin(), d.id), ErrorCode::kNotFound));
  const auto audit = AuditOf("deal", d.id);
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].action, core::AuditAction::kDelete);
}

// ----- companies -----------------------------------------------------------------------------

class CompanyServiceTest : public AppTest {};

TEST_F(CompanyServiceTest, CreateNormalisesAndDefaultsARepAsOwner) {
  core::Company draft;
  draft.name = "Acme";
  draft.domain = "https://www.Acme.Example/about";
  draft.country = "de";
  auto c = svc().companies.Create(rep1(), draft);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->domain, "acme.example");
  EXPECT_EQ(c->country, "DE");
  EXPECT_EQ(c->owner_id, rep1_.id);
  EXPECT_EQ(c->created_at, kT0);
  const auto audit = AuditOf("company", c->id);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, core::AuditAction::kCreate);
}

TEST_F(CompanyServiceTest, UpdateAuditsChangesAndGuardsOwnership) {
  core::Company draft;
  draft.name = "Globex";
  auto c = svc().companies.Create(rep1(), draft);
  ASSERT_TRUE(c);
  clock_.Advance(1min);
  CompanyPatch patch;
  patch.employees.emplace(250);
  auto u = svc().companies.Update(rep1(), c->id, patch);
  ASSERT_TRUE(u) << u.error().message;
  EXPECT_EQ(u->employees, 250);
  EXPECT_EQ(u->updated_at, kT0 + 1min);
  auto audit = AuditOf("company", c->id);
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].changes, (std::vector<core::FieldChange>{{"employees", "", "250"}}));

  EXPECT_TRUE(
      FailsWith(svc().companies.Update(rep2(), c->id, patch), ErrorCode::kPermissionDenied));
  CompanyPatch give;
  give.owner_id.emplace(rep2_.id);
  EXPECT_TRUE(FailsWith(svc().companies.Update(rep1(), c->id, give), ErrorCode::kPermissionDenied));
  EXPECT_EQ(AuditOf("company", c->id).size(), 2u);
}

TEST_F(CompanyServiceTest, InvalidDomainIsRejected) {
  core::Company draft;
  draft.name = "Initech";
  draft.domain = "initech";
  EXPECT_TRUE(
      FailsWith(svc().companies.Create(manager(), draft), ErrorCode::kInvalidArgument, "domain"));
}

// ----- activities ----------------------------------------------------------------------------

class ActivityServiceTest : public AppTest {};

TEST_F(ActivityServiceTest, OwnerDefaultsToTheCallerAndTimeToNow) {
  auto c = NewContact("act@example.com");
  clock_.Advance(10min);
  core::Activity a;
  a.type = core::ActivityType::kEmail;
  a.contact_id = c.id;
  a.subject = "Intro";
  auto r = svc().activities.Create(marketer(), a);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->owner_id, marketer_.id);
  EXPECT_EQ(r->occurred_at, kT0 + 10min);
  EXPECT_EQ(r->created_at, kT0 + 10min);
}

TEST_F(ActivityServiceTest, KeepsAGivenOccurredAt) {
  auto c = NewContact("past@example.com");
  core::Activity a;
  a.contact_id = c.id;
  a.occurred_at = kT0 - 24h;
  auto r = svc().activities.Create(rep1(), a);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->occurred_at, kT0 - 24h);
}

TEST_F(ActivityServiceTest, MarketingAndSalesLogOnlyTheirOwn) {
  auto c = NewContact("own@example.com");
  core::Activity a;
  a.contact_id = c.id;
  a.owner_id = rep2_.id;
  EXPECT_TRUE(FailsWith(svc().activities.Create(marketer(), a), ErrorCode::kPermissionDenied));
  EXPECT_TRUE(FailsWith(svc().activities.Create(rep1(), a), ErrorCode::kPermissionDenied));
  EXPECT_TRUE(svc().activities.Create(manager(), a));

  a.owner_id = 0;
  auto mine = svc().activities.Create(rep1(), a);
  ASSERT_TRUE(mine);
  ActivityPatch p;
  p.outcome = "no_answer";
  EXPECT_TRUE(
      FailsWith(svc().activities.Update(rep2(), mine->id, p), ErrorCode::kPermissionDenied));
  auto updated = svc().activities.Update(rep1(), mine->id, p);
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->outcome, "no_answer");
}

TEST_F(ActivityServiceTest, NeedsAContactOrADeal) {
  core::Activity a;
  a.subject = "Floating";
  EXPECT_TRUE(
      FailsWith(svc().activities.Create(rep1(), a), ErrorCode::kInvalidArgument, "contact_id"));
}

}  // namespace
}  // namespace tandem::app::apptest
