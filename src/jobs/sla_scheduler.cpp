#include "jobs/sla_scheduler.hpp"

#include <algorithm>
#include <unordered_set>

namespace tandem::jobs {

core::Result<std::size_t> SlaScheduler::Rebuild() {
  {
    // Listening first, reading second: a due time committed after the read is not lost.
    std::lock_guard lock(mu_);
    active_ = true;
    heap_.clear();
  }
  TANDEM_TRY(Resync());
  return Pending();
}

core::Result<std::size_t> SlaScheduler::Resync() {
  std::vector<Item> found;
  TANDEM_TRY(handoff_.ForEachPending([&](app::DueKind kind, store::DueItem item) {
    found.push_back(Item{core::ToMillis(item.due), item.id, kind});
  }));
  struct Key {
    std::int64_t due_ms;
    core::Id id;
    app::DueKind kind;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const {
      return std::hash<std::int64_t>()(k.due_ms * 31 + k.id * 2 + static_cast<int>(k.kind));
    }
  };
  bool earlier = false;
  std::size_t added = 0;
  {
    std::lock_guard lock(mu_);
    if (!active_) return std::size_t{0};
    std::unordered_set<Key, KeyHash> held;
    held.reserve(heap_.size());
    for (const auto& i : heap_) held.insert(Key{i.due_ms, i.id, i.kind});
    for (const auto& i : found) {
      if (held.contains(Key{i.due_ms, i.id, i.kind})) continue;
      earlier = earlier || heap_.empty() || i.due_ms < heap_.front().due_ms;
      heap_.push_back(i);
      std::push_heap(heap_.begin(), heap_.end(), Later{});
      ++added;
    }
  }
  if (earlier && wake_) wake_();
  return added;
}

void SlaScheduler::Clear() {
  std::lock_guard lock(mu_);
  active_ = false;
  heap_.clear();
}

core::Result<SlaRunStats> SlaScheduler::RunDue() {
  SlaRunStats stats;
  const core::Instant now = clock_.Now();
  const std::int64_t now_ms = core::ToMillis(now);
  for (;;) {
    Item item;
    {
      std::lock_guard lock(mu_);
      if (heap_.empty() || heap_.front().due_ms > now_ms) break;
      std::pop_heap(heap_.begin(), heap_.end(), Later{});
      item = heap_.back();
      heap_.pop_back();
    }
    auto fired = handoff_.Fire(item.kind, item.id, now);
    if (!fired) {
      std::lock_guard lock(mu_);
      heap_.push_back(Item{now_ms + 1000, item.id, item.kind});
      std::push_heap(heap_.begin(), heap_.end(), Later{});
      return core::Fail(fired.error());
    }
    if (*fired) {
      ++stats.fired;
    } else {
      ++stats.stale;
    }
  }
  return stats;
}

std::optional<core::Instant> SlaScheduler::NextDue() const {
  std::lock_guard lock(mu_);
  if (heap_.empty()) return std::nullopt;
  return core::FromMillis(heap_.front().due_ms);
}

std::size_t SlaScheduler::Pending() const {
  std::lock_guard lock(mu_);
  return heap_.size();
}

void SlaScheduler::OnDue(app::DueKind kind, store::DueItem item) {
  bool earlier = false;
  {
    std::lock_guard lock(mu_);
    if (!active_) return;
    const std::int64_t due = core::ToMillis(item.due);
    earlier = heap_.empty() || due < heap_.front().due_ms;
    heap_.push_back(Item{due, item.id, kind});
    std::push_heap(heap_.begin(), heap_.end(), Later{});
  }
  if (earlier && wake_) wake_();
}

}  // namespace tandem::jobs
