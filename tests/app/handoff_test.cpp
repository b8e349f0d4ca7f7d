#include "app/handoff.hpp"

#include <gtest/gtest.h>

#include "app/handoff_fixture.hpp"
#include "app/outbox.hpp"

namespace tandem::app::apptest {
namespace {

using core::AssignmentStatus;
using core::ErrorCode;
using core::SlaObligation;
using core::SlaState;
using core::Stage;

core::Instant Utc(const char* text) {
  return *core::ParseInstant(text);
}

TEST_F(HandoffTest, NewMqlGetsAnOwnerAndAnAssignmentWithTheRuleAndTheContractVersion) {
  Activate(HandoffContract());
  clock_.Advance(250ms);
  auto c = Mql("ana@client.example");
  EXPECT_EQ(c.owner_id, rep1_.id);
  EXPECT_EQ(GetContact(c.id).owner_id, rep1_.id);
  auto v = ViewOf(c.id);
  ASSERT_EQ(v.assignments.size(), 1u);
  const auto& a = v.assignments[0];
  EXPECT_EQ(a.owner_id, rep1_.id);
  EXPECT_EQ(a.owner_email, "rep1@acme.example");
  EXPECT_EQ(a.rule, core::RoutingRule::kRoundRobin);
  EXPECT_EQ(a.code, "round_robin");
  EXPECT_EQ(a.contract_version_id, version_);
  EXPECT_EQ(a.status, AssignmentStatus::kOpen);
  EXPECT_EQ(a.assigned_at, clock_.Now());
  EXPECT_EQ(a.system_latency(), 0ms);  // a manual qualification is its own event
  EXPECT_EQ(notifier_.Types(), (std::vector<std::string>{"lead.assigned"}));
  EXPECT_EQ(notifier_.events[0].recipient_id, rep1_.id);
  // Round robin goes on with rep2, then rep1.
  EXPECT_EQ(Mql("bo@client.example").owner_id, rep2_.id);
  EXPECT_EQ(Mql("cy@client.example").owner_id, rep1_.id);
}

TEST_F(HandoffTest, ClocksDueOnTheBusinessCalendarFridayEveningToMondayNoon) {
  Activate(HandoffContract());
  auto c = Mql("ana@client.example");
  auto v = ViewOf(c.id);
  ASSERT_EQ(v.clocks.size(), 3u);
  const auto* first = ClockOf(v, SlaObligation::kFirstTouch);
  ASSERT_NE(first, nullptr);
  // Friday 17:30 Paris + 4 business hours (09:00-18:00) = Monday 12:30 Paris.
  EXPECT_EQ(first->due_at, Utc("2026-11-30T11:30:00Z"));
  EXPECT_EQ(first->started_at, kFriday1730Paris);
  EXPECT_EQ(first->contract_version_id, version_);
  EXPECT_EQ(first->owner_id, rep1_.id);
  EXPECT_EQ(first->state(), SlaState::kOpen);
  // Accept or reject within 2 business days: Tuesday at closing time.
  EXPECT_EQ(ClockOf(v, SlaObligation::kDisposition)->due_at, Utc("2026-12-01T17:00:00Z"));
  // 2 attempts within 5 business days: the next Friday at closing time.
  const auto* attempts = ClockOf(v, SlaObligation::kAttempts);
  EXPECT_EQ(attempts->due_at, Utc("2026-12-04T17:00:00Z"));
  EXPECT_EQ(attempts->target, 2);
}

TEST_F(HandoffTest, AHolidayMondayMovesTheFirstTouchToTuesdayNoon) {
  Activate(HandoffContract("2026-11-30"));
  auto c = Mql("ana@client.example");
  auto v = ViewOf(c.id);
  EXPECT_EQ(ClockOf(v, SlaObligation::kFirstTouch)->due_at, Utc("2026-12-01T11:30:00Z"));
}

TEST_F(HandoffTest, AutomaticMqlIsRoutedInTheSameTransactionWithItsSystemLatency) {
  Activate(HandoffContract());
  core::Persona p;
  p.key = "data_lead";
  p.name = "Head of Data";
  core::Criterion title;
  title.property = "contact.title";
  title.op = core::CriterionOp::kPattern;
  title.values = {"*data*"};
  title.weight = 100;
  p.criteria = {title};
  ASSERT_TRUE(svc().personas.Create(marketer(), p));
  core::Contact lead;
  lead.email = "ana@client.example";
  lead.title = "Head of Data";
  auto c = svc().contacts.Create(manager(), lead);
  ASSERT_TRUE(c) << c.error().message;
  const auto event_at = clock_.Now() - 40ms;  // the event happened a little before it was scored
  ASSERT_TRUE(store_->Write([&](store::Tx& tx) -> core::Result<void> {
    TANDEM_TRY(svc().scoring.ApplyEvent(tx, c->id, "demo_request", event_at, clock_.Now()));
    TANDEM_TRY(svc().scoring.ApplyEvent(tx, c->id, "demo_request", event_at, clock_.Now()));
    return {};
  }));
  auto after = GetContact(c->id);
  ASSERT_EQ(after.stage, Stage::kMql);
  EXPECT_EQ(after.owner_id, rep1_.id);
  auto v = ViewOf(c->id);
  ASSERT_EQ(v.assignments.size(), 1u);
  EXPECT_EQ(v.assignments[0].qualified_at, event_at);
  EXPECT_EQ(v.assignments[0].system_latency(), 40ms);
}

TEST_F(HandoffTest, NobodyAvailableIsRecordedUnassignedWithTheReason) {
  Activate(HandoffContract());
  using std::chrono::days;
  const core::Date today = *core::ParseDate("2026-11-27");
  ASSERT_EQ(core::FormatDate(today), "2026-11-27");
  ASSERT_TRUE(svc().handoff.SetAbsences(manager(), rep1_.id, {{today, today + days(3)}}));
  ASSERT_TRUE(svc().handoff.SetAbsences(manager(), rep2_.id, {{today - days(1), today}}));
  auto c = Mql("ana@client.example");
  EXPECT_EQ(c.owner_id, std::nullopt);
  auto v = ViewOf(c.id);
  ASSERT_EQ(v.assignments.size(), 1u);
  EXPECT_EQ(v.assignments[0].status, AssignmentStatus::kUnassigned);
  EXPECT_EQ(v.assignments[0].code, "unassigned:nobody_available");
  EXPECT_NE(v.assignments[0].text.find("absent 2026-11-27..2026-11-30"), std::string::npos)
      << v.assignments[0].text;
  EXPECT_TRUE(v.clocks.empty());
  EXPECT_EQ(notifier_.Types(), (std::vector<std::string>{"lead.unassigned"}));
  // A rep may not set another rep's absences.
  EXPECT_TRUE(
      FailsWith(svc().handoff.SetAbsences(rep1(), rep2_.id, {}), ErrorCode::kPermissionDenied));
  auto dist = svc().handoff.Distribution(manager(), kT0, clock_.Now() + 1h);
  ASSERT_TRUE(dist);
  EXPECT_EQ(dist->report.unassigned, 1);
  EXPECT_EQ(dist->report.unassigned_by_reason.at("nobody_available"), 1);
}

TEST_F(HandoffTest, WithoutAContractTheMqlIsUnassignedAndSaysSo) {
  auto c = Mql("ana@client.example");
  auto v = ViewOf(c.id);
  ASSERT_EQ(v.assignments.size(), 1u);
  EXPECT_EQ(v.assignments[0].code, "unassigned:no_contract");
  EXPECT_FALSE(v.assignments[0].contract_version_id);
}

TEST_F(HandoffTest, RoutingStateSurvivesARestart) {
  Activate(HandoffContract());
  EXPECT_EQ(Mql("a@client.example").owner_id, rep1_.id);
  // A new set of services over the same database: the rotation goes on, it does not restart.
  services_ = std::make_unique<Services>(*store_, clock_, PasswordSettings::Fastest(),
                                         AuthSettings{.session_ttl = kSessionTtl});
  EXPECT_EQ(Mql("b@client.example").owner_id, rep2_.id);
}

TEST_F(HandoffTest, OnlyTheOwnerOrAManagerAcceptsAndOnlyAnMql) {
  Activate(HandoffContract());
  auto c = Mql("ana@client.example");
  ASSERT_EQ(c.owner_id, rep1_.id);
  EXPECT_TRUE(FailsWith(svc().handoff.Accept(rep2(), c.id), ErrorCode::kPermissionDenied));
  EXPECT_TRUE(FailsWith(svc().handoff.Accept(marketer(), c.id), ErrorCode::kPermissionDenied));
  EXPECT_TRUE(FailsWith(svc().handoff.Accept(rep1(), 9999), ErrorCode::kNotFound));
  clock_.Advance(1h);
  auto accepted = svc().handoff.Accept(rep1(), c.id);
  ASSERT_TRUE(accepted) << accepted.error().message;
  EXPECT_EQ(accepted->stage, Stage::kSal);
  EXPECT_EQ(accepted->owner_id, rep1_.id);
  EXPECT_TRUE(FailsWith(svc().handoff.Accept(rep1(), c.id), ErrorCode::kAlreadyExists, "stage"));
  auto history = HistoryOf(c.id);
  EXPECT_EQ(history.back().to, Stage::kSal);
  EXPECT_EQ(history.back().cause, "accepted");
  auto v = ViewOf(c.id);
  EXPECT_EQ(v.assignments[0].status, AssignmentStatus::kAccepted);
  const auto* disposition = ClockOf(v, SlaObligation::kDisposition);
  EXPECT_EQ(disposition->state(), SlaState::kMet);
  EXPECT_EQ(disposition->met_at, clock_.Now());
  EXPECT_EQ(ClockOf(v, SlaObligation::kFirstTouch)->state(), SlaState::kOpen);
  // A manager may accept a lead they do not own.
  auto other = Mql("bo@client.example");
  EXPECT_TRUE(svc().handoff.Accept(manager(), other.id));
  EXPECT_EQ(notifier_.Types(), (std::vector<std::string>{"lead.assigned", "lead.accepted",
                                                         "lead.assigned", "lead.accepted"}));
}

TEST_F(HandoffTest, RejectNeedsAKnownReasonOfTheContract) {
  Activate(HandoffContract());
  auto c = Mql("ana@client.example");
  EXPECT_TRUE(FailsWith(svc().handoff.Reject(rep1(), c.id, "", ""), ErrorCode::kFailedPrecondition,
                        "reason"));
  auto unknown = svc().handoff.Reject(rep1(), c.id, "too_early", "");
  EXPECT_TRUE(FailsWith(unknown, ErrorCode::kFailedPrecondition, "reason"));
  EXPECT_NE(unknown.error().message.find("bad_timing, no_budget"), std::string::npos);
  EXPECT_TRUE(FailsWith(svc().handoff.Reject(rep2(), c.id, "bad_timing", ""),
                        ErrorCode::kPermissionDenied));
  EXPECT_EQ(GetContact(c.id).stage, Stage::kMql);
}

TEST_F(HandoffTest, RejectedAsRecycledGoesBackToMarketingWithoutAnOwner) {
  Activate(HandoffContract());
  auto c = Mql("ana@client.example");
  auto r = svc().handoff.Reject(rep1(), c.id, "bad_timing", "call again in Q2");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->stage, Stage::kRecycled);
  EXPECT_EQ(r->owner_id, std::nullopt);
  auto history = HistoryOf(c.id);
  EXPECT_EQ(history.back().cause, "rejected");
  EXPECT_EQ(history.back().reason, "bad_timing");
  auto v = ViewOf(c.id);
  EXPECT_EQ(v.assignments[0].status, AssignmentStatus::kRejected);
  EXPECT_EQ(v.assignments[0].reason, "bad_timing");
  EXPECT_EQ(v.assignments[0].note, "call again in Q2");
  EXPECT_EQ(ClockOf(v, SlaObligation::kDisposition)->state(), SlaState::kMet);
  EXPECT_EQ(ClockOf(v, SlaObligation::kFirstTouch)->state(), SlaState::kCancelled);
  EXPECT_EQ(ClockOf(v, SlaObligation::kAttempts)->state(), SlaState::kCancelled);
  ASSERT_EQ(notifier_.events.size(), 2u);
  EXPECT_EQ(notifier_.events[1].type, "lead.rejected");
  EXPECT_EQ(notifier_.events[1].recipient_id, marketer_.id);  // the head of marketing
  // Rejected again? It is no longer an mql.
  EXPECT_TRUE(FailsWith(svc().handoff.Reject(manager(), c.id, "bad_timing", ""),
                        ErrorCode::kAlreadyExists, "stage"));
}

TEST_F(HandoffTest, RejectedAsDisqualifiedKeepsItsOwner) {
  Activate(HandoffContract());
  auto c = Mql("ana@client.example");
  auto r = svc().handoff.Reject(manager(), c.id, "no_budget", "");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->stage, Stage::kDisqualified);
  EXPECT_EQ(r->owner_id, rep1_.id);
}

TEST_F(HandoffTest, RecycledLeadQualifiesAgainOnlyAfterTheWaitAndNewEngagement) {
  Activate(HandoffContract());
  core::Persona p;
  p.key = "data_lead";
  p.name = "Head of Data";
  core::Criterion title;
  title.property = "contact.title";
  title.op = core::CriterionOp::kPattern;
  title.values = {"*data*"};
  title.weight = 100;
  p.criteria = {title};
  ASSERT_TRUE(svc().personas.Create(marketer(), p));
  core::Contact lead;
  lead.email = "ana@client.example";
  lead.title = "Head of Data";
  auto c = svc().contacts.Create(manager(), lead);
  ASSERT_TRUE(c);
  auto event = [&](core::Instant at) {
    return store_->Write([&](store::Tx& tx) -> core::Result<void> {
      TANDEM_TRY(svc().scoring.ApplyEvent(tx, c->id, "demo_request", at, clock_.Now()));
      return {};
    });
  };
  ASSERT_TRUE(event(clock_.Now()));
  ASSERT_TRUE(event(clock_.Now()));
  ASSERT_EQ(GetContact(c->id).stage, Stage::kMql);
  ASSERT_TRUE(svc().handoff.Reject(rep1(), c->id, "bad_timing", ""));
  const auto recycled_at = clock_.Now();
  // Within the contract's 30 days: new engagement does not make it an MQL.
  clock_.Advance(std::chrono::days(10));
  ASSERT_TRUE(event(clock_.Now()));
  EXPECT_EQ(GetContact(c->id).stage, Stage::kRecycled);
  // After 30 days, an old event replayed is no new engagement.
  clock_.Advance(std::chrono::days(21));
  ASSERT_TRUE(event(recycled_at - 1h));
  EXPECT_EQ(GetContact(c->id).stage, Stage::kRecycled);
  // A new event after the wait qualifies it again and routes it (round robin: rep2's turn).
  ASSERT_TRUE(event(clock_.Now()));
  auto again = GetContact(c->id);
  EXPECT_EQ(again.stage, Stage::kMql);
  EXPECT_EQ(again.owner_id, rep2_.id);
  auto v = ViewOf(c->id);
  ASSERT_EQ(v.assignments.size(), 2u);
  EXPECT_EQ(v.assignments[0].status, AssignmentStatus::kOpen);
  EXPECT_EQ(v.assignments[1].status, AssignmentStatus::kRejected);
}

TEST_F(HandoffTest, OwnersFirstCallEmailOrMeetingIsTheFirstTouchAndAttemptsAreCounted) {
  Activate(HandoffContract());
  auto c = Mql("ana@client.example");
  clock_.Advance(2h);
  ASSERT_TRUE(Log(rep1(), c.id, core::ActivityType::kNote, clock_.Now()));     // not a touch
  ASSERT_TRUE(Log(manager(), c.id, core::ActivityType::kCall, clock_.Now()));  // not the owner
  auto v = ViewOf(c.id);
  EXPECT_FALSE(v.assignments[0].first_touch_at);
  EXPECT_EQ(v.assignments[0].attempts, 0);
  const auto touch_at = clock_.Now() - 5min;
  ASSERT_TRUE(Log(rep1(), c.id, core::ActivityType::kCall, touch_at));
  v = ViewOf(c.id);
  EXPECT_EQ(v.assignments[0].first_touch_at, touch_at);
  EXPECT_EQ(v.assignments[0].attempts, 1);
  EXPECT_EQ(ClockOf(v, SlaObligation::kFirstTouch)->met_at, touch_at);
  EXPECT_EQ(ClockOf(v, SlaObligation::kAttempts)->state(), SlaState::kOpen);
  EXPECT_EQ(ClockOf(v, SlaObligation::kAttempts)->progress, 1);
  clock_.Advance(1h);
  ASSERT_TRUE(Log(rep1(), c.id, core::ActivityType::kEmail, clock_.Now()));
  v = ViewOf(c.id);
  EXPECT_EQ(v.assignments[0].first_touch_at, touch_at);
  EXPECT_EQ(v.assignments[0].attempts, 2);
  EXPECT_EQ(ClockOf(v, SlaObligation::kAttempts)->met_at, clock_.Now());
}

TEST_F(HandoffTest, EditingOrDeletingATouchCountsFirstTouchAndAttemptsAgain) {
  Activate(HandoffContract());
  auto c = Mql("ana@client.example");
  clock_.Advance(1h);
  auto call = Log(rep1(), c.id, core::ActivityType::kCall, clock_.Now());
  ASSERT_TRUE(call) << call.error().message;
  clock_.Advance(1h);
  auto email = Log(rep1(), c.id, core::ActivityType::kEmail, clock_.Now());
  ASSERT_TRUE(email) << email.error().message;
  auto v = ViewOf(c.id);
  EXPECT_EQ(v.assignments[0].attempts, 2);
  EXPECT_EQ(ClockOf(v, SlaObligation::kAttempts)->met_at, email->occurred_at);

  // The call was in fact a note: the email is the first touch and the only attempt.
  ActivityPatch as_note;
  as_note.type = core::ActivityType::kNote;
  ASSERT_TRUE(svc().activities.Update(rep1(), call->id, as_note));
  v = ViewOf(c.id);
  EXPECT_EQ(v.assignments[0].first_touch_at, email->occurred_at);
  EXPECT_EQ(v.assignments[0].attempts, 1);
  EXPECT_EQ(ClockOf(v, SlaObligation::kFirstTouch)->met_at, email->occurred_at);
  EXPECT_EQ(ClockOf(v, SlaObligation::kAttempts)->state(), SlaState::kOpen);
  EXPECT_EQ(ClockOf(v, SlaObligation::kAttempts)->progress, 1);

  // Back to a call, 30 minutes earlier: the first touch moves with it; two attempts again.
  ActivityPatch earlier;
  earlier.type = core::ActivityType::kCall;
  earlier.occurred_at = call->occurred_at - 30min;
  ASSERT_TRUE(svc().activities.Update(rep1(), call->id, earlier));
  v = ViewOf(c.id);
  EXPECT_EQ(v.assignments[0].first_touch_at, call->occurred_at - 30min);
  EXPECT_EQ(ClockOf(v, SlaObligation::kFirstTouch)->met_at, call->occurred_at - 30min);
  EXPECT_EQ(ClockOf(v, SlaObligation::kAttempts)->met_at, email->occurred_at);

  // Both deleted: no touch at all, and both clocks are open again.
  ASSERT_TRUE(svc().activities.Delete(rep1(), call->id));
  ASSERT_TRUE(svc().activities.Delete(rep1(), email->id));
  v = ViewOf(c.id);
  EXPECT_FALSE(v.assignments[0].first_touch_at);
  EXPECT_EQ(v.assignments[0].attempts, 0);
  EXPECT_EQ(ClockOf(v, SlaObligation::kFirstTouch)->state(), SlaState::kOpen);
  EXPECT_EQ(ClockOf(v, SlaObligation::kFirstTouch)->progress, 0);
  EXPECT_EQ(ClockOf(v, SlaObligation::kAttempts)->state(), SlaState::kOpen);
}

TEST_F(HandoffTest, ManualMoveToSqlCountsAsTheDisposition) {
  Activate(HandoffContract());
  auto c = Mql("ana@client.example");
  ASSERT_TRUE(svc().contacts.ChangeStage(rep1(), c.id, Stage::kSql, ""));
  auto v = ViewOf(c.id);
  EXPECT_EQ(v.assignments[0].status, AssignmentStatus::kAccepted);
  EXPECT_EQ(ClockOf(v, SlaObligation::kDisposition)->state(), SlaState::kMet);
}

TEST_F(HandoffTest, ADealForTheLeadEndsItsAssignmentAsAccepted) {
  Activate(HandoffContract());
  auto c = Mql("ana@client.example");
  clock_.Advance(30min);
  core::Deal deal;
  deal.title = "Pilot";
  deal.contact_id = c.id;
  deal.amount_minor = 500000;
  auto d = svc().deals.Create(rep1(), deal);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(GetContact(c.id).stage, Stage::kOpportunity);
  auto v = ViewOf(c.id);
  EXPECT_EQ(v.assignments[0].status, AssignmentStatus::kAccepted);
  EXPECT_EQ(v.assignments[0].reason, "deal_created");
  EXPECT_EQ(ClockOf(v, SlaObligation::kDisposition)->state(), SlaState::kMet);
  EXPECT_EQ(ClockOf(v, SlaObligation::kDisposition)->met_at, clock_.Now());
  // As with an acceptance, the first touch and the attempts are still owed.
  EXPECT_EQ(ClockOf(v, SlaObligation::kFirstTouch)->state(), SlaState::kOpen);
}

TEST_F(HandoffTest, DistributionCountsLeadsPerRepAndRule) {
  Activate(HandoffContract());
  for (int i = 0; i < 5; ++i) Mql("lead" + std::to_string(i) + "@client.example");
  auto d = svc().handoff.Distribution(manager(), kFriday1730Paris, clock_.Now() + 1ms);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->report.total, 5);
  ASSERT_EQ(d->report.reps.size(), 2u);
  EXPECT_EQ(d->report.reps[0].email, "rep1@acme.example");
  EXPECT_EQ(d->report.reps[0].leads, 3);
  EXPECT_EQ(d->report.reps[0].by_rule.at("round_robin"), 3);
  EXPECT_EQ(d->report.reps[1].leads, 2);
  EXPECT_EQ(d->system_latency_p99_ms, 0);
  EXPECT_TRUE(FailsWith(svc().handoff.Distribution(manager(), clock_.Now(), clock_.Now()),
                        ErrorCode::kInvalidArgument, "to"));
  // Nothing before the period.
  auto empty = svc().handoff.Distribution(manager(), kT0, kFriday1730Paris);
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->report.total, 0);
}

// Wired as in the server: the handoff's messages go to the outbox in the transaction of the
// change and are fanned out in that same transaction (the addressed ones become in-app
// notifications), so the notification thread finds nothing left to dispatch.
TEST_F(HandoffTest, HandoffMessagesGoToTheOutboxAndReachTheAddressedUserInApp) {
  svc().handoff.SetNotifier(&svc().handoff_announcer);
  Activate(HandoffContract());
  auto outbox = [&] {
    std::vector<core::OutboxMessage> out;
    EXPECT_TRUE(store_->Read([&](store::Tx& tx) -> core::Result<void> {
      TANDEM_ASSIGN(out, tx.outbox().ListAfter(0, 1000));
      return {};
    }));
    return out;
  };
  auto ana = Mql("ana@client.example");
  auto out = outbox();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].event_type, "contact.mql");
  EXPECT_EQ(out[1].event_type, "lead.assigned");
  EXPECT_EQ(out[1].contact_id, std::optional<core::Id>(ana.id));
  EXPECT_EQ(out[1].user_id, std::optional<core::Id>(rep1_.id));
  const std::string& body = out[1].payload;
  EXPECT_NE(body.find("\"email\":\"ana@client.example\""), std::string::npos) << body;
  EXPECT_NE(body.find("\"owner_id\":" + std::to_string(rep1_.id)), std::string::npos) << body;
  EXPECT_NE(body.find("\"rule\":\"round_robin\""), std::string::npos) << body;
  EXPECT_NE(body.find("\"contract_version_id\":" + std::to_string(version_)), std::string::npos)
      << body;
  EXPECT_NE(body.find("\"at\":\"2026-11-27T16:30:00.000Z\""), std::string::npos) << body;

  auto inbox = svc().notifications.List(rep1(), std::nullopt, 50);
  ASSERT_TRUE(inbox) << inbox.error().message;
  ASSERT_EQ(inbox->items.size(), 1u);
  EXPECT_EQ(inbox->items[0].event_type, "lead.assigned");
  EXPECT_EQ(inbox->items[0].title, "Lead assigned to you: First Last <ana@client.example>");
  EXPECT_EQ(inbox->unread, 1);
  auto dispatched = svc().dispatcher.DispatchPending();
  ASSERT_TRUE(dispatched) << dispatched.error().message;
  EXPECT_EQ(*dispatched, 0);

  // A rejection is marketing's feedback: it goes to the head of marketing of the contract.
  ASSERT_TRUE(svc().handoff.Reject(rep1(), ana.id, "bad_timing", "call again in Q2"));
  // A manager accepting on a rep's behalf tells the rep; the rep accepting tells nobody.
  auto bo = Mql("bo@client.example");  // rep2
  auto cy = Mql("cy@client.example");  // rep1
  ASSERT_TRUE(svc().handoff.Accept(manager(), bo.id));
  ASSERT_TRUE(svc().handoff.Accept(rep1(), cy.id));
  out = outbox();
  std::vector<std::pair<std::string, std::optional<core::Id>>> tail;
  for (std::size_t i = 2; i < out.size(); ++i) tail.emplace_back(out[i].event_type, out[i].user_id);
  using Addressed = std::pair<std::string, std::optional<core::Id>>;
  EXPECT_EQ(tail, (std::vector<Addressed>{
                      {"lead.rejected", marketer_.id},
                      {"contact.mql", std::nullopt},
                      {"lead.assigned", rep2_.id},
                      {"contact.mql", std::nullopt},
                      {"lead.assigned", rep1_.id},
                      {"lead.accepted", rep2_.id},
                      {"lead.accepted", std::nullopt},
                  }));
  const std::string& rejected = out[2].payload;
  EXPECT_NE(rejected.find("\"stage\":\"recycled\""), std::string::npos) << rejected;
  EXPECT_NE(rejected.find("\"reason\":\"bad_timing\""), std::string::npos) << rejected;
  EXPECT_NE(rejected.find("\"note\":\"call again in Q2\""), std::string::npos) << rejected;
  EXPECT_NE(rejected.find("\"rejected_owner_id\":" + std::to_string(rep1_.id)), std::string::npos)
      << rejected;
  auto marketing = svc().notifications.List(marketer(), std::nullopt, 50);
  ASSERT_TRUE(marketing);
  ASSERT_EQ(marketing->items.size(), 1u);
  EXPECT_EQ(marketing->items[0].title, "Lead rejected: First Last <ana@client.example>");
}

}  // namespace
}  // namespace tandem::app::apptest
