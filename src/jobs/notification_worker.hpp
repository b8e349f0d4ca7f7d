// The server's notification thread: fans the outbox out and sends what is due.
//
// One thread, owned by this object (started by Start, joined by Stop or the destructor), loops:
// dispatch every pending outbox message (app::NotificationDispatcher; usually none left, the
// handoff fans out in its own transaction), send the deliveries due now
// (DeliveryWorker::SendDue), then wait until the next delivery is due, a Wake() call, or `poll`
// at most (new outbox messages are found by the next pass; services need not wake it).
// A second thread records the sent batches' outcomes (DeliveryWorker::Record): the store has
// one writer, busy with ingest's group commits under load, and a POST must not wait for it.
// Stop records what was sent before returning.
// Tests do not start the thread: they call Pass(now) and move a FakeClock.
// Thread-safety: Start/Stop from one thread; Wake from any.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "app/notifications.hpp"
#include "base/clock.hpp"
#include "jobs/delivery.hpp"

namespace tandem::jobs {

class NotificationWorker {
 public:
  NotificationWorker(app::NotificationDispatcher& dispatcher, DeliveryWorker& deliveries,
                     const base::Clock& clock,
                     std::chrono::milliseconds poll = std::chrono::milliseconds(200))
      : dispatcher_(dispatcher), deliveries_(deliveries), clock_(clock), poll_(poll) {}
  ~NotificationWorker() { Stop(); }
  NotificationWorker(const NotificationWorker&) = delete;
  NotificationWorker& operator=(const NotificationWorker&) = delete;

  // One pass at `now`: dispatch everything pending, send what is due. Returns the number of
  // deliveries attempted; errors are logged by the caller's loop and retried next pass.
  core::Result<int> Pass(core::Instant now);

  // The thread sends only while `may_send()` answers true (the server gives its leader
  // elector's Leading: on a shared database only the leader delivers, jobs/leader.hpp); it
  // asks again every `poll`. Set before Start.
  void SetGate(std::function<bool()> may_send) { may_send_ = std::move(may_send); }

  void Start();
  void Stop();
  void Wake();

 private:
  void Loop();
  void RecordLoop();
  core::Result<int> SendPass(core::Instant now);

  app::NotificationDispatcher& dispatcher_;
  DeliveryWorker& deliveries_;
  const base::Clock& clock_;
  std::chrono::milliseconds poll_;
  std::function<bool()> may_send_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool woken_ = false;
  std::thread thread_;
  // Sent batches waiting for RecordLoop; guarded by mu_.
  std::vector<std::vector<core::Delivery>> to_record_;
  bool recorder_stop_ = false;  // guarded by mu_
  std::condition_variable record_cv_;
  std::thread recorder_;
};

}  // namespace tandem::jobs
