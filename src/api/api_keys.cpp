// /api/v1/api-keys: long-lived keys for integrations (admins only; the service checks).
#include <algorithm>

#include <boost/json/array.hpp>

#include "api/dto.hpp"
#include "api/handlers.hpp"

namespace tandem::api {

namespace {

constexpr const char* kBase = "/api/v1/api-keys";

}  // namespace

void AddApiKeyRoutes(RouteTable& t, const Deps& d) {
  app::AuthService& svc = d.services.auth;
  const std::string one = std::string(kBase) + "/{id}";

  t.Add({.method = "POST",
         .pattern = kBase,
         .operation_id = "createApiKey",
         .summary = "Create an API key acting for the caller (admins only)",
         .tag = "api-keys",
         .body = Schema{"ApiKeyCreate",
                        "The key acts with the caller's role, narrowed by its scopes: read "
                        "(GET), write (implies read), ingest (event capture only), admin.",
                        {TextField("name", "What the key is for.").Required(),
                         EnumListField("scopes", ScopeNames(), "At least one.").Required()}},
         .reply = {.status = 201,
                   .schema = "NewApiKey",
                   .doc = "The key, with its secret: shown this once only."},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           std::vector<core::Scope> scopes;
           for (const auto& s : c.body.Strings("scopes"))
             scopes.push_back(*core::ScopeFromString(s));
           TANDEM_ASSIGN(auto created,
                         svc.CreateApiKey(c.principal(), c.body.Text("name"), std::move(scopes)));
           auto body = ApiKeyJson(created.key);
           body["secret"] = created.secret;
           return CreatedReply(std::string(kBase) + "/" + std::to_string(created.key.id), body);
         }});
  t.Add({.method = "GET",
         .pattern = kBase,
         .operation_id = "listApiKeys",
         .summary = "All API keys, revoked ones included (admins only; never paged)",
         .tag = "api-keys",
         .reply = {.schema = "ApiKey", .list = true},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto keys, svc.ListApiKeys(c.principal()));
           boost::json::array items;
           for (const auto& k : keys) items.emplace_back(ApiKeyJson(k));
           return ItemsReply(std::move(items));
         }});
  t.Add({.method = "GET",
         .pattern = one,
         .operation_id = "getApiKey",
         .summary = "Get an API key (admins only; never its secret)",
         .tag = "api-keys",
         .reply = {.schema = "ApiKey"},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_ASSIGN(auto keys, svc.ListApiKeys(c.principal()));
           auto it = std::find_if(keys.begin(), keys.end(),
                                  [&](const core::ApiKey& k) { return k.id == c.id(); });
           if (it == keys.end()) {
             return core::Fail(
                 core::Error::NotFound("API key " + std::to_string(c.id()) + " does not exist"));
           }
           return JsonReply(200, ApiKeyJson(*it));
         }});
  t.Add({.method = "DELETE",
         .pattern = one,
         .operation_id = "revokeApiKey",
         .summary = "Revoke an API key (admins only); it stops working at once",
         .tag = "api-keys",
         .reply = {.status = 204},
         .fn = [&svc](const Call& c) -> core::Result<Response> {
           TANDEM_TRY(svc.RevokeApiKey(c.principal(), c.id()));
           return Response::NoContent();
         }});
}

}  // namespace tandem::api
