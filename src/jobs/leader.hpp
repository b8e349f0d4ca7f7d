// Leader election among the `tandem serve` processes on one database (docs/postgres.md,
// "Several app servers"): exactly one of them runs the background work at a time, and another
// takes over when it dies.
//
// The elector asks the store's LeaderLock (store/leadership.hpp) every `check`: a follower asks
// for the lock, the leader confirms it still holds it. This process leads while its last check
// found the lock held AND that check is less than a lease (`lease_checks` checks) old: a check
// that hangs (a network gone silent) stops the leading at the lease's end, before the database
// gives the lock to another process (it ends a silent session only after about 10 s; the
// default lease is 3 s). A failed check stops the leading at once: the lock's session may be
// gone already. With no lock (a store that is not shared: SQLite) this process always leads.
//
// The lease is measured on the clock given (the server gives base::SteadyClock, so a calendar
// clock that jumps does not end a lease; tests give a FakeClock). `Check()` is what the thread
// started by `Start` runs; tests call it directly.
// Thread-safety: Leading() from any thread; Check, Start, Stop from one thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "base/clock.hpp"
#include "core/error.hpp"
#include "store/leadership.hpp"

namespace tandem::jobs {

struct LeaderSettings {
  std::chrono::milliseconds check{1000};  // how often the lock is asked for or confirmed
  int lease_checks = 3;                   // leading lapses after this many checks unconfirmed
};

class LeaderElector {
 public:
  // Called on the checking thread after a check that changed whether this process leads (taken
  // or lost), with the error that ended the leading if one did.
  using OnChange = std::function<void(bool leading, const core::Error* why)>;

  // `lock` null: this process always leads. Not owned; must outlive the elector.
  LeaderElector(store::LeaderLock* lock, const base::Clock& clock, LeaderSettings settings);
  ~LeaderElector();
  LeaderElector(const LeaderElector&) = delete;
  LeaderElector& operator=(const LeaderElector&) = delete;

  // One check at the clock's now. Returns whether this process leads after it.
  bool Check();
  // This process leads now: its last check found the lock held, less than a lease ago.
  bool Leading() const;
  // How many times this process took the lock (a first leadership, then every takeover).
  int terms() const { return terms_.load(); }

  // Called after each check that changes whether this process leads. Set before Start.
  void SetOnChange(OnChange on_change) { on_change_ = std::move(on_change); }
  // Checks every `check` on a thread of its own until Stop, which then releases the lock.
  void Start();
  void Stop();

 private:
  void Loop();

  store::LeaderLock* lock_;
  const base::Clock& clock_;
  const LeaderSettings settings_;
  // The end of the lease in the clock's milliseconds; 0 while not leading.
  std::atomic<std::int64_t> lease_end_ms_{0};
  std::atomic<int> terms_{0};
  bool held_ = false;  // what the last check found (the checking thread's)
  OnChange on_change_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace tandem::jobs
