#include "api/openapi.hpp"

#include <algorithm>
#include <map>

#include <boost/json/array.hpp>

namespace tandem::api {
namespace json = boost::json;

namespace {

json::object Ref(const std::string& where, const std::string& name) {
  return json::object{{"$ref", "#/components/" + where + "/" + name}};
}

json::object JsonContent(json::object schema) {
  return json::object{{"application/json", json::object{{"schema", std::move(schema)}}}};
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

struct ErrorDoc {
  int status;
  const char* name;
  const char* text;
};

constexpr ErrorDoc kErrors[] = {
    {400, "BadRequest",
     "invalid_argument: malformed JSON, a wrong type, an unknown or missing field, a bad query "
     "parameter or cursor; `field` names it."},
    {401, "Unauthenticated",
     "unauthenticated: no credential, or an expired, revoked or forged one. Carries "
     "WWW-Authenticate: Bearer."},
    {403, "Forbidden",
     "permission_denied: the role or the key's scopes do not allow it, or a cookie session "
     "sent no valid X-CSRF-Token."},
    {404, "NotFound", "not_found: no record with this id."},
    {409, "Conflict", "already_exists: a unique value (an email) is taken; `field` names it."},
    {413, "PayloadTooLarge", "payload_too_large: the body exceeds the server's limit."},
    {415, "UnsupportedMediaType", "unsupported_media_type: the body is not application/json."},
    {422, "Unprocessable",
     "failed_precondition: the record's state forbids it (an impossible lifecycle move; the "
     "message names the allowed stages)."},
    {429, "TooManyRequests", "resource_exhausted: rate limited; see Retry-After."},
    {500, "Internal", "internal: a failure on the server's side; it is logged."},
    {503, "Unavailable", "unavailable: the database is away; retrying may succeed."},
};

const ErrorDoc& ErrorOf(int status) {
  for (const auto& e : kErrors) {
    if (e.status == status) return e;
  }
  return kErrors[9];
}

json::object ListSchema(const std::string& item) {
  json::object s;
  s["type"] = "object";
  json::object props;
  props["items"] = json::object{{"type", "array"}, {"items", Ref("schemas", item)}};
  props["next_cursor"] =
      json::object{{"type", "string"},
                   {"nullable", true},
                   {"description", "Pass as `cursor` for the next page; null on the last page."}};
  s["properties"] = std::move(props);
  s["required"] = json::array{"items", "next_cursor"};
  s["additionalProperties"] = false;
  return s;
}

json::object Operation(const Route& r) {
  json::object op;
  op["operationId"] = r.operation_id;
  op["summary"] = r.summary;
  op["tags"] = json::array{r.tag};
  if (r.access == Access::kPublic) op["security"] = json::array();

  json::array params;
  for (const auto& name : PlaceholderNames(r.pattern)) {
    params.emplace_back(json::object{
        {"name", name},
        {"in", "path"},
        {"required", true},
        {"schema", r.text_params
                       ? json::object{{"type", "string"}}
                       : json::object{{"type", "integer"}, {"format", "int64"}, {"minimum", 1}}}});
  }
  for (const auto& f : r.query) {
    json::object schema = OpenApiField(f);
    schema.erase("description");
    json::object p{{"name", f.name}, {"in", "query"}, {"required", f.required}};
    if (!f.doc.empty()) p["description"] = f.doc;
    p["schema"] = std::move(schema);
    params.emplace_back(std::move(p));
  }
  if (!params.empty()) op["parameters"] = std::move(params);

  if (r.body) {
    op["requestBody"] =
        r.body_type == "application/json"
            ? json::object{{"required", true},
                           {"content", JsonContent(Ref("schemas", r.body->name))}}
            : json::object{
                  {"required", true},
                  {"description", r.body->doc},
                  {"content",
                   json::object{
                       {r.body_type, json::object{{"schema", json::object{{"type", "string"}}}}}}}};
  }
  json::object responses;
  json::object ok;
  ok["description"] = r.reply.doc.empty() ? std::string("Success.") : r.reply.doc;
  if (r.reply.status == 201) {
    ok["headers"] =
        json::object{{"Location", json::object{{"description", "The URL of the new record."},
                                               {"schema", json::object{{"type", "string"}}}}}};
  }
  if (!r.reply.schema.empty() || r.reply.content_type != "application/json") {
    json::object schema =
        r.reply.list ? ListSchema(r.reply.schema) : Ref("schemas", r.reply.schema);
    if (r.reply.content_type == "application/json") {
      ok["content"] = JsonContent(std::move(schema));
    } else {
      ok["content"] = json::object{
          {r.reply.content_type, json::object{{"schema", json::object{{"type", "string"}}}}}};
    }
  }
  responses[std::to_string(r.reply.status)] = std::move(ok);

  std::vector<int> errors;
  if (r.body || !r.query.empty() || !PlaceholderNames(r.pattern).empty()) {
    errors.push_back(400);
  }
  if (r.access == Access::kSignedIn) {
    errors.push_back(401);
    errors.push_back(403);
  }
  if (!PlaceholderNames(r.pattern).empty()) errors.push_back(404);
  if (r.body) {
    if (r.access == Access::kSignedIn) {
      errors.push_back(409);
      errors.push_back(422);
    }
    errors.push_back(413);
    errors.push_back(415);
  }
  if (r.operation_id == "login") {
    errors.push_back(401);
    errors.push_back(429);
  }
  std::sort(errors.begin(), errors.end());
  errors.erase(std::unique(errors.begin(), errors.end()), errors.end());
  for (int status : errors) {
    responses[std::to_string(status)] = Ref("responses", ErrorOf(status).name);
  }
  responses["default"] = Ref("responses", "Internal");
  op["responses"] = std::move(responses);
  return op;
}

}  // namespace

json::object OpenApiDocument(const RouteTable& table) {
  json::object doc;
  doc["openapi"] = "3.0.3";
  doc["info"] = json::object{
      {"title", "Tandem API"},
      {"version", "1"},
      {"description",
       "Tandem, the smarketing CRM engine. JSON in and out; errors are always "
       "{\"error\":{\"code\",\"message\",\"field\"}}. Lists return {\"items\", \"next_cursor\"}; "
       "pass next_cursor back as `cursor` for the next page. Instants are ISO 8601 UTC, dates "
       "YYYY-MM-DD, money a decimal `amount` with a `currency`."}};
  doc["servers"] = json::array{json::object{{"url", "/"}}};
  doc["security"] = json::array{json::object{{"bearerAuth", json::array()}},
                                json::object{{"cookieAuth", json::array()}}};

  json::object paths;
  std::vector<std::string> tags;
  for (const auto& r : table.routes()) {
    json::value& item = paths[r.pattern];
    if (!item.is_object()) item.emplace_object();
    item.as_object()[Lower(r.method)] = Operation(r);
    if (std::find(tags.begin(), tags.end(), r.tag) == tags.end()) tags.push_back(r.tag);
  }
  doc["paths"] = std::move(paths);
  json::array tag_list;
  for (const auto& t : tags) tag_list.emplace_back(json::object{{"name", t}});
  doc["tags"] = std::move(tag_list);

  json::object schemas;
  for (const auto& s : table.schemas()) schemas[s.name] = OpenApiSchema(s);
  for (const auto& r : table.routes()) {
    if (r.body && r.body_type == "application/json") schemas[r.body->name] = OpenApiSchema(*r.body);
  }
  json::object responses;
  for (const auto& e : kErrors) {
    responses[e.name] =
        json::object{{"description", e.text}, {"content", JsonContent(Ref("schemas", "Error"))}};
  }
  json::object security;
  security["bearerAuth"] =
      json::object{{"type", "http"},
                   {"scheme", "bearer"},
                   {"description",
                    "A session token from POST /api/v1/auth/login (tnd_s_...) or an API key "
                    "(tnd_k_...)."}};
  security["cookieAuth"] =
      json::object{{"type", "apiKey"},
                   {"in", "cookie"},
                   {"name", "tandem_session"},
                   {"description",
                    "The HttpOnly cookie of a cookie login. POST, PATCH, PUT and DELETE must "
                    "also send the login's csrf_token in the X-CSRF-Token header."}};
  doc["components"] = json::object{{"schemas", std::move(schemas)},
                                   {"responses", std::move(responses)},
                                   {"securitySchemes", std::move(security)}};
  return doc;
}

}  // namespace tandem::api
