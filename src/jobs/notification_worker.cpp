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

core::Result<int> NotificationWorker::SendPass(core::Instant now) {
  while (true) {
    TANDEM_ASSIGN(int handled, dispatcher_.DispatchPending());
    if (handled == 0) break;
  }
  TANDEM_ASSIGN(auto sent, deliveries_.SendDue(now));
  const int n = static_cast<int>(sent.size());
  if (n > 0) {
    {
      std::lock_guard lock(mu_);
      to_record_.push_back(std::move(sent));
    }
    record_cv_.notify_all();
  }
  return n;
}

void NotificationWorker::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  recorder_stop_ = false;
  recorder_ = std::thread([this] { RecordLoop(); });
  thread_ = std::thread([this] { Loop(); });
}

void NotificationWorker::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  // The sender has stopped: record what it sent, then stop the recorder.
  {
    std::lock_guard lock(mu_);
    recorder_stop_ = true;
  }
  record_cv_.notify_all();
  if (recorder_.joinable()) recorder_.join();
}

void NotificationWorker::RecordLoop() {
  pthread_setname_np(pthread_self(), "tandem-notify-rec");
  while (true) {
    std::vector<std::vector<core::Delivery>> batches;
    {
      std::unique_lock lock(mu_);
      record_cv_.wait(lock, [this] { return recorder_stop_ || !to_record_.empty(); });
      if (to_record_.empty()) return;  // stopping, nothing left
      batches.swap(to_record_);
    }
    for (const auto& batch : batches) {
      // A failed write leaves the deliveries pending in the store: they are sent again.
      (void)deliveries_.Record(batch);
    }
    Wake();  // the sender may have been waiting for these to be recorded
  }
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
    if (may_send_ && !may_send_()) {
      // Another server leads: it sends. Ask again after a poll (or a Wake).
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, wait, [this] { return stop_ || woken_; });
      woken_ = false;
      continue;
    }
    auto sent = SendPass(clock_.Now());
    if (!sent) {
      wait = std::chrono::seconds(1);  // the store is away: try again shortly
    } else if (*sent > 0) {
      wait = std::chrono::milliseconds(0);  // a full batch may have left more due now
    } else if (deliveries_.Unrecorded() > 0) {
      // Sent deliveries still look due in the store until recorded: wait for the recorder's
      // Wake (or a new message's) instead of reading them again and again.
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
