#include "jobs/sla_scheduler.hpp"

#include <algorithm>

namespace tandem::jobs {

core::Result<std::size_t> SlaScheduler::Rebuild() {
  std::vector<Item> items;
  TANDEM_TRY(handoff_.ForEachPending([&](app::DueKind kind, store::DueItem item) {
    items.push_back(Item{core::ToMillis(item.due), item.id, kind});
  }));
  std::make_heap(items.begin(), items.end(), Later{});
  std::lock_guard lock(mu_);
  heap_ = std::move(items);
  return heap_.size();
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
    const std::int64_t due = core::ToMillis(item.due);
    earlier = heap_.empty() || due < heap_.front().due_ms;
    heap_.push_back(Item{due, item.id, kind});
    std::push_heap(heap_.begin(), heap_.end(), Later{});
  }
  if (earlier && wake_) wake_();
}

}  // namespace tandem::jobs
