// Leader election (jobs/leader.hpp) over a lock whose answers the test chooses; the lease runs on
// a FakeClock. The PostgreSQL lock itself is tested in tests/store_postgres/leader_lock_test.cpp,
// two real servers in tests/crash/leader_crash_test.cpp.
#include "jobs/leader.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace tandem::jobs {
namespace {

using namespace std::chrono_literals;

// A lock held by whoever the test says: Hold answers `free_or_mine` (the lock is free or
// already this process's), or `error` when set; Release is counted.
class ScriptedLock final : public store::LeaderLock {
 public:
  core::Result<bool> Hold() override {
    ++holds;
    if (error) return core::Fail(*error);
    return free_or_mine;
  }
  void Release() override { ++releases; }

  bool free_or_mine = true;
  std::optional<core::Error> error;
  int holds = 0;
  int releases = 0;
};

class LeaderElectorTest : public ::testing::Test {
 protected:
  base::FakeClock clock_{*core::ParseInstant("2026-11-25T09:00:00Z")};
  ScriptedLock lock_;
  LeaderSettings settings_{.check = 1000ms, .lease_checks = 3};
};

TEST_F(LeaderElectorTest, WithoutALockTheOnlyServerAlwaysLeads) {
  LeaderElector elector(nullptr, clock_, settings_);
  EXPECT_TRUE(elector.Leading());
  EXPECT_TRUE(elector.Check());
  clock_.Advance(1h);
  EXPECT_TRUE(elector.Leading()) << "no lease to run out";
}

TEST_F(LeaderElectorTest, LeadsOnlyOnceItHoldsTheLockAndCountsItsTerms) {
  LeaderElector elector(&lock_, clock_, settings_);
  EXPECT_FALSE(elector.Leading()) << "not before its first check";
  lock_.free_or_mine = false;
  EXPECT_FALSE(elector.Check());
  EXPECT_FALSE(elector.Leading());
  EXPECT_EQ(elector.terms(), 0);
  lock_.free_or_mine = true;
  EXPECT_TRUE(elector.Check());
  EXPECT_TRUE(elector.Leading());
  clock_.Advance(1s);
  EXPECT_TRUE(elector.Check());
  EXPECT_EQ(elector.terms(), 1) << "a confirmed lock is the same term";
  lock_.free_or_mine = false;
  EXPECT_FALSE(elector.Check());
  lock_.free_or_mine = true;
  EXPECT_TRUE(elector.Check());
  EXPECT_EQ(elector.terms(), 2);
}

TEST_F(LeaderElectorTest, TheLeaseRunsOutWhenChecksStopConfirmingIt) {
  LeaderElector elector(&lock_, clock_, settings_);
  ASSERT_TRUE(elector.Check());
  clock_.Advance(2999ms);
  EXPECT_TRUE(elector.Leading());
  clock_.Advance(1ms);
  EXPECT_FALSE(elector.Leading()) << "three checks without a confirmation: the lease is over";
  EXPECT_TRUE(elector.Check());
  EXPECT_TRUE(elector.Leading());
  EXPECT_EQ(elector.terms(), 2) << "leading again after a lapse is a new term";
}

TEST_F(LeaderElectorTest, AFailedCheckEndsTheLeadingAtOnceAndSaysWhy) {
  LeaderElector elector(&lock_, clock_, settings_);
  std::vector<std::pair<bool, std::string>> changes;
  elector.SetOnChange([&](bool leading, const core::Error* why) {
    changes.emplace_back(leading, why ? why->message : "");
  });
  ASSERT_TRUE(elector.Check());
  lock_.error = core::Error{core::ErrorCode::kUnavailable, "the session is gone", {}};
  EXPECT_FALSE(elector.Check());
  EXPECT_FALSE(elector.Leading()) << "not leading until the lease's end: another may hold it now";
  EXPECT_FALSE(elector.Check());
  lock_.error.reset();
  EXPECT_TRUE(elector.Check());
  ASSERT_EQ(changes.size(), 3u) << "a change is told once, not at every check";
  EXPECT_EQ(changes[0], std::make_pair(true, std::string()));
  EXPECT_EQ(changes[1], std::make_pair(false, std::string("the session is gone")));
  EXPECT_EQ(changes[2], std::make_pair(true, std::string()));
}

TEST_F(LeaderElectorTest, StoppingReleasesAHeldLockOnlyOnce) {
  {
    LeaderElector elector(&lock_, clock_, settings_);
    ASSERT_TRUE(elector.Check());
    elector.Stop();
    EXPECT_FALSE(elector.Leading());
    EXPECT_EQ(lock_.releases, 1);
  }
  EXPECT_EQ(lock_.releases, 1) << "the destructor's Stop has nothing left to release";
  lock_.free_or_mine = false;
  LeaderElector follower(&lock_, clock_, settings_);
  EXPECT_FALSE(follower.Check());
  follower.Stop();
  EXPECT_EQ(lock_.releases, 1) << "a follower holds nothing to release";
}

}  // namespace
}  // namespace tandem::jobs
