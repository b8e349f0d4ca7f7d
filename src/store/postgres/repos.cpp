#include "store/postgres/repos.hpp"

#include <stdexcept>

namespace tandem::store::postgres {

using core::Error;
using core::Fail;

Result<void> CheckReference(Connection& conn, std::string_view field, const std::optional<Id>& id,
                            std::string_view table, std::string_view what) {
  if (!id) return {};
  TANDEM_ASSIGN(auto stmt, conn.Prepare("SELECT 1 FROM " + std::string(table) + " WHERE id = $1"));
  stmt.Bind(*id);
  TANDEM_ASSIGN(bool found, stmt.Step());
  if (found) return {};
  return Fail(Error::Invalid(std::string(field), std::string(field) + " " + std::to_string(*id) +
                                                     " does not name a " + std::string(what)));
}

Result<void> CheckChanged(const Stmt& stmt, std::string_view what, Id id) {
  if (stmt.Affected() > 0) return {};
  return Fail(Error::NotFound(std::string(what) + " " + std::to_string(id) + " does not exist"));
}

namespace {

[[noreturn]] void NotPorted(const char* repository) {
  throw std::logic_error(std::string("the ") + repository +
                         " repository is not available on PostgreSQL yet (docs/postgres.md)");
}

}  // namespace

ContactRepo& PostgresTx::contacts() {
  NotPorted("contacts");
}
StageHistoryRepo& PostgresTx::stages() {
  NotPorted("stage history");
}
CompanyRepo& PostgresTx::companies() {
  NotPorted("companies");
}
DealRepo& PostgresTx::deals() {
  NotPorted("deals");
}
ActivityRepo& PostgresTx::activities() {
  NotPorted("activities");
}
EventRepo& PostgresTx::events() {
  NotPorted("events");
}
IdentityRepo& PostgresTx::identities() {
  NotPorted("identities");
}
PersonaRepo& PostgresTx::personas() {
  NotPorted("personas");
}
ScoringRepo& PostgresTx::scoring() {
  NotPorted("scoring");
}
AnalyticsRepo& PostgresTx::analytics() {
  NotPorted("analytics");
}
GoalRepo& PostgresTx::goals() {
  NotPorted("goals");
}
HandoffRepo& PostgresTx::handoff() {
  NotPorted("handoff");
}
FormRepo& PostgresTx::forms() {
  NotPorted("forms");
}
WebhookRepo& PostgresTx::webhooks() {
  NotPorted("webhooks");
}
NotificationRepo& PostgresTx::notifications() {
  NotPorted("notifications");
}
FeedbackRepo& PostgresTx::feedback() {
  NotPorted("feedback");
}
SavedViewRepo& PostgresTx::views() {
  NotPorted("views");
}

}  // namespace tandem::store::postgres
