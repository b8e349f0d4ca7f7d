// /api/v1/audit: the audit log, newest first (admins and managers; the service checks).
#include "api/dto.hpp"
#include "api/handlers.hpp"

namespace tandem::api {

void AddAuditRoutes(RouteTable& t, const Deps& d) {
  app::AuditService& svc = d.services.audit;
  std::vector<Field> params = {
      TextField("entity", "contact, company, deal, activity, user, team, api_key"),
      IdField("entity_id", ""), IdField("actor_user_id", "")};
  for (auto& p : PageParams()) params.push_back(std::move(p));

  t.Add({.method = "GET",
         .pattern = "/api/v1/audit",
         .operation_id = "listAudit",
         .summary = "Who changed what, newest first, with each field before and after",
         .tag = "audit",
         .query = std::move(params),
         .reply = {.schema = "AuditEntry", .list = true},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           core::AuditQuery q;
           q.entity = c.query.OptText("entity");
           q.entity_id = c.query.Id("entity_id");
           q.actor_user_id = c.query.Id("actor_user_id");
           TANDEM_ASSIGN(q.page, PageFrom(c.query, "audit"));
           TANDEM_ASSIGN(auto page, svc.List(c.principal(), q));
           return PageReply(page, "audit", AuditEntryJson);
         }});
}

}  // namespace tandem::api
