// The SLA clock scheduler: acts on SLA clocks and escalation steps exactly at their due times.
//
// It keeps a min-heap of (due time, kind, id) — 24 bytes per item, not a job object — holding
// every open clock and every pending escalation step. `Rebuild` fills it from the store at
// start-up by walking the two partial indexes of open clocks and pending steps in due order
// (it reads no closed clock and no clock row). `RunDue` pops only what is due at the injected
// clock's `Now()` and asks `app::HandoffService::Fire` to act on each item; nothing that is not
// due is looked at. New due times arrive through `OnDue` (the handoff service calls it as it
// stores clocks and steps); the database stays the truth: an item whose row was met,
// cancelled or rolled back meanwhile is popped and found stale, which costs one row read.
//
// The server's scheduler thread calls `RunDue()` and sleeps until `NextDue()`; `SetWake`
// gives it a way to be woken when a new item is due before what it waits for. Tests drive it
// with a base::FakeClock and never sleep.
// Thread-safety: all methods may be called from any thread; items run on RunDue's caller.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "app/handoff.hpp"
#include "base/clock.hpp"

namespace tandem::jobs {

struct SlaRunStats {
  int fired = 0;  // items that changed something (a breach, an escalation step)
  int stale = 0;  // items found already met, cancelled or gone
};

class SlaScheduler final : public app::SlaDueListener {
 public:
  SlaScheduler(app::HandoffService& handoff, const base::Clock& clock)
      : handoff_(handoff), clock_(clock) {}

  // Replaces the heap with every open clock and pending escalation step of the store (due
  // times arriving meanwhile through OnDue are kept). Returns how many items it holds.
  core::Result<std::size_t> Rebuild();
  // Adds the store's open clocks and pending steps the heap does not hold yet (those stored by
  // other server processes on a shared database; docs/postgres.md, "Several app servers"),
  // keeping what it holds. Returns how many were added.
  core::Result<std::size_t> Resync();
  // Empties the heap and ignores due times until the next Rebuild (a server that stops leading
  // leaves the clocks to the new leader, and a follower holds none).
  void Clear();
  // Acts on every item due at or before the clock's now. On a store error the item is put
  // back one second later and the error is returned (what ran before it stays done).
  core::Result<SlaRunStats> RunDue();
  std::optional<core::Instant> NextDue() const;
  std::size_t Pending() const;
  // Called when an item is added that is due before the current head.
  void SetWake(std::function<void()> wake) { wake_ = std::move(wake); }

  void OnDue(app::DueKind kind, store::DueItem item) override;

 private:
  struct Item {
    std::int64_t due_ms;
    core::Id id;
    app::DueKind kind;
  };
  struct Later {
    bool operator()(const Item& a, const Item& b) const {
      if (a.due_ms != b.due_ms) return a.due_ms > b.due_ms;
      if (a.kind != b.kind) return a.kind > b.kind;  // a breach before its escalations
      return a.id > b.id;
    }
  };

  app::HandoffService& handoff_;
  const base::Clock& clock_;
  std::function<void()> wake_;
  mutable std::mutex mu_;
  std::vector<Item> heap_;  // a min-heap under Later, guarded by mu_
  bool active_ = true;      // OnDue adds to the heap; false after Clear; guarded by mu_
};

}  // namespace tandem::jobs
