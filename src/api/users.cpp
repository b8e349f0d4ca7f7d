// /api/v1/users: the people who sign in. Only admins create and change users (the service
// checks); everyone signed in may read them, to show owners.
#include "api/dto.hpp"
#include "api/handlers.hpp"

namespace tandem::api {

namespace {

constexpr const char* kBase = "/api/v1/users";

Schema CreateSchema() {
  return {"UserCreate",
          "A new user (admins only).",
          {TextField("email", "The login; trimmed and lower-cased; unique.").Required(),
           TextField("name", "").Required(), EnumField("role", RoleNames(), "").Required(),
           IdField("team_id", ""), BoolField("active", "Default true."),
           TextField("password",
                     "8 to 1024 bytes. Without one the user cannot sign in until "
                     "a password is set.")}};
}

Schema PatchSchema() {
  return {"UserPatch",
          "Fields to change (admins only). Deactivating a user ends their sessions.",
          {TextField("email", ""), TextField("name", ""), EnumField("role", RoleNames(), ""),
           IdField("team_id", "null: no team.").Nullable(), BoolField("active", "")}};
}

Schema PasswordSchema() {
  return {"PasswordSet",
          "A new password: admins set anyone's, a user their own.",
          {TextField("password", "8 to 1024 bytes.").Required()}};
}

std::vector<Field> ListParams() {
  std::vector<Field> f = {EnumField("role", RoleNames(), ""), IdField("team_id", ""),
                          BoolField("active", "")};
  for (auto& p : PageParams()) f.push_back(std::move(p));
  return f;
}

std::string Location(core::Id id) {
  return std::string(kBase) + "/" + std::to_string(id);
}

}  // namespace

void AddUserRoutes(RouteTable& t, const Deps& d) {
  app::UserService& svc = d.services.users;
  const std::string one = std::string(kBase) + "/{id}";

  t.Add({.method = "POST",
         .pattern = kBase,
         .operation_id = "createUser",
         .summary = "Create a user (admins only)",
         .tag = "users",
         .body = CreateSchema(),
         .reply = {.status = 201, .schema = "User"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           core::User u;
           u.email = c.body.Text("email");
           u.name = c.body.Text("name");
           u.role = *core::RoleFromString(c.body.Text("role"));
           u.team_id = c.body.Id("team_id");
           u.active = c.body.Bool("active").value_or(true);
           TANDEM_ASSIGN(auto user, svc.Create(c.principal(), u, c.body.Text("password")));
           return CreatedReply(Location(user.id), UserJson(user));
         }});
  t.Add({.method = "GET",
         .pattern = kBase,
         .operation_id = "listUsers",
         .summary = "List users by id",
         .tag = "users",
         .query = ListParams(),
         .reply = {.schema = "User", .list = true},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           core::UserQuery q;
           if (auto r = c.query.OptText("role")) q.role = core::RoleFromString(*r);
           q.team_id = c.query.Id("team_id");
           q.active = c.query.Bool("active");
           TANDEM_ASSIGN(q.page, PageFrom(c.query, "users"));
           TANDEM_ASSIGN(auto page, svc.List(c.principal(), q));
           return PageReply(page, "users", UserJson);
         }});
  t.Add({.method = "GET",
         .pattern = one,
         .operation_id = "getUser",
         .summary = "Get a user",
         .tag = "users",
         .reply = {.schema = "User"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto user, svc.Get(c.principal(), c.id()));
           return JsonReply(200, UserJson(user));
         }});
  t.Add({.method = "PATCH",
         .pattern = one,
         .operation_id = "updateUser",
         .summary = "Change a user (admins only)",
         .tag = "users",
         .body = PatchSchema(),
         .reply = {.schema = "User"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           app::UserPatch p;
           p.email = c.body.OptText("email");
           p.name = c.body.OptText("name");
           if (auto r = c.body.OptText("role")) p.role = core::RoleFromString(*r);
           if (c.body.Has("team_id")) p.team_id = c.body.Id("team_id");
           p.active = c.body.Bool("active");
           TANDEM_ASSIGN(auto user, svc.Update(c.principal(), c.id(), p));
           return JsonReply(200, UserJson(user));
         }});
  t.Add({.method = "PUT",
         .pattern = one + "/password",
         .operation_id = "setUserPassword",
         .summary = "Set a user's password",
         .tag = "users",
         .body = PasswordSchema(),
         .reply = {.status = 204},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_TRY(svc.SetPassword(c.principal(), c.id(), c.body.Text("password")));
           return Response::NoContent();
         }});
}

}  // namespace tandem::api
