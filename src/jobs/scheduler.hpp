// The scheduler: timers ordered by due time, run when a Clock says they are due.
//
// Jobs sit in a min-heap keyed by due instant (then by insertion order, so equal times run in
// the order they were scheduled). `RunDue(now)` pops and runs every job due at or before
// `now`; a job may schedule further jobs (periodic work re-schedules itself). Nothing here
// sleeps or reads a clock: the server's timer thread calls `RunDue(clock.Now())` and waits
// until `NextDue()`; tests call `RunDue` with a fake clock's time.
// Thread-safety: all methods may be called from any thread; jobs run on the caller's thread,
// outside the lock.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace tandem::jobs {

class Scheduler {
 public:
  using Job = std::function<void(core::Instant now)>;

  void Schedule(core::Instant due, std::string name, Job job);
  // Runs every job due at or before `now`; returns how many ran.
  int RunDue(core::Instant now);
  std::optional<core::Instant> NextDue() const;
  std::size_t Pending() const;
  // Drops every job (a server that stops leading leaves the periodic work to the new leader).
  void Clear();

 private:
  struct Entry {
    core::Instant due;
    std::uint64_t seq;
    std::string name;
    Job job;
  };
  struct Later {
    bool operator()(const Entry& a, const Entry& b) const {
      return a.due != b.due ? a.due > b.due : a.seq > b.seq;
    }
  };
  mutable std::mutex mu_;
  std::priority_queue<Entry, std::vector<Entry>, Later> heap_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace tandem::jobs
