// Event retention (docs/privacy.md, "Retention"): with `tandem serve --event-retention-months
// N`, events that occurred more than N calendar months ago are purged once a day, first at the
// server's start. The purge runs in batches of app::kPurgeBatch events per transaction, so the
// writer is never held for long; each run that purged anything is in the audit log (entity
// event_retention, actor system:retention).
#pragma once

#include <functional>

#include "app/privacy.hpp"
#include "jobs/scheduler.hpp"

namespace tandem::jobs {

inline constexpr auto kRetentionEvery = std::chrono::hours(24);

// Told the outcome of each run (the server logs it).
using RetentionReport = std::function<void(const core::Result<app::PurgeResult>& run)>;

// Schedules the purge at `due`, and each run the next one a day later. `months` is 1..1200;
// a failed run is reported and tried again the next day.
void ScheduleEventRetention(Scheduler& scheduler, app::PrivacyService& privacy, int months,
                            core::Instant due, RetentionReport report = {});

}  // namespace tandem::jobs
