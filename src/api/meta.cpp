// Operational endpoints: /healthz, /metrics and /api/v1/openapi.json (no credentials).
#include "api/handlers.hpp"
#include "api/openapi.hpp"

namespace tandem::api {
namespace json = boost::json;

void AddMetaRoutes(RouteTable& t, const Deps& d) {
  store::Store& store = d.services.store;
  base::Metrics& metrics = d.metrics;
  const RouteTable& table = d.table;

  t.Add({.method = "GET",
         .pattern = "/healthz",
         .operation_id = "health",
         .summary = "Liveness and database reachability",
         .tag = "meta",
         .access = Access::kPublic,
         .reply = {.schema = "Health",
                   .doc = "Serving; 503 with status unavailable when the "
                          "database cannot be read."},
         .fn = [&store, &settings = d.settings](const Call&) -> core::Result<Response> {
           auto db = store.Read([](store::Tx&) -> core::Result<void> { return {}; });
           json::object body;
           body["status"] = db ? "ok" : "unavailable";
           body["db"] = std::string(store.Backend());
           body["schema_version"] = store.SchemaVersion();
           body["leader"] = settings.leading ? settings.leading() : true;
           return JsonReply(db ? 200 : 503, body);
         }});
  t.Add({.method = "GET",
         .pattern = "/metrics",
         .operation_id = "metrics",
         .summary = "Prometheus metrics: HTTP requests, latencies, errors, database timings",
         .tag = "meta",
         .access = Access::kPublic,
         .reply = {.content_type = "text/plain; version=0.0.4"},
         .fn = [&metrics](const Call&) -> core::Result<Response> {
           return Response::Text(200, metrics.Render(), "text/plain; version=0.0.4");
         }});
  t.Add({.method = "GET",
         .pattern = "/api/v1/openapi.json",
         .operation_id = "openapi",
         .summary = "This API's OpenAPI 3.0 document (public: it holds no data)",
         .tag = "meta",
         .access = Access::kPublic,
         .reply = {.schema = "OpenApi"},
         .fn = [&table](const Call&) -> core::Result<Response> {
           return JsonReply(200, OpenApiDocument(table));
         }});

  t.AddSchema({"Health",
               "",
               {EnumField("status", {"ok", "unavailable"}, "").Required(),
                EnumField("db", {"sqlite", "postgresql"}, "").Required(),
                IntField("schema_version", 0, 0, "The highest migration applied.").Required(),
                BoolField("leader",
                          "This server runs the SLA scheduler and outbox delivery (of several "
                          "servers on one PostgreSQL database, one does at a time).")
                    .Required()}});
  t.AddSchema({"OpenApi", "An OpenAPI 3.0 document.", {}, true});
}

}  // namespace tandem::api
