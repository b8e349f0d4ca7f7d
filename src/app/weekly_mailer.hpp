// Scheduled delivery of the weekly pack (docs/analytics.md, "Scheduled delivery"): every Monday
// at 08:00 in the company's time zone, the previous ISO week's pack goes by email to both
// teams, exactly once per week, even across restarts.
//
//  * Due: the pack of week W is due at Monday 08:00 local of week W+1, in the zone of the
//    default calendar of the contract version in force then. No contract in force: nothing is
//    due (no zone, no teams); nor is a week that ended before the first contract version took
//    effect.
//  * Recipients: the active users of the contract's party teams (marketing and sales, heads
//    and members) and the parties' heads, each once, by user id.
//  * The mail: an `email` delivery per recipient through the outbox and SMTP path
//    (docs/notifications.md), event type `report.weekly`, subject "Weekly smarketing pack
//    2026-W48: <summary>", the pack's HTML as the body (sent as text/html); the CSV is linked,
//    not attached: the body links to `<public_url>/api/v1/reports/weekly?week=...&format=csv`
//    and `...&format=pdf` and to the dashboard page, for the recipient's own session (the
//    SLA rows are then the ones they may see), and gives the `tandem report weekly` command.
//  * Exactly once: the last week sent is recorded in the outbox cursors (consumer
//    `weekly_pack`, position = ISO year x 100 + week, e.g. 202648) in the same transaction as
//    the outbox message and the deliveries, after re-reading it there: a second run, a second
//    server process or a restart finds the week recorded and sends nothing. The pack itself is
//    built (read-only) before that transaction.
//  * Only the latest due week is sent: after an outage spanning several Mondays the missed
//    older packs are not sent one after the other (they stay available on demand).
//  * Email off (no SMTP configured): nothing is sent and nothing is recorded, so the first
//    Monday after email is configured sends that week's pack.
// Thread-safety: RunDue may run on several threads or processes; the transaction decides.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "app/contracts.hpp"
#include "app/weekly_report.hpp"
#include "base/clock.hpp"
#include "store/store.hpp"

namespace tandem::app {

inline constexpr std::string_view kWeeklyPackEvent = "report.weekly";
inline constexpr std::string_view kWeeklyPackCursor = "weekly_pack";

struct WeeklyMailerSettings {
  bool email_enabled = false;
  std::string public_url;  // "https://tandem.example.com"; empty: links are paths
};

struct WeeklyMailRun {
  core::IsoWeek week;
  int recipients = 0;
};

class WeeklyMailer {
 public:
  WeeklyMailer(store::Store& store, const base::Clock& clock, WeeklyReportService& reports,
               ContractService& contracts, WeeklyMailerSettings settings = {})
      : store_(store),
        clock_(clock),
        reports_(reports),
        contracts_(contracts),
        settings_(std::move(settings)) {}

  // Sends the latest due week's pack when it has not been sent; nothing when not due, already
  // sent, email is off or no contract is in force.
  core::Result<std::optional<WeeklyMailRun>> RunDue(core::Instant now);

  // The next Monday 08:00 local strictly after `now` (in the zone of the contract in force at
  // `now`; an hour later when none is, to look again).
  core::Result<core::Instant> NextDue(core::Instant now);

  // The Monday 08:00 local of ISO week `w` in `zone` (exposed for tests and docs).
  static core::Instant MondayEight(const date::time_zone* zone, core::IsoWeek w);

 private:
  store::Store& store_;
  const base::Clock& clock_;
  WeeklyReportService& reports_;
  ContractService& contracts_;
  WeeklyMailerSettings settings_;
};

}  // namespace tandem::app
