#include "jobs/notification_worker.hpp"

#include <pthread.h>

#include <algorithm>

namespace tandem::jobs {

core::Result<int> NotificationWorker::Pass(core::Instant now) {
  while (true) {
    TANDEM_ASSIGN(int handled, dispatcher_.DispatchPending());
    if (handled == 0) break;
  }
  return deliveries_.RunDue(now);
}

void NotificationWorker::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void NotificationWorker::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void NotificationWorker::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void NotificationWorker::Loop() {
  pthread_setname_np(pthread_self(), "tandem-notify");
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stop_) return;
    }
    auto wait = poll_;
    auto sent = Pass(clock_.Now());
    if (!sent) {
      wait = std::chrono::seconds(1);  // the store is away: try again shortly
    } else if (*sent > 0) {
      wait = std::chrono::milliseconds(0);  // a full batch may have left more due now
    } else if (auto next = deliveries_.NextDue(); next && *next) {
      auto until = std::chrono::duration_cast<std::chrono::milliseconds>(**next - clock_.Now());
      wait = std::clamp(until, std::chrono::milliseconds(0), poll_);
    }
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, wait, [this] { return stop_ || woken_; });
    woken_ = false;
  }
}

}  // namespace tandem::jobs
