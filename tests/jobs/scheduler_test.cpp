#include "jobs/scheduler.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tandem::jobs {
namespace {

using namespace std::chrono_literals;

const core::Instant kT0 = core::FromMillis(1'790'000'000'000);

// Records the order jobs ran in, and the `now` each was given.
struct Log {
  std::vector<std::string> ran;
  std::vector<core::Instant> at;
  Scheduler::Job Job(std::string name) {
    return [this, name](core::Instant now) {
      ran.push_back(name);
      at.push_back(now);
    };
  }
};

TEST(SchedulerTest, EmptySchedulerHasNothingDue) {
  Scheduler s;
  EXPECT_EQ(s.Pending(), 0u);
  EXPECT_EQ(s.NextDue(), std::nullopt);
  EXPECT_EQ(s.RunDue(kT0), 0);
}

TEST(SchedulerTest, RunsInDueOrderWhateverTheSchedulingOrder) {
  Scheduler s;
  Log log;
  s.Schedule(kT0 + 3s, "c", log.Job("c"));
  s.Schedule(kT0 + 1s, "a", log.Job("a"));
  s.Schedule(kT0 + 2s, "b", log.Job("b"));
  EXPECT_EQ(s.RunDue(kT0 + 10s), 3);
  EXPECT_EQ(log.ran, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(SchedulerTest, EqualDueTimesRunInInsertionOrder) {
  Scheduler s;
  Log log;
  for (const char* name : {"first", "second", "third", "fourth", "fifth", "sixth"}) {
    s.Schedule(kT0, name, log.Job(name));
  }
  s.Schedule(kT0 - 1ms, "earlier", log.Job("earlier"));
  EXPECT_EQ(s.RunDue(kT0), 7);
  EXPECT_EQ(log.ran, (std::vector<std::string>{"earlier", "first", "second", "third", "fourth",
                                               "fifth", "sixth"}));
}

TEST(SchedulerTest, InsertionOrderHoldsAcrossManyInterleavedJobs) {
  // Enough entries to exercise the heap: ties broken by insertion at every due time.
  Scheduler s;
  Log log;
  std::vector<std::string> want;
  for (int due = 0; due < 5; ++due) {
    for (int k = 0; k < 20; ++k) want.push_back(std::to_string(due) + "." + std::to_string(k));
  }
  for (int k = 0; k < 20; ++k) {
    for (int due = 4; due >= 0; --due) {
      const std::string name = std::to_string(due) + "." + std::to_string(k);
      s.Schedule(kT0 + std::chrono::seconds(due), name, log.Job(name));
    }
  }
  EXPECT_EQ(s.RunDue(kT0 + 5s), 100);
  EXPECT_EQ(log.ran, want);
}

TEST(SchedulerTest, RunDueIncludesJobsDueExactlyNow) {
  Scheduler s;
  Log log;
  s.Schedule(kT0, "due", log.Job("due"));
  s.Schedule(kT0 + 1ms, "later", log.Job("later"));
  EXPECT_EQ(s.RunDue(kT0 - 1ms), 0);
  EXPECT_TRUE(log.ran.empty());
  EXPECT_EQ(s.RunDue(kT0), 1);
  EXPECT_EQ(log.ran, std::vector<std::string>{"due"});
  EXPECT_EQ(s.Pending(), 1u);
  EXPECT_EQ(s.NextDue(), kT0 + 1ms);
  EXPECT_EQ(s.RunDue(kT0 + 1ms), 1);
  EXPECT_EQ(s.Pending(), 0u);
}

TEST(SchedulerTest, JobsReceiveTheNowTheyWereRunWith) {
  Scheduler s;
  Log log;
  s.Schedule(kT0, "late", log.Job("late"));
  s.RunDue(kT0 + 90s);
  ASSERT_EQ(log.at.size(), 1u);
  EXPECT_EQ(log.at[0], kT0 + 90s);
}

TEST(SchedulerTest, EachJobRunsOnce) {
  Scheduler s;
  Log log;
  s.Schedule(kT0, "once", log.Job("once"));
  EXPECT_EQ(s.RunDue(kT0), 1);
  EXPECT_EQ(s.RunDue(kT0 + 1h), 0);
  EXPECT_EQ(log.ran.size(), 1u);
}

TEST(SchedulerTest, NextDueIsTheEarliestPendingJob) {
  Scheduler s;
  s.Schedule(kT0 + 5s, "x", [](core::Instant) {});
  EXPECT_EQ(s.NextDue(), kT0 + 5s);
  s.Schedule(kT0 + 2s, "y", [](core::Instant) {});
  EXPECT_EQ(s.NextDue(), kT0 + 2s);
  s.Schedule(kT0 + 9s, "z", [](core::Instant) {});
  EXPECT_EQ(s.NextDue(), kT0 + 2s);
  EXPECT_EQ(s.Pending(), 3u);
  s.RunDue(kT0 + 2s);
  EXPECT_EQ(s.NextDue(), kT0 + 5s);
}

TEST(SchedulerTest, PeriodicJobReschedulesItselfWithoutRunningTwiceInOnePass) {
  Scheduler s;
  std::vector<core::Instant> runs;
  std::function<void(core::Instant)> tick = [&](core::Instant now) {
    runs.push_back(now);
    s.Schedule(now + 1min, "tick", tick);
  };
  s.Schedule(kT0, "tick", tick);
  EXPECT_EQ(s.RunDue(kT0), 1);
  EXPECT_EQ(s.NextDue(), kT0 + 1min);
  EXPECT_EQ(s.RunDue(kT0 + 30s), 0);
  EXPECT_EQ(s.RunDue(kT0 + 1min), 1);
  EXPECT_EQ(s.NextDue(), kT0 + 2min);
  EXPECT_EQ(runs, (std::vector<core::Instant>{kT0, kT0 + 1min}));
  EXPECT_EQ(s.Pending(), 1u);
}

TEST(SchedulerTest, JobScheduledDueWithinThePassRunsInThatPass) {
  // "every job due at or before now" includes jobs that earlier jobs scheduled.
  Scheduler s;
  Log log;
  s.Schedule(kT0, "parent", [&](core::Instant now) {
    log.ran.push_back("parent");
    s.Schedule(now - 1s, "child-past", log.Job("child-past"));
    s.Schedule(now, "child-now", log.Job("child-now"));
    s.Schedule(now + 1ms, "child-future", log.Job("child-future"));
  });
  s.Schedule(kT0, "sibling", log.Job("sibling"));
  EXPECT_EQ(s.RunDue(kT0), 4);
  // The past child is due before the sibling; the child due now was inserted after it.
  EXPECT_EQ(log.ran, (std::vector<std::string>{"parent", "child-past", "sibling", "child-now"}));
  EXPECT_EQ(s.Pending(), 1u);
  EXPECT_EQ(s.NextDue(), kT0 + 1ms);
}

TEST(SchedulerTest, ClockMovingBackwardsRunsNothingNew) {
  Scheduler s;
  Log log;
  s.Schedule(kT0 + 10s, "x", log.Job("x"));
  EXPECT_EQ(s.RunDue(kT0 + 5s), 0);
  EXPECT_EQ(s.RunDue(kT0), 0);
  EXPECT_EQ(s.Pending(), 1u);
}

}  // namespace
}  // namespace tandem::jobs
