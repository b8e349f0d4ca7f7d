// The PostgreSQL leader lock (store/postgres/leader_lock.hpp): one holder per database at a time,
// handed over when the holder lets go or its session ends.
#include <gtest/gtest.h>

#include "store/leadership.hpp"
#include "support/pg_test_db.hpp"

namespace tandem::store::postgres {
namespace {

using testdb::Admin;
using testdb::NewStore;
using testdb::NoServerReason;

class LeaderLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto reason = NoServerReason(); !reason.empty()) GTEST_SKIP() << reason;
    store_ = NewStore(2);
    ASSERT_NE(store_, nullptr);
    ASSERT_NE(SharedOf(*store_), nullptr) << "a PostgreSQL store can be shared";
  }

  std::unique_ptr<LeaderLock> Lock() {
    auto lock = SharedOf(*store_)->OpenLeaderLock();
    EXPECT_TRUE(lock) << lock.error().message;
    return lock ? std::move(*lock) : nullptr;
  }

  static bool Holds(LeaderLock& lock) {
    auto held = lock.Hold();
    EXPECT_TRUE(held) << held.error().message;
    return held.value_or(false);
  }

  // Ends the sessions of the leader locks on the test database, as an administrator (or a
  // network failure) would; returns how many.
  std::int64_t TerminateLockSessions() {
    auto admin = Admin();
    if (admin == nullptr) return -1;
    auto kill = admin->Prepare(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND "
        "application_name = 'tandem leader lock'");
    EXPECT_TRUE(kill);
    if (!kill) return -1;
    kill->Bind(store_->database());
    EXPECT_TRUE(kill->Step().value_or(false));
    return kill->Int(0);
  }

  std::unique_ptr<testdb::ScratchStore> store_;
};

TEST_F(LeaderLockTest, OneHolderAtATimeAndTheOtherTakesOverOnRelease) {
  auto a = Lock(), b = Lock();
  ASSERT_TRUE(a && b);
  EXPECT_TRUE(Holds(*a));
  EXPECT_FALSE(Holds(*b));
  EXPECT_TRUE(Holds(*a)) << "the holder confirms it holds it, again and again";
  EXPECT_FALSE(Holds(*b));
  a->Release();
  a->Release();  // idempotent
  EXPECT_TRUE(Holds(*b));
  EXPECT_FALSE(Holds(*a));
}

TEST_F(LeaderLockTest, ALockDestroyedWithItsProcessIsTakenOver) {
  auto b = Lock();
  ASSERT_NE(b, nullptr);
  {
    auto a = Lock();
    ASSERT_NE(a, nullptr);
    EXPECT_TRUE(Holds(*a));
    EXPECT_FALSE(Holds(*b));
  }
  EXPECT_TRUE(Holds(*b));
}

TEST_F(LeaderLockTest, ALostSessionIsAnErrorThenTheLockIsAskedForAfresh) {
  auto a = Lock(), b = Lock();
  ASSERT_TRUE(a && b);
  EXPECT_TRUE(Holds(*a));
  EXPECT_FALSE(Holds(*b));
  EXPECT_EQ(TerminateLockSessions(), 2);
  // The holder learns that its session (and the lock with it) is gone: not "still held".
  auto lost = a->Hold();
  ASSERT_FALSE(lost);
  EXPECT_EQ(lost.error().code, core::ErrorCode::kUnavailable) << lost.error().message;
  // The other one reconnects and takes it; the first, reconnected, is told another holds it.
  auto b_after = b->Hold();
  if (!b_after) b_after = b->Hold();  // its own session was ended too: the first call says so
  ASSERT_TRUE(b_after) << b_after.error().message;
  EXPECT_TRUE(*b_after);
  EXPECT_FALSE(Holds(*a));
}

}  // namespace
}  // namespace tandem::store::postgres
