#include "jobs/scheduler.hpp"

namespace tandem::jobs {

void Scheduler::Schedule(core::Instant due, std::string name, Job job) {
  std::lock_guard lock(mu_);
  heap_.push(Entry{due, next_seq_++, std::move(name), std::move(job)});
}

int Scheduler::RunDue(core::Instant now) {
  int ran = 0;
  for (;;) {
    Entry e;
    {
      std::lock_guard lock(mu_);
      if (heap_.empty() || heap_.top().due > now) break;
      e = heap_.top();
      heap_.pop();
    }
    e.job(now);
    ++ran;
  }
  return ran;
}

std::optional<core::Instant> Scheduler::NextDue() const {
  std::lock_guard lock(mu_);
  if (heap_.empty()) return std::nullopt;
  return heap_.top().due;
}

std::size_t Scheduler::Pending() const {
  std::lock_guard lock(mu_);
  return heap_.size();
}

void Scheduler::Clear() {
  std::lock_guard lock(mu_);
  heap_ = {};
}

}  // namespace tandem::jobs
