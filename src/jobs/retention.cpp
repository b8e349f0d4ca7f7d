#include "jobs/retention.hpp"

namespace tandem::jobs {

void ScheduleEventRetention(Scheduler& scheduler, app::PrivacyService& privacy, int months,
                            core::Instant due, RetentionReport report) {
  scheduler.Schedule(due, "event_retention",
                     [&scheduler, &privacy, months, report = std::move(report)](core::Instant now) {
                       auto run = privacy.PurgeEventsAsOperator(months, false, "retention");
                       if (report) report(run);
                       ScheduleEventRetention(scheduler, privacy, months, now + kRetentionEvery,
                                              report);
                     });
}

}  // namespace tandem::jobs
