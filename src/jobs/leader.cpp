#include "jobs/leader.hpp"

#include <pthread.h>

#include <algorithm>

namespace tandem::jobs {

LeaderElector::LeaderElector(store::LeaderLock* lock, const base::Clock& clock,
                             LeaderSettings settings)
    : lock_(lock), clock_(clock), settings_(settings) {}

LeaderElector::~LeaderElector() {
  Stop();
}

bool LeaderElector::Check() {
  const bool was = Leading();
  std::optional<core::Error> why;
  if (lock_ == nullptr) {
    held_ = true;
  } else {
    auto held = lock_->Hold();
    if (held) {
      held_ = *held;
    } else {
      held_ = false;
      why = held.error();
    }
  }
  if (held_) {
    if (!was) terms_.fetch_add(1);
    const auto lease = settings_.check * std::max(1, settings_.lease_checks);
    lease_end_ms_.store(core::ToMillis(clock_.Now()) + lease.count());
  } else {
    lease_end_ms_.store(0);
  }
  const bool now_leading = held_;
  if (now_leading != was && on_change_) on_change_(now_leading, why ? &*why : nullptr);
  return now_leading;
}

bool LeaderElector::Leading() const {
  if (lock_ == nullptr) return true;
  const std::int64_t end = lease_end_ms_.load();
  return end != 0 && core::ToMillis(clock_.Now()) < end;
}

void LeaderElector::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void LeaderElector::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  lease_end_ms_.store(0);
  if (lock_ != nullptr && held_) lock_->Release();
  held_ = false;
}

void LeaderElector::Loop() {
  pthread_setname_np(pthread_self(), "tandem-leader");
  while (true) {
    {
      std::unique_lock lock(mu_);
      // Real time between checks: the lease is counted on the steady clock.
      cv_.wait_for(lock, settings_.check, [this] { return stop_; });
      if (stop_) return;
    }
    Check();
  }
}

}  // namespace tandem::jobs
