#include "jobs/sla_scheduler.hpp"

#include <gtest/gtest.h>

#include "app/handoff_fixture.hpp"

namespace tandem::jobs {
namespace {

using app::apptest::HandoffContract;
using app::apptest::HandoffTest;
using core::SlaObligation;
using core::SlaState;
using namespace std::chrono_literals;

core::Instant Utc(const char* text) {
  return *core::ParseInstant(text);
}

class SlaSchedulerTest : public HandoffTest {
 protected:
  void SetUp() override {
    HandoffTest::SetUp();
    SalesTeam();
    Activate(HandoffContract());
  }
  void TearDown() override { svc().handoff.SetDueListener(nullptr); }

  // A scheduler rebuilt from the database and listening to new due times.
  std::unique_ptr<SlaScheduler> Start() {
    auto s = std::make_unique<SlaScheduler>(svc().handoff, clock_);
    auto n = s->Rebuild();
    EXPECT_TRUE(n) << n.error().message;
    svc().handoff.SetDueListener(s.get());
    return s;
  }

  SlaRunStats Run(SlaScheduler& s) {
    auto r = s.RunDue();
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(SlaRunStats{});
  }
};

TEST_F(SlaSchedulerTest, AFirstTouchDeletedReopensItsClockAndItBreachesWhenDue) {
  auto sched = Start();
  auto c = Mql("ana@client.example");
  clock_.Advance(1h);
  core::Activity call;
  call.type = core::ActivityType::kCall;
  call.contact_id = c.id;
  call.occurred_at = clock_.Now();
  auto logged = svc().activities.Create(rep1(), call);
  ASSERT_TRUE(logged) << logged.error().message;
  EXPECT_EQ(ClockOf(ViewOf(c.id), SlaObligation::kFirstTouch)->state(), SlaState::kMet);
  ASSERT_TRUE(svc().activities.Delete(rep1(), logged->id));
  EXPECT_EQ(ClockOf(ViewOf(c.id), SlaObligation::kFirstTouch)->state(), SlaState::kOpen);
  const auto due = Utc("2026-11-30T11:30:00Z");  // Monday 12:30 in Paris
  clock_.Set(due);
  EXPECT_GE(Run(*sched).fired, 1);
  const auto* first = ClockOf(ViewOf(c.id), SlaObligation::kFirstTouch);
  EXPECT_EQ(first->state(), SlaState::kBreached);
  EXPECT_EQ(first->breached_at, due);
}

TEST_F(SlaSchedulerTest, BreachesExactlyAtTheDueTimeAndRunsTheEscalationChain) {
  auto sched = Start();
  auto c = Mql("ana@client.example");
  ASSERT_EQ(c.owner_id, rep1_.id);
  EXPECT_EQ(sched->Pending(), 3u);
  const auto due = Utc("2026-11-30T11:30:00Z");  // Monday 12:30 in Paris
  EXPECT_EQ(sched->NextDue(), due);

  clock_.Set(due - 1ms);
  EXPECT_EQ(Run(*sched).fired, 0);
  EXPECT_EQ(ClockOf(ViewOf(c.id), SlaObligation::kFirstTouch)->state(), SlaState::kOpen);

  clock_.Set(due);
  auto ran = Run(*sched);
  EXPECT_EQ(ran.fired, 2);  // the breach, and the chain's first step (notify owner, after 0 h)
  auto v = ViewOf(c.id);
  const auto* first = ClockOf(v, SlaObligation::kFirstTouch);
  EXPECT_EQ(first->state(), SlaState::kBreached);
  EXPECT_EQ(first->breached_at, due);
  ASSERT_EQ(v.escalations.size(), 3u);
  EXPECT_EQ(v.escalations[0].action, core::EscalationAction::kNotifyOwner);
  EXPECT_EQ(v.escalations[0].done_at, due);
  EXPECT_EQ(v.escalations[0].outcome, "notified owner rep1@acme.example");
  // Reassign 4 business hours after the breach (16:30 Paris), notify the manager after 8
  // (Tuesday 11:30 Paris).
  const auto reassign_at = Utc("2026-11-30T15:30:00Z");
  const auto manager_at = Utc("2026-12-01T10:30:00Z");
  EXPECT_EQ(v.escalations[1].due_at, reassign_at);
  EXPECT_FALSE(v.escalations[1].done_at);
  EXPECT_EQ(v.escalations[2].due_at, manager_at);
  EXPECT_EQ(sched->NextDue(), reassign_at);

  clock_.Set(reassign_at);
  EXPECT_EQ(Run(*sched).fired, 1);
  EXPECT_EQ(GetContact(c.id).owner_id, rep2_.id);
  v = ViewOf(c.id);
  ASSERT_EQ(v.assignments.size(), 2u);
  EXPECT_EQ(v.assignments[0].owner_id, rep2_.id);
  EXPECT_EQ(v.assignments[0].status, core::AssignmentStatus::kOpen);
  EXPECT_EQ(v.assignments[0].qualified_at, reassign_at);
  EXPECT_EQ(v.assignments[1].status, core::AssignmentStatus::kReassigned);
  EXPECT_EQ(v.assignments[1].reason, "escalation: first_touch breached");
  EXPECT_EQ(v.escalations[1].outcome,
            "reassigned from rep1@acme.example to rep2@acme.example (round_robin)");
  // The first owner's other clocks stop; the new owner's start now.
  EXPECT_EQ(ClockOf(v, SlaObligation::kDisposition, v.assignments[1].id)->state(),
            SlaState::kCancelled);
  const auto* fresh = ClockOf(v, SlaObligation::kFirstTouch, v.assignments[0].id);
  ASSERT_NE(fresh, nullptr);
  EXPECT_EQ(fresh->owner_id, rep2_.id);
  EXPECT_EQ(fresh->started_at, reassign_at);
  ASSERT_TRUE(Log(rep2(), c.id, core::ActivityType::kCall, reassign_at + 10min));

  clock_.Set(manager_at);
  EXPECT_EQ(Run(*sched).fired, 1);
  v = ViewOf(c.id);
  EXPECT_EQ(v.escalations[2].outcome,
            "notified manager manager@acme.example of owner rep1@acme.example");
  EXPECT_EQ(notifier_.Types(),
            (std::vector<std::string>{"lead.assigned", "sla.breached", "sla.escalated",
                                      "lead.assigned", "sla.escalated", "sla.escalated"}));
  EXPECT_EQ(notifier_.events[5].recipient_id, manager_.id);
}

TEST_F(SlaSchedulerTest, RebuildsOnlyOpenClocksFromTheDatabaseAtStart) {
  // Clocks stored while no scheduler runs (a CLI, or a server that stopped).
  auto a = Mql("a@client.example");
  clock_.Advance(1h);
  auto b = Mql("b@client.example");
  ASSERT_TRUE(Log(rep1(), a.id, core::ActivityType::kCall, clock_.Now()));  // a's first touch
  auto sched = Start();
  EXPECT_EQ(sched->Pending(), 5u);  // 3 + 3 clocks, less a's met first touch
  // Friday 18:30 Paris + 4 business hours = Monday 13:00 Paris.
  const auto b_due = Utc("2026-11-30T12:00:00Z");
  EXPECT_EQ(sched->NextDue(), b_due);
  // The server comes back long after: the breach is still recorded at the due time.
  clock_.Set(b_due + 30min);
  auto ran = Run(*sched);
  EXPECT_EQ(ran.fired, 2);  // b's breach and its notify-owner step
  EXPECT_EQ(ran.stale, 0);
  EXPECT_EQ(ClockOf(ViewOf(b.id), SlaObligation::kFirstTouch)->breached_at, b_due);
  EXPECT_EQ(ClockOf(ViewOf(a.id), SlaObligation::kFirstTouch)->state(), SlaState::kMet);
  // A second start sees the steps still pending too.
  auto again = Start();
  EXPECT_EQ(again->Pending(), sched->Pending());
}

TEST_F(SlaSchedulerTest, AClockMetBeforeItsDueTimeIsStaleNotBreached) {
  auto sched = Start();
  auto c = Mql("ana@client.example");
  ASSERT_TRUE(Log(rep1(), c.id, core::ActivityType::kEmail, clock_.Now() + 1min));
  clock_.Set(Utc("2026-11-30T11:30:00Z"));
  auto ran = Run(*sched);
  EXPECT_EQ(ran.fired, 0);
  EXPECT_EQ(ran.stale, 1);
  auto v = ViewOf(c.id);
  EXPECT_EQ(ClockOf(v, SlaObligation::kFirstTouch)->state(), SlaState::kMet);
  EXPECT_TRUE(v.escalations.empty());
}

TEST_F(SlaSchedulerTest, AnAcceptedLeadsDispositionNeverBreaches) {
  auto sched = Start();
  auto c = Mql("ana@client.example");
  ASSERT_TRUE(svc().handoff.Accept(rep1(), c.id));
  clock_.Set(Utc("2026-12-01T17:00:00Z"));  // the disposition's due time
  Run(*sched);
  EXPECT_EQ(ClockOf(ViewOf(c.id), SlaObligation::kDisposition)->state(), SlaState::kMet);
}

TEST_F(SlaSchedulerTest, WakesWhenAnEarlierItemArrives) {
  auto sched = Start();
  int woken = 0;
  sched->SetWake([&] { ++woken; });
  Mql("a@client.example");
  EXPECT_EQ(woken, 1);  // the first item is earlier than an empty heap
  Mql("b@client.example");
  EXPECT_EQ(woken, 1);  // the same due times: nothing earlier
}

}  // namespace
}  // namespace tandem::jobs

namespace tandem::jobs {
namespace {

// Several servers on one database (jobs/leader.hpp): the leader's heap learns of clocks another
// server stored by Resync, which adds what it lacks and keeps what it holds; a follower's heap
// (cleared) takes nothing until it is rebuilt on taking over.
class SlaSchedulerSharedTest : public SlaSchedulerTest {};

TEST_F(SlaSchedulerSharedTest, ResyncAddsClocksAnotherServerStoredOnceAndKeepsItsOwn) {
  auto leader = Start();
  auto own = Mql("own@client.example");
  EXPECT_EQ(leader->Pending(), 3u);
  // Another server's handoff: its clocks reach the database, not this heap.
  svc().handoff.SetDueListener(nullptr);
  auto other = Mql("other@client.example");
  svc().handoff.SetDueListener(leader.get());
  EXPECT_EQ(leader->Pending(), 3u);
  auto added = leader->Resync();
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(*added, 3u);
  EXPECT_EQ(leader->Pending(), 6u);
  added = leader->Resync();
  ASSERT_TRUE(added);
  EXPECT_EQ(*added, 0u) << "what the heap holds is not added twice";
  // Both leads' first touches breach at their due time, once each.
  clock_.Set(Utc("2026-11-30T11:30:00Z"));
  EXPECT_EQ(Run(*leader).fired, 4);  // two breaches and their notify-owner steps
  EXPECT_EQ(ClockOf(ViewOf(own.id), SlaObligation::kFirstTouch)->state(), SlaState::kBreached);
  EXPECT_EQ(ClockOf(ViewOf(other.id), SlaObligation::kFirstTouch)->state(), SlaState::kBreached);
  EXPECT_EQ(Run(*leader).fired, 0);
}

TEST_F(SlaSchedulerSharedTest, AClearedHeapTakesNothingUntilRebuiltOnTakingOver) {
  auto sched = Start();
  sched->Clear();
  auto c = Mql("follower@client.example");
  EXPECT_EQ(sched->Pending(), 0u) << "a follower holds no clock";
  auto added = sched->Resync();
  ASSERT_TRUE(added);
  EXPECT_EQ(*added, 0u);
  auto n = sched->Rebuild();
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, 3u);
  auto d = Mql("leader@client.example");
  EXPECT_EQ(sched->Pending(), 6u) << "once leading, new due times arrive again";
  clock_.Set(Utc("2026-11-30T11:30:00Z"));
  EXPECT_EQ(Run(*sched).fired, 4);
  EXPECT_EQ(ClockOf(ViewOf(c.id), SlaObligation::kFirstTouch)->state(), SlaState::kBreached);
  EXPECT_EQ(ClockOf(ViewOf(d.id), SlaObligation::kFirstTouch)->state(), SlaState::kBreached);
}

}  // namespace
}  // namespace tandem::jobs
