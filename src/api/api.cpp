#include "api/api.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>

#include <spdlog/spdlog.h>

#include "api/authn.hpp"
#include "api/errors.hpp"
#include "api/handlers.hpp"
#include "api/routes.hpp"
#include "api/static_files.hpp"

namespace tandem::api {

namespace {

using core::Error;

std::string_view MethodLabel(std::string_view method) {
  for (std::string_view m : {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}) {
    if (m == method) return m;
  }
  return "other";
}

// `value` names `media` ("application/json"), with at most a UTF-8 charset parameter.
bool IsContentType(std::string_view value, std::string_view media) {
  auto lower = [](std::string_view s) {
    std::string out;
    for (char c : s) {
      if (c != ' ' && c != '\t') out.push_back(static_cast<char>(std::tolower(c)));
    }
    return out;
  };
  const std::string v = lower(value);
  const auto semi = v.find(';');
  if (v.substr(0, semi) != media) return false;
  if (semi == std::string::npos) return true;
  // The only parameter JSON (and TOML) has is a charset, and both are UTF-8.
  const std::string params = v.substr(semi + 1);
  return params.empty() || params == "charset=utf-8";
}

std::optional<core::Id> ParseId(std::string_view text) {
  core::Id v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v <= 0) return std::nullopt;
  return v;
}

// The code of an error answer, for the error counter.
std::string ErrorCodeOf(const Response& r) {
  auto doc = ParseJson(r.body);
  if (!doc || !doc->is_object()) return "unknown";
  const auto* error = doc->get_object().if_contains("error");
  if (!error || !error->is_object()) return "unknown";
  const auto* code = error->get_object().if_contains("code");
  if (!code || !code->is_string()) return "unknown";
  return std::string(code->get_string().data(), code->get_string().size());
}

}  // namespace

// privacy.cpp: consents, export, erasure, event purge (declared here rather than in handlers.hpp,
// which every handler file includes).
void AddPrivacyRoutes(RouteTable& table, const Deps& deps);

void AddAllRoutes(RouteTable& table, const Deps& deps) {
  AddOutputSchemas(table);
  AddAuthRoutes(table, deps);
  AddContactRoutes(table, deps);
  AddCompanyRoutes(table, deps);
  AddDealRoutes(table, deps);
  AddActivityRoutes(table, deps);
  AddUserRoutes(table, deps);
  AddTeamRoutes(table, deps);
  AddApiKeyRoutes(table, deps);
  AddAuditRoutes(table, deps);
  AddEventRoutes(table, deps);
  AddContractRoutes(table, deps);
  AddHandoffRoutes(table, deps);
  AddComplianceRoutes(table, deps);
  AddPayRoutes(table, deps);
  AddWeeklyRoutes(table, deps);
  AddScoringRoutes(table, deps);
  AddImportRoutes(table, deps);
  AddAnalyticsRoutes(table, deps);
  AddFeedbackRoutes(table, deps);
  AddAttributionRoutes(table, deps);
  AddSavedViewRoutes(table, deps);
  AddPrivacyRoutes(table, deps);
  AddGoalRoutes(table, deps);
  AddFormRoutes(table, deps);
  AddCaptureRoutes(table, deps);
  AddNotificationRoutes(table, deps);
  AddMetaRoutes(table, deps);
}

struct Api::Impl {
  Impl(app::Services& services, base::Metrics& metrics, const base::Clock& clock,
       ApiSettings settings)
      : services(services),
        metrics(metrics),
        clock(clock),
        settings(std::move(settings)),
        login_limiter(clock, this->settings.login_per_minute, this->settings.login_burst),
        static_files(this->settings.web_root) {
    Deps deps{services, metrics, clock, this->settings, login_limiter, table};
    AddAllRoutes(table, deps);
  }

  void Log(const std::string& line) const {
    if (settings.log_error) {
      settings.log_error(line);
    } else {
      spdlog::error("{}", line);
    }
  }

  // The answer to an error of a service or of validation. Internal failures are logged with
  // the route, and their text (which may quote the database) is not shown to the client.
  Response Fail(const Request& req, const std::string& route, const Error& e) const {
    if (e.code == core::ErrorCode::kInternal || e.code == core::ErrorCode::kUnavailable) {
      Log(req.method + " " + route + ": " + std::string(core::ToString(e.code)) + ": " + e.message);
    }
    if (e.code == core::ErrorCode::kInternal) {
      return ErrorFrom({e.code, "an internal error occurred; it has been logged", ""});
    }
    return ErrorFrom(e);
  }

  Response Dispatch(const Request& req, std::string& route_label) const {
    const auto match = table.Find(req.method, req.path);
    if (!match.route) {
      if (!match.allowed.empty()) {
        std::string allow;
        for (const auto& m : match.allowed) allow += (allow.empty() ? "" : ", ") + m;
        Response r = ErrorResponse(405, "method_not_allowed",
                                   req.method + " is not allowed here; allowed: " + allow);
        r.headers.emplace_back("Allow", allow);
        route_label = "method_not_allowed";
        return r;
      }
      const bool api_path = req.path == "/api" || req.path.rfind("/api/", 0) == 0 ||
                            req.path == "/healthz" || req.path == "/metrics";
      if (!api_path) {
        if (auto file = static_files.Serve(req)) {
          route_label = "static";
          return *file;
        }
        if (req.path == "/" && (req.method == "GET" || req.method == "HEAD")) {
          // No dashboard installed: whoever opens the server's address learns where to go.
          route_label = "welcome";
          return Response::Json(
              200, R"({"name":"Tandem","api":"/api/v1","openapi":"/api/v1/openapi.json",)"
                   R"("health":"/healthz","sign_in":"POST /api/v1/auth/login",)"
                   R"("dashboard":"not installed here; serve with --web-root to add it"})");
        }
      }
      return ErrorResponse(404, "not_found", "no such endpoint: " + req.method + " " + req.path);
    }
    const Route& route = *match.route;
    route_label = route.pattern;

    std::optional<app::Authenticated> who;
    Call call{req};
    if (route.access == Access::kSignedIn) {
      auto credential = ReadCredential(req);
      if (!credential) return Fail(req, route.pattern, credential.error());
      if (!*credential) {
        return Fail(req, route.pattern,
                    Error::Unauthenticated("sign in first: send Authorization: Bearer <token or "
                                           "API key>, or the session cookie"));
      }
      auto authenticated = services.auth.Authenticate((*credential)->token);
      if (!authenticated) return Fail(req, route.pattern, authenticated.error());
      who = std::move(*authenticated);
      if ((*credential)->cookie) {
        if (!who->session || who->session->kind != core::SessionKind::kCookie) {
          return Fail(req, route.pattern,
                      Error::Unauthenticated("the session cookie holds no cookie session"));
        }
        const std::string* csrf = req.Header(kCsrfHeader);
        if (ChangesState(req.method) && (!csrf || !SafeEquals(*csrf, who->session->csrf_token))) {
          return Fail(req, route.pattern,
                      {core::ErrorCode::kPermissionDenied,
                       "a cookie session must send its csrf_token in the X-CSRF-Token header",
                       "X-CSRF-Token"});
        }
      }
      call.auth = &*who;
      call.token = std::move((*credential)->token);
      call.cookie = (*credential)->cookie;
    }

    const auto names = PlaceholderNames(route.pattern);
    if (route.text_params) call.params = match.params;
    for (std::size_t i = 0; i < match.params.size() && !route.text_params; ++i) {
      auto id = ParseId(match.params[i]);
      if (!id) {
        return Fail(req, route.pattern,
                    Error::Invalid(names[i], "must be a positive integer id, not \"" +
                                                 match.params[i] + "\""));
      }
      call.ids.push_back(*id);
    }

    auto query = Query::Parse(req.query, route.query);
    if (!query) return Fail(req, route.pattern, query.error());
    call.query = std::move(*query);

    if (route.body) {
      const std::string* type = req.Header("content-type");
      const bool json = route.body_type == "application/json";
      if ((type && !IsContentType(*type, route.body_type)) ||
          (!type && (!json || !req.body.empty()))) {
        return ErrorResponse(415, "unsupported_media_type",
                             "send the body as " + route.body_type +
                                 " (Content-Type: " + (type ? *type : std::string("none")) + ")");
      }
      if (!route.raw_body) {
        auto body = Body::Parse(req.body, *route.body);
        if (!body) return Fail(req, route.pattern, body.error());
        call.body = std::move(*body);
      }
    }

    auto result = route.fn(call);
    if (!result) return Fail(req, route.pattern, result.error());
    return std::move(*result);
  }

  void Record(const Request& req, const std::string& route, const Response& r,
              double seconds) const {
    const std::string status = std::to_string(r.status);
    metrics
        .GetCounter("tandem_http_requests_total",
                    {{"method", std::string(MethodLabel(req.method))},
                     {"route", route},
                     {"status", status}},
                    "HTTP requests by method, route pattern and status.")
        .Add();
    metrics
        .GetHistogram("tandem_http_request_duration_seconds", {{"route", route}},
                      "Time to handle an HTTP request, by route pattern.")
        .Observe(seconds);
    if (r.status >= 400) {
      metrics
          .GetCounter("tandem_http_errors_total", {{"route", route}, {"code", ErrorCodeOf(r)}},
                      "HTTP error answers by route pattern and error code.")
          .Add();
    }
  }

  app::Services& services;
  base::Metrics& metrics;
  const base::Clock& clock;
  const ApiSettings settings;
  RateLimiter login_limiter;
  StaticFiles static_files;
  RouteTable table;
};

Api::Api(app::Services& services, base::Metrics& metrics, const base::Clock& clock,
         ApiSettings settings)
    : impl_(std::make_unique<Impl>(services, metrics, clock, std::move(settings))) {}

Api::~Api() = default;

Response Api::Handle(const Request& request) {
  // Latency is measured on the steady clock: it is a measurement, not a business time.
  const auto start = std::chrono::steady_clock::now();
  std::string route = "unmatched";
  Response response;
  try {
    response = impl_->Dispatch(request, route);
  } catch (const std::exception& e) {
    impl_->Log("unhandled exception on " + request.method + " " + route + ": " + e.what());
    response = ErrorResponse(500, "internal", "an internal error occurred; it has been logged");
  } catch (...) {
    impl_->Log("unhandled exception on " + request.method + " " + route);
    response = ErrorResponse(500, "internal", "an internal error occurred; it has been logged");
  }
  AddSecurityHeaders(response);
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  try {
    impl_->Record(request, route, response, elapsed.count());
  } catch (...) {
    // Metrics must never turn an answer into a failure (a full registry, bad_alloc).
  }
  return response;
}

std::vector<std::pair<std::string, std::string>> Api::Routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : impl_->table.routes()) out.emplace_back(r.method, r.pattern);
  return out;
}

}  // namespace tandem::api
