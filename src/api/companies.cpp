// /api/v1/companies: CRUD and lists.
#include "api/dto.hpp"
#include "api/handlers.hpp"

namespace tandem::api {

namespace {

constexpr const char* kBase = "/api/v1/companies";
constexpr std::int64_t kMaxEmployees = 100'000'000;

std::vector<Field> EditableFields(bool patch) {
  return {TextField("name", ""),
          TextField("domain", "Lower-cased; a scheme, www. and a path are stripped."),
          TextField("industry", ""),
          patch ? IntField("employees", 0, kMaxEmployees, "null: unknown.").Nullable()
                : IntField("employees", 0, kMaxEmployees, ""),
          TextField("country", "ISO 3166-1 alpha-2."),
          patch ? IdField("owner_id", "null: no owner.").Nullable()
                : IdField("owner_id", "Defaults to the caller for sales reps."),
          MapField("custom", patch ? "Merged key by key; an empty value removes the key." : "")};
}

Schema CreateSchema() {
  Schema s{"CompanyCreate", "A new company.", EditableFields(false)};
  s.fields[0] = std::move(s.fields[0]).Required();
  return s;
}

Schema PatchSchema() {
  return {"CompanyPatch", "Fields to change; absent fields keep their value.",
          EditableFields(true)};
}

std::vector<Field> ListParams() {
  std::vector<Field> f = {TextField("q", "A prefix of the name or the domain."),
                          TextField("industry", ""), TextField("country", ""),
                          IdField("owner_id", ""),
                          EnumField("sort", SortValues({"name", "created_at"}),
                                    "A leading '-' sorts descending; default name.")};
  for (auto& p : PageParams()) f.push_back(std::move(p));
  return f;
}

core::Company CompanyFrom(const Body& b) {
  core::Company c;
  c.name = b.Text("name");
  c.domain = b.Text("domain");
  c.industry = b.Text("industry");
  c.employees = b.Int("employees");
  c.country = b.Text("country");
  c.owner_id = b.Id("owner_id");
  c.custom = b.Map("custom");
  return c;
}

app::CompanyPatch PatchFrom(const Body& b) {
  app::CompanyPatch p;
  p.name = b.OptText("name");
  p.domain = b.OptText("domain");
  p.industry = b.OptText("industry");
  p.country = b.OptText("country");
  if (b.Has("employees")) p.employees = b.Int("employees");
  if (b.Has("owner_id")) p.owner_id = b.Id("owner_id");
  if (b.Has("custom")) p.custom = b.Map("custom");
  return p;
}

std::string Location(core::Id id) {
  return std::string(kBase) + "/" + std::to_string(id);
}

}  // namespace

void AddCompanyRoutes(RouteTable& t, const Deps& d) {
  app::CompanyService& svc = d.services.companies;
  const std::string one = std::string(kBase) + "/{id}";

  t.Add({.method = "POST",
         .pattern = kBase,
         .operation_id = "createCompany",
         .summary = "Create a company",
         .tag = "companies",
         .body = CreateSchema(),
         .reply = {.status = 201, .schema = "Company"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto company, svc.Create(c.principal(), CompanyFrom(c.body)));
           return CreatedReply(Location(company.id), CompanyJson(company));
         }});
  t.Add({.method = "GET",
         .pattern = kBase,
         .operation_id = "listCompanies",
         .summary = "List companies",
         .tag = "companies",
         .query = ListParams(),
         .reply = {.schema = "Company", .list = true},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           core::CompanyQuery q;
           q.text = c.query.Text("q");
           q.industry = c.query.OptText("industry");
           q.country = c.query.OptText("country");
           q.owner_id = c.query.Id("owner_id");
           const std::string sort = c.query.OptText("sort").value_or("name");
           auto [name, dir] = SplitSort(sort);
           q.sort = *core::CompanySortFromString(name);
           q.dir = dir;
           const std::string list = "companies:" + sort;
           TANDEM_ASSIGN(q.page, PageFrom(c.query, list));
           TANDEM_ASSIGN(auto page, svc.List(c.principal(), q));
           return PageReply(page, list, CompanyJson);
         }});
  t.Add({.method = "GET",
         .pattern = one,
         .operation_id = "getCompany",
         .summary = "Get a company",
         .tag = "companies",
         .reply = {.schema = "Company"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto company, svc.Get(c.principal(), c.id()));
           return JsonReply(200, CompanyJson(company));
         }});
  t.Add({.method = "PATCH",
         .pattern = one,
         .operation_id = "updateCompany",
         .summary = "Change some fields of a company",
         .tag = "companies",
         .body = PatchSchema(),
         .reply = {.schema = "Company"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto company, svc.Update(c.principal(), c.id(), PatchFrom(c.body)));
           return JsonReply(200, CompanyJson(company));
         }});
  t.Add({.method = "DELETE",
         .pattern = one,
         .operation_id = "deleteCompany",
         .summary = "Delete a company (its contacts and deals stay, unlinked)",
         .tag = "companies",
         .reply = {.status = 204},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_TRY(svc.Delete(c.principal(), c.id()));
           return Response::NoContent();
         }});
}

}  // namespace tandem::api
