// The route table: every endpoint of the API with what it takes and what it answers, and the
// matcher (internal to src/api).
//
// A route is declared once, with its handler and its documentation: method, path pattern
// ("/api/v1/contacts/{id}"), query parameters and request body as `Field`/`Schema`
// declarations (which also validate the request before the handler runs), and the reply. The
// OpenAPI document is generated from this table, so an endpoint cannot exist undocumented.
// Handlers receive a `Call` whose path ids, query and body have already been checked, and
// return a Response or a core::Error (mapped to its status by errors.hpp).
// Thread-safety: the table is built once, then only read.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/http.hpp"
#include "api/schema.hpp"
#include "app/auth.hpp"
#include "core/error.hpp"

namespace tandem::api {

enum class Access : std::uint8_t {
  kPublic,    // no credentials needed (login, health, metrics, the OpenAPI document)
  kSignedIn,  // a session (bearer or cookie) or an API key
};

struct Reply {
  int status = 200;
  std::string schema;  // the component describing the body; "" for no body (204)
  bool list = false;   // the body is {"items":[<schema>...], "next_cursor": string|null}
  std::string content_type = "application/json";
  std::string doc;
};

// One request as a handler sees it, after authentication and validation.
struct Call {
  const Request& request;
  const app::Authenticated* auth = nullptr;  // null on public routes
  std::string token;                         // the credential presented, if any
  bool cookie = false;                       // the credential came from the session cookie
  std::vector<core::Id> ids;                 // the path's {placeholders}, in order
  std::vector<std::string> params;           // the same, as text, on routes with text_params
  Query query;
  Body body;

  const core::Principal& principal() const { return auth->principal; }
  core::Id id() const { return ids.at(0); }
};

using RouteFn = std::function<core::Result<Response>(const Call&)>;

struct Route {
  std::string method;
  std::string pattern;
  std::string operation_id;
  std::string summary;
  std::string tag;
  Access access = Access::kSignedIn;
  std::vector<Field> query;
  std::optional<Schema> body;
  // The handler parses the body itself (from call.request.body); `body` only documents it.
  // For bodies a flat Schema cannot check: event batches of free-form objects.
  bool raw_body = false;
  // The media type of the body. Other than JSON only with raw_body (the contract's TOML);
  // the body is then documented as a string of that type.
  std::string body_type = "application/json";
  // The {placeholders} are opaque text (public form ids), handed over in Call::params, rather
  // than positive integer ids.
  bool text_params = false;
  Reply reply;
  RouteFn fn;
};

class RouteTable {
 public:
  // Aborts on a duplicate method and pattern: a programming error found by every test run.
  void Add(Route route);
  // A response schema, referred to by Reply::schema and by kObject/kList fields.
  void AddSchema(Schema schema);

  struct Match {
    const Route* route = nullptr;      // set when method and path match
    std::vector<std::string> params;   // the raw {placeholder} segments
    std::vector<std::string> allowed;  // methods of the path, when only the method differs
  };
  Match Find(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }
  const std::vector<Schema>& schemas() const { return schemas_; }
  const Schema* FindSchema(std::string_view name) const;

 private:
  std::vector<Route> routes_;
  std::vector<std::vector<std::string>> segments_;  // per route, the pattern's segments
  std::vector<Schema> schemas_;
};

// The pattern's placeholder names in order: "/contacts/{id}/stage" -> {"id"}.
std::vector<std::string> PlaceholderNames(std::string_view pattern);

}  // namespace tandem::api
