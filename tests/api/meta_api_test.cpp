// /healthz, /metrics, the OpenAPI document (and every response checked against it), security
// headers, the one catch at the boundary, and the dashboard's static files.
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>

#include <gtest/gtest-spi.h>
#include <unistd.h>

#include "api_fixture.hpp"
#include "app/handoff_fixture.hpp"

namespace tandem::api::apitest {
namespace {

namespace fs = std::filesystem;

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Checks `v` against an OpenAPI 3.0 schema of `doc` (the subset Tandem's document uses:
// $ref, allOf, nullable, object with properties/required/additionalProperties, array, enum,
// string formats date-time and date, integer, number, boolean).
void Conforms(const json::value& v, const json::object& schema, const json::object& doc,
              const std::string& where) {
  if (const auto* ref = schema.if_contains("$ref")) {
    std::string name(ref->as_string());
    name = name.substr(name.rfind('/') + 1);
    const auto* target = doc.at("components").at("schemas").as_object().if_contains(name);
    ASSERT_TRUE(target) << where << ": dangling $ref " << name;
    Conforms(v, target->as_object(), doc, where);
    return;
  }
  if (v.is_null()) {
    EXPECT_TRUE(schema.contains("nullable")) << where << " is null but not nullable";
    return;
  }
  if (const auto* all = schema.if_contains("allOf")) {
    for (const auto& s : all->as_array()) Conforms(v, s.as_object(), doc, where);
    return;
  }
  const std::string type =
      schema.contains("type") ? std::string(schema.at("type").as_string()) : std::string();
  if (type == "object") {
    ASSERT_TRUE(v.is_object()) << where;
    const auto& props =
        schema.contains("properties") ? schema.at("properties").as_object() : json::object();
    if (const auto* req = schema.if_contains("required")) {
      for (const auto& name : req->as_array()) {
        EXPECT_TRUE(v.as_object().contains(name.as_string())) << where << " lacks " << name;
      }
    }
    for (const auto& kv : v.as_object()) {
      const std::string key(kv.key());
      if (const auto* p = props.if_contains(key)) {
        Conforms(kv.value(), p->as_object(), doc, where + "." + key);
      } else if (const auto* extra = schema.if_contains("additionalProperties");
                 extra && extra->is_object()) {
        Conforms(kv.value(), extra->as_object(), doc, where + "." + key);
      } else {
        EXPECT_TRUE(extra && extra->is_bool() && extra->as_bool())
            << where << " has undocumented " << key;
      }
    }
  } else if (type == "array") {
    ASSERT_TRUE(v.is_array()) << where;
    for (const auto& item : v.as_array()) {
      Conforms(item, schema.at("items").as_object(), doc, where + "[]");
    }
  } else if (type == "string") {
    ASSERT_TRUE(v.is_string()) << where;
    const std::string s(v.as_string());
    if (const auto* e = schema.if_contains("enum")) {
      bool found = false;
      for (const auto& x : e->as_array()) found |= x.as_string() == s;
      EXPECT_TRUE(found) << where << " = " << s << " is not in its enum";
    }
    if (const auto* f = schema.if_contains("format")) {
      if (f->as_string() == "date-time") {
        EXPECT_TRUE(core::ParseInstant(s)) << where;
        EXPECT_EQ(s.back(), 'Z') << where;
      }
      if (f->as_string() == "date") {
        EXPECT_TRUE(core::ParseDate(s)) << where;
      }
    }
  } else if (type == "integer") {
    EXPECT_TRUE(v.is_int64()) << where;
  } else if (type == "number") {
    EXPECT_TRUE(v.is_number()) << where;
  } else if (type == "boolean") {
    EXPECT_TRUE(v.is_bool()) << where;
  } else {
    ADD_FAILURE() << where << ": schema without a type";
  }
}

class MetaApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto r = Send("GET", "/api/v1/openapi.json");
    ASSERT_EQ(r.status(), 200) << r;
    doc_ = r.body.as_object();
  }

  // Sends the request and checks the answer against the document's response for its route.
  Reply Checked(const std::string& token, const std::string& method, const std::string& target,
                const std::string& pattern, const std::string& body = {}) {
    Reply r = token.empty() ? Send(method, target, body, {{"Content-Type", "application/json"}})
                            : As(token, method, target, body);
    const auto* op = doc_.at("paths").at(pattern).as_object().if_contains(Lower(method));
    EXPECT_TRUE(op) << method << " " << pattern;
    if (!op) return r;
    const auto& responses = op->at("responses").as_object();
    const auto* resp = responses.if_contains(std::to_string(r.status()));
    EXPECT_TRUE(resp) << method << " " << pattern << " answered an undocumented " << r;
    if (!resp) return r;
    json::object doc_resp = resp->as_object();
    if (const auto* ref = doc_resp.if_contains("$ref")) {
      std::string name(ref->as_string());
      doc_resp =
          doc_.at("components").at("responses").at(name.substr(name.rfind('/') + 1)).as_object();
    }
    if (const auto* content = doc_resp.if_contains("content")) {
      const auto* jsn = content->as_object().if_contains("application/json");
      if (jsn) {
        EXPECT_FALSE(r.body.is_null()) << r;
        Conforms(r.body, jsn->at("schema").as_object(), doc_, method + " " + pattern);
      }
    } else {
      EXPECT_TRUE(r.raw.body.empty()) << r;
    }
    return r;
  }

  json::object doc_;
};

TEST_F(MetaApiTest, HealthzNeedsNoCredentials) {
  auto r = Checked("", "GET", "/healthz", "/healthz");
  ASSERT_EQ(r.status(), 200) << r;
  EXPECT_EQ(r.Str("status"), "ok");
  EXPECT_EQ(r.Str("db"), OnPostgres() ? "postgresql" : "sqlite");
  EXPECT_EQ(r.Int("schema_version"), store_->SchemaVersion());
  EXPECT_GT(r.Int("schema_version"), 0);
}

TEST_F(MetaApiTest, TheServersAddressSaysWhereToGoWithoutADashboard) {
  auto r = Send("GET", "/");
  ASSERT_EQ(r.status(), 200) << r;
  EXPECT_EQ(r.Str("openapi"), "/api/v1/openapi.json");
  EXPECT_EQ(r.Str("api"), "/api/v1");
  EXPECT_EQ(Send("GET", "/elsewhere").status(), 404);
  EXPECT_EQ(Send("POST", "/").status(), 404);
}

TEST_F(MetaApiTest, OpenApiDocumentsEveryRouteAndNothingElse) {
  EXPECT_EQ(S(doc_.at("openapi")), "3.0.3");
  const auto& paths = doc_.at("paths").as_object();
  std::set<std::string> registered;
  const auto routes = api_->Routes();
  EXPECT_GE(routes.size(), 40u);
  for (const auto& [method, pattern] : routes) {
    registered.insert(method + " " + pattern);
    const auto* item = paths.if_contains(pattern);
    ASSERT_TRUE(item) << pattern << " is not documented";
    const auto* op = item->as_object().if_contains(Lower(method));
    ASSERT_TRUE(op) << method << " " << pattern << " is not documented";
    EXPECT_FALSE(op->at("operationId").as_string().empty());
    EXPECT_TRUE(op->at("responses").as_object().size() >= 2) << pattern;
    for (const auto& name : {std::string("id")}) {
      if (pattern.find("{" + name + "}") == std::string::npos) continue;
      bool has = false;
      for (const auto& p : op->at("parameters").as_array()) {
        has |= p.at("in").as_string() == "path" && p.at("name").as_string() == name;
      }
      EXPECT_TRUE(has) << pattern << " does not document its {" << name << "}";
    }
  }
  std::set<std::string> documented;
  for (const auto& p : paths) {
    for (const auto& m : p.value().as_object()) {
      std::string method(m.key());
      for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented.insert(method + " " + std::string(p.key()));
    }
  }
  EXPECT_EQ(documented, registered);
  for (const char* must :
       {"POST /api/v1/contacts", "GET /api/v1/contacts/{id}/timeline",
        "PUT /api/v1/users/{id}/password", "DELETE /api/v1/api-keys/{id}", "GET /api/v1/audit",
        "POST /api/v1/auth/login", "GET /healthz", "GET /metrics", "GET /api/v1/me"}) {
    EXPECT_TRUE(registered.count(must)) << must;
  }
  // Public routes say so; the rest inherit the bearer and cookie schemes.
  EXPECT_TRUE(paths.at("/api/v1/auth/login").at("post").at("security").as_array().empty());
  EXPECT_FALSE(paths.at("/api/v1/contacts").at("get").as_object().contains("security"));
  EXPECT_TRUE(doc_.at("components").at("securitySchemes").as_object().contains("bearerAuth"));
  EXPECT_TRUE(doc_.at("components").at("securitySchemes").as_object().contains("cookieAuth"));
  // The list parameters are there with their enums.
  bool sort = false;
  for (const auto& p : paths.at("/api/v1/contacts").at("get").at("parameters").as_array()) {
    if (p.at("name") == "sort") {
      sort = true;
      EXPECT_EQ(p.at("schema").at("enum").as_array().size(), 8u);
    }
  }
  EXPECT_TRUE(sort);
}

TEST_F(MetaApiTest, EveryRefResolves) {
  std::function<void(const json::value&)> walk = [&](const json::value& v) {
    if (v.is_object()) {
      for (const auto& kv : v.as_object()) {
        if (kv.key() == "$ref") {
          std::string ref(kv.value().as_string());
          ASSERT_EQ(ref.rfind("#/components/", 0), 0u) << ref;
          const std::string rest = ref.substr(13);
          const auto slash = rest.find('/');
          const auto& group = doc_.at("components").at(rest.substr(0, slash)).as_object();
          EXPECT_TRUE(group.contains(rest.substr(slash + 1))) << ref;
        } else {
          walk(kv.value());
        }
      }
    } else if (v.is_array()) {
      for (const auto& x : v.as_array()) walk(x);
    }
  };
  walk(doc_);
}

TEST_F(MetaApiTest, ResponsesMatchTheDocument) {
  const std::string c = "/api/v1/contacts";
  auto contact =
      Checked(manager_, "POST", c, c,
              R"({"email":"doc@x.example","owner_id":)" + std::to_string(rep1_id_) + "}");
  ASSERT_EQ(contact.status(), 201);
  const std::string id = std::to_string(contact.Int("id"));
  Checked(manager_, "GET", c + "/" + id, c + "/{id}");
  Checked(manager_, "PATCH", c + "/" + id, c + "/{id}", R"({"title":"x"})");
  Checked(manager_, "POST", c + "/" + id + "/stage", c + "/{id}/stage", R"({"stage":"mql"})");
  Checked(manager_, "POST", c + "/" + id + "/stage", c + "/{id}/stage", R"({"stage":"lead"})");
  const auto company = Checked(manager_, "POST", "/api/v1/companies", "/api/v1/companies",
                               R"({"name":"Doc Co","employees":3})");
  auto deal = Checked(manager_, "POST", "/api/v1/deals", "/api/v1/deals",
                      R"({"title":"d","amount":10.5,"contact_id":)" + id + "}");
  Checked(manager_, "PATCH", "/api/v1/deals/" + std::to_string(deal.Int("id")),
          "/api/v1/deals/{id}", R"({"stage":"won"})");
  Checked(manager_, "POST", "/api/v1/activities", "/api/v1/activities",
          R"({"type":"note","contact_id":)" + id + "}");
  Checked(manager_, "GET", c + "/" + id + "/timeline", c + "/{id}/timeline");
  Checked(manager_, "GET", c + "/" + id + "/history", c + "/{id}/history");
  Checked(manager_, "GET", c + "?limit=1", c);
  Checked(manager_, "GET", "/api/v1/companies", "/api/v1/companies");
  Checked(manager_, "GET", "/api/v1/deals", "/api/v1/deals");
  Checked(manager_, "GET", "/api/v1/activities", "/api/v1/activities");
  Checked(manager_, "GET", "/api/v1/users", "/api/v1/users");
  Checked(manager_, "POST", "/api/v1/teams", "/api/v1/teams", R"({"name":"T"})");
  Checked(manager_, "GET", "/api/v1/teams", "/api/v1/teams");
  Checked(manager_, "GET", "/api/v1/audit", "/api/v1/audit");
  Checked(manager_, "GET", "/api/v1/me", "/api/v1/me");
  auto key = Checked(admin_, "POST", "/api/v1/api-keys", "/api/v1/api-keys",
                     R"({"name":"k","scopes":["read","ingest"]})");
  Checked(admin_, "GET", "/api/v1/api-keys", "/api/v1/api-keys");
  Checked(key.Str("secret"), "GET", "/api/v1/me", "/api/v1/me");
  Checked("", "POST", "/api/v1/auth/login", "/api/v1/auth/login",
          R"({"email":"rep2@acme.example","password":"correct horse battery","session":"cookie"})");
  Checked(rep2_, "POST", "/api/v1/auth/logout", "/api/v1/auth/logout");
  // Personas, scoring rules, jobs and the score explanation.
  const std::string pz = "/api/v1/personas";
  auto persona = Checked(admin_, "POST", pz, pz,
                         R"({"key":"doc","name":"Doc","criteria":[{"property":"company.employees",
                             "op":"range","min":1,"weight":5},{"property":"contact.title",
                             "op":"contains","values":["x"]}]})");
  ASSERT_EQ(persona.status(), 201);
  const std::string pid = std::to_string(persona.Int("id"));
  Checked(marketer_, "PATCH", pz + "/" + pid, pz + "/{id}", R"({"description":"d"})");
  Checked(rep1_, "GET", pz + "/" + pid, pz + "/{id}");
  Checked(rep1_, "GET", pz, pz);
  Checked(rep1_, "GET", pz + "/" + pid + "/versions", pz + "/{id}/versions");
  Checked(admin_, "POST", pz + "/" + pid + "/signoff", pz + "/{id}/signoff",
          R"({"capacity":"head_of_sales","note":"n"})");
  Checked(rep1_, "POST", pz + "/" + pid + "/signoff", pz + "/{id}/signoff", R"({})");
  Checked(rep1_, "GET", "/api/v1/scoring/rules", "/api/v1/scoring/rules");
  auto rules = Checked(marketer_, "PUT", "/api/v1/scoring/rules", "/api/v1/scoring/rules",
                       R"({"mql":{"kind":"matrix","matrix":{"A":1}}})");
  Checked(marketer_, "PUT", "/api/v1/scoring/rules", "/api/v1/scoring/rules",
          R"({"mql":{"kind":"expression","expression":"fit >="}})");
  Checked(rep1_, "GET", "/api/v1/scoring/jobs/" + std::to_string(rules.Int("rescore_job_id")),
          "/api/v1/scoring/jobs/{id}");
  Checked(rep1_, "GET", c + "/" + id + "/score", c + "/{id}/score");
  Checked(marketer_, "DELETE", pz + "/" + pid, pz + "/{id}");
  // Errors match the documented error shape too.
  Checked(manager_, "POST", c, c, R"({"email":"doc@x.example"})");
  Checked(manager_, "POST", c, c, R"({"nope":1})");
  Checked(rep2_, "DELETE", c + "/" + id, c + "/{id}");
  Checked(manager_, "GET", c + "/999", c + "/{id}");
  Checked("", "GET", c, c);
  Checked(manager_, "DELETE", "/api/v1/companies/" + std::to_string(company.Int("id")),
          "/api/v1/companies/{id}");
}

TEST_F(MetaApiTest, AnalyticsResponsesMatchTheDocument) {
  const std::string c = "/api/v1/contacts";
  auto contact = Checked(manager_, "POST", c, c, R"({"email":"f@x.example"})");
  ASSERT_EQ(contact.status(), 201);
  Checked(manager_, "POST", c + "/" + std::to_string(contact.Int("id")) + "/stage",
          c + "/{id}/stage", R"({"stage":"mql"})");
  Checked(manager_, "POST", "/api/v1/plan", "/api/v1/plan",
          R"({"revenue":100000,"deal_size":10000,"from":"2027-01-01","to":"2027-03-31",)"
          R"("rates":{"visitor_lead":0.02,"lead_mql":0.3,"mql_sal":0.5,"sal_sql":0.5,)"
          R"("sql_opportunity":0.5,"opportunity_customer":0.2}})");
  Checked(manager_, "POST", "/api/v1/plan", "/api/v1/plan", R"({"revenue":-1})");
  Checked(manager_, "GET",
          "/api/v1/funnel?from=2026-01-01&to=2027-01-01&by=week&plan_lead_mql=0.99&deal_size=100",
          "/api/v1/funnel");
  Checked(manager_, "GET", "/api/v1/funnel?from=2026-01-01&to=2027-01-01&view=period",
          "/api/v1/funnel");
  Checked(manager_, "GET", "/api/v1/funnel?from=2026-01-01&to=2027-01-01&by=nope",
          "/api/v1/funnel");
}

TEST_F(MetaApiTest, SlaComplianceMatchesTheDocument) {
  clock_.Set(app::apptest::kFriday1730Paris);
  manager_ = Login("manager@acme.example");
  rep1_ = Login("rep1@acme.example");
  ASSERT_TRUE(services_->contracts.ActivateAsOperator(app::apptest::HandoffContract(), std::nullopt,
                                                      std::nullopt));
  const std::string c = "/api/v1/contacts";
  for (const char* email : {"s1@x.example", "s2@x.example"}) {
    auto contact = As(manager_, "POST", c, std::string(R"({"email":")") + email + "\"}");
    ASSERT_EQ(contact.status(), 201) << contact;
    ASSERT_EQ(As(manager_, "POST", c + "/" + std::to_string(contact.Int("id")) + "/stage",
                 R"({"stage":"mql"})")
                  .status(),
              200);
  }
  const std::string route = "/api/v1/sla/compliance";
  for (const char* by : {"rep", "team", "week"}) {
    auto r = Checked(manager_, "GET", route + "?from=2026-11-23&to=2026-11-29&by=" + by, route);
    EXPECT_EQ(r.status(), 200) << r;
  }
  Checked(rep1_, "GET", route + "?from=2026-11-23&to=2026-11-29", route);
  Checked(rep1_, "GET", route + "?from=2026-11-23&to=2026-11-29&by=team", route);
  Checked(manager_, "GET", route + "?from=2026-11-29&to=2026-11-23", route);
  Checked(manager_, "GET", route + "?from=2026-11-02&to=2026-11-08", route);
}

TEST_F(MetaApiTest, TheConformanceCheckCatchesDrift) {
  const auto contact =
      As(manager_, "GET", "/api/v1/contacts/" + std::to_string(NewContact("drift@x.example")));
  ASSERT_EQ(contact.status(), 200);
  const json::object schema{{"$ref", "#/components/schemas/Contact"}};
  Conforms(contact.body, schema, doc_, "contact");  // passes as it is
  json::value extra = contact.body;
  extra.as_object()["nickname"] = "x";
  EXPECT_NONFATAL_FAILURE(Conforms(extra, schema, doc_, "contact"), "undocumented nickname");
  json::value missing = contact.body;
  missing.as_object().erase("email");
  EXPECT_NONFATAL_FAILURE(Conforms(missing, schema, doc_, "contact"), "lacks");
  json::value wrong = contact.body;
  wrong.as_object()["stage"] = "hot";
  EXPECT_NONFATAL_FAILURE(Conforms(wrong, schema, doc_, "contact"), "enum");
  json::value null_email = contact.body;
  null_email.as_object()["email"] = nullptr;
  EXPECT_NONFATAL_FAILURE(Conforms(null_email, schema, doc_, "contact"), "not nullable");
}

TEST_F(MetaApiTest, MetricsCountRequestsByRouteAndStatus) {
  As(manager_, "GET", "/api/v1/contacts/424242");
  As(manager_, "GET", "/api/v1/contacts/424243");
  As(manager_, "GET", "/api/v1/contacts");
  Send("GET", "/no/such/thing");
  auto r = Send("GET", "/metrics");
  ASSERT_EQ(r.status(), 200);
  EXPECT_EQ(r.Header("Content-Type"), "text/plain; version=0.0.4");
  const std::string& text = r.raw.body;
  auto has = [&](const std::string& line) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
  };
  has("tandem_http_requests_total{method=\"GET\",route=\"/api/v1/contacts/{id}\","
      "status=\"404\"} 2\n");
  has("tandem_http_requests_total{method=\"GET\",route=\"/api/v1/contacts\",status=\"200\"} 1\n");
  has("tandem_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1\n");
  has("tandem_http_errors_total{route=\"/api/v1/contacts/{id}\",code=\"not_found\"} 2\n");
  has("tandem_http_request_duration_seconds_count{route=\"/api/v1/contacts/{id}\"} 2\n");
  has("tandem_http_request_duration_seconds_bucket{route=\"/api/v1/contacts\",le=\"+Inf\"} 1\n");
  has("# TYPE tandem_db_seconds histogram");
  has("tandem_db_seconds_count{kind=\"read\"}");
  // Ids never become label values: the route pattern does.
  EXPECT_EQ(text.find("424242"), std::string::npos);
}

TEST_F(MetaApiTest, EveryAnswerCarriesTheSecurityHeaders) {
  const std::vector<Reply> replies = {
      As(manager_, "GET", "/api/v1/contacts"),
      As(manager_, "GET", "/api/v1/contacts/1"),
      Send("GET", "/api/v1/contacts"),
      As(manager_, "DELETE",
         "/api/v1/teams/" + std::to_string(Create(manager_, "/api/v1/teams", {{"name", "t"}}))),
      Send("GET", "/metrics"),
      Send("GET", "/nowhere"),
      Send("POST", "/api/v1/contacts/1"),
  };
  for (const auto& r : replies) {
    EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff") << r;
    EXPECT_EQ(r.Header("Cache-Control"), "no-store") << r;
    EXPECT_EQ(r.Header("Content-Security-Policy"), "default-src 'none'; frame-ancestors 'none'");
    EXPECT_EQ(r.Header("X-Frame-Options"), "DENY");
  }
}

// The real store, made to throw on demand: what a bug below the API looks like.
class ThrowingStore final : public store::Store {
 public:
  explicit ThrowingStore(store::Store& inner) : inner_(inner) {}
  core::Result<void> Write(const store::TxFn& fn) override {
    if (armed) throw std::runtime_error("disk on fire");
    return inner_.Write(fn);
  }
  core::Result<void> Read(const store::TxFn& fn) override {
    if (armed) throw std::runtime_error("disk on fire");
    return inner_.Read(fn);
  }
  void SetOutboxListener(std::function<void()> listener) override {
    inner_.SetOutboxListener(std::move(listener));
  }
  std::string_view Backend() const override { return inner_.Backend(); }
  int SchemaVersion() const override { return inner_.SchemaVersion(); }
  bool armed = false;

 private:
  store::Store& inner_;
};

TEST_F(MetaApiTest, AnExceptionBelowIsOne500LoggedWithItsRoute) {
  ThrowingStore throwing(*store_);
  app::Services services(throwing, clock_, app::PasswordSettings::Fastest());
  std::vector<std::string> log;
  ApiSettings settings;
  settings.log_error = [&](std::string_view line) { log.emplace_back(line); };
  Api api(services, metrics_, clock_, settings);
  auto call = [&](const std::string& target) {
    auto req = MakeRequest("GET", target, "", {{"Authorization", "Bearer " + manager_}});
    return api.Handle(*req);
  };
  throwing.armed = true;
  auto r = call("/api/v1/contacts/1");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, R"({"error":{"code":"internal","message":"an internal error occurred; )"
                    R"(it has been logged","field":""}})");
  EXPECT_EQ(r.body.find("fire"), std::string::npos);  // the cause stays in the log
  ASSERT_EQ(log.size(), 1u);
  EXPECT_NE(log[0].find("GET /api/v1/contacts/{id}"), std::string::npos) << log[0];
  EXPECT_NE(log[0].find("disk on fire"), std::string::npos) << log[0];
  EXPECT_EQ(call("/healthz").status, 500);
  throwing.armed = false;
  EXPECT_EQ(call("/api/v1/contacts").status, 200);
  EXPECT_EQ(call("/healthz").status, 200);
}

class StaticFilesApiTest : public ApiTest {
 protected:
  ApiSettings Settings() override {
    root_ = fs::temp_directory_path() / ("tandem-web-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "assets");
    std::ofstream(root_ / "index.html") << "<!doctype html><title>Tandem</title>";
    std::ofstream(root_ / "assets" / "app-1a2b.js") << "console.log(1)";
    std::ofstream(fs::temp_directory_path() / "tandem-secret.txt") << "secret";
    ApiSettings s;
    s.web_root = root_.string();
    return s;
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_F(StaticFilesApiTest, ServesTheDashboardAndNothingOutsideIt) {
  auto index = Send("GET", "/");
  ASSERT_EQ(index.status(), 200) << index;
  EXPECT_EQ(index.raw.body, "<!doctype html><title>Tandem</title>");
  EXPECT_EQ(index.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(index.Header("Content-Security-Policy").find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(index.Header("X-Content-Type-Options"), "nosniff");
  auto js = Send("GET", "/assets/app-1a2b.js");
  ASSERT_EQ(js.status(), 200);
  EXPECT_EQ(js.Header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_NE(js.Header("Cache-Control").find("immutable"), std::string::npos);
  // A client-side route gets the app; a missing file does not.
  EXPECT_EQ(Send("GET", "/contacts/12").raw.body, index.raw.body);
  EXPECT_EQ(Send("GET", "/assets/missing.js").status(), 404);
  EXPECT_EQ(Send("GET", "/../tandem-secret.txt").status(), 404);
  EXPECT_EQ(Send("GET", "/%2e%2e/tandem-secret.txt").status(), 404);
  EXPECT_EQ(Send("GET", "/assets/..%2f..%2ftandem-secret.txt").status(), 404);
  // The API's own paths never fall back to the app.
  auto api = Send("GET", "/api/v1/nothing");
  EXPECT_EQ(api.status(), 404);
  EXPECT_EQ(api.ErrorCode(), "not_found");
  EXPECT_EQ(Send("POST", "/").status(), 404);
  fs::remove(fs::temp_directory_path() / "tandem-secret.txt");
}

}  // namespace
}  // namespace tandem::api::apitest
