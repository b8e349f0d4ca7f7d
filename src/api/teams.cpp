// /api/v1/teams: CRUD and the list (admins and managers change teams).
#include <boost/json/array.hpp>

#include "api/dto.hpp"
#include "api/handlers.hpp"

namespace tandem::api {

namespace {

constexpr const char* kBase = "/api/v1/teams";

std::vector<Field> EditableFields(bool patch) {
  return {TextField("name", ""),
          EnumField("function", TeamFunctionNames(), patch ? "" : "Default sales."),
          patch ? IdField("manager_id", "null: no manager.").Nullable() : IdField("manager_id", ""),
          TextField("region", "A territory label: EMEA, North America, ...")};
}

Schema CreateSchema() {
  Schema s{"TeamCreate", "A new team.", EditableFields(false)};
  s.fields[0] = std::move(s.fields[0]).Required();
  return s;
}

std::string Location(core::Id id) {
  return std::string(kBase) + "/" + std::to_string(id);
}

}  // namespace

void AddTeamRoutes(RouteTable& t, const Deps& d) {
  app::TeamService& svc = d.services.teams;
  const std::string one = std::string(kBase) + "/{id}";

  t.Add({.method = "POST",
         .pattern = kBase,
         .operation_id = "createTeam",
         .summary = "Create a team",
         .tag = "teams",
         .body = CreateSchema(),
         .reply = {.status = 201, .schema = "Team"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           core::Team team;
           team.name = c.body.Text("name");
           if (auto f = c.body.OptText("function"))
             team.function = *core::TeamFunctionFromString(*f);
           team.manager_id = c.body.Id("manager_id");
           team.region = c.body.Text("region");
           TANDEM_ASSIGN(auto created, svc.Create(c.principal(), team));
           return CreatedReply(Location(created.id), TeamJson(created));
         }});
  t.Add({.method = "GET",
         .pattern = kBase,
         .operation_id = "listTeams",
         .summary = "All teams by name (never paged: a company has tens)",
         .tag = "teams",
         .reply = {.schema = "Team", .list = true},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto teams, svc.List(c.principal()));
           boost::json::array items;
           for (const auto& team : teams) items.emplace_back(TeamJson(team));
           return ItemsReply(std::move(items));
         }});
  t.Add({.method = "GET",
         .pattern = one,
         .operation_id = "getTeam",
         .summary = "Get a team",
         .tag = "teams",
         .reply = {.schema = "Team"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto team, svc.Get(c.principal(), c.id()));
           return JsonReply(200, TeamJson(team));
         }});
  t.Add({.method = "PATCH",
         .pattern = one,
         .operation_id = "updateTeam",
         .summary = "Change a team",
         .tag = "teams",
         .body = Schema{"TeamPatch", "Fields to change; absent fields keep their value.",
                        EditableFields(true)},
         .reply = {.schema = "Team"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           app::TeamPatch p;
           p.name = c.body.OptText("name");
           p.region = c.body.OptText("region");
           if (auto f = c.body.OptText("function")) p.function = core::TeamFunctionFromString(*f);
           if (c.body.Has("manager_id")) p.manager_id = c.body.Id("manager_id");
           TANDEM_ASSIGN(auto team, svc.Update(c.principal(), c.id(), p));
           return JsonReply(200, TeamJson(team));
         }});
  t.Add({.method = "DELETE",
         .pattern = one,
         .operation_id = "deleteTeam",
         .summary = "Delete a team (its members stay, without a team)",
         .tag = "teams",
         .reply = {.status = 204},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_TRY(svc.Delete(c.principal(), c.id()));
           return Response::NoContent();
         }});
}

}  // namespace tandem::api
