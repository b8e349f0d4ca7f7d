// /api/v1/deals: CRUD and lists. Creating a deal makes its contact an opportunity and winning
// it makes the contact a customer (the service does both in the deal's transaction).
#include "api/dto.hpp"
#include "api/handlers.hpp"

namespace tandem::api {

namespace {

constexpr const char* kBase = "/api/v1/deals";

std::vector<Field> EditableFields(bool patch) {
  return {TextField("title", ""),
          patch ? IdField("contact_id", "null unlinks the contact.").Nullable()
                : IdField("contact_id", "The contact becomes an opportunity."),
          patch ? IdField("company_id", "").Nullable() : IdField("company_id", ""),
          patch ? IdField("owner_id", "").Nullable()
                : IdField("owner_id", "Defaults to the caller for sales reps."),
          MoneyField("amount", "Major units with at most two decimals: 12500.5"),
          TextField("currency", patch ? "ISO 4217." : "ISO 4217; default EUR."),
          EnumField("stage", DealStageNames(),
                    patch ? "won makes the contact a customer; lost needs lost_reason."
                          : "Default open."),
          patch ? DateField("expected_close", "").Nullable() : DateField("expected_close", ""),
          TextField("lost_reason", "Required when the deal is lost.")};
}

Schema CreateSchema() {
  Schema s{"DealCreate", "A new deal.", EditableFields(false)};
  s.fields[0] = std::move(s.fields[0]).Required();
  s.fields[4] = std::move(s.fields[4]).Required();
  return s;
}

Schema PatchSchema() {
  return {"DealPatch", "Fields to change; absent fields keep their value.", EditableFields(true)};
}

std::vector<Field> ListParams() {
  std::vector<Field> f = {EnumField("stage", DealStageNames(), ""),
                          IdField("owner_id", ""),
                          IdField("contact_id", ""),
                          IdField("company_id", ""),
                          DateField("close_from", "Expected close, inclusive."),
                          DateField("close_to", "Expected close, inclusive."),
                          EnumField("sort", SortValues({"created_at", "amount", "expected_close"}),
                                    "A leading '-' sorts descending; default -created_at.")};
  for (auto& p : PageParams()) f.push_back(std::move(p));
  return f;
}

core::Deal DealFrom(const Body& b) {
  core::Deal d;
  d.title = b.Text("title");
  d.contact_id = b.Id("contact_id");
  d.company_id = b.Id("company_id");
  d.owner_id = b.Id("owner_id");
  d.amount_minor = b.Minor("amount").value_or(0);
  if (auto cur = b.OptText("currency")) d.currency = *cur;
  if (auto s = b.OptText("stage")) d.stage = *core::DealStageFromString(*s);
  d.expected_close = b.Day("expected_close");
  d.lost_reason = b.Text("lost_reason");
  return d;
}

app::DealPatch PatchFrom(const Body& b) {
  app::DealPatch p;
  p.title = b.OptText("title");
  p.currency = b.OptText("currency");
  p.lost_reason = b.OptText("lost_reason");
  if (b.Has("contact_id")) p.contact_id = b.Id("contact_id");
  if (b.Has("company_id")) p.company_id = b.Id("company_id");
  if (b.Has("owner_id")) p.owner_id = b.Id("owner_id");
  p.amount_minor = b.Minor("amount");
  if (auto s = b.OptText("stage")) p.stage = core::DealStageFromString(*s);
  if (b.Has("expected_close")) p.expected_close = b.Day("expected_close");
  return p;
}

std::string Location(core::Id id) {
  return std::string(kBase) + "/" + std::to_string(id);
}

}  // namespace

void AddDealRoutes(RouteTable& t, const Deps& d) {
  app::DealService& svc = d.services.deals;
  const std::string one = std::string(kBase) + "/{id}";

  t.Add({.method = "POST",
         .pattern = kBase,
         .operation_id = "createDeal",
         .summary = "Create a deal",
         .tag = "deals",
         .body = CreateSchema(),
         .reply = {.status = 201, .schema = "Deal"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto deal, svc.Create(c.principal(), DealFrom(c.body)));
           return CreatedReply(Location(deal.id), DealJson(deal));
         }});
  t.Add({.method = "GET",
         .pattern = kBase,
         .operation_id = "listDeals",
         .summary = "List deals",
         .tag = "deals",
         .query = ListParams(),
         .reply = {.schema = "Deal", .list = true},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           core::DealQuery q;
           if (auto s = c.query.OptText("stage")) q.stage = core::DealStageFromString(*s);
           q.owner_id = c.query.Id("owner_id");
           q.contact_id = c.query.Id("contact_id");
           q.company_id = c.query.Id("company_id");
           q.close_from = c.query.Day("close_from");
           q.close_to = c.query.Day("close_to");
           const std::string sort = c.query.OptText("sort").value_or("-created_at");
           auto [name, dir] = SplitSort(sort);
           q.sort = *core::DealSortFromString(name);
           q.dir = dir;
           const std::string list = "deals:" + sort;
           TANDEM_ASSIGN(q.page, PageFrom(c.query, list));
           TANDEM_ASSIGN(auto page, svc.List(c.principal(), q));
           return PageReply(page, list, DealJson);
         }});
  t.Add({.method = "GET",
         .pattern = one,
         .operation_id = "getDeal",
         .summary = "Get a deal",
         .tag = "deals",
         .reply = {.schema = "Deal"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto deal, svc.Get(c.principal(), c.id()));
           return JsonReply(200, DealJson(deal));
         }});
  t.Add({.method = "PATCH",
         .pattern = one,
         .operation_id = "updateDeal",
         .summary = "Change some fields of a deal (stage won/lost closes it)",
         .tag = "deals",
         .body = PatchSchema(),
         .reply = {.schema = "Deal"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto deal, svc.Update(c.principal(), c.id(), PatchFrom(c.body)));
           return JsonReply(200, DealJson(deal));
         }});
  t.Add({.method = "DELETE",
         .pattern = one,
         .operation_id = "deleteDeal",
         .summary = "Delete a deal",
         .tag = "deals",
         .reply = {.status = 204},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_TRY(svc.Delete(c.principal(), c.id()));
           return Response::NoContent();
         }});
}

}  // namespace tandem::api
