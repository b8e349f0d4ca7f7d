// Elapsed time, not the calendar's: a Clock whose Instants count from an arbitrary start and
// never jump (the system's steady clock). For leases and timeouts, which must not move when the
// calendar clock is set (or, in tests, a clock file is rewritten); only differences between its
// Instants mean anything.
#pragma once

#include <chrono>

#include "base/clock.hpp"

namespace tandem::base {

class SteadyClock final : public Clock {
 public:
  core::Instant Now() const override {
    return core::FromMillis(std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now().time_since_epoch())
                                .count());
  }
};

}  // namespace tandem::base
