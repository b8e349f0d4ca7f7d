#include "base/clock.hpp"

#include <gtest/gtest.h>

namespace tandem::base {
namespace {

using namespace std::chrono_literals;

const core::Instant kStart = core::FromMillis(1'790'000'000'000);

TEST(FakeClockTest, StartsWhereItIsTold) {
  FakeClock clock(kStart);
  EXPECT_EQ(clock.Now(), kStart);
  EXPECT_EQ(clock.Now(), kStart);  // it does not move by itself
}

TEST(FakeClockTest, AdvancesByHand) {
  FakeClock clock(kStart);
  clock.Advance(1500ms);
  EXPECT_EQ(clock.Now(), kStart + 1500ms);
  clock.Advance(12h);
  EXPECT_EQ(clock.Now(), kStart + 12h + 1500ms);
  clock.Advance(0ms);
  EXPECT_EQ(clock.Now(), kStart + 12h + 1500ms);
}

TEST(FakeClockTest, CanBeSetAnywhereIncludingBackwards) {
  FakeClock clock(kStart);
  clock.Set(core::FromMillis(0));
  EXPECT_EQ(core::ToMillis(clock.Now()), 0);
  clock.Advance(-1ms);
  EXPECT_EQ(core::ToMillis(clock.Now()), -1);
  clock.Set(kStart);
  EXPECT_EQ(clock.Now(), kStart);
}

TEST(FakeClockTest, IsUsableThroughTheClockInterface) {
  FakeClock fake(kStart);
  const Clock& clock = fake;
  fake.Advance(1s);
  EXPECT_EQ(clock.Now(), kStart + 1s);
}

}  // namespace
}  // namespace tandem::base
