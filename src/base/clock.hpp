// Time as the rest of Tandem sees it. Everything outside the core reads time through a Clock
// it was given; tests give a FakeClock and move it by hand.
#pragma once

#include <atomic>
#include <chrono>

#include "core/time.hpp"

namespace tandem::base {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual core::Instant Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  core::Instant Now() const override {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now());
  }
};

// Thread-safe: tests may read it from server threads while the test body advances it.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(core::Instant start) : ms_(core::ToMillis(start)) {}
  core::Instant Now() const override { return core::FromMillis(ms_.load()); }
  void Set(core::Instant t) { ms_.store(core::ToMillis(t)); }
  void Advance(std::chrono::milliseconds d) { ms_.fetch_add(d.count()); }

 private:
  std::atomic<std::int64_t> ms_;
};

}  // namespace tandem::base
