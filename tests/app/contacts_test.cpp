#include "app/contacts.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "app_fixture.hpp"

namespace tandem::app::apptest {
namespace {

using core::ErrorCode;
using core::Stage;

class ContactServiceTest : public AppTest {};

TEST_F(ContactServiceTest, CreateNormalisesAndRecordsFirstStageAndAudit) {
  clock_.Advance(5min);
  core::Contact draft;
  draft.email = " John.Doe @Example.COM ";
  draft.first_name = "John";
  draft.country = "fr";
  auto c = svc().contacts.Create(marketer(), draft);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_GT(c->id, 0);
  EXPECT_EQ(c->email, "john.doe@example.com");
  EXPECT_EQ(c->country, "FR");
  EXPECT_EQ(c->stage, Stage::kLead);
  EXPECT_EQ(c->created_at, kT0 + 5min);
  EXPECT_EQ(c->updated_at, kT0 + 5min);
  EXPECT_EQ(c->stage_entered_at, kT0 + 5min);
  EXPECT_EQ(c->owner_id, std::nullopt);  // marketing leaves it unowned

  const auto stored = GetContact(c->id);
  EXPECT_EQ(stored.email, "john.doe@example.com");
  EXPECT_EQ(stored.created_at, kT0 + 5min);

  const auto history = HistoryOf(c->id);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].contact_id, c->id);
  EXPECT_EQ(history[0].from, std::nullopt);
  EXPECT_EQ(history[0].to, Stage::kLead);
  EXPECT_EQ(history[0].at, kT0 + 5min);
  EXPECT_EQ(history[0].actor.user_id, marketer_.id);
  EXPECT_EQ(history[0].cause, "created");

  const auto audit = AuditOf("contact", c->id);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, core::AuditAction::kCreate);
  EXPECT_EQ(audit[0].actor.user_id, marketer_.id);
  EXPECT_EQ(audit[0].at, kT0 + 5min);
  ASSERT_NE(FindChange(audit[0], "email"), nullptr);
  EXPECT_EQ(ChangeOf(audit[0], "email"), (core::FieldChange{"email", "", "john.doe@example.com"}));
  EXPECT_EQ(ChangeOf(audit[0], "stage"), (core::FieldChange{"stage", "", "lead"}));
}

TEST_F(ContactServiceTest, CreateStartsAtTheGivenMainPathStage) {
  auto c = NewContact("sql@example.com", Stage::kSql);
  EXPECT_EQ(c.stage, Stage::kSql);
  const auto history = HistoryOf(c.id);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].to, Stage::kSql);
}

TEST_F(ContactServiceTest, CreateRefusesASideExitAsFirstStage) {
  for (Stage s : {Stage::kRecycled, Stage::kDisqualified}) {
    core::Contact draft;
    draft.email = "side@example.com";
    draft.stage = s;
    EXPECT_TRUE(
        FailsWith(svc().contacts.Create(manager(), draft), ErrorCode::kInvalidArgument, "stage"));
  }
}

TEST_F(ContactServiceTest, CreateRejectsAnInvalidEmailAndWritesNothing) {
  core::Contact draft;
  draft.email = "not an email";
  EXPECT_TRUE(
      FailsWith(svc().contacts.Create(manager(), draft), ErrorCode::kInvalidArgument, "email"));
  auto page = svc().contacts.List(admin(), core::ContactQuery{});
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->items.empty());
}

TEST_F(ContactServiceTest, EmailIsUniqueAfterNormalisation) {
  NewContact("jane@example.com");
  core::Contact dup;
  dup.email = " JANE@Example.com";
  EXPECT_TRUE(FailsWith(svc().contacts.Create(manager(), dup), ErrorCode::kAlreadyExists));
}

TEST_F(ContactServiceTest, SalesRepOwnsWhatTheyCreate) {
  core::Contact draft;
  draft.email = "mine@example.com";
  auto c = svc().contacts.Create(rep1(), draft);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->owner_id, rep1_.id);
}

TEST_F(ContactServiceTest, SalesRepCannotCreateForSomeoneElse) {
  core::Contact draft;
  draft.email = "theirs@example.com";
  draft.owner_id = rep2_.id;
  EXPECT_TRUE(FailsWith(svc().contacts.Create(rep1(), draft), ErrorCode::kPermissionDenied));
  auto page = svc().contacts.List(admin(), core::ContactQuery{});
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->items.empty());
}

TEST_F(ContactServiceTest, UnknownOwnerIsAnInvalidArgument) {
  core::Contact draft;
  draft.email = "orphan@example.com";
  draft.owner_id = 9999;
  EXPECT_TRUE(
      FailsWith(svc().contacts.Create(manager(), draft), ErrorCode::kInvalidArgument, "owner_id"));
}

TEST_F(ContactServiceTest, UpdateAuditsOnlyTheChangedFields) {
  auto c = NewContact("edit@example.com", Stage::kLead, rep1_.id);
  clock_.Advance(1h);
  ContactPatch patch;
  patch.first_name = "Renamed";
  patch.last_name = "Last";  // unchanged value
  patch.custom = core::CustomFields{{"persona", "cto"}};
  auto updated = svc().contacts.Update(rep1(), c.id, patch);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->first_name, "Renamed");
  EXPECT_EQ(updated->updated_at, kT0 + 1h);
  EXPECT_EQ(updated->created_at, kT0);
  EXPECT_EQ(GetContact(c.id).custom, (core::CustomFields{{"persona", "cto"}}));

  auto audit = AuditOf("contact", c.id);
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].action, core::AuditAction::kUpdate);  // newest first
  EXPECT_EQ(audit[0].actor.user_id, rep1_.id);
  EXPECT_EQ(audit[0].at, kT0 + 1h);
  EXPECT_EQ(audit[0].changes, (std::vector<core::FieldChange>{{"first_name", "First", "Renamed"},
                                                              {"custom.persona", "", "cto"}}));

  // Removing a custom field (empty value) is audited as a removal.
  ContactPatch remove;
  remove.custom = core::CustomFields{{"persona", ""}};
  ASSERT_TRUE(svc().contacts.Update(rep1(), c.id, remove));
  audit = AuditOf("contact", c.id);
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[0].changes, (std::vector<core::FieldChange>{{"custom.persona", "cto", ""}}));
  EXPECT_TRUE(GetContact(c.id).custom.empty());
}

TEST_F(ContactServiceTest, UpdateChangingNothingWritesNoAuditEntry) {
  auto c = NewContact("same@example.com");
  ContactPatch patch;
  patch.first_name = "First";
  patch.email = "SAME@example.com";  // normalises to the stored value
  ASSERT_TRUE(svc().contacts.Update(manager(), c.id, patch));
  EXPECT_EQ(AuditOf("contact", c.id).size(), 1u);
}

TEST_F(ContactServiceTest, UpdateToATakenEmailFailsAndKeepsTheContact) {
  NewContact("taken@example.com");
  auto c = NewContact("mine@example.com");
  ContactPatch patch;
  patch.email = "Taken@Example.com";
  patch.first_name = "Changed";
  EXPECT_TRUE(FailsWith(svc().contacts.Update(manager(), c.id, patch), ErrorCode::kAlreadyExists));
  const auto stored = GetContact(c.id);
  EXPECT_EQ(stored.email, "mine@example.com");
  EXPECT_EQ(stored.first_name, "First");
  EXPECT_EQ(AuditOf("contact", c.id).size(), 1u);
}

TEST_F(ContactServiceTest, UpdateValidatesTheResult) {
  auto c = NewContact("valid@example.com");
  ContactPatch patch;
  patch.country = "France";
  EXPECT_TRUE(FailsWith(svc().contacts.Update(manager(), c.id, patch), ErrorCode::kInvalidArgument,
                        "country"));
  EXPECT_EQ(GetContact(c.id).country, "");
}

TEST_F(ContactServiceTest, ReadOnlyKeyCannotMoveContacts) {
  auto c = NewContact("keyed@example.com");
  auto key = svc().auth.CreateApiKey(admin(), "bi", {core::Scope::kRead});
  ASSERT_TRUE(key);
  auto who = svc().auth.Authenticate(key->secret);
  ASSERT_TRUE(who);
  EXPECT_TRUE(svc().contacts.Get(who->principal, c.id));
  EXPECT_TRUE(FailsWith(svc().contacts.ChangeStage(who->principal, c.id, Stage::kMql, ""),
                        ErrorCode::kPermissionDenied));
  EXPECT_EQ(HistoryOf(c.id).size(), 1u);
}

TEST_F(ContactServiceTest, SalesCannotEditOthersContacts) {
  auto c = NewContact("owned@example.com", Stage::kLead, rep1_.id);
  ContactPatch patch;
  patch.first_name = "Hijacked";
  EXPECT_TRUE(FailsWith(svc().contacts.Update(rep2(), c.id, patch), ErrorCode::kPermissionDenied));
  auto unowned = NewContact("unowned@example.com");
  EXPECT_TRUE(
      FailsWith(svc().contacts.Update(rep2(), unowned.id, patch), ErrorCode::kPermissionDenied));
  EXPECT_EQ(GetContact(c.id).first_name, "First");
  EXPECT_EQ(AuditOf("contact", c.id).size(), 1u);
}

TEST_F(ContactServiceTest, SalesCannotReassignTheirContacts) {
  auto c = NewContact("keep@example.com", Stage::kLead, rep1_.id);
  ContactPatch give;
  give.owner_id.emplace(rep2_.id);
  EXPECT_TRUE(FailsWith(svc().contacts.Update(rep1(), c.id, give), ErrorCode::kPermissionDenied));
  ContactPatch drop;
  drop.owner_id.emplace(std::nullopt);
  EXPECT_TRUE(FailsWith(svc().contacts.Update(rep1(), c.id, drop), ErrorCode::kPermissionDenied));
  EXPECT_EQ(GetContact(c.id).owner_id, rep1_.id);
  // Naming themselves again is not a reassignment.
  ContactPatch self;
  self.owner_id.emplace(rep1_.id);
  EXPECT_TRUE(svc().contacts.Update(rep1(), c.id, self));
  // A manager may reassign.
  auto moved = svc().contacts.Update(manager(), c.id, give);
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_EQ(moved->owner_id, rep2_.id);
}

TEST_F(ContactServiceTest, MarketingEditsAnyContact) {
  auto c = NewContact("mkt@example.com", Stage::kLead, rep1_.id);
  ContactPatch patch;
  patch.campaign = "spring-webinar";
  auto r = svc().contacts.Update(marketer(), c.id, patch);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->campaign, "spring-webinar");
}

TEST_F(ContactServiceTest, UpdateOfAMissingContactIsNotFound) {
  EXPECT_TRUE(
      FailsWith(svc().contacts.Update(admin(), 424242, ContactPatch{}), ErrorCode::kNotFound));
  EXPECT_TRUE(FailsWith(svc().contacts.Get(admin(), 424242), ErrorCode::kNotFound));
  EXPECT_TRUE(FailsWith(svc().contacts.History(admin(), 424242), ErrorCode::kNotFound));
  EXPECT_TRUE(FailsWith(svc().contacts.ChangeStage(admin(), 424242, Stage::kMql, ""),
                        ErrorCode::kNotFound));
}

TEST_F(ContactServiceTest, StageChangesAppendHistoryWithActorCauseAndReason) {
  auto c = NewContact("journey@example.com", Stage::kLead, rep1_.id);
  clock_.Advance(1h);
  auto mql = svc().contacts.ChangeStage(marketer(), c.id, Stage::kMql, "");
  ASSERT_TRUE(mql) << mql.error().message;
  EXPECT_EQ(mql->stage, Stage::kMql);
  EXPECT_EQ(mql->stage_entered_at, kT0 + 1h);
  clock_.Advance(1h);
  auto sal = svc().contacts.ChangeStage(rep1(), c.id, Stage::kSal, "");
  ASSERT_TRUE(sal) << sal.error().message;
  clock_.Advance(1h);
  auto recycled = svc().contacts.ChangeStage(rep1(), c.id, Stage::kRecycled, "  no budget ");
  ASSERT_TRUE(recycled) << recycled.error().message;

  const auto stored = GetContact(c.id);
  EXPECT_EQ(stored.stage, Stage::kRecycled);
  EXPECT_EQ(stored.stage_entered_at, kT0 + 3h);
  EXPECT_EQ(stored.updated_at, kT0 + 3h);

  const auto history = HistoryOf(c.id);
  ASSERT_EQ(history.size(), 4u);  // oldest first
  EXPECT_EQ(history[1].from, Stage::kLead);
  EXPECT_EQ(history[1].to, Stage::kMql);
  EXPECT_EQ(history[1].actor.user_id, marketer_.id);
  EXPECT_EQ(history[1].actor.name, "marketer@acme.example");
  EXPECT_EQ(history[1].cause, "manual");
  EXPECT_EQ(history[1].at, kT0 + 1h);
  EXPECT_EQ(history[2].from, Stage::kMql);
  EXPECT_EQ(history[2].to, Stage::kSal);
  EXPECT_EQ(history[2].actor.user_id, rep1_.id);
  EXPECT_EQ(history[3].from, Stage::kSal);
  EXPECT_EQ(history[3].to, Stage::kRecycled);
  EXPECT_EQ(history[3].reason, "no budget");
  EXPECT_EQ(history[3].at, kT0 + 3h);

  const auto audit = AuditOf("contact", c.id);
  ASSERT_EQ(audit.size(), 4u);
  EXPECT_EQ(audit[0].action, core::AuditAction::kTransition);
  ASSERT_NE(FindChange(audit[0], "stage"), nullptr);
  EXPECT_EQ(ChangeOf(audit[0], "stage"), (core::FieldChange{"stage", "sal", "recycled"}));
  ASSERT_NE(FindChange(audit[0], "reason"), nullptr);
  EXPECT_EQ(ChangeOf(audit[0], "reason").after, "no budget");
}

// Counts what a failed stage change must leave alone.
struct Snapshot {
  core::Contact contact;
  std::size_t history = 0;
  std::size_t audit = 0;
};

TEST_F(ContactServiceTest, ImpossibleStageChangesLeaveTheContactUnchanged) {
  auto c = NewContact("stuck@example.com", Stage::kSql, rep1_.id);
  clock_.Advance(1h);
  auto snap = [&] {
    return Snapshot{GetContact(c.id), HistoryOf(c.id).size(), AuditOf("contact", c.id).size()};
  };
  const Snapshot before = snap();

  // Backwards on the main path.
  EXPECT_TRUE(FailsWith(svc().contacts.ChangeStage(rep1(), c.id, Stage::kLead, "x"),
                        ErrorCode::kFailedPrecondition, "stage"));
  // To itself.
  EXPECT_TRUE(FailsWith(svc().contacts.ChangeStage(rep1(), c.id, Stage::kSql, ""),
                        ErrorCode::kFailedPrecondition));
  // A side exit without a reason.
  EXPECT_TRUE(FailsWith(svc().contacts.ChangeStage(rep1(), c.id, Stage::kDisqualified, "  "),
                        ErrorCode::kInvalidArgument, "reason"));
  // Somebody else's contact.
  EXPECT_TRUE(FailsWith(svc().contacts.ChangeStage(rep2(), c.id, Stage::kOpportunity, ""),
                        ErrorCode::kPermissionDenied));

  const Snapshot after = snap();
  EXPECT_EQ(after.contact.stage, Stage::kSql);
  EXPECT_EQ(after.contact.stage_entered_at, before.contact.stage_entered_at);
  EXPECT_EQ(after.contact.updated_at, before.contact.updated_at);
  EXPECT_EQ(after.history, before.history);
  EXPECT_EQ(after.audit, before.audit);
}

TEST_F(ContactServiceTest, MarketingCannotMoveMqlToSal) {
  auto c = NewContact("handoff@example.com", Stage::kMql, rep1_.id);
  const auto history_before = HistoryOf(c.id).size();
  const auto audit_before = AuditOf("contact", c.id).size();
  auto r = svc().contacts.ChangeStage(marketer(), c.id, Stage::kSal, "");
  EXPECT_TRUE(FailsWith(r, ErrorCode::kPermissionDenied));
  EXPECT_EQ(GetContact(c.id).stage, Stage::kMql);
  EXPECT_EQ(HistoryOf(c.id).size(), history_before);
  EXPECT_EQ(AuditOf("contact", c.id).size(), audit_before);
  // Marketing may still recycle or disqualify within its part of the lifecycle.
  EXPECT_TRUE(svc().contacts.ChangeStage(marketer(), c.id, Stage::kRecycled, "too early"));
}

TEST_F(ContactServiceTest, DisqualifiedContactOnlyReopensAsLead) {
  auto c = NewContact("dq@example.com", Stage::kMql);
  ASSERT_TRUE(svc().contacts.ChangeStage(manager(), c.id, Stage::kDisqualified, "competitor"));
  EXPECT_TRUE(FailsWith(svc().contacts.ChangeStage(manager(), c.id, Stage::kMql, ""),
                        ErrorCode::kFailedPrecondition));
  auto reopened = svc().contacts.ChangeStage(manager(), c.id, Stage::kLead, "");
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_EQ(reopened->stage, Stage::kLead);
}

TEST_F(ContactServiceTest, DeleteRemovesTheContactAndAuditsIt) {
  auto c = NewContact("gone@example.com", Stage::kLead, rep1_.id);
  EXPECT_TRUE(FailsWith(svc().contacts.Delete(rep2(), c.id), ErrorCode::kPermissionDenied));
  ASSERT_TRUE(svc().contacts.Delete(rep1(), c.id));
  EXPECT_TRUE(FailsWith(svc().contacts.Get(admin(), c.id), ErrorCode::kNotFound));
  const auto audit = AuditOf("contact", c.id);
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].action, core::AuditAction::kDelete);
  EXPECT_EQ(ChangeOf(audit[0], "email"), (core::FieldChange{"email", "gone@example.com", ""}));
  EXPECT_TRUE(FailsWith(svc().contacts.Delete(rep1(), c.id), ErrorCode::kNotFound));
}

TEST_F(ContactServiceTest, TimelineMergesStagesActivitiesAndDealsNewestFirst) {
  auto c = NewContact("timeline@example.com", Stage::kLead, rep1_.id);  // lead at T0

  core::Activity call;
  call.type = core::ActivityType::kCall;
  call.contact_id = c.id;
  call.occurred_at = kT0 + 30min;
  clock_.Set(kT0 + 90min);  // logged after the fact
  ASSERT_TRUE(svc().activities.Create(rep1(), call));

  clock_.Set(kT0 + 1h);
  ASSERT_TRUE(svc().contacts.ChangeStage(rep1(), c.id, Stage::kMql, ""));

  clock_.Set(kT0 + 2h);
  core::Deal deal;
  deal.title = "Pilot";
  deal.contact_id = c.id;
  deal.amount_minor = 500000;
  auto d = svc().deals.Create(rep1(), deal);  // opportunity at T0+2h
  ASSERT_TRUE(d) << d.error().message;

  core::Activity meeting;
  meeting.type = core::ActivityType::kMeeting;
  meeting.contact_id = c.id;
  meeting.occurred_at = kT0 + 3h;
  ASSERT_TRUE(svc().activities.Create(rep1(), meeting));

  auto timeline = svc().contacts.Timeline(rep2(), c.id);  // anyone may read
  ASSERT_TRUE(timeline) << timeline.error().message;
  ASSERT_EQ(timeline->size(), 6u);
  for (std::size_t i = 1; i < timeline->size(); ++i) {
    EXPECT_GE((*timeline)[i - 1].at, (*timeline)[i].at) << "position " << i;
  }
  const auto& t = *timeline;
  EXPECT_EQ(t[0].kind, "activity");
  EXPECT_EQ(t[0].activity->type, core::ActivityType::kMeeting);
  EXPECT_EQ(t[0].at, kT0 + 3h);
  // The deal and the stage change it caused share T0+2h.
  EXPECT_EQ(t[1].at, kT0 + 2h);
  EXPECT_EQ(t[2].at, kT0 + 2h);
  std::set<std::string> at_two_hours = {t[1].kind, t[2].kind};
  EXPECT_EQ(at_two_hours, (std::set<std::string>{"deal", "stage_change"}));
  EXPECT_EQ(t[3].kind, "stage_change");
  EXPECT_EQ(t[3].stage_change->to, Stage::kMql);
  EXPECT_EQ(t[4].kind, "activity");
  EXPECT_EQ(t[4].at, kT0 + 30min);
  EXPECT_EQ(t[5].kind, "stage_change");
  EXPECT_EQ(t[5].stage_change->to, Stage::kLead);
  for (const auto& item : t) {
    const int payloads =
        item.stage_change.has_value() + item.activity.has_value() + item.deal.has_value();
    EXPECT_EQ(payloads, 1) << item.kind;
  }
}

TEST_F(ContactServiceTest, TimelineShowsAClosedDealAtItsCloseTime) {
  auto c = NewContact("closed@example.com", Stage::kSql, rep1_.id);
  clock_.Set(kT0 + 1h);
  core::Deal deal;
  deal.title = "Closed";
  deal.contact_id = c.id;
  auto d = svc().deals.Create(rep1(), deal);
  ASSERT_TRUE(d);
  clock_.Set(kT0 + 5h);
  DealPatch lose;
  lose.stage = core::DealStage::kLost;
  lose.lost_reason = "timing";
  ASSERT_TRUE(svc().deals.Update(rep1(), d->id, lose));
  auto timeline = svc().contacts.Timeline(rep1(), c.id);
  ASSERT_TRUE(timeline);
  ASSERT_FALSE(timeline->empty());
  EXPECT_EQ(timeline->front().kind, "deal");
  EXPECT_EQ(timeline->front().at, kT0 + 5h);
}

TEST_F(ContactServiceTest, TimelineBreaksTiesNewestFirst) {
  // Created and moved to opportunity by a deal in the same millisecond: the later stage change
  // is the newer one and comes first.
  auto c = NewContact("tie@example.com", Stage::kLead, rep1_.id);
  core::Deal deal;
  deal.title = "Same instant";
  deal.contact_id = c.id;
  ASSERT_TRUE(svc().deals.Create(rep1(), deal));
  auto timeline = svc().contacts.Timeline(rep1(), c.id);
  ASSERT_TRUE(timeline);
  std::vector<Stage> stages;
  for (const auto& item : *timeline) {
    if (item.stage_change) stages.push_back(item.stage_change->to);
  }
  EXPECT_EQ(stages, (std::vector<Stage>{Stage::kOpportunity, Stage::kLead}));
}

TEST_F(ContactServiceTest, TimelineOfAMissingContactIsNotFound) {
  EXPECT_TRUE(FailsWith(svc().contacts.Timeline(admin(), 777), ErrorCode::kNotFound));
}

}  // namespace
}  // namespace tandem::app::apptest
